//! `certstat remind`: reminders and expiry notices through the Postfix rig over simulated days
//! (`CERTSTAT_NOW`), the one-click unsubscribe POSTed to a real `certstat serve`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, need_env};
use crate::serve::{Server, claim};

pub const CERT: &str = "Reminded Course";

/// The Postfix rig: where it listens and the Maildir it delivers `@example.test` to.
pub struct Rig {
    pub port: String,
    pub maildir: PathBuf,
    pub bounce_maildir: PathBuf,
    pub unknown_user: String,
}

pub fn rig(what: &str) -> Option<Rig> {
    let var = |v: &str| need_env(v, what);
    let port = var("CERTSTAT_TEST_SMTP_PORT")?;
    let maildir = PathBuf::from(var("CERTSTAT_TEST_MAILDIR")?);
    let bounce_maildir = match std::env::var("CERTSTAT_TEST_BOUNCE_MAILDIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => PathBuf::from(format!("{}/localhost", var("CERTSTAT_TEST_MAILDIR_ROOT")?)),
    };
    Some(Rig {
        port,
        maildir,
        bounce_maildir,
        unknown_user: var("CERTSTAT_TEST_UNKNOWN_USER")?,
    })
}

/// A tag unique to this test run, for local parts.
pub fn tag(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{name}{}x{nanos:x}", std::process::id())
}

impl Rig {
    /// An environment that sends through the rig (VERP to `bounces@localhost`) with `cert`.
    pub fn env(&self, cert: &str) -> Env {
        let env = Env::new();
        env.write_config(&format!(
            "[sender]\nfrom = \"ACME <certs@example.test>\"\nbounce_address = \"bounces@localhost\"\n\n\
             [serve]\nbase_url = \"https://certs.example.test\"\n\n\
             [smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
            self.port
        ));
        env.ok(&["cert", "create", cert, "--issuer", "ACME"]);
        env
    }

    /// The messages delivered to addresses containing `tag`, by address, waiting until
    /// `want` of them are there (at most 30 s).
    pub fn delivered(&self, tag: &str, want: usize) -> HashMap<String, Vec<String>> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut out: HashMap<String, Vec<String>> = HashMap::new();
            for sub in ["new", "cur"] {
                let Ok(rd) = std::fs::read_dir(self.maildir.join(sub)) else {
                    continue;
                };
                for e in rd.flatten() {
                    let Ok(raw) = std::fs::read(e.path()) else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(&raw).to_string();
                    let Some(to) = text
                        .lines()
                        .find_map(|l| l.strip_prefix("Delivered-To: "))
                        .map(|s| s.trim().to_ascii_lowercase())
                    else {
                        continue;
                    };
                    if to.contains(tag) {
                        out.entry(to).or_default().push(text);
                    }
                }
            }
            let n: usize = out.values().map(Vec::len).sum();
            if n >= want || Instant::now() > deadline {
                return out;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Run certstat at the simulated instant `now`; returns (success, stdout, stderr).
pub fn at(env: &Env, now: &str, args: &[&str]) -> (bool, String, String) {
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", now)
        .env("CERTSTAT_SEND_BACKOFF_MS", "10")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `remind` at `now`, expecting success; its JSON summary.
fn remind(env: &Env, now: &str, extra: &[&str]) -> Value {
    let mut args = vec!["remind", CERT, "--format", "json"];
    args.extend(extra);
    let (ok, out, err) = at(env, now, &args);
    assert!(ok, "remind at {now} failed:\n{out}\n{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The value of a header (unfolded) in a raw message.
fn header<'m>(message: &'m str, name: &str) -> Option<&'m str> {
    let head = message.split("\r\n\r\n").next().unwrap_or(message);
    head.split("\r\n")
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then_some(v.trim())
        })
        .or_else(|| {
            head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then_some(v.trim())
            })
        })
}

