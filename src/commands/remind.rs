//! `certstat remind CERT`: reminders to recipients who were mailed but have not claimed, and
//! (`--expiring 30d`) expiry notices to those who claimed; through `send`'s engine, so with its
//! crash safety, records, suppression list and guardrail.
//!
//! Cron-safe: what was handed over is in the log before the message is written (a
//! `remind_attempt`), and every selection rule reads the log, so an hourly run mails each
//! reminder once: `--max` counts the attempts (an interrupted one counts; a failed one does
//! not), `--after` waits from the last message, and an expiry notice goes once per window.

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;

use super::Ctx;
use super::send::{self, Guard, Mailing, RunOptions, Summary};
use crate::db::{self, reminders::History, suppression};
use crate::mail::compose::{Composer, FollowUp};
use crate::mail::template::Sources;
use crate::model::detail::NoticeKeys;
use crate::model::{Certificate, EventKind, Recipient, Status, email_key};
use crate::output::Format;
use crate::{clock, web};

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Only after this long since the last message to the recipient (first email or reminder)
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_duration)]
    pub after: chrono::Duration,
    /// At most N reminders per recipient, over all runs
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max: u32,
    /// Only recipients who opened a message (a person, not a mail scanner) but did not claim
    #[arg(long, conflicts_with = "expiring")]
    pub opened_not_claimed: bool,
    /// Instead of reminders: expiry notices to recipients who claimed, when the certificate
    /// expires within this window (e.g. 90d, 30d, 7d); once per window
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub expiring: Option<chrono::Duration>,
    /// Also mail again the reminders (or notices of this window) that an interrupted run
    /// handed over without recording their outcome (the recipient may get one twice)
    #[arg(long)]
    pub resend_unconfirmed: bool,
    /// Say who would be mailed; send nothing, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Send at most N messages in this run
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// At most N messages per second (e.g. 5 or 5/s)
    #[arg(long, value_name = "N/s", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Parallel SMTP connections [default: [smtp] connections, else 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub connections: Option<u16>,
    /// Format of the final summary
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub guard: Guard,
}

fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    clock::parse_duration(s)
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let n = s.trim().trim_end_matches("/s").trim();
    match n.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        _ => Err(format!(
            "'{s}' is not a rate: write it like 10 or 10/s (messages per second)"
        )),
    }
}

/// A window as its events record it: whole days as `30d`, else seconds.
pub fn window_label(d: chrono::Duration) -> String {
    let secs = d.num_seconds();
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else {
        format!("{secs}s")
    }
}

/// What one run sends.
enum Kind {
    Reminder {
        opened_only: bool,
    },
    Expiry {
        window: String,
        expires_at: String,
        /// The expiry is not within the window now: nobody is notified.
        outside: bool,
    },
}

/// The composer of a certificate's reminders (`expiry`: of its expiry notices).
pub fn composer(ctx: &Ctx, cert: &Certificate, expiry: bool) -> Result<Composer> {
    let sources = if expiry {
        Sources::expiry(cert)
    } else {
        Sources::reminder(cert)
    };
    let follow_up = follow_up(cert, clock::now());
    Composer::follow_up(cert, &ctx.config, ctx.secret()?, sources, follow_up)
}

/// What a follow-up of `cert` says about its expiry at `now`: the date in the certificate's
/// language, and the whole days until it (the calendar days between the two dates, in UTC).
fn follow_up(cert: &Certificate, now: DateTime<Utc>) -> FollowUp {
    let expires = cert.expires_at.as_deref().and_then(clock::parse);
    let language = web::doc::language(cert).code;
    FollowUp {
        renewal_url: cert.renewal_url.clone().unwrap_or_default(),
        expires_on: expires
            .map(|t| crate::l10n::catalog().date(language, t))
            .unwrap_or_default(),
        days_left: expires
            .map(|t| (t.date_naive() - now.date_naive()).num_days())
            .filter(|d| *d >= 0),
    }
}

/// Whether a recipient's status is one `kind` mails.
fn status_fits(r: &Recipient, kind: &Kind) -> bool {
    !r.revoked
        && match kind {
            // Not while a message may still be on its way (delayed) or looked like a bounce
            // (needs review): a reminder would only add to it.
            Kind::Reminder { .. } => {
                (r.status == Status::Pending
                    && !r.unconfirmed
                    && !r.detail.starts_with(crate::model::NEEDS_REVIEW)
                    && !r.detail.starts_with("delayed"))
                    || r.status == Status::Delivered
            }
            Kind::Expiry { outside, .. } => r.status == Status::Claimed && !outside,
        }
}

/// The follow-up a run of `kind` sends, as histories name it.
fn notice_of(kind: &Kind) -> db::reminders::Notice {
    match kind {
        Kind::Reminder { .. } => None,
        Kind::Expiry {
            window, expires_at, ..
        } => Some((window.clone(), expires_at.clone())),
    }
}

