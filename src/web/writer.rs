//! The single writer: one thread with its own connection applies every event `serve` records.
//!
//! Handlers send jobs over a bounded queue (a full queue makes them wait: backpressure, never
//! unbounded memory). Jobs that arrive together share one transaction (group commit). Most
//! handlers await the acknowledgement, so their event is committed (and visible to `stats` in
//! another shell) before the response leaves.
//!
//! The open pixel and the click, events that cannot change a recipient's status, take a fast
//! path once the writer has seen their recipient ([`Writer::record_link`]): the event is queued
//! and the response sent at once; the writer commits it with the next batch, within
//! milliseconds (a small batch of such events waits 2 ms for more first, so that one commit
//! covers more of them). A link is answered this way only while the writer's knowledge is
//! fresh: the recipient was found in the database and, at the writer's last check, at most
//! [`FRESH`] ago, no other process had written to it since (SQLite's `data_version`; the
//! check starts every batch). Any write by another process (a recipient removed, say) empties
//! what the writer knows, so the next link of each recipient waits for its commit again, and an
//! unknown uid is answered 404 as before. The writer resolves every uid inside its own transaction, so an
//! event is only ever recorded for the recipient that uid names at commit time: a link of a
//! recipient removed by another process less than [`FRESH`] before may still be answered 200,
//! but records nothing (and never lands on a recipient who reuses the id).
//!
//! When every sender is gone the thread drains the queue and exits; `serve` joins it on
//! shutdown, so nothing accepted is lost.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;

use crate::model::detail::{Engagement, EventDetail, Field, Plain};
use tokio::sync::{mpsc, oneshot};

use crate::clock;
use crate::db::{self, events::NewEvent, web::EventRef};
use crate::model::EventKind;
use crate::output::Log;

/// Failures within [`LOCK_WINDOW`] that lock a token.
pub const MAX_FAILURES: usize = 5;
/// How long failures count, and so how long a lock lasts.
pub const LOCK_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// Most jobs waiting in the queue; a handler waits for room beyond that.
const QUEUE: usize = 4096;
/// Most jobs applied in one transaction.
const BATCH: usize = 2048;
/// A batch of this many jobs or more is applied at once; a smaller one of links already
/// answered waits [`COALESCE`] for more first.
const COALESCE_BELOW: usize = 256;
/// How long a small batch of answered links waits for more (their events reach the database
/// this much later; nobody waits for them).
const COALESCE: Duration = Duration::from_millis(2);
/// How long the writer's check that no other process wrote lets links be answered before
/// their commit.
pub const FRESH: Duration = Duration::from_millis(100);
/// Most uids the writer remembers (it forgets them all beyond that).
const KNOWN_MAX: usize = 100_000;
/// Repeated opens (or clicks) of one recipient, with the same machine flag, within this long
/// of the first are one event with a count (`{"machine": …, "count": N, "last": T}`): a mail
/// client fetching the pixel again, or a scanner hammering a link, cannot grow the log faster
/// than one event per recipient, kind and flag per window. Any other event of the recipient
/// ends the window early, so the log keeps its order.
pub const REPEAT_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// Whose event it is.
#[derive(Debug, Clone)]
pub enum Target {
    Recipient(i64),
    /// The recipient with this uid (its 16 bytes), from a checked link token (the writer
    /// looks it up, which spares the open pixel and the click a separate read).
    Uid([u8; 16]),
}

/// An event to record, owned so it can cross threads.
#[derive(Debug, Clone)]
pub struct Event {
    pub target: Target,
    pub kind: EventKind,
    /// When it happened; stored as [`clock::stamp`] gives it (whole seconds). The writer
    /// writes that text once per second of events in a batch, not once per event: no string
    /// is built on the request path, nor freed on the writer's.
    pub at: DateTime<Utc>,
    pub detail: Detail,
}

