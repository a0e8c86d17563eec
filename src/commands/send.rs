//! `certstat send CERT`: mail every Not Sent recipient, crash-safely.
//!
//! The state machine, per recipient: a `send_attempt` event is committed (fsync) by the sending
//! thread, for the small group it is about to write, before the message is handed to the
//! transport; the outcome (`sent`, `bounced`, `send_failed`) is committed with the next group's
//! attempts. A run killed in between leaves the recipient Pending *unconfirmed*, which is only
//! re-sent with `--resend-unconfirmed`; everyone still queued stays Not Sent. One run per
//! certificate at a time (a lock file beside the database), and each recipient's status is
//! re-checked in a transaction before they are queued.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use serde_json::json;

use super::Ctx;
use crate::db;
use crate::error::Reported;
use crate::lock::{self, RunLock};
use crate::mail::compose::{Composer, Outgoing, new_send_id};
use crate::mail::transport::{Outbox, Smtp, SmtpSettings, Transport, Try};
use crate::model::{EventKind, Recipient, Status};
use crate::output::Format;
use crate::send::handover::{self, Mark, Marks};

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
    /// hard-bounced (a run also stops at its first complaint)
    #[arg(long, value_name = "PERCENT", default_value = "5%", value_parser = parse_percent)]
    pub max_hard_bounces: f64,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let n = s.trim().trim_end_matches('%').trim();
    match n.parse::<f64>() {
        Ok(r) if (0.0..=100.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "'{s}' is not a percentage: write it like 5 or 5% (from 0 to 100)"
        )),
    }
}

/// What one run mails and how it is recorded: the first email (`send`) or a reminder
/// (`remind`). The engine ([`mail`]) is the same for both.
pub struct Mailing<'a> {
    /// Committed before a message is handed over: `send_attempt`, `remind_attempt`.
    pub attempt: EventKind,
    /// Recorded when the server accepted the message: `sent`, `reminded`.
    pub accepted: EventKind,
    /// Keys added to every event of the run's messages.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Whether a recipient, read again in the transaction that queues them, is still to be
    /// mailed (another process may have mailed them meanwhile).
    pub still_eligible: &'a dyn Fn(&Recipient) -> bool,
    /// What the summary calls the messages: "sent", "reminded".
    pub verb: &'static str,
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

/// The outcomes a run has before the hard-bounce share can stop it.
pub const GUARDRAIL_AFTER: u64 = 50;

/// The guardrail: what came back for the run's messages so far (refusals at SMTP time, and the
/// bounces and complaints `refresh` or `events import` recorded meanwhile) stops the run when
/// hard bounces exceed the allowed share after [`GUARDRAIL_AFTER`] outcomes, or at the first
/// complaint.
struct Guardrail {
    max_percent: f64,
    certificate_id: i64,
    since: String,
    /// The recipients this run has queued.
    recipients: std::collections::HashSet<i64>,
    checked: Option<Instant>,
}

impl Guardrail {
    /// Why the run must stop, if it must. Reads the log at most twice a second.
    fn check(&mut self, conn: &rusqlite::Connection, outcomes: u64) -> Result<Option<String>> {
        if self
            .checked
            .is_some_and(|t| t.elapsed() < Duration::from_millis(500))
        {
            return Ok(None);
        }
        self.checked = Some(Instant::now());
        let (mut hard, mut complaints) = (std::collections::HashSet::new(), 0u64);
        for (id, kind, detail) in
            db::reminders::feedback_since(conn, self.certificate_id, &self.since)?
        {
            if !self.recipients.contains(&id) {
                continue;
            }
            if kind == "complained" {
                complaints += 1;
            } else if crate::model::bounce_class(&detail) == crate::model::BounceClass::Hard {
                hard.insert(id);
            }
        }
        if complaints > 0 {
            return Ok(Some(format!(
                "guardrail: {complaints} spam complaint(s) arrived for this run's messages;                  mailing on would hurt the sender's reputation (see `certstat events list CERT                  --kind complained`)"
            )));
        }
        let hard = hard.len() as u64;
        let share = 100.0 * hard as f64 / outcomes.max(1) as f64;
        if outcomes >= GUARDRAIL_AFTER && share > self.max_percent {
            return Ok(Some(format!(
                "guardrail: {hard} of this run's {outcomes} messages hard-bounced ({share:.1}%,                  more than the {}% --max-hard-bounces allows); the rest stay as they were: check                  the addresses (`certstat recipients list CERT --status bounced`), then run again",
                self.max_percent
            )));
        }
        Ok(None)
    }
}