/// Whether the recipient's last message of this kind was handed over by an interrupted run
/// without an outcome: it is mailed again only with `--resend-unconfirmed` (as `send` does).
fn unconfirmed(h: &History, kind: &Kind) -> bool {
    h.unconfirmed.contains(&notice_of(kind))
}

/// Why a recipient whose status fits is not mailed now, from their history.
fn not_now(h: &History, kind: &Kind, a: &RemindArgs, now: DateTime<Utc>) -> Option<&'static str> {
    if unconfirmed(h, kind) {
        // A re-send of the same message: not another reminder for --max or --after.
        return (!a.resend_unconfirmed).then_some(UNCONFIRMED);
    }
    match kind {
        Kind::Reminder { opened_only } => {
            if h.reminders >= a.max {
                return Some("had --max reminders");
            }
            if *opened_only && !h.opened {
                return Some("did not open");
            }
            let last = h.last_mail.as_deref().and_then(clock::parse);
            match last {
                None => Some("never mailed"),
                Some(t) if t + a.after > now => Some("mailed less than --after ago"),
                Some(_) => None,
            }
        }
        Kind::Expiry {
            window, expires_at, ..
        } => h
            .expiry_notices
            .iter()
            .any(|(w, e)| w == window && e == expires_at)
            .then_some("notified for this window already"),
    }
}

const UNCONFIRMED: &str = "an earlier run handed this message over but was interrupted before its \
     outcome was recorded: it may have arrived (re-send with --resend-unconfirmed)";

/// What this run sends: reminders, or the expiry notices of `--expiring` (to nobody when the
/// expiry is not within the window now).
fn kind_of(ctx: &Ctx, cert: &Certificate, a: &RemindArgs, now: DateTime<Utc>) -> Result<Kind> {
    Ok(match a.expiring {
        None => Kind::Reminder {
            opened_only: a.opened_not_claimed,
        },
        Some(window) => {
            let expires = cert.expires_at.as_deref().and_then(clock::parse);
            let outside = expires.is_none_or(|t| t < now || t > now + window);
            match expires {
                // Not an error: a cron line may cover certificates that never expire.
                None => ctx.printer.info(format!(
                    "'{}' has no expiry date: nobody to notify (set one with `certstat cert \
                     edit '{}' --expires DATE`)",
                    cert.name, cert.name
                )),
                Some(t) if outside => ctx.printer.info(format!(
                    "'{}' expires on {}: not within the next {}; nobody to notify",
                    cert.name,
                    web::doc::human_date(t),
                    window_label(window)
                )),
                Some(_) => {}
            }
            Kind::Expiry {
                window: window_label(window),
                expires_at: cert.expires_at.clone().unwrap_or_default(),
                outside,
            }
        }
    })
}

/// The keys every event of the run's messages carries.
fn extra_of(kind: &Kind) -> NoticeKeys {
    match kind {
        Kind::Reminder { .. } => NoticeKeys {
            notice: Some("reminder".into()),
            ..NoticeKeys::default()
        },
        Kind::Expiry {
            window, expires_at, ..
        } => NoticeKeys {
            notice: Some("expiry".into()),
            expiring: Some(window.clone()),
            expires_at: Some(expires_at.clone()),
        },
    }
}

pub fn run(ctx: &mut Ctx, a: RemindArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let now = clock::now();
    let kind = kind_of(ctx, &cert, &a, now)?;
    let histories = ctx.conn.read(|c| db::reminders::histories(c, cert.id))?;
    let suppressed = ctx.conn.read(suppression::all)?;
    let mut summary = Summary {
        certificate: cert.name.clone(),
        dry_run: a.dry_run,
        ..Default::default()
    };
    let mut chosen = Vec::new();
    let mut resending = std::collections::HashSet::new();
    let empty = History::default();
    db::recipients::for_each(&ctx.conn, cert.id, &Default::default(), |r| {
        if !status_fits(&r, &kind) {
            return Ok(());
        }
        let h = histories.get(&r.id).unwrap_or(&empty);
        match not_now(h, &kind, &a, now) {
            Some(UNCONFIRMED) => {
                summary.skip(&r.email, "unconfirmed", UNCONFIRMED);
                return Ok(());
            }
            Some(_) => return Ok(()),
            None => {}
        }
        match suppressed.get(&email_key(&r.email)) {
            Some(e) if !a.guard.ignore_suppression => summary.skip_suppressed(&r.email, e),
            _ => {
                if unconfirmed(h, &kind) {
                    resending.insert(r.id);
                }
                chosen.push(r)
            }
        }
        Ok(())
    })?;
    if let Some(n) = a.limit {
        chosen.truncate(n);
    }
    summary.selected = chosen.len() as u64;
    let composer = composer(ctx, &cert, matches!(kind, Kind::Expiry { .. }))?;
    let extra = extra_of(&kind);
    // Read again where each is queued: another run (one whose choice was made before this
    // one's, or that held the lock while this one chose) may have mailed them since.
    let still = |conn: &rusqlite::Connection, r: &Recipient| -> Result<bool> {
        if !status_fits(r, &kind) {
            return Ok(false);
        }
        let h = db::reminders::history(conn, r.id)?;
        Ok(not_now(&h, &kind, &a, now).is_none())
    };
    let mailing = Mailing {
        attempt: EventKind::RemindAttempt,
        accepted: EventKind::Reminded,
        extra,
        still_eligible: &still,
        resending: &|r| resending.contains(&r.id),
        verb: match kind {
            Kind::Reminder { .. } => "reminded",
            Kind::Expiry { .. } => "notified",
        },
    };
    let options = RunOptions {
        dry_run: a.dry_run,
        rate: a.rate,
        connections: a.connections,
        format: a.format,
        strict: false,
        guard: a.guard.clone(),
    };
    send::mail(ctx, &cert, composer, chosen, summary, &mailing, &options)
}