/// The decoded plain-text body of a raw message.
fn text_body(message: &str) -> String {
    mail_parser::MessageParser::default()
        .parse(message.as_bytes())
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

fn is_reminder(m: &str) -> bool {
    header(m, "List-Unsubscribe").is_some()
}

/// The link token of a recipient, from the first email's claim link.
fn link_token(message: &str) -> String {
    let at = message.find("/c/").expect("a claim link");
    message[at + 3..at + 3 + 43].to_string()
}

fn reminders_to(rig: &Rig, tag: &str, who: &str, total: usize) -> usize {
    rig.delivered(tag, total)
        .get(who)
        .map_or(0, |ms| ms.iter().filter(|m| is_reminder(m)).count())
}

/// Over simulated days, hourly-cron style: nothing before `--after`, one reminder each to the
/// Pending and Delivered recipients who have not claimed (none to the one who claimed), a
/// second run the same hour sends nothing, `--max` caps them, each reminder is recorded as a
/// `reminded` event with its send id, carries the one-click unsubscribe headers, and is
/// delivered by Postfix exactly once.
#[test]
fn reminder_cycle_over_simulated_days_through_postfix() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let t = tag("rc");
    let who: Vec<String> = ["pending", "delivered", "claimer"]
        .iter()
        .map(|w| format!("{t}-{w}@example.test"))
        .collect();
    for w in &who {
        env.ok(&["recipients", "add", CERT, w]);
    }
    // Simulated days in the past, so that what `serve` records (at the real time) comes after
    // them, as it would in life: the claims below follow the reminders.
    let base = (chrono::Utc::now() - chrono::Duration::days(60))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let day = |d: i64, h: i64| {
        (base + chrono::Duration::days(d) + chrono::Duration::hours(h))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let (ok, out, err) = at(&env, &day(0, 9), &["send", CERT]);
    assert!(ok, "{out}{err}");
    let first = rig.delivered(&t, 3);
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(first.values().flatten().all(|m| !is_reminder(m)));

    // One becomes Delivered (an open by a person), one claims through a real `serve`.
    let server = Server::start(&env, &[]);
    let claimer_token = link_token(&first[&who[2]][0]);
    claim(&server, &claimer_token, &who[2]);
    let delivered_token = link_token(&first[&who[1]][0]);
    let r = server.get(&format!("/o/{delivered_token}.gif"));
    assert_eq!(r.status, 200);
    server.stop();
    let statuses: HashMap<String, String> = env
        .recipients(CERT)
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(statuses[&who[0]], "pending");
    assert_eq!(statuses[&who[1]], "delivered");
    assert_eq!(statuses[&who[2]], "claimed");

    // Hourly runs: nothing until a week after the first email.
    for (d, h) in [(0, 10), (3, 9), (7, 8)] {
        let s = remind(&env, &day(d, h), &[]);
        assert_eq!(s["sent"], 0, "day {d} {h}h: {s}");
    }
    let s = remind(&env, &day(7, 9), &[]);
    assert_eq!(
        (s["sent"].as_u64(), s["failed"].as_u64()),
        (Some(2), Some(0)),
        "{s}"
    );
    for h in [9, 10, 11] {
        let s = remind(&env, &day(7, h), &[]);
        assert_eq!(s["sent"], 0, "the same reminder twice at day 7 {h}h: {s}");
    }
    assert_eq!(reminders_to(&rig, &t, &who[0], 5), 1);
    assert_eq!(reminders_to(&rig, &t, &who[1], 5), 1);
    assert_eq!(
        reminders_to(&rig, &t, &who[2], 5),
        0,
        "claimed: no reminder"
    );

    // The reminder: its own subject, the link, RFC 8058's two headers.
    let got = rig.delivered(&t, 5);
    let reminder = got[&who[0]].iter().find(|m| is_reminder(m)).unwrap();
    assert!(
        header(reminder, "Subject")
            .unwrap()
            .starts_with("Reminder:"),
        "{reminder}"
    );
    assert_eq!(
        header(reminder, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let unsub = header(reminder, "List-Unsubscribe").unwrap();
    assert!(
        unsub.starts_with("<https://certs.example.test/u/") && unsub.ends_with('>'),
        "{unsub}"
    );
    assert!(
        reminder.contains("/c/"),
        "the claim link is in the reminder"
    );

    // Recorded: a reminded event per reminder, with the send id of its attempt.
    let events = env.json(&["events", "list", CERT, "--kind", "reminded"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    let mut ids: Vec<&str> = events
        .iter()
        .map(|e| e["detail"]["send_id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "one send id per reminder: {events:?}");
    assert!(
        events
            .iter()
            .any(|e| reminder.contains(e["detail"]["send_id"].as_str().unwrap())),
        "the delivered reminder's X-Certstat-Id is a recorded send id"
    );
    let statuses_after: Vec<Value> = env.recipients(CERT);
    for r in &statuses_after {
        let email = r["email"].as_str().unwrap();
        assert_eq!(
            r["status"].as_str().unwrap(),
            statuses[email],
            "a reminder changes no status"
        );
    }

    // A week after the reminder, the second; with --max 2 no third ever.
    assert_eq!(
        remind(&env, &day(10, 9), &["--max", "2"])["sent"],
        0,
        "--after counts from the reminder"
    );
    assert_eq!(remind(&env, &day(14, 9), &["--max", "2"])["sent"], 2);
    assert_eq!(
        remind(&env, &day(21, 9), &["--max", "2"])["sent"],
        0,
        "--max 2 reached"
    );
    assert_eq!(remind(&env, &day(21, 9), &["--max", "3"])["sent"], 2);
    assert_eq!(reminders_to(&rig, &t, &who[0], 9), 3);
    assert_eq!(reminders_to(&rig, &t, &who[1], 9), 3);

    // --opened-not-claimed: only the one who opened.
    let s = remind(&env, &day(28, 9), &["--max", "9", "--opened-not-claimed"]);
    assert_eq!(s["sent"], 1, "{s}");
    assert_eq!(reminders_to(&rig, &t, &who[1], 10), 4);
    assert_eq!(reminders_to(&rig, &t, &who[0], 10), 3);

    // The Pending one claims after the reminders; `stats` counts the reminders and that claim,
    // in the shape its JSON Schema documents.
    let server = Server::start(&env, &[]);
    claim(&server, &link_token(&first[&who[0]][0]), &who[0]);
    server.stop();
    let (ok, out, err) = at(&env, &day(29, 9), &["stats", CERT, "--format", "json"]);
    assert!(ok, "{err}");
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert_valid_stats(&stats);
    assert_eq!(
        stats["reminders"],
        serde_json::json!({"sent": 7, "recipients": 2,
            "claimed_after": {"count": 1, "percent": 50.0},
            "expiry_notices": 0, "unsubscribed": 0}),
        "{stats}"
    );
    let (_, text, _) = at(&env, &day(29, 9), &["stats", CERT]);
    assert!(
        text.contains("Reminders: 7 sent to 2 recipient(s); 1 claimed after one (50.0%)"),
        "{text}"
    );
    assert_eq!(
        remind(&env, &day(40, 9), &["--max", "99"])["sent"],
        1,
        "claimed: no more reminders"
    );
}

fn assert_valid_stats(v: &Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/stats/stats.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator.iter_errors(v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{v}");
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "reminders"),
        "the schema documents the reminder figures"
    );
}

/// The one-click unsubscribe: the address in a reminder's `List-Unsubscribe` header, POSTed
/// the way RFC 8058 says a mail client does, against a real `certstat serve`, records an
/// `unsubscribed` event; later reminders skip the recipient with the reason; a GET of the same
/// address only shows a page; an unknown token is 404 and records nothing.
#[test]
fn one_click_unsubscribe_post_to_serve_stops_later_reminders() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let t = tag("un");
    let who: Vec<String> = ["stays", "leaves"]
        .iter()
        .map(|w| format!("{t}-{w}@example.test"))
        .collect();
    for w in &who {
        env.ok(&["recipients", "add", CERT, w]);
    }
    assert!(at(&env, "2026-12-01T09:00:00Z", &["send", CERT]).0);
    assert_eq!(remind(&env, "2026-12-08T09:00:00Z", &[])["sent"], 2);
    let got = rig.delivered(&t, 4);
    let reminder = got[&who[1]]
        .iter()
        .find(|m| is_reminder(m))
        .expect("a reminder");
    let url = header(reminder, "List-Unsubscribe").unwrap();
    let path = url
        .trim_matches(|c| c == '<' || c == '>')
        .strip_prefix("https://certs.example.test")
        .unwrap()
        .to_string();

    let server = Server::start(&env, &[]);
    let page = server.get(&path);
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("<form method=\"post\""),
        "{}",
        page.text()
    );
    let forged = format!("/u/{}", "A".repeat(43));
    let r = server.request(
        "POST",
        &forged,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(r.status, 404);
    assert!(
        env.json(&["events", "list", CERT, "--kind", "unsubscribed"])
            .as_array()
            .unwrap()
            .is_empty(),
        "a GET and a forged token record nothing"
    );
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    server.stop();

    let events = env.json(&["events", "list", CERT, "--kind", "unsubscribed"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["email"], who[1].as_str());
    assert_eq!(events[0]["detail"]["one_click"], true);

    let s = remind(&env, "2026-12-15T09:00:00Z", &[]);
    assert_eq!(s["sent"], 1, "{s}");
    assert_eq!(s["suppressed"], 1, "{s}");
    let problem = &s["problems"][0];
    assert_eq!(problem["email"], who[1].as_str());
    assert!(
        problem["detail"].as_str().unwrap().contains("unsubscribed"),
        "{problem}"
    );
    assert_eq!(reminders_to(&rig, &t, &who[0], 5), 2);
    assert_eq!(
        reminders_to(&rig, &t, &who[1], 5),
        1,
        "no reminder after the unsubscribe"
    );
    let list = env.json(&["suppress", "list"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["email"] == who[1].as_str() && e["cause"] == "unsubscribed"),
        "{list}"
    );
}

/// Expiry notices: only to recipients who claimed, only when the expiry is within the window,
/// once per window (hourly runs send nothing more), again for a narrower window, with the
/// renewal link of `cert edit --renewal-url`; `recipients list --expiring` lists them.
#[test]
fn expiry_notices_go_once_per_window_with_the_renewal_link() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--expires",
        "2027-03-01T00:00:00Z",
        "--renewal-url",
        "https://acme.example/renew?course=rust",
    ]);
    let t = tag("ex");
    let who: Vec<String> = ["claimed", "unclaimed"]
        .iter()
        .map(|w| format!("{t}-{w}@example.test"))
        .collect();
    for w in &who {
        env.ok(&["recipients", "add", CERT, w]);
    }
    assert!(at(&env, "2026-12-01T09:00:00Z", &["send", CERT]).0);
    let first = rig.delivered(&t, 2);
    let server = Server::start(&env, &[]);
    claim(&server, &link_token(&first[&who[0]][0]), &who[0]);
    server.stop();

    // 2026-12-15: the expiry is 76 days away: not within 30d, within 90d.
    let s = remind(&env, "2026-12-15T09:00:00Z", &["--expiring", "30d"]);
    assert_eq!(s["sent"], 0, "{s}");
    let s = remind(&env, "2026-12-15T09:00:00Z", &["--expiring", "90d"]);
    assert_eq!(s["sent"], 1, "{s}");
    for h in [10, 11] {
        let s = remind(
            &env,
            &format!("2026-12-15T{h}:00:00Z"),
            &["--expiring", "90d"],
        );
        assert_eq!(s["sent"], 0, "once per window: {s}");
    }
    // 2027-02-10: within 30d: a second notice, then none.
    let s = remind(&env, "2027-02-10T09:00:00Z", &["--expiring", "30d"]);
    assert_eq!(s["sent"], 1, "{s}");
    assert_eq!(
        remind(&env, "2027-02-11T09:00:00Z", &["--expiring", "30d"])["sent"],
        0
    );
    assert_eq!(
        remind(&env, "2027-02-11T09:00:00Z", &["--expiring", "90d"])["sent"],
        0
    );

    let got = rig.delivered(&t, 4);
    let notices: Vec<&String> = got[&who[0]].iter().filter(|m| is_reminder(m)).collect();
    assert_eq!(notices.len(), 2, "{got:?}");
    assert!(
        header(notices[0], "Subject")
            .unwrap()
            .contains("expires on 1 March 2027")
    );
    assert!(
        text_body(notices[0]).contains("https://acme.example/renew?course=rust"),
        "{}",
        notices[0]
    );
    assert!(
        got[&who[1]].iter().all(|m| !is_reminder(m)),
        "not claimed: no notice"
    );

    let (ok, out, err) = at(
        &env,
        "2027-02-10T09:00:00Z",
        &[
            "recipients",
            "list",
            CERT,
            "--expiring",
            "30d",
            "--format",
            "json",
        ],
    );
    assert!(ok, "{err}");
    let listed: Vec<Value> = serde_json::from_str(&out).unwrap();
    let emails: Vec<&str> = listed
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [who[0].as_str()]);
    let (ok, out, _) = at(
        &env,
        "2026-12-15T09:00:00Z",
        &[
            "recipients",
            "list",
            CERT,
            "--expiring",
            "30d",
            "--format",
            "json",
        ],
    );
    assert!(ok);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 0);

    let bad = env.fails(&["cert", "edit", CERT, "--renewal-url", "renew here"]);
    assert!(bad.contains("--renewal-url"), "{bad}");
}

/// `preview --reminder` shows the reminder (default, then the certificate's own template with
/// its line and column on a syntax error), without sending or recording anything.
#[test]
fn preview_reminder_and_per_certificate_template() {
    let env = Env::new();
    env.with_example(CERT);
    let out = env.ok(&["preview", CERT, "--reminder"]);
    assert!(
        out.contains("Subject: Reminder: your certificate for Reminded Course"),
        "{out}"
    );
    assert!(
        out.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{out}"
    );
    assert!(out.contains("No more reminders: http"), "{out}");
    let first = env.ok(&["preview", CERT]);
    assert!(
        !first.contains("List-Unsubscribe"),
        "the first email has no unsubscribe: {first}"
    );

    let body = env.path("reminder.txt");
    std::fs::write(
        &body,
        "Dear {{ recipient.name }}, still waiting: {{ claim_url }}\nStop: {{ unsubscribe_url }}\n",
    )
    .unwrap();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--reminder-subject",
        "Still yours: {{ certificate.name }}",
        "--reminder-body",
        body.to_str().unwrap(),
    ]);
    let out = env.ok(&["preview", CERT, "--reminder"]);
    assert!(
        out.contains("Subject: Still yours: Reminded Course"),
        "{out}"
    );
    assert!(out.contains("still waiting: http"), "{out}");

    std::fs::write(&body, "Hello\n{{ recipient.name \n").unwrap();
    let err = env.fails(&[
        "cert",
        "edit",
        CERT,
        "--reminder-body",
        body.to_str().unwrap(),
    ]);
    assert!(err.contains("line 2"), "{err}");
    let out = env.ok(&["preview", CERT, "--reminder"]);
    assert!(
        out.contains("Subject: Still yours"),
        "the bad template was not saved: {out}"
    );
    assert_eq!(
        env.json(&["events", "list", CERT])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

/// The lost-link form's cookie and CSRF field, from a GET of it.
fn lost_form(server: &Server) -> (String, String) {
    let page = server.get("/lost");
    assert_eq!(page.status, 200);
    let cookie = page.cookies().join("; ");
    let set = page.all("set-cookie").join("\n");
    assert!(
        cookie.starts_with("certstat_lost_csrf=")
            && set.contains("Path=/lost")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict"),
        "{set}"
    );
    let csrf = page
        .text()
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    (cookie, csrf)
}

fn post_lost(server: &Server, email: &str, cookie: &str, csrf: &str) -> crate::serve::Resp {
    server.request(
        "POST",
        "/lost",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie),
        ],
        Some(&crate::serve::form(&[("email", email), ("csrf", csrf)])),
    )
}

