//! `certstat export`: one row per recipient — status, every timestamp, detail, event counts,
//! and the original fields — as spreadsheet-safe CSV or JSON, streamed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::db;
use crate::model::EXPORT_COLUMNS as COLUMNS;
use crate::output::neutralize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// File format: CSV (one row per recipient, with their original fields) or a JSON array
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Start the CSV with a byte-order mark (for Excel)
    #[arg(long)]
    pub bom: bool,
    /// Do not neutralise formula-like cells
    #[arg(long)]
    pub raw: bool,
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The column name of a field in an export: its own name, or `field:NAME` when that would
/// collide with one of certstat's columns.
pub fn field_column(key: &str) -> String {
    if COLUMNS.contains(&key) || key.starts_with("field:") {
        format!("field:{key}")
    } else {
        key.to_string()
    }
}

pub fn run(ctx: &mut Ctx, a: ExportArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    // An expired certificate keeps its statuses; every recipient is flagged, as in `stats`.
    let expired = crate::stats::is_expired(&cert);
    let keys = db::recipients::field_keys(&ctx.conn, cert.id)?;
    let out: Box<dyn Write> = match &a.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => ctx.printer.stdout(),
    };
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let rows = match a.format {
        ExportFormat::Csv => write_csv(&ctx.conn, cert.id, &keys, expired, &a, &mut out)?,
        ExportFormat::Json => write_json(&ctx.conn, cert.id, expired, &mut out)?,
    };
    out.flush()?;
    if let Some(path) = &a.output {
        ctx.printer.info(format!(
            "Exported {rows} recipients of '{}' to {}.",
            cert.name,
            path.display()
        ));
    }
    Ok(())
}

/// The CSV export: certstat's columns, then one per field; the number of rows.
fn write_csv(
    conn: &rusqlite::Connection,
    cert_id: i64,
    keys: &[String],
    expired: bool,
    a: &ExportArgs,
    out: &mut impl Write,
) -> Result<u64> {
    if a.bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(keys.iter().map(|k| field_column(k)));
    w.write_record(&header)?;
    let raw = a.raw;
    let expired = expired.to_string();
    let mut number = itoa::Buffer::new();
    let mut rows = 0u64;
    db::recipients::for_each_with_activity(conn, cert_id, |r, act| {
        let mut cell = |text: &str| -> csv::Result<()> {
            if raw {
                w.write_field(text)
            } else {
                w.write_field(neutralize(text).as_ref())
            }
        };
        let opt = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
        for text in [
            r.email.as_str(),
            &r.name,
            r.status.as_str(),
            &r.status_at,
            &r.detail,
            bool_text(r.unconfirmed),
            bool_text(r.revoked),
            &expired,
            &r.created_at,
        ] {
            cell(text)?;
        }
        for at in [
            &act.sent_at,
            &act.delivered_at,
            &act.bounced_at,
            &act.opened_at,
            &act.clicked_at,
            &act.claimed_at,
        ] {
            cell(&opt(at))?;
        }
        for n in [
            act.opens,
            act.clicks,
            act.downloads,
            act.shares_linkedin,
            act.shares_facebook,
            act.shares_x,
            act.linkedin_added,
        ] {
            cell(number.format(n))?;
        }
        for k in keys {
            match r.fields.get(k) {
                Some(Value::String(s)) => cell(s)?,
                Some(Value::Null) | None => cell("")?,
                Some(other) => cell(&other.to_string())?,
            }
        }
        w.write_record(None::<&[u8]>)?;
        rows += 1;
        Ok(())
    })?;
    w.flush()?;
    Ok(rows)
}

/// The JSON export: one object per recipient, streamed; the number of rows.
fn write_json(
    conn: &rusqlite::Connection,
    cert_id: i64,
    expired: bool,
    out: &mut impl Write,
) -> Result<u64> {
    let mut rows = 0u64;
    out.write_all(b"[")?;
    db::recipients::for_each_with_activity(conn, cert_id, |r, act| {
        out.write_all(if rows == 0 { b"\n" } else { b",\n" })?;
        let mut obj = Map::new();
        obj.insert("email".into(), json!(r.email));
        obj.insert("name".into(), json!(r.name));
        obj.insert("status".into(), json!(r.status.as_str()));
        obj.insert("status_at".into(), json!(r.status_at));
        obj.insert("detail".into(), json!(r.detail));
        obj.insert("unconfirmed".into(), json!(r.unconfirmed));
        obj.insert("revoked".into(), json!(r.revoked));
        obj.insert("expired".into(), json!(expired));
        obj.insert("created_at".into(), json!(r.created_at));
        if let Value::Object(activity) = serde_json::to_value(&act)? {
            obj.extend(activity);
        }
        obj.insert("fields".into(), Value::Object(r.fields));
        serde_json::to_writer(&mut *out, &obj)?;
        rows += 1;
        Ok(())
    })?;
    out.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?;
    Ok(rows)
}
