//! The engine of `send` and `remind`: mail the chosen recipients crash-safely over one or more
//! connections, and count what became of each message.
//!
//! At most a window of messages is queued-but-unresolved at any time. Each refill re-checks
//! the next recipients in a transaction, when the window is half empty; the outcomes the
//! sending threads committed are counted when half a window of them is waiting, when nothing
//! is in flight any more, when the run stops, or at the latest [`RECORD_WITHIN`] after the
//! oldest arrived. Queued messages carry no attempt yet: each sending thread commits the
//! attempts of the group it is about to write (the next group's while it writes one), so a
//! crash leaves at most two groups a connection Pending unconfirmed, and everyone queued
//! behind them Not Sent.
//!
//! The window is what lets a fast server go on while an fsync runs: half a window of messages
//! is queued when a commit starts. 128 a connection (512, the most, from 4).

use std::path::Path;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use anyhow::{Result, anyhow, bail};

use super::deliver::{Pacer, Shared, backoff};
use super::guardrail::Guardrail;
use super::handover::Committer;
use super::outcome::{Handed, Outcome, Recording};
use super::summary::Summary;
use super::worker::{self, Job, Outcomes, RECORD_WITHIN, Sender};
use crate::db;
use crate::lock::{self, RunLock};
use crate::mail::compose::{Composer, new_send_id};
use crate::mail::transport::Transport;
use crate::model::detail::NoticeKeys;
use crate::model::{Certificate, EventKind, Recipient};

/// What one run mails and how it is recorded: the first email (`send`) or a reminder
/// (`remind`). The engine is the same for both.
pub struct Mailing<'a> {
    /// Committed before a message is handed over: `send_attempt`, `remind_attempt`.
    pub attempt: EventKind,
    /// Recorded when the server accepted the message: `sent`, `reminded`.
    pub accepted: EventKind,
    /// Keys added to every event of the run's messages.
    pub extra: NoticeKeys,
    /// Whether a recipient, read again in the transaction that queues them (given to it), is
    /// still to be mailed: another process may have mailed them meanwhile, which for a
    /// reminder shows in the log, not in the status.
    pub still_eligible: &'a dyn Fn(&rusqlite::Connection, &Recipient) -> Result<bool>,
    /// Whether a recipient's message re-sends one an interrupted run handed over without an
    /// outcome (`--resend-unconfirmed`): a failure leaves it unconfirmed.
    pub resending: &'a dyn Fn(&Recipient) -> bool,
    /// What the summary calls the messages: "sent", "reminded".
    pub verb: &'static str,
}

/// Where and how a run mails.
pub struct Run<'a> {
    /// The database file: each sending thread opens its own connection for its marks.
    pub db_path: &'a Path,
    /// One transport a connection (the outbox: one).
    pub transports: Vec<Box<dyn Transport>>,
    /// At most this many messages per second.
    pub rate: Option<f64>,
    /// The guardrail's share of hard bounces.
    pub max_hard_bounces: super::guardrail::Limit,
    /// The certificate mailed (the guardrail reads its bounces and complaints).
    pub certificate_id: i64,
    /// When the run stops queuing messages (`--time-limit`): those being handed over finish,
    /// the rest are postponed to the next run.
    pub deadline: Option<Instant>,
}

/// Take the run lock of `cert` for `doing` (`send`, `remind`): one run mailing a certificate
/// at a time, whichever command it is.
pub fn take_lock(db_path: &Path, cert: &Certificate, doing: &str) -> Result<RunLock> {
    let path = lock::path_beside(db_path, &format!(".send-{}.lock", cert.id));
    match RunLock::try_take(&path, doing)? {
        Ok(lock) => Ok(lock),
        Err(held) => bail!(
            "another {} is already sending '{}'{}: two runs at once could mail \
             someone twice, so this `certstat {doing}` stops here and mails nobody; wait for it to \
             finish, then run it again (lock file {})",
            held.doing
                .map_or("certstat run".to_owned(), |d| format!("`certstat {d}`")),
            cert.name,
            held.holder
                .map(|pid| format!(" (process {pid})"))
                .unwrap_or_default(),
            path.display()
        ),
    }
}

