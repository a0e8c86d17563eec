//! `-q` prints nothing but errors: every subcommand, and the README's cron lines as written.

use std::path::Path;
use std::process::Output;

use crate::common::{Env, fixture};

const CERT: &str = "Intro to Rust";
const ANA: &str = "ana.silva@example.org";

/// A configuration with a bounce Maildir in `[refresh]`, as the README's cron setup has.
fn env_with_sources() -> Env {
    let env = Env::new();
    let maildir = env.path("bounces");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    env.write_config(&format!(
        "[serve]\nbase_url = \"https://certs.acme.example\"\n\n[issuer]\nname = \"ACME Training\"\n\n\
         [refresh]\nmaildirs = [\"{}\"]\n",
        maildir.display()
    ));
    env
}

fn assert_silent(args: &[&str], out: &Output) {
    assert!(
        out.status.success(),
        "certstat {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "certstat {args:?} is not quiet:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn quiet(env: &Env, args: &[&str]) {
    let out = env.cmd().arg("-q").args(args).output().unwrap();
    assert_silent(args, &out);
}

/// A command's output without what differs from one run to the next (a preview's fresh
/// Message-ID, MIME boundary and Date).
fn stable(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    let boundary = text
        .split("boundary=\"")
        .nth(1)
        .and_then(|b| b.split('"').next())
        .unwrap_or("\u{0}")
        .to_owned();
    text.lines()
        .filter(|l| {
            !(l.starts_with("Date:")
                || l.starts_with("Message-ID:")
                || l.starts_with("X-Certstat-Id:"))
        })
        .map(|l| l.replace(&boundary, "BOUNDARY"))
        .collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A command that changes something: silent under -q.
const ACTION: bool = false;
/// A command whose output is the data asked for (a listing, a show, an export, a preview).
const DATA: bool = true;

/// Every subcommand under -q: the commands that change things print nothing at all; the
/// data commands print their data and nothing else.
#[test]
fn every_subcommand_is_silent_under_quiet() {
    let env = env_with_sources();
    let recipients = fixture("../../examples/recipients.csv");
    let events = env.path("events.jsonl");
    std::fs::write(
        &events,
        format!(
            "{}\n",
            serde_json::json!({"certificate": CERT, "email": ANA, "kind": "opened",
                "at": "2026-11-26T10:00:00Z", "source": "web", "detail": {"machine": false}})
        ),
    )
    .unwrap();
    let (docs, site, export) = (env.path("docs"), env.path("site"), env.path("export.csv"));
    let steps: Vec<(bool, Vec<&str>)> = vec![
        (ACTION, vec!["init"]),
        (
            ACTION,
            vec!["cert", "create", CERT, "--issuer", "ACME Training"],
        ),
        (ACTION, vec!["cert", "create", "Other"]),
        (DATA, vec!["cert", "list"]),
        (DATA, vec!["cert", "show", CERT]),
        (
            ACTION,
            vec!["cert", "edit", CERT, "--description", "Three days of Rust"],
        ),
        (ACTION, vec!["recipients", "import", CERT, &recipients]),
        (
            ACTION,
            vec![
                "recipients",
                "add",
                CERT,
                "new@example.org",
                "--name",
                "New",
            ],
        ),
        (
            ACTION,
            vec![
                "recipients",
                "edit",
                CERT,
                "new@example.org",
                "--name",
                "Newer",
            ],
        ),
        (DATA, vec!["recipients", "list", CERT]),
        (DATA, vec!["recipients", "list", CERT, "--format", "json"]),
        (DATA, vec!["preview", CERT, ANA]),
        (DATA, vec!["preview", CERT, ANA, "--eml"]),
        (ACTION, vec!["send", CERT, "--dry-run"]),
        (ACTION, vec!["send", CERT]),
        (ACTION, vec!["send", CERT, "--format", "json"]),
        (ACTION, vec!["refresh"]),
        (ACTION, vec!["refresh", "--dry-run"]),
        (ACTION, vec!["events", "import", s(&events)]),
        (DATA, vec!["events", "list", CERT]),
        (DATA, vec!["stats"]),
        (DATA, vec!["stats", CERT]),
        (DATA, vec!["stats", CERT, "--format", "csv"]),
        (DATA, vec!["export", CERT]),
        (ACTION, vec!["export", CERT, "--output", s(&export)]),
        (
            ACTION,
            vec!["render", CERT, ANA, "--out", s(&docs), "--format", "svg"],
        ),
        (ACTION, vec!["publish", CERT, "--out", s(&site)]),
        (DATA, vec!["keys", "show"]),
        (ACTION, vec!["keys", "rotate"]),
        (
            ACTION,
            vec![
                "recipients",
                "revoke",
                CERT,
                ANA,
                "--reason",
                "issued in error",
            ],
        ),
        (ACTION, vec!["recipients", "unrevoke", CERT, ANA]),
        (
            ACTION,
            vec!["recipients", "remove", CERT, "new@example.org", "--yes"],
        ),
        (DATA, vec!["completions", "bash"]),
        (DATA, vec!["man"]),
        (ACTION, vec!["cert", "delete", "Other", "--yes"]),
    ];
    for (data, args) in &steps {
        if *data {
            // A data command's data is what was asked for: -q keeps it, and drops only the
            // messages (the same bytes on stdout as without -q, nothing on stderr).
            let out = env.cmd().arg("-q").args(args).output().unwrap();
            let plain = env.cmd().args(args).output().unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.stderr.is_empty(),
                "{args:?} said: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!out.stdout.is_empty(), "{args:?} wrote no data under -q");
            assert_eq!(
                stable(&out.stdout),
                stable(&plain.stdout),
                "{args:?}: -q changed the data"
            );
        } else {
            quiet(&env, args);
        }
    }
    // What the quiet commands did, they did: files written, recipients sent.
    assert!(std::fs::metadata(&export).unwrap().len() > 0);
    assert!(site.join("index.html").exists() || site.read_dir().unwrap().next().is_some());
    let doc = std::fs::read_dir(&docs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    quiet(&env, &["verify", s(&doc)]);
    let list = env.recipients(CERT);
    assert!(list.iter().all(|r| r["status"] != "not_sent"), "{list:?}");
    assert!(env.json(&["cert", "list"]).as_array().unwrap().len() == 1);
}

#[test]
fn quiet_still_prints_errors() {
    let env = env_with_sources();
    let out = env
        .cmd()
        .args(["-q", "send", "No such certificate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("certstat: error:"), "{err}");
}

/// The commands of the README's ```cron blocks (schedule fields and trailing comments removed).
fn readme_cron_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut inside = false;
    let mut commands = Vec::new();
    for line in readme.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            inside = t == "```cron";
            continue;
        }
        if !inside || t.is_empty() || t.starts_with('#') {
            continue;
        }
        // Five schedule fields, then the command.
        let mut rest = t;
        for _ in 0..5 {
            let end = rest
                .find(char::is_whitespace)
                .unwrap_or_else(|| panic!("not a crontab line: {t}"));
            rest = rest[end..].trim_start();
        }
        let command = rest.split(" #").next().unwrap().trim();
        commands.push(command.to_string());
    }
    commands
}

#[test]
fn the_readme_cron_lines_print_nothing() {
    let commands = readme_cron_commands();
    assert!(
        commands.iter().any(|c| c.contains(" send "))
            && commands.iter().any(|c| c.contains("refresh")),
        "the README's cron lines: {commands:?}"
    );
    let env = env_with_sources();
    env.with_example(CERT);
    // The README's reminder lines need an expiry date within their windows.
    let soon = (chrono::Utc::now() + chrono::Duration::days(5))
        .format("%Y-%m-%d")
        .to_string();
    env.ok(&["cert", "edit", CERT, "--expires", &soon]);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_certstat")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Twice: the first run sends and reads, the second finds nothing to do.
    for round in 0..2 {
        for command in &commands {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(command)
                .env_clear()
                .env("PATH", &path)
                .env("HOME", env.dir.path())
                .env("CERTSTAT_DB", &env.db)
                .env("CERTSTAT_CONFIG", &env.config)
                .current_dir(env.dir.path())
                .output()
                .unwrap();
            assert_silent(&[command.as_str(), &format!("round {round}")], &out);
        }
    }
    let list = env.recipients(CERT);
    assert!(list.iter().all(|r| r["status"] != "not_sent"), "{list:?}");
}

#[test]
fn verbose_adds_detail_and_very_verbose_more() {
    let stderr = |level: &[&str], args: &[&str]| {
        let env = env_with_sources();
        env.with_example(CERT);
        let out = env.cmd().args(level).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    };
    let send = ["send", CERT];
    let (plain, v, vv) = (
        stderr(&[], &send),
        stderr(&["-v"], &send),
        stderr(&["-vv"], &send),
    );
    assert!(!plain.contains(ANA), "{plain}");
    assert!(v.contains(&format!("{ANA}: sent")), "{v}");
    assert!(!v.contains("database "), "{v}");
    assert!(
        vv.contains(&format!("{ANA}: sent")) && vv.contains("database "),
        "{vv}"
    );
}

#[test]
fn serve_is_silent_under_quiet_from_start_to_stop() {
    let env = env_with_sources();
    env.with_example(CERT);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .args(["-q", "serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_silent(&["-q", "serve"], &out);
}

/// Rows that `--skip-invalid` leaves out are warnings about an import that went ahead: named
/// (`file:line`) without -q, silent under -q (a cron import mails nothing), for every kind of
/// bad row and for a dry run too. Without `--skip-invalid` they are the command's error and
/// print under -q as well.
#[test]
fn rows_skipped_by_skip_invalid_are_warnings_silent_under_quiet() {
    let fresh = || {
        let env = Env::new();
        env.ok(&["-q", "cert", "create", CERT]);
        env
    };
    for (file, line) in [
        ("invalid_emails.csv", "invalid_emails.csv:3:1"),
        ("duplicate_in_file.csv", "duplicate_in_file.csv:4"),
        ("ragged.csv", "ragged.csv:3:4"),
    ] {
        let path = fixture(&format!("csv/{file}"));
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec!["recipients", "import", CERT, &path, "--skip-invalid"];
            args.extend(extra);
            quiet(&fresh(), &args);
            let out = fresh().cmd().args(&args).output().unwrap();
            assert!(out.status.success(), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.lines()
                    .any(|l| l.starts_with("certstat: warning: ") && l.contains(line)),
                "{args:?}: {err}"
            );
            let refused = fresh()
                .cmd()
                .args(["-q", "recipients", "import", CERT, &path])
                .args(extra)
                .output()
                .unwrap();
            assert_eq!(refused.status.code(), Some(1), "{file} {extra:?}");
            let err = String::from_utf8_lossy(&refused.stderr);
            assert!(err.contains(line) && err.contains("error:"), "{err}");
        }
    }
}

/// A minimal SMTP server on loopback that accepts every command and answers the end of each
/// message's data with `final_reply`; its port.
fn fake_smtp(final_reply: &'static str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut out) = conn else { return };
            std::thread::spawn(move || {
                let reader = BufReader::new(out.try_clone().unwrap());
                let _ = out.write_all(b"220 fake ESMTP\r\n");
                let mut data = false;
                for line in reader.lines() {
                    let Ok(line) = line else { return };
                    let reply: &str = if data {
                        if line != "." {
                            continue;
                        }
                        data = false;
                        final_reply
                    } else {
                        let up = line.to_ascii_uppercase();
                        if up.starts_with("EHLO") {
                            "250-fake\r\n250 PIPELINING"
                        } else if up.starts_with("DATA") {
                            data = true;
                            "354 go on"
                        } else if up.starts_with("QUIT") {
                            let _ = out.write_all(b"221 bye\r\n");
                            return;
                        } else {
                            "250 ok"
                        }
                    };
                    if out.write_all(format!("{reply}\r\n").as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

/// What a cron job sees of a run that did not go through: `-q` prints no summary, so the one
/// error line must say why on its own. A run stopped by a refusal aimed at the sender (`send`
/// and `remind`) names the refusal; a run whose messages failed for good names the first
/// error. Nothing on stdout, exit 1.
#[test]
fn a_quiet_run_that_stops_or_fails_says_why_in_its_one_error_line() {
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "send",
            "554 5.7.1 Message rejected as spam",
            &["stopped early", "5.7.1", "spam"],
        ),
        (
            "remind",
            "554 5.7.1 Message rejected as spam",
            &["stopped early", "5.7.1", "spam"],
        ),
        (
            "send",
            "451 4.3.0 Local error in processing",
            &["failed", "451 4.3.0"],
        ),
    ];
    for (command, reply, words) in cases {
        let env = Env::new();
        env.ok(&["cert", "create", CERT]);
        for who in ["a@example.org", "b@example.org", "c@example.org"] {
            env.ok(&["recipients", "add", CERT, who]);
        }
        if command == "remind" {
            // The first emails through the outbox, a week and a day before the reminders.
            let sent = env
                .cmd()
                .env("CERTSTAT_NOW", "2026-03-01T09:00:00Z")
                .args(["-q", "send", CERT])
                .output()
                .unwrap();
            assert!(sent.status.success(), "{sent:?}");
        }
        env.write_config(&format!(
            "[sender]\nfrom = \"ACME <certs@example.test>\"\n\n[serve]\nbase_url = \
             \"https://certs.acme.example\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\n\
             security = \"none\"\n",
            fake_smtp(reply)
        ));
        let out = env
            .cmd()
            .env("CERTSTAT_NOW", "2026-03-09T09:00:00Z")
            .env("CERTSTAT_SEND_BACKOFF_MS", "5")
            .args(["-q", command, CERT])
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(1), "{command} {reply}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one error line: {stderr}");
        for w in words {
            assert!(
                lines[0].contains(w),
                "{command} {reply}: no '{w}' in: {stderr}"
            );
        }
    }
}
