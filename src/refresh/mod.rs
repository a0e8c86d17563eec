//! `refresh`: read bounce mailboxes (Maildir, mbox, IMAP), tie each message to the send it is
//! about, and record what it says; then promote quiet sends to Delivered.
//!
//! Every source feeds raw messages to one [`Engine::ingest`], which remembers each message by
//! the SHA-256 of its bytes (`inbound_messages`), so reading the same mail again changes
//! nothing. Matching uses the strongest key present: the signed VERP token in the address the
//! bounce came back to, then the `X-Certstat-Id` or Message-ID of the returned original, then
//! the failed address among recipients who were sent mail. The key used is stored in the
//! event detail (`match`).

pub mod imap;
pub mod providers;
pub mod sources;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::bounce::{self, Action, Analysis, AnalysisFailed, MessageKind, Reason, RecipientReport};
use crate::db::events::NewEvent;
use crate::db::inbound::{self, Inbound};
use crate::mail::compose::verp_send_id;
use crate::model::{BounceClass, EventKind, email_key};
use crate::tokens::Secret;
use crate::{clock, db};

/// How strongly a message was tied to its recipient, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// The signed VERP token of the envelope sender the bounce was returned to.
    Verp,
    /// The `X-Certstat-Id` header of the returned original.
    CertstatId,
    /// The Message-ID of the returned original (or an auto-reply's In-Reply-To).
    MessageId,
    /// The failed address, among recipients who were sent mail.
    Address,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Verp => "verp",
            Strength::CertstatId => "certstat_id",
            Strength::MessageId => "message_id",
            Strength::Address => "address",
        }
    }
}

/// What a run should do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only recipients of this certificate; mail about others is left for a later run.
    pub certificate_id: Option<i64>,
    pub dry_run: bool,
    /// Pending recipients sent at least this long ago with no bounce become Delivered.
    pub settle: chrono::Duration,
    /// Print every change (always under `--dry-run`).
    pub verbose: bool,
    pub quiet: bool,
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

/// Commit every this many messages (a crash loses at most one batch, which is redone).
const BATCH: usize = 200;

/// One refresh run over one database.
pub struct Engine<'c> {
    conn: &'c Connection,
    secret: Option<Secret>,
    pub opts: Options,
    pub summary: Summary,
    in_tx: bool,
    batch: usize,
    now: DateTime<Utc>,
    /// Hashes already processed (loaded once; a hint that spares analysing them again).
    known: Option<HashSet<String>>,
    /// How one message is read: `bounce::try_analyze` (tests put a failing reader here).
    analyzer: Analyzer,
}

/// Reads one raw message.
pub(crate) type Analyzer = fn(&[u8]) -> Result<Analysis, AnalysisFailed>;

/// One event to record, before it is written.
struct Planned {
    recipient_id: i64,
    email: String,
    kind: EventKind,
    detail: Value,
    /// When the message it is about was handed over (matched by a key).
    not_before: Option<String>,
}

impl Planned {
    /// The event `kind` for `t`. Matched by a key, it names the message it is about (a
    /// reminder's bounce is the reminder's, not the first email's) and is never dated before it.
    fn new(t: &inbound::Target, kind: EventKind, mut detail: Value) -> Planned {
        if let Some(send) = &t.send {
            detail["send_id"] = json!(send.send_id);
            if let Some(notice) = &send.notice {
                detail["notice"] = json!(notice);
            }
        }
        Planned {
            recipient_id: t.recipient_id,
            email: t.email.clone(),
            kind,
            detail,
            not_before: t.send.as_ref().map(|s| s.at.clone()),
        }
    }
}

impl<'c> Engine<'c> {
    pub fn new(conn: &'c Connection, secret: Option<Secret>, opts: Options) -> Engine<'c> {
        Engine {
            conn,
            secret,
            opts,
            summary: Summary::default(),
            in_tx: false,
            batch: 0,
            now: clock::now(),
            known: None,
            analyzer: bounce::try_analyze,
        }
    }

    /// The same engine reading messages with `analyzer`.
    #[cfg(test)]
    pub(crate) fn with_analyzer(mut self, analyzer: Analyzer) -> Engine<'c> {
        self.analyzer = analyzer;
        self
    }

