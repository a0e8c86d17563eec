//! Operator-facing configuration checks, end to end through the binary.

use crate::common::Env;

#[test]
fn smtp_port_zero_is_a_config_error_naming_key_and_line() {
    for (port_line, text) in [
        (
            "line 6",
            "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = 0\n",
        ),
        (
            "line 3",
            "[smtp]\nhost = \"127.0.0.1\"\nport   =   0\n\n[sender]\nfrom = \"a@example.org\"\n",
        ),
    ] {
        let env = Env::new();
        env.write_config(text);
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains(port_line), "{err}");
        assert!(err.contains("port"), "{err}");
        assert!(err.contains("1-65535"), "{err}");
    }
}

#[test]
fn impossible_smtp_ports_are_config_errors_with_their_line() {
    for port in ["65536", "-1", "99999999999999999999", "\"25\""] {
        let env = Env::new();
        env.write_config(&format!(
            "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"h\"\nport = {port}\n"
        ));
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains("line 6"), "port {port}: {err}");
    }
}

#[test]
fn smtp_without_sender_from_is_refused() {
    for text in [
        "[smtp]\nhost = \"127.0.0.1\"\nport = 25\n",
        "[sender]\nreply_to = \"r@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\n",
        "[sender]\nfrom = \"  \"\n\n[smtp]\nhost = \"127.0.0.1\"\n",
    ] {
        let env = Env::new();
        env.write_config(text);
        let err = env.fails(&["cert", "list"]);
        assert!(err.contains("[sender] from"), "{err}");
        assert!(err.contains("[smtp]"), "{err}");
    }
    // The same [smtp] with a sender is accepted.
    let env = Env::new();
    env.write_config(
        "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = 25\n",
    );
    env.ok(&["cert", "list"]);
}

