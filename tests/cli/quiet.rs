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