/// Mail `chosen` (each re-checked with `mailing.still_eligible` before being queued) with
/// `composer`, crash-safely, recording `mailing`'s events, and count the outcomes in
/// `summary`. `seen` is told of each outcome as it is counted (`-v`, the progress bar).
/// The caller holds the run lock ([`take_lock`]).
pub fn mail(
    store: &mut db::Store,
    run: Run<'_>,
    composer: &Composer,
    chosen: Vec<Recipient>,
    summary: &mut Summary,
    mailing: &Mailing<'_>,
    seen: &mut dyn FnMut(&Handed, &Outcome),
) -> Result<()> {
    let Run {
        db_path,
        mut transports,
        rate,
        max_hard_bounces,
        certificate_id,
        deadline,
    } = run;
    summary.verb = mailing.verb;
    let source = transports.first().map_or("outbox", |t| t.name());
    db::sends::durable(store)?;
    let committer = Committer::start(db_path, source, mailing.attempt, mailing.extra.clone())?;
    let shared = Shared::new(rate.map(Pacer::new), backoff(), deadline);
    let window = (128 * transports.len()).clamp(128, 512);
    // Jobs go in chunks of a composing batch: one wake-up of a composing thread per chunk.
    // Room for a window of chunks of one: queuing never blocks (no more than a window of jobs
    // is in flight), even once the composing threads have stopped.
    let (job_tx, job_rx) = mpsc::sync_channel::<Vec<Job>>(window);
    let job_rx = Mutex::new(job_rx);
    let senders = transports.len();
    let outcomes = Outcomes::new(senders);
    let recording = Recording {
        source,
        accepted: mailing.accepted,
        extra: mailing.extra.clone(),
    };
    let mut engine = Engine {
        conn: store,
        shared: &shared,
        outcomes: &outcomes,
        composer,
        mailing,
        guard: Guardrail::new(max_hard_bounces, certificate_id),
        summary,
        seen,
        senders,
    };
    let mut w = Window::new(window, chosen);
    std::thread::scope(|scope| -> Result<()> {
        for transport in transports.iter_mut() {
            // Each connection has a composing thread ahead of it, so that the next messages
            // are rendered while this one waits for the server's reply.
            let (composed_tx, composed_rx) = mpsc::sync_channel(1);
            let job_rx = &job_rx;
            scope.spawn(move || worker::compose(job_rx, composer, composed_tx));
            let sender = Sender {
                transport: transport.as_mut(),
                marks: committer.marks(),
                shared: &shared,
                outcomes: &outcomes,
                recording: &recording,
            };
            scope.spawn(move || sender.run(composed_rx));
        }
        // `job_tx` is dropped when this returns: the workers finish.
        engine.drive(&mut w, job_tx)
    })?;
    drop(committer);
    summary.halted = shared.why().is_some();
    summary.stopped = shared
        .why()
        .or_else(|| shared.time_up().then(time_limit_reached));
    Ok(())
}

/// What the summary says of a run that reached its time limit.
fn time_limit_reached() -> String {
    "the time limit (--time-limit) was reached: the messages being handed over finished, the \
     rest are postponed, unchanged; run the command again to go on"
        .to_owned()
}

/// The engine's side of the window: who is still to be queued, how many messages are in
/// flight, and the outcomes arrived but not counted yet (since `oldest`).
struct Window {
    size: usize,
    queue: std::vec::IntoIter<Recipient>,
    in_flight: usize,
    done: Vec<(Handed, Outcome)>,
    oldest: Option<Instant>,
    exhausted: bool,
}

impl Window {
    fn new(size: usize, chosen: Vec<Recipient>) -> Window {
        Window {
            size,
            queue: chosen.into_iter(),
            in_flight: 0,
            done: Vec::new(),
            oldest: None,
            exhausted: false,
        }
    }

    /// Whether to queue more now: the window is half empty.
    fn wants_refill(&self, stopping: bool) -> bool {
        !self.exhausted && !stopping && self.in_flight <= self.size / 2
    }

    /// Whether to count the outcomes that arrived.
    fn wants_count(&self, refill: bool, stopping: bool) -> bool {
        !self.done.is_empty()
            && (refill
                || stopping
                || self.in_flight == 0
                || self.done.len() >= self.size / 2
                || self.oldest.is_some_and(|t| t.elapsed() >= RECORD_WITHIN))
    }

    /// How many outcomes the next wait is for: enough for a refill, half a window, or the
    /// last ones.
    fn wanted(&self) -> usize {
        if self.exhausted {
            self.in_flight.min(self.size / 2)
        } else {
            self.in_flight.saturating_sub(self.size / 2)
        }
        .max(1)
    }
}