/// An event's detail.
#[derive(Debug, Clone)]
pub enum Detail {
    /// `{"machine": …}`, the detail of every open and click: nothing to build or free per
    /// event.
    Machine(bool),
    Json(Value),
}

impl From<Value> for Detail {
    fn from(value: Value) -> Self {
        Detail::Json(value)
    }
}

impl Detail {
    fn value(&self) -> &Value {
        static MACHINE: LazyLock<[Value; 2]> = LazyLock::new(|| {
            let of = |machine| {
                EventDetail::Opened(Engagement {
                    machine: Field::Value(machine),
                    ..Engagement::default()
                })
                .to_value()
            };
            [of(false), of(true)]
        });
        match self {
            Detail::Machine(machine) => &MACHINE[usize::from(*machine)],
            Detail::Json(value) => value,
        }
    }
}

/// What became of a claim attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// The address matched: `claimed` recorded (unless the recipient had claimed before).
    Claimed,
    /// The address did not match: `claim_failed` recorded; this many attempts remain.
    Failed { remaining: usize },
    /// Too many recent failures: nothing compared, nothing recorded, until this instant.
    Locked { until: DateTime<Utc> },
}

enum Job {
    Record {
        event: Event,
        /// `None`: already answered (a link on the fast path); nobody waits.
        done: Option<oneshot::Sender<Result<bool, String>>>,
    },
    Claim {
        recipient_id: i64,
        matched: bool,
        at: DateTime<Utc>,
        done: oneshot::Sender<Result<ClaimOutcome, String>>,
    },
    /// A "lost your link?" request: logged, and checked against the limits, atomically.
    LinkRequest {
        request: LinkRequest,
        done: oneshot::Sender<Result<(i64, bool), String>>,
    },
    /// What came of a logged request.
    LinkRequestDone {
        id: i64,
        outcome: &'static str,
        recipients: usize,
        done: oneshot::Sender<Result<(), String>>,
    },
}

/// A "lost your link?" request as the handler saw it.
#[derive(Debug, Clone)]
pub struct LinkRequest {
    pub at: DateTime<Utc>,
    pub email: String,
    pub email_key: String,
    pub client: String,
    /// The form's CSRF token did not match.
    pub forged: bool,
}

/// At most this many requests per address, and per client, in [`LINK_WINDOW`].
pub const LINK_PER_ADDRESS: usize = 3;
pub const LINK_PER_CLIENT: usize = 10;
pub const LINK_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The uids the writer found in the database, shared with the handlers, and when it last
/// checked that no other process had written since.
struct Known {
    uids: Mutex<HashSet<[u8; 16]>>,
    start: Instant,
    /// Milliseconds from `start` to the last check, plus one (0: never checked).
    checked: AtomicU64,
}

impl Known {
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64 + 1
    }

    /// Whether a link of this uid may be answered before its commit.
    fn fresh(&self, uid: &[u8; 16]) -> bool {
        let checked = self.checked.load(Ordering::Acquire);
        checked != 0
            && self.now_ms().saturating_sub(checked) < FRESH.as_millis() as u64
            && self.uids.lock().expect("known uids").contains(uid)
    }
}

/// The handle request handlers use.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
    known: Arc<Known>,
}

impl Writer {
    /// Open a connection to `db_path` and start the writer thread.
    pub fn start(db_path: &Path, log: Log) -> Result<(Writer, JoinHandle<()>)> {
        let conn = db::open(db_path)?;
        db::stream_writer_mode(&conn)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let known = Arc::new(Known {
            uids: Mutex::new(HashSet::new()),
            start: Instant::now(),
            checked: AtomicU64::new(0),
        });
        let shared = Arc::clone(&known);
        let handle = std::thread::Builder::new()
            .name("certstat-writer".into())
            .spawn(move || run(conn, rx, &shared, &log))
            .context("cannot start the database writer thread")?;
        Ok((Writer { tx, known }, handle))
    }

