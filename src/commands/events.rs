//! `certstat events list|import`: the event log, and loading events recorded elsewhere.
//!
//! Importing is two steps so that provider webhook parsers (SendGrid, SES, …) can reuse the
//! second: a parser turns a file into [`Incoming`] events (with the file line of each), and
//! [`apply`] resolves certificates and recipients, rejects the whole batch if any line is
//! wrong, and records the rest in one transaction, skipping what was already applied.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::Ctx;
use crate::db::events::{LogEntry, LogFilter, NewEvent};
use crate::model::EventKind;
use crate::output::{Format, Printer};
use crate::{clock, db};

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// The event log of a certificate, oldest first
    List(ListArgs),
    /// Apply events recorded elsewhere (idempotent: importing twice changes nothing)
    Import(ImportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
    /// One event per line, in the format `events import --format jsonl` reads
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Only this recipient's events
    #[arg(long, value_name = "EMAIL")]
    pub recipient: Option<String>,
    /// Only events of this kind (repeatable)
    #[arg(long, value_name = "K", value_parser = parse_kind)]
    pub kind: Vec<EventKind>,
    /// Only events at or after this time (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = clock::instant_arg)]
    pub since: Option<String>,
    /// Output format; jsonl is the line format `events import` reads [default: table]
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
    /// Do not neutralise formula-like cells in CSV
    #[arg(long)]
    pub raw: bool,
}

/// The file formats `events import` reads. Provider formats are added here, each with a
/// parser producing [`Incoming`] events for [`apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsImportFormat {
    /// certstat's own line format (what `events list --format jsonl` writes)
    Jsonl,
    /// Recognise the provider (or certstat's jsonl) from the file's content
    Auto,
    /// SendGrid Event Webhook payloads
    Sendgrid,
    /// Amazon SES notifications (as SNS delivers them, or bare)
    Ses,
    /// Postmark webhooks
    Postmark,
    /// Mailgun webhooks
    Mailgun,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read
    pub file: PathBuf,
    /// The file's format: certstat's jsonl, a provider's webhook payloads, or auto
    #[arg(long, value_enum, default_value_t = EventsImportFormat::Jsonl)]
    pub format: EventsImportFormat,
}

fn parse_kind(text: &str) -> Result<EventKind, String> {
    text.parse()
}

pub fn run(ctx: &mut Ctx, command: EventsCommand) -> Result<()> {
    match command {
        EventsCommand::List(a) => list(ctx, a),
        EventsCommand::Import(a) => import(ctx, a),
    }
}

const COLUMNS: [&str; 6] = ["id", "at", "email", "kind", "source", "detail"];

/// An event as the line format writes it.
fn line_object(e: &LogEntry) -> Value {
    json!({"certificate": e.certificate, "email": e.email, "kind": e.kind, "at": e.at,
           "source": e.source, "detail": e.detail})
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let recipient_id = match &a.recipient {
        Some(email) => Some(db::recipients::get(&ctx.conn, cert.id, email)?.id),
        None => None,
    };
    let since = match &a.since {
        Some(t) => Some(clock::stamp(clock::parse(t).with_context(|| {
            format!("--since '{t}' is not a time: write it like 2026-11-26 or 2026-11-26T10:00:00Z")
        })?)),
        None => None,
    };
    let filter = LogFilter {
        recipient_id,
        kinds: a.kind.clone(),
        since,
    };
    let conn = &ctx.conn;
    let p = &ctx.printer;
    let format = match a.format.unwrap_or(ListFormat::Table) {
        ListFormat::Jsonl => {
            let mut chunk = String::new();
            db::events::for_each(conn, cert.id, &filter, |e| {
                chunk.push_str(&serde_json::to_string(&line_object(&e))?);
                chunk.push('\n');
                if chunk.len() > 1 << 16 {
                    p.text(&chunk)?;
                    chunk.clear();
                }
                Ok(())
            })?;
            return p.text(&chunk);
        }
        ListFormat::Table => Format::Table,
        ListFormat::Csv => Format::Csv,
        ListFormat::Json => Format::Json,
    };
    p.list(format, &COLUMNS, a.raw, |emit| {
        db::events::for_each(conn, cert.id, &filter, |e| {
            let detail = if e.detail.as_object().is_some_and(Map::is_empty) {
                String::new()
            } else {
                serde_json::to_string(&e.detail)?
            };
            let cells = vec![
                e.id.to_string(),
                e.at.clone(),
                e.email.clone(),
                e.kind.clone(),
                e.source.clone(),
                detail,
            ];
            emit(cells, serde_json::to_value(&e)?)
        })
    })
}

