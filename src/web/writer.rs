//! The single writer: one thread with its own connection applies every event `serve` records.
//!
//! Handlers send jobs over a channel and await the acknowledgement, so an event is committed
//! (and visible to `stats` in another shell) before the response leaves. Jobs that arrive
//! together share one transaction (group commit), which keeps the open pixel fast under load.
//! When every sender is gone the thread drains the queue and exits; `serve` joins it on
//! shutdown, so nothing accepted is lost.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::clock;
use crate::db::{self, events::NewEvent};
use crate::model::EventKind;

/// Failures within [`LOCK_WINDOW`] that lock a token.
pub const MAX_FAILURES: usize = 5;
/// How long failures count, and so how long a lock lasts.
pub const LOCK_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// Most jobs applied in one transaction.
const BATCH: usize = 1024;

/// Whose event it is.
#[derive(Debug, Clone)]
pub enum Target {
    Recipient(i64),
    /// The recipient with this uid, from a checked link token (the writer looks it up, which
    /// spares the open pixel and the click a separate read).
    Uid(String),
}

/// An event to record, owned so it can cross threads.
#[derive(Debug, Clone)]
pub struct Event {
    pub target: Target,
    pub kind: EventKind,
    pub at: String,
    pub detail: Value,
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
        done: oneshot::Sender<Result<bool, String>>,
    },
    Claim {
        recipient_id: i64,
        matched: bool,
        at: DateTime<Utc>,
        done: oneshot::Sender<Result<ClaimOutcome, String>>,
    },
}

/// The handle request handlers use.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Open a connection to `db_path` and start the writer thread.
    pub fn start(db_path: &Path) -> Result<(Writer, JoinHandle<()>)> {
        let conn = db::open(db_path)?;
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("certstat-writer".into())
            .spawn(move || run(conn, rx))
            .context("cannot start the database writer thread")?;
        Ok((Writer { tx }, handle))
    }

    /// Record one event; resolves once it is committed, to false when there is no such
    /// recipient (nothing recorded).
    pub async fn record(&self, event: Event) -> Result<bool> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job::Record { event, done })
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }

    /// Apply a claim attempt atomically: check the lock, then record `claimed` or
    /// `claim_failed`.
    pub async fn claim(&self, recipient_id: i64, matched: bool) -> Result<ClaimOutcome> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job::Claim {
                recipient_id,
                matched,
                at: clock::now(),
                done,
            })
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        wait.await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
            .map_err(anyhow::Error::msg)
    }
}

fn run(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(BATCH);
    while let Ok(first) = rx.recv() {
        jobs.push(first);
        while jobs.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        apply(&mut conn, &mut jobs);
    }
}

/// Apply a batch in one transaction, then acknowledge every job (all fail together if the
/// transaction does).
fn apply(conn: &mut Connection, jobs: &mut Vec<Job>) {
    let result = (|| -> Result<Vec<Outcome>> {
        let tx = db::write_tx(conn)?;
        let mut outcomes = Vec::with_capacity(jobs.len());
        let mut pending: Vec<NewEvent<'_>> = Vec::new();
        // Plain events go in as one batch; a claim flushes what came before it, so its lock
        // check sees earlier failures in the same batch.
        for job in jobs.iter() {
            match job {
                Job::Record { event, .. } => {
                    let id = match &event.target {
                        Target::Recipient(id) => {
                            db::web::recipient_exists(&tx, *id)?.then_some(*id)
                        }
                        Target::Uid(uid) => db::web::recipient_id_by_uid(&tx, uid)?,
                    };
                    if let Some(id) = id {
                        pending.push(new_event(id, event));
                    }
                    outcomes.push(Outcome::Recorded(id.is_some()));
                }
                Job::Claim {
                    recipient_id,
                    matched,
                    at,
                    ..
                } => {
                    db::web::record_batch(&tx, &pending)?;
                    pending.clear();
                    outcomes.push(Outcome::Claim(claim(&tx, *recipient_id, *matched, *at)?));
                }
            }
        }
        db::web::record_batch(&tx, &pending)?;
        drop(pending);
        tx.commit()?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            for (job, outcome) in jobs.drain(..).zip(outcomes) {
                match (job, outcome) {
                    (Job::Record { done, .. }, Outcome::Recorded(found)) => {
                        let _ = done.send(Ok(found));
                    }
                    (Job::Claim { done, .. }, Outcome::Claim(c)) => {
                        let _ = done.send(Ok(c));
                    }
                    (Job::Record { done, .. }, _) => {
                        let _ = done.send(Err("no outcome".to_owned()));
                    }
                    (Job::Claim { done, .. }, _) => {
                        let _ = done.send(Err("no outcome".to_owned()));
                    }
                }
            }
        }
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("certstat: error: cannot record events: {msg}");
            for job in jobs.drain(..) {
                match job {
                    Job::Record { done, .. } => {
                        let _ = done.send(Err(msg.clone()));
                    }
                    Job::Claim { done, .. } => {
                        let _ = done.send(Err(msg.clone()));
                    }
                }
            }
        }
    }
}

enum Outcome {
    Recorded(bool),
    Claim(ClaimOutcome),
}

fn new_event(recipient_id: i64, e: &Event) -> NewEvent<'_> {
    NewEvent {
        recipient_id,
        kind: e.kind,
        at: &e.at,
        source: "web",
        detail: e.detail.clone(),
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
                    detail: Value::Object(Default::default()),
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
                detail: Value::Object(Default::default()),
                dedup_key: None,
            },
        )?;
        Ok(ClaimOutcome::Failed {
            remaining: MAX_FAILURES.saturating_sub(failures.len() + 1),
        })
    }
}
