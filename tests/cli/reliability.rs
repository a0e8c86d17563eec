//! Hostile and clumsy input: quoting mistakes, runaway templates, terminal escapes, odd
//! addresses, standard input and FIFOs, signals, and a full disk.

use crate::common::Env;

fn env_with_cert() -> Env {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env
}

/// Write `text` to a file in the test's directory and return its path.
fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `recipients import` of `text` fails with exit 1 and imports nothing; returns stderr.
fn import_refused(env: &Env, text: &str) -> String {
    let path = write(env, "in.csv", text);
    let err = env.fails(&["recipients", "import", "Rust", &path]);
    assert!(env.recipients("Rust").is_empty(), "nothing imported: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn an_unclosed_quote_anywhere_names_its_line_and_imports_nothing() {
    let env = env_with_cert();
    let cases: &[(&str, &str)] = &[
        // In the name: the rows after it would become part of Ana's name.
        (
            "email,name\na@x.org,\"Ana\nb@x.org,Bo\nc@x.org,Cy\nd@x.org,Di\n",
            "in.csv:2:",
        ),
        // In another field: the case that used to add 2 of 4 with exit 0.
        (
            "email,city,name\na@x.org,Porto,Ana\nb@x.org,\"Lisboa,Bo\nc@x.org,Faro,Cy\nd@x.org,Braga,Di\n",
            "in.csv:3:",
        ),
        // On the last line, without a newline at the end.
        ("email,name\na@x.org,Ana\nb@x.org,\"Bo", "in.csv:3:"),
        // In the address itself, Windows line endings.
        (
            "email,name\r\na@x.org,Ana\r\n\"b@x.org,Bo\r\nc@x.org,Cy\r\n",
            "in.csv:3:",
        ),
    ];
    for (text, line) in cases {
        let err = import_refused(&env, text);
        assert!(err.contains(line), "expected {line} in: {err}");
        assert!(err.contains("never closed"), "{err}");
        assert!(err.contains("add the closing quote"), "{err}");
    }
}

#[test]
fn stray_quotes_inside_values_are_refused_with_the_fix() {
    let env = env_with_cert();
    // A quote inside an unquoted value, and an undoubled quote inside a quoted one.
    let err = import_refused(&env, "email,name\na@x.org,Ana\nb@x.org,Bo \"the\" Smith\n");
    assert!(err.contains("in.csv:3:"), "{err}");
    assert!(err.contains("double the quote"), "{err}");
    let err = import_refused(&env, "email;name\na@x.org;\"Ana \"Bo\" Silva\"\n");
    assert!(err.contains("in.csv:2:"), "{err}");
    assert!(err.contains("after its closing quote"), "{err}");
    // Doubled quotes, quoted delimiters and newlines are fine.
    let path = write(
        &env,
        "good.csv",
        "email,name,notes\na@x.org,\"Ana \"\"Bo\"\" Silva\",\"one, two\nthree\"\n",
    );
    env.ok(&["recipients", "import", "Rust", &path]);
    let r = env.recipients("Rust");
    assert_eq!(r[0]["name"], "Ana \"Bo\" Silva");
    assert_eq!(r[0]["fields"]["notes"], "one, two\nthree");
}

#[test]
fn runaway_templates_stop_with_a_clear_error_and_range_works_everywhere() {
    let env = env_with_cert();
    let runaway = write(
        &env,
        "runaway.txt",
        "{% for a in range(10000) %}{% for b in range(10000) %}{{ recipient.name }}{% endfor %}{% endfor %}",
    );
    for args in [
        vec!["cert", "create", "Other", "--body", &runaway],
        vec!["cert", "edit", "Rust", "--body", &runaway],
    ] {
        let err = env.fails(&args);
        assert!(err.contains("plain-text body template"), "{err}");
        assert!(err.contains("stopped"), "{err}");
        assert!(err.contains("make the loops smaller"), "{err}");
    }
    let huge = write(
        &env,
        "huge.html",
        "{% for a in range(9000) %}<p>{{ certificate.name * 300 }}</p>{% endfor %}",
    );
    let err = env.fails(&["cert", "edit", "Rust", "--html", &huge]);
    assert!(err.contains("HTML body template: stopped"), "{err}");
    // `range` is a function in validation, preview and send alike, not a missing column.
    let body = write(
        &env,
        "body.txt",
        "Hello {{ recipient.name }}:{% for i in range(1, 4) %} {{ i }}{% endfor %} {{ claim_url }}\n",
    );
    env.ok(&["cert", "edit", "Rust", "--body", &body]);
    let csv = write(&env, "r.csv", "email,name\nana@example.org,Ana\n");
    env.ok(&["recipients", "import", "Rust", &csv]);
    let out = env.ok(&["preview", "Rust", "ana@example.org"]);
    assert!(out.contains("Hello Ana: 1 2 3"), "{out}");
}

/// Control sequences of several shapes: CSI (colour, clear screen), OSC (window title,
/// hyperlink, ended by BEL or ST), a lone BEL, and C1 CSI (U+009B).
const ESCAPES: &[&str] = &[
    "\u{1b}[31mred\u{1b}[0m",
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}]8;;https://evil.example/\u{1b}\\link",
    "ding\u{7}",
    "\u{9b}2J",
];

