//! The "handing over" marks: a `send_attempt` event per message, committed (fsync) right before
//! a sending thread writes that group of messages to its connection.
//!
//! A sending thread asks for the next group's marks while it writes the group it holds marked,
//! so the fsync runs while the connection works. A run killed at any instant therefore leaves
//! Pending unconfirmed only the messages of the groups being handed over — at most two groups a
//! connection, [`IN_FLIGHT`] messages: the one being written and the next, marked — and every
//! recipient whose message was still queued or being composed stays Not Sent.
//!
//! One committer thread owns the run's connection to the store and writes for every sending
//! thread (group commit): the requests that arrive while a commit is being synced go into the
//! next transaction together, so several connections share one fsync instead of queueing for
//! SQLite's write lock, whose busy handler sleeps.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Result, anyhow};
use rusqlite::Connection;

use crate::clock;
use crate::db::{self, events, events::NewEvent};
use crate::model::EventKind;
use crate::model::detail::{EventDetail, Field, Mailing, NoticeKeys};

/// The most messages one connection hands over under a single commit of their marks.
pub const GROUP: usize = 8;

/// The most messages of one connection that a crash can leave unconfirmed: the group being
/// written and the next group, marked while it is.
pub const IN_FLIGHT: usize = 2 * GROUP;

/// One message about to be handed over.
pub struct Mark<'a> {
    pub recipient_id: i64,
    pub send_id: &'a str,
    pub message_id: &'a str,
}

/// An outcome's event, for the commit that follows it.
pub struct Recorded {
    pub recipient_id: i64,
    pub kind: EventKind,
    pub detail: serde_json::Value,
}

/// What is recorded of every mark: the event source and kind, and keys added to each detail.
struct Attempts {
    source: &'static str,
    /// `send_attempt` for a first email, `remind_attempt` for a reminder.
    kind: EventKind,
    /// Keys added to every mark's detail (what kind of reminder, …).
    extra: NoticeKeys,
}

/// One sending thread's commit: outcomes, then the marks of its next group, as events.
struct Request {
    events: Vec<(i64, EventKind, serde_json::Value)>,
    reply: mpsc::SyncSender<Result<(), String>>,
}

/// The committer thread of a run.
pub struct Committer {
    requests: Option<mpsc::Sender<Request>>,
    thread: Option<JoinHandle<()>>,
    attempts: std::sync::Arc<Attempts>,
}

/// A sending thread's handle to the committer.
pub struct Marks {
    requests: mpsc::Sender<Request>,
    attempts: std::sync::Arc<Attempts>,
}

impl Committer {
    /// Open the run's own connection to the store (synced commits) and start the thread.
    pub fn start(
        db_path: &Path,
        source: &'static str,
        attempt: EventKind,
        extra: NoticeKeys,
    ) -> Result<Committer> {
        let conn = db::open(db_path)?;
        db::sends::durable(&conn)?;
        let (requests, incoming) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("certstat-marks".into())
            .spawn(move || serve(conn, source, &incoming))?;
        Ok(Committer {
            requests: Some(requests),
            thread: Some(thread),
            attempts: std::sync::Arc::new(Attempts {
                source,
                kind: attempt,
                extra,
            }),
        })
    }

    /// A handle for one sending thread.
    pub fn marks(&self) -> Marks {
        Marks {
            requests: self.requests.clone().expect("committer running"),
            attempts: std::sync::Arc::clone(&self.attempts),
        }
    }
}

impl Drop for Committer {
    /// The thread ends when the last handle is gone; every commit asked for was answered.
    fn drop(&mut self) {
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The committer's loop: take a request, and every other one waiting; commit them together.
fn serve(mut conn: Connection, source: &'static str, incoming: &mpsc::Receiver<Request>) {
    while let Ok(first) = incoming.recv() {
        let mut batch = vec![first];
        batch.extend(incoming.try_iter());
        let result = write(&mut conn, source, &mut batch).map_err(|e| format!("{e:#}"));
        for r in batch {
            let _ = r.reply.send(result.clone());
        }
    }
}

/// Record the batch's events in one transaction (their details are moved out of the batch).
fn write(conn: &mut Connection, source: &'static str, batch: &mut [Request]) -> Result<()> {
    let now = clock::now_stamp();
    let tx = db::write_tx(conn)?;
    for (recipient_id, kind, detail) in batch.iter_mut().flat_map(|r| &mut r.events) {
        events::record(
            &tx,
            &NewEvent {
                recipient_id: *recipient_id,
                kind: *kind,
                at: &now,
                source,
                detail: std::mem::take(detail),
                dedup_key: None,
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Why a commit has no answer: the committer thread ended (it panicked).
const STOPPED: &str = "the run's recording thread stopped";

/// A commit asked for and not answered yet: [`Asked::wait`] returns once it is durable.
pub struct Asked {
    answer: mpsc::Receiver<Result<(), String>>,
    answered: Option<Result<(), String>>,
}

impl Asked {
    /// Whether the commit has been answered (durable or failed): waiting would not block.
    pub fn answered(&mut self) -> bool {
        if self.answered.is_none() {
            match self.answer.try_recv() {
                Ok(r) => self.answered = Some(r),
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.answered = Some(Err(STOPPED.into()));
                }
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
        self.answered.is_some()
    }

    /// Wait until the commit is durable (or has failed).
    pub fn wait(self) -> Result<()> {
        let answer = match self.answered {
            Some(a) => a,
            None => self.answer.recv().map_err(|_| anyhow!(STOPPED))?,
        };
        answer.map_err(|e| anyhow!(e))
    }
}

impl Marks {
    /// Ask for one transaction (one fsync) holding the outcomes of the messages handed over so
    /// far and the attempts of the next `group`, and return at once: the sending thread writes
    /// the group it holds marked while the next group's marks are synced. None of `group` may
    /// be written before [`Asked::wait`] has returned `Ok`, so a connection never has more
    /// than two groups whose outcomes are unrecorded: the one being written and the next.
    pub fn ask(&mut self, done: &[Recorded], group: &[Mark<'_>]) -> Result<Asked> {
        let a = &self.attempts;
        let mut events: Vec<(i64, EventKind, serde_json::Value)> = done
            .iter()
            .map(|r| (r.recipient_id, r.kind, r.detail.clone()))
            .collect();
        for m in group {
            let mut mailing = Mailing {
                transport: Field::Value(a.source.to_string()),
                ..Mailing::default()
            };
            mailing.origin.send_id = Field::Value(m.send_id.to_string());
            mailing.origin.message_id = Field::Value(m.message_id.to_string());
            a.extra.mark(&mut mailing.origin);
            let detail = match a.kind {
                EventKind::RemindAttempt => EventDetail::RemindAttempt(mailing),
                _ => EventDetail::SendAttempt(mailing),
            };
            events.push((m.recipient_id, a.kind, detail.to_value()));
        }
        let (reply, answer) = mpsc::sync_channel(1);
        if events.is_empty() {
            let _ = reply.send(Ok(()));
        } else {
            self.requests
                .send(Request { events, reply })
                .map_err(|_| anyhow!(STOPPED))?;
        }
        Ok(Asked {
            answer,
            answered: None,
        })
    }
}
