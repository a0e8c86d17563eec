//! `certstat recipients add|import|list|show|remove|edit`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::db::events::NewEvent;
use crate::import_csv::{self, Encoding, ImportOptions, Summary};
use crate::model::detail::{Edit, EventDetail, Field, Plain, Revocation};
use crate::model::{EventKind, Recipient, Status, email_key};
use crate::output::Format;
use crate::{clock, db};

#[derive(Debug, Subcommand)]
pub enum RecipientsCommand {
    /// Add one recipient
    Add(AddArgs),
    /// Add recipients from a CSV file (all or nothing)
    Import(ImportArgs),
    /// List recipients with their status, status time and detail
    List(ListArgs),
    /// One recipient: their status and why (the deciding event, its source, the server's
    /// words), then their whole timeline
    Show(ShowArgs),
    /// Remove recipients (with their events)
    Remove(RemoveArgs),
    /// Fix a recipient in place: history is kept; a new address goes back to Not Sent
    Edit(EditArgs),
    /// Revoke recipients' certificates (their status is kept; verification says revoked)
    Revoke(RevokeArgs),
    /// Undo a revocation
    Unrevoke(UnrevokeArgs),
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Addresses whose certificates to revoke
    #[arg(required = true)]
    pub emails: Vec<String>,
    /// Why (shown on the verification page and by `certstat verify`)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct UnrevokeArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Addresses whose certificates to reinstate
    #[arg(required = true)]
    pub emails: Vec<String>,
}

fn parse_field(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => {
            crate::terminal::check_text(&format!("the field name '{}'", k.trim()), k, false)?;
            crate::terminal::check_text(&format!("the value of field '{}'", k.trim()), v, true)?;
            Ok((k.trim().to_string(), v.to_string()))
        }
        _ => Err(format!("'{text}' is not KEY=VALUE")),
    }
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// The recipient's email address
    pub email: String,
    /// Display name
    #[arg(long)]
    pub name: Option<String>,
    /// A template field (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// The CSV file, or `-` for standard input (a FIFO or `<(...)` works too); UTF-8 with or without BOM, UTF-16 or a legacy encoding; `,` `;` tab or `|`
    pub file: PathBuf,
    /// The column holding the email address [default: detected from the header]
    #[arg(long, value_name = "COLUMN")]
    pub email_column: Option<String>,
    /// The column holding the name [default: name/full name, or first + last name]
    #[arg(long, value_name = "COLUMN")]
    pub name_column: Option<String>,
    /// The field delimiter [default: sniffed from the header]
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The file's character encoding
    /// (auto: UTF-8, UTF-16 or a detected legacy encoding; or a name such as windows-1250,
    /// shift_jis, gb18030, utf-16le)
    #[arg(long, value_parser = import_csv::parse_encoding, default_value = "auto")]
    pub encoding: Encoding,
    /// Report what would happen; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and report the others
    #[arg(long)]
    pub skip_invalid: bool,
    /// Update name and fields of recipients already on the certificate
    #[arg(long)]
    pub update_existing: bool,
    /// Output format of the summary
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() => Ok(t.as_bytes()[0]),
        _ => Err(format!(
            "'{text}' is not a one-character delimiter (use , ; | or tab)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Only these statuses (repeatable)
    #[arg(long, value_parser = crate::model::StatusParser)]
    pub status: Vec<Status>,
    /// Only addresses or names containing TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only Pending recipients named by a failure notice that could not be classified (they
    /// are kept out of the settle window until reviewed)
    #[arg(long)]
    pub needs_review: bool,
    /// Only recipients who claimed a certificate that expires within this window (e.g. 30d):
    /// those `remind --expiring` notifies
    #[arg(long, value_name = "DURATION", value_parser = clock::parse_duration)]
    pub expiring: Option<chrono::Duration>,
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Do not neutralise formula-like cells in CSV
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// The recipient's address
    pub email: String,
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Addresses to remove
    #[arg(required = true)]
    pub emails: Vec<String>,
    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// The recipient's current address
    pub email: String,
    /// The corrected address (the recipient goes back to Not Sent)
    #[arg(long = "email", value_name = "NEW")]
    pub new_email: Option<String>,
    /// The corrected name
    #[arg(long)]
    pub name: Option<String>,
    /// Set a template field (repeatable); an empty value removes it
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
}

pub fn run(ctx: &mut Ctx, command: RecipientsCommand) -> Result<()> {
    match command {
        RecipientsCommand::Add(a) => add(ctx, a),
        RecipientsCommand::Import(a) => import(ctx, a),
        RecipientsCommand::List(a) => list(ctx, a),
        RecipientsCommand::Show(a) => show(ctx, a),
        RecipientsCommand::Remove(a) => remove(ctx, a),
        RecipientsCommand::Edit(a) => edit(ctx, a),
        RecipientsCommand::Revoke(a) => {
            let reason = a.reason.trim().to_owned();
            if reason.is_empty() || reason.chars().any(char::is_control) {
                bail!("--reason needs a one-line text (it is shown to anyone who verifies)");
            }
            set_revoked(ctx, &a.cert, &a.emails, Some(&reason))
        }
        RecipientsCommand::Unrevoke(a) => set_revoked(ctx, &a.cert, &a.emails, None),
    }
}

/// Record `revoked` (with the reason) or `unrevoked` events; recipients already in that state
/// are left alone.
fn set_revoked(ctx: &mut Ctx, cert: &str, emails: &[String], reason: Option<&str>) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, cert)?;
    let tx = db::write_tx(&mut ctx.conn)?;
    let mut targets = Vec::new();
    for email in emails {
        targets.push(db::recipients::get(&tx, cert.id, email)?);
    }
    let now = clock::now_stamp();
    let detail = match reason {
        Some(r) => EventDetail::Revoked(Revocation {
            reason: Field::Value(r.to_string()),
            ..Revocation::default()
        }),
        None => EventDetail::Unrevoked(Plain::default()),
    };
    let (kind, detail) = (detail.kind(), detail.to_value());
    let mut changed = 0;
    for r in &targets {
        if r.revoked == reason.is_some() {
            ctx.printer.info(format!(
                "<{}> is already {}.",
                r.email,
                if r.revoked { "revoked" } else { "not revoked" }
            ));
            continue;
        }
        db::events::record(
            &tx,
            &NewEvent {
                recipient_id: r.id,
                kind,
                at: &now,
                source: "cli",
                detail: detail.clone(),
                dedup_key: None,
            },
        )?;
        changed += 1;
    }
    tx.commit()?;
    ctx.printer.info(format!(
        "{} {changed} certificate(s) of '{}'.",
        if reason.is_some() {
            "Revoked"
        } else {
            "Reinstated"
        },
        cert.name
    ));
    Ok(())
}

