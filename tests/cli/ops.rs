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
