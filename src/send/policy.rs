//! Who a run of `certstat send` mails: a pure selection over a recipient's state.

use crate::model::{Recipient, Status, is_hard_bounce};

/// Which recipients a run mails besides the Not Sent ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Soft-bounced recipients (mailbox full, suspended, expired, …).
    pub retry_bounced: bool,
    /// With `retry_bounced`, the hard-bounced ones too.
    pub include_hard: bool,
    /// Recipients whose earlier send was interrupted before its outcome was recorded.
    pub resend_unconfirmed: bool,
}

/// Why `r` is not mailed now under `policy`, or None when they are.
pub fn ineligible(r: &Recipient, policy: &Policy) -> Option<&'static str> {
    if r.revoked {
        return Some("revoked");
    }
    match r.status {
        Status::NotSent => None,
        Status::Bounced if is_hard_bounce(&r.detail) => {
            if policy.retry_bounced && policy.include_hard {
                None
            } else {
                Some("hard-bounced (use --retry-bounced --include-hard)")
            }
        }
        Status::Bounced if policy.retry_bounced => None,
        Status::Bounced => Some("soft-bounced (use --retry-bounced)"),
        Status::Pending if r.unconfirmed && policy.resend_unconfirmed => None,
        Status::Pending if r.unconfirmed => Some(
            "an earlier send was interrupted before its outcome was recorded (use --resend-unconfirmed)",
        ),
        Status::Pending => Some("already sent"),
        Status::Delivered => Some("already delivered"),
        Status::Claimed => Some("already claimed"),
    }
}

/// Whether `r` is mailed now under `policy`.
pub fn eligible(r: &Recipient, policy: &Policy) -> bool {
    ineligible(r, policy).is_none()
}

/// Whether a recipient who is not mailed is counted as skipped in the summary (rather than
/// being simply done: sent, delivered or claimed already).
pub fn counts_as_skipped(r: &Recipient) -> bool {
    r.revoked || r.status == Status::Bounced || r.unconfirmed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(status: Status, detail: &str, unconfirmed: bool, revoked: bool) -> Recipient {
        Recipient {
            id: 1,
            certificate_id: 1,
            email: "a@example.org".into(),
            name: "A".into(),
            status,
            status_at: String::new(),
            detail: detail.into(),
            unconfirmed,
            revoked,
            fields: Default::default(),
            created_at: String::new(),
            uid: String::new(),
        }
    }

    #[test]
    fn each_state_under_each_policy() {
        let none = Policy::default();
        let soft = Policy {
            retry_bounced: true,
            ..none
        };
        let hard = Policy {
            include_hard: true,
            ..soft
        };
        let resend = Policy {
            resend_unconfirmed: true,
            ..none
        };
        let hard_detail = "550 5.1.1 user unknown";
        let soft_detail = &format!("{}552 5.2.2 mailbox full", crate::model::SOFT_BOUNCE);
        let cases = [
            (
                recipient(Status::NotSent, "", false, false),
                [true, true, true, true],
            ),
            (
                recipient(Status::NotSent, "", false, true),
                [false, false, false, false],
            ),
            (
                recipient(Status::Bounced, soft_detail.as_str(), false, false),
                [false, true, true, false],
            ),
            (
                recipient(Status::Bounced, hard_detail, false, false),
                [false, false, true, false],
            ),
            (
                recipient(Status::Pending, "", true, false),
                [false, false, false, true],
            ),
            (
                recipient(Status::Pending, "", false, false),
                [false, false, false, false],
            ),
            (
                recipient(Status::Delivered, "", false, false),
                [false, false, false, false],
            ),
            (
                recipient(Status::Claimed, "", false, false),
                [false, false, false, false],
            ),
        ];
        for (r, expected) in cases {
            for (policy, want) in [none, soft, hard, resend].iter().zip(expected) {
                assert_eq!(
                    eligible(&r, policy),
                    want,
                    "{:?} (revoked {}, unconfirmed {}, detail {}) under {policy:?}",
                    r.status,
                    r.revoked,
                    r.unconfirmed,
                    r.detail
                );
            }
        }
    }
}
