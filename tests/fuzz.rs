//! Bounded mutation fuzzing of every parser that reads outside input: CSV import, bounce
//! parsing and classification, provider webhook JSON, the config file and email templates.
//!
//! Each target starts from the repository's fixtures, mutates them (bit flips, interesting
//! bytes such as quotes, delimiters, line breaks, invalid UTF-8 and control characters, deleted,
//! duplicated and spliced ranges) with a seeded generator, and runs the real library code on
//! each input for `CERTSTAT_FUZZ_SECONDS` seconds (default 1; `.ci/run` gives more). A panic,
//! even one the code catches itself (a panic hook sees it), fails the target and writes the
//! input to `target/fuzz-crashes/` so that it can become a regression test. Each run prints
//! its executions.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use certstat::import_csv::{self, Encoding, ImportOptions};
use certstat::refresh::providers::{self, Provider};

/// A small xorshift generator: deterministic runs from a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xae",
    b"\x1b[2J",
    b"\xc2\x9b",
    b"@",
    b"[",
    b"]",
    b"{",
    b"}",
    b"{{",
    b"}}",
    b"{%",
    b"%}",
    b"=",
    b"\\",
    b"<",
    b">",
    b"--",
    b"boundary=",
    b"Content-Type: multipart/report; boundary=\"b\"\n",
    b"\xef\xbb\xbf",
    b"\xfe\xff",
    b"9999999999999999999999",
    b"-1",
    b"0",
    b"null",
    b"true",
    b"ana@[",
    b"\xe6\x97\xa5\xe6\x9c\xac",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                let what = INTERESTING[rng.below(INTERESTING.len())];
                input.splice(at..at, what.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                input.drain(a..b);
            }
            4 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256)).min(len);
                let copy: Vec<u8> = input[a..b].to_vec();
                let at = rng.below(input.len() + 1);
                input.splice(at..at, copy);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + 1 + rng.below(512)).min(other.len());
                    let at = rng.below(input.len() + 1);
                    input.splice(at..at, other[a..b].iter().copied());
                }
            }
            _ => {
                let at = rng.below(len + 1);
                input.truncate(at);
            }
        }
    }
    input.truncate(1 << 18);
}

fn seconds() -> f64 {
    std::env::var("CERTSTAT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0)
}

/// Panics seen by the hook, per thread name (targets run on their own test threads).
static PANICS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let thread = std::thread::current().name().unwrap_or("").to_string();
            PANICS.lock().unwrap().push((thread, info.to_string()));
        }));
    });
}

fn panics_here() -> Vec<String> {
    let me = std::thread::current().name().unwrap_or("").to_string();
    let mut all = PANICS.lock().unwrap();
    let (mine, rest): (Vec<_>, Vec<_>) = all.drain(..).partition(|(t, _)| *t == me);
    *all = rest;
    mine.into_iter().map(|(_, m)| m).collect()
}

fn read_seeds(dir: &str, ext: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| ext.iter().any(|x| p.extension().is_some_and(|e| e == *x)))
        .collect();
    paths.sort();
    for p in paths {
        out.push(std::fs::read(p).unwrap());
    }
    assert!(!out.is_empty(), "seeds in {dir}");
    out
}

/// Run `target` on mutations of `seeds` for the configured time; panics fail the test.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, mut target: impl FnMut(&[u8])) {
    install_hook();
    let crashes = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64 ^ name.as_bytes()[0] as u64);
    let limit = Duration::from_secs_f64(seconds());
    let started = Instant::now();
    let mut execs = 0u64;
    // The seeds themselves first, then mutations.
    let mut queue: Vec<Vec<u8>> = seeds.clone();
    while started.elapsed() < limit || !queue.is_empty() {
        let input = match queue.pop() {
            Some(seed) => seed,
            None => {
                let mut m = seeds[rng.below(seeds.len())].clone();
                mutate(&mut rng, &seeds, &mut m);
                m
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&input)));
        execs += 1;
        let seen = panics_here();
        if outcome.is_err() || !seen.is_empty() {
            std::fs::create_dir_all(&crashes).unwrap();
            let file = crashes.join(format!("{name}-{execs}.bin"));
            std::fs::write(&file, &input).unwrap();
            let message = format!(
                "fuzz {name}: a panic after {execs} executions ({}); input saved as {}",
                seen.join("; "),
                file.display()
            );
            eprintln!("{message}");
            panic!(
                "fuzz {name}: a panic after {execs} executions ({}); input saved as {}",
                seen.join("; "),
                file.display()
            );
        }
    }
    eprintln!(
        "fuzz {name}: {execs} executions in {:.1} s, no panic",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn fuzz_csv_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fuzz.db");
    let mut conn = certstat::db::open(&db).unwrap();
    certstat::db::migrations::migrate(&mut conn).unwrap();
    let mut cert = certstat::model::Certificate::new("Fuzz", "2026-01-01T00:00:00Z");
    cert.issuer = "Fuzz".into();
    let cert_id = certstat::db::certs::insert(&conn, &cert).unwrap();
    let file = dir.path().join("in.csv");
    let mut seeds = read_seeds("tests/fixtures/csv", &["csv", "tsv"]);
    seeds.push(
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/recipients.csv"))
            .unwrap(),
    );
    fuzz("csv", seeds, |input| {
        std::fs::write(&file, input).unwrap();
        for (dry_run, skip_invalid) in [(true, false), (true, true)] {
            let opts = ImportOptions {
                email_column: None,
                name_column: None,
                delimiter: None,
                encoding: Encoding::AUTO,
                skip_invalid,
                dry_run,
                update_existing: false,
            };
            let _ = import_csv::import(
                &conn,
                cert_id,
                &file,
                &opts,
                "2026-01-01T00:00:00Z",
                &|_, _| {},
            );
        }
    });
}

