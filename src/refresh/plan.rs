//! What one analysed message means for the recipients it is matched to: the events to record
//! ([`Planned`]), and what becomes of a message that names no one ("ignored", "unmatched").

use chrono::{DateTime, Utc};

use super::matcher::{Matched, Strength};
use super::{Engine, Note};
use crate::bounce::{Action, Analysis, MessageKind, Reason, RecipientReport};
use crate::clock;
use crate::db::inbound::Target;
use crate::model::detail::{AutoReply, Complaint, Delivery, EventDetail, Failure, Field};
use crate::model::{EventKind, sanitize_cell};

/// One event to record, before it is written.
pub(super) struct Planned {
    pub recipient_id: i64,
    pub email: String,
    pub kind: EventKind,
    pub detail: EventDetail,
    /// The latest event of the message it is about (matched by a key): its outcome once
    /// recorded, else its hand-over.
    pub not_before: Option<String>,
}

impl Planned {
    /// The event `kind` for `t`. Matched by a key, it names the message it is about (a
    /// reminder's bounce is the reminder's, not the first email's) and is never dated before it.
    fn new(t: &Target, mut detail: EventDetail, how: Strength) -> Planned {
        let origin = detail.origin_mut();
        origin.matched = Field::Value(how.as_str().to_string());
        if let Some(send) = &t.send {
            origin.send_id = Field::Value(send.send_id.clone());
            origin.notice = Field::or_absent(send.notice.clone());
        }
        Planned {
            recipient_id: t.recipient_id,
            email: t.email.clone(),
            kind: detail.kind(),
            detail,
            not_before: t.send.as_ref().map(|s| s.last_at.clone()),
        }
    }
}

impl Planned {
    /// The detail recorded for it, from the bounce file or IMAP message `place`.
    pub fn stored_detail(&self, place: &str) -> serde_json::Value {
        let mut detail = self.detail.clone();
        detail.origin_mut().via = Field::Value(place.to_string());
        detail.to_value()
    }
}

/// The events a message makes, and what kept it from making others.
#[derive(Default)]
pub(super) struct Plans {
    pub planned: Vec<Planned>,
    /// Addresses its reports name that match no recipient who was sent mail.
    pub unmatched_addresses: Vec<String>,
    /// It names a recipient of another certificate than the run's filter.
    pub other_certificate: bool,
}

impl Engine<'_> {
    /// The events for each matched report; a sender-side rejection is also a warning.
    pub(super) fn plan_all(&self, a: &Analysis, targets: Vec<Matched<'_>>) -> Plans {
        let mut plans = Plans::default();
        for (target, strength, report) in targets {
            let Some(t) = target else {
                if let Some(r) = report {
                    plans.unmatched_addresses.push(r.address.clone());
                }
                continue;
            };
            if let Some(cert) = self.opts.certificate_id
                && cert != t.certificate_id
            {
                plans.other_certificate = true;
                continue;
            }
            if let Some(r) = report
                && a.kind == MessageKind::Bounce
                && r.action == Action::Failed
                && r.sender_side
            {
                self.note(Note::Warning(sender_side_warning(&t, r)));
            }
            if let Some(p) = plan(a, &t, strength, report) {
                plans.planned.push(p);
            }
        }
        plans
    }

    /// What became of a message with these plans ("applied", "ignored" or "unmatched"),
    /// counted in the summary; an unmatched one is listed for `-v`.
    pub(super) fn outcome(&mut self, a: &Analysis, plans: &Plans, place: &str) -> &'static str {
        if !plans.planned.is_empty() {
            return "applied";
        }
        if a.kind == MessageKind::NotBounce
            || (!a.recipients.is_empty()
                && a.recipients
                    .iter()
                    .all(|r| matches!(r.action, Action::Relayed | Action::Expanded)))
        {
            self.summary.ignored += 1;
            return "ignored";
        }
        self.summary.unmatched += 1;
        let what = match &a.kind {
            MessageKind::Bounce => "bounce",
            MessageKind::Feedback { .. } => "complaint",
            MessageKind::AutoReply => "auto-reply",
            MessageKind::NotBounce => "message",
        };
        let addrs = if plans.unmatched_addresses.is_empty() {
            "no recipient address found".to_string()
        } else {
            format!("about {}", plans.unmatched_addresses.join(", "))
        };
        let subject = a.subject.as_deref().unwrap_or("");
        self.summary.unmatched_list.push(format!(
            "unmatched {what} {addrs} (subject \"{}\"; {place})",
            sanitize_cell(subject)
        ));
        "unmatched"
    }
}

