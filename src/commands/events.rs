//! `certstat events list|import`: the event log, and loading events recorded elsewhere.
//!
//! Importing is two steps so that provider webhook parsers (SendGrid, SES, …) can reuse the
//! second: a parser turns a file into [`Incoming`] events (with the file line of each), and
//! [`apply`] resolves certificates and recipients, rejects the whole batch if any line is
//! wrong, and records the rest in one transaction, skipping what was already applied.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::PathBuf;

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
    /// The requests of `serve`'s "lost your link?" page, for any address (one without a
    /// certificate too), oldest first
    Lost(LostArgs),
}

#[derive(Debug, Args)]
pub struct LostArgs {
    /// Only requests at or after this time (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "T", value_parser = clock::instant_arg)]
    pub since: Option<String>,
    /// Only requests for this address
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Do not neutralise formula-like cells in CSV
    #[arg(long)]
    pub raw: bool,
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
    /// The file to read, or `-` for standard input (a FIFO or `<(...)` works too)
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
        EventsCommand::Lost(a) => lost(ctx, a),
    }
}

const LOST_COLUMNS: [&str; 7] = [
    "id",
    "at",
    "email",
    "client",
    "outcome",
    "limited",
    "recipients",
];

/// `events lost`: the lost-link request log. `outcome` is what came of a request: `found`
/// (its links were mailed again, unless `limited`), `unknown` (no certificate was sent to the
/// address), `invalid` (not an address), `forged` (without the form's token), `pending`.
fn lost(ctx: &mut Ctx, a: LostArgs) -> Result<()> {
    let since = match &a.since {
        Some(t) => Some(clock::stamp(clock::parse(t).with_context(|| {
            format!("--since '{t}' is not a time: write it like 2026-11-26 or 2026-11-26T10:00:00Z")
        })?)),
        None => None,
    };
    let key = a.email.as_deref().map(crate::model::email_key);
    let rows = db::lost::list(&ctx.conn, since.as_deref())?;
    let format = ctx.printer.format(a.format);
    ctx.printer.list(format, &LOST_COLUMNS, a.raw, |emit| {
        for r in rows {
            if key
                .as_ref()
                .is_some_and(|k| *k != crate::model::email_key(&r.email))
            {
                continue;
            }
            let cells = vec![
                r.id.to_string(),
                r.at.clone(),
                r.email.clone(),
                r.client.clone(),
                r.outcome.clone(),
                if r.limited { "yes" } else { "no" }.to_string(),
                r.recipients.to_string(),
            ];
            emit(cells, serde_json::to_value(&r)?)?;
        }
        Ok(())
    })
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

fn parse_line(raw: &str, line: usize) -> Result<Incoming, Problem> {
    let problem = |message: String| Problem {
        line,
        column: None,
        message,
    };
    // The place is the file's (`file:line:column`), not repeated as the reader counts it in the
    // line; a line that ends too early has no column to point at.
    let value: Value = serde_json::from_str(raw).map_err(|e| Problem {
        line,
        column: (e.column() > 0).then_some(e.column()),
        message: format!("not a JSON object: {}", crate::input::json_error_what(&e)),
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

/// The most problems kept to list; the rest are counted.
const PROBLEMS_LISTED: usize = 10_000;

/// Resolves and records certstat's own events one line at a time, inside the caller's
/// transaction; a problem (a bad line, an unknown certificate or recipient) is kept, and the
/// caller rolls everything back if there is any.
#[derive(Default)]
struct JsonlApplier {
    certs: HashMap<String, Option<i64>>,
    recipients: HashMap<(i64, String), Option<i64>>,
    problems: Vec<Problem>,
    more_problems: usize,
    events: usize,
    applied: usize,
    seen: usize,
}

impl JsonlApplier {
    fn problem(&mut self, p: Problem) {
        if self.problems.len() < PROBLEMS_LISTED {
            self.problems.push(p);
        } else {
            self.more_problems += 1;
        }
    }

    fn line(&mut self, tx: &Connection, raw: &str, line: usize) -> Result<()> {
        if raw.trim().is_empty() {
            return Ok(());
        }
        self.events += 1;
        match parse_line(raw, line) {
            Ok(e) => match self.resolve(tx, &e)? {
                Ok(rid) if self.problems.is_empty() => self.record(tx, rid, &e),
                Ok(_) => Ok(()),
                Err(p) => {
                    self.problem(p);
                    Ok(())
                }
            },
            Err(p) => {
                self.problem(p);
                Ok(())
            }
        }
    }

    fn resolve(
        &mut self,
        tx: &Connection,
        e: &Incoming,
    ) -> Result<std::result::Result<i64, Problem>> {
        let key = db::certs::name_key(&e.certificate);
        let cert_id = match self.certs.get(&key) {
            Some(id) => *id,
            None => {
                let id = db::certs::find(tx, &e.certificate).ok().map(|c| c.id);
                self.certs.insert(key, id);
                id
            }
        };
        let Some(cert_id) = cert_id else {
            return Ok(Err(Problem {
                line: e.line,
                column: None,
                message: format!(
                    "unknown certificate '{}' (`certstat cert list` shows them)",
                    e.certificate
                ),
            }));
        };
        let rkey = (cert_id, crate::model::email_key(&e.email));
        let rid = match self.recipients.get(&rkey) {
            Some(id) => *id,
            None => {
                let id = db::recipients::find(tx, cert_id, &e.email)?.map(|r| r.id);
                self.recipients.insert(rkey, id);
                id
            }
        };
        Ok(rid.ok_or_else(|| Problem {
            line: e.line,
            column: None,
            message: format!(
                "<{}> is not a recipient of certificate '{}'",
                e.email, e.certificate
            ),
        }))
    }

    fn record(&mut self, tx: &Connection, rid: i64, e: &Incoming) -> Result<()> {
        let dedup_key = e.dedup_key.clone().unwrap_or_else(|| content_key(rid, e));
        let new = NewEvent {
            recipient_id: rid,
            kind: e.kind,
            at: &e.at,
            source: &e.source,
            detail: e.detail.clone(),
            dedup_key: Some(dedup_key),
        };
        if db::events::record(tx, &new)? {
            self.applied += 1;
        } else {
            self.seen += 1;
        }
        Ok(())
    }
}

/// Events read, applied, and already applied.
pub type Counts = (usize, usize, usize);

/// The problems listed, and how many more there were.
pub type Refused = (Vec<Problem>, usize);

/// Resolve and record certstat's jsonl events from `input` in one transaction: all or nothing.
/// Returns the problems instead when there are any, having written nothing. The file is read
/// line by line: memory does not grow with it.
pub fn apply(
    conn: &mut Connection,
    mut input: impl BufRead,
) -> Result<std::result::Result<Counts, Refused>> {
    db::write_then(conn, |tx| {
        let mut applier = JsonlApplier::default();
        let mut raw = String::new();
        let mut line = 0;
        loop {
            raw.clear();
            if input.read_line(&mut raw)? == 0 {
                break;
            }
            line += 1;
            let text = if line == 1 {
                raw.strip_prefix('\u{feff}').unwrap_or(&raw)
            } else {
                &raw
            };
            applier.line(tx, text, line)?;
        }
        if !applier.problems.is_empty() {
            let refused = (applier.problems, applier.more_problems);
            return Ok((Err(refused), db::End::Rollback));
        }
        let counts = (applier.events, applier.applied, applier.seen);
        Ok((Ok(counts), db::End::Commit))
    })
}

fn report_problems(printer: &Printer, file: &str, problems: &[Problem], more: usize) {
    let limit = if printer.verbose > 0 { usize::MAX } else { 50 };
    for p in problems.iter().take(limit) {
        let col = p.column.map(|c| format!(":{c}")).unwrap_or_default();
        printer.error_line(format!("{file}:{}{col}: {}", p.line, p.message));
    }
    let hidden = problems.len().saturating_sub(limit) + more;
    if hidden > 0 {
        printer.error_line(format!("… and {hidden} more problems (-v lists them all)"));
    }
}

/// `events import` of a provider's webhook payloads, and its report.
fn import_provider(
    ctx: &Ctx,
    label: &str,
    input: impl std::io::Read,
    provider: crate::refresh::providers::Provider,
) -> Result<()> {
    let outcome = crate::refresh::providers::import(&ctx.conn, label, input, provider)?;
    if outcome.events == 0 {
        bail!(
            "{label}: no {} events found (is it a {} webhook payload? --format names the provider)",
            provider.as_str(),
            provider.as_str()
        );
    }
    for u in &outcome.unmatched {
        ctx.printer.debug(format!("{label}: {u}"));
    }
    if outcome.unmatched_more > 0 {
        ctx.printer.debug(format!(
            "{label}: … and {} more unmatched",
            outcome.unmatched_more
        ));
    }
    ctx.printer.info(format!(
        "{label}: {} {} events: applied {}, already applied {}, unmatched {}",
        outcome.events,
        provider.as_str(),
        outcome.applied,
        outcome.already,
        outcome.unmatched.len() + outcome.unmatched_more
    ));
    Ok(())
}

fn import(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    use crate::refresh::providers::{self, Provider};
    let label = crate::input::label(&a.file);
    let mut input = crate::input::open(&a.file, "the events file")?;
    let provider = match a.format {
        EventsImportFormat::Jsonl => None,
        EventsImportFormat::Sendgrid => Some(Provider::Sendgrid),
        EventsImportFormat::Ses => Some(Provider::Ses),
        EventsImportFormat::Postmark => Some(Provider::Postmark),
        EventsImportFormat::Mailgun => Some(Provider::Mailgun),
        EventsImportFormat::Auto => providers::sniff(&mut input, &label)?,
    };
    if let Some(provider) = provider {
        return import_provider(ctx, &label, input, provider);
    }
    let (events, applied, already) = match apply(&mut ctx.conn, input)? {
        Ok(counts) => counts,
        Err((problems, more)) => {
            report_problems(&ctx.printer, &label, &problems, more);
            bail!(
                "{} bad line(s) in {label}: nothing was imported. Fix them and import the file again",
                problems.len() + more,
            )
        }
    };
    let summary = ImportSummary {
        file: label,
        events,
        applied,
        already_applied: already,
    };
    ctx.printer.info(format!(
        "{}: {} events: applied {}, already applied {}",
        summary.file, summary.events, summary.applied, summary.already_applied
    ));
    Ok(())
}