/// One event to apply, as a parser read it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Where it came from, for error messages (1-based line number).
    pub line: usize,
    /// Certificate name (case-insensitive) or id.
    pub certificate: String,
    pub email: String,
    pub kind: EventKind,
    /// RFC 3339, UTC, whole seconds.
    pub at: String,
    pub source: String,
    pub detail: Value,
    /// What makes applying it twice a no-op; derived from the content when `None`.
    pub dedup_key: Option<String>,
}

/// A problem with one input line.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub events: usize,
    pub applied: usize,
    pub already_applied: usize,
}

pub const SOURCES: &[&str] = &["smtp", "outbox", "dsn", "imap", "provider", "web", "cli"];

/// Check the `detail` keys DESIGN.md fixes per kind.
fn check_detail(kind: EventKind, detail: &Map<String, Value>) -> Result<(), String> {
    let one_of = |key: &str, allowed: &[&str]| -> Result<(), String> {
        match detail.get(key).and_then(Value::as_str) {
            Some(v) if allowed.contains(&v) => Ok(()),
            _ => Err(format!(
                "a {kind} event needs detail.{key}, one of: {}",
                allowed.join(", ")
            )),
        }
    };
    let boolean = |key: &str| -> Result<(), String> {
        match detail.get(key) {
            None | Some(Value::Bool(_)) => Ok(()),
            Some(_) => Err(format!(
                "detail.{key} of a {kind} event must be true or false"
            )),
        }
    };
    match kind {
        EventKind::Shared => one_of("network", &["linkedin", "facebook", "x"]),
        EventKind::Downloaded => one_of("format", &["pdf", "png"]),
        EventKind::Opened | EventKind::Clicked => boolean("machine"),
        EventKind::Bounced => boolean("hard"),
        EventKind::Edited | EventKind::Revoked | EventKind::Unrevoked => Err(format!(
            "{kind} events are recorded by certstat's own commands and cannot be imported"
        )),
        _ => Ok(()),
    }
}

/// Parse certstat's line format: one JSON object per line; blank lines are skipped.
pub fn parse_jsonl(text: &str) -> (Vec<Incoming>, Vec<Problem>) {
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match parse_line(raw, line) {
            Ok(e) => events.push(e),
            Err(p) => problems.push(p),
        }
    }
    (events, problems)
}

fn parse_line(raw: &str, line: usize) -> Result<Incoming, Problem> {
    let problem = |message: String| Problem {
        line,
        column: None,
        message,
    };
    let value: Value = serde_json::from_str(raw).map_err(|e| Problem {
        line,
        column: Some(e.column()),
        message: format!("not a JSON object: {e}"),
    })?;
    let Value::Object(obj) = value else {
        return Err(problem("each line must be a JSON object".into()));
    };
    let text = |key: &str| -> Result<String, Problem> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::Number(n)) if key == "certificate" => Ok(n.to_string()),
            _ => Err(problem(format!("missing or empty \"{key}\""))),
        }
    };
    let certificate = text("certificate")?;
    let email = text("email")?;
    let kind: EventKind = text("kind")?.parse().map_err(problem)?;
    let at_text = text("at")?;
    let at = clock::parse(&at_text).map(clock::stamp).ok_or_else(|| {
        problem(format!(
            "\"at\": '{at_text}' is not an RFC 3339 time like 2026-11-26T10:00:00Z"
        ))
    })?;
    let source = text("source")?;
    if !SOURCES.contains(&source.as_str()) {
        return Err(problem(format!(
            "unknown source '{source}' (one of: {})",
            SOURCES.join(", ")
        )));
    }
    let detail = match obj.get("detail") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(problem("\"detail\" must be an object".into())),
    };
    check_detail(kind, &detail).map_err(problem)?;
    Ok(Incoming {
        line,
        certificate,
        email,
        kind,
        at,
        source,
        detail: Value::Object(detail),
        dedup_key: None,
    })
}