/// Run `args` with stdout read for a few bytes and then closed, as `| head -c 10` does.
fn into_closed_pipe(env: &Env, args: &[&str]) -> std::process::Output {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .current_dir(env.dir.path())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here: the next writes meet a broken pipe.
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_is_success_for_every_listing_and_format() {
    let env = Env::new();
    env.ok(&["cert", "create", "Pipe"]);
    let mut csv = String::from("email,name\n");
    for i in 0..3000 {
        csv.push_str(&format!("person{i}@example.org,Person {i}\n"));
    }
    let file = env.path("many.csv");
    std::fs::write(&file, csv).unwrap();
    env.ok(&["recipients", "import", "Pipe", file.to_str().unwrap()]);
    env.ok(&["send", "Pipe"]);
    for format in ["json", "csv", "table"] {
        for command in [
            &["recipients", "list", "Pipe"][..],
            &["events", "list", "Pipe"][..],
            &["export", "Pipe"][..],
        ] {
            if command[0] == "export" && format == "table" {
                continue;
            }
            let mut args = command.to_vec();
            args.extend(["--format", format]);
            let out = into_closed_pipe(&env, &args);
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{args:?}: {:?} {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn deleting_asks_and_no_leaves_everything_as_it_was() {
    use crate::tty::on_terminal;
    let env = Env::new();
    env.with_example("Rust");
    let before = env.recipients("Rust").len();
    let ana = "ana.silva@example.org";
    for (args, what) in [
        (&["cert", "delete", "Rust"][..], "Not deleted"),
        (&["recipients", "remove", "Rust", ana][..], "Not removed"),
    ] {
        for no in ["n\n", "\n", "nope\n", "N\n"] {
            let Some(run) = on_terminal(&env, args, 100, no) else {
                return;
            };
            assert_eq!(run.code, 0, "{args:?} {no:?}: {}", run.screen);
            assert!(run.screen.contains("[y/N]"), "{}", run.screen);
            assert!(run.screen.contains(what), "{}", run.screen);
            assert!(!run.screen.contains("error"), "{}", run.screen);
            assert!(!run.screen.contains("terminal"), "{}", run.screen);
            assert_eq!(env.recipients("Rust").len(), before);
        }
        // Off a terminal, without --yes: refused, nothing changed, and the error says how.
        let err = env.fails(args);
        assert!(
            err.contains("--yes") && err.contains("nothing was changed"),
            "{err}"
        );
        assert_eq!(env.recipients("Rust").len(), before);
    }
    // Answered yes on a terminal: done.
    let run = on_terminal(&env, &["recipients", "remove", "Rust", ana], 100, "y\n").unwrap();
    assert_eq!(run.code, 0, "{}", run.screen);
    assert_eq!(env.recipients("Rust").len(), before - 1);
    let run = on_terminal(&env, &["cert", "delete", "Rust"], 100, "yes\n").unwrap();
    assert_eq!(run.code, 0, "{}", run.screen);
    assert!(env.json(&["cert", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn ids_of_deleted_certificates_and_recipients_are_never_given_again() {
    let env = Env::new();
    env.with_example("First");
    env.ok(&["cert", "create", "Second"]);
    let id_of = |name: &str| -> i64 {
        env.json(&["cert", "list"])
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let second = id_of("Second");
    env.ok(&["cert", "delete", "Second", "--yes"]);
    env.ok(&["cert", "create", "Third"]);
    assert!(id_of("Third") > second, "id {second} was given again");
    // `send <id>` of the deleted certificate finds nothing instead of another certificate.
    let err = env.fails(&["send", &second.to_string()]);
    assert!(err.contains(&second.to_string()), "{err}");

    // Recipient ids are internal (no listing shows them): read them from the database file.
    let max_recipient = || -> i64 {
        rusqlite::Connection::open(&env.db)
            .unwrap()
            .query_row("SELECT max(id) FROM recipients", [], |r| r.get(0))
            .unwrap()
    };
    let newest = max_recipient();
    let email = env.recipients("First").last().unwrap()["email"]
        .as_str()
        .unwrap()
        .to_owned();
    env.ok(&["recipients", "remove", "First", &email, "--yes"]);
    assert!(max_recipient() < newest, "{email} was not the newest");
    env.ok(&["recipients", "add", "First", "late@example.org"]);
    assert!(
        max_recipient() > newest,
        "recipient id {newest} was given again"
    );
}

/// Each bad value: the config text, the line the error must name, and words it must contain.
const BAD_VALUES: &[(&str, &str, &[&str])] = &[
    (
        "[serve]\nbase_url = \"certs.acme.example\"\n",
        "line 2",
        &["[serve] base_url", "https://"],
    ),
    (
        "[serve]\nbase_url = \"ftp://certs.acme.example\"\n",
        "line 2",
        &["[serve] base_url", "http(s)"],
    ),
    (
        "[issuer]\nname = \"A\"\nurl = \"acme.example\"\n",
        "line 3",
        &["[issuer] url", "https://"],
    ),
    (
        "[serve]\nlisten = \"8080\"\n",
        "line 2",
        &["[serve] listen", "127.0.0.1:8080"],
    ),
    (
        "[serve]\nlisten = \"127.0.0.1:99999\"\n",
        "line 2",
        &["[serve] listen", "65535"],
    ),
    (
        "[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhost = \"h\"\nport = \"five\"\n",
        "line 6",
        &["[smtp] port", "1-65535"],
    ),
    (
        "[sender]\nfrom = \"a@example.org\"\n[smtp]\nhost = \"h\"\nconnections = 0\n",
        "line 5",
        &["[smtp] connections", "1-64"],
    ),
    (
        "[sender]\nfrom = \"a@example.org\"\n[smtp]\nhost = \"h\"\nsecurity = \"ssl\"\n",
        "line 5",
        &["[smtp] security", "starttls"],
    ),
    (
        "[refresh]\n\nsettle = \"99999999999999d\"\n",
        "line 3",
        &["[refresh] settle", "ten years"],
    ),
    (
        "[refresh]\nsettle = \"3651d\"\n",
        "line 2",
        &["[refresh] settle", "ten years"],
    ),
    (
        "[refresh]\nsettle = \"soon\"\n",
        "line 2",
        &["[refresh] settle", "30m"],
    ),
    (
        "[refresh]\nsettle = 3600\n",
        "line 2",
        &["[refresh] settle", "\"1h\""],
    ),
    (
        "[refresh]\nmaildirs = \"/var/mail/bounces\"\n",
        "line 2",
        &["[refresh] maildirs", "list"],
    ),
    (
        "[sender]\nfrom = \"a@example.org\"\ndkim_key = \"no-such-key.pem\"\n",
        "line 3",
        &["[sender] dkim_key", "not a file"],
    ),
    (
        "[guardrail]\n\nmax_hard_bounces = \"150%\"\n",
        "line 3",
        &["[guardrail] max_hard_bounces", "from 0 to 100", "\"5%\""],
    ),
    (
        "[guardrail]\nmax_hard_bounces = \"a few\"\n",
        "line 2",
        &[
            "[guardrail] max_hard_bounces",
            "'a few' is not a percentage",
        ],
    ),
    (
        "[guardrail]\nmax_hard_bounces = -1\n",
        "line 2",
        &["[guardrail] max_hard_bounces", "-1 is not a percentage"],
    ),
    (
        "[guardrail]\nmax_hard_bounces = true\n",
        "line 2",
        &["[guardrail] max_hard_bounces", "max_hard_bounces = \"5%\""],
    ),
    (
        "[guardrail]\nmax_hard_bounce = \"5%\"\n",
        "line 2",
        &["max_hard_bounce", "max_hard_bounces"],
    ),
];

#[test]
fn every_bad_config_value_names_key_line_and_a_hint() {
    for (text, line, words) in BAD_VALUES {
        let env = Env::new();
        env.write_config(text);
        // Every command refuses it (not only the one that would use the value), and none panics.
        for args in [&["cert", "list"][..], &["refresh"][..], &["stats"][..]] {
            let err = env.fails(args);
            assert!(err.contains(line), "{text:?}: {err}");
            assert!(err.contains("config.toml"), "{text:?}: {err}");
            for w in *words {
                assert!(err.contains(w), "{text:?} lacks {w:?}: {err}");
            }
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // The good forms of the same keys are accepted.
    let env = Env::new();
    env.write_config(
        "[serve]\nbase_url = \"https://certs.acme.example/\"\nlisten = \"[::1]:8080\"\n\n\
         [issuer]\nurl = \"http://acme.example\"\n\n[refresh]\nsettle = \"3650d\"\n\n\
         [guardrail]\nmax_hard_bounces = \"2.5 %\"\n",
    );
    env.ok(&["cert", "list"]);
    for n in ["0", "100", "12", "0.1"] {
        env.write_config(&format!("[guardrail]\nmax_hard_bounces = {n}\n"));
        env.ok(&["cert", "list"]);
    }
}

#[test]
fn a_missing_config_or_database_named_on_the_command_line_or_in_the_environment_is_an_error() {
    let env = Env::new();
    let missing = env.path("conf/missing.toml");
    let err = env.fails(&["--config", missing.to_str().unwrap(), "cert", "list"]);
    assert!(
        err.contains("missing.toml") && err.contains("no such file"),
        "{err}"
    );
    // Also after the subcommand (a global option).
    let err = env.fails(&["cert", "list", "--config", missing.to_str().unwrap()]);
    assert!(err.contains("no such file"), "{err}");

    let typo = env.path("data/certsat.db");
    for args in [
        &["cert", "list"][..],
        &["cert", "create", "X"][..],
        &["send", "1"][..],
        &["stats"][..],
        &["refresh"][..],
    ] {
        let mut all = vec!["--db", typo.to_str().unwrap()];
        all.extend_from_slice(args);
        let err = env.fails(&all);
        assert!(err.contains("certstat init"), "{args:?}: {err}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    // `init` creates it; then every command uses it.
    env.ok(&["--db", typo.to_str().unwrap(), "init"]);
    env.ok(&["--db", typo.to_str().unwrap(), "cert", "create", "X"]);

    // The same through the environment: a CERTSTAT_DB that does not exist is refused by
    // every command but `init`, with the hint to run `init` with it.
    let typo = env.path("data/certstat.bd");
    let run = |vars: &[(&str, &std::path::Path)], args: &[&str]| {
        let mut cmd = env.cmd();
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.args(args).output().unwrap()
    };
    for args in [
        &["cert", "list"][..],
        &["cert", "create", "X"][..],
        &["recipients", "list", "X"][..],
        &["send", "1"][..],
        &["stats"][..],
        &["refresh"][..],
        &["serve"][..],
    ] {
        let out = run(&[("CERTSTAT_DB", &typo)], args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        let hint = format!("CERTSTAT_DB={} certstat init", typo.display());
        assert!(
            err.contains("CERTSTAT_DB is")
                && err.contains("no such database")
                && err.contains(&hint),
            "{args:?}: {err}"
        );
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    // A CERTSTAT_CONFIG that does not exist, likewise (the file is named, and how to get one).
    let missing = env.path("conf/nowhere.toml");
    for args in [&["cert", "list"][..], &["stats"][..], &["serve"][..]] {
        let out = run(&[("CERTSTAT_CONFIG", &missing)], args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("CERTSTAT_CONFIG is")
                && err.contains("nowhere.toml")
                && err.contains("certstat init"),
            "{args:?}: {err}"
        );
    }
    // `init` with the variable creates the database; then every command uses it.
    assert!(run(&[("CERTSTAT_DB", &typo)], &["init"]).status.success());
    assert!(
        run(&[("CERTSTAT_DB", &typo)], &["cert", "create", "X"])
            .status
            .success()
    );
    // The default location (neither flag nor variable) is created on first use, as before.
    let out = env
        .cmd()
        .env_remove("CERTSTAT_DB")
        .env_remove("CERTSTAT_CONFIG")
        .args(["cert", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(env.path("xdg-data/certstat/certstat.db").exists());
}

#[test]
fn bad_argument_values_are_usage_errors_naming_the_option() {
    let env = Env::new();
    env.with_example("Rust");
    let ana = "ana.silva@example.org";
    for args in [
        &["events", "list", "Rust", "--since", "yesterday"][..],
        &["events", "list", "Rust", "--since", "2026-13-45"][..],
        &["send", "Rust", "--rate", "fast"][..],
        &["send", "Rust", "--rate", "1e-300"][..],
        &["send", "Rust", "--rate", "1e308"][..],
        &["send", "Rust", "--rate", "NaN"][..],
        &["send", "Rust", "--rate", "inf"][..],
        &["send", "Rust", "--rate", "0"][..],
        &["send", "Rust", "--limit", "-1"][..],
        &["send", "Rust", "--limit", "99999999999999999999999"][..],
        &["send", "Rust", "--connections", "0"][..],
        &["refresh", "--settle", "30500568904944w"][..],
        &["refresh", "--settle", "99999999999999d"][..],
        &["refresh", "--settle", "1.5h"][..],
        &["cert", "edit", "Rust", "--valid-for", "4294967295d"][..],
        &["cert", "edit", "Rust", "--valid-for", "11y"][..],
        &["cert", "edit", "Rust", "--expires", "someday"][..],
        &["serve", "--base-url", "certs.acme.example"][..],
        &["serve", "--listen", "localhost"][..],
        &["publish", "Rust", "--out", "site", "--base-url", "acme"][..],
        &["recipients", "import", "Rust", "x.csv", "--delimiter", "ab"][..],
        &["preview", "Rust", ana, "--format", "pdf"][..],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("error: invalid value") || err.contains("error: unexpected"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn extreme_values_of_every_numeric_and_duration_option_never_panic() {
    let env = Env::new();
    env.with_example("Rust");
    let extremes = [
        "1e-300",
        "1e308",
        "-1",
        "0",
        "18446744073709551616",
        "99999999999999999999999999",
        "NaN",
        "inf",
        "-inf",
        "",
    ];
    // Each option with the suffixes it may carry (so a huge number reaches the unit check).
    let options: [(&[&str], &str, &[&str]); 7] = [
        (&["send", "Rust", "--dry-run"], "--rate", &["", "/s"]),
        (&["send", "Rust", "--dry-run"], "--limit", &[""]),
        (&["send", "Rust", "--dry-run"], "--connections", &[""]),
        (
            &["refresh", "--dry-run"],
            "--settle",
            &["s", "m", "h", "d", "w", ""],
        ),
        (
            &["cert", "edit", "Rust"],
            "--valid-for",
            &["d", "w", "mo", "y", ""],
        ),
        (&["cert", "edit", "Rust"], "--expires", &["", "-01-01"]),
        (&["events", "list", "Rust"], "--since", &["", "-01-01"]),
    ];
    for (command, option, suffixes) in options {
        for value in extremes {
            for suffix in suffixes {
                let mut args = command.to_vec();
                let given = format!("{value}{suffix}");
                let pair = format!("{option}={given}");
                args.push(&pair);
                let out = env.cmd().args(&args).output().unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                let code = out.status.code();
                assert!(!err.contains("panicked"), "{args:?}: {err}");
                match code {
                    Some(0) => {}
                    Some(2) => assert!(err.contains(option), "{args:?}: {err}"),
                    Some(1) => assert!(err.starts_with("certstat: error:"), "{args:?}: {err}"),
                    _ => panic!("{args:?} exited {code:?}: {err}"),
                }
            }
        }
    }
}

#[test]
fn one_status_vocabulary_in_and_out() {
    let env = Env::new();
    env.with_example("Rust");
    let all = env.recipients("Rust").len();
    assert!(all > 1);
    // Input: any case and separator, and the table's label as written.
    for spelling in [
        "Not Sent",
        "not sent",
        "not-sent",
        "not_sent",
        "NOT_SENT",
        "NotSent",
        " not sent ",
    ] {
        let listed = env.json(&["recipients", "list", "Rust", "--status", spelling]);
        assert_eq!(listed.as_array().unwrap().len(), all, "{spelling}");
    }
    for spelling in [
        "Bounced",
        "bounced",
        "BOUNCED",
        "Claimed",
        "pending",
        "Delivered",
    ] {
        env.json(&["recipients", "list", "Rust", "--status", spelling]);
    }
    let out = env
        .cmd()
        .args(["recipients", "list", "Rust", "--status", "sent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not_sent, pending, delivered, bounced or claimed"),
        "{err}"
    );
    // Output: tables show labels; CSV and JSON the keys, in every command that shows a status.
    let table = env.ok(&["recipients", "list", "Rust"]);
    assert!(
        table.contains("Not Sent") && !table.contains("not_sent"),
        "{table}"
    );
    let csv = env.ok(&["recipients", "list", "Rust", "--format", "csv"]);
    assert!(
        csv.contains(",not_sent,") && !csv.contains("Not Sent"),
        "{csv}"
    );
    let json = env.json(&["recipients", "list", "Rust"]);
    assert_eq!(json[0]["status"], "not_sent");
    let export = env.ok(&["export", "Rust"]);
    assert!(
        export.contains(",not_sent,") && !export.contains("Not Sent"),
        "{export}"
    );
    let export = env.json(&["export", "Rust"]);
    assert_eq!(export[0]["status"], "not_sent");
    let stats = env.ok(&["stats", "Rust", "--format", "csv"]);
    assert!(!stats.contains("Not Sent"), "{stats}");
    let show = env.ok(&["cert", "show", "Rust"]);
    assert!(show.contains("Not Sent"), "{show}");
}

#[test]
fn the_funnel_is_monotone_and_pending_delays_are_evidence() {
    use serde_json::json;
    let env = Env::new();
    env.with_example("Rust");
    let people = env.recipients("Rust");
    let email = |i: usize| people[i]["email"].as_str().unwrap().to_owned();
    let line = |i: usize, kind: &str, minute: u32, detail: serde_json::Value| {
        json!({"certificate": "Rust", "email": email(i), "kind": kind,
               "at": format!("2026-11-26T10:{minute:02}:00Z"), "source": "web", "detail": detail})
        .to_string()
    };
    let lines = [
        // 0: sent, its click looked like a machine, then claimed: a person all the same.
        line(0, "sent", 0, json!({})),
        line(0, "clicked", 1, json!({"machine": true})),
        line(0, "claimed", 2, json!({})),
        // 1: downloaded from a link passed on, no open or click recorded at all.
        line(1, "sent", 0, json!({})),
        line(1, "downloaded", 5, json!({"format": "pdf"})),
        // 2: a human click with no open pixel (images off): a click is an open.
        line(2, "sent", 0, json!({})),
        line(2, "clicked", 3, json!({"machine": false})),
        // 3: sent, then a delay notice: Pending with a reason.
        line(3, "sent", 0, json!({})),
        line(3, "delayed", 4, json!({"reason": "4.2.2 mailbox full"})),
    ];
    let file = env.path("events.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    env.ok(&["events", "import", file.to_str().unwrap()]);
    let s = env.json(&["stats", "Rust"]);
    let count = |v: &serde_json::Value| v["count"].as_u64().unwrap();
    let (claimed, clicked, opened) = (
        count(&s["claimed"]),
        count(&s["email"]["clicked"]),
        count(&s["email"]["opened"]),
    );
    assert_eq!((claimed, clicked, opened), (1, 3, 3), "{s:#}");
    assert!(claimed <= clicked && clicked <= opened);
    assert_eq!(s["email"]["machine_clicked"]["count"], 1);
    assert_eq!(s["evidence"]["pending_delayed"], 1, "{s:#}");
    let page = env.ok(&["stats", "Rust"]);
    assert!(page.contains("1 delayed"), "{page}");
    assert!(
        page.contains("Shared or downloaded") && !page.contains("Shared &"),
        "{page}"
    );
}

/// A CERTSTAT_DB or CERTSTAT_CONFIG that is set but empty (a cron line's `CERTSTAT_DB=$DB`
/// with $DB unset) is refused, naming the variable, rather than quietly using the default
/// files; the flag still wins over it. An empty file made beforehand becomes a private
/// database (mode 0600), as a new one does.
#[test]
fn empty_path_variables_are_refused_and_an_empty_database_file_is_made_private() {
    let env = Env::new();
    env.ok(&["init"]);
    for var in ["CERTSTAT_DB", "CERTSTAT_CONFIG"] {
        for args in [&["cert", "list"][..], &["init"][..], &["stats"][..]] {
            let out = env.cmd().env(var, "").args(args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{var} {args:?}: {err}");
            assert!(err.contains(&format!("{var} is set but empty")), "{err}");
        }
    }
    assert!(!env.path("xdg-data/certstat/certstat.db").exists());
    let db = env.path("flag.db");
    let out = env
        .cmd()
        .env("CERTSTAT_DB", "")
        .args(["--db", db.to_str().unwrap(), "init"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let made = env.path("made-before.db");
        std::fs::write(&made, "").unwrap();
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o644)).unwrap();
        env.ok(&["--db", made.to_str().unwrap(), "init"]);
        let mode = std::fs::metadata(&made).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
        env.ok(&["--db", made.to_str().unwrap(), "cert", "create", "X"]);
    }
}

/// A config file that is not UTF-8 names the file, the line and column of the first bad byte,
/// and says to save it as UTF-8 (Latin-1 in a value, in a comment, a UTF-16 file); a folder
/// given as the config file says to name the file.
#[test]
fn a_config_file_that_is_not_utf8_or_is_a_folder_is_named_with_line_and_column() {
    for (bytes, place) in [
        (
            &b"[issuer]\nname = \"Acad\xe9mie\"\n"[..],
            "line 2, column 13",
        ),
        (&b"# caf\xe9\n[serve]\n"[..], "line 1, column 6"),
        (&b"\xff\xfe[\x00s\x00"[..], "line 1, column 1"),
    ] {
        let env = Env::new();
        std::fs::write(&env.config, bytes).unwrap();
        for args in [&["-q", "cert", "list"][..], &["-q", "refresh"][..]] {
            let err = env.fails(args);
            assert!(err.contains("config.toml"), "{err}");
            assert!(
                err.contains(place) && err.contains("UTF-8"),
                "{place}: {err}"
            );
        }
    }
    let env = Env::new();
    std::fs::remove_file(&env.config).unwrap();
    std::fs::create_dir(&env.config).unwrap();
    let err = env.fails(&["-q", "stats"]);
    assert!(
        err.contains("config.toml") && err.contains("is a directory"),
        "{err}"
    );
    assert!(err.contains("name the config file"), "{err}");
}

/// `--out` naming an existing file (not a folder) is refused naming it, for `render` in every
/// format and for `publish`, before anything is written.
#[test]
fn out_naming_a_file_is_refused_with_what_to_give() {
    let env = Env::new();
    env.write_config("[serve]\nbase_url = \"https://certs.acme.example\"\n");
    env.ok(&["cert", "create", "Rust"]);
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "ana@example.org",
        "--name",
        "Ana",
    ]);
    let file = env.path("taken.txt");
    std::fs::write(&file, "keep me").unwrap();
    let out = file.to_str().unwrap();
    for args in [
        vec!["render", "Rust", "--out", out, "--format", "svg"],
        vec![
            "render",
            "Rust",
            "ana@example.org",
            "--out",
            out,
            "--format",
            "png",
        ],
        vec!["render", "Rust", "--out", out, "--format", "pdf"],
        vec!["publish", "Rust", "--out", out],
    ] {
        let mut all = vec!["-q"];
        all.extend(&args);
        let err = env.fails(&all);
        assert!(
            err.contains("taken.txt is a file") && err.contains("name a folder"),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    }
}
