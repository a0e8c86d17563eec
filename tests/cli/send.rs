//! `send` and `preview`: templates, the outbox and SMTP transports, the crash-safe state
//! machine. The Postfix tests need the MTA that `.ci/mta.sh start` runs (they skip without it,
//! unless CERTSTAT_REQUIRE_TOOLS=1).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::{Value, json};

use crate::common::{Env, fixture, need_env};

const CERT: &str = "Intro to Rust";

fn config(env: &Env, extra: &str) {
    env.write_config(&format!(
        "[sender]\nfrom = \"Académie ACME <certs@acme.example>\"\nreply_to = \"help@acme.example\"\n\
         bounce_address = \"bounces@acme.example\"\n\n[serve]\nbase_url = \"https://certs.acme.example/\"\n\n\
         [outbox]\ndir = \"{}\"\n{extra}",
        env.path("outbox").display()
    ));
}

fn outbox_files(env: &Env) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(env.path("outbox")) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn write(env: &Env, name: &str, text: &str) -> String {
    let p = env.path(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Events of one kind, as (email, detail), straight from the database.
fn events(env: &Env, kind: &str) -> Vec<(String, Value)> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT r.email, e.detail FROM events e JOIN recipients r ON r.id=e.recipient_id WHERE e.kind=?1 ORDER BY e.id")
        .unwrap();
    stmt.query_map([kind], |r| {
        let d: String = r.get(1)?;
        Ok((r.get::<_, String>(0)?, serde_json::from_str(&d).unwrap()))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn by_email(env: &Env) -> HashMap<String, Value> {
    env.recipients(CERT)
        .into_iter()
        .map(|r| (r["email"].as_str().unwrap().to_string(), r))
        .collect()
}

/// The token in a link `<base>/c/<token>`.
fn token_in(text: &str, base: &str) -> Option<String> {
    let start = text.find(&format!("{base}/c/"))? + base.len() + 3;
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

#[test]
fn outbox_send_writes_one_personal_multipart_message_per_recipient() {
    let env = Env::new();
    config(&env, "");
    env.with_example(CERT);
    let summary = env.json(&["send", CERT]);
    assert_eq!(summary["sent"], 5, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    let files = outbox_files(&env);
    assert_eq!(files.len(), 5);

    let sent = events(&env, "sent");
    let ids: HashMap<String, String> = sent
        .iter()
        .map(|(e, d)| (e.clone(), d["send_id"].as_str().unwrap().to_string()))
        .collect();
    let mut seen = Vec::new();
    let mut tokens = Vec::new();
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        assert!(raw.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
        let msg = MessageParser::default().parse(&raw).expect("parses");
        let to = msg
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_string();
        let from = msg.from().unwrap().first().unwrap();
        assert_eq!(from.name(), Some("Académie ACME"), "RFC 2047 name decoded");
        assert_eq!(from.address(), Some("certs@acme.example"));
        assert_eq!(
            msg.reply_to().unwrap().first().unwrap().address(),
            Some("help@acme.example")
        );
        assert_eq!(msg.subject(), Some("Your certificate: Intro to Rust"));
        assert!(msg.date().is_some());
        let mid = msg.message_id().unwrap();
        assert!(mid.ends_with("@acme.example"), "{mid}");
        assert_eq!(
            msg.header("Auto-Submitted").unwrap().as_text(),
            Some("auto-generated")
        );
        assert_eq!(
            msg.header("X-Auto-Response-Suppress").unwrap().as_text(),
            Some("OOF, AutoReply")
        );
        let cid = msg
            .header("X-Certstat-Id")
            .unwrap()
            .as_text()
            .unwrap()
            .to_string();
        assert_eq!(ids[&to], cid, "the event records the message's send id");
        let ct = msg.root_part().content_type().unwrap();
        assert_eq!(
            (ct.c_type.as_ref(), ct.subtype()),
            ("multipart", Some("alternative"))
        );
        assert_eq!(msg.text_body_count(), 1);
        assert_eq!(msg.html_body_count(), 1);
        let text = msg.body_text(0).unwrap().to_string();
        let html = msg.body_html(0).unwrap().to_string();
        let recipients = by_email(&env);
        let name = recipients[&to]["name"].as_str().unwrap().to_string();
        assert!(text.contains(&name), "personalised text: {text}");
        assert!(
            html.contains(&name.replace('\'', "&#x27;"))
                || html.contains(&name.replace('\'', "&#39;"))
                || html.contains(&name),
            "personalised html"
        );
        let token = token_in(&text, "https://certs.acme.example").expect("claim link in text");
        assert!(token.len() >= 22, "token of at least 128 bits");
        assert!(
            html.contains(&format!("https://certs.acme.example/c/{token}")),
            "claim link in html"
        );
        assert!(
            html.contains(&format!("https://certs.acme.example/o/{token}.gif")),
            "open pixel"
        );
        tokens.push(token);
        seen.push(to);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "one message per recipient");
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 5, "every recipient has their own link");
    for r in env.recipients(CERT) {
        assert_eq!(r["status"], "pending", "{r}");
        assert_eq!(r["unconfirmed"], false, "{r}");
    }
    // Nothing left to send: a second run sends nothing.
    let again = env.json(&["send", CERT]);
    assert_eq!(again["sent"], 0);
    assert_eq!(outbox_files(&env).len(), 5);
}

#[test]
fn dry_run_limit_and_to() {
    let env = Env::new();
    config(&env, "");
    env.with_example(CERT);
    let dry = env.json(&["send", CERT, "--dry-run"]);
    assert_eq!(dry["selected"], 5);
    assert!(outbox_files(&env).is_empty(), "dry run writes nothing");
    assert!(
        events(&env, "send_attempt").is_empty(),
        "dry run records nothing"
    );
    env.json(&["send", CERT, "--limit", "2"]);
    assert_eq!(outbox_files(&env).len(), 2);
    let s = env.json(&["send", CERT, "--to", "eve@example.org"]);
    assert_eq!(s["sent"], 1);
    assert_eq!(by_email(&env)["eve@example.org"]["status"], "pending");
    // Naming someone already sent does not mail them again.
    let s = env.json(&["send", CERT, "--to", "eve@example.org"]);
    assert_eq!(s["sent"], 0);
    assert_eq!(s["skipped"], 1);
    assert_eq!(outbox_files(&env).len(), 3);
    let err = env.fails(&["send", CERT, "--to", "nobody@example.org"]);
    assert!(err.contains("no recipient"), "{err}");
}

#[test]
fn template_errors_are_reported_at_create_and_edit_with_line_and_column() {
    let env = Env::new();
    config(&env, "");
    let bad_syntax = write(
        &env,
        "syntax.txt",
        "Hello\n{% if recipient.name %}\n{{ recipient.name }\n",
    );
    let err = env.fails(&["cert", "create", CERT, "--body", &bad_syntax]);
    assert!(
        err.contains("line 3") && err.contains("syntax error"),
        "{err}"
    );
    let typo = write(&env, "typo.html", "<p>\n  Dear {{ recipient.nmae }}</p>\n");
    let err = env.fails(&["cert", "create", CERT, "--html", &typo]);
    assert!(
        err.contains("HTML body template, line 2, column 11"),
        "{err}"
    );
    assert!(err.contains("undefined"), "{err}");
    let err = env.fails(&[
        "cert",
        "create",
        CERT,
        "--subject",
        "Hi {{ certificate.nmae }}",
    ]);
    assert!(err.contains("subject template, line 1, column 7"), "{err}");
    // A column that recipients do not have is an error once there are recipients.
    env.with_example(CERT);
    let grade = write(
        &env,
        "grade.txt",
        "Grade: {{ grade }}\nDate: {{ course_date }}\n{{ claim_url }}\n",
    );
    env.ok(&["cert", "edit", CERT, "--body", &grade]);
    let bad = write(&env, "bad.txt", "Grade: {{ grade }}\nScore: {{ score }}\n");
    let err = env.fails(&["cert", "edit", CERT, "--body", &bad]);
    assert!(err.contains("line 2, column 11"), "{err}");
    env.ok(&["send", CERT]);
    let raw = std::fs::read(&outbox_files(&env)[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    let text = msg.body_text(0).unwrap();
    assert!(text.contains("Date: 2026-11-20"), "{text}");
}

/// An error in a template read from a file names that file, with the line and column: the
/// body and HTML of `cert create` and `cert edit`, alone or together, syntax errors and
/// undefined variables, and the reminder and expiry-notice bodies.
#[test]
fn template_errors_name_the_file_they_were_read_from() {
    let env = Env::new();
    config(&env, "");
    let syntax = write(
        &env,
        "syntax.txt",
        "Hello\n{% if recipient.name %}\n{{ recipient.name }\n",
    );
    let typo = write(&env, "typo.html", "<p>\n  Dear {{ recipient.nmae }}</p>\n");
    let good = write(
        &env,
        "good.txt",
        "Dear {{ recipient.name }}\n{{ claim_url }}\n",
    );
    let check = |args: &[&str], file: &str, place: &str| {
        let err = env.fails(args);
        assert!(
            err.contains(&format!("in {}", env.path(file).display())) && err.contains(place),
            "{args:?}: {err}"
        );
    };
    check(
        &["cert", "create", CERT, "--body", &syntax],
        "syntax.txt",
        "line 3",
    );
    check(
        &["cert", "create", CERT, "--html", &typo],
        "typo.html",
        "line 2, column 11",
    );
    check(
        &["cert", "create", CERT, "--body", &good, "--html", &typo],
        "typo.html",
        "line 2, column 11",
    );
    check(
        &["cert", "create", CERT, "--body", &syntax, "--html", &typo],
        "syntax.txt",
        "line 3",
    );
    env.ok(&["cert", "create", CERT, "--body", &good]);
    check(
        &["cert", "edit", CERT, "--body", &syntax],
        "syntax.txt",
        "line 3",
    );
    check(
        &["cert", "edit", CERT, "--html", &typo],
        "typo.html",
        "line 2, column 11",
    );
    for flag in ["--reminder-body", "--expiry-body"] {
        check(
            &["cert", "edit", CERT, flag, &syntax],
            "syntax.txt",
            "line 3",
        );
    }
    // A subject is typed, not read from a file: no file is named.
    let err = env.fails(&["cert", "edit", CERT, "--subject", "{{ x"]);
    assert!(
        err.contains("subject template, line 1") && !err.contains(".txt"),
        "{err}"
    );
}

#[test]
fn a_missing_field_stops_the_send_before_anything_is_sent() {
    let env = Env::new();
    config(&env, "");
    let body = write(&env, "b.txt", "Your mentor: {{ mentor }}\n");
    env.ok(&["cert", "create", CERT, "--body", &body]);
    let csv = write(
        &env,
        "r.csv",
        "email,name,mentor\na@example.org,A,Mo\nb@example.org,B,\n",
    );
    env.ok(&["recipients", "import", CERT, &csv]);
    env.ok(&["recipients", "add", CERT, "c@example.org", "--name", "C"]);
    let err = env.fails(&["send", CERT]);
    assert!(
        err.contains("'mentor'") && err.contains("c@example.org"),
        "{err}"
    );
    assert!(outbox_files(&env).is_empty());
    assert!(events(&env, "send_attempt").is_empty());
}

#[test]
fn crlf_in_a_field_never_makes_a_header() {
    let env = Env::new();
    config(&env, "");
    env.ok(&[
        "cert",
        "create",
        CERT,
        "--subject",
        "Certificate for {{ course }}",
    ]);
    let csv = write(
        &env,
        "r.csv",
        "email,name,course\r\nmallory@example.org,Mal,\"Rust\r\nBcc: victim2@example.org\r\n\r\nbody\"\r\n",
    );
    env.ok(&["recipients", "import", CERT, &csv]);
    env.ok(&["send", CERT]);
    let raw = std::fs::read(&outbox_files(&env)[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert!(msg.bcc().is_none(), "no Bcc header");
    let head = String::from_utf8_lossy(&raw);
    let head = head.split("\r\n\r\n").next().unwrap();
    assert!(
        !head
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("bcc")),
        "{head}"
    );
    let subject = msg.subject().unwrap();
    assert!(
        subject.starts_with("Certificate for Rust") && !subject.contains('\n'),
        "{subject}"
    );
    assert_eq!(
        msg.to().unwrap().first().unwrap().address(),
        Some("mallory@example.org")
    );
    assert_eq!(msg.to().unwrap().iter().count(), 1);
}

#[test]
fn preview_shows_the_message_and_records_nothing() {
    let env = Env::new();
    config(&env, "");
    env.with_example(CERT);
    let out = env.ok(&["preview", CERT, "bjorn@example.org"]);
    assert!(
        out.contains("Subject: Your certificate: Intro to Rust"),
        "{out}"
    );
    assert!(out.contains("Björn"), "{out}");
    assert!(out.contains("--- text/html ---"), "{out}");
    let eml = env
        .cmd()
        .args(["preview", CERT, "chloe.martin@example.org", "--eml"])
        .output()
        .unwrap();
    assert!(eml.status.success());
    let msg = MessageParser::default().parse(&eml.stdout).unwrap();
    assert_eq!(
        msg.to().unwrap().first().unwrap().address(),
        Some("chloe.martin@example.org")
    );
    assert!(
        msg.body_html(0)
            .unwrap()
            .contains("https://certs.acme.example/c/")
    );
    assert!(events(&env, "send_attempt").is_empty());
    assert!(outbox_files(&env).is_empty());
}

#[test]
fn unwritable_outbox_is_a_clear_error_and_nothing_changes() {
    let env = Env::new();
    std::fs::write(env.path("not-a-dir"), "x").unwrap();
    env.write_config(&format!(
        "[outbox]\ndir = \"{}\"\n",
        env.path("not-a-dir").display()
    ));
    env.with_example(CERT);
    let err = env.fails(&["send", CERT]);
    assert!(err.contains("outbox") && err.contains("not-a-dir"), "{err}");
    assert!(events(&env, "send_attempt").is_empty());
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "not_sent")
    );
}

/// The binary as a plain process (to run two at once, or kill one), with the harness's
/// isolated environment.
fn spawnable(env: &Env, args: &[&str]) -> Proc {
    let mut cmd = Proc::new(env!("CARGO_BIN_EXE_certstat"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path().join("xdg-data"))
        .env("XDG_CONFIG_HOME", env.dir.path().join("xdg-config"))
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path())
        .args(args);
    cmd
}

/// A port nothing listens on.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn smtp_server_down_leaves_recipients_not_sent_with_the_error() {
    let env = Env::new();
    config(
        &env,
        &format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
            free_port()
        ),
    );
    env.with_example(CERT);
    let out = env
        .cmd()
        .env("CERTSTAT_SEND_BACKOFF_MS", "10")
        .args(["send", CERT])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = env.recipients(CERT);
    for r in &all {
        assert_eq!(r["status"], "not_sent", "{r}");
        assert!(r["detail"].as_str().unwrap().contains("last error"), "{r}");
    }
    assert!(
        all.iter()
            .any(|r| r["detail"].as_str().unwrap().contains("cannot connect")),
        "{all:?}"
    );
}

// ------------------------------------------------------------------ a scripted SMTP peer for faults

/// A one-connection-at-a-time SMTP server that answers from a script: `reply(command)` gives the
/// reply line for each command (None = hang up). Used only for failures Postfix will not produce
/// on demand; everything that succeeds is tested against Postfix. When a MAIL FROM arrives with
/// the DATA after it already received (a pipelined group), the script is told so first with the
/// pseudo-command `PIPELINED` (its reply is not sent); when the end of a message's data arrives
/// with the next MAIL FROM already received behind it, with `AHEAD`.
fn scripted_server(reply: impl Fn(&str, usize) -> Option<String> + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut n = 0usize;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            n += 1;
            let mut w = stream.try_clone().unwrap();
            let mut r = BufReader::new(stream);
            let Some(greeting) = reply("CONNECT", n) else {
                continue;
            };
            if w.write_all(format!("{greeting}\r\n").as_bytes()).is_err() {
                continue;
            }
            let mut in_data = false;
            let mut line = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = if in_data {
                    if line != ".\r\n" {
                        continue;
                    }
                    in_data = false;
                    if String::from_utf8_lossy(r.buffer())
                        .to_ascii_uppercase()
                        .contains("MAIL FROM")
                    {
                        reply("AHEAD", n);
                    }
                    "END-DATA".to_string()
                } else {
                    line.trim_end().to_string()
                };
                if cmd.to_ascii_uppercase().starts_with("MAIL FROM")
                    && String::from_utf8_lossy(r.buffer()).contains("\r\nDATA\r\n")
                {
                    reply("PIPELINED", n);
                }
                let Some(answer) = reply(&cmd, n) else { break };
                if cmd == "DATA" && answer.starts_with("354") {
                    in_data = true;
                }
                if w.write_all(format!("{answer}\r\n").as_bytes()).is_err() {
                    break;
                }
                if cmd == "QUIT" {
                    break;
                }
            }
        }
    });
    port
}

