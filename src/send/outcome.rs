//! What became of one message, and the event that records it.

use super::handover;
use crate::model::EventKind;
use crate::model::detail::{EventDetail, Failure, Field, Mailing, NoticeKeys, Origin, SendFailure};

/// What became of one message.
#[derive(Debug)]
pub enum Outcome {
    Sent(String),
    Bounced {
        status: String,
        reason: String,
        phase: &'static str,
        hard: bool,
    },
    Failed(String),
    /// Handed over, but whether it was accepted is unknown: stays Pending unconfirmed.
    Unknown(String),
    /// Never handed over because the run stopped.
    NotAttempted(String),
    /// Never handed over because the run reached its time limit: nothing is recorded, the
    /// recipient is left as they were for the next run.
    Postponed,
}

impl Outcome {
    /// One line for `-v`.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Sent(reply) => format!("sent ({reply})"),
            Outcome::Bounced { status, reason, .. } => format!("bounced {status}: {reason}"),
            Outcome::Failed(e) => format!("failed: {e}"),
            Outcome::NotAttempted(e) => format!("not attempted: {e}"),
            Outcome::Unknown(e) => format!("unconfirmed: {e}"),
            Outcome::Postponed => "postponed: the time limit was reached".to_owned(),
        }
    }
}

/// Whose message an outcome is.
#[derive(Debug)]
pub struct Handed {
    pub recipient_id: i64,
    pub email: String,
    pub send_id: String,
    pub message_id: String,
    /// Pending unconfirmed before this run (a `--resend-unconfirmed`): a failure keeps the mark.
    pub unconfirmed_before: bool,
}

/// How the sending threads record outcomes.
pub struct Recording {
    pub source: &'static str,
    pub accepted: EventKind,
    pub extra: NoticeKeys,
}

impl Recording {
    /// The event recording an outcome (none for an unknown one: the attempt stays unconfirmed).
    pub fn event(&self, m: &Handed, outcome: &Outcome) -> Option<handover::Recorded> {
        let source = self.source;
        let mut origin = Origin {
            send_id: Field::Value(m.send_id.clone()),
            message_id: Field::Value(m.message_id.clone()),
            ..Origin::default()
        };
        self.extra.mark(&mut origin);
        let detail = match outcome {
            Outcome::Sent(reply) => {
                let mailing = Mailing {
                    transport: Field::Value(source.to_string()),
                    reply: Field::Value(reply.clone()),
                    origin,
                };
                match self.accepted {
                    EventKind::Reminded => EventDetail::Reminded(mailing),
                    _ => EventDetail::Sent(mailing),
                }
            }
            Outcome::Bounced {
                status,
                reason,
                phase,
                hard,
            } => EventDetail::Bounced(Failure {
                status: Field::Value(status.clone()),
                reason: Field::Value(reason.clone()),
                hard: Field::Value(*hard),
                phase: Field::Value(phase.to_string()),
                origin,
                ..Failure::default()
            }),
            Outcome::Failed(error) | Outcome::NotAttempted(error) => {
                EventDetail::SendFailed(SendFailure {
                    error: Field::Value(error.clone()),
                    // Still unconfirmed: whether the interrupted earlier send arrived is unknown.
                    unconfirmed_before: if m.unconfirmed_before {
                        Field::Value(true)
                    } else {
                        Field::Absent
                    },
                    origin: Origin {
                        message_id: Field::Absent,
                        ..origin
                    },
                    ..SendFailure::default()
                })
            }
            Outcome::Unknown(_) | Outcome::Postponed => return None,
        };
        Some(handover::Recorded {
            recipient_id: m.recipient_id,
            kind: detail.kind(),
            detail: detail.to_value(),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each outcome's detail holds what earlier versions stored: the message's ids, the
    /// server's words, and a follow-up's notice keys.
    #[test]
    fn outcome_details_hold_what_was_always_stored() {
        let m = |unconfirmed_before| Handed {
            recipient_id: 1,
            email: "a@x.org".into(),
            send_id: "s1".into(),
            message_id: "m1@x".into(),
            unconfirmed_before,
        };
        let expiry = NoticeKeys {
            notice: Some("expiry".into()),
            expiring: Some("30d".into()),
            expires_at: Some("2027-01-01T00:00:00Z".into()),
        };
        let keys =
            json!({"notice": "expiry", "expiring": "30d", "expires_at": "2027-01-01T00:00:00Z"});
        let with_keys = |mut v: serde_json::Value| {
            for (k, x) in keys.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        for (extra, accepted, keyed) in [
            (NoticeKeys::default(), EventKind::Sent, false),
            (expiry, EventKind::Reminded, true),
        ] {
            let r = Recording {
                source: "smtp",
                accepted,
                extra,
            };
            let keyed = |v| if keyed { with_keys(v) } else { v };
            let bounced = Outcome::Bounced {
                status: "5.1.1".into(),
                reason: "550 5.1.1 unknown".into(),
                phase: "RCPT",
                hard: true,
            };
            for (outcome, unconfirmed, kind, want) in [
                (
                    Outcome::Sent("250 ok".into()),
                    false,
                    accepted,
                    json!({"transport": "smtp", "send_id": "s1", "message_id": "m1@x", "reply": "250 ok"}),
                ),
                (
                    bounced,
                    false,
                    EventKind::Bounced,
                    json!({"status": "5.1.1", "reason": "550 5.1.1 unknown", "hard": true,
                           "phase": "RCPT", "send_id": "s1", "message_id": "m1@x"}),
                ),
                (
                    Outcome::Failed("421 later".into()),
                    false,
                    EventKind::SendFailed,
                    json!({"error": "421 later", "send_id": "s1"}),
                ),
                (
                    Outcome::NotAttempted("stopped".into()),
                    true,
                    EventKind::SendFailed,
                    json!({"error": "stopped", "send_id": "s1", "unconfirmed_before": true}),
                ),
            ] {
                let got = r.event(&m(unconfirmed), &outcome).expect("an event");
                assert_eq!(got.kind, kind);
                assert_eq!(got.detail, keyed(want), "{outcome:?}");
            }
            assert!(r.event(&m(false), &Outcome::Unknown("x".into())).is_none());
        }
    }
}