/// How the sending threads record outcomes.
struct Recording {
    source: &'static str,
    accepted: EventKind,
    extra: serde_json::Map<String, serde_json::Value>,
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

/// At most this many messages are composed and handed to a sending thread together: the
/// group whose hand-over marks are committed together (see `crate::send::handover`).
const COMPOSE_BATCH: usize = handover::GROUP;

/// The longest an outcome waits before it is committed.
const RECORD_WITHIN: Duration = Duration::from_millis(100);

/// One recipient to mail, with the send id their attempt will carry.
struct Job {
    recipient: Recipient,
    send_id: String,
    message_id: String,
}

/// A composed message waiting for its sending thread; `marked` once its attempt is committed.
struct Ready {
    job: Job,
    message: Result<Outgoing>,
    marked: bool,
}

/// One sending thread's records: the outcomes it has not committed yet, and since when.
struct Unrecorded {
    list: Vec<(Handed, Outcome)>,
    oldest: Option<Instant>,
}

/// Commit the outcomes of `done` and, when `mark`, the hand-over marks of the composed group in
/// `ready` (the group about to be written to the connection), then pass the outcomes on to the
/// main thread. On failure the run stops: nothing unmarked is handed over, and the outcomes
/// not recorded stay unconfirmed.
fn flush(
    marks: &mut Marks,
    ready: &mut std::collections::VecDeque<Ready>,
    done: &mut Unrecorded,
    mark: bool,
    ctx: (&Shared, &Outcomes, &Recording),
) {
    let (shared, outcomes, recording) = ctx;
    let group: Vec<Mark<'_>> = ready
        .iter()
        .filter(|r| mark && !r.marked && r.message.is_ok())
        .map(|r| Mark {
            recipient_id: r.job.recipient.id,
            send_id: &r.job.send_id,
            message_id: &r.job.message_id,
        })
        .collect();
    let records: Vec<handover::Recorded> = done
        .list
        .iter()
        .filter_map(|(m, o)| outcome_event(m, o, recording))
        .collect();
    match marks.commit(&records, &group) {
        Ok(()) if mark => ready.iter_mut().for_each(|r| r.marked = true),
        Ok(()) => {}
        Err(e) => {
            let why = format!("cannot record the send outcomes: {e:#}");
            shared.halt(why.clone());
            for (_, o) in done.list.iter_mut() {
                *o = Outcome::Unknown(why.clone());
            }
        }
    }
    done.oldest = None;
    for o in done.list.drain(..) {
        outcomes.push(o, shared.stop.load(Ordering::SeqCst));
    }
}

/// Whose message an outcome is.
struct Handed {
    recipient_id: i64,
    email: String,
    send_id: String,
    message_id: String,
    /// Pending unconfirmed before this run (a `--resend-unconfirmed`): a failure keeps the mark.
    unconfirmed_before: bool,
}

fn stopped_unexpectedly() -> anyhow::Error {
    anyhow::anyhow!("the sending threads stopped unexpectedly")
}

/// Outcomes from the sending threads to the main thread, which sleeps until it wants them.
struct Outcomes {
    state: Mutex<Arrived>,
    ready: Condvar,
}

struct Arrived {
    list: Vec<(Handed, Outcome)>,
    /// The main thread is woken when this many outcomes are waiting.
    wanted: usize,
    /// Sending threads still running.
    running: usize,
}

impl Outcomes {
    /// Hand over an outcome; wake the main thread when it is the one it waits for, or when the
    /// run is stopping.
    fn push(&self, outcome: (Handed, Outcome), stopping: bool) {
        let mut s = self.state.lock().expect("outcomes");
        s.list.push(outcome);
        if s.list.len() == s.wanted || stopping {
            self.ready.notify_one();
        }
    }
}

/// Held by a sending thread while it runs: its end (also by a panic) wakes the main thread.
struct Running<'a>(&'a Outcomes);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut s = self
            .0
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.running -= 1;
        self.0.ready.notify_one();
    }
}

/// What became of one message.
#[derive(Debug)]
enum Outcome {
    Sent(String),
    Bounced {
        status: String,
        reason: String,
        phase: &'static str,
        hard: bool,
    },
    Failed(String),
    /// Handed over, but whether it was accepted is unknown: stays Pending unconfirmed.
    Unknown(String),
    /// Never handed over because the run stopped.
    NotAttempted(String),
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub certificate: String,
    pub transport: String,
    pub dry_run: bool,
    pub selected: u64,
    pub sent: u64,
    pub bounced: u64,
    pub failed: u64,
    pub unconfirmed: u64,
    pub skipped: u64,
    /// Skipped because their address is on the suppression list (also counted in `skipped`).
    pub suppressed: u64,
    pub stopped: Option<String>,
    /// What the text calls an accepted message ("sent" when empty).
    #[serde(skip)]
    pub verb: &'static str,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    pub email: String,
    pub outcome: &'static str,
    pub detail: String,
}

