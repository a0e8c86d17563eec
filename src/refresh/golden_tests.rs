//! The stored form of the details that bounce mail and provider files make, pinned.
//!
//! A provider event without an event id is deduplicated by a hash over its detail's JSON text,
//! so that text (key order, nulls, value types) must stay what earlier versions wrote, or
//! importing a file again would record its events twice. These tests compare, for every
//! fixture and a set of shapes with fields missing, the detail text and the dedup key with
//! `tests/fixtures/events/*.golden` (written with `CERTSTAT_WRITE_GOLDEN=1`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::matcher::Strength;
use super::plan;
use super::providers::{self, Provider, dedup_key, stored_detail};
use crate::bounce::{self, MessageKind};
use crate::db::inbound::Target;
use crate::db::sends::SendRef;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Compare `text` with the golden file `name` (or write it).
fn check(name: &str, text: &str) {
    let path = root().join("events").join(name);
    if std::env::var_os("CERTSTAT_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden file");
    for (i, (got, want)) in text.lines().zip(want.lines()).enumerate() {
        assert_eq!(got, want, "{name} line {}", i + 1);
    }
    assert_eq!(
        text.lines().count(),
        want.lines().count(),
        "{name}: line count"
    );
}

/// Compare `text` with the golden file `name` line by line, each line's JSON object as a value
/// (its keys in any order): a bounce mail's events are deduplicated by the message's hash, not
/// by their detail's text.
fn check_values(name: &str, text: &str) {
    let path = root().join("events").join(name);
    if std::env::var_os("CERTSTAT_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden file");
    let split = |line: &str| {
        let at = line.find('{').expect("a detail");
        let v: serde_json::Value = serde_json::from_str(&line[at..]).expect("JSON");
        (line[..at].to_string(), v)
    };
    for (i, (got, want)) in text.lines().zip(want.lines()).enumerate() {
        assert_eq!(split(got), split(want), "{name} line {}", i + 1);
    }
    assert_eq!(
        text.lines().count(),
        want.lines().count(),
        "{name}: line count"
    );
}

fn send() -> SendRef {
    SendRef {
        send_id: "s-golden".into(),
        recipient_id: 7,
        kind: "remind_attempt".into(),
        at: "2026-01-01T00:00:00Z".into(),
        last_at: "2026-01-01T00:00:01Z".into(),
        notice: Some("expiry".into()),
    }
}

/// Every event of `text` read as `provider`'s: its detail, both dedup keys (by event id when it
/// has one, and by content as for a file without ids), and the stored details.
fn provider_lines(out: &mut String, label: &str, provider: Provider, text: &str) {
    let events = providers::parse(provider, text).expect("parse");
    for mut e in events {
        writeln!(out, "{label}#{} {} <{}>", e.index, e.kind, e.email).unwrap();
        writeln!(out, "  detail {}", e.detail.to_value()).unwrap();
        writeln!(out, "  key {}", dedup_key(provider, &e, 7)).unwrap();
        e.event_id = None;
        writeln!(out, "  content_key {}", dedup_key(provider, &e, 7)).unwrap();
        let s = send();
        let by_id = stored_detail(provider, &e, Strength::CertstatId, Some(&s));
        writeln!(out, "  stored_by_id {by_id}").unwrap();
        let by_address = stored_detail(provider, &e, Strength::Address, None);
        writeln!(out, "  stored_by_address {by_address}").unwrap();
    }
}