    async fn send(&self, job: Job) -> Result<()> {
        self.tx
            .send(job)
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))
    }

    /// Record one event; resolves once it is committed, to false when there is no such
    /// recipient (nothing recorded).
    pub async fn record(&self, event: Event) -> Result<bool> {
        let (done, wait) = oneshot::channel();
        self.send(Job::Record {
            event,
            done: Some(done),
        })
        .await?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }

    /// Record an event of a link (the open pixel, a click; `detail` is `{"machine": machine}`)
    /// of the recipient with this uid, which must not be able to change their status. Resolves
    /// to false when there is no such recipient (nothing recorded). When the writer knows the
    /// uid and its knowledge is fresh (see the module documentation) the event is only queued
    /// and this returns at once; otherwise it waits for the commit like [`Writer::record`].
    pub async fn record_link(
        &self,
        uid: [u8; 16],
        kind: EventKind,
        at: DateTime<Utc>,
        machine: bool,
    ) -> Result<bool> {
        debug_assert!(matches!(kind, EventKind::Opened | EventKind::Clicked));
        let fresh = self.known.fresh(&uid);
        let event = Event {
            target: Target::Uid(uid),
            kind,
            at,
            detail: Detail::Machine(machine),
        };
        if fresh {
            self.send(Job::Record { event, done: None }).await?;
            Ok(true)
        } else {
            self.record(event).await
        }
    }

    /// Whether a link of this uid would now be answered before its commit.
    pub fn knows(&self, uid: &[u8; 16]) -> bool {
        self.known.fresh(uid)
    }

    /// Log a "lost your link?" request and check it against the limits (the requests of the
    /// last [`LINK_WINDOW`] in the database, so they hold across restarts): its id, and
    /// whether it is over a limit.
    pub async fn link_request(&self, request: LinkRequest) -> Result<(i64, bool)> {
        let (done, wait) = oneshot::channel();
        self.send(Job::LinkRequest { request, done }).await?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }

    /// Record what came of a logged request (`db::lost`'s outcomes).
    pub async fn link_request_done(
        &self,
        id: i64,
        outcome: &'static str,
        recipients: usize,
    ) -> Result<()> {
        let (done, wait) = oneshot::channel();
        self.send(Job::LinkRequestDone {
            id,
            outcome,
            recipients,
            done,
        })
        .await?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }

    /// Apply a claim attempt atomically: check the lock, then record `claimed` or
    /// `claim_failed`.
    pub async fn claim(&self, recipient_id: i64, matched: bool) -> Result<ClaimOutcome> {
        let (done, wait) = oneshot::channel();
        self.send(Job::Claim {
            recipient_id,
            matched,
            at: clock::now(),
            done,
        })
        .await?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }
}

/// What the writer thread remembers between batches.
struct Memory<'a> {
    known: &'a Known,
    /// The server's log: a failed batch is reported there.
    log: &'a Log,
    /// The connection's `data_version` at the last check: it changes when another connection
    /// (another process, or serve's readers) commits.
    version: Option<i64>,
    /// Recipient ids by uid, all found since that version.
    ids: HashMap<[u8; 16], i64>,
    repeats: Repeats,
}

impl Memory<'_> {
    fn forget(&mut self) {
        self.ids.clear();
        self.known.uids.lock().expect("known uids").clear();
        self.repeats.open.clear();
        self.repeats.dirty.clear();
    }
}

/// The open windows of [`REPEAT_WINDOW`], and the counts a batch has still to write.
#[derive(Default)]
struct Repeats {
    /// By (recipient, kind, machine): the event repeats are counted into.
    open: HashMap<(i64, EventKind, bool), Repeat>,
    /// New counts by event id, with the time of the last repeat.
    dirty: HashMap<i64, (i64, String)>,
}

struct Repeat {
    /// `None` while the event is only queued in the batch (not inserted yet).
    event_id: Option<i64>,
    /// When the window opened (Unix seconds).
    first: i64,
    count: i64,
}