fn bounce_target(input: &[u8]) {
    let a = certstat::bounce::analyze(input);
    let _ = format!("{a:?}");
}

#[test]
fn fuzz_bounce_parsing_and_classification() {
    let seeds = read_seeds("tests/fixtures/bounces", &["eml"]);
    fuzz("bounce", seeds, bounce_target);
}

/// Every input a fuzz run found a panic with, kept in `tests/fixtures/fuzz-regressions/`
/// (named after its target), runs without one.
#[test]
fn fuzz_regressions_stay_fixed() {
    install_hook();
    let seeds = read_seeds("tests/fixtures/fuzz-regressions", &["eml"]);
    assert!(!seeds.is_empty());
    for input in &seeds {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bounce_target(input)));
        let seen = panics_here();
        assert!(outcome.is_ok() && seen.is_empty(), "{seen:?}");
    }
}

#[test]
fn fuzz_provider_json() {
    let seeds = read_seeds("tests/fixtures/webhooks", &["json", "jsonl"]);
    fuzz("providers", seeds, |input| {
        let text = String::from_utf8_lossy(input);
        let _ = providers::detect(&text);
        for p in [
            Provider::Sendgrid,
            Provider::Ses,
            Provider::Postmark,
            Provider::Mailgun,
        ] {
            let _ = providers::parse(p, &text);
        }
        let mut reader: &[u8] = input;
        let _ = providers::sniff(&mut reader, "fuzz");
    });
}

#[test]
fn fuzz_config() {
    let seeds = vec![
        b"[sender]\nfrom = \"Certificates <c@example.org>\"\nreply_to = \"r@example.org\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = 587\nstarttls = true\nusername = \"u\"\npassword_env = \"PW\"\n\n[refresh]\nmaildirs = [\"/tmp/m\"]\nsettle = \"72h\"\n".to_vec(),
        b"[serve]\nlisten = \"127.0.0.1:8080\"\npublic_url = \"https://x.example\"\n\n[outbox]\ndir = \"/tmp/o\"\n".to_vec(),
        b"".to_vec(),
    ];
    fuzz("config", seeds, |input| {
        let text = String::from_utf8_lossy(input);
        let _ = certstat::config::Config::parse(&text);
    });
}

#[test]
fn fuzz_templates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = vec![
        std::fs::read(root.join("src/mail/default.txt")).unwrap(),
        std::fs::read(root.join("src/mail/default.html")).unwrap(),
        b"Your certificate: {{ certificate.name }} {% for i in range(3) %}{{ i }}{% endfor %} {{ recipient.fields.city | upper }} {% if x %}{{ x }}{% endif %}".to_vec(),
    ];
    fuzz("templates", seeds, |input| {
        let text = String::from_utf8_lossy(input).to_string();
        let mut cert = certstat::model::Certificate::new("Fuzz", "");
        cert.issuer = "Fuzz".into();
        cert.subject_tpl = Some(text.lines().next().unwrap_or("").to_string());
        cert.body_tpl = Some(text.clone());
        cert.html_tpl = Some(text);
        let _ = certstat::mail::template::check(&cert, None);
        let columns = vec!["city".to_string(), "First Name".to_string()];
        let _ = certstat::mail::template::check(&cert, Some(&columns));
    });
}
