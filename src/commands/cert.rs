//! `certstat cert create|list|show|edit|delete`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde_json::json;

use super::{Ctx, confirm};
use crate::model::{Certificate, Status};
use crate::output::{Format, Printer};
use crate::stats::percent;
use crate::{clock, db};

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Create a certificate with its email template and design
    Create(Box<CreateArgs>),
    /// Every certificate: name, recipients, created, sent, claimed %
    List(ListArgs),
    /// The overview: name, issuer, created date, total recipients, status breakdown
    Show(ShowArgs),
    /// Change a certificate's name, issuer, description, templates or design
    Edit(Box<EditArgs>),
    /// Delete a certificate with its recipients and events
    Delete(DeleteArgs),
}

/// Template and design options shared by `create` and `edit`.
#[derive(Debug, Args, Default)]
pub struct TemplateArgs {
    /// Issuing organisation, as shown on the certificate
    #[arg(long)]
    pub issuer: Option<String>,
    /// What the certificate is for
    #[arg(long)]
    pub description: Option<String>,
    /// Email subject template (MiniJinja)
    #[arg(long, value_name = "TPL")]
    pub subject: Option<String>,
    /// Plain-text email body template file (MiniJinja)
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
    /// HTML email body template file (MiniJinja, auto-escaped)
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Certificate design: an SVG template file (MiniJinja)
    #[arg(long, value_name = "FILE.svg")]
    pub design: Option<PathBuf>,
    /// When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it
    #[arg(long, value_name = "DATE", conflicts_with = "valid_for", value_parser = expires_arg)]
    pub expires: Option<String>,
    /// Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)
    #[arg(long, value_name = "DURATION", value_parser = validity_arg)]
    pub valid_for: Option<String>,
    /// Send without the open pixel (opens are then known only from clicks and claims)
    #[arg(long, overrides_with = "open_tracking")]
    pub no_open_tracking: bool,
    /// Send with the open pixel again (the default)
    #[arg(long, overrides_with = "no_open_tracking")]
    pub open_tracking: bool,
    /// Language of the recipient pages, the default email and the certificate's wording: en,
    /// de, fr, es, pt, it, nl, pl or ar (default: `[l10n] default_language`, else en)
    #[arg(long, value_name = "CODE", value_parser = language_arg)]
    pub language: Option<String>,
    /// Recipient pages follow the browser's language (Accept-Language) when certstat has it;
    /// the certificate's language otherwise
    #[arg(long, overrides_with = "no_follow_browser_language")]
    pub follow_browser_language: bool,
    /// Recipient pages always use the certificate's language (the default)
    #[arg(long, overrides_with = "follow_browser_language")]
    pub no_follow_browser_language: bool,
    /// Accept an expiry that has already passed (every credential of the certificate is then
    /// expired)
    #[arg(long)]
    pub force: bool,
}

/// `--valid-for`: a number and d, w, mo or y, added to `from`.
/// A validity period: days, or calendar months.
enum Validity {
    Days(i64),
    Months(u32),
}

/// `90d`, `12w`, `18mo`, `2y`: at most ten years, like every duration certstat takes.
fn parse_validity(text: &str) -> Result<Validity, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let too_long = || format!("'{text}' is longer than ten years (10y), the most certstat accepts");
    if num.is_empty() {
        return Err(format!(
            "'{text}': write a number and a unit, like 90d, 18mo or 2y"
        ));
    }
    let n: u32 = num.parse().map_err(|_| too_long())?;
    let (validity, days) = match unit {
        "d" => (Validity::Days(n.into()), u64::from(n)),
        "w" => (Validity::Days(i64::from(n) * 7), u64::from(n) * 7),
        "mo" => (Validity::Months(n), u64::from(n) * 30),
        "y" => (
            Validity::Months(n.checked_mul(12).ok_or_else(too_long)?),
            u64::from(n) * 365,
        ),
        "" => {
            return Err(format!(
                "'{text}' has no unit: write it like 90d, 18mo or 2y"
            ));
        }
        _ => {
            return Err(format!(
                "'{text}': unknown unit '{unit}' (use d, w, mo or y)"
            ));
        }
    };
    if days > 3653 {
        return Err(too_long());
    }
    Ok(validity)
}

/// A clap value parser for `--language`: a code certstat has (`pt-BR` is `pt`).
fn language_arg(text: &str) -> Result<String, String> {
    crate::l10n::language(text)
        .map(|l| l.code.to_owned())
        .map_err(|e| e.to_string())
}

/// A clap value parser for `--valid-for`.
fn validity_arg(text: &str) -> Result<String, String> {
    parse_validity(text).map(|_| text.trim().to_owned())
}

/// A clap value parser for `--expires`: `never`, a date or an RFC 3339 time.
fn expires_arg(text: &str) -> Result<String, String> {
    if text.trim().eq_ignore_ascii_case("never") {
        return Ok("never".into());
    }
    clock::instant_arg(text).map_err(|e| format!("{e}, or never"))
}

