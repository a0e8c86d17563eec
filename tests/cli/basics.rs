//! init, certificates, single recipients, edit history, export round trip, and the store.

use serde_json::Value;

use crate::common::{Env, fixture};

#[test]
fn verify_cli() {
    use clap::CommandFactory;
    certstat::cli::Cli::command().debug_assert();
}

#[test]
fn init_creates_database_secret_and_config_and_prints_paths() {
    let env = Env::bare();
    let out = env.json(&["init"]);
    assert_eq!(out["database_created"], true);
    assert_eq!(out["config_created"], true);
    assert!(env.db.exists() && env.config.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "database mode");
        let secret = std::fs::metadata(out["secret"].as_str().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(secret, 0o600, "secret mode");
    }
    let again = env.json(&["init"]);
    assert_eq!(again["database_created"], false);
    assert_eq!(again["config_created"], false);
}

#[test]
fn default_paths_follow_the_platform_dirs() {
    let env = Env::bare();
    let out = env
        .cmd()
        .env_remove("CERTSTAT_DB")
        .env_remove("CERTSTAT_CONFIG")
        .args(["init", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let home = env.dir.path();
    assert_eq!(
        v["database"],
        home.join("xdg-data/certstat/certstat.db")
            .display()
            .to_string()
    );
    assert_eq!(
        v["config"],
        home.join("xdg-config/certstat/config.toml")
            .display()
            .to_string()
    );
    let flag = env.path("flag.db");
    let v = env.json(&["--db", flag.to_str().unwrap(), "init"]);
    assert_eq!(v["database"], flag.display().to_string());
}

#[test]
fn certificates_create_list_show_edit_delete() {
    let env = Env::new();
    env.ok(&[
        "cert",
        "create",
        "Intro to Rust",
        "--issuer",
        "ACME",
        "--description",
        "Two days",
    ]);
    let err = env.fails(&["cert", "create", "intro to RUST"]);
    assert!(err.contains("already exists"), "{err}");
    env.with_example("Advanced Rust");
    let list = env.json(&["cert", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["name"], "Advanced Rust");
    assert_eq!(list[1]["recipients"], 5);
    let show = env.json(&["cert", "show", "advanced rust"]);
    assert_eq!(show["recipients"], 5);
    assert_eq!(show["statuses"]["not_sent"], 5);
    assert_eq!(show["certificate"]["issuer"], "ACME Training");
    let by_id = env.json(&["cert", "show", "1"]);
    assert_eq!(by_id["certificate"]["name"], "Intro to Rust");
    let table = env.ok(&["cert", "show", "Advanced Rust"]);
    for needle in [
        "Advanced Rust",
        "ACME Training",
        "Total recipients",
        "Not Sent",
        "Claimed",
        "100.0%",
    ] {
        assert!(table.contains(needle), "{needle} missing in:\n{table}");
    }
    env.ok(&[
        "cert", "edit", "1", "--name", "Rust 101", "--issuer", "ACME Ltd",
    ]);
    assert_eq!(
        env.json(&["cert", "show", "rust 101"])["certificate"]["issuer"],
        "ACME Ltd"
    );
    let err = env.fails(&["cert", "delete", "Advanced Rust"]);
    assert!(err.contains("--yes"), "{err}");
    env.ok(&["cert", "delete", "Advanced Rust", "--yes"]);
    assert_eq!(env.json(&["cert", "list"]).as_array().unwrap().len(), 1);
    let err = env.fails(&["cert", "show", "Advanced Rust"]);
    assert!(err.contains("no certificate named"), "{err}");
}

#[test]
fn add_list_search_remove() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "ana@example.org",
        "--name",
        "Ana",
        "--field",
        "grade=A",
    ]);
    env.ok(&["recipients", "add", "Rust", "bob@example.org"]);
    let err = env.fails(&["recipients", "add", "Rust", "ANA@example.org"]);
    assert!(err.contains("already a recipient"), "{err}");
    let err = env.fails(&["recipients", "add", "Rust", "not an email"]);
    assert!(err.contains("not a valid email address"), "{err}");
    let r = env.recipients("Rust");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0]["fields"]["grade"], "A");
    assert_eq!(r[0]["status"], "not_sent");
    for key in ["email", "name", "status", "status_at", "detail", "fields"] {
        assert!(r[0].get(key).is_some(), "{key} missing");
    }
    let found = env.json(&["recipients", "list", "Rust", "--search", "ANA"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    let none = env.json(&["recipients", "list", "Rust", "--status", "bounced"]);
    assert!(none.as_array().unwrap().is_empty());
    let err = env.fails(&[
        "recipients",
        "remove",
        "Rust",
        "ana@example.org",
        "nobody@example.org",
    ]);
    assert!(err.contains("nobody@example.org"), "{err}");
    assert_eq!(
        env.recipients("Rust").len(),
        2,
        "nothing removed when one address is unknown"
    );
    env.ok(&["recipients", "remove", "Rust", "ana@example.org", "--yes"]);
    assert_eq!(env.recipients("Rust").len(), 1);
    let csv = env.ok(&["recipients", "list", "Rust", "--format", "csv"]);
    assert!(
        csv.starts_with("email,name,status,status_at,detail,evidence\n"),
        "{csv}"
    );
}

/// A search finds a name however it was typed: capitals outside ASCII, combining accents
/// (NFD) against composed ones (NFC) both ways, full-width letters, and Greek final sigma;
/// and it still tells names apart.
#[test]
fn search_finds_names_in_any_script_case_and_normal_form() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    let people = [
        ("zoe@example.org", "Zoe\u{0308} O\u{0308}degaard"),
        ("jose@example.org", "José Álvarez"),
        ("oscar@example.org", "ÖSCAR ŞAHİN"),
        ("sofia@example.org", "ΣΟΦΙΑ Παπαδοπουλος"),
        ("taro@example.org", "Ｔａｒｏ 山田"),
        ("ivan@example.org", "Иван Петров"),
    ];
    for (email, name) in people {
        env.ok(&["recipients", "add", "Rust", email, "--name", name]);
    }
    let found = |text: &str| -> Vec<String> {
        env.json(&["recipients", "list", "Rust", "--search", text])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["email"].as_str().unwrap().to_string())
            .collect()
    };
    let cases: [(&str, &[&str]); 9] = [
        ("zoë", &["zoe@example.org"]),
        ("ÖDEGAARD", &["zoe@example.org"]),
        ("jose\u{0301}", &["jose@example.org"]),
        ("álvarez", &["jose@example.org"]),
        ("öscar", &["oscar@example.org"]),
        ("σοφια", &["sofia@example.org"]),
        ("taro", &["taro@example.org"]),
        ("иван", &["ivan@example.org"]),
        ("петров", &["ivan@example.org"]),
    ];
    for (text, want) in cases {
        assert_eq!(found(text), want, "search {text:?}");
    }
    assert!(found("zoey").is_empty());
    assert_eq!(found("EXAMPLE.ORG").len(), people.len());
}