    fn begin(&mut self) -> Result<()> {
        if !self.in_tx {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.in_tx = true;
            self.batch = 0;
        }
        Ok(())
    }

    /// Make what was applied so far durable (nothing under `--dry-run`).
    pub fn commit(&mut self) -> Result<()> {
        if self.in_tx && !self.opts.dry_run {
            self.conn.execute_batch("COMMIT")?;
            self.in_tx = false;
        }
        Ok(())
    }

    /// End the run: commit, or under `--dry-run` throw everything away.
    pub fn finish(&mut self) -> Result<()> {
        if self.in_tx {
            if self.opts.dry_run {
                self.conn.execute_batch("ROLLBACK")?;
            } else {
                self.conn.execute_batch("COMMIT")?;
            }
            self.in_tx = false;
        }
        Ok(())
    }

    /// A source failed (unreadable mailbox, IMAP login): reported, counted, exit 1.
    pub fn error(&mut self, message: String) {
        self.summary.errors.push(message);
    }

    fn say(&self, msg: String) {
        if !self.opts.quiet && (self.opts.verbose || self.opts.dry_run) {
            eprintln!("{msg}");
        }
    }

    fn warn(&self, msg: String) {
        if !self.opts.quiet {
            eprintln!("certstat: warning: {msg}");
        }
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
        let result = self.apply_stream(chunks, &known, source, parallel, &mut recorded);
        known.extend(recorded);
        self.known = Some(known);
        result
    }

