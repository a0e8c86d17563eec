//! What a permanent refusal at RCPT, DATA or the end of DATA means: the recipient's bounce,
//! or the end of the run when the refusal is aimed at the sender.

use super::reply::Reply;
use crate::mail::transport::Try;

/// A permanent refusal at RCPT, DATA or the end of DATA, read like a bounce: the recipient's
/// bounce (hard or soft), or — when it is aimed at the sender (content, policy,
/// authentication, relaying, reputation, rate) — the end of the run, saying what to fix: no
/// other message would fare better, and the recipient is not to blame.
pub fn permanent_refusal(reply: &Reply, phase: &'static str, command: &str) -> Try {
    use crate::bounce::{Reason, classify_reply, is_hard, is_sender_side};
    let smtp_command = if phase == "rcpt" { "RCPT" } else { "DATA" };
    let text = reply.to_string();
    let reason = classify_reply(&text, smtp_command);
    if is_sender_side(reason) {
        let fix = match reason {
            Reason::SpamDetected | Reason::ContentError | Reason::VirusDetected => {
                "the server judged the message's content: change the certificate's template \
                 (`certstat preview` shows it) or ask the receiving side why, then run send again"
            }
            Reason::AuthFailure | Reason::SecurityError => {
                "the server does not trust the sender: check the DKIM key and the SPF and DMARC \
                 records of the From domain, and the [smtp] login"
            }
            Reason::NoRelaying => {
                "the server does not relay for this sender: log in ([smtp] username and \
                 password_command) or send through the From domain's own submission server"
            }
            Reason::Speeding | Reason::TooManyConn => {
                "the server limits how fast it accepts mail: lower --rate or --connections and \
                 run send again later"
            }
            Reason::RequirePtr | Reason::BadReputation | Reason::Blocked => {
                "the server refuses mail from this sending host: check its reverse DNS (PTR), \
                 its HELO name and whether its address is on a block list"
            }
            _ => {
                "the server refuses mail from this sender: check [sender] from and \
                 bounce_address, and the From domain's SPF, DKIM and DMARC records"
            }
        };
        return Try::Fatal(format!(
            "the SMTP server refused the message at {command} for a reason on the sending side \
             ({}): {text}. The recipient is not to blame and the rest are left Not Sent: {fix}",
            reason.as_str()
        ));
    }
    let code = reply.code.to_string();
    let enhanced = reply.enhanced.map(|e| e.to_string());
    let hard = is_hard(reason, enhanced.as_deref(), Some(&code));
    Try::Refused {
        status: reply.status(),
        reason: text,
        phase,
        hard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a permanent reply at RCPT or the end of DATA becomes: Some(hard) for the
    /// recipient's bounce, None when the run stops for a sender-side reason.
    fn refusal(reply: &str, phase: &'static str) -> Option<bool> {
        match permanent_refusal(&Reply::parse(reply).expect("a reply"), phase, "RCPT TO") {
            Try::Refused { hard, .. } => Some(hard),
            Try::Fatal(why) => {
                assert!(why.contains(reply) && why.contains("sending side"), "{why}");
                None
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn permanent_refusals_aimed_at_the_sender_stop_the_run_others_bounce_hard_or_soft() {
        for sender_side in [
            (
                "554 5.7.1 Message rejected: content looks like spam",
                "data",
            ),
            ("550 5.7.1 Message content rejected, virus found", "data"),
            ("554 5.7.1 <x@elsewhere.test>: Relay access denied", "rcpt"),
            (
                "550 5.7.1 Service unavailable; client [192.0.2.9] blocked using zen.spamhaus.org",
                "rcpt",
            ),
            (
                "550 5.7.26 This message does not pass authentication checks (SPF and DKIM)",
                "data",
            ),
            (
                "550 5.7.1 Unauthenticated email is not accepted from this domain",
                "data",
            ),
        ] {
            assert_eq!(
                refusal(sender_side.0, sender_side.1),
                None,
                "{sender_side:?}"
            );
        }
        for (reply, hard) in [
            (
                "550 5.1.1 <ana@example.org>: Recipient address rejected: User unknown",
                true,
            ),
            (
                "550 5.1.1 The email account that you tried to reach does not exist",
                true,
            ),
            ("552 5.2.2 Mailbox full", false),
            ("552 5.2.2 <ana@example.org>: user is over quota", false),
            (
                "552 5.3.4 Message size exceeds fixed maximum message size",
                false,
            ),
        ] {
            assert_eq!(refusal(reply, "rcpt"), Some(hard), "{reply}");
        }
    }
}
