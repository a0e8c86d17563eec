//! `certstat send CERT`: mail every Not Sent recipient, crash-safely.
//!
//! The state machine, per recipient: a `send_attempt` event is committed (fsync) by the sending
//! thread, for the small group it is about to write, before the message is handed to the
//! transport; the outcome (`sent`, `bounced`, `send_failed`) is committed with the next group's
//! attempts. A run killed in between leaves the recipient Pending *unconfirmed*, which is only
//! re-sent with `--resend-unconfirmed`; everyone still queued stays Not Sent. One run per
//! certificate at a time (a lock file beside the database), and each recipient's status is
//! re-checked in a transaction before they are queued.

use anyhow::{Context, Result, bail};
use clap::Args;

use super::Ctx;
use crate::db;
use crate::error::Reported;
use crate::mail::compose::Composer;
use crate::mail::outbox::Outbox;
use crate::mail::smtp::{Smtp, SmtpSettings};
use crate::mail::transport::Transport;
use crate::model::{Certificate, EventKind, Recipient};
use crate::output::Format;
use crate::send::outcome::{Handed, Outcome};
pub use crate::send::{Mailing, Summary};
use crate::send::{checks, engine, guardrail, policy, policy::Policy};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Render every message and say who would be mailed; send nothing, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Send at most N messages in this run
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// At most N messages per second (e.g. 5 or 5/s)
    #[arg(long, value_name = "N/s", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Only these recipients (repeatable)
    #[arg(long = "to", value_name = "EMAIL")]
    pub to: Vec<String>,
    /// Also send to soft-bounced recipients (mailbox full, suspended, expired, …)
    #[arg(long)]
    pub retry_bounced: bool,
    /// With --retry-bounced, also send to hard-bounced ones (address or domain does not exist)
    #[arg(long, requires = "retry_bounced")]
    pub include_hard: bool,
    /// Also send to recipients whose earlier send was interrupted before its outcome was
    /// recorded (they may get the message twice)
    #[arg(long)]
    pub resend_unconfirmed: bool,
    /// Parallel SMTP connections [default: [smtp] connections, else 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub connections: Option<u16>,
    /// Format of the final summary
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Refuse to send when a recipient's name has characters no available font can draw
    /// (without it, a warning names them)
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub guard: Guard,
}

/// The options `send` and `remind` share: the suppression list and the guardrail.
#[derive(Debug, Clone, Args)]
pub struct Guard {
    /// Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any
    /// certificate, `certstat suppress list`); `--include-hard` alone lets this certificate's
    /// own hard bounces through
    #[arg(long)]
    pub ignore_suppression: bool,
    /// Stop the run when, after its first 50 outcomes, more than this share of its messages
    /// hard-bounced (a run also stops at its first complaint) [default: [guardrail]
    /// max_hard_bounces, else 5%]
    #[arg(long, value_name = "PERCENT", value_parser = crate::config::parse_percent)]
    pub max_hard_bounces: Option<f64>,
    /// Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over
    /// finish and the rest are postponed, unchanged, to the next run (exit 0)
    #[arg(long, value_name = "DURATION", value_parser = parse_time_limit)]
    pub time_limit: Option<std::time::Duration>,
}

/// `--time-limit`: a duration from 1 s to 7 days.
fn parse_time_limit(s: &str) -> Result<std::time::Duration, String> {
    let d = crate::clock::parse_duration(s)?;
    match d.to_std() {
        Ok(d) if (1..=7 * 86_400).contains(&d.as_secs()) => Ok(d),
        _ => Err(format!(
            "'{s}' is out of range: give a time limit from 1s to 7d, like 30m or 2h"
        )),
    }
}

/// How one run goes: the options `send` and `remind` share.
pub struct RunOptions {
    pub dry_run: bool,
    pub rate: Option<f64>,
    pub connections: Option<u16>,
    pub format: Option<Format>,
    pub strict: bool,
    pub guard: Guard,
}

