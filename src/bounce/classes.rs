//! The bounce classes, each tested on several shapes of message: messages written by class
//! and real ones from Postfix and Exim, under `tests/fixtures/bounces/own/`, each with its
//! ground truth beside it (`NAME.truth`: one line per failed recipient, `address`, outcome
//! and reason, tab-separated; outcome `hard`, `soft`, `delayed`, `sender`, `review` or `benign`).

use std::path::{Path, PathBuf};

use super::{Action, Analysis, MessageKind, RecipientReport, analyze};

fn own_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounces/own")
}

/// What a report does to its recipient, in the truth files' words.
pub(crate) fn outcome(r: &RecipientReport) -> &'static str {
    match r.action {
        Action::Failed if r.sender_side => "sender",
        Action::Failed if r.needs_review => "review",
        Action::Failed if r.hard => "hard",
        Action::Failed => "soft",
        Action::Delayed => "delayed",
        Action::Delivered | Action::Relayed | Action::Expanded => "benign",
    }
}

/// The differences between an analysis and a truth file, one line each (empty: agreed).
fn disagreements(a: &Analysis, truth: &str) -> Vec<String> {
    let mut out = Vec::new();
    let rows: Vec<Vec<&str>> = truth
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let bounce = matches!(a.kind, MessageKind::Bounce);
    for row in &rows {
        let (addr, want, reason) = (row[0], row[1], row[2]);
        if want == "benign" {
            let failed = a.recipients.iter().filter(|r| outcome(r) != "benign");
            // A bounce naming no one still makes a recipient it is tied to (by VERP or the
            // returned original) "needs review": a benign message must not be one.
            if bounce && (failed.clone().count() > 0 || a.recipients.is_empty()) {
                out.push(format!(
                    "benign message read as a bounce: {:?}",
                    a.recipients
                ));
            }
            continue;
        }
        let Some(r) = a.recipients.iter().find(|r| r.address == addr) else {
            out.push(format!(
                "{addr}: not reported (kind {:?}, {:?})",
                a.kind, a.recipients
            ));
            continue;
        };
        if !bounce {
            out.push(format!("{addr}: kind {:?}", a.kind));
        }
        if outcome(r) != want {
            out.push(format!("{addr}: {} instead of {want} ({r:?})", outcome(r)));
        }
        if reason != "-" && r.reason.as_str() != reason {
            out.push(format!(
                "{addr}: reason {} instead of {reason} ({r:?})",
                r.reason
            ));
        }
    }
    for r in &a.recipients {
        if outcome(r) != "benign" && !rows.iter().any(|row| row[0] == r.address) {
            out.push(format!(
                "{}: reported but not failed in the truth",
                r.address
            ));
        }
    }
    out
}

/// The messages of the own corpus whose names start with `prefix`, sorted.
fn files(prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(own_dir())
        .expect("the own corpus")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect();
    files.sort();
    files
}

/// Every message of the own corpus whose name starts with `prefix` agrees with its truth.
fn check(prefix: &str) {
    let files = files(prefix);
    assert!(
        files.len() >= 2,
        "{prefix}: want several shapes, found {files:?}"
    );
    let mut bad = Vec::new();
    for f in &files {
        let raw = std::fs::read(f).expect("a message");
        let truth = std::fs::read_to_string(f.with_extension("truth")).expect("its truth");
        for d in disagreements(&analyze(&raw), &truth) {
            bad.push(format!("{}: {d}", f.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn exim_fail_unknown_user_without_smtp_command_is_hard() {
    check("written-exim-fail-");
}

#[test]
fn no_mail_box_available_is_hard() {
    check("written-nomailbox-");
}

#[test]
fn address_rejected_under_5_1_1_is_the_recipients_hard_bounce() {
    check("written-addrrejected-");
}

#[test]
fn opensmtpd_recipient_address_rejected_user_unknown_is_hard() {
    check("written-opensmtpd-");
}

#[test]
fn a_rejected_helo_name_is_sender_side() {
    check("written-helo-");
}

#[test]
fn host_not_found_try_again_is_temporary_not_hard() {
    check("written-dnstemp-");
}

#[test]
fn deferred_host_name_lookup_failure_is_an_expiry() {
    check("written-lookupfail-");
}

#[test]
fn a_size_limit_is_soft_even_under_5_1_1() {
    check("written-size-");
}

#[test]
fn spf_dkim_advice_does_not_change_relay_denial_or_full_mailbox() {
    check("written-advice-");
}

#[test]
fn sieve_quota_rejection_is_a_soft_bounce() {
    check("written-sieve-");
}

#[test]
fn each_recipient_of_a_multi_recipient_report_has_its_own_reason() {
    check("written-multi-");
}

#[test]
fn contact_addresses_in_prose_are_not_failed_recipients() {
    check("written-prose-");
}

#[test]
fn x400_and_prefixed_addresses_are_normalised() {
    check("written-x400-");
}

#[test]
fn ses_notifications_by_email_name_only_the_bounced_recipients() {
    check("written-ses-");
}

#[test]
fn benign_messages_bounce_no_one() {
    check("written-benign-");
}

#[test]
fn real_postfix_dsns_unknown_user_remote_refusal_expiry_and_multi_recipient() {
    check("postfix-");
}

#[test]
fn real_exim_bounces_fail_router_quota_retry_timeout_and_multi_recipient() {
    check("exim-");
}

#[test]
fn shapes_hard_user_unknown_no_domain_disabled_across_mtas() {
    check("shapes-hard-");
}

#[test]
fn shapes_soft_full_or_expired_after_retries_is_a_soft_bounce() {
    check("shapes-soft-");
}

#[test]
fn shapes_delay_notices_stay_pending() {
    check("shapes-delayed-");
}

#[test]
fn shapes_sender_side_rejections_are_warnings() {
    check("shapes-sender-");
}

#[test]
fn shapes_auto_replies_in_several_languages_bounce_no_one() {
    check("shapes-autoreply-");
    let mut wrong = Vec::new();
    for f in files("shapes-autoreply-") {
        let a = analyze(&std::fs::read(&f).expect("a message"));
        if a.kind != MessageKind::AutoReply {
            wrong.push(format!("{}: {:?} {:?}", f.display(), a.kind, a.subject));
        }
    }
    assert!(
        wrong.is_empty(),
        "not read as auto-replies:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn shapes_challenge_response_needs_review() {
    check("shapes-challenge-");
}

#[test]
fn shapes_list_moderation_holds_bounce_no_one() {
    check("shapes-listhold-");
}

#[test]
fn shapes_human_replies_quoting_a_bounce_bounce_no_one() {
    check("shapes-humanreply-");
}

#[test]
fn shapes_read_receipts_bounce_no_one() {
    check("shapes-mdn-");
}

#[test]
fn shapes_success_dsns_bounce_no_one() {
    check("shapes-success-");
}

#[test]
fn shapes_a_bounce_forwarded_whole_is_still_that_bounce() {
    check("shapes-forwarded-");
}
