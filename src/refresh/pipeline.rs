//! The refresh pipeline: raw messages in chunks from a source, hashed and analysed on every
//! core (each message once: a hash already remembered is not analysed again), then applied in
//! the order read on the engine's thread. Also what the pipeline reads of every message itself:
//! its identity ([`message_hash`]) and the few top-level header fields refresh needs.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{Engine, Ingested};
use crate::bounce::{Analysis, AnalysisFailed};
use crate::db::inbound;

/// Reads one raw message.
pub(crate) type Analyzer = fn(&[u8]) -> Result<Analysis, AnalysisFailed>;

/// A message's identity for "already read": the SHA-256 (hex) of its bytes read the same way
/// whatever the source, so one message read from a Maildir file (LF), over IMAP (CRLF) and
/// from an mbox (quoted `From ` lines, a blank separator line) is one message:
/// - every line ending (CRLF, CR, LF) is read as LF, and the end as exactly one LF;
/// - a line that starts `From ` behind any number of `>` (mbox quoting, mboxo or mboxrd)
///   is read without the `>`s.
///
/// A Maildir message with LF endings, ending in one LF and with no quoted line, hashes to the
/// SHA-256 of its raw bytes: what earlier versions remembered.
pub fn message_hash(raw: &[u8]) -> String {
    let mut h = Sha256::new();
    let mut rest = raw;
    // Blank lines are held back until a non-blank line follows: trailing ones are dropped.
    let mut blank_lines = 0usize;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = &rest[end..];
        if next.starts_with(b"\r\n") {
            next = &next[2..];
        } else if !next.is_empty() {
            next = &next[1..];
        }
        rest = next;
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        for _ in 0..blank_lines {
            h.update(b"\n");
        }
        blank_lines = 0;
        let unquoted = &line[line.iter().take_while(|&&b| b == b'>').count()..];
        h.update(if unquoted.starts_with(b"From ") {
            unquoted
        } else {
            line
        });
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// A message's hash, and its analysis and header fields unless the hash is known already.
pub(super) type Analysed = (String, Option<(Result<Analysis, AnalysisFailed>, Headers)>);

/// Hash a message and read it unless it is known. Never panics (`try_analyze` catches).
fn analyse_one(raw: &[u8], known: &HashSet<String>, analyzer: Analyzer) -> Analysed {
    let hash = message_hash(raw);
    let read = (!known.contains(&hash)).then(|| (analyzer(raw), Headers::parse(raw)));
    (hash, read)
}

/// Messages read together (place, raw bytes), with the errors met reading them.
pub type Chunk = (Vec<(String, Vec<u8>)>, Vec<String>);

/// A chunk on its way through `Engine::ingest_stream`: each message's reading is put in its
/// slot by whichever analysing thread took it (`next` hands the messages out).
struct Batch {
    items: Vec<(String, Vec<u8>)>,
    errors: Vec<String>,
    slots: Vec<OnceLock<Analysed>>,
    next: AtomicUsize,
}

impl Batch {
    fn new(items: Vec<(String, Vec<u8>)>, errors: Vec<String>) -> Batch {
        let slots = items.iter().map(|_| OnceLock::new()).collect();
        Batch {
            items,
            errors,
            slots,
            next: AtomicUsize::new(0),
        }
    }
}

/// What the analysing threads share: where chunks arrive, and the chunk they are working on.
type Shared = Mutex<(Receiver<Arc<Batch>>, Option<Arc<Batch>>)>;

/// One analysing thread: take the next message of the current chunk; when it has none left,
/// the next chunk (the first thread to get there receives it for all). Ends when the chunks do.
fn analyse_stream(shared: &Shared, known: &HashSet<String>, analyzer: Analyzer) {
    let mut mine: Option<Arc<Batch>> = None;
    loop {
        if let Some(b) = &mine {
            let i = b.next.fetch_add(1, Ordering::Relaxed);
            if let Some((_, raw)) = b.items.get(i) {
                // Every slot must be filled, or the applying thread would wait forever.
                let a = std::panic::catch_unwind(|| analyse_one(raw, known, analyzer))
                    .unwrap_or_else(|_| (message_hash(raw), None));
                let _ = b.slots[i].set(a);
                continue;
            }
        }
        // The lock guards no invariant a panic could break.
        let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
        let (rx, current) = &mut *guard;
        let newer = match (&*current, &mine) {
            (Some(c), Some(m)) => !Arc::ptr_eq(c, m),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if newer {
            mine = current.clone();
            continue;
        }
        match rx.recv() {
            Ok(b) => {
                *current = Some(Arc::clone(&b));
                mine = Some(b);
            }
            Err(_) => return,
        }
    }
}

impl Engine<'_> {
    /// Process a stream of chunks of messages, each with the errors met reading it (reported
    /// before its messages are applied). The chunks are produced on a thread of their own (a
    /// source reads files there), the messages analysed on every core without waiting at chunk
    /// boundaries, and applied in order on this thread. `parallel` false analyses here.
    pub fn ingest_stream<I>(
        &mut self,
        chunks: I,
        source: &str,
        parallel: bool,
    ) -> Result<Vec<Ingested>>
    where
        I: Iterator<Item = Chunk> + Send,
    {
        if self.known.is_none() {
            self.known = Some(inbound::all_hashes(self.conn)?);
        }
        // Lent to the analysing threads for the run; the hashes recorded meanwhile are added
        // afterwards (it is only a hint: `inbound::seen` decides).
        let mut known = self.known.take().expect("loaded above");
        let mut recorded = Vec::new();
        let result = self.run_stream(chunks, &known, source, parallel, &mut recorded);
        known.extend(recorded);
        self.known = Some(known);
        result
    }

    /// Start the reading thread and the analysing threads, and apply on this one.
    fn run_stream<I>(
        &mut self,
        chunks: I,
        known: &HashSet<String>,
        source: &str,
        parallel: bool,
        recorded: &mut Vec<String>,
    ) -> Result<Vec<Ingested>>
    where
        I: Iterator<Item = Chunk> + Send,
    {
        let workers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let parallel = parallel && workers > 1;
        let analyzer = self.analyzer;
        // Chunks go to the analysing threads (through `shared`, which also holds the chunk
        // they are working on) and, in the same order, to this thread. Both channels are
        // bounded, so only a few chunks are in memory at a time.
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<Arc<Batch>>(1);
        let (apply_tx, apply_rx) = std::sync::mpsc::sync_channel::<Arc<Batch>>(2);
        let shared: Shared = Mutex::new((work_rx, None));
        std::thread::scope(|s| {
            s.spawn(move || feed(chunks, parallel.then_some(work_tx), apply_tx));
            if parallel {
                for _ in 0..workers {
                    s.spawn(|| analyse_stream(&shared, known, analyzer));
                }
            }
            let reading = Reading {
                known,
                analyzer,
                parallel,
                source,
            };
            self.apply_batches(apply_rx, &reading, recorded)
        })
    }

    /// Apply the chunks as they arrive, in order; stop between chunks when asked to.
    fn apply_batches(
        &mut self,
        batches: Receiver<Arc<Batch>>,
        reading: &Reading<'_>,
        recorded: &mut Vec<String>,
    ) -> Result<Vec<Ingested>> {
        let mut out = Vec::new();
        for batch in batches {
            // SIGINT/SIGTERM: stop between batches; what was applied is kept.
            if crate::signal::requested().is_some() {
                break;
            }
            for e in &batch.errors {
                self.error(e.clone());
            }
            for (i, (place, raw)) in batch.items.iter().enumerate() {
                let computed;
                let analysed = if reading.parallel {
                    batch.slots[i].wait()
                } else {
                    computed = analyse_one(raw, reading.known, reading.analyzer);
                    &computed
                };
                let r = self.apply_read(place, raw, analysed, reading)?;
                if r == Ingested::Recorded {
                    recorded.push(analysed.0.clone());
                }
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Apply one message, read by the analysing threads (or here, when its hash was thought
    /// known but is not remembered after all).
    fn apply_read(
        &mut self,
        place: &str,
        raw: &[u8],
        (hash, analysis): &Analysed,
        reading: &Reading<'_>,
    ) -> Result<Ingested> {
        self.summary.messages += 1;
        if inbound::seen(self.conn, hash)? {
            self.summary.already_seen += 1;
            return Ok(Ingested::Seen);
        }
        let fresh;
        let (analysis, headers) = match analysis {
            Some((a, h)) => (a, h),
            None => {
                fresh = ((reading.analyzer)(raw), Headers::parse(raw));
                (&fresh.0, &fresh.1)
            }
        };
        match analysis {
            Ok(a) => self.apply_parsed(a, headers, hash, place, reading.source),
            Err(e) => {
                // Not remembered: the next run reads it again.
                self.error(format!("{place}: {e}; it will be read again next run"));
                Ok(Ingested::Failed)
            }
        }
    }
}

/// How the messages of one stream are read.
struct Reading<'a> {
    known: &'a HashSet<String>,
    analyzer: Analyzer,
    parallel: bool,
    /// The event source (`dsn`, `imap`).
    source: &'a str,
}

/// The reading thread: each chunk to the analysing threads (when there are any) and, in the
/// same order, to the applying one. A closed channel means the applying thread stopped (an
/// error): stop.
fn feed<I: Iterator<Item = Chunk>>(
    chunks: I,
    work: Option<SyncSender<Arc<Batch>>>,
    apply: SyncSender<Arc<Batch>>,
) {
    for (items, errors) in chunks {
        let batch = Arc::new(Batch::new(items, errors));
        if let Some(work) = &work
            && work.send(Arc::clone(&batch)).is_err()
        {
            break;
        }
        if apply.send(batch).is_err() {
            break;
        }
    }
}

/// The header block of a raw message (up to the first empty line).
fn header_block(raw: &[u8]) -> &[u8] {
    let end = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|p| p + 1)
        .or_else(|| raw.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 2))
        .unwrap_or(raw.len());
    &raw[..end]
}

/// The top-level header fields refresh reads itself (delivery addresses, date, reply ids),
/// unfolded, in order: the header block is read once per message.
pub struct Headers(Vec<(String, String)>);

impl Headers {
    const WANTED: [&'static str; 8] = [
        "X-Original-To",
        "Delivered-To",
        "Envelope-To",
        "X-Envelope-To",
        "To",
        "Date",
        "In-Reply-To",
        "References",
    ];

    pub(super) fn parse(raw: &[u8]) -> Headers {
        let text = String::from_utf8_lossy(header_block(raw));
        let mut out: Vec<(String, String)> = Vec::new();
        // Whether continuation lines belong to the last field kept.
        let mut open = false;
        for line in text.lines() {
            if line.starts_with([' ', '\t']) {
                if open && let Some((_, v)) = out.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                continue;
            }
            open = false;
            if let Some((n, v)) = line.split_once(':') {
                let n = n.trim();
                if let Some(name) = Self::WANTED.iter().find(|w| w.eq_ignore_ascii_case(n)) {
                    out.push((name.to_string(), v.trim().to_string()));
                    open = true;
                }
            }
        }
        Headers(out)
    }

    /// Values of the fields named `name` (one of `WANTED`), in order.
    pub(super) fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        debug_assert!(Self::WANTED.contains(&name));
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The message's `Date:`, when it parses.
pub(super) fn date_in(headers: &Headers) -> Option<DateTime<Utc>> {
    let v = headers.values("Date").next()?;
    let v = v.split(" (").next().unwrap_or(v).trim();
    DateTime::parse_from_rfc2822(v)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock;
    use crate::refresh::matcher::reply_ids_in;

    #[test]
    fn one_message_has_one_identity_whatever_the_source() {
        let maildir = b"From: MAILER-DAEMON\nSubject: Undelivered\n\nFrom here on, a body.\n>From a quoted line\n\nend\n";
        let legacy = hex::encode(Sha256::digest(&maildir[..]));
        assert_ne!(message_hash(maildir), legacy, "it has quoted lines");
        let plain = b"Subject: x\n\nbody\n";
        assert_eq!(
            message_hash(plain),
            hex::encode(Sha256::digest(&plain[..])),
            "an LF message without quoting keeps the hash earlier versions stored"
        );
        let text = String::from_utf8(maildir.to_vec()).unwrap();
        let crlf = text.replace('\n', "\r\n");
        let cr = text.replace('\n', "\r");
        let mboxo = text.replace("\nFrom here", "\n>From here");
        let mboxrd = mboxo.replace("\n>From a", "\n>>From a");
        let separator = format!("{text}\n");
        let no_final = text.trim_end().to_owned();
        for shape in [&crlf, &cr, &mboxo, &mboxrd, &separator, &no_final] {
            assert_eq!(
                message_hash(shape.as_bytes()),
                message_hash(maildir),
                "{shape:?}"
            );
        }
        for other in [
            text.replace("end", "End"),
            text.replace("\n\nend", "\nend"),
            text.replace("a body", "a  body"),
        ] {
            assert_ne!(
                message_hash(other.as_bytes()),
                message_hash(maildir),
                "{other:?}"
            );
        }
    }

    #[test]
    fn header_values_unfold_and_dates_parse() {
        let raw = b"Subject: a\r\nDate: Tue, 3 Mar 2026 10:00:00 +0100\r\nIn-Reply-To:\r\n <x@y>\r\n\r\nDate: no";
        assert_eq!(
            date_in(&Headers::parse(raw)).map(clock::stamp).as_deref(),
            Some("2026-03-03T09:00:00Z")
        );
        assert_eq!(reply_ids_in(&Headers::parse(raw)), vec!["x@y".to_string()]);
    }
}