impl Summary {
    /// A recipient skipped because their address is suppressed: counted, and the reason shown.
    pub fn skip_suppressed(&mut self, email: &str, e: &db::suppression::Entry) {
        self.skipped += 1;
        self.suppressed += 1;
        self.problem(
            email,
            "suppressed",
            &format!(
                "{} (`certstat suppress remove {email}` or --ignore-suppression to mail it)",
                e.reason
            ),
        );
    }

    fn problem(&mut self, email: &str, outcome: &'static str, detail: &str) {
        if self.problems.len() < 1000 {
            self.problems.push(Problem {
                email: email.to_string(),
                outcome,
                detail: detail.to_string(),
            });
        }
    }

    fn text(&self) -> String {
        let mut s = if self.dry_run {
            format!(
                "Dry run: {} message(s) would be sent for '{}' via {}; {} skipped. Nothing was sent or recorded.\n",
                self.selected, self.certificate, self.transport, self.skipped
            )
        } else {
            format!(
                "'{}' via {}: {} {}, bounced {}, failed {}, skipped {}{}.\n",
                self.certificate,
                self.transport,
                if self.verb.is_empty() {
                    "sent"
                } else {
                    self.verb
                },
                self.sent,
                self.bounced,
                self.failed,
                self.skipped,
                if self.unconfirmed > 0 {
                    format!(", unconfirmed {}", self.unconfirmed)
                } else {
                    String::new()
                }
            )
        };
        for p in self.problems.iter().take(20) {
            s.push_str(&format!("  {} {}: {}\n", p.outcome, p.email, p.detail));
        }
        if self.problems.len() > 20 {
            s.push_str(&format!(
                "  … and {} more (`certstat recipients list CERT --status not-sent --status bounced`)\n",
                self.problems.len() - 20
            ));
        }
        if let Some(why) = &self.stopped {
            s.push_str(&format!("Stopped early: {why}\n"));
        }
        if self.failed > 0 {
            s.push_str("Failed recipients are Not Sent again, with the last error: run `certstat send` again to retry them.\n");
        }
        if self.unconfirmed > 0 {
            s.push_str(
                "Unconfirmed recipients may or may not have received the message; they are only re-sent with --resend-unconfirmed.\n",
            );
        }
        s
    }
}

/// Why a recipient is not mailed now, or None when they are.
fn ineligible(r: &Recipient, a: &SendArgs) -> Option<&'static str> {
    if r.revoked {
        return Some("revoked");
    }
    match r.status {
        Status::NotSent => None,
        Status::Bounced if crate::model::is_hard_bounce(&r.detail) => {
            if a.retry_bounced && a.include_hard {
                None
            } else {
                Some("hard-bounced (use --retry-bounced --include-hard)")
            }
        }
        Status::Bounced if a.retry_bounced => None,
        Status::Bounced => Some("soft-bounced (use --retry-bounced)"),
        Status::Pending if r.unconfirmed && a.resend_unconfirmed => None,
        Status::Pending if r.unconfirmed => Some(
            "an earlier send was interrupted before its outcome was recorded (use --resend-unconfirmed)",
        ),
        Status::Pending => Some("already sent"),
        Status::Delivered => Some("already delivered"),
        Status::Claimed => Some("already claimed"),
    }
}

fn take_lock(ctx: &Ctx, cert_id: i64, cert_name: &str) -> Result<RunLock> {
    let path = lock::path_beside(&ctx.db_path, &format!(".send-{cert_id}.lock"));
    match RunLock::try_take(&path)? {
        Ok(lock) => Ok(lock),
        Err(held) => bail!(
            "another `certstat send` is already sending '{cert_name}'{}: two runs at once could mail \
             someone twice, so this one stops here; wait for it to finish (lock file {})",
            held.holder
                .map(|pid| format!(" (process {pid})"))
                .unwrap_or_default(),
            path.display()
        ),
    }
}

/// Messages per second, shared by the workers.
struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    fn wait(&self) {
        let at = {
            let mut next = self.next.lock().expect("pacer lock");
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval;
            at
        };
        let now = Instant::now();
        if at > now {
            std::thread::sleep(at - now);
        }
    }
}