fn add(ctx: &mut Ctx, a: AddArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let email = a.email.trim();
    import_csv::check_email(email).map_err(anyhow::Error::msg)?;
    let mut name = a.name.unwrap_or_default().trim().to_string();
    if let Some(one_line) = import_csv::join_lines(&name) {
        ctx.printer.warn(format!(
            "the name had line breaks: added as '{one_line}', on one line"
        ));
        name = one_line;
    }
    import_csv::check_name(&name).map_err(anyhow::Error::msg)?;
    // Links are derived from the secret: make sure it exists before anyone is added.
    ctx.secret()?;
    // The address check and the insert in one write transaction: no other writer can add the
    // same address in between.
    let tx = db::write_tx(&mut ctx.conn)?;
    if db::recipients::find(&tx, cert.id, email)?.is_some() {
        bail!(
            "<{email}> is already a recipient of '{}' (use `certstat recipients edit` to change them)",
            cert.name
        );
    }
    let fields: Map<String, Value> = a
        .fields
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    db::recipients::insert(&tx, cert.id, email, &name, &fields, &clock::now_stamp())?;
    tx.commit()?;
    ctx.printer
        .info(format!("Added <{email}> to '{}'.", cert.name));
    warn_undrawable(ctx, [(email, name.as_str())]);
    Ok(())
}

/// Warns, naming the characters, about each recipient whose name no available font can draw
/// (their certificate would show empty boxes).
fn warn_undrawable<'a>(ctx: &Ctx, names: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let gaps = crate::render::coverage::undrawable_names(names);
    for (email, missing) in gaps.iter().take(20) {
        ctx.printer.warn(format!(
            "<{email}>: {}; the certificate would show empty boxes",
            crate::render::coverage::describe(missing)
        ));
    }
    if gaps.len() > 20 {
        ctx.printer.warn(format!(
            "{} more recipients have names the fonts cannot draw",
            gaps.len() - 20
        ));
    }
}

