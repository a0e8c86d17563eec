//! The suppression list (`certstat suppress`) and the sending guardrail: hard bounces and
//! complaints of any certificate keep `send` from mailing the address again, with the reason;
//! a run stops when too many of its messages hard-bounce or one draws a complaint.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Env;
use crate::remind::{Rig, at, rig, tag};

fn maildir(env: &Env, name: &str) -> PathBuf {
    let dir = env.path(name);
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    dir
}

fn add(env: &Env, cert: &str, emails: &[String]) {
    let csv = env.path(&format!("{}.csv", emails.len()));
    let mut text = String::from("email,name\n");
    for e in emails {
        text.push_str(&format!("{e},Someone\n"));
    }
    std::fs::write(&csv, text).unwrap();
    env.ok(&["-q", "recipients", "import", cert, csv.to_str().unwrap()]);
}

fn send_json(env: &Env, args: &[&str]) -> (bool, Value, String) {
    let mut all = vec!["send"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let (ok, out, err) = at(env, &now(), &all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (ok, v, err)
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn statuses(env: &Env, cert: &str) -> std::collections::HashMap<String, String> {
    env.recipients(cert)
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn problem<'v>(summary: &'v Value, email: &str) -> Option<&'v Value> {
    summary["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == email)
}

/// Without a server (the outbox): a hard bounce and a complaint imported for one certificate,
/// and an address added by hand, are skipped by `send` of another certificate with the reason
/// shown; `--ignore-suppression` and `suppress remove` let them through; the list is listed,
/// exported and imported as CSV, and a bad import line is an error with file and line that
/// adds nothing.
#[test]
fn suppressed_addresses_are_skipped_by_send_with_the_reason() {
    let env = Env::new();
    env.write_config("[sender]\nfrom = \"certs@acme.example\"\n");
    let [gone, spam, hand, fine] =
        ["gone", "spam", "hand", "fine"].map(|w| format!("{w}@example.org"));
    env.ok(&["cert", "create", "First"]);
    add(&env, "First", &[gone.clone(), spam.clone()]);
    assert!(send_json(&env, &["First"]).0);
    let t = now();
    let lines = format!(
        "{{\"certificate\":\"First\",\"email\":\"{gone}\",\"kind\":\"bounced\",\"at\":\"{t}\",\"source\":\"provider\",\"detail\":{{\"status\":\"5.1.1\",\"reason\":\"user unknown\",\"hard\":true}}}}\n\
         {{\"certificate\":\"First\",\"email\":\"{spam}\",\"kind\":\"complained\",\"at\":\"{t}\",\"source\":\"provider\",\"detail\":{{}}}}\n"
    );
    let file = env.path("events.jsonl");
    std::fs::write(&file, lines).unwrap();
    env.ok(&[
        "events",
        "import",
        file.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    env.ok(&["suppress", "add", &hand, "--reason", "asked us by phone"]);

    env.ok(&["cert", "create", "Second"]);
    add(
        &env,
        "Second",
        &[gone.clone(), spam.clone(), hand.clone(), fine.clone()],
    );
    let (ok, s, _) = send_json(&env, &["Second"]);
    assert!(ok, "{s}");
    assert_eq!(
        (s["sent"].as_u64(), s["suppressed"].as_u64()),
        (Some(1), Some(3)),
        "{s}"
    );
    for (who, why) in [
        (&gone, "hard bounce: 5.1.1 user unknown"),
        (&spam, "spam complaint"),
        (&hand, "asked us by phone"),
    ] {
        let p = problem(&s, who).unwrap_or_else(|| panic!("{who} not reported: {s}"));
        assert_eq!(p["outcome"], "suppressed");
        let detail = p["detail"].as_str().unwrap();
        assert!(
            detail.contains(why) && detail.contains("suppress remove"),
            "{detail}"
        );
    }
    let st = statuses(&env, "Second");
    assert_eq!(st[&fine], "pending");
    assert_eq!(st[&gone], "not_sent");
    // The text summary shows the reason too.
    let (_, out, _) = at(&env, &now(), &["send", "Second"]);
    assert!(
        out.contains(&format!("suppressed {spam}: spam complaint")),
        "{out}"
    );

    // The list, its CSV export and a re-import elsewhere.
    let list = env.json(&["suppress", "list"]);
    let causes: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().into(),
                e["cause"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        causes,
        [
            (gone.clone(), "hard_bounce".to_string()),
            (hand.clone(), "manual".to_string()),
            (spam.clone(), "complaint".to_string())
        ]
    );
    let csv = env.path("suppressed.csv");
    env.ok(&["suppress", "export", "-o", csv.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(
        exported.starts_with("email,cause,reason,at\n"),
        "{exported}"
    );
    assert_eq!(exported.lines().count(), 4, "{exported}");
    let other = Env::new();
    other.ok(&["suppress", "import", csv.to_str().unwrap()]);
    let imported = other.json(&["suppress", "list"]);
    assert_eq!(imported.as_array().unwrap().len(), 3, "{imported}");

    let bad = env.path("bad.csv");
    std::fs::write(
        &bad,
        "email,reason\nnew@example.org,ok\nnot an address,oops\n",
    )
    .unwrap();
    let err = other.fails(&["suppress", "import", bad.to_str().unwrap()]);
    assert!(
        err.contains("bad.csv:3") && err.contains("not an address"),
        "{err}"
    );
    assert_eq!(
        other.json(&["suppress", "list"]).as_array().unwrap().len(),
        3,
        "nothing added"
    );
    // Quoting mistakes the CSV reader would take silently (an unclosed quote swallows every
    // address after it; a stray quote inside a value) refuse the file, naming the line.
    for (i, (text, line)) in [
        (
            "email,reason\na@example.org,\"asked\nb@example.org,bounced\n",
            2,
        ),
        (
            "email,reason\na@example.org,ok\nb@example.org,said \"no\" twice\n",
            3,
        ),
        ("email,reason\n\"c@example.org,x\nd@example.org,y\n", 2),
    ]
    .into_iter()
    .enumerate()
    {
        let quoted = env.path(&format!("quotes-{i}.csv"));
        std::fs::write(&quoted, text).unwrap();
        let err = other.fails(&["suppress", "import", quoted.to_str().unwrap()]);
        assert!(err.contains(&format!("quotes-{i}.csv:{line}:")), "{err}");
        assert!(err.contains("nothing was suppressed"), "{err}");
    }
    assert_eq!(
        other.json(&["suppress", "list"]).as_array().unwrap().len(),
        3,
        "nothing added"
    );
    let err = other.fails(&["suppress", "add", "nobody"]);
    assert!(err.contains("'nobody'"), "{err}");

    // --ignore-suppression mails them all; `suppress remove` lifts one for good.
    let (ok, s, _) = send_json(&env, &["Second", "--to", &spam, "--ignore-suppression"]);
    assert!(ok && s["sent"] == 1, "{s}");
    env.ok(&["suppress", "remove", &gone]);
    let (ok, s, _) = send_json(&env, &["Second"]);
    assert!(ok, "{s}");
    assert_eq!(
        (s["sent"].as_u64(), s["suppressed"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(statuses(&env, "Second")[&gone], "pending");
    assert!(problem(&s, &hand).is_some(), "{s}");
}

/// Copies, into `into`, the DSNs in the rig's shared bounce Maildir that name an address
/// containing `tag`; files seen before are not read again.
struct Dsns {
    from: PathBuf,
    seen: HashSet<String>,
}

impl Dsns {
    /// Everything already in the bounce Maildir is older than this test's messages.
    fn start(rig: &Rig) -> Dsns {
        let mut d = Dsns {
            from: rig.bounce_maildir.clone(),
            seen: HashSet::new(),
        };
        for name in d.names() {
            d.seen.insert(name.0);
        }
        d
    }

    fn names(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(rd) = std::fs::read_dir(self.from.join(sub)) else {
                continue;
            };
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let base = name.split(':').next().unwrap_or_default().to_string();
                out.push((base, e.path()));
            }
        }
        out
    }

    /// Copy the new DSNs about `tag`; returns how many were copied.
    fn copy(&mut self, tag: &str, into: &Path) -> usize {
        let mut n = 0;
        for (base, path) in self.names() {
            if self.seen.contains(&base) {
                continue;
            }
            let Ok(raw) = std::fs::read(&path) else {
                continue;
            };
            self.seen.insert(base.clone());
            if String::from_utf8_lossy(&raw).to_lowercase().contains(tag) {
                std::fs::write(into.join("new").join(&base), raw).unwrap();
                n += 1;
            }
        }
        n
    }
}

/// Through Postfix: an address the rig does not know bounces (a real DSN, read by `refresh`);
/// another certificate's `send` then skips it as suppressed, until `suppress remove`.
#[test]
fn a_postfix_hard_bounce_suppresses_the_address_for_every_certificate() {
    let Some(rig) = rig("the suppression tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env("Bounced Once");
    let t = tag("sp");
    let (local, domain) = rig.unknown_user.rsplit_once('@').unwrap();
    let unknown = format!("{local}{t}@{domain}");
    let fine = format!("{t}-fine@example.test");
    let mut dsns = Dsns::start(&rig);
    add(&env, "Bounced Once", &[unknown.clone(), fine.clone()]);
    assert!(send_json(&env, &["Bounced Once"]).0);
    let local_md = maildir(&env, "dsns");
    let deadline = Instant::now() + Duration::from_secs(30);
    while dsns.copy(&t, &local_md) == 0 {
        assert!(
            Instant::now() < deadline,
            "no DSN for {unknown} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    env.ok(&["-q", "refresh", "--maildir", local_md.to_str().unwrap()]);
    assert_eq!(statuses(&env, "Bounced Once")[&unknown], "bounced");

    env.ok(&["cert", "create", "Next Course"]);
    add(&env, "Next Course", &[unknown.clone(), fine.clone()]);
    let (ok, s, _) = send_json(&env, &["Next Course"]);
    assert!(ok, "{s}");
    assert_eq!(
        (s["sent"].as_u64(), s["suppressed"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    let p = problem(&s, &unknown).unwrap();
    assert!(
        p["detail"].as_str().unwrap().contains("hard bounce: 5.1.1"),
        "{p}"
    );
    assert!(
        p["detail"].as_str().unwrap().contains("'Bounced Once'"),
        "{p}"
    );

    env.ok(&["suppress", "remove", &unknown]);
    let (ok, s, _) = send_json(&env, &["Next Course"]);
    assert!(ok && s["sent"] == 1, "{s}");
}

/// The guardrail through the rig: every recipient is an address Postfix bounces; `refresh`
/// runs meanwhile (as cron would), and the run stops once, after its first 50 outcomes, more
/// than 5% of them hard-bounced, saying why; everyone not mailed stays Not Sent.
#[test]
fn guardrail_stops_a_run_whose_messages_hard_bounce() {
    let Some(rig) = rig("the guardrail tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env("Bad List");
    let t = tag("gr");
    let (local, domain) = rig.unknown_user.rsplit_once('@').unwrap();
    let people: Vec<String> = (0..100)
        .map(|i| format!("{local}{t}n{i:03}@{domain}"))
        .collect();
    add(&env, "Bad List", &people);
    let mut dsns = Dsns::start(&rig);
    let local_md = maildir(&env, "dsns");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let refresher = {
        let stop = std::sync::Arc::clone(&stop);
        let md = local_md.clone();
        let db = env.db.clone();
        let config = env.config.clone();
        let home = env.dir.path().to_path_buf();
        let t = t.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                if dsns.copy(&t, &md) > 0 {
                    let _ = std::process::Command::new(env!("CARGO_BIN_EXE_certstat"))
                        .env_clear()
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("HOME", &home)
                        .env("CERTSTAT_DB", &db)
                        .env("CERTSTAT_CONFIG", &config)
                        .args(["-q", "refresh", "--maildir", md.to_str().unwrap()])
                        .status();
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let (ok, s, err) = send_json(&env, &["Bad List", "--rate", "20"]);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    refresher.join().unwrap();
    assert!(!ok, "a stopped run fails: {s}\n{err}");
    let why = s["stopped"].as_str().unwrap_or_default();
    assert!(
        why.contains("guardrail") && why.contains("hard-bounced"),
        "{s}"
    );
    let sent = s["sent"].as_u64().unwrap();
    assert!(
        (50..100).contains(&sent),
        "stopped after its first 50 outcomes: {s}"
    );
    let st = statuses(&env, "Bad List");
    let not_sent = st.values().filter(|v| *v == "not_sent").count();
    assert!(not_sent > 0 && not_sent as u64 <= 100 - sent, "{st:?}");
    assert!(
        st.values()
            .all(|v| ["not_sent", "pending", "bounced"].contains(&v.as_str())),
        "{st:?}"
    );
}

/// The guardrail stops a run at its first complaint (one arriving through `events import`
/// while the run goes on), before 50 outcomes.
#[test]
fn guardrail_stops_a_run_at_its_first_complaint() {
    let Some(rig) = rig("the guardrail tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env("Complained");
    let t = tag("gc");
    let people: Vec<String> = (0..40)
        .map(|i| format!("{t}-{i:03}@example.test"))
        .collect();
    add(&env, "Complained", &people);
    let first = people[0].clone();
    let file = env.path("complaint.jsonl");
    let child = crate::serve::std_cmd(&env)
        .env("CERTSTAT_SEND_BACKOFF_MS", "10")
        .args(["send", "Complained", "--rate", "8", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the first message is delivered, its recipient complains.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !rig.delivered(&t, 0).contains_key(&first) {
        assert!(
            Instant::now() < deadline,
            "the first message was not delivered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(
        &file,
        format!(
            "{{\"certificate\":\"Complained\",\"email\":\"{first}\",\"kind\":\"complained\",\"at\":\"{}\",\"source\":\"provider\",\"detail\":{{}}}}\n",
            now()
        ),
    )
    .unwrap();
    env.ok(&[
        "events",
        "import",
        file.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let out = child.wait_with_output().unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!out.status.success(), "{s}");
    assert!(
        s["stopped"]
            .as_str()
            .unwrap_or_default()
            .contains("complaint"),
        "{s}"
    );
    let sent = s["sent"].as_u64().unwrap();
    assert!(sent < 40, "{s}");
    let st = statuses(&env, "Complained");
    assert!(
        st.values().filter(|v| *v == "not_sent").count() > 0,
        "{st:?}"
    );
}

/// The guardrail's threshold from `[guardrail] max_hard_bounces`, and the flag over it: a
/// fifth of each list is refused by Postfix at RCPT time (550 5.1.1, counted at once). With 25%
/// in the file the run goes to the end; with 10% in the file, or `--max-hard-bounces 10%` over
/// the file's 25%, it stops after its first 50 outcomes and names where the limit came from.
#[test]
fn guardrail_threshold_from_the_config_file_and_the_flag_over_it() {
    let Some(rig) = rig("the guardrail tests send through the Postfix rig") else {
        return;
    };
    let env = rig.env("Threshold");
    let base = std::fs::read_to_string(&env.config).unwrap();
    let t = tag("gt");
    let list = |cert: &str| -> Vec<String> {
        let people: Vec<String> = (0..120)
            .map(|i| {
                let local = if i % 5 == 0 { "unknown" } else { "ok" };
                format!("{local}{t}{cert}{i:03}@example.test")
            })
            .collect();
        env.ok(&["cert", "create", cert, "--issuer", "ACME"]);
        add(&env, cert, &people);
        people
    };
    let config = |percent: &str| {
        std::fs::write(
            &env.config,
            format!("{base}\n[guardrail]\nmax_hard_bounces = {percent}\n"),
        )
        .unwrap()
    };

    config("25");
    list("a");
    let (ok, s, err) = send_json(&env, &["a"]);
    assert!(ok, "{s}\n{err}");
    assert!(s["stopped"].is_null(), "{s}");
    assert_eq!(
        (s["sent"].as_u64(), s["bounced"].as_u64()),
        (Some(96), Some(24)),
        "{s}"
    );

    for (cert, percent, flag, source) in [
        ("b", "\"10%\"", None, "[guardrail] max_hard_bounces"),
        ("c", "25", Some("10%"), "--max-hard-bounces"),
    ] {
        config(percent);
        list(cert);
        let mut args = vec![cert, "--rate", "30"];
        if let Some(f) = flag {
            args.extend(["--max-hard-bounces", f]);
        }
        let (ok, s, err) = send_json(&env, &args);
        assert!(!ok, "{cert}: a stopped run fails: {s}\n{err}");
        let why = s["stopped"].as_str().unwrap_or_default();
        assert!(
            why.contains("hard-bounced")
                && why.contains(&format!("more than the 10% {source} allows")),
            "{cert}: {s}"
        );
        let outcomes = s["sent"].as_u64().unwrap() + s["bounced"].as_u64().unwrap();
        assert!((50..120).contains(&outcomes), "{cert}: {s}");
        let st = statuses(&env, cert);
        assert!(st.values().any(|v| v == "not_sent"), "{cert}: {st:?}");
    }
}

/// Every refusal of `suppress import` names the file, and for a bad address its line and
/// column (once, not the address twice), says nothing was suppressed and what to do; a folder
/// or a missing path is named with what to give.
#[test]
fn suppress_import_errors_name_file_line_and_column() {
    let env = Env::new();
    for (i, (text, place)) in [
        (
            "email,reason\na@example.org,ok\nnot an address,oops\n",
            ":3:1: ",
        ),
        (
            "reason,email\nok,a@example.org\nx,dan@@example.org\n",
            ":3:2: ",
        ),
        ("name,email\nAna,\nBo,b@example.org\n", ":2:2: "),
        ("email\nc@bad_domain.org\n", ":2:1: "),
    ]
    .into_iter()
    .enumerate()
    {
        let path = env.path(&format!("s{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let err = env.fails(&["-q", "suppress", "import", path.to_str().unwrap()]);
        let named = format!("s{i}.csv{place}");
        assert!(err.contains(&named), "{named} in {err}");
        assert!(err.contains("nothing was suppressed"), "{err}");
        assert!(!err.contains("': '"), "the address twice: {err}");
    }
    assert!(
        env.json(&["suppress", "list"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let dir = env.path("folder");
    std::fs::create_dir(&dir).unwrap();
    let err = env.fails(&["suppress", "import", dir.to_str().unwrap()]);
    assert!(
        err.contains("is a directory") && err.contains("CSV file"),
        "{err}"
    );
    let err = env.fails(&[
        "suppress",
        "import",
        env.path("missing.csv").to_str().unwrap(),
    ]);
    assert!(
        err.contains("missing.csv") && err.contains("check the path"),
        "{err}"
    );
}
