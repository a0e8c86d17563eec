//! `certstat suppress list|add|remove|import|export`: the addresses `send` and `remind` skip.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use super::Ctx;
use crate::clock;
use crate::db::suppression;
use crate::import_csv::check_email;
use crate::output::Format;

#[derive(Debug, Subcommand)]
pub enum SuppressCommand {
    /// Every suppressed address: hard bounces, complaints and unsubscribes of any certificate,
    /// and addresses added by hand
    List(ListArgs),
    /// Never mail these addresses (for any certificate)
    Add(AddArgs),
    /// Mail these addresses again: their earlier bounces, complaints and unsubscribes no
    /// longer count (a new one suppresses them again)
    Remove(RemoveArgs),
    /// Add every address of a CSV file (an `email` column; an optional `reason` column)
    Import(ImportArgs),
    /// Write the list as CSV (email, cause, reason, at)
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The addresses to suppress
    #[arg(required = true, value_name = "EMAIL")]
    pub emails: Vec<String>,
    /// Why (shown by `suppress list` and when `send` skips the address)
    #[arg(long, default_value = "added by hand")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The addresses to mail again
    #[arg(required = true, value_name = "EMAIL")]
    pub emails: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8; an `email` column, an optional `reason` column)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const COLUMNS: [&str; 4] = ["email", "cause", "reason", "at"];

pub fn run(ctx: &mut Ctx, command: SuppressCommand) -> Result<()> {
    match command {
        SuppressCommand::List(a) => list(ctx, a),
        SuppressCommand::Add(a) => add(ctx, a),
        SuppressCommand::Remove(a) => remove(ctx, a),
        SuppressCommand::Import(a) => import(ctx, a),
        SuppressCommand::Export(a) => export(ctx, a),
    }
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let entries = ctx.conn.read(suppression::list)?;
    let p = &ctx.printer;
    p.list(p.format(a.format), &COLUMNS, false, |emit| {
        for e in entries {
            let value = json!({"email": e.email, "cause": e.cause, "reason": e.reason, "at": e.at});
            emit(
                vec![e.email, e.cause.as_str().to_string(), e.reason, e.at],
                value,
            )?;
        }
        Ok(())
    })
}

fn checked(email: &str, place: &str) -> Result<String> {
    let email = email.trim();
    check_email(email).map_err(|why| anyhow::anyhow!("{place}'{email}': {why}"))?;
    Ok(email.to_string())
}

/// Check every address named, then apply `change` to each in one transaction: whether it
/// changed anything, per address.
fn change_each(
    ctx: &mut Ctx,
    emails: &[String],
    change: impl Fn(&rusqlite::Connection, &str, &str) -> Result<bool>,
) -> Result<Vec<(String, bool)>> {
    let emails = emails
        .iter()
        .map(|e| checked(e, ""))
        .collect::<Result<Vec<_>>>()?;
    let now = clock::now_stamp();
    ctx.conn.write(|tx| {
        let mut changed = Vec::with_capacity(emails.len());
        for e in emails {
            let was = change(tx, &e, &now)?;
            changed.push((e, was));
        }
        Ok(changed)
    })
}

fn add(ctx: &mut Ctx, a: AddArgs) -> Result<()> {
    let changed = change_each(ctx, &a.emails, |tx, e, now| {
        suppression::add(tx, e, &a.reason, now)
    })?;
    let emails = changed.len();
    let added = changed.iter().filter(|(_, was)| *was).count();
    ctx.printer.info(format!(
        "{added} address(es) suppressed ({} already were)",
        emails - added
    ));
    Ok(())
}

fn remove(ctx: &mut Ctx, a: RemoveArgs) -> Result<()> {
    let lifted = change_each(ctx, &a.emails, suppression::remove)?;
    for (e, was) in lifted {
        if was {
            ctx.printer
                .info(format!("{e}: no longer suppressed; it may be mailed again"));
        } else {
            ctx.printer
                .info(format!("{e}: was not suppressed (nothing changed)"));
        }
    }
    Ok(())
}

/// The addresses and reasons of an import file, all checked before anything is written.
fn read_import(path: &std::path::Path) -> Result<Vec<(String, String)>> {
    let file = path.display().to_string();
    if path.is_dir() {
        bail!(
            "{file} is a directory: give the path of a CSV file (an `email` column, an optional `reason` column)"
        );
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read {file}: check the path"))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{file}: not UTF-8 text ({e}); save it as UTF-8 CSV"))?;
    let text = text.trim_start_matches('\u{feff}');
    // The CSV reader takes an unclosed quote as a value running to the end of the file, which
    // would drop every address after it without a word: refuse the file instead.
    if let Err(e) = crate::import_csv::quotes::check(text.as_bytes(), b',')? {
        bail!("{file}:{}: {}; nothing was suppressed", e.line, e.message);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .with_context(|| format!("{file}: cannot read the header line"))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(email_col) = col("email") else {
        bail!("{file}:1: no 'email' column in the header line (columns: email, reason)");
    };
    let reason_col = col("reason");
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.with_context(|| format!("{file}: cannot read a line"))?;
        let line = row.position().map_or(0, |p| p.line());
        let email = row.get(email_col).unwrap_or("").trim();
        if email.is_empty() && row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        check_email(email).map_err(|why| {
            anyhow::anyhow!(
                "{file}:{line}:{}: {why}; nothing was suppressed: fix the address or remove the line",
                email_col + 1
            )
        })?;
        let email = email.to_string();
        let reason = reason_col
            .and_then(|c| row.get(c))
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or("imported")
            .to_string();
        out.push((email, reason));
    }
    Ok(out)
}

fn import(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    let rows = read_import(&a.file)?;
    let now = clock::now_stamp();
    let added = ctx.conn.write(|tx| {
        let mut n = 0;
        for (e, reason) in &rows {
            n += usize::from(suppression::add(tx, e, reason, &now)?);
        }
        Ok(n)
    })?;
    ctx.printer.info(format!(
        "{} address(es) read from {}: {added} newly suppressed",
        rows.len(),
        a.file.display()
    ));
    Ok(())
}

fn export(ctx: &mut Ctx, a: ExportArgs) -> Result<()> {
    let entries = ctx.conn.read(suppression::list)?;
    let out: Box<dyn Write> = match &a.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for e in &entries {
        w.write_record([
            crate::output::neutralize(&e.email).as_ref(),
            e.cause.as_str(),
            crate::output::neutralize(&e.reason).as_ref(),
            &e.at,
        ])?;
    }
    w.flush()?;
    if let Some(path) = &a.output {
        ctx.printer.info(format!(
            "{} address(es) written to {}",
            entries.len(),
            path.display()
        ));
    }
    Ok(())
}