#[test]
fn control_characters_are_refused_in_every_stored_field() {
    let env = env_with_cert();
    for esc in ESCAPES {
        // A CSV field, a CSV header, --field (name and value), the description and issuer.
        let err = import_refused(&env, &format!("email,name,city\na@x.org,Ana,Porto{esc}\n"));
        assert!(err.contains("in.csv:2:3"), "{err}");
        assert!(err.contains("control character"), "{err}");
        let err = import_refused(&env, &format!("email,name,ci{esc}ty\na@x.org,Ana,Porto\n"));
        assert!(err.contains("in.csv:1:3"), "{err}");
        assert!(err.contains("control character"), "{err}");
        let value = format!("city=Porto{esc}");
        let key = format!("ci{esc}ty=Porto");
        for field in [&value, &key] {
            let err = env
                .cmd()
                .args(["recipients", "add", "Rust", "b@x.org", "--field", field])
                .output()
                .unwrap();
            assert_eq!(err.status.code(), Some(2), "a usage error");
            let err = String::from_utf8_lossy(&err.stderr);
            assert!(err.contains("control character"), "{err}");
            assert!(
                !err.contains('\u{1b}'),
                "the error itself escapes it: {err}"
            );
        }
        for flag in ["--description", "--issuer"] {
            let err = env.fails(&["cert", "edit", "Rust", flag, &format!("About {esc}")]);
            assert!(err.contains("control character"), "{err}");
        }
    }
    assert!(env.recipients("Rust").is_empty());
    // Tabs and line breaks inside a quoted field are still fine.
    let path = write(
        &env,
        "ok.csv",
        "email,notes\na@x.org,\"one\ttwo\r\nthree\"\n",
    );
    env.ok(&["recipients", "import", "Rust", &path]);
}