/// Backoff before retries of temporary failures: base, 4×base, 16×base (base 1 s, or
/// `CERTSTAT_SEND_BACKOFF_MS`).
fn backoff() -> Vec<Duration> {
    let base = std::env::var("CERTSTAT_SEND_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000u64);
    [1, 4, 16]
        .iter()
        .map(|m| Duration::from_millis(base * m))
        .collect()
}

struct Shared {
    stop: AtomicBool,
    why: Mutex<Option<String>>,
    pacer: Option<Pacer>,
    delays: Vec<Duration>,
    /// Per recipient domain: how many recipients in a row ended with a temporary failure
    /// after every retry, and the last error.
    domains: Mutex<std::collections::HashMap<String, (u32, String)>>,
}

/// After this many recipients of one domain in a row fail temporarily after every retry, the
/// run puts the domain aside: its other recipients are left Not Sent without being tried
/// (each would cost the whole backoff again), and the rest of the run goes on.
const DEFER_DOMAIN_AFTER: u32 = 3;

/// The domain of an address, lower-cased (what deferral is counted by).
fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_ascii_lowercase()
}

impl Shared {
    /// The reason `domain` is put aside, when it is.
    fn deferred(&self, domain: &str) -> Option<String> {
        let domains = self.domains.lock().unwrap_or_else(|e| e.into_inner());
        domains
            .get(domain)
            .filter(|(n, _)| *n >= DEFER_DOMAIN_AFTER)
            .map(|(n, last)| {
                format!(
                    "not tried: {domain} answered with temporary failures for {n} recipients in a \
                     row ({last}); put aside for this run, run send again later"
                )
            })
    }

    /// Count an outcome for its domain: a temporary failure adds one, anything else clears.
    fn count_domain(&self, domain: &str, temporary_failure: Option<&str>) {
        let mut domains = self.domains.lock().unwrap_or_else(|e| e.into_inner());
        match temporary_failure {
            Some(e) => {
                let entry = domains.entry(domain.to_owned()).or_default();
                entry.0 += 1;
                entry.1 = e.to_owned();
            }
            None => {
                domains.remove(domain);
            }
        }
    }

    fn halt(&self, why: String) {
        let mut w = self.why.lock().expect("stop reason");
        if w.is_none() {
            *w = Some(why);
        }
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Hand one message over, retrying temporary failures with backoff. `next`: the message this
/// thread hands over after it, which the transport may start on early.
fn deliver(
    t: &mut dyn Transport,
    m: &Outgoing,
    next: Option<&Outgoing>,
    shared: &Shared,
) -> Outcome {
    if shared.stop.load(Ordering::SeqCst) {
        return Outcome::NotAttempted(format!(
            "not sent: the run stopped ({})",
            shared
                .why
                .lock()
                .expect("stop reason")
                .clone()
                .unwrap_or_default()
        ));
    }
    let domain = domain_of(&m.email);
    if let Some(why) = shared.deferred(&domain) {
        return Outcome::Failed(why);
    }
    if let Some(p) = &shared.pacer {
        p.wait();
    }
    let outcome = try_with_backoff(t, m, next, shared);
    let temporary = match &outcome {
        Outcome::Failed(e) if !shared.stop.load(Ordering::SeqCst) => Some(e.as_str()),
        _ => None,
    };
    shared.count_domain(&domain, temporary);
    outcome
}

/// [`deliver`]'s tries: temporary failures retried after each of `shared.delays`.
fn try_with_backoff(
    t: &mut dyn Transport,
    m: &Outgoing,
    next: Option<&Outgoing>,
    shared: &Shared,
) -> Outcome {
    let mut tries = 0;
    loop {
        match t.try_send(m, next) {
            Try::Accepted(reply) => return Outcome::Sent(reply),
            Try::Refused {
                status,
                reason,
                phase,
                hard,
            } => {
                return Outcome::Bounced {
                    status,
                    reason,
                    phase,
                    hard,
                };
            }
            Try::Unknown(e) => return Outcome::Unknown(e),
            Try::Fatal(e) => {
                shared.halt(e.clone());
                return Outcome::Failed(e);
            }
            Try::Unreachable(e) if tries >= shared.delays.len() => {
                shared.halt(e.clone());
                return Outcome::Failed(e);
            }
            Try::Temporary(e) if tries >= shared.delays.len() => return Outcome::Failed(e),
            Try::Temporary(_) | Try::Unreachable(_) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return Outcome::NotAttempted("not sent: the run stopped".into());
                }
                std::thread::sleep(shared.delays[tries]);
                tries += 1;
            }
        }
    }
}