impl Repeats {
    /// Count a link event into the open window of its recipient, kind and flag, when there is
    /// one (looked up in the database the first time); false: it starts a new event, which
    /// the caller inserts. `flush` inserts what the batch has queued, so that an event queued
    /// in this batch can be found.
    fn count(
        &mut self,
        conn: &Connection,
        key: (i64, EventKind, bool),
        at: DateTime<Utc>,
        stamp: &str,
        flush: &mut dyn FnMut() -> Result<()>,
    ) -> Result<bool> {
        let within =
            |first: i64| (0..REPEAT_WINDOW.num_seconds()).contains(&(at.timestamp() - first));
        if let std::collections::hash_map::Entry::Vacant(slot) = self.open.entry(key) {
            let since = clock::stamp(at - REPEAT_WINDOW);
            if let Some((id, first, count)) =
                db::web::repeat_target(conn, key.0, key.1, key.2, &since)?
            {
                let first = clock::parse(&first).map_or(at.timestamp(), |t| t.timestamp());
                slot.insert(Repeat {
                    event_id: Some(id),
                    first,
                    count,
                });
            }
        }
        let Some(repeat) = self.open.get_mut(&key).filter(|r| within(r.first)) else {
            if self.open.len() >= KNOWN_MAX {
                self.open.clear();
            }
            self.open.insert(
                key,
                Repeat {
                    event_id: None,
                    first: at.timestamp(),
                    count: 1,
                },
            );
            return Ok(false);
        };
        let id = match repeat.event_id {
            Some(id) => id,
            None => {
                flush()?;
                let since = clock::stamp(at - REPEAT_WINDOW);
                let Some((id, _, _)) = db::web::repeat_target(conn, key.0, key.1, key.2, &since)?
                else {
                    // Not inserted after all (the recipient is gone): start again.
                    self.open.remove(&key);
                    return Ok(false);
                };
                repeat.event_id = Some(id);
                id
            }
        };
        repeat.count += 1;
        self.dirty.insert(id, (repeat.count, stamp.to_owned()));
        Ok(true)
    }

    /// Another kind of event of this recipient: their windows close.
    fn close(&mut self, recipient_id: i64) {
        self.open.retain(|(id, _, _), _| *id != recipient_id);
    }

    /// Write the batch's new counts.
    fn write(&mut self, conn: &Connection) -> Result<()> {
        for (id, (count, last)) in self.dirty.drain() {
            db::web::set_repeats(conn, id, count, &last)?;
        }
        Ok(())
    }
}

fn run(mut conn: Connection, mut rx: mpsc::Receiver<Job>, known: &Known, log: &Log) {
    let mut memory = Memory {
        known,
        log,
        version: None,
        ids: HashMap::new(),
        repeats: Repeats::default(),
    };
    let mut jobs = Vec::with_capacity(BATCH);
    while rx.blocking_recv_many(&mut jobs, BATCH) > 0 {
        if jobs.len() < COALESCE_BELOW && jobs.iter().all(answered) {
            // Nobody waits for these: let more arrive first, so that one commit writes each
            // page (the tails of the event indexes, a recipient's index page) once for many
            // events, and the handlers rarely have to wake this thread.
            std::thread::sleep(COALESCE);
            while jobs.len() < BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
        }
        apply(&mut conn, &mut jobs, &mut memory);
    }
}

/// Queue one event of recipient `id` in `pending`, or count it into the open window of a
/// repeat.
fn queue<'a>(
    tx: &Connection,
    id: i64,
    event: &'a Event,
    stamps: &'a Stamps,
    memory: &mut Memory<'_>,
    pending: &mut Vec<EventRef<'a>>,
) -> Result<()> {
    let stamp = stamps.get(event.at);
    let counted = match event.detail {
        Detail::Machine(machine)
            if matches!(event.kind, EventKind::Opened | EventKind::Clicked) =>
        {
            let mut flush = || -> Result<()> {
                db::web::record_refs(tx, pending)?;
                pending.clear();
                Ok(())
            };
            memory
                .repeats
                .count(tx, (id, event.kind, machine), event.at, stamp, &mut flush)?
        }
        _ => {
            memory.repeats.close(id);
            false
        }
    };
    if !counted {
        pending.push(new_event(id, event, stamp));
    }
    Ok(())
}

