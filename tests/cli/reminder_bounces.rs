//! A bounce of a reminder (not of the first email) through the Postfix rig: real DSNs for
//! reminders to unknown-user addresses, read by `refresh`, are matched to the reminder's own
//! send (by its VERP address, and without VERP by its `X-Certstat-Id`), make the recipient
//! Bounced, and `recipients show` names the reminder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Env;
use crate::remind::{CERT, at, rig, tag};
use crate::serve::Server;

/// Every event of `CERT`: (email, kind, detail).
fn events(env: &Env) -> Vec<(String, String, Value)> {
    env.json(&["events", "list", CERT])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_lowercase(),
                e["kind"].as_str().unwrap().to_string(),
                e["detail"].clone(),
            )
        })
        .collect()
}

/// The send ids of the events of `kind`, by address.
fn send_ids(env: &Env, kind: &str) -> HashMap<String, String> {
    events(env)
        .into_iter()
        .filter(|(_, k, _)| k == kind)
        .map(|(e, _, d)| (e, d["send_id"].as_str().unwrap().to_string()))
        .collect()
}

/// Wait (at most 60 s) for a DSN naming each of `ids` (one a send id, as VERP token payload
/// or `X-Certstat-Id`) in `dir`, and copy those DSNs, and nothing else, into a Maildir of the
/// test. Returns that Maildir.
fn copy_dsns(env: &Env, dir: &Path, ids: &[&str], name: &str) -> PathBuf {
    let ours = env.path(name);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(ours.join(sub)).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut found: Vec<&str> = Vec::new();
    while found.len() < ids.len() {
        assert!(
            Instant::now() < deadline,
            "no DSN for each of {ids:?} in {} after 60 s (found {found:?})",
            dir.display()
        );
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                let raw = std::fs::read(e.path()).unwrap_or_default();
                let text = String::from_utf8_lossy(&raw).to_lowercase();
                if !text.contains("content-type: multipart/report") {
                    continue;
                }
                if let Some(id) = ids
                    .iter()
                    .find(|id| text.contains(&id.to_lowercase()) && !found.contains(id))
                {
                    found.push(id);
                    std::fs::write(ours.join("new").join(format!("{}.eml", found.len())), &raw)
                        .unwrap();
                }
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    ours
}

/// `refresh` at the real time; its stderr.
fn refresh(env: &Env, maildir: &Path) -> String {
    refresh_at(env, maildir, None)
}

/// `refresh` at a simulated instant (else the real time); its stderr.
fn refresh_at(env: &Env, maildir: &Path, now: Option<&str>) -> String {
    let mut cmd = env.cmd();
    if let Some(now) = now {
        cmd.env("CERTSTAT_NOW", now);
    }
    let out = cmd
        .args(["-v", "refresh", "--maildir", maildir.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "refresh failed:\n{err}");
    err
}

fn show(env: &Env, email: &str) -> (Value, String) {
    let json = env.json(&["recipients", "show", CERT, email]);
    let text = env.ok(&["recipients", "show", CERT, email]);
    (json, text)
}

/// Simulated days from 30 days ago (the DSNs carry the real time, after them).
fn day(d: i64) -> String {
    let base = (chrono::Utc::now() - chrono::Duration::days(30))
        .date_naive()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc();
    (base + chrono::Duration::days(d)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Two recipients at the rig's bouncing domain, one still Pending and one made Delivered by an
/// open, are reminded; Postfix bounces each reminder (5.1.1) to its VERP address. Only the
/// reminders' DSNs are read (the first emails' are left aside, as if those had arrived): each
/// is matched to the reminder's send by VERP, the recipient becomes Bounced (from Pending and
/// from Delivered), the bounce event names the reminder's send id, and `recipients show` says
/// it was a bounce of the reminder. A control recipient who receives everything stays as it was.
#[test]
fn reminder_bounces_are_matched_to_the_reminders_send_by_verp() {
    let Some(rig) = rig("the reminder bounce tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let t = tag("rb");
    let (ulocal, udomain) = rig.unknown_user.rsplit_once('@').unwrap();
    let pending = format!("{ulocal}{t}p@{udomain}");
    let delivered = format!("{ulocal}{t}d@{udomain}");
    let fine = format!("{t}-fine@example.test");
    for w in [&pending, &delivered, &fine] {
        env.ok(&["recipients", "add", CERT, w]);
    }
    let (ok, out, err) = at(&env, &day(0), &["send", CERT]);
    assert!(ok, "{out}{err}");
    let first = send_ids(&env, "sent");
    assert_eq!(
        first.len(),
        3,
        "Postfix accepted the three first emails: {first:?}"
    );

    // One of the two is Delivered by an open (by a person) of the first email.
    let server = Server::start(&env, &[]);
    let r = server.get(&format!("/o/{}.gif", crate::serve::token(&env, &delivered)));
    assert_eq!(r.status, 200);
    server.stop();
    let before = status_of(&env);
    assert_eq!(before[&pending], "pending");
    assert_eq!(before[&delivered], "delivered");

    let (ok, out, err) = at(&env, &day(8), &["remind", CERT, "--format", "json"]);
    assert!(ok, "{out}{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["sent"], 3, "all three reminded: {s}");
    let reminders = send_ids(&env, "reminded");
    for who in [&pending, &delivered] {
        assert_ne!(reminders[who], first[who], "a reminder has its own send id");
    }
    let ours = copy_dsns(
        &env,
        &rig.bounce_maildir,
        &[&reminders[&pending], &reminders[&delivered]],
        "reminder-dsns",
    );
    // What was copied is about the reminders only, not the first emails.
    for e in std::fs::read_dir(ours.join("new")).unwrap().flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).to_lowercase();
        assert!(!text.contains(&first[&pending].to_lowercase()));
        assert!(!text.contains(&first[&delivered].to_lowercase()));
    }

    let log = refresh(&env, &ours);
    // (The control recipient is settled Delivered meanwhile: a week without a bounce.)
    assert!(
        log.contains("refresh: 2 bounced, 1 delivered, 0 unmatched, 0 errors"),
        "{log}"
    );
    let after = status_of(&env);
    assert_eq!(after[&pending], "bounced", "{log}");
    assert_eq!(after[&delivered], "bounced", "{log}");
    assert_ne!(
        after[&fine], "bounced",
        "the control recipient received everything"
    );
    assert_bounce_of_reminder(&env, &[&pending, &delivered], &reminders, "verp");
}

/// Without a bounce address there is no VERP: the DSN goes to the From address, and the
/// reminder's `X-Certstat-Id` in the returned headers ties it to the reminder's send. Here the
/// simulated days are in the future, so the DSN's own date comes before both messages: the
/// bounce is dated at the reminder it is about, not at the first email.
#[test]
fn reminder_bounces_without_verp_are_matched_by_the_reminders_id() {
    let Some(rig) = rig("the reminder bounce tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    env.write_config(&format!(
        "[sender]\nfrom = \"ACME <certs@example.test>\"\n\n\
         [serve]\nbase_url = \"https://certs.example.test\"\n\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
        rig.port
    ));
    let t = tag("rn");
    let (ulocal, udomain) = rig.unknown_user.rsplit_once('@').unwrap();
    let gone = format!("{ulocal}{t}@{udomain}");
    env.ok(&["recipients", "add", CERT, &gone]);
    let (ok, out, err) = at(&env, &day(31), &["send", CERT]);
    assert!(ok, "{out}{err}");
    let first = send_ids(&env, "sent");
    let (ok, out, err) = at(&env, &day(39), &["remind", CERT]);
    assert!(ok, "{out}{err}");
    let reminders = send_ids(&env, "reminded");
    assert_eq!(reminders.len(), 1, "{out}{err}");
    let ours = copy_dsns(&env, &rig.maildir, &[&reminders[&gone]], "no-verp-dsns");
    let text = std::fs::read_to_string(ours.join("new/1.eml")).unwrap();
    assert!(
        !text.contains(&first[&gone]),
        "the first email's DSN is left aside"
    );
    let log = refresh_at(&env, &ours, Some(&day(40)));
    assert!(
        log.contains("refresh: 1 bounced, 0 delivered, 0 unmatched, 0 errors"),
        "{log}"
    );
    assert_eq!(status_of(&env)[&gone], "bounced", "{log}");
    assert_bounce_of_reminder(&env, &[&gone], &reminders, "certstat_id");
}

fn status_of(env: &Env) -> HashMap<String, String> {
    env.recipients(CERT)
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_lowercase(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Each of `who` has one bounce, a hard 5.1.1 matched by `how` to their reminder's send, and
/// `recipients show` (text and JSON) says it decided the status as the reminder's bounce.
fn assert_bounce_of_reminder(
    env: &Env,
    who: &[&String],
    reminders: &HashMap<String, String>,
    how: &str,
) {
    let log = events(env);
    for w in who {
        let bounces: Vec<&Value> = log
            .iter()
            .filter(|(e, k, _)| e == *w && k == "bounced")
            .map(|(_, _, d)| d)
            .collect();
        assert_eq!(bounces.len(), 1, "{w}: {log:?}");
        let b = bounces[0];
        assert_eq!(b["match"], how, "{w}: {b}");
        assert_eq!(b["status"], "5.1.1", "{w}: {b}");
        assert_eq!(b["hard"], true, "{w}: {b}");
        assert_eq!(b["send_id"], reminders[*w].as_str(), "{w}: {b}");
        assert_eq!(b["notice"], "reminder", "{w}: {b}");

        let (json, text) = show(env, w);
        assert_eq!(json["status"], "bounced", "{json}");
        assert_eq!(json["decided_by"]["kind"], "bounced", "{json}");
        assert_eq!(json["decided_by"]["evidence"], "dsn", "{json}");
        assert_eq!(json["decided_by_message"]["what"], "the reminder", "{json}");
        assert_eq!(
            json["decided_by"]["detail"]["send_id"],
            reminders[*w].as_str(),
            "{json}"
        );
        let reminded_at = json["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "reminded")
            .map(|e| e["at"].as_str().unwrap().to_string())
            .unwrap();
        assert_eq!(json["decided_by_message"]["sent_at"], reminded_at.as_str());
        let bounced_at = json["decided_by"]["at"].as_str().unwrap();
        assert!(
            bounced_at >= reminded_at.as_str(),
            "the bounce ({bounced_at}) is not dated before the reminder ({reminded_at})"
        );
        assert!(
            text.contains(&format!(
                "send:       the reminder sent at {reminded_at} (send id {})",
                reminders[*w]
            )),
            "{text}"
        );
    }
}

/// Provider webhooks (`events import`) about a reminder: an SES bounce carrying the reminder's
/// `X-Certstat-Id`, and a SendGrid bounce naming only its Message-ID and dated (by a skewed
/// clock) before the reminder, are both matched to the reminder's send, named so by
/// `recipients show`, and never dated before the reminder.
#[test]
fn provider_bounces_of_a_reminder_name_the_reminder() {
    let env = Env::new();
    env.write_config(
        "[sender]\nfrom = \"ACME <certs@acme.example>\"\n\n\
         [serve]\nbase_url = \"https://certs.acme.example\"\n",
    );
    env.ok(&["cert", "create", CERT, "--issuer", "ACME"]);
    let (bob, carol) = ("bob@example.org", "carol@example.org");
    for w in [bob, carol] {
        env.ok(&["recipients", "add", CERT, w]);
    }
    assert!(at(&env, "2026-11-01T09:00:00Z", &["send", CERT]).0);
    assert!(at(&env, "2026-11-09T09:00:00Z", &["remind", CERT]).0);
    let reminders = send_ids(&env, "reminded");
    assert_eq!(reminders.len(), 2, "{reminders:?}");

    let text = std::fs::read_to_string(crate::common::fixture("webhooks/ses-bounce.json")).unwrap();
    let mut sns: Value = serde_json::from_str(&text).unwrap();
    let mut inner: Value = serde_json::from_str(sns["Message"].as_str().unwrap()).unwrap();
    inner["mail"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "X-Certstat-Id", "value": reminders[bob]}));
    sns["Message"] = inner.to_string().into();
    let ses = env.path("ses.json");
    std::fs::write(&ses, sns.to_string()).unwrap();
    let sendgrid = env.path("sendgrid.json");
    let skewed = chrono::DateTime::parse_from_rfc3339("2026-11-05T00:00:00Z")
        .unwrap()
        .timestamp();
    std::fs::write(
        &sendgrid,
        serde_json::json!([{
            "email": carol, "timestamp": skewed, "event": "bounce", "type": "bounce",
            "smtp-id": format!("<{}@acme.example>", reminders[carol]),
            "sg_event_id": "sg-reminder-1", "sg_message_id": "sg-r.1",
            "status": "5.1.1", "reason": "550 5.1.1 no such user",
        }])
        .to_string(),
    )
    .unwrap();
    for f in [&ses, &sendgrid] {
        env.ok(&["events", "import", f.to_str().unwrap(), "--format", "auto"]);
    }
    for (who, how) in [(bob, "certstat_id"), (carol, "message_id")] {
        let (json, text) = show(&env, who);
        assert_eq!(json["status"], "bounced", "{json}");
        let decided = &json["decided_by"];
        assert_eq!(decided["evidence"], "provider", "{json}");
        assert_eq!(decided["detail"]["match"], how, "{json}");
        assert_eq!(
            decided["detail"]["send_id"],
            reminders[who].as_str(),
            "{json}"
        );
        assert_eq!(decided["detail"]["notice"], "reminder", "{json}");
        assert_eq!(json["decided_by_message"]["what"], "the reminder", "{json}");
        assert!(
            decided["at"].as_str().unwrap() >= "2026-11-09T09:00:00Z",
            "not before the reminder: {json}"
        );
        assert!(
            text.contains(&format!(
                "send:       the reminder sent at 2026-11-09T09:00:00Z (send id {})",
                reminders[who]
            )),
            "{text}"
        );
    }
}