fn import(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let opts = ImportOptions {
        email_column: a.email_column,
        name_column: a.name_column,
        delimiter: a.delimiter,
        encoding: a.encoding,
        skip_invalid: a.skip_invalid,
        dry_run: a.dry_run,
        update_existing: a.update_existing,
    };
    ctx.secret()?;
    let bar = if ctx.printer.progress_allowed() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            )
            .expect("a valid progress template"),
        );
        Some(bar)
    } else {
        None
    };
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let now = clock::now_stamp();
    crate::signal::install()?;
    let summary = import_csv::import(&ctx.conn, cert.id, &a.file, &opts, &now, &progress)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // A dry run answers what the real import would do, its refusal included.
    let refused = summary.invalid > 0 && !a.skip_invalid;
    report(ctx, &summary, refused, a.format)?;
    if summary.committed {
        let mut names = Vec::new();
        db::recipients::for_each(
            &ctx.conn,
            cert.id,
            &db::recipients::Filter::default(),
            |r| {
                names.push((r.email, r.name));
                Ok(())
            },
        )?;
        warn_undrawable(ctx, names.iter().map(|(e, n)| (e.as_str(), n.as_str())));
    }
    if summary.invalid > 0 && !summary.committed && (!summary.dry_run || refused) {
        let outcome = if summary.dry_run {
            "the import would refuse the file and import nothing (dry run: nothing written)"
        } else {
            "nothing was imported"
        };
        bail!(
            "{} invalid row(s) in {}: {outcome}. Fix them, or pass --skip-invalid to import the other rows",
            summary.invalid,
            summary.file.display()
        );
    }
    Ok(())
}

/// The summary of an import; `refused` when its invalid rows make the real import refuse the
/// file (so a dry run says "would have added", as the refused import does).
fn report(ctx: &Ctx, s: &Summary, refused: bool, format: Option<Format>) -> Result<()> {
    let p = &ctx.printer;
    let file = s.file.display();
    for warning in s
        .warnings
        .iter()
        .take(if p.verbose > 0 { usize::MAX } else { 50 })
    {
        let col = warning.column.map(|c| format!(":{c}")).unwrap_or_default();
        p.warn(format!("{file}:{}{col}: {}", warning.line, warning.message));
    }
    if s.warnings.len() > 50 && p.verbose == 0 {
        p.warn(format!(
            "… and {} more rows whose names were joined onto one line (-v lists them all)",
            s.warnings.len() - 50
        ));
    }
    // Rows that make the import refuse the file go with its error (printed under -q too); rows
    // skipped by --skip-invalid are warnings about an import that went ahead (not under -q).
    let say = |line: String| {
        if refused {
            p.error_line(line)
        } else {
            p.warn(line)
        }
    };
    for problem in s
        .problems
        .iter()
        .take(if p.verbose > 0 { usize::MAX } else { 50 })
    {
        let col = problem.column.map(|c| format!(":{c}")).unwrap_or_default();
        say(format!("{file}:{}{col}: {}", problem.line, problem.message));
    }
    if s.problems.len() > 50 && p.verbose == 0 {
        say(format!(
            "… and {} more problems (-v lists them all)",
            s.problems.len() - 50
        ));
    }
    let verb = if s.dry_run && !refused {
        "would add"
    } else if s.committed {
        "added"
    } else {
        "would have added"
    };
    p.report(p.format(format), s, || {
        let mut text = format!(
            "{file}: {} rows ({}, delimiter '{}'): {verb} {}, updated {}, unchanged {}, duplicates {}, invalid {}",
            s.rows, s.encoding, s.delimiter, s.added, s.updated, s.unchanged, s.duplicates, s.invalid
        );
        if s.dry_run {
            text.push_str(" (dry run: nothing written)");
        }
        text.push('\n');
        if s.duplicates > 0 {
            text.push_str(&format!(
                "{} address(es) already on the certificate with other details were left as they are; \
                 --update-existing updates them\n",
                s.duplicates
            ));
        }
        text
    })
}

/// The columns every recipient listing has, in every format.
pub const COLUMNS: [&str; 5] = ["email", "name", "status", "status_at", "detail"];

/// The status listing's columns: [`COLUMNS`] and where the status's evidence came from
/// ([`crate::model::evidence_kind`]: smtp, outbox, dsn, imap, provider, settle, web, cli).
pub const LIST_COLUMNS: [&str; 6] = ["email", "name", "status", "status_at", "detail", "evidence"];