/// Payloads with fields missing, blank or of other types, one per branch of each reader.
fn shapes() -> Vec<(Provider, String)> {
    let sendgrid = json!([
        {"event": "delivered", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "bounce", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "bounce", "email": "a@x.org", "status": "4.2.2", "type": "bounce",
         "reason": "full", "bounce_classification": "Mailbox Full", "timestamp": "1795687200"},
        {"event": "dropped", "email": "a@x.org", "reason": "Bounced Address", "timestamp": 1_795_687_200},
        {"event": "dropped", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "deferred", "email": "a@x.org", "response": "421 later", "attempt": 2, "timestamp": 1_795_687_200},
        {"event": "deferred", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "open", "email": "a@x.org", "sg_machine_open": true, "timestamp": 1_795_687_200},
        {"event": "open", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "click", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "spamreport", "email": "a@x.org", "timestamp": 1_795_687_200},
        {"event": "processed", "email": "a@x.org", "timestamp": 1_795_687_200},
    ]);
    let pm = |v: serde_json::Value| v.to_string();
    let postmark = [
        json!({"RecordType": "Delivery", "Recipient": "a@x.org", "DeliveredAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "Bounce", "Email": "a@x.org", "Type": "HardBounce", "BouncedAt": "2026-11-22T10:00:00Z", "Details": "smtp;550 5.1.1 unknown"}),
        json!({"RecordType": "Bounce", "Email": "a@x.org", "Type": "Transient", "BouncedAt": "2026-11-22T10:00:00Z", "Description": "later"}),
        json!({"RecordType": "Bounce", "Email": "a@x.org", "Type": "Blocked", "BouncedAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "Bounce", "Email": "a@x.org", "BouncedAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "Bounce", "Email": "a@x.org", "Type": "AutoResponder", "BouncedAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "SpamComplaint", "Email": "a@x.org", "BouncedAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "Open", "Recipient": "a@x.org", "ReceivedAt": "2026-11-22T10:00:00Z"}),
        json!({"RecordType": "Click", "Recipient": "a@x.org", "ReceivedAt": "2026-11-22T10:00:00Z", "OriginalLink": "https://x.org/c"}),
        json!({"RecordType": "SubscriptionChange", "Recipient": "a@x.org"}),
    ]
    .map(pm)
    .join("\n");
    let mailgun = [
        json!({"event": "delivered", "recipient": "a@x.org", "timestamp": 1_795_687_200.5}),
        json!({"event-data": {"event": "failed", "severity": "permanent", "recipient": "a@x.org", "timestamp": 1_795_687_200,
            "delivery-status": {"code": 550, "enhanced-code": "5.1.1", "message": "no such user", "mx-host": "mx.x.org"}}}),
        json!({"event-data": {"event": "failed", "severity": "permanent", "recipient": "a@x.org", "reason": "bounce", "timestamp": 1_795_687_200}}),
        json!({"event-data": {"event": "failed", "severity": "temporary", "recipient": "a@x.org", "timestamp": 1_795_687_200,
            "delivery-status": {"code": "452", "description": "over quota"}}}),
        json!({"event-data": {"event": "opened", "recipient": "a@x.org", "timestamp": 1_795_687_200, "client-info": {"user-agent": "UA"}}}),
        json!({"event-data": {"event": "opened", "recipient": "a@x.org", "timestamp": 1_795_687_200}}),
        json!({"event-data": {"event": "clicked", "recipient": "a@x.org", "timestamp": 1_795_687_200}}),
        json!({"event-data": {"event": "complained", "recipient": "a@x.org", "timestamp": 1_795_687_200}}),
    ]
    .map(pm)
    .join("\n");
    let mail = json!({"messageId": "ses-9", "timestamp": "2026-11-22T10:00:00.000Z", "destination": ["a@x.org", "b@x.org"]});
    let ses = [
        json!({"notificationType": "Bounce", "mail": mail,
               "bounce": {"bounceType": "Transient", "bouncedRecipients": [{"emailAddress": "a@x.org"}, {"status": "4.2.2"}]}}),
        json!({"eventType": "Bounce", "mail": mail,
               "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "reportingMTA": "dsn; mx",
                          "bouncedRecipients": [{"emailAddress": "a@x.org", "status": "5.1.1", "diagnosticCode": "550"}]}}),
        json!({"notificationType": "Complaint", "mail": mail,
               "complaint": {"complainedRecipients": [{"emailAddress": "a@x.org"}]}}),
        json!({"notificationType": "Delivery", "mail": mail, "delivery": {"timestamp": "2026-11-22T10:01:00.000Z"}}),
        json!({"eventType": "DeliveryDelay", "mail": mail,
               "deliveryDelay": {"delayType": "MailboxFull", "delayedRecipients": [{"emailAddress": "a@x.org", "status": "4.2.2"}]}}),
        json!({"eventType": "Open", "mail": mail, "open": {"userAgent": "UA"}}),
        json!({"eventType": "Click", "mail": mail, "click": {"link": "https://x.org/c"}}),
    ]
    .map(pm)
    .join("\n");
    vec![
        (Provider::Sendgrid, sendgrid.to_string()),
        (Provider::Postmark, postmark),
        (Provider::Mailgun, mailgun),
        (Provider::Ses, ses),
    ]
}

#[test]
fn provider_details_and_dedup_keys_are_what_earlier_versions_stored() {
    let mut out = String::new();
    for (file, provider) in [
        ("sendgrid.json", Provider::Sendgrid),
        ("ses-bounce.json", Provider::Ses),
        ("ses-complaint.json", Provider::Ses),
        ("ses-delivery.json", Provider::Ses),
        ("postmark.jsonl", Provider::Postmark),
        ("mailgun.jsonl", Provider::Mailgun),
    ] {
        let text = std::fs::read_to_string(root().join("webhooks").join(file)).unwrap();
        provider_lines(&mut out, file, provider, &text);
    }
    for (provider, text) in shapes() {
        provider_lines(
            &mut out,
            &format!("shapes-{}", provider.as_str()),
            provider,
            &text,
        );
    }
    check("provider-details.golden", &out);
}

/// Every `.eml` under `dir`, sorted.
fn emails(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

#[test]
fn bounce_mail_details_are_what_earlier_versions_stored() {
    let mut out = String::new();
    let target = Target {
        recipient_id: 7,
        certificate_id: 1,
        email: "a@x.org".into(),
        sent_at: Some("2026-01-01T00:00:01Z".into()),
        send: Some(send()),
    };
    let plain = Target {
        send: None,
        ..target.clone()
    };
    let mut files = emails(&root().join("bounces"));
    files.extend(emails(&root().join("bounces/own")));
    for path in files {
        let a = bounce::analyze(&std::fs::read(&path).unwrap());
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let mut reports: Vec<Option<&bounce::RecipientReport>> =
            a.recipients.iter().map(Some).collect();
        if a.kind == MessageKind::Bounce || reports.is_empty() {
            reports.push(None);
        }
        for (i, r) in reports.into_iter().enumerate() {
            for (t, strength) in [(&target, Strength::Verp), (&plain, Strength::Address)] {
                if let Some(p) = plan::plan(&a, t, strength, r) {
                    let detail = p.stored_detail(&name);
                    writeln!(out, "{name}#{i} {} {detail}", p.kind).unwrap();
                }
            }
        }
    }
    check_values("bounce-details.golden", &out);
}

/// A database whose recipient 7, <a@x.org>, and <b@x.org> were sent mail, and where an earlier
/// version imported the shapes' events for <a@x.org> (their dedup keys are the goldens'):
/// importing the shapes now records only <b@x.org>'s, and importing them again nothing.
#[test]
fn files_imported_by_earlier_versions_are_not_recorded_twice() {
    use crate::db::events::{NewEvent, record};
    use crate::model::EventKind;
    let emails = [
        "d1@x.org", "d2@x.org", "d3@x.org", "d4@x.org", "d5@x.org", "d6@x.org",
    ];
    let mut all: Vec<&str> = emails.to_vec();
    all.extend(["a@x.org", "b@x.org"]);
    let (_dir, conn, ids) = crate::db::testing::with_recipients(&all);
    assert_eq!(ids[6], 7);
    let event = |rid: i64, kind: EventKind, key: Option<String>| NewEvent {
        recipient_id: rid,
        kind,
        at: "2026-01-01T00:00:00Z",
        source: "test",
        detail: json!({}),
        dedup_key: key,
    };
    for rid in [ids[6], ids[7]] {
        assert!(record(&conn, &event(rid, EventKind::Sent, None)).unwrap());
    }
    let golden = std::fs::read_to_string(root().join("events/provider-details.golden")).unwrap();
    let mut earlier: std::collections::HashMap<String, usize> = Default::default();
    let mut head = None;
    for line in golden.lines() {
        if !line.starts_with(' ') {
            head = Some(line.to_string());
        } else if let (Some(h), Some(key)) = (&head, line.strip_prefix("  key ")) {
            let (label, rest) = h.split_once('#').unwrap();
            if label.starts_with("shapes-") && rest.ends_with("<a@x.org>") {
                let kind: EventKind = rest.split(' ').nth(1).unwrap().parse().unwrap();
                assert!(record(&conn, &event(7, kind, Some(key.to_string()))).unwrap());
                *earlier.entry(label.to_string()).or_default() += 1;
            }
        }
    }
    for (provider, text) in shapes() {
        let label = format!("shapes-{}", provider.as_str());
        let first = providers::import(&conn, &label, text.as_bytes(), provider).unwrap();
        let before = earlier[&label];
        assert_eq!(first.already, before, "{label}: {first:?}");
        assert_eq!(
            first.applied + first.already,
            first.events,
            "{label}: {first:?}"
        );
        let again = providers::import(&conn, &label, text.as_bytes(), provider).unwrap();
        assert_eq!((again.applied, again.already), (0, again.events), "{label}");
    }
}
