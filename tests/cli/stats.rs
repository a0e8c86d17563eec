//! `certstat stats`: figures checked against an independent computation over the event log
//! (property test), the JSON Schema, CSV, terminal snapshots, and the HTML report in Chromium.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::{Env, required};

const NOW: &str = "2026-11-26T09:00:00Z";
const CERT: &str = "Intro to Rust";

/// Run with a pinned clock.
fn run(env: &Env, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", NOW)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "certstat {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(env: &Env, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(env, &all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// A certificate with `n` recipients r0@example.org … (n-1).
fn setup(env: &Env, n: usize) {
    run(env, &["cert", "create", CERT, "--issuer", "ACME Training"]);
    let mut csv = String::from("email,name\n");
    for i in 0..n {
        csv.push_str(&format!("r{i}@example.org,Recipient {i}\n"));
    }
    let path = env.path("recipients.csv");
    std::fs::write(&path, csv).unwrap();
    run(env, &["recipients", "import", CERT, path.to_str().unwrap()]);
}

fn import(env: &Env, lines: &[Value]) -> String {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = env.path("events.jsonl");
    std::fs::write(&path, text).unwrap();
    let out = env
        .cmd()
        .args([
            "events",
            "import",
            path.to_str().unwrap(),
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "events import failed: {err}");
    err
}

fn ev(i: usize, kind: &str, at: &str, source: &str, detail: Value) -> Value {
    json!({"certificate": CERT, "email": format!("r{i}@example.org"), "kind": kind, "at": at,
           "source": source, "detail": detail})
}

/// A small, hand-made history used by the schema, CSV, snapshot and HTML tests.
fn sample(env: &Env) {
    setup(env, 8);
    let t = |m: u32| format!("2026-11-26T10:{m:02}:00Z");
    let mut lines = Vec::new();
    for i in 0..7 {
        lines.push(ev(i, "sent", &t(0), "smtp", json!({})));
    }
    lines.push(ev(0, "delivered", &t(5), "provider", json!({})));
    lines.push(ev(0, "clicked", &t(6), "web", json!({"machine": false})));
    lines.push(ev(0, "claimed", &t(7), "web", json!({})));
    lines.push(ev(
        0,
        "shared",
        &t(8),
        "web",
        json!({"network": "linkedin"}),
    ));
    lines.push(ev(
        0,
        "shared",
        &t(9),
        "web",
        json!({"network": "linkedin"}),
    ));
    lines.push(ev(0, "linkedin_added", &t(9), "web", json!({})));
    lines.push(ev(1, "opened", &t(3), "web", json!({"machine": false})));
    lines.push(ev(1, "claimed", &t(4), "web", json!({})));
    lines.push(ev(
        1,
        "shared",
        &t(5),
        "web",
        json!({"network": "facebook"}),
    ));
    lines.push(ev(1, "downloaded", &t(5), "web", json!({"format": "pdf"})));
    lines.push(ev(
        2,
        "delivered",
        &t(30),
        "cli",
        json!({"evidence": "settle"}),
    ));
    lines.push(ev(2, "shared", &t(31), "web", json!({"network": "x"})));
    lines.push(ev(
        3,
        "bounced",
        &t(1),
        "dsn",
        json!({"status": "5.1.1", "reason": "user unknown", "hard": true}),
    ));
    lines.push(ev(4, "opened", &t(2), "web", json!({"machine": true})));
    lines.push(ev(
        5,
        "delivered",
        &t(30),
        "cli",
        json!({"evidence": "settle"}),
    ));
    lines.push(ev(5, "opened", &t(40), "web", json!({"machine": false})));
    lines.push(ev(7, "send_attempt", &t(0), "smtp", json!({})));
    import(env, &lines);
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/stats/stats.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn assert_valid(v: &Value) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "stats JSON does not match its schema: {errors:#?}\n{v:#}"
    );
}

#[test]
fn sample_figures_validate_and_are_right() {
    let env = Env::new();
    sample(&env);
    let s = json_of(&env, &["stats", CERT]);
    assert_valid(&s);
    assert_eq!(s["recipients"], 8);
    assert_eq!(
        s["statuses"],
        json!({"not_sent": 0, "pending": 3, "delivered": 2, "bounced": 1, "claimed": 2})
    );
    assert_eq!(
        s["evidence"],
        json!({"delivered_confirmed": 1, "delivered_settle": 1, "pending_unconfirmed": 1, "pending_delayed": 0,
               "bounced_hard": 1, "bounced_soft": 0})
    );
    assert_eq!(s["claimed"], json!({"count": 2, "percent": 25.0}));
    assert_eq!(
        s["shared_or_downloaded"],
        json!({"count": 3, "percent": 37.5})
    );
    assert_eq!(s["linkedin_added"], json!({"count": 1, "percent": 12.5}));
    assert_eq!(s["shares"]["total"], 4);
    assert_eq!(
        s["shares"]["by_network"]["linkedin"],
        json!({"count": 2, "percent": 50.0})
    );
    assert_eq!(
        s["shares"]["by_network"]["x"],
        json!({"count": 1, "percent": 25.0})
    );
    assert_eq!(s["email"]["sent"], 7);
    // Recipients 0 and 1 claimed, 2 shared: proven people, so clicked (and opened).
    assert_eq!(s["email"]["opened"], json!({"count": 4, "percent": 57.1}));
    assert_eq!(s["email"]["clicked"], json!({"count": 3, "percent": 42.9}));
    assert_eq!(s["email"]["bounced"], json!({"count": 1, "percent": 14.3}));
    assert_eq!(s["email"]["machine_opened"]["count"], 1);
    assert_eq!(
        s["email"]["bounced_command"],
        "certstat recipients list 'Intro to Rust' --status bounced"
    );
    // The command it prints lists exactly the bounced recipients.
    let bounced = json_of(&env, &["recipients", "list", CERT, "--status", "bounced"]);
    assert_eq!(bounced.as_array().unwrap().len(), 1);
    assert_eq!(bounced[0]["email"], "r3@example.org");
}

#[test]
fn revoked_and_expired_are_counted_apart_and_keep_their_status() {
    let env = Env::new();
    sample(&env);
    let before = json_of(&env, &["stats", CERT]);
    assert_eq!(before["revoked"], json!({"count": 0, "percent": 0.0}));
    assert_eq!(before["expired"], json!({"count": 0, "percent": 0.0}));
    run(
        &env,
        &[
            "recipients",
            "revoke",
            CERT,
            "r0@example.org",
            "r3@example.org",
            "--reason",
            "Issued in error",
        ],
    );
    let s = json_of(&env, &["stats", CERT]);
    assert_valid(&s);
    assert_eq!(s["revoked"], json!({"count": 2, "percent": 25.0}));
    assert_eq!(s["statuses"], before["statuses"]);
    assert_eq!(s["email"], before["email"]);
    run(
        &env,
        &["cert", "edit", CERT, "--expires", "2026-11-01", "--force"],
    );
    let s = json_of(&env, &["stats", CERT]);
    assert_eq!(s["expired"], json!({"count": 8, "percent": 100.0}));
    assert_eq!(s["statuses"], before["statuses"]);
    let page = run(&env, &["stats", CERT]);
    assert!(
        page.contains("Revoked") && page.contains("2 (25.0%)"),
        "{page}"
    );
    assert!(page.contains("8 (100.0%)"), "{page}");
    // The export flags them too, `expired` beside `revoked`.
    let rows = json_of(&env, &["export", CERT]);
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().all(|r| r["expired"] == json!(true)));
    let revoked: Vec<&Value> = rows
        .iter()
        .filter(|r| r["revoked"] == json!(true))
        .map(|r| &r["email"])
        .collect();
    assert_eq!(
        revoked,
        [&json!("r0@example.org"), &json!("r3@example.org")]
    );
    let csv = run(&env, &["export", CERT]);
    let header = csv.lines().next().unwrap();
    assert!(header.contains("revoked,expired,"), "{header}");
    run(&env, &["cert", "edit", CERT, "--expires", "never"]);
    assert_eq!(json_of(&env, &["stats", CERT])["expired"]["count"], 0);
}

#[test]
fn empty_certificate_gives_zero_percent_not_nan() {
    let env = Env::new();
    run(&env, &["cert", "create", "Empty"]);
    let s = json_of(&env, &["stats", "Empty"]);
    assert_valid(&s);
    assert_eq!(s["recipients"], 0);
    for path in [
        &s["claimed"],
        &s["shared_or_downloaded"],
        &s["linkedin_added"],
        &s["email"]["opened"],
        &s["email"]["bounced"],
    ] {
        assert_eq!(path["percent"], json!(0.0), "{s}");
    }
    assert_eq!(s["shares"]["by_network"]["linkedin"]["percent"], json!(0.0));
    let text = run(&env, &["stats", "Empty"]);
    assert!(!text.contains("NaN") && text.contains("0.0%"), "{text}");
    let csv = run(&env, &["stats", "Empty", "--format", "csv"]);
    assert!(!csv.contains("NaN") && !csv.contains("null"), "{csv}");
}

/// Flatten JSON into `a.b.c` → leaf text, independently of certstat's own flattening.
fn leaves(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                leaves(
                    &if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    },
                    v,
                    out,
                );
            }
        }
        Value::String(s) => {
            out.insert(prefix.into(), s.clone());
        }
        other => {
            out.insert(prefix.into(), other.to_string());
        }
    }
}

