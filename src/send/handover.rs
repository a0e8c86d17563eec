//! The "handing over" marks: a `send_attempt` event per message, committed (fsync) by the
//! sending thread right before it writes that group of messages to its connection.
//!
//! A run killed at any instant therefore leaves Pending unconfirmed only the messages of the
//! groups being handed over — at most one group a connection — and every recipient whose
//! message was still queued or being composed stays Not Sent.

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::json;

use crate::clock;
use crate::db::{self, events, events::NewEvent};
use crate::model::EventKind;

/// The most messages one connection hands over under a single commit of their marks.
pub const GROUP: usize = 8;

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

/// A sending thread's own connection to the store, for its hand-over marks.
pub struct Marks {
    conn: Connection,
    source: &'static str,
    /// The kind of the marks: `send_attempt` for a first email, `remind_attempt` for a reminder.
    attempt: EventKind,
    /// Keys added to every mark's detail (what kind of reminder, …).
    extra: serde_json::Map<String, serde_json::Value>,
}

impl Marks {
    pub fn open(
        db_path: &Path,
        source: &'static str,
        attempt: EventKind,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Marks> {
        let conn = db::open(db_path)?;
        db::sends::durable(&conn)?;
        Ok(Marks {
            conn,
            source,
            attempt,
            extra,
        })
    }

    /// Commit, in one transaction (one fsync), the outcomes of the messages handed over so far
    /// and the attempts of the next `group`: a connection never has more than one group whose
    /// outcomes are unrecorded.
    pub fn commit(&mut self, done: &[Recorded], group: &[Mark<'_>]) -> Result<()> {
        if group.is_empty() && done.is_empty() {
            return Ok(());
        }
        let now = clock::now_stamp();
        let tx = db::write_tx(&mut self.conn)?;
        for r in done {
            events::record(
                &tx,
                &NewEvent {
                    recipient_id: r.recipient_id,
                    kind: r.kind,
                    at: &now,
                    source: self.source,
                    detail: r.detail.clone(),
                    dedup_key: None,
                },
            )?;
        }
        for m in group {
            let mut detail = json!({"send_id": m.send_id, "message_id": m.message_id,
                                    "transport": self.source});
            for (k, v) in &self.extra {
                detail[k] = v.clone();
            }
            events::record(
                &tx,
                &NewEvent {
                    recipient_id: m.recipient_id,
                    kind: self.attempt,
                    at: &now,
                    source: self.source,
                    detail,
                    dedup_key: None,
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