/// A recipient as a listing row: cells, and the JSON object when `json` (building it costs
/// more than the whole CSV row, so CSV and table listings skip it).
pub fn row(r: &Recipient, json: bool) -> (Vec<String>, Value) {
    let mut detail = r.detail.clone();
    if r.revoked {
        detail = if detail.is_empty() {
            "revoked".into()
        } else {
            format!("{detail}; revoked")
        };
    }
    let cells = vec![
        r.email.clone(),
        r.name.clone(),
        r.status.as_str().to_string(),
        r.status_at.clone(),
        detail,
    ];
    if !json {
        return (cells, Value::Null);
    }
    let value = json!({
        "email": r.email, "name": r.name, "status": r.status.as_str(), "status_at": r.status_at,
        "detail": r.detail, "unconfirmed": r.unconfirmed, "revoked": r.revoked, "fields": r.fields,
    });
    (cells, value)
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let filter = db::recipients::Filter {
        statuses: a.status,
        search: a.search,
        needs_review: a.needs_review,
    };
    let conn = &ctx.conn;
    // An expired certificate keeps its status, flagged like a revoked one.
    let expired = cert
        .expires_at
        .as_deref()
        .and_then(clock::parse)
        .is_some_and(|t| t <= clock::now());
    let format = ctx.printer.format(a.format);
    let json = format == Format::Json;
    let evidence = db::events::deciding_evidence(conn, cert.id)?;
    let in_window = a.expiring.is_none_or(|w| {
        let now = clock::now();
        cert.expires_at
            .as_deref()
            .and_then(clock::parse)
            .is_some_and(|t| t >= now && t <= now + w)
    });
    ctx.printer.list(format, &LIST_COLUMNS, a.raw, |emit| {
        db::recipients::for_each(conn, cert.id, &filter, |r| {
            if a.expiring.is_some()
                && !(in_window && r.status == crate::model::Status::Claimed && !r.revoked)
            {
                return Ok(());
            }
            let (mut cells, mut value) = row(&r, json);
            let ev = evidence.get(&r.id).copied().unwrap_or("");
            cells.push(ev.to_string());
            if expired {
                cells[4] = if cells[4].is_empty() {
                    "expired".into()
                } else {
                    format!("{}; expired", cells[4])
                };
            }
            if json {
                value["expired"] = json!(expired);
                value["evidence"] = json!(ev);
            }
            emit(cells, value)
        })
    })
}

/// One event as `recipients show` prints it.
fn event_json(e: &crate::model::Event) -> Value {
    json!({
        "id": e.id, "kind": e.kind.as_str(), "at": e.at, "source": e.source,
        "evidence": crate::model::evidence_kind(e), "origin": crate::model::event_origin(e),
        "words": crate::model::event_words(e), "detail": e.detail,
    })
}

fn show(ctx: &mut Ctx, a: ShowArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let Some(r) = db::recipients::find(&ctx.conn, cert.id, &a.email)? else {
        bail!(
            "no recipient <{}> on certificate '{}' (see `certstat recipients list {}`)",
            a.email.trim(),
            cert.name,
            cert.name
        );
    };
    let events = db::events::of_recipient(&ctx.conn, r.id)?;
    let decided = crate::model::deciding_event(&r.created_at, &events);
    let value = json!({
        "certificate": cert.name, "email": r.email, "name": r.name,
        "status": r.status.as_str(), "status_at": r.status_at, "detail": r.detail,
        "unconfirmed": r.unconfirmed, "revoked": r.revoked,
        "decided_by": decided.map(event_json),
        "decided_by_message": decided.and_then(|e| crate::model::sent_message(e, &events)).map(|m| {
            json!({"send_id": m.send_id, "what": m.what, "sent_at": m.at})
        }),
        "timeline": events.iter().map(event_json).collect::<Vec<_>>(),
    });
    let format = ctx.printer.format(a.format);
    ctx.printer
        .object(format, &value, || show_text(&r, decided, &events))
}

