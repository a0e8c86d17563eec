//! `certstat refresh`: real bounce mail (the sisimai-derived corpus, Postfix's own DSNs) read
//! from a Maildir, an mbox file and IMAP, matched to recipients who were sent mail.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use certstat::bounce::{Analysis, analyze};
use serde_json::Value;

use crate::common::{Env, fixture, need_env};

const CERT: &str = "Corpus";

fn corpus_dir() -> PathBuf {
    PathBuf::from(fixture("bounces"))
}

/// A fresh Maildir under the test's directory.
fn maildir(env: &Env, name: &str) -> PathBuf {
    let dir = env.path(name);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    dir
}

fn deliver(dir: &Path, name: &str, raw: &[u8]) {
    std::fs::write(dir.join("new").join(name), raw).unwrap();
}

/// A certificate whose recipients (`emails`) were all sent their message through the outbox.
fn sent(env: &Env, cert: &str, emails: &[String]) {
    env.ok(&["cert", "create", cert]);
    let csv = env.path(&format!("{cert}.csv"));
    let mut text = String::from("email,name\n");
    for e in emails {
        text.push_str(&format!("{e},Recipient\n"));
    }
    std::fs::write(&csv, text).unwrap();
    env.ok(&[
        "recipients",
        "import",
        cert,
        csv.to_str().unwrap(),
        "--skip-invalid",
    ]);
    env.ok(&["-q", "send", cert]);
}

/// email -> (status, detail)
fn statuses(env: &Env, cert: &str) -> HashMap<String, (String, String)> {
    env.recipients(cert)
        .into_iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_lowercase(),
                (
                    r["status"].as_str().unwrap().to_string(),
                    r["detail"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect()
}

/// Every event of a certificate: (email, kind, detail).
fn events(env: &Env, cert: &str) -> Vec<(String, String, Value)> {
    env.json(&["events", "list", cert])
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

/// Run refresh; return stderr (where the summary goes).
fn refresh(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["refresh"];
    all.extend_from_slice(args);
    let out = env.cmd().args(&all).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "certstat {all:?} failed:\n{stderr}");
    stderr
}

fn summary_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("refresh"))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"))
        .to_string()
}

/// Replace every ASCII-case-insensitive occurrence of `from` in `raw` with `to`.
fn replace_ci(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
    let needle = from.as_bytes();
    let mut out = Vec::with_capacity(raw.len() + 64);
    let mut i = 0;
    while i < raw.len() {
        if raw.len() - i >= needle.len() && raw[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            out.extend_from_slice(to.as_bytes());
            i += needle.len();
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// `local@domain` -> `local.tag@domain`.
fn tagged(address: &str, tag: &str) -> String {
    match address.rsplit_once('@') {
        Some((l, d)) => format!("{l}.{tag}@{d}"),
        None => format!("{address}.{tag}"),
    }
}

#[derive(Debug)]
struct Row {
    file: String,
    index: usize,
    reason: String,
    hard: bool,
}

fn expected_rows() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                file: c[0].to_string(),
                index: c[2].parse().unwrap(),
                reason: c[5].to_string(),
                hard: c[6] == "true",
            }
        })
        .collect()
}

fn family(file: &str) -> String {
    let stem = file.trim_end_matches(".eml");
    match stem.rfind('-') {
        Some(p) if stem[p + 1..].chars().all(|c| c.is_ascii_digit()) => stem[..p].to_string(),
        _ => stem.to_string(),
    }
}

/// The address a corpus row is about, in a message's analysis.
fn row_address(a: &Analysis, index: usize) -> Option<String> {
    a.recipients
        .get(index.checked_sub(1)?)
        .map(|r| r.address.to_lowercase())
        .filter(|s| s.contains('@'))
}

/// The corpus's reasons for a refusal aimed at the sender, not the address.
const SENDER_SIDE: &[&str] = &[
    "rejected",
    "blocked",
    "requireptr",
    "policyviolation",
    "authfailure",
    "spamdetected",
    "securityerror",
    "notcompliantrfc",
    "virusdetected",
    "contenterror",
    "toomanyconn",
    "norelaying",
    "badreputation",
    "speeding",
    "syntaxerror",
];

/// The whole corpus through `refresh --maildir`, matched by address against recipients created
/// here: every copy gets its own addresses (so one recipient is about one corpus row), then the
/// final statuses are compared with the corpus's expected hard/soft classification.
#[test]
fn corpus_through_refresh_maildir_dry_run_then_apply_then_idempotent() {
    let env = Env::new();
    let rows = expected_rows();
    let mut by_file: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        by_file.entry(r.file.clone()).or_default().push(r);
    }
    let md = maildir(&env, "bounces");
    // (row, unique address) for every row the rewrite could give its own address.
    let mut judged: Vec<(&Row, String)> = Vec::new();
    let mut skipped = Vec::new();
    for (n, (file, file_rows)) in by_file.iter().enumerate() {
        let raw = std::fs::read(corpus_dir().join(file)).unwrap();
        let before = analyze(&raw);
        let mut new = raw.clone();
        let mut plan: Vec<(&Row, String)> = Vec::new();
        let mut seen_addr = HashSet::new();
        for row in file_rows {
            if row.reason == "none" {
                continue;
            }
            match row_address(&before, row.index) {
                Some(addr) if seen_addr.insert(addr.clone()) => {
                    let unique = tagged(&addr, &format!("c{n}r{}", row.index));
                    new = replace_ci(&new, &addr, &unique);
                    plan.push((row, unique));
                }
                _ => skipped.push(format!("{file}#{} (no distinct address)", row.index)),
            }
        }
        let after = analyze(&new);
        for (row, unique) in plan {
            if row_address(&after, row.index).as_deref() == Some(unique.as_str()) {
                judged.push((row, unique));
            } else {
                skipped.push(format!("{file}#{} (address not rewritable)", row.index));
            }
        }
        deliver(&md, &format!("{n:04}.{file}"), &new);
    }
    let none_rows = rows.iter().filter(|r| r.reason == "none").count();
    assert!(
        judged.len() * 100 >= (rows.len() - none_rows) * 90,
        "too few corpus rows usable: {} of {}; skipped: {skipped:#?}",
        judged.len(),
        rows.len()
    );
    let emails: Vec<String> = judged.iter().map(|(_, a)| a.clone()).collect();
    sent(&env, CERT, &emails);
    let before_status = statuses(&env, CERT);
    let judged: Vec<(&Row, String)> = judged
        .into_iter()
        .filter(|(_, a)| before_status.contains_key(a))
        .collect();
    assert!(
        judged.len() + 10 >= emails.len(),
        "import skipped too many addresses"
    );
    let events_before = events(&env, CERT).len();
    let md_arg = md.to_str().unwrap();

    // 1. --dry-run: says what it would do, writes nothing.
    let dry = refresh(&env, &["-v", "--dry-run", "--maildir", md_arg]);
    let line = summary_line(&dry);
    assert!(line.contains("dry run"), "{line}");
    assert!(dry.contains("would record bounced"), "{dry}");
    assert_eq!(
        statuses(&env, CERT),
        before_status,
        "dry run changed statuses"
    );
    assert_eq!(
        events(&env, CERT).len(),
        events_before,
        "dry run wrote events"
    );

    // 2. The real run.
    let first = refresh(&env, &["--maildir", md_arg]);
    let line = summary_line(&first);
    let after = statuses(&env, CERT);
    let evs = events(&env, CERT);
    let kinds_of = |email: &str| -> Vec<String> {
        evs.iter()
            .filter(|(e, _, _)| e == email)
            .map(|(_, k, _)| k.clone())
            .collect()
    };
    let mut families: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut flag_misses = Vec::new();
    let (mut ok_total, mut total) = (0, 0);
    for (row, addr) in &judged {
        let (status, detail) = &after[addr];
        let kinds = kinds_of(addr);
        let ok = match row.reason.as_str() {
            "vacation" => {
                assert_ne!(
                    status, "bounced",
                    "an auto-reply bounced {addr} ({})",
                    row.file
                );
                kinds.iter().any(|k| k == "auto_reply")
            }
            "feedback" => status != "bounced" && kinds.iter().any(|k| k == "complained"),
            "delivered" => status == "delivered",
            // The corpus calls some delay notices (`Action: delayed`) "expired": the mail
            // system is still trying, so Pending is the contract's answer for those.
            "delayed" | "expired" if kinds.iter().any(|k| k == "delayed") => status == "pending",
            // Unclassifiable by the corpus too: a final failure, or held for review.
            "undefined" | "onhold" => status == "bounced" || detail.starts_with("needs review"),
            // Refused because of the sender: a warning, the recipient unchanged.
            r if SENDER_SIDE.contains(&r) => {
                status == "pending" && kinds.iter().any(|k| k == "bounced") || status == "bounced"
            }
            // Every other row is a final failure: Bounced.
            _ => status == "bounced",
        };
        if status == "bounced" && detail.starts_with("hard bounce") != row.hard {
            flag_misses.push(format!(
                "{} #{}: {} hard={}",
                row.file, row.index, row.reason, row.hard
            ));
        }
        let f = families.entry(family(&row.file)).or_default();
        f.0 += 1;
        f.1 += usize::from(ok);
        total += 1;
        ok_total += usize::from(ok);
        if !ok {
            misses.push(format!(
                "{:<28} #{} want {} hard={} got {status} ({detail}) {kinds:?}",
                row.file, row.index, row.reason, row.hard
            ));
        }
    }
    println!("\n{:<26} {:>5} {:>6}", "family", "rows", "agree");
    for (fam, (n, ok)) in &families {
        println!("{fam:<26} {n:>5} {:>5.1}%", 100.0 * *ok as f64 / *n as f64);
    }
    let pct = 100.0 * ok_total as f64 / total as f64;
    println!("{:<26} {total:>5} {pct:>5.1}%\n{line}", "TOTAL");
    for m in &misses {
        println!("  {m}");
    }
    println!(
        "hard/soft flag differs from the corpus on {} Bounced rows:",
        flag_misses.len()
    );
    for m in &flag_misses {
        println!("  {m}");
    }
    assert!(
        pct >= 95.0,
        "refresh agreement {pct:.1}% < 95%:\n{}",
        misses.join("\n")
    );
    // Every bounced event says how it was matched: here, by address.
    for (_, kind, detail) in &evs {
        if kind == "bounced" {
            assert_eq!(detail["match"], "address", "{detail}");
        }
    }
    let bounced = after.values().filter(|(s, _)| s == "bounced").count();
    assert!(
        line.starts_with(&format!("refresh: {bounced} bounced, ")),
        "summary {line} vs {bounced} bounced"
    );

    // 3. A second run changes nothing.
    let second = refresh(&env, &["--maildir", md_arg]);
    let line2 = summary_line(&second);
    assert!(
        line2.starts_with("refresh: 0 bounced, 0 delivered, 0 unmatched, 0 errors"),
        "{line2}"
    );
    assert_eq!(statuses(&env, CERT), after);
    assert_eq!(events(&env, CERT).len(), evs.len());
}