/// `cert edit`'s options for reminders and expiry notices.
#[derive(Debug, Args)]
pub struct ReminderTemplateArgs {
    /// The reminders' subject template (MiniJinja; `""` for the default)
    #[arg(long, value_name = "TPL")]
    pub reminder_subject: Option<String>,
    /// The reminders' plain-text body template (MiniJinja, with `unsubscribe_url` besides the
    /// first email's variables; an empty file for the default)
    #[arg(long, value_name = "FILE")]
    pub reminder_body: Option<std::path::PathBuf>,
    /// The renewal link of expiry notices (`renewal_url` in their template; `""` for none)
    #[arg(long, value_name = "URL")]
    pub renewal_url: Option<String>,
    /// The expiry notices' subject template (MiniJinja; `""` for the default)
    #[arg(long, value_name = "TPL")]
    pub expiry_subject: Option<String>,
    /// The expiry notices' plain-text body template (MiniJinja, with `expires_on`,
    /// `renewal_url` and `unsubscribe_url` besides the first email's variables; an empty file
    /// for the default)
    #[arg(long, value_name = "FILE")]
    pub expiry_body: Option<std::path::PathBuf>,
}

impl ReminderTemplateArgs {
    pub fn any(&self) -> bool {
        self.reminder_subject.is_some()
            || self.reminder_body.is_some()
            || self.renewal_url.is_some()
            || self.expiry_subject.is_some()
            || self.expiry_body.is_some()
    }
}

/// A body template file of `cert edit` (`what` names it in errors); `None` for an empty one.
fn body_file(path: &std::path::Path, what: &str) -> Result<Option<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the {what} body {}: {e}", path.display()))?;
    Ok((!text.trim().is_empty()).then_some(text))
}

/// Apply `cert edit`'s reminder options to `cert` and save them; the templates are checked
/// first (syntax, with line and column), and nothing is saved when one is wrong.
pub fn edit(
    conn: &rusqlite::Connection,
    cert: &mut Certificate,
    a: &ReminderTemplateArgs,
) -> Result<()> {
    if !a.any() {
        return Ok(());
    }
    let blank = |s: String| (!s.trim().is_empty()).then_some(s);
    if let Some(s) = &a.reminder_subject {
        cert.reminder_subject_tpl = blank(s.clone());
    }
    if let Some(path) = &a.reminder_body {
        cert.reminder_body_tpl = body_file(path, "reminder")?;
    }
    if let Some(s) = &a.expiry_subject {
        cert.expiry_subject_tpl = blank(s.clone());
    }
    if let Some(path) = &a.expiry_body {
        cert.expiry_body_tpl = body_file(path, "expiry notice")?;
    }
    if let Some(u) = &a.renewal_url {
        let u = u.trim();
        if u.is_empty() {
            cert.renewal_url = None;
        } else {
            match url::Url::parse(u) {
                Ok(p) if matches!(p.scheme(), "https" | "http") => {
                    cert.renewal_url = Some(p.to_string())
                }
                _ => bail!(
                    "--renewal-url '{u}' is not a web address: write it like https://acme.example/renew"
                ),
            }
        }
    }
    // The error names the file the failing body was read from, when it was.
    let file = |path: &Option<std::path::PathBuf>, e: &anyhow::Error| {
        use crate::mail::template::{HTML, TEXT, failed_template};
        match path {
            Some(p) if matches!(failed_template(e), Some(TEXT | HTML)) => {
                format!(" in {}", p.display())
            }
            _ => String::new(),
        }
    };
    crate::mail::template::environment(&Sources::reminder(cert))
        .map_err(|e| anyhow::anyhow!("reminder template{}: {e:#}", file(&a.reminder_body, &e)))?;
    crate::mail::template::environment(&Sources::expiry(cert)).map_err(|e| {
        anyhow::anyhow!("expiry notice template{}: {e:#}", file(&a.expiry_body, &e))
    })?;
    db::certs::update_reminders(conn, cert)
}