#[test]
fn csv_has_one_row_per_figure_matching_json() {
    let env = Env::new();
    sample(&env);
    let s = json_of(&env, &["stats", CERT]);
    let mut expected = BTreeMap::new();
    leaves("", &s, &mut expected);
    let csv = run(&env, &["stats", CERT, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["field", "value"]);
    let mut got = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(row.len(), 2);
        assert!(
            got.insert(row[0].to_string(), row[1].to_string()).is_none(),
            "figure {} twice",
            &row[0]
        );
    }
    assert_eq!(got, expected);
    assert!(got.contains_key("email.opened.percent") && got.contains_key("statuses.claimed"));
}

#[test]
fn every_certificate_gets_one_summary_row() {
    let env = Env::new();
    sample(&env);
    run(&env, &["cert", "create", "Second"]);
    let rows = json_of(&env, &["stats"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], CERT);
    assert_eq!(rows[0]["recipients"], 8);
    assert_eq!(rows[0]["sent"], 7);
    assert_eq!(rows[0]["claimed_percent"], json!(25.0));
    assert_eq!(rows[0]["shares"], 4);
    assert_eq!(rows[1]["recipients"], 0);
    assert_eq!(rows[1]["claimed_percent"], json!(0.0));
    let csv = run(&env, &["stats", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

fn page(env: &Env, columns: &str, color: bool) -> String {
    let mut cmd = env.cmd();
    cmd.env("CERTSTAT_NOW", NOW)
        .env("COLUMNS", columns)
        .args(["stats", CERT]);
    if color {
        cmd.args(["--color", "always"]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn terminal_page_snapshots() {
    let env = Env::new();
    sample(&env);
    for columns in ["80", "120"] {
        let plain = page(&env, columns, false);
        let width: usize = columns.parse().unwrap();
        for line in plain.lines() {
            assert!(
                line.chars().count() <= width,
                "line wider than {width}: {line:?}"
            );
        }
        assert!(!plain.contains('\x1b'), "NO_COLOR output has escape codes");
        insta::assert_snapshot!(format!("stats_{columns}_no_color"), plain);
        let colored = page(&env, columns, true);
        assert!(colored.contains("\x1b["), "--color always has no colour");
        insta::assert_snapshot!(format!("stats_{columns}_color"), colored);
    }
}

#[test]
fn html_and_svg_files_are_written() {
    let env = Env::new();
    sample(&env);
    let html = env.path("report.html");
    let svg = env.path("chart.svg");
    run(
        &env,
        &[
            "stats",
            CERT,
            "--html",
            html.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    // Self-contained: an inline chart, no scripts, nothing fetched.
    assert!(page.contains("<svg") && page.contains("<path"));
    for outside in ["<script", "<link", "src=", "url("] {
        assert!(!page.contains(outside), "the report refers to {outside}");
    }
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(chart.matches("<path").count(), 3, "{chart}");
    assert!(chart.contains("data-network=\"linkedin\" data-count=\"2\""));
}

/// `data-figure="path">value<` pairs from a document.
fn dom_figures(dom: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find("data-figure=\"") {
        rest = &rest[i + 13..];
        let end = rest.find('"').unwrap();
        let key = rest[..end].to_string();
        let open = rest.find('>').unwrap();
        let close = rest[open..].find('<').unwrap();
        out.push((key, rest[open + 1..open + close].to_string()));
        rest = &rest[open..];
    }
    out
}

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    std::process::Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn html_report_in_chromium_matches_json() {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(
            !required(),
            "/usr/bin/chromium is missing but CERTSTAT_REQUIRE_TOOLS=1"
        );
        eprintln!(
            "skipped: /usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)"
        );
        return;
    }
    let env = Env::new();
    sample(&env);
    let html = env.path("report.html");
    run(&env, &["stats", CERT, "--html", html.to_str().unwrap()]);
    let s = json_of(&env, &["stats", CERT]);
    let url = format!("file://{}", html.display());
    let out = chromium(&["--dump-dom", &url], &env.path("chromium-profile"));
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</svg>"),
        "no DOM from chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures = dom_figures(&dom);
    assert!(figures.len() >= 30, "{figures:?}");
    let mut flat = BTreeMap::new();
    leaves("", &s, &mut flat);
    for (key, shown) in &figures {
        let want = flat
            .get(key)
            .unwrap_or_else(|| panic!("{key} is not in the JSON"));
        match (want.parse::<f64>(), shown.parse::<f64>()) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{key}: DOM {shown}, JSON {want}"),
            _ => assert_eq!(shown, want, "{key}"),
        }
    }
    for key in [
        "recipients",
        "statuses.claimed",
        "claimed.percent",
        "shares.total",
        "email.sent",
        "email.opened.percent",
        "shares.by_network.facebook.count",
    ] {
        assert!(
            figures.iter().any(|(k, _)| k == key),
            "{key} is not on the page"
        );
    }
    // The pie has one path per non-empty network, rendered in the DOM.
    assert_eq!(dom.matches("data-network=").count(), 3, "{dom}");

    let shot = env.path("report.png");
    let out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,1400",
            "--hide-scrollbars",
            &url,
        ],
        &env.path("chromium-profile2"),
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot too small"
    );
    if let Ok(dir) = std::env::var("CERTSTAT_SCREENSHOT_DIR") {
        std::fs::copy(&shot, Path::new(&dir).join("stats-report.png")).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The property test: random histories, figures recomputed here from `events list` alone.

#[derive(Debug, Clone)]
struct Gen {
    recipient: usize,
    kind: &'static str,
    minute: u32,
    variant: u8,
}

const KINDS: &[&str] = &[
    "send_attempt",
    "sent",
    "sent",
    "send_failed",
    "delivered",
    "delivered",
    "delayed",
    "bounced",
    "bounced",
    "complained",
    "auto_reply",
    "opened",
    "opened",
    "clicked",
    "clicked",
    "claimed",
    "downloaded",
    "shared",
    "shared",
    "linkedin_added",
    "claim_failed",
];

const NETWORKS: [&str; 3] = ["linkedin", "facebook", "x"];

fn line(g: &Gen) -> Value {
    let v = g.variant;
    let (even, third) = (v.is_multiple_of(2), v.is_multiple_of(3));
    let (source, detail) = match g.kind {
        "delivered" if even => ("cli", json!({"evidence": "settle"})),
        "delivered" => ("provider", json!({})),
        "bounced" => (
            "dsn",
            json!({"status": if third { "4.2.2" } else { "5.1.1" }, "hard": !third}),
        ),
        "opened" | "clicked" => ("web", json!({"machine": third})),
        "shared" => ("web", json!({"network": NETWORKS[v as usize % 3]})),
        "downloaded" => ("web", json!({"format": if even { "pdf" } else { "png" }})),
        "send_failed" => ("smtp", json!({"error": "421 try later"})),
        "sent" | "send_attempt" => ("smtp", json!({})),
        _ => ("web", json!({})),
    };
    ev(
        g.recipient,
        g.kind,
        &format!(
            "2026-11-26T{:02}:{:02}:00Z",
            10 + g.minute / 60,
            g.minute % 60
        ),
        source,
        detail,
    )
}

/// One recipient's status by DESIGN.md's table, written here from scratch: the status, whether
/// the send is unconfirmed, and when the recipient entered the status.
fn fold(events: &mut [&Value]) -> (&'static str, bool, String) {
    events.sort_by(|a, b| {
        (a["at"].as_str().unwrap(), a["id"].as_i64().unwrap())
            .cmp(&(b["at"].as_str().unwrap(), b["id"].as_i64().unwrap()))
    });
    let mut status = "not_sent";
    let mut unconfirmed = false;
    let mut since = String::new();
    for e in events.iter() {
        let at = e["at"].as_str().unwrap();
        let machine = e["detail"]["machine"] == json!(true);
        let next: Option<(&str, bool)> = match (status, e["kind"].as_str().unwrap()) {
            ("claimed", _) => None,
            (_, "claimed") => Some(("claimed", false)),
            ("not_sent" | "bounced" | "pending", "send_attempt") => Some(("pending", true)),
            ("not_sent" | "bounced" | "pending", "sent") => Some(("pending", false)),
            ("not_sent", "send_failed") => Some(("not_sent", false)),
            ("pending", "send_failed") if unconfirmed => Some(("not_sent", false)),
            // A refusal aimed at the sender changes nothing; an unclassifiable notice keeps
            // the recipient Pending; every other bounce (hard or soft) is final.
            (_, "bounced") if e["detail"]["sender_side"] == json!(true) => None,
            ("not_sent" | "pending", "bounced") if e["detail"]["needs_review"] == json!(true) => {
                Some(("pending", false))
            }
            (_, "bounced") if e["detail"]["needs_review"] != json!(true) => {
                Some(("bounced", false))
            }
            ("not_sent" | "pending", "delayed") => Some(("pending", false)),
            ("not_sent" | "pending" | "delivered", "delivered") => Some(("delivered", false)),
            ("pending", "opened" | "clicked" | "complained" | "auto_reply")
                if !unconfirmed && !machine =>
            {
                Some(("delivered", false))
            }
            _ => None,
        };
        if let Some((s, u)) = next {
            if s != status {
                since = at.to_string();
            }
            status = s;
            unconfirmed = u;
        }
    }
    (status, unconfirmed, since)
}

fn tenths(count: u64, total: u64) -> u64 {
    if total == 0 {
        0
    } else {
        (2000 * count + total) / (2 * total)
    }
}

fn check_figure(v: &Value, count: u64, total: u64, what: &str) {
    assert_eq!(v["count"], json!(count), "{what}: {v}");
    let p = v["percent"]
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: percent is not a number: {v}"));
    assert_eq!(
        (p * 10.0).round() as u64,
        tenths(count, total),
        "{what}: {p}% of {count}/{total}"
    );
}

fn expected_check(n: usize, log: &[Value], s: &Value) {
    let mut by_recipient: HashMap<&str, Vec<&Value>> = HashMap::new();
    for e in log {
        by_recipient
            .entry(e["email"].as_str().unwrap())
            .or_default()
            .push(e);
    }
    let with = |pred: &dyn Fn(&Value) -> bool| -> u64 {
        by_recipient
            .values()
            .filter(|evs| evs.iter().any(|e| pred(e)))
            .count() as u64
    };
    let kind = |e: &Value, ks: &[&str]| ks.contains(&e["kind"].as_str().unwrap());
    let machine = |e: &Value| e["detail"]["machine"] == json!(true);

    let mut statuses: BTreeMap<&str, u64> =
        ["not_sent", "pending", "delivered", "bounced", "claimed"]
            .iter()
            .map(|s| (*s, 0))
            .collect();
    *statuses.get_mut("not_sent").unwrap() += (n - by_recipient.len()) as u64;
    let (mut confirmed, mut unconfirmed) = (0u64, 0u64);
    for evs in by_recipient.values() {
        let mut evs = evs.clone();
        let (status, unconf, since) = fold(&mut evs);
        *statuses.get_mut(status).unwrap() += 1;
        if status == "pending" && unconf {
            unconfirmed += 1;
        }
        if status == "delivered"
            && evs.iter().any(|e| {
                e["at"].as_str().unwrap() >= since.as_str()
                    && ((kind(e, &["delivered"]) && e["detail"]["evidence"] != json!("settle"))
                        || (kind(e, &["opened", "clicked", "complained", "auto_reply"])
                            && !machine(e)))
            })
        {
            confirmed += 1;
        }
    }
    let total = n as u64;
    assert_eq!(s["recipients"], json!(total));
    for (k, v) in &statuses {
        assert_eq!(s["statuses"][k], json!(v), "status {k}: {s}");
    }
    assert_eq!(
        s["evidence"]["delivered_confirmed"],
        json!(confirmed),
        "confirmed"
    );
    assert_eq!(
        s["evidence"]["delivered_settle"],
        json!(statuses["delivered"] - confirmed)
    );
    assert_eq!(s["evidence"]["pending_unconfirmed"], json!(unconfirmed));
    let split = s["evidence"]["bounced_hard"].as_u64().unwrap()
        + s["evidence"]["bounced_soft"].as_u64().unwrap();
    assert_eq!(
        json!(split),
        json!(statuses["bounced"]),
        "hard + soft = bounced"
    );
    check_figure(&s["claimed"], statuses["claimed"], total, "claimed");
    check_figure(
        &s["shared_or_downloaded"],
        with(&|e| kind(e, &["shared", "downloaded"])),
        total,
        "shared_or_downloaded",
    );
    check_figure(
        &s["linkedin_added"],
        with(&|e| kind(e, &["linkedin_added"])),
        total,
        "linkedin_added",
    );

    let shares: Vec<&Value> = log.iter().filter(|e| e["kind"] == "shared").collect();
    let st = shares.len() as u64;
    assert_eq!(s["shares"]["total"], json!(st));
    for net in ["linkedin", "facebook", "x"] {
        let c = shares
            .iter()
            .filter(|e| e["detail"]["network"] == net)
            .count() as u64;
        check_figure(&s["shares"]["by_network"][net], c, st, net);
    }

    let email_kinds = [
        "sent",
        "delivered",
        "delayed",
        "bounced",
        "complained",
        "auto_reply",
        "opened",
        "clicked",
    ];
    // A claim, share, download or profile addition proves a person: claimed ⇒ clicked ⇒ opened
    // (and the message was sent).
    let human = |e: &Value| kind(e, &["claimed", "shared", "downloaded", "linkedin_added"]);
    let sent = with(&|e| kind(e, &email_kinds) || human(e));
    assert_eq!(s["email"]["sent"], json!(sent), "sent");
    check_figure(
        &s["email"]["opened"],
        with(&|e| kind(e, &["opened", "clicked"]) && !machine(e) || human(e)),
        sent,
        "opened",
    );
    check_figure(
        &s["email"]["clicked"],
        with(&|e| kind(e, &["clicked"]) && !machine(e) || human(e)),
        sent,
        "clicked",
    );
    check_figure(&s["email"]["bounced"], statuses["bounced"], sent, "bounced");
    check_figure(
        &s["email"]["machine_opened"],
        with(&|e| kind(e, &["opened", "clicked"]) && machine(e)),
        sent,
        "machine opened",
    );
    check_figure(
        &s["email"]["machine_clicked"],
        with(&|e| kind(e, &["clicked"]) && machine(e)),
        sent,
        "machine clicked",
    );
}

fn history() -> impl Strategy<Value = (usize, Vec<Gen>, Vec<usize>)> {
    (1usize..6).prop_flat_map(|n| {
        let one = (0..n, 0..KINDS.len(), 0u32..90, any::<u8>()).prop_map(
            |(recipient, k, minute, variant)| Gen {
                recipient,
                kind: KINDS[k],
                minute,
                variant,
            },
        );
        (
            Just(n),
            prop::collection::vec(one, 0..40),
            prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        )
            .prop_map(|(n, gens, dups)| {
                let dups = dups
                    .iter()
                    .filter(|_| !gens.is_empty())
                    .map(|i| i.index(gens.len()))
                    .collect();
                (n, gens, dups)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn stats_match_an_independent_computation_over_the_event_log((n, gens, dups) in history()) {
        let env = Env::new();
        setup(&env, n);
        let mut lines: Vec<Value> = gens.iter().map(line).collect();
        // Duplicates inside the file: the same event twice is applied once.
        for &d in &dups {
            let copy = lines[d].clone();
            lines.push(copy);
        }
        import(&env, &lines);
        // The whole file again: nothing changes.
        let again = import(&env, &lines);
        prop_assert!(again.contains("applied 0"), "{}", again);

        let log = json_of(&env, &["events", "list", CERT]);
        let log = log.as_array().unwrap().clone();
        let distinct: HashSet<String> = lines.iter().map(|l| l.to_string()).collect();
        prop_assert_eq!(log.len(), distinct.len());
        let s = json_of(&env, &["stats", CERT]);
        assert_valid(&s);
        expected_check(n, &log, &s);
    }
}

/// The HTML report's tables at a phone's width and a desktop's, in Chromium (WebDriver):
/// the page never scrolls sideways; each table sits in a box that scrolls when it must (and
/// does not at desktop width); headings and numbers never wrap (text cells wrap between
/// words only).
#[test]
fn html_report_tables_fit_narrow_and_wide_windows_in_chromium() {
    use crate::serve::webdriver::{Driver, chromedriver};
    let Some(driver_bin) = chromedriver() else {
        assert!(
            !required(),
            "chromedriver is missing but CERTSTAT_REQUIRE_TOOLS=1"
        );
        eprintln!("skipped: chromedriver is missing");
        return;
    };
    let env = Env::new();
    sample(&env);
    let html = env.path("report.html");
    run(&env, &["stats", CERT, "--html", html.to_str().unwrap()]);
    let driver = Driver::start(&driver_bin);
    let b = driver.session(&env.path("downloads"));
    let measure = r#"
        const lines = el => {
            const r = document.createRange(); r.selectNodeContents(el);
            const tops = [...r.getClientRects()].filter(q => q.width > 0).map(q => q.top).sort((a, b) => a - b);
            return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 2).length;
        };
        const tables = [...document.querySelectorAll('table')].map(t => {
            const w = t.parentElement;
            return {
                wrapper: w.className,
                overflow: getComputedStyle(w).overflowX,
                scrolls: w.scrollWidth > w.clientWidth,
                wrapped: [...t.querySelectorAll('th, td.num')]
                    .filter(c => c.textContent.trim() && lines(c) > 1)
                    .map(c => c.textContent),
            };
        });
        return {inner: window.innerWidth, page: document.documentElement.scrollWidth, tables};
    "#;
    for (width, narrow) in [(360, true), (1280, false)] {
        b.set_window(width, 900);
        b.goto(&format!("file://{}", html.display()));
        b.find("table");
        let m = b.script(measure);
        let inner = m["inner"].as_u64().unwrap();
        if narrow {
            assert!(inner <= 420, "the window did not get narrow: {m}");
        } else {
            assert!(inner >= 1000, "the window did not get wide: {m}");
        }
        assert!(
            m["page"].as_u64().unwrap() <= inner,
            "the page scrolls sideways at {width}: {m}"
        );
        let tables = m["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 3, "{m}");
        for t in tables {
            assert_eq!(
                (t["wrapper"].as_str(), t["overflow"].as_str()),
                (Some("scroll"), Some("auto")),
                "{m}"
            );
            assert_eq!(
                t["wrapped"],
                json!([]),
                "headings or numbers wrap at {width}: {m}"
            );
            if !narrow {
                assert_eq!(t["scrolls"], false, "a table does not fit at {width}: {m}");
            }
        }
        if let Ok(dir) = std::env::var("CERTSTAT_SCREENSHOT_DIR") {
            b.screenshot(&Path::new(&dir).join(format!("stats-report-{width}.png")));
        }
    }
}

/// DESIGN.md: under the email statistics, how to list the bounced addresses "only when there
/// are some" — on the terminal page at any width and in the HTML report.
#[test]
fn the_bounced_hint_appears_only_when_there_are_bounces() {
    let env = Env::new();
    setup(&env, 3);
    let html = env.path("report.html");
    let shapes = |env: &Env| {
        let mut pages = Vec::new();
        for columns in ["80", "120", "200"] {
            let out = env
                .cmd()
                .env("CERTSTAT_NOW", NOW)
                .env("COLUMNS", columns)
                .args(["stats", CERT])
                .output()
                .unwrap();
            assert!(out.status.success());
            pages.push(String::from_utf8(out.stdout).unwrap());
        }
        run(env, &["stats", CERT, "--html", html.to_str().unwrap()]);
        pages.push(std::fs::read_to_string(&html).unwrap());
        pages
    };
    // Nothing sent yet, then sent (pending, delivered) without a bounce: no hint.
    for step in [
        vec![],
        vec![ev(0, "sent", "2026-11-26T10:00:00Z", "smtp", json!({}))],
        vec![ev(
            0,
            "delivered",
            "2026-11-26T10:05:00Z",
            "provider",
            json!({}),
        )],
    ] {
        if !step.is_empty() {
            import(&env, &step);
        }
        for page in shapes(&env) {
            assert!(!page.contains("List the bounced"), "{page}");
            assert!(!page.contains("--status bounced"), "{page}");
        }
    }
    // A soft bounce, then a hard one: the hint names the command.
    for (i, hard) in [(1, false), (2, true)] {
        import(
            &env,
            &[
                ev(i, "sent", "2026-11-26T10:00:00Z", "smtp", json!({})),
                ev(
                    i,
                    "bounced",
                    "2026-11-26T10:01:00Z",
                    "dsn",
                    json!({"status": "5.1.1", "reason": "user unknown", "hard": hard}),
                ),
            ],
        );
        for page in shapes(&env) {
            assert!(page.contains("List the bounced addresses"), "{page}");
            assert!(page.contains("--status bounced"), "{page}");
        }
    }
}
