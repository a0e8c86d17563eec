//! `recipients import`: real spreadsheet exports, and every kind of bad input.

use serde_json::Value;

use crate::common::{Env, fixture};

fn env_with_cert() -> Env {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust"]);
    env
}

fn import(env: &Env, file: &str, extra: &[&str]) -> Value {
    let path = fixture(&format!("csv/{file}"));
    let mut args = vec!["recipients", "import", "Rust", path.as_str()];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn import_fails(env: &Env, file: &str, extra: &[&str]) -> String {
    let path = fixture(&format!("csv/{file}"));
    let mut args = vec!["recipients", "import", "Rust", path.as_str()];
    args.extend_from_slice(extra);
    let err = env.fails(&args);
    assert!(
        env.recipients("Rust").is_empty(),
        "a failed import imports nothing"
    );
    err
}

#[test]
fn excel_export_with_bom_semicolons_quotes_and_blank_lines() {
    let env = env_with_cert();
    let s = import(&env, "excel_bom_semicolon.csv", &[]);
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(s["delimiter"], ";");
    assert_eq!(s["encoding"], "utf-8 (with BOM)");
    let r = env.recipients("Rust");
    assert_eq!(r[0]["email"], "ana@example.org");
    assert_eq!(r[0]["name"], "Ana Silva");
    assert_eq!(r[0]["fields"]["Notes"], "line one\r\nline two");
    assert_eq!(r[0]["fields"]["Course"], "Rust \"Basics\"");
    assert_eq!(r[1]["email"], "BOB@Example.org");
    assert_eq!(r[2]["fields"]["Notes"], "semi;colon");
    assert!(r.iter().all(|x| x["status"] == "not_sent"));
}

#[test]
fn tab_and_pipe_delimiters_are_sniffed() {
    let env = env_with_cert();
    assert_eq!(import(&env, "tabs.tsv", &[])["added"], 2);
    assert_eq!(env.recipients("Rust")[1]["fields"]["city"], "Porto");
    let env = env_with_cert();
    assert_eq!(import(&env, "pipes.csv", &[])["delimiter"], "|");
}

#[test]
fn windows_1252_export_is_decoded() {
    let env = env_with_cert();
    let s = import(&env, "excel_windows1252.csv", &[]);
    assert_eq!(s["encoding"], "windows-1252");
    let r = env.recipients("Rust");
    assert_eq!(r[0]["name"], "Jürgen Müller");
    assert_eq!(r[0]["fields"]["Stadt"], "Köln");
    assert_eq!(r[1]["name"], "Renée Beauté");
}

#[test]
fn neither_utf8_nor_windows_1252_names_the_line() {
    let env = env_with_cert();
    let err = import_fails(&env, "not_utf8.csv", &[]);
    assert!(err.contains("not_utf8.csv:3"), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    let err = import_fails(&env, "excel_windows1252.csv", &["--encoding", "utf-8"]);
    assert!(err.contains("excel_windows1252.csv:2"), "{err}");
}

#[test]
fn first_and_last_name_columns_make_the_name() {
    let env = env_with_cert();
    import(&env, "first_last.csv", &[]);
    assert_eq!(env.recipients("Rust")[0]["name"], "Ana Silva");
}

#[test]
fn internationalised_addresses_are_accepted() {
    let env = env_with_cert();
    assert_eq!(import(&env, "international.csv", &[])["added"], 2);
}

#[test]
fn bad_files_each_get_a_clear_error() {
    let env = env_with_cert();
    let cases: &[(&str, &str)] = &[
        ("empty.csv", "is empty"),
        ("header_only.csv", "no recipients"),
        ("no_email_column.csv", "no email column"),
        ("two_email_columns.csv", "two email columns"),
        ("workbook.xlsx", "zip archive"),
        ("binary.bin", "binary file"),
        ("control_in_name.csv", "control character"),
        ("does-not-exist.csv", "cannot read"),
    ];
    for (file, expected) in cases {
        let err = import_fails(&env, file, &[]);
        assert!(
            err.contains(expected),
            "{file}: expected '{expected}' in: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let dir = fixture("csv");
    let err = env.fails(&["recipients", "import", "Rust", &dir]);
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn every_invalid_row_is_listed_with_line_and_column_and_nothing_is_imported() {
    let env = env_with_cert();
    let err = import_fails(&env, "invalid_emails.csv", &[]);
    for line in ["invalid_emails.csv:3:1", "invalid_emails.csv:5:1"] {
        assert!(err.contains(line), "expected {line} in: {err}");
    }
    assert!(err.contains("not-an-email"), "{err}");
    assert!(err.contains("--skip-invalid"), "{err}");
}

#[test]
fn skip_invalid_imports_the_good_rows() {
    let env = env_with_cert();
    let s = import(&env, "invalid_emails.csv", &["--skip-invalid"]);
    assert_eq!(s["added"], 2, "{s}");
    assert_eq!(s["invalid"], 2, "{s}");
    assert_eq!(env.recipients("Rust").len(), 2);
}

#[test]
fn duplicate_in_file_is_case_insensitive() {
    let env = env_with_cert();
    let err = import_fails(&env, "duplicate_in_file.csv", &[]);
    assert!(err.contains("duplicate_in_file.csv:4"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn ragged_rows_are_reported() {
    let env = env_with_cert();
    let err = import_fails(&env, "ragged.csv", &[]);
    assert!(err.contains("ragged.csv:3:4"), "{err}");
    assert!(err.contains("ragged.csv:4"), "{err}");
}

#[test]
fn dry_run_writes_nothing() {
    let env = env_with_cert();
    let s = import(&env, "tabs.tsv", &["--dry-run"]);
    assert_eq!(s["added"], 2);
    assert_eq!(s["committed"], false);
    assert!(env.recipients("Rust").is_empty());
}

/// A dry run of a file with an invalid row fails as the import would (exit 1, the row
/// named), and passes with --skip-invalid, saying what that import would add.
#[test]
fn a_dry_run_refuses_what_the_import_would_refuse() {
    let env = env_with_cert();
    let path = env.path("one_bad.csv");
    std::fs::write(
        &path,
        "email,name\nana@example.org,Ana\nnot-an-address,Bo\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let err = env.fails(&["recipients", "import", "Rust", p, "--dry-run"]);
    assert!(err.contains("one_bad.csv:3:1"), "{err}");
    assert!(err.contains("would refuse the file"), "{err}");
    let real = env.fails(&["recipients", "import", "Rust", p]);
    assert!(real.contains("nothing was imported"), "{real}");
    let s = env.json(&[
        "recipients",
        "import",
        "Rust",
        p,
        "--dry-run",
        "--skip-invalid",
    ]);
    assert_eq!(
        (s["added"].as_u64(), s["invalid"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(env.recipients("Rust").is_empty());
}

/// Two columns that could each be the name are refused, naming both, whichever words name
/// them; `--name-column` settles it. One name column beside first/last columns is not
/// ambiguous.
#[test]
fn two_name_columns_are_refused_until_one_is_chosen() {
    let env = env_with_cert();
    for (header, row, first, second) in [
        (
            "email,name,name",
            "ana@example.org,Ana,Bo",
            "'name' (column 2)",
            "'name' (column 3)",
        ),
        (
            "email,Name,Full Name",
            "ana@example.org,Ana,Bo",
            "'Name' (column 2)",
            "'Full Name' (column 3)",
        ),
        (
            "email,first name,last name,First_Name",
            "ana@example.org,Ana,Silva,Bo",
            "'first name' (column 2)",
            "'First_Name' (column 4)",
        ),
    ] {
        let path = env.path("two.csv");
        std::fs::write(&path, format!("{header}\n{row}\n")).unwrap();
        let p = path.to_str().unwrap();
        let err = env.fails(&["recipients", "import", "Rust", p]);
        assert!(err.contains("two.csv:1"), "{header}: {err}");
        assert!(
            err.contains(first) && err.contains(second),
            "{header}: {err}"
        );
        assert!(env.recipients("Rust").is_empty(), "{header}");
    }
    let path = env.path("two.csv");
    std::fs::write(
        &path,
        "email,name,Full Name\nana@example.org,Ana,Ana Maria Silva\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    env.json(&[
        "recipients",
        "import",
        "Rust",
        p,
        "--name-column",
        "Full Name",
    ]);
    assert_eq!(env.recipients("Rust")[0]["name"], "Ana Maria Silva");
    let path = env.path("mixed.csv");
    std::fs::write(&path, "email,name,first name\nbo@example.org,Bo Lin,Bo\n").unwrap();
    env.json(&["recipients", "import", "Rust", path.to_str().unwrap()]);
    assert_eq!(env.recipients("Rust")[1]["name"], "Bo Lin");
}

#[test]
fn reimport_detects_existing_and_update_existing_updates() {
    let env = env_with_cert();
    import(&env, "tabs.tsv", &[]);
    let again = import(&env, "tabs.tsv", &[]);
    assert_eq!(again["unchanged"], 2, "{again}");
    assert_eq!(again["added"], 0);
    let changed = env.path("changed.tsv");
    std::fs::write(
        &changed,
        "email\tname\tcity\nANA@example.org\tAna Maria\tFaro\n",
    )
    .unwrap();
    let s = env.json(&["recipients", "import", "Rust", changed.to_str().unwrap()]);
    assert_eq!(s["duplicates"], 1, "{s}");
    assert_eq!(env.recipients("Rust")[0]["name"], "Ana");
    let s = env.json(&[
        "recipients",
        "import",
        "Rust",
        changed.to_str().unwrap(),
        "--update-existing",
    ]);
    assert_eq!(s["updated"], 1, "{s}");
    let r = env.recipients("Rust");
    assert_eq!(r[0]["name"], "Ana Maria");
    assert_eq!(r[0]["fields"]["city"], "Faro");
}

#[test]
fn explicit_columns_and_delimiter() {
    let env = env_with_cert();
    let file = env.path("odd.csv");
    std::fs::write(&file, "who;contact\nAna;ana@example.org\n").unwrap();
    let f = file.to_str().unwrap();
    let err = env.fails(&["recipients", "import", "Rust", f]);
    assert!(err.contains("--email-column"), "{err}");
    env.ok(&[
        "recipients",
        "import",
        "Rust",
        f,
        "--email-column",
        "contact",
        "--name-column",
        "who",
        "--delimiter",
        ";",
    ]);
    let r = env.recipients("Rust");
    assert_eq!(r[0]["email"], "ana@example.org");
    assert_eq!(r[0]["name"], "Ana");
    let err = env.fails(&["recipients", "import", "Rust", f, "--email-column", "nope"]);
    assert!(err.contains("'nope' is not a column"), "{err}");
}

#[test]
fn a_100_mb_single_line_is_refused_quickly_and_clearly() {
    let env = env_with_cert();
    let big = env.path("big.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        f.write_all(b"email,name,").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&chunk).unwrap();
        }
    }
    let err = env.fails(&["recipients", "import", "Rust", big.to_str().unwrap()]);
    assert!(err.contains("big.csv:1"), "{err}");
    assert!(err.contains("longer than 1 MiB"), "{err}");
}

#[test]
fn unknown_certificate() {
    let env = Env::new();
    let err = env.fails(&["recipients", "import", "Nope", &fixture("csv/tabs.tsv")]);
    assert!(err.contains("no certificate named 'Nope'"), "{err}");
}

/// The export's field columns are the names the recipients have, in first-seen order, after
/// imports, updates (`--update-existing`, `recipients edit`) and removals.
#[test]
fn export_header_follows_the_field_names_through_every_write() {
    let env = env_with_cert();
    let write = |name: &str, text: &str| {
        let path = env.path(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let header = || -> Vec<String> {
        let csv = env.ok(&["export", "Rust"]);
        let first = csv.lines().next().unwrap();
        let columns: Vec<String> = first.split(',').map(str::to_owned).collect();
        columns[22..].to_vec()
    };
    let one = write(
        "one.csv",
        "email,name,course\na@example.org,A,R\nb@example.org,B,S\n",
    );
    env.ok(&["recipients", "import", "Rust", &one]);
    assert_eq!(header(), ["course"]);
    let two = write("two.csv", "email,name,grade\nc@example.org,C,B\n");
    env.ok(&["recipients", "import", "Rust", &two]);
    assert_eq!(header(), ["course", "grade"]);
    // a (the first recipient) now has only `room`: it comes first, `course` stays for b.
    let three = write("three.csv", "email,name,room\nA@example.org,A,12\n");
    env.ok(&["recipients", "import", "Rust", &three, "--update-existing"]);
    assert_eq!(header(), ["room", "course", "grade"]);
    env.ok(&["recipients", "remove", "Rust", "b@example.org", "--yes"]);
    assert_eq!(header(), ["room", "grade"]);
    env.ok(&[
        "recipients",
        "edit",
        "Rust",
        "c@example.org",
        "--field",
        "grade=",
    ]);
    assert_eq!(header(), ["room"]);
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "d@example.org",
        "--field",
        "city=Faro",
        "--field",
        "room=1",
    ]);
    assert_eq!(header(), ["room", "city"]);
    // A duplicate address within the file is still found (by its full address).
    let dup = write(
        "dup.csv",
        "email,name\nz@example.org,Z\nD@EXAMPLE.org,D\nZ@example.org,Z\n",
    );
    let err = env.fails(&["recipients", "import", "Rust", &dup]);
    assert!(err.contains("dup.csv:4:1"), "{err}");
    assert!(err.contains("already on line 2"), "{err}");
}

/// A longer file with duplicates far from and right after their first line: every duplicate
/// names its first line, and the others keep the file's order.
#[test]
fn duplicates_in_a_longer_file_name_their_first_line() {
    let env = env_with_cert();
    let mut text = String::from("email,name\n");
    for i in 0..300 {
        let email = match i {
            150 => "P10@example.org".to_string(),
            200 => "p199@EXAMPLE.org".to_string(),
            _ => format!("p{i}@example.org"),
        };
        text.push_str(&format!("{email},P {i}\n"));
    }
    let path = env.path("long.csv");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let err = env.fails(&["recipients", "import", "Rust", path]);
    assert!(
        err.contains("long.csv:152:1: <P10@example.org> is already on line 12"),
        "{err}"
    );
    assert!(
        err.contains("long.csv:202:1: <p199@EXAMPLE.org> is already on line 201"),
        "{err}"
    );
    assert!(env.recipients("Rust").is_empty());
    let s = env.json(&["recipients", "import", "Rust", path, "--skip-invalid"]);
    assert_eq!(
        (s["added"].as_u64(), s["invalid"].as_u64()),
        (Some(298), Some(2)),
        "{s}"
    );
    let emails: Vec<String> = env
        .recipients("Rust")
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..300)
        .filter(|i| *i != 150 && *i != 200)
        .map(|i| format!("p{i}@example.org"))
        .collect();
    assert_eq!(emails, expected);
    let again = env.json(&["recipients", "import", "Rust", path, "--skip-invalid"]);
    assert_eq!(again["unchanged"], 298, "{again}");
}

/// The address index of a fresh database, as schema migration 5 creates it.
fn email_index_sql(db: &std::path::Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type='index' AND name='recipients_email'",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// A large import (more lines than the database has recipients) builds the address index after
/// its rows: duplicates in the file and on the certificate are still found by their full
/// address, a failed or dry import leaves the index as it was, and a committed one leaves it
/// exactly as a fresh database has it, used by the next, smaller import.
#[test]
fn a_large_import_builds_the_address_index_after_its_rows() {
    let env = env_with_cert();
    let index = email_index_sql(&env.db).expect("the address index exists");
    env.ok(&["cert", "create", "Other"]);
    env.ok(&["recipients", "add", "Other", "p7@example.org"]);
    env.ok(&[
        "recipients",
        "add",
        "Rust",
        "p5@example.org",
        "--name",
        "P 5",
    ]);
    let rows = certstat::import_csv::BULK_MIN_LINES as usize + 2_000;
    let mut text = String::from("email,name\n");
    for i in 0..rows {
        let email = match i {
            10 => "P5@Example.org".to_string(),
            11_000 => "P11@example.org".to_string(),
            _ => format!("p{i}@example.org"),
        };
        text.push_str(&format!("{email},P {i}\n"));
    }
    let path = env.path("large.csv");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let err = env.fails(&["recipients", "import", "Rust", path]);
    assert!(
        err.contains("large.csv:11002:1: <P11@example.org> is already on line 13"),
        "{err}"
    );
    assert_eq!(
        env.recipients("Rust").len(),
        1,
        "a failed import adds nobody"
    );
    assert_eq!(email_index_sql(&env.db).as_deref(), Some(index.as_str()));
    // A dry run answers as the import would: refused, unless invalid rows are skipped.
    let err = env.fails(&["recipients", "import", "Rust", path, "--dry-run"]);
    assert!(err.contains("the import would refuse the file"), "{err}");
    let s = env.json(&[
        "recipients",
        "import",
        "Rust",
        path,
        "--dry-run",
        "--skip-invalid",
    ]);
    assert_eq!(
        (s["added"].as_u64(), s["invalid"].as_u64()),
        (Some(rows as u64 - 3), Some(1)),
        "{s}"
    );
    assert_eq!(email_index_sql(&env.db).as_deref(), Some(index.as_str()));
    let s = env.json(&["recipients", "import", "Rust", path, "--skip-invalid"]);
    assert_eq!(
        (
            s["added"].as_u64(),
            s["invalid"].as_u64(),
            s["duplicates"].as_u64()
        ),
        (Some(rows as u64 - 3), Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(email_index_sql(&env.db).as_deref(), Some(index.as_str()));
    let r = env.recipients("Rust");
    assert_eq!(r.len(), rows - 2);
    assert_eq!(
        (r[0]["email"].as_str(), r[0]["name"].as_str()),
        (Some("p5@example.org"), Some("P 5"))
    );
    assert_eq!(r[1]["email"], "p0@example.org");
    assert_eq!(env.recipients("Other").len(), 1);
    // The next import is small: it keeps the index and looks addresses up in it.
    let small = env.path("small.csv");
    std::fs::write(
        &small,
        "email,name\nP11999@example.org,P 11999\nnew@example.org,New\n",
    )
    .unwrap();
    let s = env.json(&["recipients", "import", "Rust", small.to_str().unwrap()]);
    assert_eq!(
        (s["added"].as_u64(), s["unchanged"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    env.ok(&["recipients", "remove", "Rust", "P7@example.org", "--yes"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

fn write_people(env: &Env, name: &str, rows: usize) -> String {
    let mut text = String::from("email,name,course\n");
    for i in 0..rows {
        text.push_str(&format!("p{i}@example.org,P {i},Rust {}\n", i % 7));
    }
    let path = env.path(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The size of the database's -wal file (none: 0).
fn wal_len(db: &std::path::Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn journal_mode_and_integrity(db: &std::path::Path) -> (String, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (mode, check)
}

/// A large import leaves the database in WAL mode, whether it had the database to itself (it
/// then writes with the rollback journal: the next test sees it) or another connection had it
/// open: then it cannot leave WAL, and imports everything through it while the other connection
/// goes on reading.
#[test]
fn a_large_import_leaves_the_database_in_wal_mode_and_shares_it_when_it_must() {
    let env = env_with_cert();
    let rows = certstat::import_csv::BULK_MIN_LINES as usize + 500;
    let path = write_people(&env, "alone.csv", rows);
    let s = env.json(&["recipients", "import", "Rust", &path]);
    assert_eq!(s["added"].as_u64(), Some(rows as u64), "{s}");
    assert_eq!(
        journal_mode_and_integrity(&env.db),
        ("wal".into(), "ok".into())
    );
    assert_eq!(env.recipients("Rust").len(), rows);
    let db_len = std::fs::metadata(&env.db).unwrap().len();

    // Another process has the database open (as `serve` would): the import stays in WAL mode.
    env.ok(&["cert", "create", "Busy"]);
    let other = rusqlite::Connection::open(&env.db).unwrap();
    let n: i64 = other
        .query_row("SELECT count(*) FROM recipients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, rows as i64);
    let s = env.json(&["recipients", "import", "Busy", &path]);
    assert_eq!(s["added"].as_u64(), Some(rows as u64), "{s}");
    assert!(
        wal_len(&env.db) > db_len / 4,
        "with another connection open the import goes through the WAL ({} bytes)",
        wal_len(&env.db)
    );
    let n: i64 = other
        .query_row(
            "SELECT count(*) FROM recipients r JOIN certificates c ON c.id = r.certificate_id \
             WHERE c.name = 'Busy'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, rows as i64, "the other connection sees the import");
    drop(other);
    assert_eq!(
        journal_mode_and_integrity(&env.db),
        ("wal".into(), "ok".into())
    );
}

/// A large import killed (SIGKILL) while it writes with the rollback journal leaves nothing of
/// itself: the next command that opens the database rolls the write back and returns it to WAL
/// mode.
#[test]
fn a_large_import_killed_mid_write_leaves_nothing_and_the_next_open_recovers() {
    let env = env_with_cert();
    env.ok(&["recipients", "add", "Rust", "first@example.org"]);
    let rows = 200_000;
    let path = write_people(&env, "killed.csv", rows);
    let mut journal = env.db.as_os_str().to_owned();
    journal.push("-journal");
    let journal = std::path::PathBuf::from(journal);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
        .args(["-q", "recipients", "import", "Rust", &path])
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("HOME", env.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its rollback journal exists, and it has written pages into the database.
    let start = std::time::Instant::now();
    let size_before = std::fs::metadata(&env.db).unwrap().len();
    let mut seen = false;
    while start.elapsed() < std::time::Duration::from_secs(60) {
        if journal.exists() && std::fs::metadata(&env.db).unwrap().len() > size_before {
            seen = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        seen,
        "the import never wrote to the database with a rollback journal before it ended"
    );
    assert!(journal.exists(), "the killed import left its journal");
    // The next command recovers: nobody of the import, the recipient from before kept.
    let r = env.recipients("Rust");
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["email"], "first@example.org");
    assert!(!journal.exists(), "the journal is rolled back and gone");
    assert_eq!(
        journal_mode_and_integrity(&env.db),
        ("wal".into(), "ok".into())
    );
    // And the same file imports in full afterwards.
    let s = env.json(&["recipients", "import", "Rust", &path]);
    assert_eq!(s["added"].as_u64(), Some(rows as u64), "{s}");
}

/// Writes `names` as a two-column CSV encoded in `label` (with a byte-order mark when `bom`).
fn write_encoded(env: &Env, label: &str, names: &[&str], bom: bool) -> String {
    let mut text = String::from("Name,Email\n");
    for (i, n) in names.iter().enumerate() {
        text.push_str(&format!("{n},person{i}@example.org\n"));
    }
    let bytes: Vec<u8> = match label {
        "utf-16le" | "utf-16be" => {
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut b: Vec<u8> = Vec::new();
            if bom {
                b.extend(if label == "utf-16le" {
                    [0xFF, 0xFE]
                } else {
                    [0xFE, 0xFF]
                });
            }
            for u in units {
                b.extend(if label == "utf-16le" {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            b
        }
        _ => {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
            let (b, _, unmappable) = enc.encode(&text);
            assert!(!unmappable, "{label} cannot encode the sample names");
            b.into_owned()
        }
    };
    let path = env.dir.path().join(format!("{label}-{bom}.csv"));
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn imported_names(env: &Env) -> Vec<String> {
    env.recipients("Rust")
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

/// Each legacy encoding with names in its own script: detected, decoded, reported.
#[test]
fn every_legacy_encoding_is_detected_and_decoded_with_its_names() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "windows-1250",
            &[
                "Łukasz Żółkiewski",
                "Dvořák Šťastný",
                "Ágnes Szőke",
                "Zofia Wąsowicz",
            ],
            &["windows-1250", "iso-8859-2"],
        ),
        (
            "windows-1251",
            &[
                "Дмитрий Шостакович",
                "Анна Ахматова",
                "Сергей Прокофьев",
                "Марина Цветаева",
            ],
            &["windows-1251"],
        ),
        (
            "windows-1252",
            &[
                "Geneviève Lefèvre",
                "Jürgen Müller",
                "Renée Beauté",
                "François Piñón",
            ],
            &["windows-1252"],
        ),
        (
            "windows-1253",
            &[
                "Γιώργος Παπαδόπουλος",
                "Ελένη Καραγιάννη",
                "Νίκος Καζαντζάκης",
                "Μαρία Κάλλας",
            ],
            &["windows-1253", "iso-8859-7"],
        ),
        (
            "windows-1254",
            &[
                "Şükrü Öztürk",
                "Ayşe Güneş",
                "İsmail Çağlar",
                "Gülşen Yıldız",
            ],
            &["windows-1254"],
        ),
        (
            "iso-8859-2",
            &[
                "Łukasz Żółkiewski",
                "Dvořák Šťastný",
                "Zofia Wąsowicz",
                "Ágnes Szőke",
            ],
            &["iso-8859-2", "windows-1250"],
        ),
        (
            "iso-8859-7",
            &[
                "Γιώργος Παπαδόπουλος",
                "Ελένη Καραγιάννη",
                "Νίκος Καζαντζάκης",
            ],
            &["iso-8859-7", "windows-1253"],
        ),
        (
            "shift_jis",
            &["山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲"],
            &["Shift_JIS"],
        ),
        (
            "euc-jp",
            &["山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲"],
            &["EUC-JP"],
        ),
        (
            "gb18030",
            &["王小明", "李华", "张伟", "刘芳芳"],
            &["GBK", "gb18030"],
        ),
        ("big5", &["陳大文", "林志玲", "黃美麗", "張學友"], &["Big5"]),
        (
            "euc-kr",
            &["김민준", "이서연", "박지훈", "최수빈"],
            &["EUC-KR"],
        ),
    ];
    for (label, names, seen_as) in cases {
        let env = env_with_cert();
        let path = write_encoded(&env, label, names, false);
        let s = env.json(&["recipients", "import", "Rust", path.as_str()]);
        let enc = s["encoding"].as_str().unwrap();
        assert!(
            seen_as.iter().any(|e| e.eq_ignore_ascii_case(enc)),
            "{label}: reported as {enc}"
        );
        let mut got = imported_names(&env);
        let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{label} (detected as {enc})");
        // Forced, it decodes the same.
        let env = env_with_cert();
        let s = env.json(&[
            "recipients",
            "import",
            "Rust",
            path.as_str(),
            "--encoding",
            label,
        ]);
        assert!(
            s["committed"] == true || s["added"] == names.len() as u64,
            "{label}: {s}"
        );
        let mut got = imported_names(&env);
        got.sort();
        assert_eq!(got, want, "{label} forced");
    }
}

#[test]
fn utf16_with_and_without_a_byte_order_mark_is_decoded() {
    let names = ["Jürgen Müller", "Дмитрий Шостакович", "山田太郎"];
    for (label, bom) in [
        ("utf-16le", true),
        ("utf-16be", true),
        ("utf-16le", false),
        ("utf-16be", false),
    ] {
        let env = env_with_cert();
        let path = write_encoded(&env, label, &names, bom);
        let s = env.json(&["recipients", "import", "Rust", path.as_str()]);
        assert_eq!(s["encoding"], label.to_uppercase(), "{label} bom={bom}");
        let mut got = imported_names(&env);
        got.sort();
        let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{label} bom={bom}");
    }
}

#[test]
fn bytes_invalid_in_the_forced_encoding_are_refused_naming_it_and_the_line() {
    let env = env_with_cert();
    let path = env.dir.path().join("bad-sjis.csv");
    // 0x85 0x20 is not a Shift_JIS character.
    std::fs::write(
        &path,
        b"Name,Email\nA,a@example.org\n\x85\x20x,b@example.org\n",
    )
    .unwrap();
    let err = env.fails(&[
        "recipients",
        "import",
        "Rust",
        path.to_str().unwrap(),
        "--encoding",
        "shift_jis",
    ]);
    assert!(err.contains("bad-sjis.csv:3"), "{err}");
    assert!(err.contains("Shift_JIS"), "{err}");
    assert!(env.recipients("Rust").is_empty());
}

#[test]
fn name_cells_with_line_breaks_are_joined_with_a_space_and_warned_about() {
    let env = env_with_cert();
    // Alt+Enter in Excel (LF), CR LF and CR line ends, blank lines inside the cell, the Unicode
    // line and paragraph separators: every shape. (LF between records: the csv crate numbers
    // the lines of CR LF files one short.)
    let csv = "email,name,city\n\
               ana@example.org,\"Ana\nSilva\",Lisboa\n\
               bo@example.org,\"Bo\r\n  Li \",\"two\nlines\"\n\
               cy@example.org,\"Cy\rRo\",Paris\n\
               di@example.org,\"Di\n\n\nDa\n\",Rome\n\
               ed@example.org,Ed\u{2028}Ek,Oslo\n\
               fa@example.org,Fa\u{2029}Fo\u{2028}\u{2028}Fu,Riga\n\
               gi@example.org,Gi Plain,Bern\n";
    let path = env.path("breaks.csv");
    std::fs::write(&path, csv).unwrap();
    let out = env
        .cmd()
        .args([
            "recipients",
            "import",
            "Rust",
            path.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["added"], 7, "{s}");
    assert_eq!(s["invalid"], 0, "{s}");
    let warnings = s["warnings"].as_array().unwrap();
    let lines: Vec<u64> = warnings
        .iter()
        .map(|w| w["line"].as_u64().unwrap())
        .collect();
    // Six rows, each warned about at its own line (the csv crate counts a CR inside a cell as
    // a line of its own, so the lines after Bo's and Cy's cells are its numbering).
    assert_eq!(lines.len(), 6, "{s}");
    assert_eq!(lines[..2], [2, 4], "{s}");
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{s}");
    assert!(warnings.iter().all(|w| w["column"] == 2), "{s}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("breaks.csv:2:2: the name had line breaks")
            && stderr.contains("'Ana Silva'"),
        "{stderr}"
    );
    let names: std::collections::HashMap<String, String> = env
        .recipients("Rust")
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (email, name) in [
        ("ana@example.org", "Ana Silva"),
        ("bo@example.org", "Bo Li"),
        ("cy@example.org", "Cy Ro"),
        ("di@example.org", "Di Da"),
        ("ed@example.org", "Ed Ek"),
        ("fa@example.org", "Fa Fo Fu"),
        ("gi@example.org", "Gi Plain"),
    ] {
        assert_eq!(names[email], name);
    }
    // Other columns keep their line breaks: only the name is a single line.
    let fields: String = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row(
            "SELECT fields FROM recipients WHERE email_key = 'bo@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(fields.contains("two\\nlines"), "{fields}");

    // `recipients add --name` the same way; a name with a real control character is still refused.
    let err = env
        .cmd()
        .args([
            "recipients",
            "add",
            "Rust",
            "hy@example.org",
            "--name",
            "Hy\nHo",
        ])
        .output()
        .unwrap();
    assert!(err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("added as 'Hy Ho'"));
    let refused = env.fails(&[
        "recipients",
        "add",
        "Rust",
        "ix@example.org",
        "--name",
        "Ix\u{7}Ox",
    ]);
    assert!(refused.contains("control character U+0007"), "{refused}");
}

#[test]
fn utf8_with_a_damaged_byte_is_refused_at_its_place_not_read_as_a_legacy_encoding() {
    let env = env_with_cert();
    // A stray windows-1252 byte among UTF-8 names, in several scripts: decoded as
    // windows-1252 every other name would be garbled ("JosÃ©").
    let shapes: [(&[u8], &str); 3] = [
        (
            b"Name,Email\nJos\xC3\xA9 M\xC3\xBCller,a@example.org\nZo\xE9,b@example.org\n",
            ":3:3:",
        ),
        (
            "Name,Email\nФёдор Достоевский,c@example.org\nx\u{85},d@example.org\n"
                .as_bytes(),
            "",
        ),
        (
            b"Name,Email\n\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E,e@example.org\nAn \x85,f@example.org\n",
            ":3:4:",
        ),
    ];
    for (i, (bytes, at)) in shapes.into_iter().enumerate() {
        let path = env.dir.path().join(format!("damaged-{i}.csv"));
        let mut bytes = bytes.to_vec();
        if at.is_empty() {
            // The second shape alone is valid UTF-8 (U+0085 encoded): damage it on a new line.
            bytes.extend_from_slice(b"g\x85,g@example.org\n");
        }
        let path = path_str(&path, &bytes);
        let err = env.fails(&["recipients", "import", "Rust", path]);
        let at = if at.is_empty() { ":4:2:" } else { at };
        assert!(err.contains(&format!("damaged-{i}.csv{at}")), "{err}");
        assert!(err.contains("not valid UTF-8"), "{err}");
        assert!(env.recipients("Rust").is_empty(), "shape {i}");
    }
}

fn path_str<'a>(path: &'a std::path::Path, bytes: &[u8]) -> &'a str {
    std::fs::write(path, bytes).unwrap();
    path.to_str().unwrap()
}