/// The event a report (or an auto-reply / complaint) makes for a recipient.
pub(super) fn plan(
    a: &Analysis,
    t: &Target,
    strength: Strength,
    report: Option<&RecipientReport>,
) -> Option<Planned> {
    let base = |detail: EventDetail| Planned::new(t, detail, strength);
    match &a.kind {
        MessageKind::NotBounce => None,
        MessageKind::AutoReply => Some(base(EventDetail::AutoReply(AutoReply {
            subject: Field::or_null(a.subject.clone()),
            ..AutoReply::default()
        }))),
        MessageKind::Feedback { feedback_type } => Some(base(EventDetail::Complained(Complaint {
            feedback_type: Field::Value(feedback_type.clone()),
            ..Complaint::default()
        }))),
        MessageKind::Bounce => {
            let Some(r) = report else {
                // A failure notice we could tie to its send but not classify: the recipient
                // stays Pending "needs review", out of the settle window, rather than a guess.
                return Some(base(EventDetail::Bounced(Failure {
                    status: Field::Null,
                    reason: Field::Value("undefined".into()),
                    hard: Field::Value(false),
                    needs_review: Field::Value(true),
                    diagnostic: Field::or_null(a.subject.clone()),
                    ..Failure::default()
                })));
            };
            plan_report(r).map(base)
        }
    }
}

/// The event one recipient report of a bounce makes.
fn plan_report(r: &RecipientReport) -> Option<EventDetail> {
    let failure = || Failure {
        status: Field::or_null(r.status.clone()),
        reason: Field::Value(r.reason.as_str().to_string()),
        hard: Field::Value(r.hard),
        diagnostic: Field::or_null(r.diagnostic.clone()),
        remote_mta: Field::or_null(r.remote_mta.clone()),
        reply_code: Field::or_null(r.reply_code.clone()),
        address: Field::Value(r.address.clone()),
        ..Failure::default()
    };
    match r.action {
        Action::Failed if r.sender_side => Some(EventDetail::Bounced(Failure {
            hard: Field::Value(false),
            sender_side: Field::Value(true),
            ..failure()
        })),
        // Not classified: Pending "needs review", out of the settle window, never a guess.
        Action::Failed if r.needs_review => Some(EventDetail::Bounced(Failure {
            hard: Field::Value(false),
            needs_review: Field::Value(true),
            ..failure()
        })),
        Action::Failed => Some(EventDetail::Bounced(failure())),
        // A delay is not an expiry: the mail system is still trying. Its reason is only kept
        // when it says why (a full mailbox, a rate limit).
        Action::Delayed => Some(EventDetail::Delayed(Failure {
            hard: Field::Value(false),
            reason: match r.reason {
                Reason::Expired => Field::Null,
                other => Field::Value(other.as_str().to_string()),
            },
            ..failure()
        })),
        Action::Delivered => Some(EventDetail::Delivered(Delivery {
            evidence: Field::Value("dsn".into()),
            status: Field::or_null(r.status.clone()),
            remote_mta: Field::or_null(r.remote_mta.clone()),
            ..Delivery::default()
        })),
        Action::Relayed | Action::Expanded => None,
    }
}

/// The warning for a refusal because of the sender, not the address.
fn sender_side_warning(t: &Target, r: &RecipientReport) -> String {
    format!(
        "<{}>: the receiving server refused the message because of the sender, not the \
         address ({}{}); {}: the recipient stays Pending",
        t.email,
        r.reason,
        r.diagnostic
            .as_deref()
            .map(|d| format!(": {}", sanitize_cell(d)))
            .unwrap_or_default(),
        sender_side_advice(r)
    )
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

/// A settle window as written in messages and event details (`1h`, `2d`, `90s`).
pub(super) fn format_duration(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    match s {
        s if s != 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s != 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s != 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
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
    use crate::bounce;

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
    fn a_delay_is_recorded_without_expired_and_an_unclassified_failure_needs_review() {
        let report = |action, status: &str, diag: &str, reason| {
            bounce::RecipientReport::new(
                "ana@example.net".into(),
                action,
                Some(status.to_string()),
                None,
                Some(diag.to_string()),
                reason,
            )
        };
        let delayed = report(
            Action::Delayed,
            "4.4.1",
            "Connection refused",
            Reason::Expired,
        );
        let Some(EventDetail::Delayed(f)) = plan_report(&delayed) else {
            panic!("a delay is a delayed event");
        };
        assert_eq!(f.reason, Field::Null);
        assert_eq!(f.diagnostic.text(), Some("Connection refused"));
        let full = report(
            Action::Delayed,
            "4.2.2",
            "Mailbox full",
            Reason::MailboxFull,
        );
        let Some(EventDetail::Delayed(f)) = plan_report(&full) else {
            panic!("a delay is a delayed event");
        };
        assert_eq!(f.reason.text(), Some("mailboxfull"));
        for reason in [Reason::OnHold, Reason::Undefined] {
            let r = report(Action::Failed, "5.9.9", "computer says no", reason);
            let Some(EventDetail::Bounced(f)) = plan_report(&r) else {
                panic!("a failure is a bounced event");
            };
            assert_eq!(f.class(), crate::model::detail::BounceClass::NeedsReview);
        }
        let r = report(Action::Failed, "5.1.1", "User unknown", Reason::UserUnknown);
        let Some(EventDetail::Bounced(f)) = plan_report(&r) else {
            panic!("a failure is a bounced event");
        };
        assert_eq!(f.class(), crate::model::detail::BounceClass::Hard);
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