/// `--rate`: messages per second, from one a day (0.00002) to 100,000.
fn parse_rate(s: &str) -> Result<f64, String> {
    let n = s.trim().trim_end_matches("/s").trim();
    match n.parse::<f64>() {
        Ok(r) if (0.00001..=100_000.0).contains(&r) => Ok(r),
        Ok(r) if r.is_finite() && r > 0.0 => Err(format!(
            "'{s}' is out of range: give 0.00001 to 100000 messages per second"
        )),
        _ => Err(format!(
            "'{s}' is not a rate: write it like 10 or 10/s (messages per second)"
        )),
    }
}

impl SendArgs {
    fn policy(&self) -> Policy {
        Policy {
            retry_bounced: self.retry_bounced,
            include_hard: self.include_hard,
            resend_unconfirmed: self.resend_unconfirmed,
        }
    }
}

pub fn run(ctx: &mut Ctx, a: SendArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let mut summary = Summary {
        certificate: cert.name.clone(),
        dry_run: a.dry_run,
        ..Default::default()
    };
    let policy = a.policy();
    let mut chosen = select(ctx, &cert, &a, &mut summary)?;
    if let Some(n) = a.limit {
        chosen.truncate(n);
    }
    summary.selected = chosen.len() as u64;
    let composer = Composer::new(&cert, &ctx.config, ctx.secret()?)?;
    let mailing = Mailing {
        attempt: EventKind::SendAttempt,
        accepted: EventKind::Sent,
        extra: Default::default(),
        still_eligible: &|_, r| Ok(policy::eligible(r, &policy)),
        resending: &|r| r.unconfirmed,
        verb: "sent",
    };
    let options = RunOptions {
        dry_run: a.dry_run,
        rate: a.rate,
        connections: a.connections,
        format: a.format,
        strict: a.strict,
        guard: a.guard.clone(),
    };
    mail(ctx, &cert, composer, chosen, summary, &mailing, &options)
}

/// Who: every eligible recipient, or those named with `--to`; suppressed addresses left out
/// (and counted) unless the options let them through.
fn select(
    ctx: &Ctx,
    cert: &Certificate,
    a: &SendArgs,
    summary: &mut Summary,
) -> Result<Vec<Recipient>> {
    let policy = a.policy();
    let mut chosen: Vec<Recipient> = Vec::new();
    if a.to.is_empty() {
        db::recipients::for_each(&ctx.conn, cert.id, &Default::default(), |r| {
            if policy::eligible(&r, &policy) {
                chosen.push(r);
            } else if policy::counts_as_skipped(&r) {
                summary.skipped += 1;
            }
            Ok(())
        })?;
    } else {
        for email in &a.to {
            let r = db::recipients::get(&ctx.conn, cert.id, email)?;
            match policy::ineligible(&r, &policy) {
                None if !chosen.iter().any(|c| c.id == r.id) => chosen.push(r),
                None => {}
                Some(why) => {
                    ctx.printer.info(format!("skipping {}: {why}", r.email));
                    summary.skipped += 1;
                }
            }
        }
    }
    let suppressed = db::suppression::all(&ctx.conn)?;
    chosen.retain(|r| {
        let entry = suppressed.get(&crate::model::email_key(&r.email));
        let own_hard = |e: &db::suppression::Entry| {
            a.include_hard && e.cause == db::suppression::Cause::HardBounce
        };
        match entry {
            Some(e) if !a.guard.ignore_suppression && !own_hard(e) => {
                summary.skip_suppressed(&r.email, e);
                false
            }
            _ => true,
        }
    });
    Ok(chosen)
}