/// Whether a job was answered already (a link on the fast path).
fn answered(job: &Job) -> bool {
    matches!(job, Job::Record { done: None, .. })
}

/// Apply a batch in one transaction, then acknowledge every job (all fail together if the
/// transaction does).
fn apply(conn: &mut Connection, jobs: &mut Vec<Job>, memory: &mut Memory<'_>) {
    let mut found = Vec::new();
    match write_batch(conn, jobs, memory, &mut found) {
        Ok(outcomes) => {
            if !found.is_empty() {
                memory.known.uids.lock().expect("known uids").extend(found);
            }
            for (job, outcome) in jobs.drain(..).zip(outcomes) {
                job.answer(Ok(outcome));
            }
        }
        Err(e) => fail_batch(jobs, memory, &e),
    }
}

/// One batch in one write transaction: each job's outcome, in order (`found`: uids newly
/// found). Plain events go in as one batch; a claim flushes what came before it, so its lock
/// check sees earlier failures in the same batch.
fn write_batch(
    conn: &mut Connection,
    jobs: &[Job],
    memory: &mut Memory<'_>,
    found: &mut Vec<[u8; 16]>,
) -> Result<Vec<Outcome>> {
    let tx = db::write_tx(conn)?;
    // Holding the write lock: nobody else writes until this commits.
    let version = db::data_version(&tx)?;
    if memory.version != Some(version) || memory.ids.len() > KNOWN_MAX {
        memory.forget();
        memory.version = Some(version);
    }
    memory
        .known
        .checked
        .store(memory.known.now_ms(), Ordering::Release);
    let stamps = Stamps::of(jobs);
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut pending: Vec<EventRef<'_>> = Vec::new();
    for job in jobs {
        let outcome = match job {
            Job::Record { event, .. } => {
                let id = resolve(&tx, &event.target, memory, found)?;
                if let Some(id) = id {
                    queue(&tx, id, event, &stamps, memory, &mut pending)?;
                }
                Outcome::Recorded(id.is_some())
            }
            Job::Claim {
                recipient_id,
                matched,
                at,
                ..
            } => {
                db::web::record_refs(&tx, &pending)?;
                pending.clear();
                memory.repeats.close(*recipient_id);
                Outcome::Claim(claim(&tx, *recipient_id, *matched, *at)?)
            }
            Job::LinkRequest { request, .. } => Outcome::LinkRequest(link_request(&tx, request)?),
            Job::LinkRequestDone {
                id,
                outcome,
                recipients,
                ..
            } => {
                db::lost::settle(&tx, *id, outcome, *recipients)?;
                Outcome::Done
            }
        };
        outcomes.push(outcome);
    }
    db::web::record_refs(&tx, &pending)?;
    drop(pending);
    memory.repeats.write(&tx)?;
    tx.commit()?;
    Ok(outcomes)
}

/// A batch whose transaction failed: every job is answered with the error, and what the
/// transaction saw is forgotten (the next batch starts again from the database).
fn fail_batch(jobs: &mut Vec<Job>, memory: &mut Memory<'_>, e: &anyhow::Error) {
    memory.forget();
    memory.version = None;
    let msg = format!("{e:#}");
    let unanswered = jobs.iter().filter(|j| answered(j)).count();
    memory
        .log
        .error_line(format!("certstat: error: cannot record events: {msg}"));
    if unanswered > 0 {
        memory.log.error_line(format!(
            "certstat: error: {unanswered} open or click event(s) already answered are lost"
        ));
    }
    for job in jobs.drain(..) {
        job.answer(Err(msg.clone()));
    }
}