fn ok_reply(cmd: &str) -> String {
    let upper = cmd.to_ascii_uppercase();
    if upper.starts_with("EHLO") {
        "250-test\r\n250 8BITMIME".into()
    } else if upper == "DATA" {
        "354 go ahead".into()
    } else if upper == "QUIT" {
        "221 bye".into()
    } else {
        "250 2.0.0 ok".into()
    }
}

fn smtp_env(port: u16, extra: &str) -> Env {
    let env = Env::new();
    config(
        &env,
        &format!("\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n{extra}"),
    );
    env.with_example(CERT);
    env
}

fn send_out(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("CERTSTAT_SEND_BACKOFF_MS", "10")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn smtp_faults_421_on_connect_and_452_are_retried_then_not_sent() {
    let port = scripted_server(|cmd, _| {
        Some(if cmd == "CONNECT" {
            "421 4.3.2 try again later".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let out = send_out(&env, &["send", CERT]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "not_sent")
    );

    let port = scripted_server(|cmd, _| {
        Some(if cmd.starts_with("RCPT") {
            "452 4.5.3 too many recipients".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let out = send_out(&env, &["send", CERT, "--to", "ana.silva@example.org"]);
    assert_eq!(out.status.code(), Some(1));
    let ana = &by_email(&env)["ana.silva@example.org"];
    assert_eq!(ana["status"], "not_sent");
    assert!(ana["detail"].as_str().unwrap().contains("452"), "{ana}");
}

#[test]
fn a_domain_that_keeps_answering_4xx_is_put_aside_and_the_run_goes_on() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let slow_rcpts = Arc::new(AtomicUsize::new(0));
    let counter = slow_rcpts.clone();
    let port = scripted_server(move |cmd, _| {
        Some(if cmd.to_ascii_lowercase().contains("@slow.example") {
            counter.fetch_add(1, SeqCst);
            "451 4.7.1 Greylisted, try again later".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let mut csv = String::from("email,name\n");
    for i in 0..8 {
        csv.push_str(&format!("s{i}@slow.example,Slow {i}\n"));
    }
    let f = write(&env, "slow.csv", &csv);
    env.ok(&["recipients", "import", CERT, &f]);
    let out = send_out(&env, &["send", CERT, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "failed recipients remain");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["sent"].as_u64(), s["failed"].as_u64()),
        (Some(5), Some(8)),
        "{s}"
    );
    assert!(s["stopped"].is_null(), "the run went on: {s}");
    let all = by_email(&env);
    let put_aside = (0..8)
        .filter(|i| {
            let r = &all[&format!("s{i}@slow.example")];
            assert_eq!(r["status"], "not_sent", "{r}");
            r["detail"]
                .as_str()
                .unwrap()
                .contains("put aside for this run")
        })
        .count();
    assert_eq!(
        put_aside, 5,
        "three tried with every retry, the other five not tried"
    );
    // Three recipients, each tried once and retried three times (the backoff).
    assert_eq!(slow_rcpts.load(SeqCst), 3 * 4);
}

#[test]
fn sigint_and_sigterm_stop_a_send_cleanly_with_its_summary() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        // A server that takes 50 ms over each message's data.
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        let port = scripted_server(move |cmd, _| {
            if cmd == "END-DATA" {
                std::thread::sleep(std::time::Duration::from_millis(50));
                counter.fetch_add(1, SeqCst);
            }
            Some(ok_reply(cmd))
        });
        let env = smtp_env(port, "");
        let mut csv = String::from("email,name\n");
        for i in 0..60 {
            csv.push_str(&format!("p{i}@example.org,P {i}\n"));
        }
        let f = write(&env, "many.csv", &csv);
        env.ok(&["recipients", "import", CERT, &f]);
        let child = spawnable(&env, &["send", CERT, "--format", "json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while accepted.load(SeqCst) < 5 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        Proc::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped by SIG{signal}")),
            "{stderr}"
        );
        let s: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!(
                "{signal}: the summary is printed: {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        let all = env.recipients(CERT);
        let pending = all.iter().filter(|r| r["status"] == "pending").count();
        let not_sent = all.iter().filter(|r| r["status"] == "not_sent").count();
        assert!(
            all.iter().all(|r| r["unconfirmed"] == false),
            "{signal}: every message in flight finished and was recorded"
        );
        assert_eq!(pending as u64, s["sent"].as_u64().unwrap(), "{signal}: {s}");
        assert_eq!(pending + not_sent, all.len());
        assert!(
            pending >= 5 && not_sent > 0,
            "{signal}: {pending} sent, {not_sent} not"
        );
        assert_eq!(
            pending,
            accepted.load(SeqCst),
            "what the server took is what is Pending"
        );
    }
}

#[test]
fn a_time_limit_postpones_the_rest_unchanged_and_the_next_run_goes_on() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    // A server that takes 100 ms over each message's data (paced or not); and a run that
    // retries a greylisting domain must not retry past its limit either. (The scripted server
    // serves one connection at a time.)
    for (rate, greylist) in [("1000", false), ("20", false), ("1000", true)] {
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        let port = scripted_server(move |cmd, _| {
            if greylist && cmd.to_ascii_lowercase().contains("@grey.example") {
                return Some("451 4.7.1 Greylisted, try again later".into());
            }
            if cmd == "END-DATA" {
                std::thread::sleep(std::time::Duration::from_millis(100));
                counter.fetch_add(1, SeqCst);
            }
            Some(ok_reply(cmd))
        });
        let env = smtp_env(port, "");
        let mut csv = String::from("email,name\n");
        for i in 0..60 {
            let domain = if greylist && i < 3 {
                "grey.example"
            } else {
                "example.org"
            };
            csv.push_str(&format!("p{i}@{domain},P {i}\n"));
        }
        let f = write(&env, "many.csv", &csv);
        env.ok(&["recipients", "import", CERT, &f]);
        let total = env.recipients(CERT).len();
        let started = std::time::Instant::now();
        let out = env
            .cmd()
            .env("CERTSTAT_SEND_BACKOFF_MS", "2000")
            .args(["send", CERT, "--time-limit", "1s", "--rate", rate])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        let label = format!("rate {rate}, greylist {greylist}");
        let sent = s["sent"].as_u64().unwrap();
        let postponed = s["postponed"].as_u64().unwrap();
        assert!(sent >= 1 && postponed >= 1, "{label}: {s}");
        assert!(
            s["stopped"].as_str().unwrap().contains("time limit"),
            "{label}: {s}"
        );
        assert!(
            took < std::time::Duration::from_secs(20),
            "{label}: the limit bounds the run (no retry past it): {took:?}"
        );
        let all = env.recipients(CERT);
        let pending = all.iter().filter(|r| r["status"] == "pending").count();
        assert_eq!(pending as u64, sent, "{label}");
        assert_eq!(pending, accepted.load(SeqCst), "{label}");
        assert!(all.iter().all(|r| r["unconfirmed"] == false), "{label}");
        let failed = events(&env, "send_failed").len() as u64;
        assert_eq!(failed, s["failed"].as_u64().unwrap(), "{label}: {s}");
        if !greylist {
            assert_eq!(
                out.status.code(),
                Some(0),
                "{label}: postponed is no failure: {stderr}"
            );
            assert_eq!(
                failed, 0,
                "{label}: nothing postponed is recorded as failed"
            );
        }
        // The next run, without a limit, mails everyone left, and nobody twice.
        let out = env
            .cmd()
            .env("CERTSTAT_SEND_BACKOFF_MS", "10")
            .args(["send", CERT, "--format", "json"])
            .output()
            .unwrap();
        let again: Value = serde_json::from_slice(&out.stdout).unwrap();
        let grey = if greylist { 3 } else { 0 };
        assert_eq!(
            again["sent"].as_u64().unwrap() + sent,
            (total - grey) as u64,
            "{label}: {again}"
        );
        assert_eq!(accepted.load(SeqCst), total - grey, "{label}: nobody twice");
    }
}

#[test]
fn smtp_452_too_many_this_session_is_answered_by_a_new_session() {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    // Two messages a connection; the third RCPT of a session gets 452.
    let per_conn: Arc<Mutex<HashMap<usize, usize>>> = Arc::default();
    let seen = per_conn.clone();
    let port = scripted_server(move |cmd, n| {
        Some(if cmd.starts_with("RCPT") {
            let mut m = seen.lock().unwrap();
            let c = m.entry(n).or_default();
            *c += 1;
            if *c > 2 {
                "452 4.5.3 Too many recipients this session".into()
            } else {
                ok_reply(cmd)
            }
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let s = env.json(&["send", CERT]);
    assert_eq!(
        (s["sent"].as_u64(), s["failed"].as_u64()),
        (Some(5), Some(0)),
        "{s}"
    );
    let sessions = per_conn.lock().unwrap().len();
    assert!(
        sessions >= 3,
        "{sessions} sessions for 5 messages at 2 a session"
    );
}

#[test]
fn smtp_550_for_one_recipient_bounces_only_that_one() {
    let port = scripted_server(|cmd, _| {
        Some(if cmd.to_ascii_lowercase().contains("rcpt to:<eve@") {
            "550 5.1.1 <eve@example.org>: Recipient address rejected: User unknown".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let s = env.json(&["send", CERT]);
    assert_eq!(
        (s["sent"].as_u64(), s["bounced"].as_u64()),
        (Some(4), Some(1)),
        "{s}"
    );
    let all = by_email(&env);
    assert_eq!(all["eve@example.org"]["status"], "bounced");
    assert!(
        all["eve@example.org"]["detail"]
            .as_str()
            .unwrap()
            .contains("5.1.1")
    );
    assert_eq!(all["ana.silva@example.org"]["status"], "pending");
    let b = events(&env, "bounced");
    assert_eq!(b[0].1["hard"], true);
    assert_eq!(b[0].1["status"], "5.1.1");
}

#[test]
fn smtp_pipelining_when_offered_keeps_each_recipients_outcome() {
    // A server offering PIPELINING: MAIL, RCPT and DATA come in one write; one recipient is
    // refused for good (550), one for now (452), and each reply still decides only its own
    // recipient, on a connection that goes on being used.
    let pipelined = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = pipelined.clone();
    let port = scripted_server(move |cmd, _| {
        let lower = cmd.to_ascii_lowercase();
        Some(if cmd == "PIPELINED" {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            String::new()
        } else if lower.starts_with("ehlo") {
            "250-test\r\n250-PIPELINING\r\n250 8BITMIME".into()
        } else if lower.contains("rcpt to:<eve@") {
            "550 5.1.1 <eve@example.org>: Recipient address rejected: User unknown".into()
        } else if lower.contains("rcpt to:<chloe.martin@") {
            "452 4.2.2 mailbox full".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let out = send_out(&env, &["send", CERT, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            s["sent"].as_u64(),
            s["bounced"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(3), Some(1), Some(1)),
        "{s}"
    );
    let all = by_email(&env);
    assert_eq!(all["eve@example.org"]["status"], "bounced");
    let chloe = &all["chloe.martin@example.org"];
    assert_eq!(chloe["status"], "not_sent");
    assert!(chloe["detail"].as_str().unwrap().contains("452"), "{chloe}");
    for ok in [
        "ana.silva@example.org",
        "bjorn@example.org",
        "david.okafor@example.org",
    ] {
        assert_eq!(all[ok]["status"], "pending", "{ok}");
        assert_eq!(all[ok]["unconfirmed"], false, "{ok}");
    }
    let b = events(&env, "bounced");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].1["phase"], "rcpt");
    assert_eq!(b[0].1["status"], "5.1.1");
    // Every transaction (3 sent, 1 bounced, 4 tries for the 452) was one pipelined group.
    assert_eq!(pipelined.load(std::sync::atomic::Ordering::SeqCst), 8);
}

#[test]
fn smtp_next_envelope_behind_the_data_keeps_each_recipients_outcome() {
    // A pipelining server that takes its time over each message: the next message is composed
    // by then, and its MAIL, RCPT and DATA ride behind this one's data. One message is refused
    // at the end of its data (552, mailbox full): a bounce for that recipient only, and no RSET is slipped in
    // whose reply would be taken for the next envelope's. Each `sent` event holds the reply to
    // its own data.
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};
    let ahead = Arc::new(AtomicUsize::new(0));
    let seen = ahead.clone();
    let rsets = Arc::new(AtomicUsize::new(0));
    let rset_seen = rsets.clone();
    let rcpt = Mutex::new(String::new());
    let port = scripted_server(move |cmd, _| {
        let lower = cmd.to_ascii_lowercase();
        Some(if cmd == "AHEAD" {
            seen.fetch_add(1, SeqCst);
            String::new()
        } else if lower.starts_with("ehlo") {
            "250-test\r\n250-PIPELINING\r\n250 8BITMIME".into()
        } else if lower.starts_with("rcpt to:") {
            *rcpt.lock().unwrap() = lower.clone();
            "250 2.1.5 ok".into()
        } else if lower == "rset" {
            rset_seen.fetch_add(1, SeqCst);
            "250 2.0.0 reset".into()
        } else if cmd == "END-DATA" {
            std::thread::sleep(std::time::Duration::from_millis(40));
            let to = rcpt.lock().unwrap().clone();
            if to.contains("<david.okafor@") {
                "552 5.2.2 mailbox full".into()
            } else {
                format!("250 2.0.0 Ok: queued for {}", &to["rcpt to:".len()..])
            }
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let out = send_out(&env, &["send", CERT, "--format", "json"]);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            s["sent"].as_u64(),
            s["bounced"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(4), Some(1), Some(0)),
        "{s} {out:?}"
    );
    let all = by_email(&env);
    assert_eq!(all["david.okafor@example.org"]["status"], "bounced");
    let b = events(&env, "bounced");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].1["phase"], "data");
    assert_eq!(b[0].1["status"], "5.2.2");
    assert_eq!(b[0].1["hard"], false, "a full mailbox is a soft bounce");
    let sent = events(&env, "sent");
    assert_eq!(sent.len(), 4);
    for (email, detail) in &sent {
        assert_eq!(
            detail["reply"],
            format!("250 2.0.0 Ok: queued for <{email}>"),
            "{email}"
        );
    }
    // Five messages on one connection: every one after the first could ride ahead, and the
    // 40 ms per message leave the composing thread ample time to be ready.
    assert!(ahead.load(SeqCst) >= 2, "ahead {}", ahead.load(SeqCst));
    assert_eq!(rsets.load(SeqCst), 0);
}

#[test]
fn smtp_close_mid_data_leaves_the_recipient_unconfirmed_not_resent() {
    // The server reads the whole message, then hangs up without a reply.
    let port = scripted_server(|cmd, _| {
        if cmd == "END-DATA" {
            None
        } else {
            Some(ok_reply(cmd))
        }
    });
    let env = smtp_env(port, "");
    let out = send_out(&env, &["send", CERT, "--to", "bjorn@example.org"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("unconfirmed"), "{stdout}");
    let b = &by_email(&env)["bjorn@example.org"];
    assert_eq!(b["status"], "pending");
    assert_eq!(b["unconfirmed"], true);
    // Not re-sent without --resend-unconfirmed.
    let out = send_out(
        &env,
        &[
            "send",
            CERT,
            "--to",
            "bjorn@example.org",
            "--format",
            "json",
        ],
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["skipped"], 1, "{s}");
    assert_eq!(events(&env, "send_attempt").len(), 1);
}

#[test]
fn smtp_timeouts_are_named_with_their_step_and_cost_one_wait() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    // A server that accepts connections and never says a word.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            counter.fetch_add(1, SeqCst);
            held.push(stream);
        }
    });
    let env = smtp_env(port, "timeout = \"1s\"\n");
    let out = send_out(&env, &["send", CERT, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = s["stopped"].as_str().unwrap_or_default();
    assert!(
        why.contains("did not answer within 1 s") && why.contains("greeting"),
        "{s}"
    );
    assert_eq!(accepted.load(SeqCst), 1, "one wait, not one per retry");
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "not_sent"),
        "nothing was handed over"
    );

    // A server that reads the whole message and then says nothing: the message is unconfirmed,
    // named as a timeout after the data.
    let port = scripted_server(|cmd, _| {
        if cmd == "END-DATA" {
            std::thread::sleep(std::time::Duration::from_secs(4));
            None
        } else {
            Some(ok_reply(cmd))
        }
    });
    let env = smtp_env(port, "timeout = \"1s\"\n");
    let out = send_out(&env, &["send", CERT, "--to", "bjorn@example.org"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no reply within 1 s after the end of the message data"),
        "{stdout}"
    );
    let b = &by_email(&env)["bjorn@example.org"];
    assert_eq!(
        (&b["status"], &b["unconfirmed"]),
        (&json!("pending"), &json!(true))
    );

    // A timeout that is no duration is a config error naming the key.
    let env = Env::new();
    config(
        &env,
        &format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout = \"forever\"\n"
        ),
    );
    let out = env.cmd().args(["cert", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[smtp] timeout") && err.contains("line"),
        "{err}"
    );
}

#[test]
fn smtp_wrong_password_and_missing_starttls_stop_the_run() {
    let port = scripted_server(|cmd, _| {
        Some(if cmd.starts_with("EHLO") {
            "250-test\r\n250 AUTH PLAIN LOGIN".into()
        } else if cmd.starts_with("AUTH") {
            "535 5.7.8 authentication failed".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "username = \"u\"\n");
    let out = env
        .cmd()
        .env("CERTSTAT_SMTP_PASSWORD", "wrong")
        .args(["send", CERT])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let all =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(all.contains("refused the login"), "{all}");
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "not_sent")
    );
    assert!(
        events(&env, "bounced").is_empty(),
        "a login failure bounces nobody"
    );

    let port = scripted_server(|cmd, _| Some(ok_reply(cmd)));
    let env = Env::new();
    config(
        &env,
        &format!("\n[smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"starttls\"\n"),
    );
    env.with_example(CERT);
    let out = send_out(&env, &["send", CERT]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("STARTTLS"));
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "not_sent")
    );
}

/// Outcomes are committed in batches, but none waits long: during a slow (`--rate`) send, the
/// messages already handed over are recorded as sent while the rest are still going out.
#[test]
fn outcomes_are_recorded_while_a_slow_send_is_still_running() {
    let env = Env::new();
    config(&env, "");
    env.ok(&["cert", "create", CERT]);
    let mut csv = String::from("email,name\n");
    for i in 0..10 {
        csv.push_str(&format!("s{i}@example.org,S {i}\n"));
    }
    let f = write(&env, "r.csv", &csv);
    env.ok(&["recipients", "import", CERT, &f]);
    let mut child = spawnable(&env, &["send", CERT, "--rate", "4"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // 10 messages at 4/s take 2.25 s; after 1.5 s about 6 are out.
    std::thread::sleep(Duration::from_millis(1500));
    let sent = events(&env, "sent").len();
    let still_running = child.try_wait().unwrap().is_none();
    child.wait().unwrap();
    assert!(still_running, "the send should still be running");
    assert!(
        (2..10).contains(&sent),
        "{sent} sent events recorded after 1.5 s of a 2.25 s send"
    );
    assert_eq!(events(&env, "sent").len(), 10);
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "pending" && r["unconfirmed"] == false)
    );
}

#[test]
fn two_concurrent_sends_to_the_outbox_mail_everyone_once() {
    let env = Env::new();
    config(&env, "");
    env.ok(&["cert", "create", CERT]);
    let mut csv = String::from("email,name\n");
    for i in 0..300 {
        csv.push_str(&format!("p{i:03}@example.org,P {i}\n"));
    }
    let f = write(&env, "r.csv", &csv);
    env.ok(&["recipients", "import", CERT, &f]);
    let spawn = || {
        spawnable(&env, &["send", CERT])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let refused = [&a, &b]
        .iter()
        .filter(|o| !o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stderr).to_string())
        .collect::<Vec<_>>();
    for r in &refused {
        assert!(r.contains("already sending"), "{r}");
    }
    let mut to: Vec<String> = outbox_files(&env)
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap();
            let m = MessageParser::default().parse(&raw).unwrap();
            m.to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_string()
        })
        .collect();
    let n = to.len();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), n, "nobody mailed twice");
    if refused.is_empty() {
        assert_eq!(n, 300, "both finished: everyone mailed");
    } else {
        // The refused run changed nothing; the other one mailed everyone.
        assert_eq!(n, 300);
    }
}

// ------------------------------------------------------------------ Postfix

struct Mta {
    port: String,
    maildir: PathBuf,
    postfix_config: Option<String>,
}

fn mta() -> Option<Mta> {
    let port = need_env(
        "CERTSTAT_TEST_SMTP_PORT",
        "Postfix on loopback (bash .ci/mta.sh start)",
    )?;
    let maildir = need_env(
        "CERTSTAT_TEST_MAILDIR",
        "the Maildir Postfix delivers @example.test to",
    )?;
    Some(Mta {
        port,
        maildir: PathBuf::from(maildir),
        postfix_config: std::env::var("CERTSTAT_TEST_POSTFIX_CONFIG").ok(),
    })
}

/// A tag unique to this test run, for local parts.
fn tag(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{name}{}x{nanos:x}", std::process::id())
}

impl Mta {
    fn env(&self) -> Env {
        let env = Env::new();
        env.write_config(&format!(
            "[sender]\nfrom = \"Académie ACME <certs@example.test>\"\nbounce_address = \"bounces@localhost\"\n\n\
             [serve]\nbase_url = \"https://certs.example.test\"\n\n\
             [smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
            self.port
        ));
        env.ok(&["cert", "create", CERT, "--issuer", "ACME"]);
        env
    }

    /// Wait until Postfix's queue is empty (everything accepted has been delivered).
    fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut empty_twice = 0;
        while Instant::now() < deadline && empty_twice < 2 {
            std::thread::sleep(Duration::from_millis(200));
            match &self.postfix_config {
                Some(c) => {
                    let out = Proc::new("postqueue").args(["-c", c, "-p"]).output();
                    let empty = out.is_ok_and(|o| {
                        String::from_utf8_lossy(&o.stdout).contains("Mail queue is empty")
                    });
                    empty_twice = if empty { empty_twice + 1 } else { 0 };
                }
                None => {
                    std::thread::sleep(Duration::from_secs(2));
                    return;
                }
            }
        }
    }

    /// Delivered messages whose Delivered-To contains `tag`: recipient → raw messages.
    fn delivered(&self, tag: &str) -> HashMap<String, Vec<Vec<u8>>> {
        let mut out: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
        for sub in ["new", "cur"] {
            let Ok(rd) = std::fs::read_dir(self.maildir.join(sub)) else {
                continue;
            };
            for e in rd {
                let p = e.unwrap().path();
                let Ok(raw) = std::fs::read(&p) else { continue };
                let head = String::from_utf8_lossy(&raw[..raw.len().min(4096)]).to_string();
                let Some(to) = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Delivered-To: "))
                    .map(|s| s.trim().to_ascii_lowercase())
                else {
                    continue;
                };
                if to.contains(tag) {
                    out.entry(to).or_default().push(raw);
                }
            }
        }
        out
    }
}

fn import_tagged(env: &Env, tag: &str, n: usize, extra: &[&str]) -> Vec<String> {
    let mut csv = String::from("email,name,level\n");
    let mut emails = Vec::new();
    for i in 0..n {
        let e = format!("{tag}-r{i:03}@example.test");
        csv.push_str(&format!("{e},Réka Nº{i},L{}\n", i % 3));
        emails.push(e);
    }
    for e in extra {
        csv.push_str(&format!("{e},Ghost,L0\n"));
    }
    let f = write(env, "r.csv", &csv);
    env.ok(&["recipients", "import", CERT, &f]);
    emails
}

#[test]
fn postfix_batch_delivers_exactly_one_message_per_recipient_and_550_bounces() {
    let Some(mta) = mta() else { return };
    let env = mta.env();
    let t = tag("batch");
    let unknown = format!("unknown-{t}@example.test");
    let body = write(
        &env,
        "b.txt",
        "Dear {{ recipient.name }}, level {{ level }}.\n{{ claim_url }}\n",
    );
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--body",
        &body,
        "--html",
        &fixture("send/body.html"),
    ]);
    let emails = import_tagged(&env, &t, 20, &[&unknown]);
    let out = env
        .cmd()
        .args(["send", CERT, "--connections", "2", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            s["sent"].as_u64(),
            s["bounced"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(20), Some(1), Some(0)),
        "{s}"
    );
    let all = by_email(&env);
    assert_eq!(all[&unknown]["status"], "bounced");
    let detail = all[&unknown]["detail"].as_str().unwrap();
    assert!(
        detail.contains("5.1.1") && detail.contains("User unknown"),
        "{detail}"
    );
    let b = events(&env, "bounced");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].1["hard"], true);

    mta.settle();
    let got = mta.delivered(&t);
    assert_eq!(got.len(), 20, "every recipient got mail");
    assert!(!got.contains_key(&unknown));
    let sent: HashMap<String, Value> = events(&env, "sent").into_iter().collect();
    for (i, e) in emails.iter().enumerate() {
        let msgs = &got[e];
        assert_eq!(msgs.len(), 1, "{e} got exactly one message");
        let m = MessageParser::default().parse(&msgs[0]).unwrap();
        assert_eq!(m.to().unwrap().first().unwrap().address(), Some(e.as_str()));
        assert_eq!(m.subject(), Some("Your certificate: Intro to Rust"));
        let ct = m.root_part().content_type().unwrap();
        assert_eq!(
            (ct.c_type.as_ref(), ct.subtype()),
            ("multipart", Some("alternative"))
        );
        let text = m.body_text(0).unwrap();
        assert!(
            text.contains(&format!("Dear Réka Nº{i}, level L{}.", i % 3)),
            "{text}"
        );
        let html = m.body_html(0).unwrap();
        assert!(html.contains(&format!("Réka Nº{i}")), "{html}");
        let token = token_in(&text, "https://certs.example.test").unwrap();
        assert!(html.contains(&format!("https://certs.example.test/c/{token}")));
        assert!(html.contains(&format!("https://certs.example.test/o/{token}.gif")));
        // VERP: the envelope sender carries a token, not the address.
        let rp = m.return_address().unwrap().to_string();
        assert!(
            rp.starts_with("bounces+") && rp.ends_with("@localhost"),
            "{rp}"
        );
        assert!(!rp.contains(&t), "{rp}");
        let id = m.header("X-Certstat-Id").unwrap().as_text().unwrap();
        assert_eq!(sent[e]["send_id"], id);
        assert!(rp.contains(id), "VERP token carries the send id");
        assert!(
            sent[e]["reply"].as_str().unwrap().starts_with("250"),
            "{}",
            sent[e]
        );
    }
}

/// `send` through Postfix: (exit code, summary, stderr).
fn send_summary(env: &Env) -> (Option<i32>, Value, String) {
    let out = env
        .cmd()
        .args(["send", CERT, "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let s: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), s, stderr)
}

#[test]
fn postfix_mailbox_full_at_rcpt_is_a_soft_bounce_of_that_recipient_only() {
    let Some(mta) = mta() else { return };
    let env = mta.env();
    let t = tag("full");
    let full = format!("{t}@full.test");
    let emails = import_tagged(&env, &t, 3, &[&full]);
    let (code, s, stderr) = send_summary(&env);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (s["sent"].as_u64(), s["bounced"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );
    let all = by_email(&env);
    assert_eq!(all[&full]["status"], "bounced");
    let detail = all[&full]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("soft bounce") && detail.contains("5.2.2"),
        "{detail}"
    );
    for e in &emails {
        assert_eq!(all[e]["status"], "pending", "{e}");
    }
    let b = events(&env, "bounced");
    assert_eq!((b.len(), &b[0].1["hard"]), (1, &json!(false)), "{b:?}");
}

#[test]
fn postfix_sender_side_rejections_stop_the_run_and_blame_no_recipient() {
    let Some(mta) = mta() else { return };
    // Relaying refused at RCPT (our side: no login), and content refused at the end of DATA.
    for (case, marker) in [("relay", false), ("content", true)] {
        let env = mta.env();
        let t = tag(case);
        if marker {
            let body = write(
                &env,
                "b.txt",
                "Dear {{ recipient.name }},\nCERTSTAT-TEST-SPAM-MARKER\n{{ claim_url }}\n",
            );
            env.ok(&["cert", "edit", CERT, "--body", &body]);
        }
        let elsewhere = format!("{t}@elsewhere.test");
        let mut emails = import_tagged(&env, &t, 2, &[]);
        if !marker {
            let f = write(
                &env,
                "more.csv",
                &format!("email,name,level\n{elsewhere},Ghost,L0\n{t}-late@example.test,Late,L0\n"),
            );
            env.ok(&["recipients", "import", CERT, &f]);
            emails.push(elsewhere.clone());
            emails.push(format!("{t}-late@example.test"));
        }
        let (code, s, stderr) = send_summary(&env);
        assert_eq!(code, Some(1), "{case}: {s}\n{stderr}");
        assert_eq!(s["bounced"], 0, "{case}: nobody is to blame: {s}");
        let why = s["stopped"].as_str().unwrap_or_default().to_owned();
        assert!(why.contains("sending side"), "{case}: {why}");
        let hint = if marker { "content" } else { "relay" };
        assert!(why.contains(hint), "{case}: {why}");
        let all = by_email(&env);
        let first_refused = if marker { 0 } else { 2 };
        for (i, e) in emails.iter().enumerate() {
            let status = all[e]["status"].as_str().unwrap();
            if i < first_refused {
                assert_eq!(status, "pending", "{case}: {e} was sent before the refusal");
            } else {
                assert_eq!(status, "not_sent", "{case}: {e}: {}", all[e]);
            }
        }
        assert!(events(&env, "bounced").is_empty(), "{case}");
    }
}

#[test]
fn postfix_sigkill_at_any_point_never_duplicates_or_loses_anyone() {
    let Some(mta) = mta() else { return };
    let env = mta.env();
    let t = tag("kill");
    let emails = import_tagged(&env, &t, 200, &[]);
    // Kill runs at several points; each later run picks up what is left.
    for delay_ms in [40u64, 150, 300, 600, 1000] {
        let mut child = spawnable(&env, &["send", CERT, "--rate", "400"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let before = by_email(&env);
    let unconfirmed_after_kills: Vec<String> = before
        .iter()
        .filter(|(_, r)| r["unconfirmed"] == true)
        .map(|(e, _)| e.clone())
        .collect();
    // Finish the batch without --resend-unconfirmed.
    let out = env
        .cmd()
        .args(["send", CERT, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    mta.settle();
    let got = mta.delivered(&t);
    let now = by_email(&env);
    for e in &emails {
        let n = got.get(e).map_or(0, Vec::len);
        let r = &now[e];
        assert!(
            n <= 1,
            "{e} got {n} messages without any --resend-unconfirmed"
        );
        if r["unconfirmed"] == true {
            assert!(
                unconfirmed_after_kills.contains(e),
                "{e}: unconfirmed only from a killed run"
            );
        } else {
            assert_eq!(r["status"], "pending", "{e}: {r}");
            assert_eq!(n, 1, "{e} is recorded as sent, so it has its message");
        }
    }
    // Now resend the unconfirmed ones: everyone has mail; only they may have two.
    env.ok(&["send", CERT, "--resend-unconfirmed"]);
    mta.settle();
    let got = mta.delivered(&t);
    for e in &emails {
        let n = got.get(e).map_or(0, Vec::len);
        assert!(n >= 1, "{e} lost");
        assert!(
            n == 1 || unconfirmed_after_kills.contains(e),
            "{e} got {n} messages but was never unconfirmed"
        );
    }
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "pending" && r["unconfirmed"] == false)
    );
    eprintln!(
        "kill test: {} of 200 were left unconfirmed by the kills",
        unconfirmed_after_kills.len()
    );
}

#[test]
fn postfix_two_concurrent_sends_never_mail_anyone_twice() {
    let Some(mta) = mta() else { return };
    let env = mta.env();
    let t = tag("conc");
    let emails = import_tagged(&env, &t, 100, &[]);
    let spawn = || {
        spawnable(&env, &["send", CERT])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    assert!(outs.iter().any(|o| o.status.success()));
    for o in outs.iter().filter(|o| !o.status.success()) {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("already sending"), "{err}");
    }
    mta.settle();
    let got = mta.delivered(&t);
    for e in &emails {
        assert_eq!(got.get(e).map_or(0, Vec::len), 1, "{e}");
    }
}

/// The DKIM keys OpenSSL writes, as organisations make them: (file name, openssl arguments).
const DKIM_KEYS: &[(&str, &[&str])] = &[
    ("rsa-pkcs1.pem", &["genrsa", "-traditional", "2048"]),
    ("rsa-pkcs8.pem", &["genrsa", "2048"]),
    ("ed25519.pem", &["genpkey", "-algorithm", "ed25519"]),
];

/// Make each key of [`DKIM_KEYS`] with `openssl` in `env`; None (skip) when openssl is missing.
fn dkim_keys(env: &Env) -> Option<Vec<PathBuf>> {
    let mut keys = Vec::new();
    for (name, args) in DKIM_KEYS {
        let path = env.path(name);
        let (command, options) = args.split_first().unwrap();
        let out = Proc::new("openssl")
            .arg(command)
            .args(["-out", path.to_str().unwrap()])
            .args(options)
            .output();
        match out {
            Ok(o) if o.status.success() => keys.push(path),
            _ if crate::common::required() => panic!("openssl is needed to make DKIM keys"),
            _ => {
                eprintln!("skipped: openssl cannot make DKIM keys here");
                return None;
            }
        }
    }
    Some(keys)
}

/// tests/verify_dkim.py (dkimpy): Ok(report) when every message verifies, Err(report) if not;
/// None (skip) when dkimpy is missing and tools are not required.
fn dkimpy(key: &std::path::Path, messages: &[PathBuf]) -> Option<Result<String, String>> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_dkim.py");
    let out = Proc::new("python3")
        .arg(script)
        .args(["--key", key.to_str().unwrap(), "--selector", "certs"])
        .args(["--domain", "example.test"])
        .args(messages)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => Some(Ok(report)),
        Some(2) if !crate::common::required() => {
            eprintln!("skipped: {report}");
            None
        }
        _ => Some(Err(report)),
    }
}

fn dkim_config(env: &Env, key: &std::path::Path, smtp: Option<&str>) {
    let transport = match smtp {
        Some(port) => format!("[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"),
        None => format!("[outbox]\ndir = \"{}\"\n", env.path("outbox").display()),
    };
    env.write_config(&format!(
        "[sender]\nfrom = \"Académie ACME <certs@example.test>\"\nreply_to = \"help@example.test\"\n\
         dkim_key = \"{}\"\ndkim_selector = \"certs\"\n\n\
         [serve]\nbase_url = \"https://certs.example.test\"\n\n{transport}",
        key.display()
    ));
}

/// Recipients with ASCII and non-ASCII names (encoded words in To), under a non-ASCII subject.
fn dkim_recipients(env: &Env, tag: &str) -> Vec<String> {
    env.ok(&["cert", "create", CERT, "--issuer", "ACME"]);
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--subject",
        "Votre certificat « {{ certificate.name }} » ✓",
    ]);
    // The last two are written by certstat's own header encoding, not lettre's.
    let long = "B".repeat(120);
    let names = [
        "Ana Silva",
        "Zoë Åström-Nguyễn",
        "山田 太郎",
        "محمد علي",
        "=?utf-8?B?SGFja2Vy?= Smith",
        long.as_str(),
    ];
    let mut csv = String::from("email,name\n");
    let mut emails = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = format!("{tag}-d{i}@example.test");
        csv.push_str(&format!("{email},{name}\n"));
        emails.push(email);
    }
    let file = write(env, "dkim.csv", &csv);
    env.ok(&["recipients", "import", CERT, &file]);
    emails
}

#[test]
fn dkim_signatures_of_outbox_messages_verify_with_dkimpy_for_every_key_format() {
    let probe = Env::new();
    let Some(keys) = dkim_keys(&probe) else {
        return;
    };
    for key in &keys {
        let env = Env::new();
        dkim_config(&env, key, None);
        dkim_recipients(&env, "outbox");
        env.ok(&["send", CERT]);
        let files = outbox_files(&env);
        assert_eq!(files.len(), 6, "{key:?}");
        let Some(verdict) = dkimpy(key, &files) else {
            return;
        };
        verdict.unwrap_or_else(|r| panic!("{key:?}: {r}"));
        // The verifier can say no: one changed body byte breaks every signature.
        let raw = std::fs::read(&files[0]).unwrap();
        let tampered = env.path("tampered.eml");
        let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 10;
        let mut changed = raw.clone();
        changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
        std::fs::write(&tampered, changed).unwrap();
        assert!(
            dkimpy(key, &[tampered]).unwrap().is_err(),
            "{key:?}: tampered verified"
        );
    }
}

#[test]
fn postfix_delivered_messages_verify_with_dkimpy_for_rsa_and_ed25519() {
    let Some(mta) = mta() else { return };
    let probe = Env::new();
    let Some(keys) = dkim_keys(&probe) else {
        return;
    };
    for key in &keys {
        let env = Env::new();
        dkim_config(&env, key, Some(&mta.port));
        let t = tag("dkim");
        let emails = dkim_recipients(&env, &t);
        env.ok(&["send", CERT]);
        mta.settle();
        let delivered = mta.delivered(&t);
        let mut files = Vec::new();
        for (i, email) in emails.iter().enumerate() {
            let copies = delivered
                .get(email)
                .unwrap_or_else(|| panic!("{email} not delivered"));
            assert_eq!(copies.len(), 1, "{email}");
            let path = env.path(&format!("delivered-{i}.eml"));
            std::fs::write(&path, &copies[0]).unwrap();
            files.push(path);
        }
        let Some(verdict) = dkimpy(key, &files) else {
            return;
        };
        verdict.unwrap_or_else(|r| panic!("{key:?}: {r}"));
    }
}

// ------------------------------------------------------------------ crash records

/// An interrupted send leaves its recipient unconfirmed; every failing shape of a later
/// `--resend-unconfirmed` (no server, a greeting refused, a 4xx at RCPT, a hang-up before the
/// data) keeps the mark, so that a plain `send` never mails them a second time; a resend that
/// succeeds clears it.
#[test]
fn a_failed_resend_unconfirmed_keeps_the_unconfirmed_mark() {
    let hang_up = scripted_server(|cmd, _| (cmd != "END-DATA").then(|| ok_reply(cmd)));
    let env = smtp_env(hang_up, "");
    let who = "bjorn@example.org";
    let out = send_out(&env, &["send", CERT, "--to", who]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(by_email(&env)[who]["unconfirmed"], true);
    let smtp =
        |port: u16| format!("\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n");
    let greeting_421 = scripted_server(|cmd, _| {
        Some(if cmd == "CONNECT" {
            "421 4.3.2 busy".into()
        } else {
            ok_reply(cmd)
        })
    });
    let rcpt_451 = scripted_server(|cmd, _| {
        Some(if cmd.starts_with("RCPT") {
            "451 4.3.0 later".into()
        } else {
            ok_reply(cmd)
        })
    });
    for port in [free_port(), greeting_421, rcpt_451, hang_up] {
        config(&env, &smtp(port));
        let out = send_out(&env, &["send", CERT, "--to", who, "--resend-unconfirmed"]);
        assert_eq!(out.status.code(), Some(1), "port {port}");
        let r = &by_email(&env)[who];
        assert_eq!(r["status"], "pending", "port {port}: {r}");
        assert_eq!(r["unconfirmed"], true, "port {port}: {r}");
        // A plain send still leaves them alone.
        let out = send_out(&env, &["send", CERT, "--to", who, "--format", "json"]);
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (s["skipped"].as_u64(), s["sent"].as_u64()),
            (Some(1), Some(0)),
            "{s}"
        );
    }
    config(&env, &smtp(scripted_server(|cmd, _| Some(ok_reply(cmd)))));
    env.ok(&["send", CERT, "--to", who, "--resend-unconfirmed"]);
    let r = &by_email(&env)[who];
    assert_eq!(
        (&r["status"], &r["unconfirmed"]),
        (&Value::from("pending"), &Value::from(false))
    );
}

/// Messages whose group was never handed over carry no attempt: a run stopped by a refused
/// sender at the first message leaves everyone else Not Sent, with no attempt recorded beyond
/// the first group.
#[test]
fn queued_messages_carry_no_attempt_before_their_group_is_handed_over() {
    let port = scripted_server(|cmd, _| {
        Some(if cmd.starts_with("MAIL FROM") {
            "550 5.7.1 sender refused".into()
        } else {
            ok_reply(cmd)
        })
    });
    let env = smtp_env(port, "");
    let mut csv = String::from("email,name\n");
    for i in 0..60 {
        csv.push_str(&format!("q{i}@example.org,Q {i}\n"));
    }
    let f = write(&env, "more.csv", &csv);
    env.ok(&["recipients", "import", CERT, &f]);
    let out = send_out(&env, &["send", CERT]);
    assert_eq!(out.status.code(), Some(1));
    let attempts = events(&env, "send_attempt").len();
    assert!((1..=8).contains(&attempts), "{attempts} attempts recorded");
    let all = env.recipients(CERT);
    assert!(
        all.iter()
            .all(|r| r["status"] == "not_sent" && r["unconfirmed"] == false),
        "{all:?}"
    );
}

/// 50 `kill -9` at random instants of a 2,000-recipient send through the Postfix rig (two
/// connections), each run picking up what is left; then a plain `send` and
/// `--resend-unconfirmed`. Each kill leaves at most two hand-over groups a connection
/// unconfirmed (the one being written and the next, marked meanwhile); every address gets its message; only unconfirmed recipients may get two, and
/// no more duplicates than unconfirmed recipients.
#[test]
fn postfix_fifty_kills_leave_only_the_groups_being_handed_over_unconfirmed() {
    let Some(mta) = mta() else { return };
    let env = mta.env();
    let t = tag("kill50");
    let emails = import_tagged(&env, &t, 2000, &[]);
    let connections = 2;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill delays seed {seed}");
    let mut unconfirmed: std::collections::HashSet<String> = Default::default();
    let mut most = 0;
    for _ in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(20 + seed % 200);
        let mut child = spawnable(&env, &["send", CERT, "--connections", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now: std::collections::HashSet<String> = by_email(&env)
            .into_iter()
            .filter(|(_, r)| r["unconfirmed"] == true)
            .map(|(e, _)| e)
            .collect();
        let new = now.difference(&unconfirmed).count();
        // At most two groups of 8 a connection: the one being written, and the next, whose
        // marks are synced meanwhile (src/send/handover.rs, IN_FLIGHT).
        assert!(
            new <= connections * 16,
            "one kill left {new} recipients unconfirmed (more than {connections} × 2 groups of 8)"
        );
        most = most.max(new);
        unconfirmed = now;
    }
    let out = env
        .cmd()
        .args(["send", CERT, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.ok(&["send", CERT, "--resend-unconfirmed"]);
    mta.settle();
    let got = mta.delivered(&t);
    let mut duplicates = 0;
    for e in &emails {
        let n = got.get(e).map_or(0, Vec::len);
        assert!(n >= 1, "{e} lost");
        assert!(n <= 2, "{e} got {n}");
        if n == 2 {
            assert!(
                unconfirmed.contains(e),
                "{e} got two messages but was never unconfirmed"
            );
            duplicates += 1;
        }
    }
    assert!(duplicates <= unconfirmed.len());
    assert!(
        env.recipients(CERT)
            .iter()
            .all(|r| r["status"] == "pending" && r["unconfirmed"] == false)
    );
    eprintln!(
        "50 kills: {} of 2000 left unconfirmed (at most {most} by one kill), {duplicates} duplicates after --resend-unconfirmed",
        unconfirmed.len()
    );
}

#[test]
fn postfix_success_dsns_make_recipients_delivered_confirmed_by_dsn() {
    let Some(mta) = mta() else { return };
    let Some(root) = need_env(
        "CERTSTAT_TEST_MAILDIR_ROOT",
        "the Maildirs Postfix delivers to (bounces@localhost among them)",
    ) else {
        return;
    };
    let env = mta.env();
    let t = tag("dsnok");
    let emails = import_tagged(&env, &t, 3, &[]);
    env.ok(&["send", CERT]);
    mta.settle();
    // A long settle window: only a success DSN can make anyone Delivered in this run.
    let bounces = format!("{root}/localhost");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        env.ok(&["refresh", "--maildir", &bounces, "--settle", "3650d"]);
        let now = by_email(&env);
        let delivered: Vec<&String> = emails
            .iter()
            .filter(|e| now[*e]["status"] == "delivered")
            .collect();
        if delivered.len() == emails.len() {
            for e in &emails {
                let detail = now[e]["detail"].as_str().unwrap_or_default();
                assert!(detail.contains("dsn"), "{e}: {detail}");
            }
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not all confirmed by DSN: {now:?}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// SpamAssassin's score of one message (`spamassassin -L -t`, local tests only), or None
/// (skip) when SpamAssassin is not installed and tools are not required.
fn spamassassin_score(message: &[u8]) -> Option<(f64, String)> {
    let child = Proc::new("spamassassin")
        .args(["-L", "-t"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) if crate::common::required() => panic!("spamassassin is required (.ci/run)"),
        Err(_) => {
            eprintln!("skipped: spamassassin is not installed");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let status = report
        .lines()
        .find(|l| l.starts_with("X-Spam-Status:"))
        .unwrap_or_else(|| panic!("no X-Spam-Status in {report}"));
    let score: f64 = status
        .split("score=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no score in {status}"));
    let details = report
        .split("Content analysis details:")
        .nth(1)
        .unwrap_or("")
        .to_string();
    Some((score, details))
}

#[test]
fn the_default_message_scores_at_most_half_a_point_with_spamassassin() {
    // Shapes that change the message's length and encoding: short and long names, scripts,
    // with and without an issuer and a description; the open pixel is always in.
    let shapes: &[(&str, &str, &[&str])] = &[
        ("Go", "Al", &[]),
        ("Intro to Rust", "Ana Silva", &["--issuer", "ACME Training"]),
        (
            "Advanced Distributed Systems Engineering and Operations Practicum",
            "Maria-Fernanda de los Ángeles Gutiérrez Sánchez",
            &[
                "--issuer",
                "Universidad Politécnica",
                "--description",
                "A five-day course with a final project and an oral examination.",
            ],
        ),
        ("データ分析入門", "山田 太郎", &["--issuer", "東京大学"]),
    ];
    for (cert, name, extra) in shapes {
        let env = Env::new();
        config(&env, "");
        let mut args = vec!["cert", "create", cert];
        args.extend_from_slice(extra);
        env.ok(&args);
        env.ok(&[
            "recipients",
            "add",
            cert,
            "someone@example.org",
            "--name",
            name,
        ]);
        env.ok(&["send", cert]);
        let files = outbox_files(&env);
        assert_eq!(files.len(), 1);
        let Some((score, details)) = spamassassin_score(&std::fs::read(&files[0]).unwrap()) else {
            return;
        };
        assert!(score <= 0.5, "{cert} / {name}: score {score}\n{details}");
    }
    // The check can fail: a message SpamAssassin dislikes scores above the limit.
    let spammy = b"From: winner@example.org\r\nTo: you@example.org\r\nSubject: FREE MONEY!!! CLICK NOW\r\n\
        MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n\
        <html><body><img src=\"http://example.org/a.gif\"><a href=\"http://example.org\">CLICK HERE</a></body></html>\r\n";
    let (score, _) = spamassassin_score(spammy).unwrap();
    assert!(score > 0.5, "the spammy control scored {score}");
}

#[test]
fn no_open_tracking_leaves_the_pixel_out_and_open_tracking_puts_it_back() {
    let env = Env::new();
    config(&env, "");
    env.ok(&["cert", "create", CERT, "--no-open-tracking"]);
    env.ok(&[
        "recipients",
        "add",
        CERT,
        "ana@example.org",
        "--name",
        "Ana",
    ]);
    let has_pixel = |env: &Env| {
        let eml = env.ok(&["preview", CERT, "ana@example.org", "--eml"]);
        let parsed = MessageParser::default().parse(eml.as_bytes()).unwrap();
        let html = parsed.body_html(0).unwrap().to_string();
        assert!(
            html.contains("/c/"),
            "the claim link is there either way: {html}"
        );
        html.contains("/o/")
    };
    assert!(!has_pixel(&env), "pixel despite --no-open-tracking");
    env.ok(&["send", CERT]);
    let sent = std::fs::read_to_string(&outbox_files(&env)[0]).unwrap();
    assert!(!sent.contains("/o/"), "the sent message has a pixel");
    env.ok(&["cert", "edit", CERT, "--open-tracking"]);
    assert!(has_pixel(&env), "no pixel after --open-tracking");
    // An edit that does not mention tracking keeps the setting.
    env.ok(&["cert", "edit", CERT, "--description", "Two days"]);
    assert!(has_pixel(&env));
    env.ok(&["cert", "edit", CERT, "--no-open-tracking"]);
    env.ok(&["cert", "edit", CERT, "--issuer", "ACME"]);
    assert!(!has_pixel(&env));
}

/// Names and subjects that lettre would write as they are, wrongly: text that looks like an
/// RFC 2047 encoded word (the reader's mail program would show other text), and a word too
/// long to fold (a header line over the limit). Each is read back by an independent parser as
/// typed, and no header line passes 78 characters; ordinary names stay readable as they are.
#[test]
fn names_and_subjects_reach_the_reader_as_typed_and_fold_within_the_line_limit() {
    let env = Env::new();
    config(&env, "");
    let long = "A".repeat(400);
    let quoted = "Ab\"c".repeat(120);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "look@example.org",
            "=?utf-8?B?SGFja2Vy?= Smith".into(),
            "Your certificate: =?utf-8?B?SGFja2Vy?= course",
        ),
        ("long@example.org", long.clone(), ""),
        ("quotes@example.org", quoted.clone(), ""),
        ("plain@example.org", "Ana Silva".into(), ""),
        ("accent@example.org", "Zoë Ødegård-Nakamura".into(), ""),
    ];
    let cert = "=?utf-8?B?SGFja2Vy?= course";
    env.ok(&["cert", "create", cert]);
    for (address, name, _) in &cases {
        env.ok(&["recipients", "add", cert, address, "--name", name]);
    }
    for (address, name, subject) in &cases {
        let eml = env.ok(&["preview", cert, address, "--eml"]);
        let head = &eml[..eml.find("\r\n\r\n").expect("a header block")];
        for line in head.split("\r\n") {
            assert!(
                line.len() <= 78,
                "{address}: a header line of {} characters: {line}",
                line.len()
            );
        }
        let parsed = MessageParser::default().parse(eml.as_bytes()).unwrap();
        let to = parsed.to().and_then(|a| a.first()).expect("a To address");
        assert_eq!(to.name().unwrap_or(""), name.as_str(), "{address}");
        assert_eq!(to.address().unwrap_or(""), *address);
        if !subject.is_empty() {
            assert_eq!(parsed.subject().unwrap_or(""), *subject, "{address}");
        }
        if *address == "plain@example.org" {
            // As lettre writes it: readable without decoding.
            assert!(
                head.contains("\r\nTo: \"Ana Silva\" <plain@example.org>\r\n"),
                "{head}"
            );
        }
    }
}

/// Names in a dozen scripts, long enough to need several encoded words or short enough to
/// end a line next to the address: each To line keeps within 78 characters, each encoded word
/// within 75 and holding whole grapheme clusters (never a consonant without its vowel sign,
/// a letter without its tone mark, half an emoji sequence), and two independent parsers read
/// the name back: mail-parser exactly, Python's `email` (policy.default) exactly for the
/// subject and, for the name, but for the folding space that Python before 3.14 keeps between
/// encoded words of a display name (gh-128110): cut after a space of the name, that is a
/// double space, never a space inside a word.
#[test]
fn names_in_every_script_fold_between_clusters_and_read_back() {
    use base64::Engine as _;
    use unicode_segmentation::UnicodeSegmentation;
    let env = Env::new();
    config(&env, "");
    let names = [
        "Ελένη Παπαδοπούλου",
        "தமிழ்செல்வன் ராமகிருஷ்ணன் சுப்பிரமணியம் பாலசுப்ரமணியன்",
        "Nguyễn Thị Thùy Dương Nguyễn Thị Thùy Dương Nguyễn Thị Thùy Dương Nguyễn",
        "Ana 👩🏽‍💻 Lima 🇧🇷 family 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦",
        "ეკატერინე ჯაყელი",
        "राहुल शर्मा राहुल शर्मा राहुल शर्मा",
        "محمد علي Smith",
        "דוד כהן (David)",
        "山田 太郎",
        "김민준",
        "สมชาย ใจดี สมชาย ใจดี สมชาย ใจดี",
        "Дмитрий Иванов-Петровский",
        "Զոհրաբ Սարգսյան",
    ];
    let cert = "Πιστοποιητικό ελληνικών Β2 — தமிழ் மொழி 👩🏽‍💻";
    env.ok(&["cert", "create", cert]);
    for (i, name) in names.iter().enumerate() {
        env.ok(&[
            "recipients",
            "add",
            cert,
            &format!("p{i}@example.org"),
            "--name",
            name,
        ]);
    }
    let mut python = String::from("import email, json\nfrom email import policy\n");
    for (i, name) in names.iter().enumerate() {
        let address = format!("p{i}@example.org");
        let eml = env.ok(&["preview", cert, &address, "--eml"]);
        let head = &eml[..eml.find("\r\n\r\n").expect("a header block")];
        let mut pieces = Vec::new();
        for line in head.split("\r\n") {
            assert!(line.is_ascii(), "{name}: 8-bit header line {line}");
            assert!(
                line.len() <= 78,
                "{name}: {} characters: {line}",
                line.len()
            );
        }
        let to = head
            .split("\r\n")
            .skip_while(|l| !l.starts_with("To: "))
            .take_while(|l| l.starts_with("To: ") || l.starts_with(' '))
            .collect::<Vec<_>>()
            .join(" ");
        for word in to.split(' ').filter(|w| w.starts_with("=?")) {
            assert!(word.len() <= 75, "{name}: {word}");
            let b64 = word
                .strip_prefix("=?utf-8?b?")
                .and_then(|w| w.strip_suffix("?="))
                .unwrap_or_else(|| panic!("{name}: {word}"));
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            pieces.push(String::from_utf8(bytes).expect("whole UTF-8 in each word"));
        }
        let whole: Vec<&str> = name.graphemes(true).collect();
        let cut: Vec<&str> = pieces.iter().flat_map(|p| p.graphemes(true)).collect();
        assert_eq!(cut, whole, "{name}: a cluster is cut in {pieces:?}");
        let parsed = MessageParser::default().parse(eml.as_bytes()).unwrap();
        let mailbox = parsed.to().and_then(|a| a.first()).expect("a To address");
        assert_eq!(mailbox.name().unwrap_or(""), *name);
        assert_eq!(mailbox.address().unwrap_or(""), address);
        assert_eq!(
            parsed.subject().unwrap_or(""),
            format!("Your certificate: {cert}")
        );
        let file = env.path(&format!("p{i}.eml"));
        std::fs::write(&file, &eml).unwrap();
        python.push_str(&format!(
            "m = email.message_from_bytes(open({file:?}, 'rb').read(), policy=policy.default)\n\
             a = m['To'].addresses[0]\n\
             print(json.dumps([' '.join(a.display_name.split()), a.addr_spec, str(m['Subject'])]))\n",
            file = file.display().to_string()
        ));
    }
    let Ok(out) = Proc::new("python3").arg("-c").arg(&python).output() else {
        assert!(!crate::common::required(), "python3 is required");
        eprintln!("skipped the Python check: no python3");
        return;
    };
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (i, (name, line)) in names.iter().zip(stdout.lines()).enumerate() {
        let read: Value = serde_json::from_str(line).unwrap();
        let want = json!([
            name,
            format!("p{i}@example.org"),
            format!("Your certificate: {cert}")
        ]);
        assert_eq!(read, want, "Python read another name");
    }
    assert_eq!(stdout.lines().count(), names.len());
}