/// JSON with object keys sorted, so equal content gives equal text.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// The dedup key of an imported event: a hash of what it says (recipient, kind, time, source,
/// detail), so the same line imported twice, or from two files, is applied once.
pub fn content_key(recipient_id: i64, e: &Incoming) -> String {
    let mut text = format!(
        "{recipient_id}\n{}\n{}\n{}\n",
        e.kind.as_str(),
        e.at,
        e.source
    );
    canonical(&e.detail, &mut text);
    format!("import:{}", hex::encode(Sha256::digest(text.as_bytes())))
}

/// Resolve and record `events` in one transaction: all or nothing. Returns the problems
/// (unknown certificate or recipient) instead when there are any, having written nothing.
pub fn apply(
    conn: &mut Connection,
    events: &[Incoming],
) -> Result<std::result::Result<(usize, usize), Vec<Problem>>> {
    let mut certs: HashMap<String, Option<i64>> = HashMap::new();
    let mut recipients: HashMap<(i64, String), Option<i64>> = HashMap::new();
    let mut resolved = Vec::with_capacity(events.len());
    let mut problems = Vec::new();
    let tx = db::write_tx(conn)?;
    for e in events {
        let key = db::certs::name_key(&e.certificate);
        let cert_id = match certs.get(&key) {
            Some(id) => *id,
            None => {
                let id = db::certs::find(&tx, &e.certificate).ok().map(|c| c.id);
                certs.insert(key, id);
                id
            }
        };
        let Some(cert_id) = cert_id else {
            problems.push(Problem {
                line: e.line,
                column: None,
                message: format!(
                    "unknown certificate '{}' (`certstat cert list` shows them)",
                    e.certificate
                ),
            });
            continue;
        };
        let rkey = (cert_id, crate::model::email_key(&e.email));
        let rid = match recipients.get(&rkey) {
            Some(id) => *id,
            None => {
                let id = db::recipients::find(&tx, cert_id, &e.email)?.map(|r| r.id);
                recipients.insert(rkey, id);
                id
            }
        };
        let Some(rid) = rid else {
            problems.push(Problem {
                line: e.line,
                column: None,
                message: format!(
                    "<{}> is not a recipient of certificate '{}'",
                    e.email, e.certificate
                ),
            });
            continue;
        };
        resolved.push((rid, e));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let (mut applied, mut seen) = (0, 0);
    for (rid, e) in resolved {
        let dedup_key = e.dedup_key.clone().unwrap_or_else(|| content_key(rid, e));
        let new = NewEvent {
            recipient_id: rid,
            kind: e.kind,
            at: &e.at,
            source: &e.source,
            detail: e.detail.clone(),
            dedup_key: Some(dedup_key),
        };
        if db::events::record(&tx, &new)? {
            applied += 1;
        } else {
            seen += 1;
        }
    }
    tx.commit()?;
    Ok(Ok((applied, seen)))
}

fn report_problems(printer: &Printer, file: &Path, problems: &[Problem]) {
    let limit = if printer.verbose > 0 { usize::MAX } else { 50 };
    for p in problems.iter().take(limit) {
        let col = p.column.map(|c| format!(":{c}")).unwrap_or_default();
        printer.error_line(format!("{}:{}{col}: {}", file.display(), p.line, p.message));
    }
    if problems.len() > limit {
        printer.error_line(format!(
            "… and {} more problems (-v lists them all)",
            problems.len() - limit
        ));
    }
}

fn import(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    if crate::refresh::providers::import(ctx, &a.file, a.format)? {
        return Ok(());
    }
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read the events file {}", a.file.display()))?;
    let (events, problems) = parse_jsonl(text.strip_prefix('\u{feff}').unwrap_or(&text));
    let printer = &ctx.printer;
    let fail = |problems: &[Problem]| -> Result<()> {
        report_problems(printer, &a.file, problems);
        bail!(
            "{} bad line(s) in {}: nothing was imported. Fix them and import the file again",
            problems.len(),
            a.file.display()
        )
    };
    if !problems.is_empty() {
        return fail(&problems);
    }
    let (applied, already) = match apply(&mut ctx.conn, &events)? {
        Ok(counts) => counts,
        Err(problems) => return fail(&problems),
    };
    let summary = ImportSummary {
        file: a.file.display().to_string(),
        events: events.len(),
        applied,
        already_applied: already,
    };
    ctx.printer.info(format!(
        "{}: {} events: applied {}, already applied {}",
        summary.file, summary.events, summary.applied, summary.already_applied
    ));
    Ok(())
}
