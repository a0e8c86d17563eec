//! `refresh`: read bounce mailboxes (Maildir, mbox, IMAP), tie each message to the send it is
//! about, and record what it says; then promote quiet sends to Delivered.
//!
//! Every source feeds raw messages to one [`Engine`], through its pipeline
//! ([`pipeline`]: hashed and analysed on every core, applied in order). Each message is
//! remembered by the SHA-256 of its bytes (`inbound_messages`), so reading the same mail again
//! changes nothing. [`matcher`] ties it to a recipient by the strongest key present (the one
//! matcher provider events use too); [`plan`] turns it into events; [`apply`] records them in
//! the engine's batched transaction. The key used is stored in the event detail (`match`).

mod apply;
#[cfg(test)]
mod golden_tests;
pub mod imap;
pub mod matcher;
mod pipeline;
mod plan;
pub mod providers;
pub mod sources;

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::bounce;
use crate::clock;
use crate::db::{Batched, End};
use crate::tokens::Secret;

pub use matcher::Strength;
pub(crate) use pipeline::Analyzer;
pub use pipeline::{Chunk, message_hash};
pub(crate) use plan::clamp_time;

/// What a run should do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only recipients of this certificate; mail about others is left for a later run.
    pub certificate_id: Option<i64>,
    pub dry_run: bool,
    /// Pending recipients sent at least this long ago with no bounce become Delivered.
    pub settle: chrono::Duration,
}

/// What a run did, for the summary line.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Messages read from every source (including ones already processed).
    pub messages: u64,
    pub already_seen: u64,
    /// Recipients made Bounced (hard and soft).
    pub bounced: u64,
    /// Of `bounced`, the soft ones (retrying may work).
    pub soft_bounced: u64,
    /// Failure notices naming a recipient that could not be classified: kept Pending, out of
    /// the settle window.
    pub needs_review: u64,
    pub delayed: u64,
    /// Success DSNs plus settle promotions.
    pub delivered: u64,
    pub settled: u64,
    pub complained: u64,
    pub auto_replies: u64,
    pub sender_side: u64,
    pub unmatched: u64,
    /// Mail that is neither a bounce, a report nor an auto-reply.
    pub ignored: u64,
    /// Mail about another certificate's recipients (with `refresh CERT`): left unread.
    pub other_certificate: u64,
    pub errors: Vec<String>,
    /// Unmatched messages, for `-v`.
    #[serde(skip)]
    pub unmatched_list: Vec<String>,
}

impl Summary {
    /// `refresh: 3 bounced, 12 delivered, 1 unmatched, 0 errors`, plus the other non-zero counts.
    pub fn line(&self, dry_run: bool) -> String {
        let mut s = format!(
            "refresh{}: {} bounced, {} delivered, {} unmatched, {} errors",
            if dry_run {
                " (dry run, nothing written)"
            } else {
                ""
            },
            self.bounced,
            self.delivered,
            self.unmatched,
            self.errors.len()
        );
        let extra: Vec<String> = [
            (self.soft_bounced, "of them soft"),
            (self.needs_review, "need review"),
            (self.delayed, "delayed"),
            (self.complained, "complaints"),
            (self.auto_replies, "auto-replies"),
            (self.sender_side, "sender-side rejections"),
            (self.ignored, "not bounces"),
            (self.other_certificate, "for other certificates"),
            (self.already_seen, "already read"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !extra.is_empty() {
            s.push_str(&format!(" ({})", extra.join(", ")));
        }
        s
    }
}

/// What happened to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Processed before (same bytes).
    Seen,
    /// Processed now and remembered (applied, unmatched or ignored).
    Recorded,
    /// About another certificate (with `refresh CERT`): not remembered.
    Skipped,
    /// Its analysis failed: counted as an error, not remembered (read again next run).
    Failed,
}

/// Commit every this many messages (a crash loses at most one batch, which is redone).
const BATCH: usize = 200;

/// Something a run has to say as it goes, for the command to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A change recorded (or, under `--dry-run`, that would be).
    Change(String),
    /// A problem to fix that is not an error of the run.
    Warning(String),
}

/// One refresh run over one database.
pub struct Engine<'c> {
    conn: &'c Connection,
    secret: Option<Secret>,
    pub opts: Options,
    pub summary: Summary,
    /// The run's writes, committed every [`BATCH`] messages (never under `--dry-run`).
    tx: Batched<'c>,
    now: DateTime<Utc>,
    /// Hashes already processed (loaded once; a hint that spares analysing them again).
    known: Option<HashSet<String>>,
    /// How one message is read: `bounce::try_analyze` (tests put a failing reader here).
    analyzer: Analyzer,
    /// Where the run's notes go.
    notes: &'c dyn Fn(Note),
}

fn ignore(_: Note) {}