/// Mail `chosen` with `composer` through the engine ([`crate::send::engine`]) and print the
/// summary: the checks first (fields, fonts), then a dry run or the run itself under the
/// certificate's run lock. `send` and `remind` both end here.
pub fn mail(
    ctx: &mut Ctx,
    cert: &Certificate,
    composer: Composer,
    chosen: Vec<Recipient>,
    mut summary: Summary,
    mailing: &Mailing<'_>,
    a: &RunOptions,
) -> Result<()> {
    // Ctrl-C and SIGTERM stop the run cleanly: the messages being handed over finish, every
    // outcome is committed, the rest stay Not Sent, the summary is printed.
    crate::signal::install().context("cannot install the signal handlers")?;
    check(ctx, &composer, &chosen, a)?;
    let smtp = ctx
        .config
        .smtp
        .as_ref()
        .map(SmtpSettings::from_config)
        .transpose()?;
    summary.transport = match &smtp {
        Some(s) => format!("smtp {}:{}", s.host, s.port),
        None => format!("outbox {}", ctx.outbox_dir().display()),
    };
    let p = &ctx.printer;
    let fmt = p.format(a.format);
    if a.dry_run {
        summary.verb = mailing.verb;
        for r in &chosen {
            composer
                .compose(r)
                .with_context(|| format!("composing the message to {}", r.email))?;
        }
        if fmt != Format::Json {
            for r in &chosen {
                p.info(format!("would send to {}", r.email));
            }
        }
        return p.report(fmt, &summary, || summary.text());
    }
    let doing = if mailing.attempt == EventKind::RemindAttempt {
        "remind"
    } else {
        "send"
    };
    let _lock = engine::take_lock(&ctx.db_path, cert, doing)?;
    let run = engine::Run {
        db_path: &ctx.db_path,
        transports: transports(ctx, smtp.as_ref(), a)?,
        rate: a.rate,
        max_hard_bounces: guardrail::Limit::of(a.guard.max_hard_bounces, &ctx.config),
        certificate_id: cert.id,
        deadline: a.guard.time_limit.map(|t| std::time::Instant::now() + t),
    };
    let bar = progress_bar(p, chosen.len());
    let mut seen = |m: &Handed, o: &Outcome| {
        p.debug(format!("{}: {}", m.email, o.describe()));
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let result = engine::mail(
        &mut ctx.conn,
        run,
        &composer,
        chosen,
        &mut summary,
        mailing,
        &mut seen,
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    result?;
    p.report(fmt, &summary, || summary.text())?;
    crate::signal::check(|| summary.interrupted())?;
    match summary.failure() {
        Some(why) => Err(Reported(why).into()),
        None => Ok(()),
    }
}

/// What is checked before anything is sent: the templates' warnings, the fields every
/// recipient needs, and names the fonts cannot draw (warned, or refused with `--strict`).
fn check(ctx: &Ctx, composer: &Composer, chosen: &[Recipient], a: &RunOptions) -> Result<()> {
    let p = &ctx.printer;
    if !chosen.is_empty() {
        for w in &composer.warnings {
            p.warn(w);
        }
    }
    checks::fields_present(composer, chosen)?;
    let gaps = checks::undrawable(chosen);
    for (email, chars) in gaps.iter().take(20) {
        p.warn(format!(
            "<{email}>: {}; the certificate would show empty boxes",
            crate::render::coverage::describe(chars)
        ));
    }
    if a.strict && !gaps.is_empty() {
        bail!(
            "{} recipient(s) have names the fonts cannot draw (see above); nothing was sent: add a \
             font with `[render] fonts`, or send without --strict",
            gaps.len()
        );
    }
    Ok(())
}

/// One SMTP transport a connection, or the outbox.
fn transports(
    ctx: &Ctx,
    smtp: Option<&SmtpSettings>,
    a: &RunOptions,
) -> Result<Vec<Box<dyn Transport>>> {
    let connections = a
        .connections
        .map(usize::from)
        .or(ctx.config.smtp.as_ref().and_then(|s| s.connections))
        .unwrap_or(1)
        .clamp(1, 64);
    Ok(match smtp {
        Some(s) => (0..connections)
            .map(|_| Box::new(Smtp::new(s.clone())) as Box<dyn Transport>)
            .collect(),
        None => vec![Box::new(Outbox::open(ctx.outbox_dir())?)],
    })
}

/// The progress bar on a terminal, when there is something to send.
fn progress_bar(p: &crate::output::Printer, len: usize) -> Option<indicatif::ProgressBar> {
    if !p.progress_allowed() || len == 0 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bar:30} {pos}/{len} sent  {rate}  ETA {eta}  {msg}",
        )
        .expect("progress template")
        // indicatif's own {per_sec} shows four decimals ("26.1458/s").
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let rate = state.per_sec();
                let _ = if rate < 10.0 {
                    write!(w, "{rate:.1}/s")
                } else {
                    write!(w, "{rate:.0}/s")
                };
            },
        ),
    );
    Some(bar)
}