pub fn run(ctx: &mut Ctx, a: SendArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let p = &ctx.printer;

    // Who: every eligible recipient, or those named.
    let mut summary = Summary {
        certificate: cert.name.clone(),
        dry_run: a.dry_run,
        ..Default::default()
    };
    let mut chosen: Vec<Recipient> = Vec::new();
    if a.to.is_empty() {
        db::recipients::for_each(&ctx.conn, cert.id, &Default::default(), |r| {
            match ineligible(&r, &a) {
                None => chosen.push(r),
                Some(_) if r.revoked || r.status == Status::Bounced || r.unconfirmed => {
                    summary.skipped += 1
                }
                Some(_) => {}
            }
            Ok(())
        })?;
    } else {
        for email in &a.to {
            let r = db::recipients::get(&ctx.conn, cert.id, email)?;
            match ineligible(&r, &a) {
                None if !chosen.iter().any(|c| c.id == r.id) => chosen.push(r),
                None => {}
                Some(why) => {
                    p.info(format!("skipping {}: {why}", r.email));
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
    if let Some(n) = a.limit {
        chosen.truncate(n);
    }
    summary.selected = chosen.len() as u64;
    let composer = Composer::new(&cert, &ctx.config, ctx.secret()?)?;
    let mailing = Mailing {
        attempt: EventKind::SendAttempt,
        accepted: EventKind::Sent,
        extra: Default::default(),
        still_eligible: &|r| ineligible(r, &a).is_none(),
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

/// The engine of `send` and `remind`: mail `chosen` (already selected, each re-checked with
/// `mailing.still_eligible` before being queued) with `composer`, crash-safely, recording
/// `mailing`'s events, and print the summary.
pub fn mail(
    ctx: &mut Ctx,
    cert: &crate::model::Certificate,
    composer: Composer,
    chosen: Vec<Recipient>,
    mut summary: Summary,
    mailing: &Mailing<'_>,
    a: &RunOptions,
) -> Result<()> {
    let p = &ctx.printer;
    summary.verb = mailing.verb;
    // Ctrl-C and SIGTERM stop the run cleanly (below): the messages being handed over finish,
    // every outcome is committed, the rest stay Not Sent, the summary is printed.
    crate::signal::install().context("cannot install the signal handlers")?;
    // Check everything that can be checked before anything is sent.
    if !chosen.is_empty() {
        for w in &composer.warnings {
            p.warn(w);
        }
    }
    let needed = composer.needed_fields()?;
    if !needed.is_empty() {
        let mut missing: Vec<(String, Vec<String>)> = Vec::new();
        for r in &chosen {
            let m = composer.missing_fields(r)?;
            if !m.is_empty() {
                missing.push((r.email.clone(), m));
            }
        }
        if !missing.is_empty() {
            let fields: std::collections::BTreeSet<&String> =
                missing.iter().flat_map(|(_, m)| m).collect();
            let who: Vec<&str> = missing.iter().take(5).map(|(e, _)| e.as_str()).collect();
            bail!(
                "the templates use the field(s) {} which {} recipient(s) do not have ({}{}); nothing was \
                 sent: add the column (`certstat recipients edit CERT EMAIL --field KEY=VALUE`, or \
                 re-import with --update-existing) or change the template (`certstat cert edit`)",
                fields
                    .iter()
                    .map(|f| format!("'{f}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                missing.len(),
                who.join(", "),
                if missing.len() > 5 { ", …" } else { "" }
            );
        }
    }

    let gaps = crate::render::coverage::undrawable_names(
        chosen.iter().map(|r| (r.email.as_str(), r.name.as_str())),
    );
    for (email, chars) in gaps.iter().take(20) {
        p.warn(format!(
            "<{email}>: {}; the certificate would show empty boxes",
            crate::render::coverage::describe(chars)
        ));
    }
    if a.strict && !gaps.is_empty() {
        bail!(
            "{} recipient(s) have names the fonts cannot draw (see above); nothing was sent: add a              font with `[render] fonts`, or send without --strict",
            gaps.len()
        );
    }

    let connections = a
        .connections
        .map(usize::from)
        .or(ctx.config.smtp.as_ref().and_then(|s| s.connections))
        .unwrap_or(1)
        .clamp(1, 64);
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

    if a.dry_run {
        for r in &chosen {
            composer
                .compose(r)
                .with_context(|| format!("composing the message to {}", r.email))?;
        }
        let fmt = p.format(a.format);
        if fmt != Format::Json {
            for r in &chosen {
                p.info(format!("would send to {}", r.email));
            }
        }
        return p.report(fmt, &summary, || summary.text());
    }

    let _lock = take_lock(ctx, cert.id, &cert.name)?;
    let mut guard = Guardrail {
        max_percent: a.guard.max_hard_bounces,
        certificate_id: cert.id,
        since: crate::clock::now_stamp(),
        recipients: Default::default(),
        checked: None,
    };
    let mut transports: Vec<Box<dyn Transport>> = match &smtp {
        Some(s) => (0..connections)
            .map(|_| Box::new(Smtp::new(s.clone())) as Box<dyn Transport>)
            .collect(),
        None => vec![Box::new(Outbox::open(ctx.outbox_dir())?)],
    };
    let source = transports[0].name();
    db::sends::durable(&ctx.conn)?;
    let marks = transports
        .iter()
        .map(|_| Marks::open(&ctx.db_path, source, mailing.attempt, mailing.extra.clone()))
        .collect::<Result<Vec<_>>>()?;

    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        why: Mutex::new(None),
        pacer: a.rate.map(|r| Pacer {
            interval: Duration::from_secs_f64(1.0 / r),
            next: Mutex::new(Instant::now()),
        }),
        delays: backoff(),
        domains: Mutex::new(std::collections::HashMap::new()),
    });
    let bar = if p.progress_allowed() && !chosen.is_empty() {
        let bar = indicatif::ProgressBar::new(chosen.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:30} {pos}/{len} sent  {per_sec}  ETA {eta}  {msg}",
            )
            .expect("progress template"),
        );
        Some(bar)
    } else {
        None
    };

    // At most `window` messages are queued-but-unresolved at any time. Each refill re-checks
    // the next recipients in a transaction that also commits the outcomes received so far,
    // when the window is half empty; outcomes alone are committed when half a window of them
    // is waiting, when nothing is in flight any more, when the run stops, or at the latest
    // `RECORD_WITHIN` after the oldest arrived. Queued messages carry no attempt yet: each
    // sending thread commits the attempts of the group it is about to write (`mark_group`), so
    // a crash leaves at most one group a connection Pending unconfirmed, and everyone queued
    // behind it Not Sent.
    // The window is what lets a fast server go on while an fsync runs: half a window of
    // messages is queued when a commit starts. 128 a connection (512, the most, from 4).
    let window = (128 * transports.len()).clamp(128, 512);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(window);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let senders = transports.len();
    let outcomes = Outcomes {
        state: Mutex::new(Arrived {
            list: Vec::new(),
            wanted: 1,
            running: senders,
        }),
        ready: Condvar::new(),
    };

    let conn = &mut ctx.conn;
    let composer = &composer;
    let outcomes = &outcomes;
    let recording = &Recording {
        source,
        accepted: mailing.accepted,
        extra: mailing.extra.clone(),
    };
    let result = std::thread::scope(|scope| -> Result<()> {
        for (t, mut marks) in transports.iter_mut().zip(marks) {
            let job_rx = Arc::clone(&job_rx);
            let shared = Arc::clone(&shared);
            // Each connection has a composing thread ahead of it, so that the next messages are
            // rendered while this one waits for the server's reply. Its end (the end of the
            // jobs, or a panic) ends the sending thread. It hands messages over in batches
            // (the jobs waiting when it looks, at most `COMPOSE_BATCH`), one batch ready while
            // the sending thread works through another: each hand-over between the two threads
            // can cost a wake-up and a context switch, and at a fast server those were a
            // large part of a message's CPU. Within a batch the sending thread also finds the
            // next message ready, to tell the transport about (see `deliver`).
            let (composed_tx, composed_rx) = mpsc::sync_channel::<Vec<(Job, Result<Outgoing>)>>(1);
            scope.spawn(move || {
                loop {
                    let mut jobs = Vec::with_capacity(COMPOSE_BATCH);
                    {
                        let queue = job_rx.lock().expect("job queue");
                        let Ok(job) = queue.recv() else { break };
                        jobs.push(job);
                        while jobs.len() < COMPOSE_BATCH {
                            let Ok(job) = queue.try_recv() else { break };
                            jobs.push(job);
                        }
                    }
                    let batch = jobs
                        .into_iter()
                        .map(|job| {
                            let m = composer.compose_as(&job.recipient, job.send_id.clone());
                            (job, m)
                        })
                        .collect();
                    if composed_tx.send(batch).is_err() {
                        break;
                    }
                }
            });
            scope.spawn(move || {
                let _running = Running(outcomes);
                let mut ready = std::collections::VecDeque::new();
                let unmarked = |batch: Vec<(Job, Result<Outgoing>)>| {
                    batch.into_iter().map(|(job, message)| Ready {
                        job,
                        message,
                        marked: false,
                    })
                };
                let mut done = Unrecorded {
                    list: Vec::new(),
                    oldest: None,
                };
                let records = (&*shared, outcomes, recording);
                loop {
                    if ready.is_empty() {
                        if !done.list.is_empty() {
                            flush(&mut marks, &mut ready, &mut done, false, records);
                        }
                        match composed_rx.recv() {
                            Ok(batch) => ready.extend(unmarked(batch)),
                            Err(_) => break,
                        }
                    }
                    // The group this message belongs to is marked before its first message's
                    // data is written (a message written ahead is only its envelope), in the
                    // commit of the previous group's outcomes; outcomes also wait at most
                    // `RECORD_WITHIN` (a slow or paced run), and none when the run stops.
                    let stopping = shared.stop.load(Ordering::SeqCst);
                    let mark = ready.front().is_some_and(|r| !r.marked) && !stopping;
                    let due = done.oldest.is_some_and(|t| t.elapsed() >= RECORD_WITHIN);
                    if mark || (!done.list.is_empty() && (stopping || due)) {
                        flush(&mut marks, &mut ready, &mut done, mark, records);
                    }
                    let Some(Ready {
                        job,
                        message: m,
                        marked,
                    }) = ready.pop_front()
                    else {
                        continue;
                    };
                    // The message after this one, when it is composed already (not waited
                    // for), and not under --rate: the transport may start its transaction
                    // behind this one's data, which a paced run would hold open while pacing.
                    if ready.is_empty()
                        && let Ok(batch) = composed_rx.try_recv()
                    {
                        ready.extend(unmarked(batch));
                    }
                    let next = ready
                        .front()
                        .filter(|_| shared.pacer.is_none())
                        .and_then(|n: &Ready| n.message.as_ref().ok());
                    let outcome = match &m {
                        Ok(_) if !marked => Outcome::NotAttempted(format!(
                            "not sent: the run stopped ({})",
                            shared
                                .why
                                .lock()
                                .expect("stop reason")
                                .clone()
                                .unwrap_or_default()
                        )),
                        Ok(m) => deliver(t.as_mut(), m, next, &shared),
                        Err(e) => Outcome::Failed(format!("{e:#}")),
                    };
                    let handed = Handed {
                        recipient_id: job.recipient.id,
                        unconfirmed_before: job.recipient.unconfirmed,
                        email: job.recipient.email,
                        send_id: job.send_id,
                        message_id: job.message_id,
                    };
                    done.list.push((handed, outcome));
                    done.oldest.get_or_insert_with(Instant::now);
                }
                flush(&mut marks, &mut ready, &mut done, false, records);
                t.close();
            });
        }
        let job_tx = job_tx; // dropped at the end of this closure: workers finish
        let mut queue = chosen.into_iter();
        let mut in_flight = 0usize;
        let mut done: Vec<(Handed, Outcome)> = Vec::new();
        // When the oldest outcome in `done` arrived.
        let mut oldest: Option<Instant> = None;
        let mut exhausted = false;
        loop {
            if let Err(stopped) = crate::signal::check(|| {
                "the messages being handed over finished; the rest are Not Sent".into()
            }) {
                shared.halt(stopped.to_string());
            }
            let stopping = shared.stop.load(Ordering::SeqCst);
            let refill = !exhausted && !stopping && in_flight <= window / 2;
            let record = !done.is_empty()
                && (refill
                    || stopping
                    || in_flight == 0
                    || done.len() >= window / 2
                    || oldest.is_some_and(|t| t.elapsed() >= RECORD_WITHIN));
            // Count the outcomes the sending threads recorded; queue the next recipients,
            // re-checked in a transaction.
            let mut batch: Vec<Job> = Vec::new();
            if record {
                for (m, outcome) in done.drain(..) {
                    p.debug(format!("{}: {}", m.email, outcome.describe()));
                    count_outcome(&m, &outcome, &mut summary);
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                }
                oldest = None;
                let outcomes =
                    summary.sent + summary.bounced + summary.failed + summary.unconfirmed;
                if let Some(why) = guard.check(conn, outcomes)? {
                    shared.halt(why);
                }
            }
            if refill {
                let tx = db::write_tx(conn)?;
                while refill
                    && !exhausted
                    && !shared.stop.load(Ordering::SeqCst)
                    && in_flight + batch.len() < window
                {
                    let Some(r) = queue.next() else {
                        exhausted = true;
                        break;
                    };
                    // Re-check in this transaction: another process may have mailed them.
                    let Some(current) = db::recipients::by_id(&tx, r.id)? else {
                        continue;
                    };
                    if !(mailing.still_eligible)(&current) {
                        summary.skipped += 1;
                        continue;
                    }
                    guard.recipients.insert(current.id);
                    let send_id = new_send_id();
                    let message_id = composer.message_id(&send_id);
                    batch.push(Job {
                        recipient: current,
                        send_id,
                        message_id,
                    });
                }
                tx.commit()?;
            }
            for job in batch {
                in_flight += 1;
                job_tx
                    .send(job)
                    .map_err(|_| anyhow::anyhow!("the sending threads stopped unexpectedly"))?;
            }
            if in_flight == 0 {
                if exhausted || shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                continue;
            }
            // Sleep until enough outcomes have arrived for the next commit (a refill, half a
            // window, or the last ones), the run stops, or the oldest outcome is due.
            let wanted = if exhausted {
                in_flight.min(window / 2)
            } else {
                in_flight.saturating_sub(window / 2)
            }
            .max(1);
            let wait = oldest.map_or(RECORD_WITHIN, |t| RECORD_WITHIN.saturating_sub(t.elapsed()));
            let mut arrived = outcomes.state.lock().expect("outcomes");
            arrived.wanted = wanted;
            let (mut arrived, _) = outcomes
                .ready
                .wait_timeout_while(arrived, wait, |s| {
                    s.list.len() < s.wanted
                        && s.running == senders
                        && !shared.stop.load(Ordering::SeqCst)
                })
                .expect("outcomes");
            let n = arrived.list.len();
            if arrived.running < senders {
                // Only the end of the jobs (below) ends a sending thread; this one panicked.
                return Err(stopped_unexpectedly());
            }
            in_flight -= n;
            done.append(&mut arrived.list);
            drop(arrived);
            if n > 0 {
                oldest.get_or_insert_with(Instant::now);
            }
        }
        drop(job_tx);
        Ok(())
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    result?;
    summary.stopped = shared.why.lock().expect("stop reason").clone();

    let fmt = p.format(a.format);
    p.report(fmt, &summary, || summary.text())?;
    crate::signal::check(|| {
        format!(
            "{} sent, {} left Not Sent{}; run the command again to go on",
            summary.sent,
            summary.failed,
            if summary.unconfirmed > 0 {
                format!(", {} unconfirmed", summary.unconfirmed)
            } else {
                String::new()
            }
        )
    })?;
    if summary.failed > 0 || summary.unconfirmed > 0 {
        return Err(Reported(format!(
            "{} recipient(s) failed{}",
            summary.failed,
            if summary.unconfirmed > 0 {
                format!(", {} unconfirmed", summary.unconfirmed)
            } else {
                String::new()
            }
        ))
        .into());
    }
    Ok(())
}

/// The event recording an outcome (none for an unknown one: the attempt stays unconfirmed).
fn outcome_event(m: &Handed, outcome: &Outcome, rec: &Recording) -> Option<handover::Recorded> {
    let source = rec.source;
    let (kind, mut detail) = match outcome {
        Outcome::Sent(reply) => (
            rec.accepted,
            json!({"transport": source, "send_id": m.send_id, "message_id": m.message_id, "reply": reply}),
        ),
        Outcome::Bounced {
            status,
            reason,
            phase,
            hard,
        } => (
            EventKind::Bounced,
            json!({"status": status, "reason": reason, "hard": hard, "phase": phase,
                   "send_id": m.send_id, "message_id": m.message_id}),
        ),
        Outcome::Failed(error) | Outcome::NotAttempted(error) => {
            let mut detail = json!({"error": error, "send_id": m.send_id});
            if m.unconfirmed_before {
                // Still unconfirmed: whether the interrupted earlier send arrived is unknown.
                detail["unconfirmed_before"] = json!(true);
            }
            (EventKind::SendFailed, detail)
        }
        Outcome::Unknown(_) => return None,
    };
    for (k, v) in &rec.extra {
        detail[k] = v.clone();
    }
    Some(handover::Recorded {
        recipient_id: m.recipient_id,
        kind,
        detail,
    })
}

/// Count an outcome (recorded already by its sending thread) in the summary.
impl Outcome {
    /// One line for `-v`.
    fn describe(&self) -> String {
        match self {
            Outcome::Sent(reply) => format!("sent ({reply})"),
            Outcome::Bounced { status, reason, .. } => format!("bounced {status}: {reason}"),
            Outcome::Failed(e) => format!("failed: {e}"),
            Outcome::NotAttempted(e) => format!("not attempted: {e}"),
            Outcome::Unknown(e) => format!("unconfirmed: {e}"),
        }
    }
}

fn count_outcome(m: &Handed, outcome: &Outcome, summary: &mut Summary) {
    match outcome {
        Outcome::Sent(_) => summary.sent += 1,
        Outcome::Bounced { reason, .. } => {
            summary.bounced += 1;
            summary.problem(&m.email, "bounced", reason);
        }
        Outcome::Failed(error) | Outcome::NotAttempted(error) if m.unconfirmed_before => {
            summary.unconfirmed += 1;
            summary.problem(&m.email, "unconfirmed", error);
        }
        Outcome::Failed(error) | Outcome::NotAttempted(error) => {
            summary.failed += 1;
            summary.problem(&m.email, "failed", error);
        }
        Outcome::Unknown(error) => {
            summary.unconfirmed += 1;
            summary.problem(&m.email, "unconfirmed", error);
        }
    }
}