/// The recipient an event is for, in the writer's transaction (`found`: uids newly found).
fn resolve(
    tx: &Connection,
    target: &Target,
    memory: &mut Memory<'_>,
    found: &mut Vec<[u8; 16]>,
) -> Result<Option<i64>> {
    Ok(match target {
        Target::Recipient(id) => db::web::recipient_exists(tx, *id)?.then_some(*id),
        Target::Uid(uid) => match memory.ids.get(uid) {
            Some(id) => Some(*id),
            None => {
                let id = db::web::recipient_id_by_uid(tx, &hex::encode(uid))?;
                if let Some(id) = id {
                    memory.ids.insert(*uid, id);
                    found.push(*uid);
                }
                id
            }
        },
    })
}

impl Job {
    /// Tell whoever waits for this job what became of it (nobody waits for a link already
    /// answered).
    fn answer(self, outcome: Result<Outcome, String>) {
        let wrong = || "no outcome".to_owned();
        match (self, outcome) {
            (
                Job::Record {
                    done: Some(done), ..
                },
                o,
            ) => {
                let _ = done.send(o.and_then(|o| match o {
                    Outcome::Recorded(found) => Ok(found),
                    _ => Err(wrong()),
                }));
            }
            (Job::Record { done: None, .. }, _) => {}
            (Job::Claim { done, .. }, o) => {
                let _ = done.send(o.and_then(|o| match o {
                    Outcome::Claim(c) => Ok(c),
                    _ => Err(wrong()),
                }));
            }
            (Job::LinkRequest { done, .. }, o) => {
                let _ = done.send(o.and_then(|o| match o {
                    Outcome::LinkRequest(r) => Ok(r),
                    _ => Err(wrong()),
                }));
            }
            (Job::LinkRequestDone { done, .. }, o) => {
                let _ = done.send(o.and_then(|o| match o {
                    Outcome::Done => Ok(()),
                    _ => Err(wrong()),
                }));
            }
        }
    }
}

enum Outcome {
    Recorded(bool),
    Claim(ClaimOutcome),
    LinkRequest((i64, bool)),
    Done,
}

/// Log a lost-link request, limited by the requests of the last [`LINK_WINDOW`].
fn link_request(conn: &Connection, r: &LinkRequest) -> Result<(i64, bool)> {
    let at = clock::stamp(r.at);
    let since = clock::stamp(r.at - LINK_WINDOW);
    db::lost::record(
        conn,
        &db::lost::NewRequest {
            at: &at,
            email: &r.email,
            email_key: &r.email_key,
            client: &r.client,
            forged: r.forged,
        },
        &db::lost::Limits {
            since: &since,
            per_address: LINK_PER_ADDRESS,
            per_client: LINK_PER_CLIENT,
        },
    )
}

/// The stored text of the instants of a batch's events: one [`clock::stamp`] per distinct
/// second (events come in time order, so mostly one or two a batch).
struct Stamps(Vec<(i64, String)>);

impl Stamps {
    fn of(jobs: &[Job]) -> Stamps {
        let mut stamps: Vec<(i64, String)> = Vec::new();
        for job in jobs {
            if let Job::Record { event, .. } = job {
                let second = event.at.timestamp();
                if !stamps.iter().rev().any(|(s, _)| *s == second) {
                    stamps.push((second, clock::stamp(event.at)));
                }
            }
        }
        Stamps(stamps)
    }

    /// The text of an instant of the batch. `clock::stamp` writes whole seconds, so every
    /// instant of the same second has the same text.
    fn get(&self, at: DateTime<Utc>) -> &str {
        let second = at.timestamp();
        let (_, text) = self
            .0
            .iter()
            .rev()
            .find(|(s, _)| *s == second)
            .expect("every event's second has its stamp");
        text
    }
}