    fn apply_stream<I>(
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
            s.spawn(move || {
                for (items, errors) in chunks {
                    let batch = Arc::new(Batch::new(items, errors));
                    // A closed channel means this thread stopped applying (an error): stop.
                    if parallel && work_tx.send(Arc::clone(&batch)).is_err() {
                        break;
                    }
                    if apply_tx.send(batch).is_err() {
                        break;
                    }
                }
            });
            if parallel {
                for _ in 0..workers {
                    s.spawn(|| analyse_stream(&shared, known, analyzer));
                }
            }
            let mut out = Vec::new();
            for batch in apply_rx {
                // SIGINT/SIGTERM: stop between batches; what was applied is kept.
                if crate::signal::requested().is_some() {
                    break;
                }
                for e in &batch.errors {
                    self.error(e.clone());
                }
                for (i, (place, raw)) in batch.items.iter().enumerate() {
                    let computed;
                    let (hash, analysis) = if parallel {
                        batch.slots[i].wait()
                    } else {
                        computed = analyse_one(raw, known, analyzer);
                        &computed
                    };
                    self.summary.messages += 1;
                    if inbound::seen(self.conn, hash)? {
                        self.summary.already_seen += 1;
                        out.push(Ingested::Seen);
                        continue;
                    }
                    let fresh;
                    let (analysis, headers) = match analysis {
                        Some((a, h)) => (a, h),
                        None => {
                            fresh = (analyzer(raw), Headers::parse(raw));
                            (&fresh.0, &fresh.1)
                        }
                    };
                    let analysis = match analysis {
                        Ok(a) => a,
                        Err(e) => {
                            // Not remembered: the next run reads it again.
                            self.error(format!("{place}: {e}; it will be read again next run"));
                            out.push(Ingested::Failed);
                            continue;
                        }
                    };
                    let r = self.apply_parsed(analysis, headers, hash, place, source)?;
                    if r == Ingested::Recorded {
                        recorded.push(hash.clone());
                    }
                    out.push(r);
                }
            }
            Ok(out)
        })
    }

    /// Record what an analysed message says, its header fields already read.
    fn apply_parsed(
        &mut self,
        a: &Analysis,
        headers: &Headers,
        hash: &str,
        place: &str,
        source: &str,
    ) -> Result<Ingested> {
        self.begin()?;
        let keyed = self.keyed_target(headers, a)?;
        let mut planned: Vec<Planned> = Vec::new();
        let mut unmatched_addresses: Vec<String> = Vec::new();
        let mut other_cert = false;
        let at_default = date_in(headers);

        // Which recipient each report is about.
        let mut targets: Vec<(Option<inbound::Target>, Strength, Option<&RecipientReport>)> =
            Vec::new();
        match &a.kind {
            MessageKind::NotBounce => {}
            MessageKind::Bounce | MessageKind::Feedback { .. } => {
                if let Some((t, strength)) = &keyed {
                    let report = pick_report(&a.recipients, &t.email);
                    targets.push((Some(t.clone()), *strength, report));
                    // The other recipients the same report names, each with its own reason.
                    for r in a.recipients.iter().filter(|r| !report_is(r, report)) {
                        if let Some(other) = self.by_address(r)?
                            && other.recipient_id != t.recipient_id
                        {
                            targets.push((Some(other), Strength::Address, Some(r)));
                        }
                    }
                } else {
                    for r in &a.recipients {
                        let t = self.by_address(r)?;
                        targets.push((t, Strength::Address, Some(r)));
                    }
                }
            }
            MessageKind::AutoReply => {
                if let Some((t, strength)) = &keyed {
                    targets.push((Some(t.clone()), *strength, a.recipients.first()));
                } else if let Some(r) = a.recipients.first() {
                    let t = self.by_address(r)?;
                    targets.push((t, Strength::Address, Some(r)));
                }
            }
        }
        let bounce_without_reports = a.kind == MessageKind::Bounce && a.recipients.is_empty();
        if bounce_without_reports && let Some((t, strength)) = &keyed {
            targets.push((Some(t.clone()), *strength, None));
        }

        for (target, strength, report) in targets {
            let Some(t) = target else {
                if let Some(r) = report {
                    unmatched_addresses.push(r.address.clone());
                }
                continue;
            };
            if let Some(cert) = self.opts.certificate_id
                && cert != t.certificate_id
            {
                other_cert = true;
                continue;
            }
            if let Some(p) = self.plan(a, &t, strength, report) {
                planned.push(p);
            }
        }

        // A certificate filter leaves mail about other certificates (and unmatched mail, which
        // may be theirs) for a run without the filter.
        if self.opts.certificate_id.is_some()
            && planned.is_empty()
            && (other_cert || !unmatched_addresses.is_empty() || bounce_without_reports)
        {
            self.summary.other_certificate += 1;
            return Ok(Ingested::Skipped);
        }

        let outcome = if !planned.is_empty() {
            "applied"
        } else if a.kind == MessageKind::NotBounce
            || (!a.recipients.is_empty()
                && a.recipients
                    .iter()
                    .all(|r| matches!(r.action, Action::Relayed | Action::Expanded)))
        {
            self.summary.ignored += 1;
            "ignored"
        } else {
            self.summary.unmatched += 1;
            let what = match &a.kind {
                MessageKind::Bounce => "bounce",
                MessageKind::Feedback { .. } => "complaint",
                MessageKind::AutoReply => "auto-reply",
                MessageKind::NotBounce => "message",
            };
            let addrs = if unmatched_addresses.is_empty() {
                "no recipient address found".to_string()
            } else {
                format!("about {}", unmatched_addresses.join(", "))
            };
            let subject = a.subject.as_deref().unwrap_or("");
            self.summary.unmatched_list.push(format!(
                "unmatched {what} {addrs} (subject \"{}\"; {place})",
                crate::model::sanitize_cell(subject)
            ));
            "unmatched"
        };

        let now_stamp = clock::stamp(self.now);
        for p in &planned {
            let t_sent = match &p.not_before {
                Some(at) => Some(at.clone()),
                None => inbound::target(self.conn, p.recipient_id)?.and_then(|t| t.sent_at),
            };
            let at = clamp_time(at_default, t_sent.as_deref(), self.now);
            let mut detail = p.detail.clone();
            detail["via"] = json!(place);
            let before = inbound::status_of(self.conn, p.recipient_id)?;
            let new = NewEvent {
                recipient_id: p.recipient_id,
                kind: p.kind,
                at: &at,
                source,
                detail,
                dedup_key: Some(format!("{hash}:{}:{}", email_key(&p.email), p.kind)),
            };
            if !db::events::record(self.conn, &new)? {
                continue;
            }
            match p.kind {
                EventKind::Bounced => self.count_bounce(&p.detail),
                EventKind::Delayed => self.summary.delayed += 1,
                EventKind::Delivered => self.summary.delivered += 1,
                EventKind::Complained => self.summary.complained += 1,
                EventKind::AutoReply => self.summary.auto_replies += 1,
                _ => {}
            }
            let after = inbound::status_of(self.conn, p.recipient_id)?;
            self.describe(p, before, after);
        }

        let summary = InboundSummary {
            kind: &a.kind,
            subject: &a.subject,
            recipients: a
                .recipients
                .iter()
                .map(|r| RecipientSummary {
                    address: &r.address,
                    action: r.action,
                    status: &r.status,
                    reason: r.reason,
                    hard: r.hard,
                })
                .collect(),
            matched: keyed.as_ref().map(|(_, s)| s.as_str()),
        };
        inbound::remember(
            self.conn,
            &Inbound {
                hash,
                source: place,
                received_at: &now_stamp,
                outcome,
                recipient_id: planned.first().map(|p| p.recipient_id),
                summary: &serde_json::to_string(&summary)?,
            },
        )?;
        self.batch += 1;
        if self.batch >= BATCH {
            self.commit()?;
        }
        Ok(Ingested::Recorded)
    }

    fn describe(
        &self,
        p: &Planned,
        before: Option<(String, String)>,
        after: Option<(String, String)>,
    ) {
        let verb = if self.opts.dry_run {
            "would record"
        } else {
            "recorded"
        };
        let how = p.detail.get("match").and_then(Value::as_str).unwrap_or("");
        let change = match (before, after) {
            (Some((b, cert)), Some((a, _))) if a != b => format!("{b} -> {a} ('{cert}')"),
            (Some((b, cert)), _) => format!("stays {b} ('{cert}')"),
            _ => String::new(),
        };
        let why = match p.kind {
            EventKind::Bounced | EventKind::Delayed => {
                format!(": {}", crate::model::bounce_detail(&p.detail))
            }
            _ => String::new(),
        };
        self.say(format!(
            "{verb} {} for <{}>{why}, matched by {how}: {change}",
            p.kind, p.email
        ));
    }

    /// The strongest key in the message: VERP token, X-Certstat-Id, Message-ID.
    fn keyed_target(
        &self,
        headers: &Headers,
        a: &Analysis,
    ) -> Result<Option<(inbound::Target, Strength)>> {
        if let Some(secret) = &self.secret {
            // Our own reading of the delivery headers too: it keeps addresses in single-label
            // domains (bounces+…@localhost) that a general address finder drops.
            let mut addresses = envelope_addresses(headers);
            addresses.extend(a.to_addresses.iter().cloned());
            for addr in &addresses {
                for token in verp_candidates(addr) {
                    if let Some(send_id) = verp_send_id(secret, token)
                        && let Some(t) = self.by_send_id(&send_id)?
                    {
                        return Ok(Some((t, Strength::Verp)));
                    }
                }
            }
        }
        for id in &a.certstat_ids {
            if let Some(t) = self.by_send_id(id)? {
                return Ok(Some((t, Strength::CertstatId)));
            }
        }
        let mut ids = a.original_message_ids.clone();
        if a.kind == MessageKind::AutoReply {
            ids.extend(reply_ids_in(headers));
        }
        for id in &ids {
            if let Some(t) = self.by_send_id(id.split('@').next().unwrap_or_default())? {
                return Ok(Some((t, Strength::MessageId)));
            }
        }
        Ok(None)
    }

    /// The recipient of the message with this send id, with that message (a first email, a
    /// reminder, an expiry notice): what comes back is about that message.
    fn by_send_id(&self, send_id: &str) -> Result<Option<inbound::Target>> {
        let Some(send) = crate::db::sends::send_of(self.conn, send_id)? else {
            return Ok(None);
        };
        Ok(inbound::target(self.conn, send.recipient_id)?.map(|mut t| {
            t.send = Some(send);
            t
        }))
    }

    /// The recipient a report's address belongs to, among those sent mail (the certificate
    /// filter's first, then the most recently sent).
    fn by_address(&self, r: &RecipientReport) -> Result<Option<inbound::Target>> {
        let mut keys = vec![email_key(&r.address)];
        if let Some(o) = &r.original_address {
            keys.push(email_key(o));
        }
        for key in keys {
            if key.is_empty() {
                continue;
            }
            let found = inbound::sent_to_address(self.conn, &key)?;
            let chosen = match self.opts.certificate_id {
                Some(cert) => found
                    .iter()
                    .find(|t| t.certificate_id == cert)
                    .or(found.first())
                    .cloned(),
                None => found.into_iter().next(),
            };
            if chosen.is_some() {
                return Ok(chosen);
            }
        }
        Ok(None)
    }

    /// Count one recorded bounce event in the summary by what it does to the recipient.
    fn count_bounce(&mut self, detail: &Value) {
        match crate::model::bounce_class(detail) {
            BounceClass::Hard => self.summary.bounced += 1,
            BounceClass::Soft => {
                self.summary.bounced += 1;
                self.summary.soft_bounced += 1;
            }
            BounceClass::NeedsReview => self.summary.needs_review += 1,
            BounceClass::SenderSide => self.summary.sender_side += 1,
        }
    }

    /// The event a report (or an auto-reply / complaint) makes for a recipient.
    fn plan(
        &self,
        a: &Analysis,
        t: &inbound::Target,
        strength: Strength,
        report: Option<&RecipientReport>,
    ) -> Option<Planned> {
        let base = |kind: EventKind, detail: Value| Planned::new(t, kind, detail);
        match &a.kind {
            MessageKind::NotBounce => None,
            MessageKind::AutoReply => Some(base(
                EventKind::AutoReply,
                json!({"match": strength.as_str(), "subject": a.subject}),
            )),
            MessageKind::Feedback { feedback_type } => Some(base(
                EventKind::Complained,
                json!({"match": strength.as_str(), "feedback_type": feedback_type}),
            )),
            MessageKind::Bounce => {
                let Some(r) = report else {
                    // A failure notice we could tie to its send but not classify: the recipient
                    // stays Pending "needs review", out of the settle window, rather than a guess.
                    return Some(base(
                        EventKind::Bounced,
                        json!({"status": null, "reason": "undefined", "hard": false,
                               "needs_review": true, "diagnostic": a.subject,
                               "match": strength.as_str()}),
                    ));
                };
                let mut detail = json!({
                    "status": r.status,
                    "reason": r.reason.as_str(),
                    "hard": r.hard,
                    "diagnostic": r.diagnostic,
                    "remote_mta": r.remote_mta,
                    "reply_code": r.reply_code,
                    "address": r.address,
                    "match": strength.as_str(),
                });
                match r.action {
                    Action::Failed if r.sender_side => {
                        detail["hard"] = json!(false);
                        detail["sender_side"] = json!(true);
                        self.warn(format!(
                            "<{}>: the receiving server refused the message because of the \
                             sender, not the address ({}{}); {}: the recipient stays Pending",
                            t.email,
                            r.reason,
                            r.diagnostic
                                .as_deref()
                                .map(|d| format!(": {}", crate::model::sanitize_cell(d)))
                                .unwrap_or_default(),
                            sender_side_advice(r)
                        ));
                        Some(base(EventKind::Bounced, detail))
                    }
                    Action::Failed => Some(base(EventKind::Bounced, detail)),
                    Action::Delayed => {
                        detail["hard"] = json!(false);
                        Some(base(EventKind::Delayed, detail))
                    }
                    Action::Delivered => Some(base(
                        EventKind::Delivered,
                        json!({"evidence": "dsn", "status": r.status, "remote_mta": r.remote_mta,
                               "match": strength.as_str()}),
                    )),
                    Action::Relayed | Action::Expanded => None,
                }
            }
        }
    }

    /// Promote Pending recipients sent at least `settle` ago, with no bounce or delay since, to
    /// Delivered (evidence "settle"). Returns how many.
    pub fn settle(&mut self) -> Result<u64> {
        self.begin()?;
        let cutoff = clock::stamp(self.now - self.opts.settle);
        let now = clock::stamp(self.now);
        let quiet = inbound::quiet_since(self.conn, &cutoff, self.opts.certificate_id)?;
        let mut n = 0;
        for q in quiet {
            let new = NewEvent {
                recipient_id: q.recipient_id,
                kind: EventKind::Delivered,
                at: &now,
                source: "cli",
                detail: json!({"evidence": "settle", "sent_at": q.sent_at,
                               "settle": format_duration(self.opts.settle)}),
                dedup_key: Some(format!("settle:{}", q.sent_event_id)),
            };
            if db::events::record(self.conn, &new)? {
                n += 1;
                let verb = if self.opts.dry_run {
                    "would mark"
                } else {
                    "marked"
                };
                self.say(format!(
                    "{verb} <{}> Delivered ('{}'): sent {}, no bounce within {}",
                    q.email,
                    q.certificate,
                    q.sent_at,
                    format_duration(self.opts.settle)
                ));
            }
        }
        self.summary.settled += n;
        self.summary.delivered += n;
        Ok(n)
    }
}