#[test]
fn edit_fixes_a_typo_in_place_keeping_history() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "ana@exmaple.org",
        "--name",
        "Ana",
        "--field",
        "grade=A",
    ]);
    let first = env.recipients("Rust")[0]["status_at"].clone();
    env.ok(&[
        "recipients",
        "edit",
        "Rust",
        "ana@exmaple.org",
        "--email",
        "ana@example.org",
        "--name",
        "Ana Silva",
    ]);
    let r = &env.recipients("Rust")[0];
    assert_eq!(r["email"], "ana@example.org");
    assert_eq!(r["name"], "Ana Silva");
    assert_eq!(r["fields"]["grade"], "A", "fields kept");
    assert_eq!(r["status"], "not_sent");
    assert!(
        r["detail"].as_str().unwrap().contains("ana@exmaple.org"),
        "{r}"
    );
    let _ = first;
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let detail: String = conn
        .query_row("SELECT detail FROM events WHERE kind='edited'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["old_email"], "ana@exmaple.org");
    assert_eq!(detail["new_email"], "ana@example.org");
    let err = env.fails(&[
        "recipients",
        "edit",
        "Rust",
        "nobody@example.org",
        "--name",
        "X",
    ]);
    assert!(err.contains("no recipient"), "{err}");
}

#[test]
fn export_is_spreadsheet_safe_and_round_trips() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env.ok(&["recipients", "import", "Rust", &fixture("csv/formulas.csv")]);
    env.ok(&[
        "recipients",
        "import",
        "Rust",
        &fixture("csv/excel_bom_semicolon.csv"),
    ]);
    let csv = env.ok(&["export", "Rust"]);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'-Bob"), "{csv}");
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
    let raw = env.ok(&["export", "Rust", "--raw"]);
    assert!(
        raw.contains(",=HYPERLINK") || raw.contains(",\"=HYPERLINK"),
        "{raw}"
    );
    let out = env.path("export.csv");
    env.ok(&["export", "Rust", "-o", out.to_str().unwrap(), "--bom"]);
    assert!(std::fs::read(&out).unwrap().starts_with(b"\xEF\xBB\xBF"));
    env.ok(&["cert", "create", "Copy"]);
    env.ok(&["recipients", "import", "Copy", out.to_str().unwrap()]);
    let strip = |v: Vec<Value>| -> Vec<(Value, Value, Value)> {
        v.into_iter()
            .map(|r| (r["email"].clone(), r["name"].clone(), r["fields"].clone()))
            .collect()
    };
    assert_eq!(strip(env.recipients("Rust")), strip(env.recipients("Copy")));
    let json = env.ok(&["export", "Rust", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["shares_linkedin"], 0);
    assert_eq!(
        rows[0]["fields"]["formula"],
        "=HYPERLINK(\"http://evil.example\")"
    );
}

