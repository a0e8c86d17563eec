//! `certstat stats [CERT] [--html FILE] [--svg FILE]`: the statistics page.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;

use super::Ctx;
use crate::output::{self, Format};
use crate::stats::percent;
use crate::{clock, db, stats};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Certificate name (case-insensitive) or id; without it, one row per certificate
    pub cert: Option<String>,
    /// Output format: the page (table), one row per figure (csv) or one object (json) [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write a self-contained HTML report (boxes, tables and the pie chart) to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write the shares pie chart as an SVG file
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Do not neutralise formula-like cells in CSV
    #[arg(long)]
    pub raw: bool,
}

pub fn run(ctx: &mut Ctx, a: StatsArgs) -> Result<()> {
    match &a.cert {
        Some(key) => one(ctx, key, &a),
        None => {
            if a.html.is_some() || a.svg.is_some() {
                bail!(
                    "--html and --svg draw one certificate: name it, e.g. `certstat stats CERT --html report.html`"
                );
            }
            all(ctx, &a)
        }
    }
}

fn write_file(path: &Path, text: &str, what: &str) -> Result<()> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the {what} {}", path.display()))
}

fn one(ctx: &mut Ctx, key: &str, a: &StatsArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, key)?;
    let s = stats::compute(&ctx.conn, &cert)?;
    let p = &ctx.printer;
    if let Some(path) = &a.html {
        write_file(
            path,
            &stats::html::report(&s, &clock::now_stamp()),
            "HTML report",
        )?;
        p.info(format!("Wrote the report to {}", path.display()));
    }
    if let Some(path) = &a.svg {
        write_file(path, &stats::pie::svg(&s.slices(), 240), "SVG chart")?;
        p.info(format!("Wrote the chart to {}", path.display()));
    }
    if (a.html.is_some() || a.svg.is_some()) && a.format.is_none() {
        return Ok(());
    }
    p.object(p.format(a.format), &s, || {
        stats::text::page(p, &s, output::width())
    })
}

fn all(ctx: &mut Ctx, a: &StatsArgs) -> Result<()> {
    let certs = db::certs::all(&ctx.conn)?;
    let columns = [
        "id",
        "name",
        "created",
        "recipients",
        "sent",
        "delivered",
        "bounced",
        "claimed",
        "claimed_percent",
        "shares",
    ];
    let conn = &ctx.conn;
    ctx.printer.list(ctx.printer.format(a.format), &columns, a.raw, |emit| {
        for c in certs {
            let s = stats::compute(conn, &c)?;
            let pct = percent(s.statuses.claimed, s.recipients);
            let created = c.created_at.get(..10).unwrap_or(&c.created_at).to_string();
            emit(
                vec![
                    c.id.to_string(),
                    c.name.clone(),
                    created,
                    s.recipients.to_string(),
                    s.email.sent.to_string(),
                    s.statuses.delivered.to_string(),
                    s.statuses.bounced.to_string(),
                    s.statuses.claimed.to_string(),
                    format!("{pct:.1}"),
                    s.shares.total.to_string(),
                ],
                json!({"id": c.id, "name": c.name, "created": c.created_at, "recipients": s.recipients,
                       "sent": s.email.sent, "delivered": s.statuses.delivered, "bounced": s.statuses.bounced,
                       "claimed": s.statuses.claimed, "claimed_percent": pct, "shares": s.shares.total}),
            )?;
        }
        Ok(())
    })
}