/// The `inbound_messages.summary` of a message (serialized in this field order).
#[derive(Serialize)]
struct InboundSummary<'a> {
    kind: &'a MessageKind,
    subject: &'a Option<String>,
    recipients: Vec<RecipientSummary<'a>>,
    #[serde(rename = "match")]
    matched: Option<&'static str>,
}

#[derive(Serialize)]
struct RecipientSummary<'a> {
    address: &'a str,
    action: Action,
    status: &'a Option<String>,
    reason: bounce::Reason,
    hard: bool,
}

/// A message's hash, and its analysis and header fields unless the hash is known already.
type Analysed = (String, Option<(Result<Analysis, AnalysisFailed>, Headers)>);

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

/// What to fix for a sender-side rejection, by what the server objected to.
fn sender_side_advice(r: &RecipientReport) -> &'static str {
    let said = r.diagnostic.as_deref().unwrap_or("").to_ascii_lowercase();
    if said.contains("helo") || said.contains("ehlo") {
        return "check the name the sending server gives in HELO/EHLO (a fully-qualified \
                hostname that resolves)";
    }
    match r.reason {
        Reason::NoRelaying => {
            "the server does not relay for the sender: check the recipient's domain and the \
             SMTP server and credentials in the configuration"
        }
        Reason::AuthFailure => "check SPF, DKIM and DMARC for the sender's domain",
        Reason::RequirePtr => "give the sending server's IP address a reverse DNS (PTR) name",
        Reason::SecurityError => "check the SMTP server's TLS and authentication settings",
        Reason::Rejected => "check the sender (envelope MAIL FROM) address and its domain",
        Reason::SpamDetected
        | Reason::VirusDetected
        | Reason::ContentError
        | Reason::NotCompliantRfc
        | Reason::PolicyViolation => "check the message's content and template",
        Reason::TooManyConn | Reason::Speeding => "send more slowly",
        _ => "check the sending server's IP address reputation and block lists",
    }
}