struct Engine<'a> {
    conn: &'a mut db::Store,
    shared: &'a Shared,
    outcomes: &'a Outcomes,
    composer: &'a Composer,
    mailing: &'a Mailing<'a>,
    guard: Guardrail,
    summary: &'a mut Summary,
    seen: &'a mut dyn FnMut(&Handed, &Outcome),
    senders: usize,
}

impl Engine<'_> {
    /// Queue, count and wait until every message has its outcome or the run stops.
    fn drive(&mut self, w: &mut Window, job_tx: SyncSender<Vec<Job>>) -> Result<()> {
        loop {
            if let Err(stopped) = crate::signal::check(|| {
                "the messages being handed over finished; the rest are Not Sent".into()
            }) {
                self.shared.halt(stopped.to_string());
            }
            if self.shared.check_deadline() {
                // No more queuing; what is queued and not marked yet is postponed.
                w.exhausted = true;
            }
            let stopping = self.shared.stopping();
            let refill = w.wants_refill(stopping);
            if w.wants_count(refill, stopping) {
                self.count(w)?;
            }
            if refill {
                // Spread over the connections: a few jobs still go to every one.
                let jobs = self.refill(w)?;
                let chunk = jobs
                    .len()
                    .div_ceil(self.senders.max(1))
                    .clamp(1, worker::COMPOSE_BATCH);
                let mut jobs = jobs.into_iter().peekable();
                while jobs.peek().is_some() {
                    let chunk: Vec<Job> = jobs.by_ref().take(chunk).collect();
                    w.in_flight += chunk.len();
                    job_tx
                        .send(chunk)
                        .map_err(|_| anyhow!("the sending threads stopped unexpectedly"))?;
                }
            }
            if w.in_flight == 0 {
                if w.exhausted || self.shared.stopping() {
                    return Ok(());
                }
                continue;
            }
            self.wait(w)?;
        }
    }

    /// Count the outcomes the sending threads recorded, and ask the guardrail.
    fn count(&mut self, w: &mut Window) -> Result<()> {
        for (m, outcome) in w.done.drain(..) {
            (self.seen)(&m, &outcome);
            self.summary.count(&m, &outcome);
        }
        w.oldest = None;
        if let Some(why) = self.guard.check(self.conn, self.summary.outcomes())? {
            self.shared.halt(why);
        }
        Ok(())
    }

    /// The next recipients to queue, each re-checked in one read transaction: another process
    /// may have mailed them meanwhile. It takes no write lock, which would hold up the
    /// committer's hand-over marks (SQLite's busy handler sleeps).
    fn refill(&mut self, w: &mut Window) -> Result<Vec<Job>> {
        let conn: &rusqlite::Connection = self.conn;
        db::read(conn, |tx| {
            let mut batch = Vec::new();
            while !w.exhausted && !self.shared.stopping() && w.in_flight + batch.len() < w.size {
                let Some(r) = w.queue.next() else {
                    w.exhausted = true;
                    break;
                };
                let Some(current) = db::recipients::by_id(tx, r.id)? else {
                    continue;
                };
                if !(self.mailing.still_eligible)(tx, &current)? {
                    self.summary.skipped += 1;
                    continue;
                }
                self.guard.watch(current.id);
                let send_id = new_send_id();
                let message_id = self.composer.message_id(&send_id);
                batch.push(Job {
                    resending: (self.mailing.resending)(&current),
                    recipient: current,
                    send_id,
                    message_id,
                });
            }
            Ok(batch)
        })
    }

    /// Sleep until enough outcomes have arrived for the next count, the run stops, or the
    /// oldest outcome is due; take what arrived.
    fn wait(&mut self, w: &mut Window) -> Result<()> {
        let wait = w
            .oldest
            .map_or(RECORD_WITHIN, |t| RECORD_WITHIN.saturating_sub(t.elapsed()));
        let mut arrived = self
            .outcomes
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        arrived.wanted = w.wanted();
        let (mut arrived, _) = self
            .outcomes
            .ready
            .wait_timeout_while(arrived, wait, |s| {
                s.list.len() < s.wanted && s.running == self.senders && !self.shared.stopping()
            })
            .unwrap_or_else(PoisonError::into_inner);
        if arrived.running < self.senders {
            // Only the end of the jobs ends a sending thread; this one panicked.
            bail!("the sending threads stopped unexpectedly");
        }
        let n = arrived.list.len();
        w.in_flight -= n;
        w.done.append(&mut arrived.list);
        drop(arrived);
        if n > 0 {
            w.oldest.get_or_insert_with(Instant::now);
        }
        Ok(())
    }
}
