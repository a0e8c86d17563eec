//! Recording what a message means: its planned events written (each once, by a dedup key of
//! the message's hash), the summary counted, the message remembered in `inbound_messages`;
//! and the settle promotion of quiet sends. All inside the engine's batched transaction.

use crate::model::detail::{Delivery, EventDetail, Field};
use anyhow::Result;
use serde::Serialize;

use super::pipeline::{Headers, date_in};
use super::plan::{Planned, Plans, clamp_time, format_duration};
use super::{Engine, Ingested, Note, matcher};
use crate::bounce::{self, Action, Analysis, MessageKind};
use crate::db::events::NewEvent;
use crate::db::inbound::{self, Inbound};
use crate::model::{BounceClass, EventKind, email_key};
use crate::{clock, db};

impl Engine<'_> {
    /// Record what an analysed message says, its header fields already read.
    pub(super) fn apply_parsed(
        &mut self,
        a: &Analysis,
        headers: &Headers,
        hash: &str,
        place: &str,
        source: &str,
    ) -> Result<Ingested> {
        self.tx.begin()?;
        let reply_ids = matcher::reply_ids_in(headers);
        let keys = matcher::mailbox_keys(self.secret.as_ref(), headers, a, &reply_ids);
        let keyed = matcher::keyed(self.conn, &keys)?;
        let targets = matcher::targets(self.conn, a, keyed.as_ref(), self.opts.certificate_id)?;
        let plans = self.plan_all(a, targets);

        // A certificate filter leaves mail about other certificates (and unmatched mail, which
        // may be theirs) for a run without the filter.
        let bounce_without_reports = a.kind == MessageKind::Bounce && a.recipients.is_empty();
        if self.opts.certificate_id.is_some()
            && plans.planned.is_empty()
            && (plans.other_certificate
                || !plans.unmatched_addresses.is_empty()
                || bounce_without_reports)
        {
            self.summary.other_certificate += 1;
            return Ok(Ingested::Skipped);
        }
        let outcome = self.outcome(a, &plans, place);
        let at_default = date_in(headers);
        for p in &plans.planned {
            self.record(p, at_default, hash, place, source)?;
        }
        let matched = keyed.as_ref().map(|(_, s)| s.as_str());
        self.remember(a, &plans, matched, hash, place, outcome)?;
        self.tx.wrote()?;
        Ok(Ingested::Recorded)
    }

    /// Write one planned event (unless it was recorded before) and count it.
    fn record(
        &mut self,
        p: &Planned,
        date: Option<chrono::DateTime<chrono::Utc>>,
        hash: &str,
        place: &str,
        source: &str,
    ) -> Result<()> {
        let t_sent = match &p.not_before {
            Some(at) => Some(at.clone()),
            None => inbound::target(self.conn, p.recipient_id)?.and_then(|t| t.sent_at),
        };
        let at = clamp_time(date, t_sent.as_deref(), self.now);
        let detail = p.stored_detail(place);
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
            return Ok(());
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
        Ok(())
    }

    /// Remember the message (by its hash) with what became of it.
    fn remember(
        &self,
        a: &Analysis,
        plans: &Plans,
        matched: Option<&'static str>,
        hash: &str,
        place: &str,
        outcome: &str,
    ) -> Result<()> {
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
            matched,
        };
        inbound::remember(
            self.conn,
            &Inbound {
                hash,
                source: place,
                received_at: &clock::stamp(self.now),
                outcome,
                recipient_id: plans.planned.first().map(|p| p.recipient_id),
                summary: &serde_json::to_string(&summary)?,
            },
        )?;
        Ok(())
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
        let how = p.detail.origin().matched.text().unwrap_or("");
        let change = match (before, after) {
            (Some((b, cert)), Some((a, _))) if a != b => format!("{b} -> {a} ('{cert}')"),
            (Some((b, cert)), _) => format!("stays {b} ('{cert}')"),
            _ => String::new(),
        };
        let why = match &p.detail {
            EventDetail::Bounced(f) => format!(": {}", f.summary()),
            EventDetail::Delayed(f) => format!(": {}", f.delay_summary()),
            _ => String::new(),
        };
        self.note(Note::Change(format!(
            "{verb} {} for <{}>{why}, matched by {how}: {change}",
            p.kind, p.email
        )));
    }

    /// Count one recorded bounce event in the summary by what it does to the recipient.
    fn count_bounce(&mut self, detail: &EventDetail) {
        let EventDetail::Bounced(f) = detail else {
            return;
        };
        match f.class() {
            BounceClass::Hard => self.summary.bounced += 1,
            BounceClass::Soft => {
                self.summary.bounced += 1;
                self.summary.soft_bounced += 1;
            }
            BounceClass::NeedsReview => self.summary.needs_review += 1,
            BounceClass::SenderSide => self.summary.sender_side += 1,
        }
    }

    /// Promote Pending recipients sent at least `settle` ago, with no bounce or delay since, to
    /// Delivered (evidence "settle"). Returns how many.
    pub fn settle(&mut self) -> Result<u64> {
        self.tx.begin()?;
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
                detail: EventDetail::Delivered(Delivery {
                    evidence: Field::Value("settle".into()),
                    sent_at: Field::Value(q.sent_at.clone()),
                    settle: Field::Value(format_duration(self.opts.settle)),
                    ..Delivery::default()
                })
                .to_value(),
                dedup_key: Some(format!("settle:{}", q.sent_event_id)),
            };
            if db::events::record(self.conn, &new)? {
                n += 1;
                let verb = if self.opts.dry_run {
                    "would mark"
                } else {
                    "marked"
                };
                self.note(Note::Change(format!(
                    "{verb} <{}> Delivered ('{}'): sent {}, no bounce within {}",
                    q.email,
                    q.certificate,
                    q.sent_at,
                    format_duration(self.opts.settle)
                )));
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