/// Run `args` under a pseudo-terminal (`script`), so that certstat's stdout is a terminal.
fn on_terminal(env: &Env, args: &[&str]) -> Option<Vec<u8>> {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        assert!(!crate::common::required(), "script (util-linux) is needed");
        eprintln!("skipping: no /usr/bin/script for a pseudo-terminal");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_certstat");
    let line = std::iter::once(bin)
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = std::process::Command::new(script);
    // The environment `Env::cmd` gives certstat, here given to `script` and passed on.
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    let out = cmd
        .env("TERM", "dumb")
        .current_dir(env.dir.path())
        .args(["-qec", &line, "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

#[test]
fn nothing_printed_to_a_terminal_carries_a_raw_escape() {
    let env = env_with_cert();
    let path = write(
        &env,
        "r.csv",
        "email,name,city\nana@example.org,Ana,Porto\n",
    );
    env.ok(&["recipients", "import", "Rust", &path]);
    // Data stored before control characters were refused: written straight into the database.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let evil: String = ESCAPES.concat();
    conn.execute(
        "UPDATE recipients SET fields = json_object('city', ?1)",
        [&evil],
    )
    .unwrap();
    conn.execute("UPDATE certificates SET description = ?1", [&evil])
        .unwrap();
    drop(conn);
    let body = write(&env, "b.txt", "{{ city }} {{ certificate.description }}\n");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE certificates SET body_tpl = ?1",
        [std::fs::read_to_string(&body).unwrap()],
    )
    .unwrap();
    drop(conn);
    for args in [
        vec!["export", "Rust"],
        vec!["export", "Rust", "--format", "json"],
        vec!["preview", "Rust", "ana@example.org"],
        vec!["preview", "Rust", "ana@example.org", "--eml"],
        vec!["recipients", "list", "Rust"],
    ] {
        let Some(out) = on_terminal(&env, &args) else {
            return;
        };
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("ana@example.org"), "{args:?}: {text}");
        // `script` itself may add nothing but the program's bytes (TERM=dumb).
        assert!(!out.contains(&0x1b), "{args:?} printed a raw ESC: {text:?}");
        assert!(!out.contains(&0x07), "{args:?} printed a raw BEL: {text:?}");
        assert!(
            !text.contains('\u{9b}'),
            "{args:?} printed a raw C1 CSI: {text:?}"
        );
    }
    // Into a file, export keeps the stored bytes exactly.
    let exported = env.ok(&["export", "Rust", "--format", "json"]);
    assert!(exported.contains("\\u001b[31m"), "{exported}");
}

#[test]
fn hidden_characters_and_overlong_addresses_are_refused_with_file_and_line() {
    let env = env_with_cert();
    let long_local = format!("{}@example.org", "a".repeat(65));
    let long_path = format!("ana@{}.org", vec!["d".repeat(63); 4].join("."));
    let cases = [
        ("ana\u{200b}@example.org", "U+200B"),
        ("ana\u{202e}gro.elpmaxe@example.org", "U+202E"),
        ("ana@exa\u{200d}mple.org", "U+200D"),
        ("\u{feff}ana@example.org", "U+FEFF"),
        (long_local.as_str(), "65 bytes"),
        (long_path.as_str(), "254"),
    ];
    for (email, expected) in cases {
        let err = import_refused(
            &env,
            &format!("email,name\nbob@example.org,Bob\n{email},Ana\n"),
        );
        assert!(err.contains("in.csv:3:1"), "{email:?}: {err}");
        assert!(err.contains(expected), "{email:?}: {err}");
        let err = env.fails(&["recipients", "add", "Rust", email]);
        assert!(err.contains(expected), "{email:?}: {err}");
    }
    // Exactly at the limits is fine.
    let at_limit = format!("{}@example.org", "a".repeat(64));
    env.ok(&["recipients", "add", "Rust", &at_limit]);
}

/// A FIFO at `name` in the test's directory, written with `text` by a thread once a reader
/// opens it (as a shell's `mkfifo` and a producer in the background would).
fn fifo(env: &Env, name: &str, text: &str) -> (String, std::thread::JoinHandle<()>) {
    let path = env.path(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let writer_path = path.clone();
    let text = text.to_string();
    let writer = std::thread::spawn(move || {
        // Opening for writing blocks until certstat opens it for reading.
        std::fs::write(writer_path, text).unwrap();
    });
    (path.display().to_string(), writer)
}

#[test]
fn standard_input_fifos_and_process_substitution_are_read_as_files() {
    let env = env_with_cert();
    let csv = "email,name\nana@example.org,Ana\nbob@example.org,Bob\n";
    // `-`: standard input.
    let out = env
        .cmd()
        .args(["recipients", "import", "Rust", "-", "--format", "json"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["added"], 2, "{s}");
    assert_eq!(s["file"], "standard input");
    // A FIFO (read once: the import must not open it twice).
    let (path, writer) = fifo(&env, "people.fifo", "email,name\ncarol@example.org,Carol\n");
    env.ok(&["recipients", "import", "Rust", &path]);
    writer.join().unwrap();
    assert_eq!(env.recipients("Rust").len(), 3);
    // Process substitution: /dev/fd/N of a pipe.
    let bin = env!("CARGO_BIN_EXE_certstat");
    let status = std::process::Command::new("bash")
        .env("CERTSTAT_BIN", bin)
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("HOME", env.dir.path())
        .args([
            "-c",
            "\"$CERTSTAT_BIN\" -q recipients import Rust <(printf 'email,name\\ndave@example.org,Dave\\n')",
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(env.recipients("Rust").len(), 4);
    // Errors name standard input, and an unclosed quote on stdin still imports nothing.
    let out = env
        .cmd()
        .args(["recipients", "import", "Rust", "-"])
        .write_stdin("email,name\nerin@example.org,\"Erin\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input:2:"), "{err}");
    assert_eq!(env.recipients("Rust").len(), 4);
}

#[test]
fn events_import_reads_standard_input_and_fifos() {
    let env = env_with_cert();
    let csv = write(&env, "r.csv", "email,name\nana@example.org,Ana\n");
    env.ok(&["recipients", "import", "Rust", &csv]);
    let line = |kind: &str, at: &str| {
        format!(
            "{{\"certificate\":\"Rust\",\"email\":\"ana@example.org\",\"kind\":\"{kind}\",\"at\":\"{at}\",\"source\":\"cli\"}}\n"
        )
    };
    let out = env
        .cmd()
        .args(["events", "import", "-"])
        .write_stdin(line("sent", "2026-11-01T10:00:00Z"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input: 1 events: applied 1"), "{err}");
    let (path, writer) = fifo(&env, "events.fifo", &line("opened", "2026-11-01T11:00:00Z"));
    env.ok(&["events", "import", &path, "--format", "auto"]);
    writer.join().unwrap();
    let kinds: Vec<String> = env
        .json(&["events", "list", "Rust"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"opened".to_string()), "{kinds:?}");
    // A SendGrid array on standard input, the provider told by --format auto.
    let sg = "[{\"email\":\"ana@example.org\",\"event\":\"delivered\",\"sg_event_id\":\"e1\",\"timestamp\":1793700000}]";
    let out = env
        .cmd()
        .args(["events", "import", "-", "--format", "auto"])
        .write_stdin(sg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 sendgrid events: applied 1"), "{err}");
}

/// Start `args` as a child process, let it work for `after`, send it `signal` (`kill -s`), and
/// return its exit code, stderr and how long it took to stop after the signal.
fn signalled(
    env: &Env,
    args: &[&str],
    after: std::time::Duration,
    signal: &str,
) -> (Option<i32>, String, std::time::Duration) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let sent = std::time::Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(
        kill.success(),
        "the child had already ended: make its work larger"
    );
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
        sent.elapsed(),
    )
}

fn integrity(env: &Env) -> String {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sigint_and_sigterm_stop_an_import_cleanly_with_130_and_143() {
    let env = env_with_cert();
    let mut csv = String::from("email,name,city\n");
    for i in 0..1_500_000 {
        csv.push_str(&format!("p{i}@example.org,Person {i},City {}\n", i % 50));
    }
    let path = write(&env, "big.csv", &csv);
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let (status, err, took) = signalled(
            &env,
            &["recipients", "import", "Rust", &path],
            std::time::Duration::from_millis(1500),
            signal,
        );
        assert_eq!(status, Some(code), "SIG{signal}: {err}");
        assert!(err.contains(&format!("stopped by SIG{signal}")), "{err}");
        assert!(err.contains("rows read, nothing was imported"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            took.as_secs() < 30,
            "stopped within a batch or two: {took:?}"
        );
        assert!(env.recipients("Rust").is_empty());
        assert_eq!(integrity(&env), "ok");
    }
}

#[test]
fn sigterm_stops_a_refresh_between_batches_keeping_what_it_read() {
    let env = env_with_cert();
    env.ok(&["init"]);
    let mut mbox = String::new();
    for i in 0..40_000 {
        mbox.push_str(&format!(
            "From someone@example.net Mon Nov 30 10:00:00 2026\nFrom: someone@example.net\n\
             To: certificates@example.org\nSubject: hello {i}\nMessage-ID: <m{i}@example.net>\n\n\
             Thank you for the certificate, number {i}.\n\n"
        ));
    }
    let path = write(&env, "inbox.mbox", &mbox);
    let (status, err, _) = signalled(
        &env,
        &["refresh", "--mbox", &path],
        std::time::Duration::from_millis(1500),
        "TERM",
    );
    assert_eq!(status, Some(143), "{err}");
    assert!(err.contains("refresh: "), "the summary is printed: {err}");
    assert!(err.contains("stopped by SIGTERM"), "{err}");
    assert_eq!(integrity(&env), "ok");
    // The next run reads the rest: what the first one read is remembered.
    let out = env
        .cmd()
        .args(["refresh", "--mbox", &path])
        .output()
        .unwrap();
    let err2 = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err2}");
    assert!(err2.contains("already read"), "{err2}");
    assert!(
        !err2.contains("40000 already read"),
        "the first run stopped early: {err2}"
    );
}

#[test]
fn a_full_disk_and_a_damaged_database_say_where_and_what_to_do() {
    let env = env_with_cert();
    let mut csv = String::from("email,name\n");
    for i in 0..50_000 {
        csv.push_str(&format!("p{i}@example.org,Person {i}\n"));
    }
    let path = write(&env, "big.csv", &csv);
    // A file-size limit (RLIMIT_FSIZE, `ulimit -f` in KiB) makes the database's writes fail as
    // on a full disk; SIGXFSZ is ignored so that the write returns an error instead.
    let out = std::process::Command::new("bash")
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("HOME", env.dir.path())
        .env("CERTSTAT_BIN", env!("CARGO_BIN_EXE_certstat"))
        .env("CSV", &path)
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 400; exec \"$CERTSTAT_BIN\" recipients import Rust \"$CSV\"",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let dir = env.db.parent().unwrap().display().to_string();
    assert!(err.contains(&format!("free space at {dir}")), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert!(env.recipients("Rust").is_empty());
    assert_eq!(integrity(&env), "ok");
    // A damaged database: every page overwritten after the 100-byte file header (the schema
    // page too), the write-ahead log gone.
    let mut bytes = std::fs::read(&env.db).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xA5;
    }
    std::fs::write(&env.db, bytes).unwrap();
    let _ = std::fs::remove_file(env.db.with_extension("db-wal"));
    let _ = std::fs::remove_file(env.db.with_extension("db-shm"));
    let err = env.fails(&["recipients", "list", "Rust"]);
    assert!(err.contains(".recover"), "{err}");
    assert!(err.contains(&env.db.display().to_string()), "{err}");
}

/// Unmounts a test's filesystem when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk under the outbox (a 64 KiB tmpfs, mounted as root): the message that does not
/// fit fails, no partial `.tmp` file is left, the messages written are whole, the error says
/// where to free space, and the recipients not written stay Not Sent; once there is room
/// again, `send` writes the rest.
#[test]
fn a_full_outbox_disk_leaves_no_partial_file_and_says_where_to_free_space() {
    if unsafe { libc_geteuid() } != 0 {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let env = Env::new();
    env.with_example("Rust");
    let outbox = env.path("outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&outbox)
        .status();
    if !mounted.is_ok_and(|s| s.success()) {
        assert!(
            !crate::common::required(),
            "cannot mount a tmpfs at {}",
            outbox.display()
        );
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    let _unmount = Mounted(outbox.clone());
    env.write_config(&format!("[outbox]\ndir = \"{}\"\n", outbox.display()));
    // Room for two messages and one page of a third, which is then written in part.
    let size = env
        .ok(&["preview", "Rust", "ana.silva@example.org", "--eml"])
        .len();
    let page = 4096;
    assert!(size > page, "a message of {size} bytes fits in one page");
    let pages = size.div_ceil(page) + 1;
    let filler = outbox.join("filler");
    std::fs::write(&filler, vec![0u8; 65536 - (2 * pages + 1) * page]).unwrap();

    let out = env.cmd().args(["send", "Rust"]).output().unwrap();
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("free space at {}", outbox.display())),
        "{err}"
    );
    let files = |ext: &str| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(&outbox)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(ext))
            .collect();
        v.sort();
        v
    };
    assert!(files(".tmp").is_empty(), "left behind: {:?}", files(".tmp"));
    let written = files(".eml");
    assert!(!written.is_empty() && written.len() < 5, "{written:?}");
    for f in &written {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            text.trim_end().ends_with("--"),
            "{} is cut short",
            f.display()
        );
    }
    let statuses: Vec<String> = env
        .recipients("Rust")
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    let pending = statuses.iter().filter(|s| *s == "pending").count();
    assert_eq!(pending, written.len(), "{statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| *s == "not_sent").count(),
        5 - pending,
        "{statuses:?}"
    );
    assert_eq!(integrity(&env), "ok");

    // Space again: the rest are written.
    std::fs::remove_file(&filler).unwrap();
    env.ok(&["send", "Rust"]);
    assert_eq!(files(".eml").len(), 5);
    assert!(files(".tmp").is_empty());
    let statuses = env.recipients("Rust");
    assert!(
        statuses.iter().all(|r| r["status"] == "pending"),
        "{statuses:?}"
    );
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

/// A process that is not certstat holding a lock, until dropped: a Python child (its own
/// process, found by its open files) that prints "held" once it has the lock.
struct Holder(std::process::Child);

impl Holder {
    fn start(script: &str, path: &std::path::Path) -> Option<Holder> {
        use std::io::BufRead;
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "held", "the holder did not take its lock");
        Some(Holder(child))
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Another program holds the database's write lock (sqlite3's `BEGIN IMMEDIATE`): every
/// command that writes waits the busy timeout (`CERTSTAT_BUSY_TIMEOUT`, 1 s here), then says
/// which process holds it and what to do, and changes nothing; once the lock is gone, the
/// same commands work.
#[test]
fn a_foreign_write_lock_names_the_process_holding_it() {
    let env = env_with_cert();
    env.ok(&["recipients", "add", "Rust", "ana@example.org"]);
    let script = "import sqlite3, sys, time\n\
                  c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
                  c.execute('BEGIN IMMEDIATE')\n\
                  print('held', flush=True)\n\
                  time.sleep(120)\n";
    let Some(holder) = Holder::start(script, &env.db) else {
        assert!(!crate::common::required(), "python3 is needed");
        eprintln!("skipped: no python3");
        return;
    };
    let pid = holder.0.id();
    let events = write(
        &env,
        "events.jsonl",
        "{\"certificate\":\"Rust\",\"email\":\"ana@example.org\",\"kind\":\"opened\",\
         \"at\":\"2026-11-01T10:00:00Z\",\"source\":\"cli\"}\n",
    );
    let writes: [&[&str]; 4] = [
        &["recipients", "add", "Rust", "bo@example.org"],
        &["cert", "create", "Go"],
        &["cert", "edit", "Rust", "--description", "Three days"],
        &["events", "import", &events],
    ];
    for args in writes {
        let out = env
            .cmd()
            .env("CERTSTAT_BUSY_TIMEOUT", "1")
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!("is locked by pid {pid} (python3)"))
                && err.contains(&env.db.display().to_string())
                && err.contains("wait for it to finish, or stop it"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    drop(holder);
    assert_eq!(env.recipients("Rust").len(), 1, "nothing was added");
    for args in writes {
        env.ok(args);
    }
    assert_eq!(env.recipients("Rust").len(), 2);
}

/// Another process holds a `send` run lock of the certificate (the lock file beside the
/// database, with its process id in it): `send` stops at once and names that process.
#[test]
fn a_held_send_lock_names_its_process_at_once() {
    let env = env_with_cert();
    env.ok(&["recipients", "add", "Rust", "ana@example.org"]);
    let lock = env.db.with_file_name(format!(
        "{}.send-1.lock",
        env.db.file_name().unwrap().to_string_lossy()
    ));
    let script = "import fcntl, os, sys, time\n\
                  f = open(sys.argv[1], 'w')\n\
                  fcntl.flock(f, fcntl.LOCK_EX)\n\
                  f.write(str(os.getpid())); f.flush()\n\
                  print('held', flush=True)\n\
                  time.sleep(120)\n";
    let Some(holder) = Holder::start(script, &lock) else {
        assert!(!crate::common::required(), "python3 is needed");
        eprintln!("skipped: no python3");
        return;
    };
    let pid = holder.0.id();
    let err = env.fails(&["send", "Rust"]);
    assert!(
        err.contains(&format!("(process {pid})")) && err.contains(&lock.display().to_string()),
        "{err}"
    );
    assert_eq!(env.recipients("Rust")[0]["status"], "not_sent");
    drop(holder);
    env.ok(&["send", "Rust"]);
    assert_eq!(env.recipients("Rust")[0]["status"], "pending");
}

/// The run lock says which command holds it: a `send` refused because a `remind` of the same
/// certificate is mailing (and the other way round) names that command, its process, and that
/// this run mailed nobody.
#[test]
fn a_held_run_lock_names_the_command_holding_it() {
    let env = env_with_cert();
    env.ok(&["recipients", "add", "Rust", "ana@example.org"]);
    let lock = env.db.with_file_name(format!(
        "{}.send-1.lock",
        env.db.file_name().unwrap().to_string_lossy()
    ));
    for (holder_doing, refused) in [("remind", "send"), ("send", "remind")] {
        let script = format!(
            "import fcntl, os, sys, time\n\
             f = open(sys.argv[1], 'w')\n\
             fcntl.flock(f, fcntl.LOCK_EX)\n\
             f.write(str(os.getpid()) + ' {holder_doing}'); f.flush()\n\
             print('held', flush=True)\n\
             time.sleep(120)\n"
        );
        let Some(holder) = Holder::start(&script, &lock) else {
            assert!(!crate::common::required(), "python3 is needed");
            eprintln!("skipped: no python3");
            return;
        };
        let pid = holder.0.id();
        let err = env.fails(&[refused, "Rust"]);
        assert!(
            err.contains(&format!(
                "another `certstat {holder_doing}` is already sending 'Rust' (process {pid})"
            )) && err.contains(&format!(
                "this `certstat {refused}` stops here and mails nobody"
            )),
            "{err}"
        );
        drop(holder);
    }
    assert_eq!(env.recipients("Rust")[0]["status"], "not_sent");
}