fn format_duration(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    match s {
        s if s != 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s != 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s != 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The report about `email` (final or original recipient); else the only one; else the first
/// failure; else the first.
/// The report about `email` among a message's reports: the one naming it, else the only one.
/// Of several reports none of which names it, none: another recipient's reason is not theirs
/// (the message still counts as a failure notice that needs review).
fn pick_report<'a>(reports: &'a [RecipientReport], email: &str) -> Option<&'a RecipientReport> {
    let key = email_key(email);
    reports
        .iter()
        .find(|r| {
            email_key(&r.address) == key
                || r.original_address.as_deref().map(email_key).as_deref() == Some(&key)
        })
        .or_else(|| (reports.len() == 1).then(|| &reports[0]))
}

fn report_is(r: &RecipientReport, picked: Option<&RecipientReport>) -> bool {
    picked.is_some_and(|p| std::ptr::eq(p, r))
}

/// Every possible VERP token in an address: what follows each `+` or `-` of the local part.
fn verp_candidates(address: &str) -> impl Iterator<Item = &str> {
    let local = address.rsplit_once('@').map(|(l, _)| l).unwrap_or("");
    local
        .char_indices()
        .filter(|(_, c)| *c == '+' || *c == '-')
        .map(move |(i, _)| &local[i + 1..])
        .filter(|t| t.contains('-'))
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
struct Headers(Vec<(String, String)>);

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

    fn parse(raw: &[u8]) -> Headers {
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
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        debug_assert!(Self::WANTED.contains(&name));
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Addresses in the headers that say where a message was delivered.
fn envelope_addresses(headers: &Headers) -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "X-Original-To",
        "Delivered-To",
        "Envelope-To",
        "X-Envelope-To",
        "To",
    ] {
        for v in headers.values(name) {
            for word in v.split([',', ' ', '<', '>', '"', ';']) {
                let w = word.trim();
                if w.contains('@') && (w.contains('+') || w.contains('-')) {
                    out.push(w.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// The message's `Date:`, when it parses.
fn date_in(headers: &Headers) -> Option<DateTime<Utc>> {
    let v = headers.values("Date").next()?;
    let v = v.split(" (").next().unwrap_or(v).trim();
    DateTime::parse_from_rfc2822(v)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Message-IDs an auto-reply refers to (In-Reply-To, References), without brackets.
fn reply_ids_in(headers: &Headers) -> Vec<String> {
    let mut ids = Vec::new();
    for name in ["In-Reply-To", "References"] {
        for v in headers.values(name) {
            for part in v.split('<').skip(1) {
                if let Some((id, _)) = part.split_once('>') {
                    ids.push(id.trim().to_string());
                }
            }
        }
    }
    ids
}

/// An event time: the message's date, but never before the send it is about nor after now.
pub(crate) fn clamp_time(
    date: Option<DateTime<Utc>>,
    sent_at: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let mut t = date.unwrap_or(now).min(now);
    if let Some(sent) = sent_at.and_then(clock::parse)
        && t < sent
    {
        t = sent.min(now);
    }
    clock::stamp(t)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            verbose: false,
            quiet: true,
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

    #[test]
    fn sender_side_warnings_name_what_to_fix_for_the_reason() {
        let read = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/bounces/own/{name}.eml",
                env!("CARGO_MANIFEST_DIR")
            );
            let a = bounce::analyze(&std::fs::read(path).expect("fixture"));
            a.recipients.into_iter().next().expect("a recipient")
        };
        // Relay denial with SPF/DKIM advice in the server's text: still about relaying.
        for name in ["written-advice-01", "written-advice-03"] {
            let r = read(name);
            assert_eq!(r.reason, Reason::NoRelaying, "{name}");
            let advice = sender_side_advice(&r);
            assert!(
                advice.contains("relay") && !advice.contains("SPF"),
                "{advice}"
            );
        }
        for name in ["written-helo-01", "written-helo-02", "written-helo-03"] {
            assert!(sender_side_advice(&read(name)).contains("HELO"), "{name}");
        }
    }

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
    fn verp_candidates_cover_plus_and_dash_separators() {
        let c: Vec<&str> = verp_candidates("bounces+abc-123@example.org").collect();
        assert_eq!(c, vec!["abc-123"]);
        let c: Vec<&str> = verp_candidates("b+x-abc-123@example.org").collect();
        assert!(c.contains(&"abc-123"), "{c:?}");
        assert_eq!(verp_candidates("plain@example.org").count(), 0);
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
            verbose: false,
            quiet: true,
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

    #[test]
    fn times_are_clamped_between_send_and_now() {
        let now = clock::parse("2026-06-01T00:00:00Z").unwrap();
        let old = clock::parse("2010-01-01T00:00:00Z");
        assert_eq!(
            clamp_time(old, Some("2026-05-01T00:00:00Z"), now),
            "2026-05-01T00:00:00Z"
        );
        let future = clock::parse("2030-01-01T00:00:00Z");
        assert_eq!(clamp_time(future, None, now), "2026-06-01T00:00:00Z");
        assert_eq!(clamp_time(None, None, now), "2026-06-01T00:00:00Z");
    }
}