/// A leading apostrophe is the user's own text in their file (`'t Hooft`, `'=literal`) and
/// is kept; certstat's own export takes one off only what it neutralised, so values that
/// begin with apostrophes come back as they were through export and import.
#[test]
fn leading_apostrophes_are_kept_from_user_files_and_round_trip_through_export() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    let file = env.path("apostrophes.csv");
    std::fs::write(
        &file,
        "email,name,grade\n\
         a1@example.org,'t Hooft,'=1+1\n\
         a2@example.org,'=literal,''-x\n\
         a3@example.org,=1+1,'keep\n\
         a4@example.org,''@both,-5\n",
    )
    .unwrap();
    env.ok(&["recipients", "import", "Rust", file.to_str().unwrap()]);
    let seen = |cert: &str| -> Vec<(String, String)> {
        env.recipients(cert)
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_string(),
                    r["fields"]["grade"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let want: Vec<(String, String)> = [
        ("'t Hooft", "'=1+1"),
        ("'=literal", "''-x"),
        ("=1+1", "'keep"),
        ("''@both", "-5"),
    ]
    .iter()
    .map(|(n, g)| (n.to_string(), g.to_string()))
    .collect();
    assert_eq!(seen("Rust"), want);
    let out = env.path("export.csv");
    env.ok(&["export", "Rust", "-o", out.to_str().unwrap()]);
    env.ok(&["cert", "create", "Copy"]);
    env.ok(&["recipients", "import", "Copy", out.to_str().unwrap()]);
    assert_eq!(seen("Copy"), want);
}

#[test]
fn names_with_control_characters_never_reach_a_table() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    let err = env.fails(&[
        "recipients",
        "add",
        "Rust",
        "a@example.org",
        "--name",
        "Ana\u{1b}[31m",
    ]);
    assert!(err.contains("control character"), "{err}");
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "b@example.org",
        "--name",
        "Bob\u{202e}evil",
    ]);
    let table = env.ok(&["recipients", "list", "Rust"]);
    assert!(
        !table.contains('\u{202e}'),
        "bidi override stripped from tables"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::write(&env.db, "this is a text file, not a database\n".repeat(200)).unwrap();
    let err = env.fails(&["cert", "list"]);
    assert!(err.contains("not an SQLite database"), "{err}");
    let err = Env::bare();
    err.write_config("");
    std::fs::create_dir_all(&err.db).unwrap();
    let msg = err.fails(&["cert", "list"]);
    assert!(msg.contains("is a directory"), "{msg}");
}