/// The table form of `recipients show`.
fn show_text(
    r: &Recipient,
    decided: Option<&crate::model::Event>,
    events: &[crate::model::Event],
) -> String {
    use crate::model::{event_origin, event_words, evidence_kind, sanitize_cell};
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{} <{}>", sanitize_cell(&r.name), r.email);
    let _ = writeln!(
        out,
        "status:     {} since {}",
        r.status.label(),
        r.status_at
    );
    if !r.detail.is_empty() {
        let _ = writeln!(out, "why:        {}", sanitize_cell(&r.detail));
    }
    match decided {
        Some(e) => {
            let _ = writeln!(out, "decided by: {} event #{} at {}", e.kind, e.id, e.at);
            let _ = writeln!(
                out,
                "source:     {} ({})",
                evidence_kind(e),
                sanitize_cell(&event_origin(e))
            );
            if let Some(w) = event_words(e) {
                let _ = writeln!(out, "server said: {}", sanitize_cell(&w));
            }
            if let Some(m) = crate::model::sent_message(e, events) {
                let _ = writeln!(
                    out,
                    "send:       {} sent at {} (send id {})",
                    m.what, m.at, m.send_id
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "decided by: nothing yet (no event has changed the status)"
            );
        }
    }
    let _ = writeln!(out, "timeline:");
    if events.is_empty() {
        let _ = writeln!(out, "  (no events)");
    }
    for e in events {
        let words = event_words(e)
            .map(|w| format!(": {}", sanitize_cell(&w)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {:<12} {:<8} {}{words}",
            e.at,
            e.kind.as_str(),
            evidence_kind(e),
            sanitize_cell(&event_origin(e))
        );
    }
    out
}

fn remove(ctx: &mut Ctx, a: RemoveArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let mut ids = Vec::new();
    for email in &a.emails {
        ids.push(db::recipients::get(&ctx.conn, cert.id, email)?.id);
    }
    let question = format!(
        "Remove {} recipient(s) from '{}' with their history (sends, bounces, claims)?",
        ids.len(),
        cert.name
    );
    if !super::confirm(a.yes, &question, "removing recipients")? {
        ctx.printer
            .info(format!("Not removed: '{}' is unchanged.", cert.name));
        return Ok(());
    }
    // Asked before the write transaction: a prompt does not hold the database's write lock.
    let tx = db::write_tx(&mut ctx.conn)?;
    for id in &ids {
        db::recipients::delete(&tx, *id)?;
    }
    db::recipients::settle_field_keys(&tx, cert.id)?;
    tx.commit()?;
    ctx.printer.info(format!(
        "Removed {} recipient(s) from '{}'.",
        ids.len(),
        cert.name
    ));
    Ok(())
}

fn edit(ctx: &mut Ctx, a: EditArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let tx = db::write_tx(&mut ctx.conn)?;
    let r = db::recipients::get(&tx, cert.id, &a.email)?;
    let now = clock::now_stamp();
    let mut changes = Edit::default();
    if let Some(new) = &a.new_email {
        let new = new.trim();
        import_csv::check_email(new).map_err(anyhow::Error::msg)?;
        if email_key(new) != email_key(&r.email)
            && db::recipients::find(&tx, cert.id, new)?.is_some()
        {
            bail!("<{new}> is already a recipient of '{}'", cert.name);
        }
        if new != r.email {
            db::recipients::update_email(&tx, r.id, new)?;
            changes.old_email = Field::Value(r.email.clone());
            changes.new_email = Field::Value(new.to_string());
        }
    }
    let mut name = r.name.clone();
    if let Some(n) = &a.name {
        let n = n.trim();
        import_csv::check_name(n).map_err(anyhow::Error::msg)?;
        if n != r.name {
            changes.old_name = Field::Value(r.name.clone());
            changes.new_name = Field::Value(n.to_string());
            name = n.to_string();
        }
    }
    let mut fields = r.fields.clone();
    for (k, v) in a.fields {
        let old = fields.get(&k).cloned();
        if v.is_empty() {
            fields.remove(&k);
        } else {
            fields.insert(k.clone(), Value::String(v.clone()));
        }
        if old.as_ref() != fields.get(&k) {
            changes.field_changed(&k, old.as_ref(), fields.get(&k));
        }
    }
    if changes.is_empty() {
        ctx.printer.info("Nothing to change.");
        return Ok(());
    }
    db::recipients::update_details(&tx, &r, &name, &fields)?;
    db::recipients::settle_field_keys(&tx, cert.id)?;
    db::events::record(
        &tx,
        &NewEvent {
            recipient_id: r.id,
            kind: EventKind::Edited,
            at: &now,
            source: "cli",
            detail: EventDetail::Edited(changes.clone()).to_value(),
            dedup_key: None,
        },
    )?;
    tx.commit()?;
    let what = if !changes.new_email.is_absent() {
        " (address changed: back to Not Sent)"
    } else {
        ""
    };
    ctx.printer.info(format!(
        "Updated <{}>{what}.",
        a.new_email.as_deref().unwrap_or(&r.email).trim()
    ));
    Ok(())
}