fn new_event<'a>(recipient_id: i64, e: &'a Event, at: &'a str) -> EventRef<'a> {
    EventRef {
        recipient_id,
        kind: e.kind,
        at,
        source: "web",
        detail: e.detail.value(),
        dedup_key: None,
    }
}

fn claim(
    conn: &Connection,
    recipient_id: i64,
    matched: bool,
    at: DateTime<Utc>,
) -> Result<ClaimOutcome> {
    let since = clock::stamp(at - LOCK_WINDOW);
    let failures = db::web::claim_failures_since(conn, recipient_id, &since)?;
    if failures.len() >= MAX_FAILURES {
        let oldest = failures
            .iter()
            .filter_map(|t| clock::parse(t))
            .min()
            .unwrap_or(at);
        return Ok(ClaimOutcome::Locked {
            until: oldest + LOCK_WINDOW,
        });
    }
    let stamp = clock::stamp(at);
    if matched {
        if !db::web::has_claimed(conn, recipient_id)? {
            db::events::record(
                conn,
                &NewEvent {
                    recipient_id,
                    kind: EventKind::Claimed,
                    at: &stamp,
                    source: "web",
                    detail: EventDetail::Claimed(Plain::default()).to_value(),
                    dedup_key: None,
                },
            )?;
        }
        Ok(ClaimOutcome::Claimed)
    } else {
        db::events::record(
            conn,
            &NewEvent {
                recipient_id,
                kind: EventKind::ClaimFailed,
                at: &stamp,
                source: "web",
                detail: EventDetail::ClaimFailed(Plain::default()).to_value(),
                dedup_key: None,
            },
        )?;
        Ok(ClaimOutcome::Failed {
            remaining: MAX_FAILURES.saturating_sub(failures.len() + 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certificate;
    use serde_json::json;

    /// The requests a recipient's events stand for (repeats are one event with a count).
    fn count(conn: &Connection, recipient_id: i64) -> i64 {
        conn.query_row(
            "SELECT coalesce(sum(coalesce(json_extract(detail, '$.count'), 1)), 0) \
             FROM events WHERE recipient_id=?1",
            [recipient_id],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// Links of a known recipient are answered before their commit, yet every one is committed
    /// by shutdown; another process's write makes the writer look the uid up again, so a
    /// removed recipient's events never land on whoever gets their id next.
    #[test]
    fn links_take_the_fast_path_only_while_the_writer_knows_the_uid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = db::open(&path).unwrap();
        let cert =
            db::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z")).unwrap();
        let add = |email: &str| {
            db::recipients::insert(
                &conn,
                cert,
                email,
                "",
                &Default::default(),
                "2026-01-01T00:00:00Z",
            )
            .unwrap()
        };
        let (a, b) = (add("a@example.org"), add("b@example.org"));
        let uid_of = |id: i64| -> [u8; 16] {
            let uid: String = conn
                .query_row("SELECT uid FROM recipients WHERE id=?1", [id], |r| r.get(0))
                .unwrap();
            hex::decode(uid).unwrap().try_into().unwrap()
        };
        let (uid_a, uid_b) = (uid_of(a), uid_of(b));

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (writer, thread) =
            Writer::start(&path, crate::output::Printer::capture(false, 0).0.log()).unwrap();
        let link = |uid: &[u8; 16]| {
            rt.block_on(writer.record_link(*uid, EventKind::Opened, clock::now(), true))
                .unwrap()
        };
        assert!(!writer.knows(&uid_b));
        assert!(!link(&[0; 16]), "an unknown uid records nothing");
        // The first link waits for its commit, and teaches the writer the uid.
        assert!(link(&uid_b));
        assert_eq!(count(&conn, b), 1);
        assert!(writer.knows(&uid_b));
        for _ in 0..50 {
            assert!(link(&uid_b));
        }

        // Another process removes b and adds c. Ids are never reused (AUTOINCREMENT), so c is
        // moved onto b's id by hand: the writer must not rely on that rule.
        conn.execute("DELETE FROM recipients WHERE id=?1", [b])
            .unwrap();
        let added = add("c@example.org");
        assert_ne!(added, b, "ids are never reused");
        conn.execute("UPDATE recipients SET id=?1 WHERE id=?2", [b, added])
            .unwrap();
        let c = b;
        // Whether or not this one is answered before the writer notices, it records nothing.
        link(&uid_b);
        // a's first link waits for its commit, after the one above (the queue keeps order).
        assert!(link(&uid_a));
        assert!(!writer.knows(&uid_b));
        assert!(!link(&uid_b), "b is gone");
        assert!(link(&uid_a));

        // Knowledge goes stale when the writer has been idle.
        std::thread::sleep(FRESH + Duration::from_millis(50));
        assert!(!writer.knows(&uid_a));

        drop(writer);
        thread.join().unwrap();
        assert_eq!(count(&conn, c), 0, "nothing of b's landed on c");
        assert_eq!(count(&conn, a), 2);
        let details: Vec<String> = conn
            .prepare("SELECT DISTINCT detail FROM events")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // a's two links are one event with a count.
        assert_eq!(details.len(), 1, "{details:?}");
        let detail: Value = serde_json::from_str(&details[0]).unwrap();
        assert_eq!(
            (&detail["machine"], &detail["count"]),
            (&json!(true), &json!(2))
        );
    }

    /// Each event is stored at the text `clock::stamp` gives its own instant, however the
    /// instants of a batch's events are spread or ordered.
    #[test]
    fn each_event_is_stored_at_its_own_second() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = db::open(&path).unwrap();
        let cert =
            db::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z")).unwrap();
        // One recipient per event, so that no event is a repeat of another.
        let uids: Vec<[u8; 16]> = (0..8)
            .map(|i| {
                let id = db::recipients::insert(
                    &conn,
                    cert,
                    &format!("a{i}@example.org"),
                    "",
                    &Default::default(),
                    "2026-01-01T00:00:00Z",
                )
                .unwrap();
                let uid: String = conn
                    .query_row("SELECT uid FROM recipients WHERE id=?1", [id], |r| r.get(0))
                    .unwrap();
                hex::decode(uid).unwrap().try_into().unwrap()
            })
            .collect();
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let instants = [
            at("2026-11-27T04:00:00.2Z"),
            at("2026-11-27T04:00:01.7Z"),
            at("2026-11-27T04:00:00.9Z"),
            at("2026-11-27T04:00:01.0Z"),
            at("2026-11-27T03:59:59.999Z"),
            at("2026-11-27T04:01:00.5Z"),
            at("1969-12-31T23:59:59.5Z"),
            at("2026-11-27T04:00:01.1Z"),
        ];
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (writer, thread) =
            Writer::start(&path, crate::output::Printer::capture(false, 0).0.log()).unwrap();
        // A first link of each recipient, long before, waits for its commit and teaches the
        // writer the uid; the others are then queued at once, so most share a batch.
        let before = at("2000-01-01T00:00:00Z");
        for uid in &uids {
            assert!(
                rt.block_on(writer.record_link(*uid, EventKind::Opened, before, true))
                    .unwrap()
            );
        }
        for (i, t) in instants.iter().enumerate() {
            let kind = if i % 2 == 0 {
                EventKind::Opened
            } else {
                EventKind::Clicked
            };
            assert!(
                rt.block_on(writer.record_link(uids[i], kind, *t, false))
                    .unwrap()
            );
        }
        drop(writer);
        thread.join().unwrap();
        let stored: Vec<String> = conn
            .prepare("SELECT at FROM events WHERE at != '2000-01-01T00:00:00Z' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let expected: Vec<String> = instants.iter().map(|t| clock::stamp(*t)).collect();
        assert_eq!(stored, expected);
        assert_eq!(stored[6], "1969-12-31T23:59:59Z");
    }
}