#[test]
fn a_database_from_a_newer_certstat_is_refused() {
    let env = Env::new();
    env.ok(&["init"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = env.fails(&["cert", "list"]);
    assert!(err.contains("newer certstat"), "{err}");
}

#[test]
fn a_read_only_database_directory_is_a_clear_error() {
    let env = Env::new();
    let dir = env.path("ro");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("certstat.db");
    let mut cmd = env.cmd();
    // `init` is the command that creates a database (the others refuse a missing one).
    cmd.env("CERTSTAT_DB", &db).args(["init"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        // root ignores permissions: run as an unprivileged user then.
        if unsafe { libc_geteuid() } == 0 {
            if std::process::Command::new("setpriv")
                .arg("--version")
                .output()
                .is_err()
            {
                eprintln!("skipped: running as root without setpriv");
                return;
            }
            std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755))
                .unwrap();
            let mut wrapped = std::process::Command::new("setpriv");
            wrapped
                .args([
                    "--reuid=nobody",
                    "--regid=nogroup",
                    "--clear-groups",
                    env!("CARGO_BIN_EXE_certstat"),
                ])
                .env("CERTSTAT_DB", &db)
                .env("CERTSTAT_CONFIG", &env.config)
                .args(["init"]);
            let out = wrapped.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(err.contains("cannot create the database"), "{err}");
            return;
        }
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot create the database"), "{err}");
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn bad_config_names_the_key_and_line() {
    let env = Env::new();
    env.write_config("[sender]\nfrom = \"a@example.org\"\n\n[smtp]\nhots = \"x\"\n");
    let err = env.fails(&["cert", "list"]);
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("hots"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let out = env.cmd().args(["cert", "frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_broken_design_is_refused_at_create_time_with_its_line() {
    let env = Env::new();
    let design = env.path("design.svg");
    std::fs::write(
        &design,
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<text>{{ recipient_nmae }}</text>\n</svg>\n",
    )
    .unwrap();
    let err = env.fails(&[
        "cert",
        "create",
        "Rust",
        "--design",
        design.to_str().unwrap(),
    ]);
    assert!(err.contains("design.svg"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(env.json(&["cert", "list"]).as_array().unwrap().is_empty());
}

/// `render` names each file after the certificate and the recipient within the 255 bytes a
/// file name may have, whatever the script (4-byte letters, accents, CJK), and tells
/// namesakes apart, even when their addresses share a long start: one file per recipient.
#[test]
fn render_file_names_fit_the_file_system_and_never_collide() {
    let env = Env::new();
    let cert = "Certificate of Advanced Studies ".repeat(6);
    let cert = cert.trim();
    env.ok(&["cert", "create", cert]);
    let long_local = "x".repeat(63);
    let domain = format!("{}.org", vec!["d".repeat(60); 3].join("."));
    let people = [
        (format!("{long_local}a@{domain}"), "𝓐".repeat(150)),
        (format!("{long_local}b@{domain}"), "𝓐".repeat(150)),
        (format!("{long_local}c@{domain}"), "𝓐".repeat(150)),
        ("zoe@example.org".to_string(), "Zoë ".repeat(60)),
        ("taro@example.org".to_string(), "山田太郎".repeat(40)),
        ("ana@example.org".to_string(), "Ana".to_string()),
        ("ana2@example.org".to_string(), "ana".to_string()),
    ];
    for (email, name) in &people {
        env.ok(&["recipients", "add", cert, email, "--name", name]);
    }
    let out = env.path("docs");
    env.ok(&[
        "render",
        cert,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), people.len(), "{names:#?}");
    for name in &names {
        assert!(name.len() <= 255, "{} bytes: {name}", name.len());
        assert!(name.ends_with(".svg"), "{name}");
        assert!(name.starts_with("Certificate of Advanced"), "{name}");
    }
    assert!(
        names.iter().any(|n| n.ends_with(" - Ana.svg")),
        "{names:#?}"
    );
}

/// One mailbox typed two ways is one recipient: composed against decomposed accents, a
/// Unicode domain against its punycode form, capitals outside ASCII; by `add` and within one
/// imported file. Different mailboxes that look alike stay apart.
#[test]
fn one_mailbox_typed_two_ways_is_one_recipient() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    for (first, second) in [
        ("zo\u{eb}@example.org", "zoe\u{0308}@example.org"),
        ("ana@münchen.de", "ana@xn--mnchen-3ya.de"),
        ("bo@xn--bcher-kva.example", "BO@BÜCHER.example"),
        ("ÉLODIE@example.org", "élodie@example.org"),
    ] {
        env.ok(&["recipients", "add", "Rust", first]);
        let err = env.fails(&["recipients", "add", "Rust", second]);
        assert!(
            err.contains("already a recipient"),
            "{first} / {second}: {err}"
        );
    }
    env.ok(&["recipients", "add", "Rust", "zoe@example.org"]);
    env.ok(&["recipients", "add", "Rust", "ana@munchen.de"]);
    assert_eq!(env.recipients("Rust").len(), 6);
    env.ok(&["cert", "create", "Go"]);
    let file = env.path("twice.csv");
    std::fs::write(
        &file,
        "email,name\nzo\u{eb}@example.org,Zoë\nana@münchen.de,Ana\nzoe\u{0308}@example.org,Zoë again\nana@xn--mnchen-3ya.de,Ana again\n",
    )
    .unwrap();
    let err = env.fails(&["recipients", "import", "Go", file.to_str().unwrap()]);
    assert!(
        err.contains("twice.csv:4") && err.contains("line 2"),
        "{err}"
    );
    assert!(
        err.contains("twice.csv:5") && err.contains("line 3"),
        "{err}"
    );
}