/// A request from the form, as a browser sends it.
fn lost(server: &Server, email: &str) -> crate::serve::Resp {
    let (cookie, csrf) = lost_form(server);
    post_lost(server, email, &cookie, &csrf)
}

fn link_events(env: &Env) -> Vec<Value> {
    let mut all = Vec::new();
    for cert in [CERT, "Second Course"] {
        let v = env.json(&["events", "list", cert, "--kind", "link_requested"]);
        all.extend(v.as_array().unwrap().iter().cloned());
    }
    all
}

/// "Lost your link?" against a real `serve` and Postfix: the page answers the same whether or
/// not the address has a certificate; an address with two certificates gets both links again
/// (the same links as the first email), each request is a `link_requested` event (and, for an
/// unknown address too, a line in the log and in `events lost`), and requests are limited per
/// address and per client.
#[test]
fn lost_link_page_answers_the_same_mails_the_links_and_is_rate_limited() {
    let Some(rig) = rig("the lost-link tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    env.ok(&["cert", "create", "Second Course", "--issuer", "ACME"]);
    let t = tag("lo");
    let both = format!("{t}-both@example.test");
    let other = format!("{t}-other@example.test");
    for cert in [CERT, "Second Course"] {
        env.ok(&["recipients", "add", cert, &both]);
        assert!(at(&env, &crate::suppress::now(), &["send", cert]).0);
    }
    env.ok(&["recipients", "add", CERT, &other]);
    assert!(at(&env, &crate::suppress::now(), &["send", CERT]).0);
    let first = rig.delivered(&t, 3);
    let mut tokens: Vec<String> = first[&both].iter().map(|m| link_token(m)).collect();
    tokens.sort();

    let server = Server::start(&env, &[]);
    let form = server.get("/lost");
    assert_eq!(form.status, 200);
    assert!(form.text().contains("action=\"/lost\""), "{}", form.text());
    let known = lost(&server, &both);
    let unknown = lost(&server, &format!("{t}-nobody@example.test"));
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(known.text(), unknown.text(), "the same answer either way");
    assert!(known.text().contains("lost-done"));

    // Both links mailed again: the same tokens as the first emails.
    let got = rig.delivered(&t, 5);
    let again: Vec<&String> = got[&both]
        .iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Your link:")))
        .collect();
    assert_eq!(again.len(), 2, "{got:?}");
    let mut again_tokens: Vec<String> = again.iter().map(|m| link_token(m)).collect();
    again_tokens.sort();
    assert_eq!(again_tokens, tokens);
    let deadline = Instant::now() + Duration::from_secs(10);
    while link_events(&env).len() < 2 {
        assert!(Instant::now() < deadline, "no link_requested events");
        std::thread::sleep(Duration::from_millis(100));
    }
    let events = link_events(&env);
    assert!(
        events
            .iter()
            .all(|e| e["detail"]["mailed"] == true && e["detail"]["limited"] == false),
        "{events:?}"
    );
    assert!(
        events.iter().all(|e| e["detail"]["client"] == "127.0.0.1"),
        "{events:?}"
    );

    // Per address: the 4th request within the hour is recorded as limited and mails nothing.
    for _ in 0..3 {
        assert_eq!(lost(&server, &both).text(), unknown.text());
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while link_events(&env).len() < 8 {
        assert!(Instant::now() < deadline, "{:?}", link_events(&env));
        std::thread::sleep(Duration::from_millis(100));
    }
    let events = link_events(&env);
    assert_eq!(
        events
            .iter()
            .filter(|e| e["detail"]["limited"] == true)
            .count(),
        2,
        "{events:?}"
    );
    let got = rig.delivered(&t, 9);
    let again = got[&both]
        .iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Your link:")))
        .count();
    assert_eq!(again, 6, "three requests mailed, the fourth did not");

    // Per client: after 10 requests from this client, a new address is limited too.
    for i in 0..5 {
        lost(&server, &format!("{t}-x{i}@example.test"));
    }
    assert_eq!(lost(&server, &other).text(), unknown.text());
    let deadline = Instant::now() + Duration::from_secs(10);
    let of_other = |env: &Env| {
        env.json(&[
            "events",
            "list",
            CERT,
            "--kind",
            "link_requested",
            "--recipient",
            &other,
        ])
        .as_array()
        .unwrap()
        .clone()
    };
    while of_other(&env).is_empty() {
        assert!(Instant::now() < deadline, "no event for {other}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let e = &of_other(&env)[0];
    assert_eq!(
        (
            e["detail"]["limited"].as_bool(),
            e["detail"]["mailed"].as_bool()
        ),
        (Some(true), None),
        "{e}"
    );
    let (_, log) = server.stop();
    assert_eq!(
        log.matches("/lost: a request for an address without a certificate")
            .count(),
        6,
        "{log}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        rig.delivered(&t, 0)[&other].len(),
        1,
        "only the first email"
    );
}

/// A reminder's DKIM signature covers `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058
/// section 4) and verifies with dkimpy, like the first email's, which has neither header.
#[test]
fn reminders_are_dkim_signed_with_their_one_click_headers() {
    let env = Env::new();
    let key = env.path("dkim.pem");
    let made = std::process::Command::new("openssl")
        .args(["genrsa", "-out", key.to_str().unwrap(), "2048"])
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        assert!(!crate::common::required(), "openssl is required");
        eprintln!("skipped: openssl is not installed");
        return;
    }
    env.write_config(&format!(
        "[sender]\nfrom = \"ACME <certs@example.test>\"\ndkim_key = \"{}\"\ndkim_selector = \"certs\"\n\n\
         [serve]\nbase_url = \"https://certs.example.test\"\n\n[outbox]\ndir = \"{}\"\n",
        key.display(),
        env.path("outbox").display()
    ));
    env.ok(&["cert", "create", CERT]);
    env.ok(&["recipients", "add", CERT, "ana@example.test"]);
    assert!(at(&env, "2026-10-01T09:00:00Z", &["send", CERT]).0);
    assert!(at(&env, "2026-10-09T09:00:00Z", &["remind", CERT]).0);
    let mut files: Vec<PathBuf> = std::fs::read_dir(env.path("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    let reminder = std::fs::read_to_string(&files[1]).unwrap();
    let signature = header(&reminder, "DKIM-Signature")
        .unwrap_or_default()
        .to_string();
    let unfolded: String = reminder
        .split("\r\n\r\n")
        .next()
        .unwrap()
        .replace("\r\n\t", "")
        .replace("\r\n ", "");
    let h = unfolded
        .split("h=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(!signature.is_empty(), "{reminder}");
    let signed: Vec<&str> = h.split(':').map(str::trim).collect();
    assert!(
        signed.contains(&"list-unsubscribe") && signed.contains(&"list-unsubscribe-post"),
        "{h}"
    );
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_dkim.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args([
            "--key",
            key.to_str().unwrap(),
            "--selector",
            "certs",
            "--domain",
            "example.test",
        ])
        .args(&files)
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => assert_eq!(report.matches("ok ").count(), 2, "{report}"),
        Some(2) if !crate::common::required() => eprintln!("skipped: {report}"),
        _ => panic!("{report}"),
    }
    // The verifier can say no: the unsubscribe address changed breaks the signature.
    let forged = reminder.replacen("/u/", "/u/X", 1);
    let forged_path = env.path("forged.eml");
    std::fs::write(&forged_path, forged).unwrap();
    let out = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_dkim.py"))
        .args([
            "--key",
            key.to_str().unwrap(),
            "--selector",
            "certs",
            "--domain",
            "example.test",
        ])
        .arg(&forged_path)
        .output()
        .unwrap();
    if out.status.code() != Some(2) {
        assert_eq!(
            out.status.code(),
            Some(1),
            "a changed List-Unsubscribe must not verify"
        );
    }
}

/// The engine's crash safety holds for reminders: `remind` killed (SIGKILL) at several points,
/// then run to the end and again by "cron", mails nobody a second reminder and loses nobody:
/// each recipient has a reminder attempt, those recorded as reminded got exactly one through
/// Postfix, and an interrupted one counts as sent (it is never repeated without
/// `--resend-unconfirmed`).
#[test]
fn remind_killed_at_any_point_never_mails_a_reminder_twice() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let t = tag("rk");
    let emails: Vec<String> = (0..150)
        .map(|i| format!("{t}-{i:03}@example.test"))
        .collect();
    let csv = env.path("people.csv");
    std::fs::write(&csv, format!("email\n{}\n", emails.join("\n"))).unwrap();
    env.ok(&["-q", "recipients", "import", CERT, csv.to_str().unwrap()]);
    assert!(at(&env, "2026-10-01T09:00:00Z", &["send", CERT]).0);
    for delay_ms in [40u64, 150, 300, 600] {
        let mut child = crate::serve::std_cmd(&env)
            .env("CERTSTAT_NOW", "2026-10-09T09:00:00Z")
            .args(["remind", CERT, "--rate", "300"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    remind(&env, "2026-10-09T09:00:00Z", &[]);
    assert_eq!(
        remind(&env, "2026-10-09T10:00:00Z", &[])["sent"],
        0,
        "the next hour: nothing"
    );

    let of_kind = |kind: &str| -> HashMap<String, usize> {
        let mut n = HashMap::new();
        for e in env
            .json(&["events", "list", CERT, "--kind", kind])
            .as_array()
            .unwrap()
        {
            *n.entry(e["email"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        n
    };
    let attempts = of_kind("remind_attempt");
    let reminded = of_kind("reminded");
    let failed = of_kind("send_failed");
    let total: usize = reminded.values().sum();
    let got = rig.delivered(&t, 150 + total);
    std::thread::sleep(Duration::from_secs(1));
    let got_later = rig.delivered(&t, 150 + total);
    assert_eq!(
        got.values().map(Vec::len).sum::<usize>(),
        got_later.values().map(Vec::len).sum::<usize>()
    );
    for e in &emails {
        let delivered = got_later
            .get(e)
            .map_or(0, |ms| ms.iter().filter(|m| is_reminder(m)).count());
        assert!(delivered <= 1, "{e} got {delivered} reminders");
        assert!(attempts.contains_key(e), "{e} lost: no reminder attempt");
        if reminded.contains_key(e) {
            assert_eq!(reminded[e], 1, "{e}");
            assert_eq!(
                delivered, 1,
                "{e} is recorded as reminded, so it has its reminder"
            );
        }
        // A failed attempt (stopped before it was handed over) was retried; an interrupted
        // one is not.
        assert!(
            attempts[e] <= 1 + failed.get(e).copied().unwrap_or(0),
            "{e}: {attempts:?}"
        );
    }
    eprintln!(
        "remind kill test: {} of 150 reminders interrupted before their outcome",
        150 - reminded.len()
    );
}

/// The send ids of `kind` events of `CERT`, by address.
fn ids_of(env: &Env, kind: &str) -> Vec<(String, String)> {
    env.json(&["events", "list", CERT, "--kind", kind])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_string(),
                e["detail"]["send_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The recipients with a reminder handed over and no outcome recorded for it, nor any later
/// reminder accepted (a re-send).
fn unconfirmed_reminders(env: &Env) -> Vec<String> {
    let mut outcome = std::collections::HashSet::new();
    for kind in ["reminded", "send_failed", "bounced"] {
        outcome.extend(ids_of(env, kind).into_iter().map(|(_, id)| id));
    }
    let mut open: HashMap<String, bool> = HashMap::new();
    for e in env.json(&["events", "list", CERT]).as_array().unwrap() {
        let who = e["email"].as_str().unwrap().to_string();
        let id = e["detail"]["send_id"].as_str().unwrap_or("");
        match e["kind"].as_str().unwrap() {
            "remind_attempt" if !outcome.contains(id) => {
                open.insert(who, true);
            }
            "reminded" => {
                open.insert(who, false);
            }
            _ => {}
        }
    }
    let mut who: Vec<String> = open
        .into_iter()
        .filter(|(_, o)| *o)
        .map(|(e, _)| e)
        .collect();
    who.sort();
    who
}

fn skipped_unconfirmed(s: &Value) -> Vec<String> {
    let mut who: Vec<String> = s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["outcome"] == "unconfirmed")
        .map(|p| {
            assert!(
                p["detail"]
                    .as_str()
                    .unwrap()
                    .contains("--resend-unconfirmed"),
                "{p}"
            );
            p["email"].as_str().unwrap().to_string()
        })
        .collect();
    who.sort();
    who
}

/// Reminders interrupted by SIGKILL after they were handed over (no outcome recorded) are
/// handled as `send` handles its unconfirmed: later runs skip them, saying so and how to
/// re-send; a `--resend-unconfirmed` that fails (no server) keeps them unconfirmed; one that
/// goes through Postfix confirms them, as the same reminder, not another one for `--max`.
#[test]
fn interrupted_reminders_are_resent_only_with_resend_unconfirmed() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let good_config = std::fs::read_to_string(&env.config).unwrap();
    let t = tag("ru");
    let emails: Vec<String> = (0..100)
        .map(|i| format!("{t}-{i:03}@example.test"))
        .collect();
    let csv = env.path("people.csv");
    std::fs::write(&csv, format!("email\n{}\n", emails.join("\n"))).unwrap();
    env.ok(&["-q", "recipients", "import", CERT, csv.to_str().unwrap()]);
    assert!(at(&env, "2026-10-01T09:00:00Z", &["send", CERT]).0);
    let day8 = "2026-10-09T09:00:00Z";
    let mut interrupted = Vec::new();
    for delay_ms in [60u64, 120, 200, 300, 450, 700, 1000] {
        let mut child = crate::serve::std_cmd(&env)
            .env("CERTSTAT_NOW", day8)
            .args(["remind", CERT, "--rate", "200"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        interrupted = unconfirmed_reminders(&env);
        if !interrupted.is_empty() {
            break;
        }
    }
    assert!(
        !interrupted.is_empty(),
        "no kill left a reminder unconfirmed"
    );

    // Cron goes on: the others get their reminder, the unconfirmed are skipped and named.
    let s = remind(&env, day8, &[]);
    assert_eq!(skipped_unconfirmed(&s), interrupted, "{s}");
    let s = remind(&env, "2026-10-09T10:00:00Z", &[]);
    assert_eq!(s["sent"], 0, "{s}");
    assert_eq!(skipped_unconfirmed(&s), interrupted, "{s}");
    assert_eq!(unconfirmed_reminders(&env), interrupted);

    // A re-send that cannot reach a server keeps them unconfirmed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        &env.config,
        good_config.replace(&format!("port = {}", rig.port), &format!("port = {closed}")),
    )
    .unwrap();
    let (ok, out, _) = at(
        &env,
        "2026-10-09T11:00:00Z",
        &["remind", CERT, "--resend-unconfirmed", "--format", "json"],
    );
    assert!(!ok, "{out}");
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["sent"], 0, "{s}");
    assert_eq!(s["unconfirmed"], interrupted.len(), "{s}");
    assert_eq!(unconfirmed_reminders(&env), interrupted);
    let s = remind(&env, "2026-10-09T12:00:00Z", &[]);
    assert_eq!(skipped_unconfirmed(&s), interrupted, "still skipped: {s}");

    // Through Postfix: each is mailed once more and confirmed.
    std::fs::write(&env.config, &good_config).unwrap();
    let s = remind(&env, "2026-10-09T13:00:00Z", &["--resend-unconfirmed"]);
    assert_eq!(s["sent"], interrupted.len(), "{s}");
    assert!(unconfirmed_reminders(&env).is_empty());
    let got = rig.delivered(&t, 100 + 100);
    for e in &interrupted {
        let n = got[e].iter().filter(|m| is_reminder(m)).count();
        assert!((1..=2).contains(&n), "{e} got {n} reminders");
    }
    let s = remind(&env, "2026-10-09T14:00:00Z", &["--resend-unconfirmed"]);
    assert_eq!(s["sent"], 0, "nothing left to re-send: {s}");
    // The re-send was the same reminder: a week later, with --max 2, everyone has one more to go.
    let s = remind(&env, "2026-10-17T09:00:00Z", &["--max", "2", "--dry-run"]);
    assert_eq!(s["selected"], 100, "{s}");
    let s = remind(&env, "2026-10-17T09:00:00Z", &["--max", "1", "--dry-run"]);
    assert_eq!(s["selected"], 0, "{s}");
}

/// A certificate's own expiry-notice template (`cert edit --expiry-subject/--expiry-body`):
/// `preview --expiry` shows it (the default before, and again after `""`), a syntax error is
/// refused with its line and saves nothing, the reminder template is not touched, and the
/// notice `remind --expiring` mails through Postfix is the certificate's own.
#[test]
fn expiry_notice_per_certificate_template_previewed_and_sent() {
    let Some(rig) = rig("the reminder tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--expires",
        "2027-03-01T00:00:00Z",
        "--renewal-url",
        "https://acme.example/renew",
    ]);
    let default = env.ok(&["preview", CERT, "--expiry"]);
    assert!(default.contains("expires on 1 March 2027"), "{default}");

    let body = env.path("expiry.txt");
    std::fs::write(
        &body,
        "{{ recipient.name }}, renew by {{ expires_on }}: {{ renewal_url }}\nStop: {{ unsubscribe_url }}\n",
    )
    .unwrap();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--expiry-subject",
        "Renew {{ certificate.name }} before {{ expires_on }}",
        "--expiry-body",
        body.to_str().unwrap(),
    ]);
    let out = env.ok(&["preview", CERT, "--expiry"]);
    assert!(
        out.contains("Subject: Renew Reminded Course before 1 March 2027"),
        "{out}"
    );
    assert!(
        out.contains("renew by 1 March 2027: https://acme.example/renew"),
        "{out}"
    );
    assert!(out.contains("List-Unsubscribe-Post"), "{out}");
    let reminder = env.ok(&["preview", CERT, "--reminder"]);
    assert!(
        reminder.contains("Subject: Reminder:"),
        "the reminder keeps its own: {reminder}"
    );

    // Bad templates: refused with where, nothing saved.
    std::fs::write(&body, "Renew\n{% if expires_on %}\n").unwrap();
    let err = env.fails(&[
        "cert",
        "edit",
        CERT,
        "--expiry-body",
        body.to_str().unwrap(),
    ]);
    assert!(
        err.contains("expiry notice template") && err.contains("line"),
        "{err}"
    );
    let err = env.fails(&["cert", "edit", CERT, "--expiry-subject", "Renew {{ x"]);
    assert!(err.contains("expiry notice template"), "{err}");
    let err = env.fails(&["cert", "edit", CERT, "--expiry-body", "no-such-file.txt"]);
    assert!(err.contains("cannot read the expiry notice body"), "{err}");
    let out = env.ok(&["preview", CERT, "--expiry"]);
    assert!(out.contains("Subject: Renew Reminded Course"), "{out}");

    // The notice itself, through Postfix, to a recipient who claimed.
    let t = tag("et");
    let who = format!("{t}-claimed@example.test");
    env.ok(&["recipients", "add", CERT, &who, "--name", "Ana"]);
    assert!(at(&env, "2026-12-01T09:00:00Z", &["send", CERT]).0);
    let first = rig.delivered(&t, 1);
    let server = Server::start(&env, &[]);
    claim(&server, &link_token(&first[&who][0]), &who);
    server.stop();
    let s = remind(&env, "2027-02-10T09:00:00Z", &["--expiring", "30d"]);
    assert_eq!(s["sent"], 1, "{s}");
    let got = rig.delivered(&t, 2);
    let notice = got[&who].iter().find(|m| is_reminder(m)).unwrap();
    assert_eq!(
        header(notice, "Subject"),
        Some("Renew Reminded Course before 1 March 2027")
    );
    assert!(
        text_body(notice).contains("Ana, renew by 1 March 2027: https://acme.example/renew"),
        "{notice}"
    );

    // Back to the default.
    env.ok(&["cert", "edit", CERT, "--expiry-subject", ""]);
    std::fs::write(&body, "").unwrap();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--expiry-body",
        body.to_str().unwrap(),
    ]);
    let again = env.ok(&["preview", CERT, "--expiry"]);
    for line in [
        "Subject: Your certificate for Reminded Course expires on 1 March 2027",
        "To renew it:",
    ] {
        assert!(default.contains(line) && again.contains(line), "{again}");
    }
}

/// `events lost` once no request is pending (their outcome is recorded in the background).
fn lost_log(env: &Env, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = env.json(&["events", "lost"]);
        let rows = v.as_array().unwrap().clone();
        if rows.len() >= n && rows.iter().all(|r| r["outcome"] != "pending") {
            return rows;
        }
        assert!(Instant::now() < deadline, "{rows:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every `/lost` request is logged, for an unknown or invalid address too, and `events lost`
/// shows them; the form needs its CSRF token (no cookie, or a field of another cookie, gets
/// the form again with 403 whatever the address, mails nothing and counts for no limit); the
/// limit per address is counted from that log, so it holds across a restart of `serve`.
#[test]
fn lost_link_requests_are_logged_need_the_form_token_and_stay_limited_across_restarts() {
    let Some(rig) = rig("the lost-link tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env(CERT);
    let t = tag("lr");
    let known = format!("{t}-known@example.test");
    let nobody = format!("{t}-nobody@example.test");
    env.ok(&["recipients", "add", CERT, &known]);
    assert!(at(&env, &crate::suppress::now(), &["send", CERT]).0);
    rig.delivered(&t, 1);

    let server = Server::start(&env, &[]);
    // Forged: no cookie at all, then a field that belongs to another cookie.
    let (cookie_a, _) = lost_form(&server);
    let (_, csrf_b) = lost_form(&server);
    let mut forged_pages = Vec::new();
    for email in [&known, &nobody] {
        for (cookie, csrf) in [("", "0123"), (cookie_a.as_str(), csrf_b.as_str())] {
            let r = post_lost(&server, email, cookie, csrf);
            assert_eq!(r.status, 403, "{}", r.text());
            assert!(r.text().contains("lost-expired"));
            let text = r.text();
            let without_field = text.split("name=\"csrf\"").next().unwrap().to_string();
            forged_pages.push(without_field);
        }
    }
    assert!(
        forged_pages.windows(2).all(|w| w[0] == w[1]),
        "the same refusal for every address"
    );
    // Within the form: an unknown address, an invalid one, and the known one three times.
    let done = lost(&server, &nobody);
    assert_eq!(done.status, 200);
    assert_eq!(lost(&server, "not an address").text(), done.text());
    for _ in 0..3 {
        assert_eq!(lost(&server, &known).text(), done.text());
    }
    lost_log(&env, 9);
    server.stop();

    // A new `serve`: the fourth request for the address within the hour is still over.
    let server = Server::start(&env, &[]);
    assert_eq!(lost(&server, &known).text(), done.text());
    let log = lost_log(&env, 10);
    server.stop();
    let outcomes: Vec<(&str, &str, bool, i64)> = log
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
                r["limited"].as_bool().unwrap(),
                r["recipients"].as_i64().unwrap(),
            )
        })
        .collect();
    let k = known.as_str();
    let n = nobody.as_str();
    assert_eq!(
        outcomes,
        [
            (k, "forged", false, 0),
            (k, "forged", false, 0),
            (n, "forged", false, 0),
            (n, "forged", false, 0),
            (n, "unknown", false, 0),
            ("not an address", "invalid", false, 0),
            (k, "found", false, 1),
            (k, "found", false, 1),
            (k, "found", false, 1),
            (k, "found", true, 1),
        ]
    );
    assert!(log.iter().all(|r| r["client"] == "127.0.0.1"));
    // The links mailed: three, none for the forged requests nor the limited one.
    std::thread::sleep(Duration::from_millis(500));
    let got = rig.delivered(&t, 4);
    let again = got[&known]
        .iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Your link:")))
        .count();
    assert_eq!(again, 3, "{got:?}");
    // Each known request is also an event of the recipient, naming its logged request.
    let events = env.json(&["events", "list", CERT, "--kind", "link_requested"]);
    let events = events.as_array().unwrap();
    let ids: Vec<i64> = log[6..].iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let mut named: Vec<i64> = events
        .iter()
        .map(|e| e["detail"]["request_id"].as_i64().unwrap())
        .collect();
    named.sort();
    assert_eq!(named, ids);
    // Filters and the table.
    let only = env.json(&["events", "lost", "--email", &nobody.to_uppercase()]);
    assert_eq!(only.as_array().unwrap().len(), 3);
    let table = env.ok(&["events", "lost"]);
    assert!(
        table.contains(&nobody) && table.contains("unknown"),
        "{table}"
    );
    let later = env.json(&["events", "lost", "--since", "2999-01-01"]);
    assert_eq!(later.as_array().unwrap().len(), 0);
}

/// The recipients' `reminded` events (reminders and expiry notices) of `cert`.
fn reminded_events(env: &Env, cert: &str) -> usize {
    env.json(&["events", "list", cert, "--kind", "reminded"])
        .as_array()
        .unwrap()
        .len()
}

/// Two `remind` runs overlap: one (B) has chosen its recipients and is still getting ready
/// when another (A) mails the same reminder (or expiry notice) and finishes; B then takes the
/// free run lock. B must read each recipient's log again where it queues them, as `send`
/// re-reads the status, and mail nobody twice. B is held at the one file it reads between its
/// choice and the lock, the link secret, made a FIFO for it; A reads the real file.
#[test]
fn a_follow_up_another_run_mailed_after_this_one_chose_is_not_mailed_again() {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    for expiry in [false, true] {
        let env = Env::new();
        env.write_config(&format!(
            "[sender]\nfrom = \"ACME <certs@example.test>\"\n\n[outbox]\ndir = \"{}\"\n",
            env.path("outbox").display()
        ));
        env.ok(&["cert", "create", CERT, "--issuer", "ACME"]);
        env.ok(&[
            "recipients",
            "add",
            CERT,
            "ana@example.org",
            "--name",
            "Ana",
        ]);
        let t0 = "2026-03-02T09:00:00Z";
        assert!(at(&env, t0, &["-q", "send", CERT]).0);
        let mut args = vec!["remind", CERT, "--format", "json"];
        if expiry {
            env.ok(&["cert", "edit", CERT, "--expires", "2026-03-20", "--force"]);
            let file = env.path("claim.jsonl");
            std::fs::write(
                &file,
                format!(
                    "{{\"certificate\":\"{CERT}\",\"email\":\"ana@example.org\",\"kind\":\"claimed\",\
                     \"at\":\"2026-03-02T10:00:00Z\",\"source\":\"web\",\"detail\":{{}}}}\n"
                ),
            )
            .unwrap();
            env.ok(&[
                "events",
                "import",
                file.to_str().unwrap(),
                "--format",
                "jsonl",
            ]);
            args.extend(["--expiring", "30d"]);
        }
        let now = "2026-03-10T09:00:00Z";
        let secret = env.db.with_file_name("certstat.db.secret");
        let bytes = std::fs::read(&secret).unwrap();
        std::fs::remove_file(&secret).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&secret)
            .status()
            .unwrap();
        assert!(made.success());
        let mut b = crate::serve::std_cmd(&env)
            .env("CERTSTAT_NOW", now)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Opening the FIFO's write end without waiting works once B waits at its read end.
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut fifo = loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(O_NONBLOCK)
                .open(&secret)
            {
                Ok(f) => break f,
                Err(_) => {
                    assert!(b.try_wait().unwrap().is_none(), "B ended before the secret");
                    assert!(Instant::now() < deadline, "B never read the secret");
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        };
        // A reads a real secret file (B holds the FIFO open already) and mails the follow-up.
        let tmp = env.db.with_file_name("secret.tmp");
        std::fs::write(&tmp, &bytes).unwrap();
        std::fs::rename(&tmp, &secret).unwrap();
        let (ok, out, err) = at(&env, now, &args);
        assert!(ok, "A failed:\n{out}\n{err}");
        assert_eq!(reminded_events(&env, CERT), 1, "A mailed it: {out}");
        fifo.write_all(&bytes).unwrap();
        drop(fifo);
        let b = b.wait_with_output().unwrap();
        let (b_out, b_err) = (
            String::from_utf8_lossy(&b.stdout),
            String::from_utf8_lossy(&b.stderr),
        );
        assert_eq!(
            reminded_events(&env, CERT),
            1,
            "mailed twice (expiry {expiry}):\nB: {b_out}\n{b_err}"
        );
        assert!(b.status.success(), "{b_out}\n{b_err}");
        let s: Value = serde_json::from_str(&b_out).unwrap();
        assert_eq!(
            (s["sent"].as_u64(), s["skipped"].as_u64()),
            (Some(0), Some(1)),
            "{s}"
        );
    }
}

/// "Lost your link?" gives out only what was sent: a certificate still Not Sent to the
/// address is not mailed (the organiser has not released it), and an address on the
/// suppression list (by hand, or by a hard bounce) gets nothing, whoever typed it; the page is
/// the same every time, `events lost` logs every request and the suppressed recipients'
/// `link_requested` events say why nothing was mailed.
#[test]
fn lost_link_mails_only_certificates_sent_and_never_a_suppressed_address() {
    let env = Env::new();
    let outbox = env.path("outbox");
    env.write_config(&format!(
        "[sender]\nfrom = \"ACME <certs@example.test>\"\n\n[outbox]\ndir = \"{}\"\n",
        outbox.display()
    ));
    env.ok(&["cert", "create", "Sent Course", "--issuer", "ACME"]);
    env.ok(&["cert", "create", "Later Course", "--issuer", "ACME"]);
    for who in ["pia@example.org", "hand@example.org", "hard@example.org"] {
        env.ok(&["recipients", "add", "Sent Course", who]);
    }
    env.ok(&["-q", "send", "Sent Course"]);
    // Pia is on the later course too, not sent yet; so is someone on that one only.
    env.ok(&["recipients", "add", "Later Course", "pia@example.org"]);
    env.ok(&["recipients", "add", "Later Course", "notyet@example.org"]);
    env.ok(&[
        "-q",
        "suppress",
        "add",
        "hand@example.org",
        "--reason",
        "asked by phone",
    ]);
    let file = env.path("bounce.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"certificate\":\"Sent Course\",\"email\":\"hard@example.org\",\"kind\":\"bounced\",\
             \"at\":\"{}\",\"source\":\"provider\",\"detail\":{{\"hard\":true,\"status\":\"5.1.1\",\
             \"reason\":\"user unknown\"}}}}\n",
            crate::suppress::now()
        ),
    )
    .unwrap();
    env.ok(&[
        "events",
        "import",
        file.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let files = || std::fs::read_dir(&outbox).unwrap().count();
    let before = files();
    assert_eq!(before, 3);

    let server = Server::start(&env, &[]);
    let asked = [
        "pia@example.org",
        "HAND@example.org",
        "hard@example.org",
        "notyet@example.org",
    ];
    let mut pages = Vec::new();
    for email in asked {
        let r = lost(&server, email);
        assert_eq!(r.status, 200);
        pages.push(r.text().split("name=\"csrf\"").next().unwrap().to_string());
    }
    assert!(pages.windows(2).all(|w| w[0] == w[1]), "the same answer");
    let rows = lost_log(&env, asked.len());
    let outcome = |email: &str| {
        rows.iter()
            .find(|r| r["email"] == email)
            .map(|r| {
                (
                    r["outcome"].as_str().unwrap().to_owned(),
                    r["recipients"].clone(),
                )
            })
            .unwrap()
    };
    assert_eq!(
        outcome("pia@example.org"),
        ("found".into(), 1.into()),
        "{rows:?}"
    );
    assert_eq!(outcome("notyet@example.org").0, "unknown", "{rows:?}");
    // The suppressed addresses' requests are logged, and their recipients' events say why
    // nothing was mailed.
    let deadline = Instant::now() + Duration::from_secs(10);
    let events = loop {
        let v = env.json(&["events", "list", "Sent Course", "--kind", "link_requested"]);
        let v = v.as_array().unwrap().clone();
        if v.len() >= 3 {
            break v;
        }
        assert!(Instant::now() < deadline, "{v:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    for who in ["hand@example.org", "hard@example.org"] {
        let e = events.iter().find(|e| e["email"] == who).unwrap();
        assert_eq!(e["detail"]["mailed"], false, "{e}");
        assert!(
            e["detail"]["error"]
                .as_str()
                .unwrap_or_default()
                .contains("suppressed"),
            "{e}"
        );
    }
    drop(server);
    let mut new: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|m| m.contains("Subject: Your link:"))
        .collect();
    assert_eq!(new.len(), 1, "only Pia's sent certificate: {new:#?}");
    let m = new.pop().unwrap();
    assert!(
        m.lines()
            .any(|l| l.starts_with("To:") && l.contains("pia@example.org"))
            && m.contains("Your link: Sent Course"),
        "{m}"
    );
    let later = env.recipients("Later Course");
    assert!(later.iter().all(|r| r["status"] == "not_sent"), "{later:?}");
}