impl<'c> Engine<'c> {
    pub fn new(conn: &'c Connection, secret: Option<Secret>, opts: Options) -> Engine<'c> {
        let end = if opts.dry_run {
            End::Rollback
        } else {
            End::Commit
        };
        Engine {
            conn,
            secret,
            opts,
            summary: Summary::default(),
            tx: Batched::new(conn, BATCH, end),
            now: clock::now(),
            known: None,
            analyzer: bounce::try_analyze,
            notes: &ignore,
        }
    }

    /// The same engine telling `notes` what it does.
    pub fn with_notes(mut self, notes: &'c dyn Fn(Note)) -> Engine<'c> {
        self.notes = notes;
        self
    }

    /// The same engine reading messages with `analyzer`.
    #[cfg(test)]
    pub(crate) fn with_analyzer(mut self, analyzer: Analyzer) -> Engine<'c> {
        self.analyzer = analyzer;
        self
    }

    /// The database the run reads and writes.
    pub fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// Make what was applied so far durable (nothing under `--dry-run`).
    pub fn commit(&mut self) -> Result<()> {
        self.tx.commit()
    }

    /// End the run: commit, or under `--dry-run` throw everything away.
    pub fn finish(&mut self) -> Result<()> {
        self.tx.finish()
    }

    /// A source failed (unreadable mailbox, IMAP login): reported, counted, exit 1.
    pub fn error(&mut self, message: String) {
        self.summary.errors.push(message);
    }

    fn note(&self, note: Note) {
        (self.notes)(note);
    }

    /// Process one raw message read from `place` (for messages and the inbound log); `source`
    /// is the event source (`dsn` or `imap`).
    pub fn ingest(&mut self, raw: Vec<u8>, place: String, source: &str) -> Result<Ingested> {
        Ok(self.ingest_batch(vec![(place, raw)], source)?[0])
    }

    /// Process messages (place, raw bytes): analysed in parallel, applied in order, each as
    /// soon as its analysis is ready (the database work overlaps the analysis of the next ones).
    pub fn ingest_batch(
        &mut self,
        items: Vec<(String, Vec<u8>)>,
        source: &str,
    ) -> Result<Vec<Ingested>> {
        let parallel = items.len() >= 4;
        self.ingest_stream(std::iter::once((items, Vec::new())), source, parallel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::{Analysis, AnalysisFailed};

    /// A reader that fails on messages holding "FAIL-ME" and reads the others as usual: every
    /// real input the readers failed on is fixed, so the failure is simulated here.
    fn failing_reader(raw: &[u8]) -> Result<Analysis, AnalysisFailed> {
        if raw.windows(7).any(|w| w == b"FAIL-ME") {
            return Err(AnalysisFailed("simulated".to_string()));
        }
        bounce::try_analyze(raw)
    }

    #[test]
    fn a_message_whose_analysis_fails_is_an_error_and_read_again_next_run() {
        let conn = Connection::open_in_memory().unwrap();
        let mut conn = conn;
        crate::db::migrations::migrate(&mut conn).unwrap();
        let opts = || Options {
            certificate_id: None,
            dry_run: false,
            settle: chrono::Duration::days(1),
        };
        let items = || {
            (0..6)
                .map(|i| {
                    let body = if i % 3 == 0 { "FAIL-ME" } else { "hello" };
                    let raw = format!("From: a@example.org\nSubject: m{i}\n\n{body} {i}\n");
                    (format!("m{i}"), raw.into_bytes())
                })
                .collect::<Vec<_>>()
        };
        for parallel in [false, true] {
            for run in 0..2 {
                let mut engine = Engine::new(&conn, None, opts()).with_analyzer(failing_reader);
                let out = engine
                    .ingest_stream(std::iter::once((items(), Vec::new())), "dsn", parallel)
                    .unwrap();
                engine.finish().unwrap();
                let failed = out.iter().filter(|o| **o == Ingested::Failed).count();
                assert_eq!(failed, 2, "run {run}: {out:?}");
                assert_eq!(
                    engine.summary.errors.len(),
                    2,
                    "{:?}",
                    engine.summary.errors
                );
                assert!(engine.summary.errors[0].contains("read again next run"));
                let seen = out.iter().filter(|o| **o == Ingested::Seen).count();
                assert_eq!(seen, if run == 0 && !parallel { 0 } else { 4 }, "{out:?}");
            }
        }
        let remembered: i64 = conn
            .query_row("SELECT count(*) FROM inbound_messages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(remembered, 4, "the failed ones are not remembered");
    }

    /// Run `ingest_stream` over corpus messages in chunks of 5 (the last message repeats the
    /// first) on a fresh in-memory database: (outcomes, errors, (source, outcome, summary) rows).
    type StreamRun = (Vec<Ingested>, Vec<String>, Vec<(String, String, String)>);

    fn stream_run(parallel: bool) -> StreamRun {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounces");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        let mut items: Vec<(String, Vec<u8>)> = files
            .iter()
            .take(23)
            .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
            .collect();
        items.push(("again".to_string(), items[0].1.clone()));
        let chunks: Vec<Chunk> = items
            .chunks(5)
            .enumerate()
            .map(|(i, c)| (c.to_vec(), if i == 2 { vec!["e2".into()] } else { vec![] }))
            .collect();
        let opts = Options {
            certificate_id: None,
            dry_run: false,
            settle: chrono::Duration::days(1),
        };
        let mut engine = Engine::new(&conn, None, opts);
        let out = engine
            .ingest_stream(chunks.into_iter(), "dsn", parallel)
            .unwrap();
        engine.finish().unwrap();
        let errors = engine.summary.errors.clone();
        let rows = conn
            .prepare("SELECT source, outcome, summary FROM inbound_messages ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        (out, errors, rows)
    }

    #[test]
    fn a_stream_of_chunks_is_applied_in_order_as_when_read_one_by_one() {
        let (out, errors, rows) = stream_run(true);
        assert_eq!(out.len(), 24);
        assert!(
            out[..23].iter().all(|r| *r == Ingested::Recorded),
            "{out:?}"
        );
        assert_eq!(out[23], Ingested::Seen, "the same bytes again");
        assert_eq!(errors, vec!["e2".to_string()]);
        assert_eq!(rows.len(), 23);
        assert!(rows[0].0.ends_with(".eml") && rows[22].0.ends_with(".eml"));
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(rows, sorted, "applied in the order read");
        // Analysing on other threads changes nothing but the speed.
        assert_eq!(stream_run(false), (out, errors, rows));
    }
}