/// A Postfix-style DSN for `address`, sent to `to`, optionally returning the original's headers.
fn dsn(to: &str, address: &str, status: &str, diagnostic: &str, original_headers: &str) -> Vec<u8> {
    let action = if status.starts_with('2') {
        "delivered"
    } else if status.starts_with('4') && !diagnostic.contains("expired") {
        "delayed"
    } else {
        "failed"
    };
    format!(
        "Return-Path: <>\r\n\
Delivered-To: {to}\r\n\
Date: Thu, 26 Nov 2026 10:00:00 +0000 (UTC)\r\n\
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
To: {to}\r\n\
Auto-Submitted: auto-replied\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"B0UND\"\r\n\
Message-Id: <{}.dsn@mx.example.org>\r\n\
\r\n\
--B0UND\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
This is the mail system at host mx.example.org.\r\n\
\r\n\
I'm sorry to have to inform you that your message could not\r\n\
be delivered to one or more recipients.\r\n\
\r\n\
<{address}>: host mx.example.org[192.0.2.1] said: {diagnostic}\r\n\
\r\n\
--B0UND\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.example.org\r\n\
Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000 (UTC)\r\n\
\r\n\
Final-Recipient: rfc822; {address}\r\n\
Original-Recipient: rfc822;{address}\r\n\
Action: {action}\r\n\
Status: {status}\r\n\
Remote-MTA: dns; mx.example.org\r\n\
Diagnostic-Code: smtp; {diagnostic}\r\n\
\r\n\
--B0UND\r\n\
Content-Description: Undelivered Message Headers\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
{original_headers}\
From: certificates@acme.example\r\n\
Subject: Your certificate\r\n\
\r\n\
--B0UND--\r\n",
        address.replace(['@', '.'], "-")
    )
    .into_bytes()
}

fn unknown_user(to: &str, address: &str, headers: &str) -> Vec<u8> {
    dsn(
        to,
        address,
        "5.1.1",
        &format!(
            "550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        ),
        headers,
    )
}

/// The outbox messages of a run, by recipient address: (X-Certstat-Id, Message-ID).
fn sent_ids(env: &Env) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    let dir = env.dir.path().join("data").join("outbox");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let header = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let to = header("To");
        let to = to
            .rsplit_once('<')
            .map(|(_, r)| r.trim_end_matches('>').to_string())
            .unwrap_or(to);
        out.insert(
            to.to_lowercase(),
            (
                header("X-Certstat-Id"),
                header("Message-ID").trim_matches(['<', '>']).to_string(),
            ),
        );
    }
    out
}

fn out_of_office(from: &str, to: &str, in_reply_to: &str) -> Vec<u8> {
    format!(
        "Return-Path: <{from}>\r\n\
Date: Thu, 26 Nov 2026 11:00:00 +0100\r\n\
From: Ana Example <{from}>\r\n\
To: {to}\r\n\
Subject: Automatic reply: Your certificate\r\n\
In-Reply-To: <{in_reply_to}>\r\n\
References: <{in_reply_to}>\r\n\
Auto-Submitted: auto-replied\r\n\
X-Auto-Response-Suppress: All\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
I am out of the office until 7 December with no access to email.\r\n\
Your message will not be forwarded. For urgent matters, call the front desk.\r\n"
    )
    .into_bytes()
}

