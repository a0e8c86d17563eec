//! What became of one message, and the event that records it.

use serde_json::json;

use super::handover;
use crate::model::EventKind;

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
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Recording {
    /// The event recording an outcome (none for an unknown one: the attempt stays unconfirmed).
    pub fn event(&self, m: &Handed, outcome: &Outcome) -> Option<handover::Recorded> {
        let source = self.source;
        let (kind, mut detail) = match outcome {
            Outcome::Sent(reply) => (
                self.accepted,
                json!({"transport": source, "send_id": m.send_id, "message_id": m.message_id, "reply": reply}),
            ),
            Outcome::Bounced {
                status,
                reason,
                phase,
                hard,
            } => (
                EventKind::Bounced,
                json!({"status": status, "reason": reason, "hard": hard, "phase": phase,
                       "send_id": m.send_id, "message_id": m.message_id}),
            ),
            Outcome::Failed(error) | Outcome::NotAttempted(error) => {
                let mut detail = json!({"error": error, "send_id": m.send_id});
                if m.unconfirmed_before {
                    // Still unconfirmed: whether the interrupted earlier send arrived is unknown.
                    detail["unconfirmed_before"] = json!(true);
                }
                (EventKind::SendFailed, detail)
            }
            Outcome::Unknown(_) | Outcome::Postponed => return None,
        };
        for (k, v) in &self.extra {
            detail[k] = v.clone();
        }
        Some(handover::Recorded {
            recipient_id: m.recipient_id,
            kind,
            detail,
        })
    }
}