fn add_validity(
    from: chrono::DateTime<chrono::Utc>,
    text: &str,
) -> Result<chrono::DateTime<chrono::Utc>> {
    let end = match parse_validity(text).map_err(|e| anyhow::anyhow!("--valid-for {e}"))? {
        Validity::Days(d) => from.checked_add_signed(chrono::Duration::days(d)),
        Validity::Months(m) => from.checked_add_months(chrono::Months::new(m)),
    };
    end.context("--valid-for reaches beyond the year 9999")
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The certificate's name, e.g. "Intro to Rust"
    pub name: String,
    #[command(flatten)]
    pub templates: TemplateArgs,
    /// Output format of the created certificate [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// New name
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub reminders: super::remind::ReminderTemplateArgs,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
}

pub fn run(ctx: &mut Ctx, command: CertCommand) -> Result<()> {
    match command {
        CertCommand::Create(a) => create(ctx, *a),
        CertCommand::List(a) => list(ctx, a),
        CertCommand::Show(a) => show(ctx, a),
        CertCommand::Edit(a) => edit(ctx, *a),
        CertCommand::Delete(a) => delete(ctx, a),
    }
}

fn read_file(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))
}

/// A template error names the file (`--body`, `--html`) the failing template was read from:
/// `in body.txt: plain-text body template, line 3, column 19: …`.
fn in_file(err: anyhow::Error, t: &TemplateArgs) -> anyhow::Error {
    use crate::mail::template::{HTML, TEXT, failed_template};
    let file = match failed_template(&err) {
        Some(TEXT) => &t.body,
        Some(HTML) => &t.html,
        _ => &None,
    };
    match file {
        Some(path) => err.context(format!("in {}", path.display())),
        None => err,
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        bail!("a certificate needs a name");
    }
    if name.chars().any(char::is_control) {
        bail!("the certificate name contains control characters");
    }
    Ok(())
}

/// Apply template options to a certificate, checking each template.
fn apply(cert: &mut Certificate, t: &TemplateArgs) -> Result<()> {
    if t.no_open_tracking || t.open_tracking {
        cert.open_tracking = t.open_tracking;
    }
    if let Some(code) = &t.language {
        cert.language = Some(code.clone());
    }
    if t.follow_browser_language || t.no_follow_browser_language {
        cert.follow_browser_language = t.follow_browser_language;
    }
    if let Some(v) = &t.issuer {
        crate::terminal::check_text("the issuer", v, false).map_err(anyhow::Error::msg)?;
        cert.issuer = v.trim().to_string();
    }
    if let Some(v) = &t.description {
        crate::terminal::check_text("the description", v, true).map_err(anyhow::Error::msg)?;
        cert.description = v.trim().to_string();
    }
    if let Some(v) = &t.subject {
        cert.subject_tpl = Some(v.clone());
    }
    if let Some(p) = &t.body {
        cert.body_tpl = Some(read_file(p, "body template")?);
    }
    if let Some(p) = &t.html {
        cert.html_tpl = Some(read_file(p, "HTML template")?);
    }
    if let Some(p) = &t.design {
        let svg = read_file(p, "design")?;
        crate::render::check_design(&svg)
            .with_context(|| format!("in the design {}", p.display()))?;
        cert.design_svg = Some(svg);
    }
    if let Some(text) = &t.expires {
        cert.expires_at = if text.trim().eq_ignore_ascii_case("never") {
            None
        } else {
            let at = clock::parse(text).with_context(|| {
                format!("--expires '{text}' is not a date (2027-12-31) or an RFC 3339 time")
            })?;
            Some(clock::stamp(at))
        };
    }
    if let Some(text) = &t.valid_for {
        let created = clock::parse(&cert.created_at).unwrap_or_else(clock::now);
        cert.expires_at = Some(clock::stamp(add_validity(created, text)?));
    }
    if (t.expires.is_some() || t.valid_for.is_some())
        && !t.force
        && let Some(at) = cert.expires_at.as_deref().and_then(clock::parse)
        && at <= clock::now()
    {
        let given = match (&t.expires, &t.valid_for) {
            (Some(e), _) => format!("--expires '{e}'"),
            (None, Some(v)) => format!("--valid-for '{v}' (from {})", cert.created_at),
            (None, None) => unreachable!("checked above"),
        };
        bail!(
            "{given} gives an expiry in the past ({}): every credential would be expired from \
             the start. Give a later date, or add --force if that is what you mean",
            clock::stamp(at)
        );
    }
    Ok(())
}

fn create(ctx: &mut Ctx, a: CreateArgs) -> Result<()> {
    check_name(&a.name)?;
    let mut cert = Certificate::new(&a.name, &clock::now_stamp());
    cert.issuer = ctx.config.issuer.name.clone().unwrap_or_default();
    apply(&mut cert, &a.templates)?;
    let valid = crate::mail::template::validate(&ctx.conn, &cert);
    if let Some(w) = valid.map_err(|e| in_file(e, &a.templates))? {
        ctx.printer.warn(w);
    }
    cert.id = db::certs::insert(&ctx.conn, &cert)?;
    let p = &ctx.printer;
    p.report(p.format(a.format), &cert, || {
        format!("Created certificate '{}' (id {}).\n", cert.name, cert.id)
    })
}