/// Keys in order of strength: VERP, then X-Certstat-Id / Message-ID, then the address; an
/// out-of-office reply is recorded and never bounces; a sender-side refusal is a warning.
#[test]
fn matching_keys_out_of_office_and_sender_side_refusals() {
    let env = Env::new();
    env.write_config("[sender]\nfrom = \"certificates@acme.example\"\nbounce_address = \"bounces@acme.example\"\n");
    let people: Vec<String> = ["verp", "xid", "msgid", "addr", "ooo", "spam", "forged"]
        .iter()
        .map(|p| format!("{p}@example.org"))
        .collect();
    sent(&env, "Keys", &people);
    let ids = sent_ids(&env);
    let secret =
        certstat::tokens::Secret::load(&certstat::paths::token_secret(&env.db), false).unwrap();
    let md = maildir(&env, "keys");
    // VERP: the DSN names someone else entirely (a forwarding address), but the envelope
    // token says whose send it was.
    let token = certstat::mail::compose::verp_token(&secret, &ids["verp@example.org"].0);
    deliver(
        &md,
        "1",
        &unknown_user(
            &format!("bounces+{token}@acme.example"),
            "forwarded-somewhere@other.example",
            "",
        ),
    );
    deliver(
        &md,
        "2",
        &unknown_user(
            "bounces@acme.example",
            "renamed@other.example",
            &format!("X-Certstat-Id: {}\r\n", ids["xid@example.org"].0),
        ),
    );
    deliver(
        &md,
        "3",
        &unknown_user(
            "bounces@acme.example",
            "renamed2@other.example",
            &format!("Message-ID: <{}>\r\n", ids["msgid@example.org"].1),
        ),
    );
    deliver(
        &md,
        "4",
        &unknown_user("bounces@acme.example", "addr@example.org", ""),
    );
    deliver(
        &md,
        "5",
        &out_of_office(
            "ooo@example.org",
            "certificates@acme.example",
            &ids["ooo@example.org"].1,
        ),
    );
    deliver(
        &md,
        "6",
        &dsn(
            "bounces@acme.example",
            "spam@example.org",
            "5.7.1",
            "550 5.7.1 Service unavailable; client [192.0.2.9] blocked using zen.spamhaus.org",
            "",
        ),
    );
    // A forged VERP token (right shape, wrong signature) matches nothing by itself; the DSN's
    // address is nobody's either.
    let forged = format!("{}-000000000000", ids["forged@example.org"].0);
    deliver(
        &md,
        "7",
        &unknown_user(
            &format!("bounces+{forged}@acme.example"),
            "nobody@other.example",
            "",
        ),
    );
    let out = refresh(&env, &["-v", "--maildir", md.to_str().unwrap()]);
    let st = statuses(&env, "Keys");
    let evs = events(&env, "Keys");
    let matched = |email: &str, kind: &str| {
        evs.iter()
            .find(|(e, k, _)| e == email && k == kind)
            .map(|(_, _, d)| d["match"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(st["verp@example.org"].0, "bounced", "{out}");
    assert_eq!(
        matched("verp@example.org", "bounced").as_deref(),
        Some("verp")
    );
    assert_eq!(st["xid@example.org"].0, "bounced", "{out}");
    assert_eq!(
        matched("xid@example.org", "bounced").as_deref(),
        Some("certstat_id")
    );
    assert_eq!(st["msgid@example.org"].0, "bounced", "{out}");
    assert_eq!(
        matched("msgid@example.org", "bounced").as_deref(),
        Some("message_id")
    );
    assert_eq!(st["addr@example.org"].0, "bounced");
    assert_eq!(
        matched("addr@example.org", "bounced").as_deref(),
        Some("address")
    );
    assert_eq!(
        st["addr@example.org"].1,
        "hard bounce: 5.1.1 userunknown (550 5.1.1 <addr@example.org>: Recipient address \
         rejected: User unknown in virtual mailbox table)"
    );
    // Out of office: recorded as an auto-reply (matched by In-Reply-To), never a bounce.
    assert_ne!(st["ooo@example.org"].0, "bounced");
    assert_eq!(
        matched("ooo@example.org", "auto_reply").as_deref(),
        Some("message_id")
    );
    // The sender's problem, not the recipient's: a warning; the recipient stays Pending.
    assert_eq!(
        st["spam@example.org"].0, "pending",
        "{:?}",
        st["spam@example.org"]
    );
    assert!(out.contains("because of the sender"), "{out}");
    assert_eq!(st["forged@example.org"].0, "pending");
    let line = summary_line(&out);
    assert!(
        line.starts_with("refresh: 4 bounced, 0 delivered, 1 unmatched, 0 errors"),
        "{line}"
    );
    assert!(
        out.contains("unmatched bounce about nobody@other.example"),
        "{out}"
    );
}

/// Settle promotion; a late hard bounce still wins over it; Claimed is final.
#[test]
fn settle_then_late_hard_bounce_and_claimed_stays_claimed() {
    let env = Env::new();
    let people = vec![
        "late@example.org".to_string(),
        "claimer@example.org".to_string(),
        "quiet@example.org".to_string(),
    ];
    sent(&env, "Settle", &people);
    let empty = maildir(&env, "empty");
    let empty_arg = empty.to_str().unwrap();
    // Within the window: nothing is promoted.
    let out = refresh(&env, &["--maildir", empty_arg]);
    assert!(summary_line(&out).contains("0 delivered"), "{out}");
    assert!(
        statuses(&env, "Settle")
            .values()
            .all(|(s, _)| s == "pending")
    );
    // Two hours later, with the default 1h window.
    let later = (chrono::Utc::now() + chrono::Duration::hours(2))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", &later)
        .args(["refresh", "--maildir", empty_arg])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(summary_line(&stderr).contains("3 delivered"), "{stderr}");
    let st = statuses(&env, "Settle");
    for p in &people {
        assert_eq!(st[p].0, "delivered", "{p}: {:?}", st[p]);
        assert!(st[p].1.contains("settle"), "{:?}", st[p]);
    }
    // The claimer claims.
    let claim = env.path("claim.jsonl");
    std::fs::write(
        &claim,
        format!(
            "{{\"certificate\":\"Settle\",\"email\":\"claimer@example.org\",\"kind\":\"claimed\",\"at\":\"{later}\",\"source\":\"web\",\"detail\":{{}}}}\n"
        ),
    )
    .unwrap();
    env.ok(&["events", "import", claim.to_str().unwrap()]);
    // Then hard bounces arrive for both.
    let md = maildir(&env, "late");
    deliver(
        &md,
        "a",
        &unknown_user("bounces@acme.example", "late@example.org", ""),
    );
    deliver(
        &md,
        "b",
        &unknown_user("bounces@acme.example", "claimer@example.org", ""),
    );
    let evening = (chrono::Utc::now() + chrono::Duration::hours(5))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", &evening)
        .args([
            "refresh",
            "--settle",
            "30m",
            "--maildir",
            md.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let st = statuses(&env, "Settle");
    assert_eq!(
        st["late@example.org"].0, "bounced",
        "a late hard bounce beats settle"
    );
    assert_eq!(st["claimer@example.org"].0, "claimed", "claimed is final");
    assert_eq!(st["quiet@example.org"].0, "delivered");
    // A soft bounce is a final failure: Bounced, marked soft, with the server's own words.
    let env2 = Env::new();
    sent(&env2, "Soft", &["full@example.org".to_string()]);
    let md2 = maildir(&env2, "soft");
    deliver(
        &md2,
        "a",
        &dsn(
            "bounces@acme.example",
            "full@example.org",
            "5.2.2",
            "552 5.2.2 <full@example.org>: mailbox full, quota exceeded",
            "",
        ),
    );
    let out = env2
        .cmd()
        .env("CERTSTAT_NOW", &later)
        .args(["refresh", "--maildir", md2.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let st = statuses(&env2, "Soft");
    assert_eq!(st["full@example.org"].0, "bounced", "{:?}", st);
    let detail = &st["full@example.org"].1;
    assert!(detail.starts_with("soft bounce: 5.2.2"), "{detail}");
    assert!(detail.contains("mailbox full, quota exceeded"), "{detail}");
}

/// Messages in an mbox file, with `From ` separators and a `>From ` escaped body line.
#[test]
fn mbox_source_and_config_defaults_and_errors() {
    let env = Env::new();
    let people = vec!["one@example.org".to_string(), "two@example.org".to_string()];
    sent(&env, "Mbox", &people);
    let mut mbox = Vec::new();
    for p in &people {
        mbox.extend_from_slice(b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n");
        let raw = String::from_utf8(unknown_user("bounces@acme.example", p, "")).unwrap();
        let raw = raw.replace("\r\n", "\n").replace(
            "This is the mail system",
            "From the desk of the postmaster:\n>From here on\nThis is the mail system",
        );
        mbox.extend_from_slice(
            raw.replace("\nFrom the desk", "\n>From the desk")
                .as_bytes(),
        );
        mbox.extend_from_slice(b"\n");
    }
    let path = env.path("bounces.mbox");
    std::fs::write(&path, &mbox).unwrap();
    // From the config, as cron runs it: no flags.
    env.write_config(&format!(
        "[refresh]\nmboxes = [\"{}\"]\nsettle = \"2h\"\n",
        path.display()
    ));
    let out = env.cmd().args(["-q", "refresh"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "-q prints nothing on success: {:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    let st = statuses(&env, "Mbox");
    assert!(people.iter().all(|p| st[p].0 == "bounced"), "{st:?}");
    // Unreadable sources are real errors: exit 1, with the reason; the rest is still read.
    let err = env.fails(&["refresh", "--maildir", "/nonexistent/maildir"]);
    assert!(
        err.contains("/nonexistent/maildir") && err.contains("Maildir"),
        "{err}"
    );
    let err = env.fails(&["refresh", "--mbox", "/nonexistent.mbox"]);
    assert!(err.contains("/nonexistent.mbox"), "{err}");
    // A password in the IMAP URL is refused before anything is read.
    let err = env.fails(&[
        "refresh",
        "--imap",
        "imaps://u:hunter2@imap.example.org/INBOX",
    ]);
    assert!(
        err.contains("CERTSTAT_IMAP_PASSWORD") && !err.contains("hunter2"),
        "{err}"
    );
}

/// Two runs at once never apply the same message twice.
#[test]
fn concurrent_runs_apply_each_message_once() {
    let env = Env::new();
    let people: Vec<String> = (0..40).map(|i| format!("p{i}@example.org")).collect();
    sent(&env, "Twice", &people);
    let md = maildir(&env, "twice");
    for (i, p) in people.iter().enumerate() {
        deliver(
            &md,
            &format!("{i}"),
            &unknown_user("bounces@acme.example", p, ""),
        );
    }
    let md_arg = md.to_str().unwrap().to_string();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", env.dir.path())
                .env("CERTSTAT_DB", &env.db)
                .env("CERTSTAT_CONFIG", &env.config)
                .env("NO_COLOR", "1")
                .current_dir(env.dir.path())
                .args(["refresh", "--maildir", &md_arg])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut bounced_total = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        let line = summary_line(&String::from_utf8_lossy(&out.stderr));
        bounced_total += line
            .trim_start_matches("refresh: ")
            .split(' ')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap();
    }
    assert_eq!(
        bounced_total,
        people.len(),
        "each bounce applied exactly once overall"
    );
    let bounced = events(&env, "Twice")
        .into_iter()
        .filter(|(_, k, _)| k == "bounced")
        .count();
    assert_eq!(bounced, people.len());
}

// ---------------------------------------------------------------- end to end (Postfix, Dovecot)

/// The Postfix rig's variables (see .ci/mta.sh), or None to skip outside CI.
struct Rig {
    smtp_host: String,
    smtp_port: String,
    /// Where mail to the bounce address lands.
    bounce_maildir: PathBuf,
    bounce_address: String,
    /// Accepted at RCPT time, then bounced by Postfix itself (5.1.1 DSN).
    unknown_user: String,
    /// A domain Postfix relays to a loopback peer that refuses with 550 5.1.1.
    remote_domain: String,
    /// A domain that accepts and delivers (to a Maildir), for a control recipient.
    good_domain: String,
}

fn rig() -> Option<Rig> {
    let var = |v: &str| need_env(v, "the end-to-end refresh tests need the Postfix rig");
    let smtp_host = var("CERTSTAT_TEST_SMTP_HOST")?;
    let smtp_port = var("CERTSTAT_TEST_SMTP_PORT")?;
    let good_domain = var("CERTSTAT_TEST_MAIL_DOMAIN")?;
    // The bounce mailbox: its own variables, else bounces@localhost, whose mail (like every
    // @localhost address's) lands in the localhost Maildir, apart from the send tests' mail.
    let bounce_address = std::env::var("CERTSTAT_TEST_BOUNCE_ADDRESS")
        .unwrap_or_else(|_| "bounces@localhost".to_string());
    let bounce_maildir = match std::env::var("CERTSTAT_TEST_BOUNCE_MAILDIR") {
        Ok(d) => d,
        Err(_) => format!("{}/localhost", var("CERTSTAT_TEST_MAILDIR_ROOT")?),
    };
    Some(Rig {
        smtp_host,
        smtp_port,
        bounce_maildir: PathBuf::from(bounce_maildir),
        bounce_address,
        unknown_user: var("CERTSTAT_TEST_UNKNOWN_USER")?,
        remote_domain: var("CERTSTAT_TEST_REMOTE_DOMAIN")?,
        good_domain,
    })
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    )
}

/// Send to two addresses Postfix bounces and one it delivers, with VERP; wait until the two
/// DSNs are in the bounce Maildir; copy them (ours only) into a Maildir of this test.
fn postfix_bounces(env: &Env, rig: &Rig, tag: &str) -> (Vec<String>, String, PathBuf) {
    env.write_config(&format!(
        "[sender]\nfrom = \"certificates@acme.example\"\nbounce_address = \"{}\"\n\n[smtp]\nhost = \"{}\"\nport = {}\nsecurity = \"none\"\n",
        rig.bounce_address, rig.smtp_host, rig.smtp_port
    ));
    let (ulocal, udomain) = rig.unknown_user.rsplit_once('@').unwrap();
    let bad = vec![
        format!("{ulocal}{tag}@{udomain}"),
        format!("gone{tag}@{}", rig.remote_domain),
    ];
    let good = format!("fine{tag}@{}", rig.good_domain);
    let mut all = bad.clone();
    all.push(good.clone());
    sent(env, "E2E", &all);
    let st = statuses(env, "E2E");
    assert!(
        all.iter().all(|a| st[a].0 == "pending"),
        "Postfix accepted all three: {st:?}"
    );
    // Our DSNs: in the bounce Maildir, naming one of our addresses.
    let ours = maildir(env, "ours");
    let deadline = Instant::now() + Duration::from_secs(60);
    // (Dovecot may rename a message while we look: collect by the address it is about.)
    // The good address's success DSN (certstat asks for NOTIFY=SUCCESS where the server
    // offers DSN) must be there too, so that a run over the whole mailbox sees everything at
    // once; it is not copied into `ours`.
    let mut found: HashSet<String> = HashSet::new();
    let mut success_seen = false;
    while found.len() < bad.len() || !success_seen {
        assert!(
            Instant::now() < deadline,
            "no DSNs for {bad:?} (and the success DSN for {good}: {success_seen}) in {} after 60 s",
            rig.bounce_maildir.display()
        );
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(rig.bounce_maildir.join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                let raw = std::fs::read(e.path()).unwrap_or_default();
                let text = String::from_utf8_lossy(&raw).to_lowercase();
                if let Some(b) = bad.iter().find(|b| text.contains(b.as_str()))
                    && found.insert(b.clone())
                {
                    deliver(&ours, &format!("{}.eml", found.len()), &raw);
                }
                success_seen |= text.contains(good.as_str()) && text.contains("action: delivered");
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    (bad, good, ours)
}

#[test]
fn postfix_dsns_through_refresh_maildir_match_by_verp() {
    let Some(rig) = rig() else { return };
    let env = Env::new();
    let (bad, good, ours) = postfix_bounces(&env, &rig, &unique("m"));
    let out = refresh(&env, &["-v", "--maildir", ours.to_str().unwrap()]);
    let st = statuses(&env, "E2E");
    for b in &bad {
        assert_eq!(st[b].0, "bounced", "{b}: {:?}\n{out}", st[b]);
    }
    assert_eq!(st[&good].0, "pending", "only the bounced ones change");
    for (email, kind, detail) in events(&env, "E2E") {
        if kind == "bounced" {
            assert_eq!(detail["match"], "verp", "{email}: {detail}");
            assert_eq!(detail["status"], "5.1.1", "{email}: {detail}");
        }
    }
    assert!(
        summary_line(&out).starts_with("refresh: 2 bounced, 0 delivered, 0 unmatched, 0 errors"),
        "{out}"
    );
}

/// The Dovecot rig's IMAP mailbox (.ci/dovecot.sh): its URL and password.
struct Imap {
    url: String,
    password: String,
}

/// The IMAP rig, or None (the test skips) when it is not running and not required.
fn imap_rig() -> Option<Imap> {
    let what = "the IMAP refresh test needs .ci/dovecot.sh";
    Some(Imap {
        url: need_env("CERTSTAT_TEST_IMAP_URL", what)?,
        password: need_env("CERTSTAT_TEST_IMAP_PASSWORD", what)?,
    })
}

#[test]
fn postfix_dsns_through_refresh_imap_via_dovecot() {
    let Some(rig) = rig() else { return };
    let Some(Imap { url, password }) = imap_rig() else {
        return;
    };
    let env = Env::new();
    let (bad, good, _) = postfix_bounces(&env, &rig, &unique("i"));
    let run = |extra: &[&str]| {
        let mut args = vec!["-v", "refresh", "--imap", url.as_str()];
        args.extend_from_slice(extra);
        let out = env
            .cmd()
            .env("CERTSTAT_IMAP_PASSWORD", &password)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    let out = run(&[]);
    let st = statuses(&env, "E2E");
    for b in &bad {
        assert_eq!(st[b].0, "bounced", "{b}: {:?}\n{out}", st[b]);
    }
    // The whole mailbox holds the good address's success DSN too: positive evidence.
    assert_eq!(st[&good].0, "delivered", "{:?}\n{out}", st[&good]);
    assert!(st[&good].1.contains("dsn"), "{:?}", st[&good]);
    let verp = events(&env, "E2E")
        .into_iter()
        .filter(|(_, k, d)| k == "bounced" && d["match"] == "verp")
        .count();
    assert_eq!(verp, bad.len(), "{out}");
    // The second run fetches only what it has not read: nothing changes. (The mailbox is
    // shared with the other Postfix tests, which run at the same time: their bounces may
    // arrive in between and are unmatched here, but none is about this test's recipients.)
    let again = run(&[]);
    let line = summary_line(&again);
    assert!(
        line.starts_with("refresh: 0 bounced, 0 delivered, ") && line.contains(", 0 errors"),
        "{again}"
    );
    assert!(
        !bad.iter()
            .any(|b| again.to_lowercase().contains(b.as_str())),
        "{again}"
    );
    assert_eq!(statuses(&env, "E2E"), st, "the second run changes nothing");
    // Asked to, processed mail is marked \\Seen (Dovecot keeps flags in the file names).
    let out = run(&["--imap-mark-seen"]);
    assert!(summary_line(&out).contains("0 bounced"), "{out}");
    if let Some(md) = need_env("CERTSTAT_TEST_IMAP_MAILDIR", "the Maildir Dovecot serves") {
        let mut seen_flags = 0;
        for e in std::fs::read_dir(Path::new(&md).join("cur"))
            .unwrap()
            .flatten()
        {
            let raw = std::fs::read(e.path()).unwrap_or_default();
            let text = String::from_utf8_lossy(&raw).to_lowercase();
            if bad.iter().any(|b| text.contains(b.as_str())) {
                let name = e.file_name().to_string_lossy().to_string();
                assert!(
                    name.contains(":2,") && name.rsplit(":2,").next().unwrap().contains('S'),
                    "{name}"
                );
                seen_flags += 1;
            }
        }
        assert_eq!(seen_flags, bad.len());
    }
    // A wrong password is a real error, with the reason.
    let out = env
        .cmd()
        .env("CERTSTAT_IMAP_PASSWORD", "wrong-password")
        .args(["refresh", "--imap", url.as_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("IMAP login") && !err.contains("wrong-password"),
        "{err}"
    );
}

#[test]
fn postfix_dsns_through_refresh_mbox() {
    let Some(rig) = rig() else { return };
    let env = Env::new();
    let (bad, _, ours) = postfix_bounces(&env, &rig, &unique("x"));
    let path = mbox_of(&env, &ours);
    let out = refresh(&env, &["--mbox", path.to_str().unwrap()]);
    let st = statuses(&env, "E2E");
    for b in &bad {
        assert_eq!(st[b].0, "bounced", "{b}: {:?}\n{out}", st[b]);
    }
}

/// The messages of a Maildir's `new/`, written as an mbox file (as a local delivery agent
/// would: LF endings, `From ` lines quoted, a blank line after each message).
fn mbox_of(env: &Env, maildir: &Path) -> PathBuf {
    let mut mbox = Vec::new();
    for e in std::fs::read_dir(maildir.join("new")).unwrap() {
        let raw = std::fs::read(e.unwrap().path()).unwrap();
        mbox.extend_from_slice(b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n");
        for line in String::from_utf8_lossy(&raw).replace("\r\n", "\n").lines() {
            if line.starts_with("From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line.as_bytes());
            mbox.push(b'\n');
        }
        mbox.push(b'\n');
    }
    let path = env.path("bounces.mbox");
    std::fs::write(&path, mbox).unwrap();
    path
}

#[test]
fn one_dsn_read_from_maildir_mbox_and_imap_is_applied_once() {
    let Some(rig) = rig() else { return };
    let Some(Imap { url, password }) = imap_rig() else {
        return;
    };
    let env = Env::new();
    let (bad, _, ours) = postfix_bounces(&env, &rig, &unique("o"));
    let bounced_events = |env: &Env| {
        events(env, "E2E")
            .into_iter()
            .filter(|(_, k, _)| k == "bounced")
            .count()
    };
    let out = refresh(&env, &["--maildir", ours.to_str().unwrap()]);
    assert!(
        summary_line(&out).starts_with("refresh: 2 bounced"),
        "{out}"
    );
    let st = statuses(&env, "E2E");
    assert_eq!(bounced_events(&env), bad.len());
    // The same messages as an mbox (LF, quoted lines, separators): already read.
    let mbox = mbox_of(&env, &ours);
    let out = refresh(&env, &["-v", "--mbox", mbox.to_str().unwrap()]);
    assert!(
        summary_line(&out).starts_with("refresh: 0 bounced"),
        "{out}"
    );
    assert!(
        summary_line(&out).contains(&format!("{} already read", bad.len())),
        "{out}"
    );
    // And over IMAP (CRLF), from the mailbox they were copied from: already read too.
    let out = env
        .cmd()
        .env("CERTSTAT_IMAP_PASSWORD", &password)
        .args(["-v", "refresh", "--imap", url.as_str()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    assert!(
        summary_line(&stderr).starts_with("refresh: 0 bounced"),
        "{stderr}"
    );
    assert_eq!(
        bounced_events(&env),
        bad.len(),
        "each DSN applied once\n{stderr}"
    );
    let after = statuses(&env, "E2E");
    for b in &bad {
        assert_eq!(after[b], st[b], "{b}");
    }
}

// ---------------------------------------------------------------- provider webhooks

fn provider_env() -> Env {
    let env = Env::new();
    let people: Vec<String> = ["ana", "bob", "carol", "dave", "erin"]
        .iter()
        .map(|p| format!("{p}@example.org"))
        .collect();
    sent(&env, "Hooks", &people);
    env
}

fn import(env: &Env, file: &str, format: &str) -> String {
    let out = env
        .cmd()
        .args([
            "events",
            "import",
            &fixture(&format!("webhooks/{file}")),
            "--format",
            format,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "import {file}: {stderr}");
    stderr
}

fn kinds(env: &Env, email: &str) -> Vec<String> {
    events(env, "Hooks")
        .into_iter()
        .filter(|(e, _, _)| e == email)
        .map(|(_, k, _)| k)
        .collect()
}

#[test]
fn sendgrid_events_apply_once_by_address() {
    let env = provider_env();
    let out = import(&env, "sendgrid.json", "sendgrid");
    assert!(
        out.contains("applied 7, already applied 0, unmatched 1"),
        "{out}"
    );
    let st = statuses(&env, "Hooks");
    assert_eq!(st["ana@example.org"].0, "delivered");
    assert!(kinds(&env, "ana@example.org").contains(&"opened".into()));
    assert!(kinds(&env, "ana@example.org").contains(&"clicked".into()));
    assert_eq!(st["bob@example.org"].0, "bounced");
    assert_eq!(
        st["bob@example.org"].1,
        "hard bounce: 5.1.1 550 5.1.1 The email account that you tried to reach does not exist."
    );
    assert_eq!(st["carol@example.org"].0, "pending");
    assert!(kinds(&env, "carol@example.org").contains(&"delayed".into()));
    assert!(kinds(&env, "dave@example.org").contains(&"complained".into()));
    assert_ne!(
        st["erin@example.org"].0, "bounced",
        "a block for the sender's reputation"
    );
    let again = import(&env, "sendgrid.json", "auto");
    assert!(again.contains("applied 0, already applied 7"), "{again}");
}

#[test]
fn ses_sns_notifications_apply_once() {
    let env = provider_env();
    for f in ["ses-bounce.json", "ses-complaint.json", "ses-delivery.json"] {
        let out = import(&env, f, "auto");
        assert!(out.contains("ses events: applied 1"), "{f}: {out}");
    }
    let st = statuses(&env, "Hooks");
    assert_eq!(st["bob@example.org"].0, "bounced");
    assert_eq!(st["ana@example.org"].0, "delivered");
    assert!(
        st["ana@example.org"].1.contains("provider"),
        "{:?}",
        st["ana@example.org"]
    );
    assert!(kinds(&env, "dave@example.org").contains(&"complained".into()));
    let again = import(&env, "ses-bounce.json", "ses");
    assert!(again.contains("applied 0, already applied 1"), "{again}");
}

#[test]
fn postmark_and_mailgun_webhooks() {
    let env = provider_env();
    let out = import(&env, "postmark.jsonl", "postmark");
    assert!(out.contains("applied 7"), "{out}");
    let st = statuses(&env, "Hooks");
    assert_eq!(st["ana@example.org"].0, "delivered");
    assert_eq!(st["bob@example.org"].0, "bounced");
    assert_eq!(
        st["carol@example.org"].0, "bounced",
        "a soft bounce is final"
    );
    assert!(
        st["carol@example.org"].1.starts_with("soft bounce"),
        "{:?}",
        st
    );
    assert_ne!(
        st["erin@example.org"].0, "bounced",
        "an auto-responder never bounces"
    );
    assert!(kinds(&env, "erin@example.org").contains(&"auto_reply".into()));

    let env = provider_env();
    let out = import(&env, "mailgun.jsonl", "auto");
    assert!(out.contains("mailgun events: applied 5"), "{out}");
    let st = statuses(&env, "Hooks");
    assert_eq!(st["ana@example.org"].0, "delivered");
    assert_eq!(st["bob@example.org"].0, "bounced");
    assert_eq!(st["carol@example.org"].0, "pending");
    assert!(kinds(&env, "carol@example.org").contains(&"delayed".into()));
    assert!(kinds(&env, "dave@example.org").contains(&"complained".into()));
    let again = import(&env, "mailgun.jsonl", "mailgun");
    assert!(again.contains("applied 0, already applied 5"), "{again}");
}

/// SES passes our headers back: the X-Certstat-Id wins over the address.
#[test]
fn ses_matches_by_our_header_first() {
    let env = provider_env();
    let ids = sent_ids(&env);
    let text = std::fs::read_to_string(fixture("webhooks/ses-bounce.json")).unwrap();
    let mut sns: Value = serde_json::from_str(&text).unwrap();
    let mut inner: Value = serde_json::from_str(sns["Message"].as_str().unwrap()).unwrap();
    // The bounce names an address nobody was sent (a forward), but the headers are carol's.
    inner["bounce"]["bouncedRecipients"][0]["emailAddress"] = "forwarded@elsewhere.example".into();
    inner["mail"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "X-Certstat-Id", "value": ids["carol@example.org"].0}));
    sns["Message"] = inner.to_string().into();
    let path = env.path("ses.json");
    std::fs::write(&path, sns.to_string()).unwrap();
    env.ok(&[
        "events",
        "import",
        path.to_str().unwrap(),
        "--format",
        "auto",
    ]);
    let st = statuses(&env, "Hooks");
    assert_eq!(st["carol@example.org"].0, "bounced");
    let m = events(&env, "Hooks")
        .into_iter()
        .find(|(e, k, _)| e == "carol@example.org" && k == "bounced")
        .unwrap()
        .2;
    assert_eq!(m["match"], "certstat_id");
    assert_eq!(m["provider"], "ses");
}

/// The contract for final failures: a soft bounce and an expired message (`Action: failed`
/// with 4.x.x) are Bounced and soft, a hard one Bounced and hard, a delay notice keeps the
/// recipient Pending, and a failure notice tied to its send that says nothing classifiable keeps
/// the recipient Pending "needs review", out of the settle window. `send --retry-bounced` then
/// retries the soft ones only, `--include-hard` the hard one too; stats split the count.
#[test]
fn final_failures_are_bounced_hard_or_soft_and_unclassifiable_ones_need_review() {
    let env = Env::new();
    env.write_config("[sender]\nfrom = \"certificates@acme.example\"\nbounce_address = \"bounces@acme.example\"\n");
    let people: Vec<String> = ["full", "expired", "gone", "slow", "odd"]
        .iter()
        .map(|p| format!("{p}@example.org"))
        .collect();
    sent(&env, "Final", &people);
    let ids = sent_ids(&env);
    let secret =
        certstat::tokens::Secret::load(&certstat::paths::token_secret(&env.db), false).unwrap();
    let md = maildir(&env, "final");
    let to = "bounces@acme.example";
    let cases = [
        (
            "full@example.org",
            "5.2.2",
            "552 5.2.2 <full@example.org>: Mailbox full",
        ),
        (
            "expired@example.org",
            "4.4.7",
            "message expired: connect to mx.example.org: Connection refused",
        ),
        (
            "gone@example.org",
            "5.1.1",
            "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown",
        ),
        (
            "slow@example.org",
            "4.4.1",
            "connect to mx.example.org: Connection timed out",
        ),
    ];
    for (i, (who, status, diag)) in cases.iter().enumerate() {
        deliver(&md, &i.to_string(), &dsn(to, who, status, diag, ""));
    }
    // A notice to the VERP address of a send that names no recipient and no reason.
    let token = certstat::mail::compose::verp_token(&secret, &ids["odd@example.org"].0);
    let odd = format!(
        "Return-Path: <>\r\nTo: bounces+{token}@acme.example\r\nFrom: MAILER-DAEMON@mx.example.org\r\n\
         Subject: Undeliverable: Your certificate\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\
         Message-Id: <odd.1@mx.example.org>\r\n\r\nYour message could not be processed.\r\n"
    );
    deliver(&md, "odd", odd.as_bytes());
    let later = (chrono::Utc::now() + chrono::Duration::hours(2))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", &later)
        .args(["refresh", "--maildir", md.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let st = statuses(&env, "Final");
    let soft = |who: &str, words: &str| {
        let (status, detail) = &st[who];
        assert_eq!(status, "bounced", "{who}: {detail}");
        assert!(detail.starts_with("soft bounce: "), "{who}: {detail}");
        assert!(detail.contains(words), "{who}: {detail}");
    };
    soft("full@example.org", "Mailbox full");
    soft("expired@example.org", "Connection refused");
    assert!(st["expired@example.org"].1.contains("4.4.7"), "{:?}", st);
    assert!(
        st["gone@example.org"].1.starts_with("hard bounce: 5.1.1"),
        "{:?}",
        st
    );
    assert_eq!(st["gone@example.org"].0, "bounced");
    assert_eq!(st["slow@example.org"].0, "pending", "a delay is not final");
    assert!(st["slow@example.org"].1.starts_with("delayed"), "{:?}", st);
    assert_eq!(
        st["odd@example.org"].0, "pending",
        "{:?}",
        st["odd@example.org"]
    );
    assert!(
        st["odd@example.org"].1.starts_with("needs review"),
        "{:?}",
        st
    );
    assert!(summary_line(&err).contains("2 of them soft"), "{err}");

    // Listed for review, and never promoted by the settle window.
    let review = env.ok(&[
        "recipients",
        "list",
        "Final",
        "--status",
        "pending",
        "--needs-review",
        "--format",
        "json",
    ]);
    let review: Vec<Value> = serde_json::from_str(&review).unwrap();
    let emails: Vec<&str> = review
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["odd@example.org"]);

    // Stats: three Bounced, one hard and two soft.
    let stats: Value =
        serde_json::from_str(&env.ok(&["stats", "Final", "--format", "json"])).unwrap();
    assert_eq!(stats["statuses"]["bounced"], 3);
    assert_eq!(stats["evidence"]["bounced_hard"], 1);
    assert_eq!(stats["evidence"]["bounced_soft"], 2);

    // --retry-bounced: the soft ones; --include-hard: the hard one too.
    env.ok(&["-q", "send", "Final", "--retry-bounced"]);
    let st = statuses(&env, "Final");
    assert_eq!(st["full@example.org"].0, "pending");
    assert_eq!(st["expired@example.org"].0, "pending");
    assert_eq!(
        st["gone@example.org"].0, "bounced",
        "hard: not retried by default"
    );
    env.ok(&["-q", "send", "Final", "--retry-bounced", "--include-hard"]);
    assert_eq!(statuses(&env, "Final")["gone@example.org"].0, "pending");
}

/// A report naming three of our recipients, keyed to one of them by its `X-Certstat-Id`:
/// each recipient gets the reason the report gives for them, not the first one's.
#[test]
fn each_recipient_of_a_multi_recipient_report_gets_its_own_reason() {
    let env = Env::new();
    let emails: Vec<String> = ["ana@example.net", "bob@example.net", "cy@example.com"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    sent(&env, "MULTI", &emails);
    let ids = sent_ids(&env);
    let raw = std::fs::read(PathBuf::from(fixture("bounces/own/written-multi-03.eml"))).unwrap();
    let raw = replace_ci(
        &raw,
        "X-Certstat-Id: 7-written-multi-03",
        &format!("X-Certstat-Id: {}", ids["ana@example.net"].0),
    );
    let dir = maildir(&env, "multi");
    deliver(&dir, "1.eml", &raw);
    refresh(&env, &["--maildir", dir.to_str().unwrap()]);
    let st = statuses(&env, "MULTI");
    for (email, want) in [
        ("ana@example.net", "hard bounce: 5.1.1 userunknown"),
        ("bob@example.net", "soft bounce: 5.2.2 mailboxfull"),
        ("cy@example.com", "soft bounce: expired"),
    ] {
        assert_eq!(st[email].0, "bounced", "{email}: {st:?}");
        assert!(st[email].1.starts_with(want), "{email}: {:?}", st[email]);
    }
    let matched: Vec<(String, String)> = events(&env, "MULTI")
        .into_iter()
        .filter(|(_, k, _)| k == "bounced")
        .map(|(e, _, d)| (e, d["match"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(
        matched.contains(&("ana@example.net".into(), "certstat_id".into())),
        "{matched:?}"
    );
    assert!(
        matched.contains(&("bob@example.net".into(), "address".into())),
        "{matched:?}"
    );

    // `recipients show`: the status, the deciding event, its source and the server's words.
    let shown = env.json(&["recipients", "show", "MULTI", "bob@example.net"]);
    assert_eq!(shown["status"], "bounced", "{shown}");
    let decided = &shown["decided_by"];
    assert_eq!(decided["kind"], "bounced", "{shown}");
    assert_eq!(decided["evidence"], "dsn", "{shown}");
    assert!(
        decided["origin"].as_str().unwrap().ends_with("1.eml"),
        "the DSN file: {shown}"
    );
    assert!(
        decided["words"]
            .as_str()
            .unwrap()
            .contains("552 5.2.2 Over quota"),
        "the server's words: {shown}"
    );
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["send_attempt", "sent", "bounced"], "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"bounced"), "{kinds:?}");
    let text = env.ok(&["recipients", "show", "MULTI", "bob@example.net"]);
    for want in [
        "Bounced",
        "decided by: bounced",
        "source:     dsn",
        "server said: ",
        "timeline:",
    ] {
        assert!(text.contains(want), "{want:?} in:\n{text}");
    }
    let err = env.fails(&["recipients", "show", "MULTI", "nobody@example.net"]);
    assert!(err.contains("no recipient <nobody@example.net>"), "{err}");
    // The listing's evidence column.
    let listed = env.json(&["recipients", "list", "MULTI"]);
    for r in listed.as_array().unwrap() {
        assert_eq!(r["evidence"], "dsn", "{r}");
    }
}

/// A recipient sent and never bounced: Pending by the outbox write, then Delivered by the
/// settle window, each shown as the deciding evidence.
#[test]
fn recipients_show_and_the_evidence_column_name_the_settle_window() {
    let env = Env::new();
    sent(&env, "SETTLE", &["dee@example.net".to_string()]);
    let listed = env.json(&["recipients", "list", "SETTLE"]);
    assert_eq!(listed[0]["evidence"], "outbox", "{listed}");
    refresh(&env, &["--settle", "0s"]);
    let listed = env.json(&["recipients", "list", "SETTLE"]);
    assert_eq!(listed[0]["status"], "delivered", "{listed}");
    assert_eq!(listed[0]["evidence"], "settle", "{listed}");
    let shown = env.json(&["recipients", "show", "SETTLE", "DEE@example.net"]);
    assert_eq!(shown["decided_by"]["evidence"], "settle", "{shown}");
    assert!(
        shown["decided_by"]["origin"]
            .as_str()
            .unwrap()
            .starts_with("no failure within"),
        "{shown}"
    );
    let csv = env.ok(&["recipients", "list", "SETTLE", "--format", "csv"]);
    assert!(csv.lines().nth(1).unwrap().ends_with(",settle"), "{csv}");
}

/// One SMTP transaction to the rig with several recipients (certstat sends one recipient per
/// transaction, so a multi-recipient DSN needs a message sent like this).
fn smtp_send_many(rig: &Rig, from: &str, to: &[&str], message: &str) {
    use std::io::{BufRead, BufReader, Write};
    let stream =
        std::net::TcpStream::connect(format!("{}:{}", rig.smtp_host, rig.smtp_port)).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut w = stream;
    let expect = |want: char, reader: &mut BufReader<std::net::TcpStream>| loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with(want), "SMTP: {line}");
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    };
    expect('2', &mut reader);
    let mut say = |cmd: String, want: char, reader: &mut BufReader<std::net::TcpStream>| {
        w.write_all(cmd.as_bytes()).unwrap();
        expect(want, reader);
    };
    say("EHLO test.certstat.test\r\n".into(), '2', &mut reader);
    say(format!("MAIL FROM:<{from}>\r\n"), '2', &mut reader);
    for t in to {
        say(format!("RCPT TO:<{t}>\r\n"), '2', &mut reader);
    }
    say("DATA\r\n".into(), '3', &mut reader);
    let body = message.replace('\n', "\r\n");
    say(format!("{body}\r\n.\r\n"), '2', &mut reader);
    say("QUIT\r\n".into(), '2', &mut reader);
}

/// Wait until a DSN in the rig's bounce Maildir holds every one of `needles`; copy it into
/// `dir` as `name`.
fn wait_for_dsn(rig: &Rig, needles: &[&str], dir: &Path, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(rig.bounce_maildir.join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                let raw = std::fs::read(e.path()).unwrap_or_default();
                let text = String::from_utf8_lossy(&raw).to_lowercase();
                if needles.iter().all(|n| text.contains(&n.to_lowercase())) {
                    deliver(dir, name, &raw);
                    return;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no DSN with {needles:?} in {} after 60 s",
            rig.bounce_maildir.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Through the real Postfix rig: a message that expires in the queue (`Action: failed`,
/// 4.4.1) makes its recipient a soft bounce; one DSN reporting three recipients with
/// different reasons gives each their own; nothing final stays Pending after `--settle 0s`.
#[test]
fn postfix_expiry_and_multi_recipient_dsns_through_refresh() {
    let Some(rig) = rig() else { return };
    let what =
        "the expiry and multi-recipient tests need the rig's expired.test and full.remote.test";
    let Some(expired) = need_env("CERTSTAT_TEST_EXPIRED_DOMAIN", what) else {
        return;
    };
    let Some(full) = need_env("CERTSTAT_TEST_FULL_DOMAIN", what) else {
        return;
    };
    let env = Env::new();
    env.write_config(&format!(
        "[sender]\nfrom = \"certificates@acme.example\"\nbounce_address = \"{}\"\n\n[smtp]\nhost = \"{}\"\nport = {}\nsecurity = \"none\"\n",
        rig.bounce_address, rig.smtp_host, rig.smtp_port
    ));
    let tag = unique("x");
    let (ulocal, udomain) = rig.unknown_user.rsplit_once('@').unwrap();
    let slow = format!("slow{tag}@{expired}");
    let unknown = format!("{ulocal}{tag}@{udomain}");
    let gone = format!("gone{tag}@{}", rig.remote_domain);
    let fullbox = format!("full{tag}@{full}");
    let all = [slow.clone(), unknown.clone(), gone.clone(), fullbox.clone()];
    sent(&env, "E2X", &all);
    let marker = format!("<multi-{tag}@acme.example>");
    smtp_send_many(
        &rig,
        &rig.bounce_address,
        &[&unknown, &gone, &fullbox],
        &format!(
            "From: certificates@acme.example\nTo: {unknown}, {gone}, {fullbox}\n\
             Subject: Your certificate\nMessage-ID: {marker}\n\nHello.\n"
        ),
    );
    let ours = maildir(&env, "ours");
    // The expiry DSN of certstat's own send to `slow`, and the multi-recipient DSN.
    wait_for_dsn(
        &rig,
        &[&slow, "action: failed", "status: 4.4.1"],
        &ours,
        "expired.eml",
    );
    wait_for_dsn(
        &rig,
        &[&marker, &unknown, &gone, &fullbox],
        &ours,
        "multi.eml",
    );
    let out = refresh(&env, &["-v", "--maildir", ours.to_str().unwrap()]);
    let st = statuses(&env, "E2X");
    for (email, want) in [
        (&slow, "soft bounce: 4.4.1 expired"),
        (&unknown, "hard bounce: 5.1.1 userunknown"),
        (&gone, "hard bounce: 5.1.1 userunknown"),
        (&fullbox, "soft bounce: 5.2.2 mailboxfull"),
    ] {
        assert_eq!(st[email].0, "bounced", "{email}: {:?}\n{out}", st[email]);
        assert!(
            st[email].1.starts_with(want),
            "{email}: {:?}\n{out}",
            st[email]
        );
    }
    let shown = env.json(&["recipients", "show", "E2X", &slow]);
    assert_eq!(shown["decided_by"]["evidence"], "dsn", "{shown}");
    assert!(
        shown["decided_by"]["words"]
            .as_str()
            .unwrap()
            .contains("not answering"),
        "the server's words: {shown}"
    );
    refresh(&env, &["--settle", "0s"]);
    let st = statuses(&env, "E2X");
    assert!(
        all.iter().all(|a| st[a].0 == "bounced"),
        "no final failure left Pending or settled as Delivered: {st:?}"
    );
}

/// A file given to --mbox that is not an mbox (plain text, one message on its own, binary,
/// a compressed mbox) is an error that names the file and what it begins with, and promotes
/// nobody; an empty file is an empty mailbox, and an mbox after blank lines is read.
#[test]
fn a_file_that_is_not_an_mbox_is_an_error_not_an_empty_mailbox() {
    let env = Env::new();
    env.ok(&["init"]);
    let shapes: [(&str, Vec<u8>, &str); 4] = [
        (
            "notes.txt",
            b"remember to send the certificates\n".to_vec(),
            "its first line is \"remember to send the certificates\"",
        ),
        (
            "one.eml",
            b"Return-Path: <>\r\nSubject: Undelivered Mail\r\n\r\nbody\r\n".to_vec(),
            "its first line is \"Return-Path: <>\"",
        ),
        (
            "blob.bin",
            vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0],
            "it holds binary data",
        ),
        (
            "mail.mbox.gz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
            "it holds binary data",
        ),
    ];
    for (name, bytes, says) in shapes {
        let path = env.path(name);
        std::fs::write(&path, bytes).unwrap();
        let err = env.fails(&["refresh", "--mbox", path.to_str().unwrap()]);
        assert!(
            err.contains(&format!("{name} is not an mbox file")),
            "{name}: {err}"
        );
        assert!(err.contains(says), "{name}: {err}");
    }
    let empty = env.path("empty.mbox");
    std::fs::write(&empty, "").unwrap();
    env.ok(&["refresh", "--mbox", empty.to_str().unwrap()]);
    let blank_first = env.path("blank.mbox");
    std::fs::write(
        &blank_first,
        "\n\nFrom someone@example.org Thu Dec  3 10:00:00 2026\nSubject: hello\n\nhi\n",
    )
    .unwrap();
    let out = refresh(&env, &["--mbox", blank_first.to_str().unwrap()]);
    assert!(
        summary_line(&out).contains("1 unmatched, 0 errors"),
        "{out}"
    );
}

/// A mailbox path of the wrong kind (a file given as a Maildir, a folder as an mbox, a path
/// that does not exist) is an error naming the path and saying what to give instead, under
/// -q too (exit 1); nobody is promoted to Delivered by that run.
#[test]
fn a_mailbox_of_the_wrong_kind_is_named_with_what_to_give() {
    let env = Env::new();
    let md = maildir(&env, "box");
    let file = env.path("bounces.mbox");
    std::fs::write(&file, "From someone\nSubject: x\n\nhello\n").unwrap();
    let missing = env.path("nowhere");
    let (md, file, missing) = (
        md.to_str().unwrap(),
        file.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    for (args, named, hint) in [
        (["--maildir", file], file, "is a file, not a Maildir"),
        (["--maildir", missing], missing, "new/, cur/ and tmp/"),
        (["--mbox", md], md, "--maildir"),
        (["--mbox", missing], missing, "cannot read the mbox file"),
    ] {
        let out = env
            .cmd()
            .args(["-q", "refresh", "--settle", "0s"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named) && err.contains(hint), "{args:?}: {err}");
        assert!(!err.contains("permissions"), "{args:?}: {err}");
    }
}
