//! `certstat events list|import`: filters and formats, the jsonl round trip, idempotence,
//! errors with file:line, all-or-nothing imports.

use serde_json::{Value, json};

use crate::common::Env;

const CERT: &str = "Intro to Rust";

fn line(email: &str, kind: &str, at: &str, detail: Value) -> String {
    json!({"certificate": CERT, "email": email, "kind": kind, "at": at, "source": "web", "detail": detail})
        .to_string()
}

fn write(env: &Env, name: &str, lines: &[String]) -> String {
    let path = env.path(name);
    std::fs::write(
        &path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    path.display().to_string()
}

fn history() -> Vec<String> {
    vec![
        line(
            "ana.silva@example.org",
            "opened",
            "2026-11-26T10:00:00Z",
            json!({"machine": false}),
        ),
        line(
            "ana.silva@example.org",
            "claimed",
            "2026-11-26T10:05:00+01:00",
            json!({}),
        ),
        line(
            "bjorn@example.org",
            "shared",
            "2026-11-27T08:00:00Z",
            json!({"network": "x"}),
        ),
        line(
            "ana.silva@example.org",
            "downloaded",
            "2026-11-28T08:00:00Z",
            json!({"format": "pdf"}),
        ),
    ]
}

#[test]
fn import_is_idempotent_and_list_filters() {
    let env = Env::new();
    env.with_example(CERT);
    let file = write(&env, "a.jsonl", &history());
    env.ok(&["events", "import", &file]);
    env.ok(&["events", "import", &file, "--format", "jsonl"]);
    let all = env.json(&["events", "list", CERT]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 4, "{all:?}");
    // Time order, normalised to UTC; the +01:00 claim comes first.
    assert_eq!(all[0]["kind"], "claimed");
    assert_eq!(all[0]["at"], "2026-11-26T09:05:00Z");
    let ana = env.json(&[
        "events",
        "list",
        CERT,
        "--recipient",
        "ANA.SILVA@example.org",
    ]);
    assert_eq!(ana.as_array().unwrap().len(), 3);
    let kinds = env.json(&[
        "events",
        "list",
        CERT,
        "--kind",
        "shared",
        "--kind",
        "downloaded",
    ]);
    assert_eq!(kinds.as_array().unwrap().len(), 2);
    let since = env.json(&["events", "list", CERT, "--since", "2026-11-27"]);
    assert_eq!(since.as_array().unwrap().len(), 2);
    let recipients = env.recipients(CERT);
    assert_eq!(recipients[0]["status"], "claimed");
    let out = env
        .cmd()
        .args(["events", "list", CERT, "--since", "yesterday-ish"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad value is a usage error");
    let out = env
        .cmd()
        .args(["events", "list", CERT, "--kind", "teleported"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn formats_have_the_same_events() {
    let env = Env::new();
    env.with_example(CERT);
    env.ok(&["events", "import", &write(&env, "a.jsonl", &history())]);
    let csv = env.ok(&["events", "list", CERT, "--format", "csv"]);
    assert_eq!(
        csv.lines().next().unwrap(),
        "id,at,email,kind,source,detail"
    );
    assert_eq!(csv.lines().count(), 5);
    let table = env.ok(&["events", "list", CERT]);
    assert!(
        table.contains("bjorn@example.org") && table.contains("shared"),
        "{table}"
    );
    let jsonl = env.ok(&["events", "list", CERT, "--format", "jsonl"]);
    assert_eq!(jsonl.lines().count(), 4);
    for l in jsonl.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["certificate", "email", "kind", "at", "source", "detail"]
        );
    }
}

#[test]
fn jsonl_round_trips_into_another_database() {
    let a = Env::new();
    a.with_example(CERT);
    a.ok(&["events", "import", &write(&a, "a.jsonl", &history())]);
    let exported = a.ok(&["events", "list", CERT, "--format", "jsonl"]);

    let b = Env::new();
    b.with_example(CERT);
    let path = b.path("b.jsonl");
    std::fs::write(&path, &exported).unwrap();
    b.ok(&["events", "import", path.to_str().unwrap()]);
    // Importing the original file too changes nothing: the key is the content, not the text.
    b.ok(&["events", "import", &write(&b, "a.jsonl", &history())]);
    assert_eq!(
        b.ok(&["events", "list", CERT, "--format", "jsonl"]),
        exported
    );
    let strip = |v: Value| -> Value {
        let mut v = v;
        v["certificate"]["created_at"] = Value::Null;
        v
    };
    assert_eq!(
        strip(a.json(&["stats", CERT])),
        strip(b.json(&["stats", CERT]))
    );
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_nothing_is_imported() {
    let env = Env::new();
    env.with_example(CERT);
    let mut lines = history();
    lines.push(
        json!({"certificate": "No Such Course", "email": "ana.silva@example.org", "kind": "opened",
                      "at": "2026-11-26T10:00:00Z", "source": "web"})
        .to_string(),
    );
    lines.push(line(
        "nobody@example.org",
        "opened",
        "2026-11-26T10:00:00Z",
        json!({}),
    ));
    let file = write(&env, "bad.jsonl", &lines);
    let err = env.fails(&["events", "import", &file]);
    assert!(
        err.contains("bad.jsonl:5: unknown certificate 'No Such Course'"),
        "{err}"
    );
    assert!(
        err.contains("bad.jsonl:6: <nobody@example.org> is not a recipient"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        env.json(&["events", "list", CERT])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let file = write(
        &env,
        "syntax.jsonl",
        &[
            history()[0].clone(),
            "{\"certificate\": oops}".to_string(),
            line(
                "bjorn@example.org",
                "shared",
                "2026-11-26T10:00:00Z",
                json!({"network": "myspace"}),
            ),
            line("bjorn@example.org", "opened", "not a time", json!({})),
        ],
    );
    let err = env.fails(&["events", "import", &file]);
    assert!(err.contains("syntax.jsonl:2:"), "{err}");
    assert!(
        err.contains("syntax.jsonl:3: a shared event needs detail.network"),
        "{err}"
    );
    assert!(err.contains("syntax.jsonl:4: \"at\""), "{err}");
    assert_eq!(
        env.json(&["events", "list", CERT])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

/// A provider payload that is not JSON names the file and the line and column in the file
/// (not in the document, as the JSON reader counts them: after blank lines, indentation, a
/// byte order mark, an earlier document), whichever provider and whether named or detected,
/// says nothing was imported, and does not repeat the reader's own place.
#[test]
fn provider_payloads_that_are_not_json_are_placed_in_the_file() {
    let env = Env::new();
    env.ok(&["cert", "create", CERT]);
    let ses_ok = r#"{"Type":"Notification","Message":"{}"}"#;
    let cases: Vec<(&[u8], &str, &str)> = vec![
        (b"\n\n  {bad json\n", "ses", "line 3, column 4"),
        (
            format!("{ses_ok}\n\n{{\"x\": tru}}\n").into_bytes().leak(),
            "ses",
            "line 3, column 10",
        ),
        (b"  [{\"x\": tru}]", "mailgun", "line 1, column 13"),
        (
            b"\xef\xbb\xbf {\"x\": tru}",
            "postmark",
            "line 1, column 11",
        ),
        (
            b"[{\"event\":\"delivered\",\n  \"email\": oops}]",
            "sendgrid",
            "line 2, column 12",
        ),
        (b"\n\n   {bad", "auto", "line 3, column 5"),
    ];
    for (i, (bytes, format, place)) in cases.into_iter().enumerate() {
        let name = format!("payload-{i}.json");
        let path = env.path(&name);
        std::fs::write(&path, bytes).unwrap();
        let err = env.fails(&[
            "-q",
            "events",
            "import",
            path.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert!(
            err.contains(&name) && err.contains(place),
            "{format} {place}: {err}"
        );
        assert!(err.contains("nothing was imported"), "{err}");
        assert!(!err.contains("at line"), "{err}");
    }
}

/// A jsonl line that is not JSON is `file:line:column` once: the reader's own "at line 1
/// column N" (counted within the line) is not repeated, and a line that ends too early gets
/// no column 0.
#[test]
fn jsonl_lines_that_are_not_json_are_placed_once() {
    let env = Env::new();
    env.ok(&["cert", "create", CERT]);
    for (text, place) in [
        ("\n\n  {bad json\n", "e.jsonl:3:4: not a JSON object"),
        (
            "{\"certificate\": oops}\n",
            "e.jsonl:1:17: not a JSON object",
        ),
        ("{\"certificate\": \"x\",\n", "e.jsonl:1: not a JSON object"),
        ("[{\"event\":\"open\"},\n", "e.jsonl:1: not a JSON object"),
    ] {
        let path = env.path("e.jsonl");
        std::fs::write(&path, text).unwrap();
        let err = env.fails(&["-q", "events", "import", path.to_str().unwrap()]);
        assert!(err.contains(place), "{place}: {err}");
        assert!(!err.contains(" at line ") && !err.contains(":0:"), "{err}");
    }
}