fn edit(ctx: &mut Ctx, a: EditArgs) -> Result<()> {
    let mut cert = db::certs::find(&ctx.conn, &a.cert)?;
    if let Some(name) = &a.name {
        check_name(name)?;
        cert.name = name.trim().to_string();
    }
    apply(&mut cert, &a.templates)?;
    let t = &a.templates;
    if (t.subject.is_some() || t.body.is_some() || t.html.is_some())
        && let Some(w) =
            crate::mail::template::validate(&ctx.conn, &cert).map_err(|e| in_file(e, t))?
    {
        ctx.printer.warn(w);
    }
    super::remind::edit(&ctx.conn, &mut cert, &a.reminders)?;
    db::certs::update(&ctx.conn, &cert)?;
    ctx.printer
        .info(format!("Updated certificate '{}'.", cert.name));
    Ok(())
}

fn delete(ctx: &mut Ctx, a: DeleteArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let n = db::recipients::count(&ctx.conn, cert.id)?;
    let question = format!(
        "Delete '{}' with its {n} recipients and all their events?",
        cert.name
    );
    if !confirm(a.yes, &question, "deleting a certificate")? {
        ctx.printer
            .info(format!("Not deleted: '{}' is unchanged.", cert.name));
        return Ok(());
    }
    db::certs::delete(&ctx.conn, cert.id)?;
    ctx.printer.info(format!(
        "Deleted certificate '{}' and its {n} recipients.",
        cert.name
    ));
    Ok(())
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let certs = db::certs::all(&ctx.conn)?;
    let columns = [
        "id",
        "name",
        "issuer",
        "recipients",
        "sent",
        "claimed",
        "claimed_percent",
        "created",
    ];
    let conn = &ctx.conn;
    ctx.printer.list(ctx.printer.format(a.format), &columns, false, |emit| {
        for c in certs {
            // `sent` as `stats` defines email.sent; all from the `recipients_figures` index.
            let (mut total, mut sent, mut claimed) = (0u64, 0u64, 0u64);
            db::stats::for_each_group(conn, c.id, |status, activity, _, _, n| {
                total += n;
                if activity & db::events::flags::SENT != 0 {
                    sent += n;
                }
                if status == Status::Claimed {
                    claimed += n;
                }
            })?;
            let pct = percent(claimed, total);
            emit(
                vec![
                    c.id.to_string(),
                    c.name.clone(),
                    c.issuer.clone(),
                    total.to_string(),
                    sent.to_string(),
                    claimed.to_string(),
                    format!("{pct:.1}"),
                    c.created_at.clone(),
                ],
                json!({"id": c.id, "name": c.name, "issuer": c.issuer, "recipients": total, "sent": sent,
                       "claimed": claimed, "claimed_percent": pct, "created": c.created_at}),
            )?;
        }
        Ok(())
    })
}

/// The status breakdown as a JSON object keyed by status.
pub fn status_object(counts: &[u64; 5]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (s, n) in Status::ALL.iter().zip(counts) {
        map.insert(s.as_str().to_string(), json!(n));
    }
    serde_json::Value::Object(map)
}

/// The overview box: name, issuer, created date, total recipients, status breakdown.
pub fn overview_text(printer: &Printer, cert: &Certificate, counts: &[u64; 5]) -> String {
    let total: u64 = counts.iter().sum();
    let created = cert.created_at.get(..10).unwrap_or(&cert.created_at);
    let mut head = printer.table(&["Certificate", &crate::model::sanitize_cell(&cert.name)]);
    head.add_row(vec![
        "Issuer".to_string(),
        crate::model::sanitize_cell(&cert.issuer),
    ]);
    head.add_row(vec!["Created".to_string(), created.to_string()]);
    let language = crate::l10n::or_default(cert.language.as_deref());
    head.add_row(vec![
        "Language".to_string(),
        format!(
            "{} ({}){}",
            language.code,
            language.name,
            if cert.follow_browser_language {
                ", pages follow the browser"
            } else {
                ""
            }
        ),
    ]);
    head.add_row(vec!["Total recipients".to_string(), total.to_string()]);
    let mut statuses = printer.table(&["Status", "Recipients", "%"]);
    for (s, n) in Status::ALL.iter().zip(counts) {
        statuses.add_row(vec![
            s.label().to_string(),
            n.to_string(),
            format!("{:.1}%", percent(*n, total)),
        ]);
    }
    format!("{head}\n{statuses}\n")
}

fn show(ctx: &mut Ctx, a: ShowArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let counts = db::certs::status_counts(&ctx.conn, cert.id)?;
    let total: u64 = counts.iter().sum();
    let value = json!({
        "certificate": {"id": cert.id, "name": cert.name, "issuer": cert.issuer,
                        "description": cert.description, "created_at": cert.created_at,
                        "expires_at": cert.expires_at,
                        "language": crate::l10n::or_default(cert.language.as_deref()).code,
                        "follow_browser_language": cert.follow_browser_language},
        "recipients": total,
        "statuses": status_object(&counts),
    });
    let p = &ctx.printer;
    p.object(p.format(a.format), &value, || {
        overview_text(p, &cert, &counts)
    })
}
