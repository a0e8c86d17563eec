//! Tables fit: on a terminal (a real pseudo-terminal) to its width, with addresses, ids and
//! times never split and long text shortened with an ellipsis; off a terminal, never wrapped.

use crate::common::Env;
use crate::tty::on_terminal;

const CERT: &str = "Intro to Rust";
const LONG_EMAIL: &str = "maximiliana.wolkenstein-rodeneck@example.org";
const LONG_NAME: &str = "Maximiliana Hildegard von Wolkenstein-Rodeneck";

fn env() -> Env {
    let env = Env::new();
    env.with_example(CERT);
    env.ok(&["recipients", "add", CERT, LONG_EMAIL, "--name", LONG_NAME]);
    env.ok(&[
        "cert",
        "create",
        "A certificate with a rather long name for narrow terminals",
    ]);
    env.ok(&["send", CERT]);
    env
}

fn emails(env: &Env) -> Vec<String> {
    env.recipients(CERT)
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect()
}

/// Every token of `line` that looks like an address, an RFC 3339 time or a number.
fn tokens(line: &str) -> Vec<&str> {
    line.split(['│', '┆', ' '])
        .filter(|t| t.contains('@') || t.ends_with('Z') && t.contains('T'))
        .collect()
}

const LISTINGS: [&[&str]; 5] = [
    &["stats"],
    &["stats", CERT],
    &["cert", "list"],
    &["recipients", "list", CERT],
    &["events", "list", CERT],
];

#[test]
fn tables_fit_the_terminal_at_60_80_and_120_columns() {
    let env = env();
    let all = emails(&env);
    for cols in [60u16, 80, 120] {
        for args in LISTINGS {
            let Some(run) = on_terminal(&env, args, cols, "") else {
                return;
            };
            assert_eq!(run.code, 0, "{args:?}: {}", run.screen);
            for line in run.screen.lines() {
                let width = line.chars().count();
                assert!(
                    width <= cols as usize,
                    "{args:?} at {cols}: {width} wide:\n{}",
                    run.screen
                );
                for t in tokens(line) {
                    // An address is one of the recipients', whole; a time is whole.
                    if t.contains('@') {
                        assert!(
                            all.iter().any(|e| e == t),
                            "{args:?} at {cols}: split address {t:?}\n{}",
                            run.screen
                        );
                    } else {
                        assert_eq!(
                            t.len(),
                            20,
                            "{args:?} at {cols}: split time {t:?}\n{}",
                            run.screen
                        );
                    }
                }
            }
            if args[0] == "recipients" || args[0] == "events" {
                // The long address is shown whole, whatever else had to give way.
                assert!(
                    run.screen.contains(LONG_EMAIL),
                    "{args:?} at {cols}:\n{}",
                    run.screen
                );
            }
        }
        // The long name is shortened with an ellipsis where it does not fit, never wrapped.
        let run = on_terminal(&env, &["recipients", "list", CERT], cols, "").unwrap();
        if !run.screen.contains(LONG_NAME) && run.screen.contains("Maximiliana") {
            assert!(run.screen.contains('…'), "{}", run.screen);
        }
        let half = &LONG_NAME[LONG_NAME.len() / 2..];
        assert!(
            !run.screen
                .lines()
                .any(|l| l.contains(half) && !l.contains("Maximiliana")),
            "{}",
            run.screen
        );
    }
    // At 120 columns a recipient listing has every column; at 60 it says what it left out.
    let wide = on_terminal(&env, &["recipients", "list", CERT], 120, "").unwrap();
    assert!(
        wide.screen.contains("status_at") && !wide.screen.contains("left out"),
        "{}",
        wide.screen
    );
    let narrow = on_terminal(&env, &["events", "list", CERT], 60, "").unwrap();
    assert!(
        narrow.screen.contains("left out to fit the terminal"),
        "{}",
        narrow.screen
    );
}

#[test]
fn columns_env_sets_the_width_like_a_terminal_does() {
    let env = env();
    let out = env
        .cmd()
        .env("COLUMNS", "60")
        .args(["recipients", "list", CERT])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
    assert!(text.contains(LONG_EMAIL), "{text}");
}

#[test]
fn off_a_terminal_tables_never_wrap_and_csv_json_keep_the_full_text() {
    let env = env();
    for args in LISTINGS {
        let out = env.cmd().env_remove("COLUMNS").args(args).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('…'), "{args:?}: {text}");
        if args[0] == "recipients" {
            assert!(
                text.contains(LONG_NAME) && text.contains(LONG_EMAIL),
                "{text}"
            );
            // One line per recipient, plus the header and three rules: nothing wrapped.
            assert_eq!(text.lines().count(), emails(&env).len() + 4, "{text}");
        }
        if args[0] == "events" {
            let events = env.json(&["events", "list", CERT]);
            assert_eq!(
                text.lines().count(),
                events.as_array().unwrap().len() + 4,
                "{text}"
            );
            let detail = serde_json::to_string(&events[1]["detail"]).unwrap();
            assert!(text.contains(&detail), "{detail} not whole in:\n{text}");
        }
    }
    let csv = env.ok(&["recipients", "list", CERT, "--format", "csv"]);
    assert!(csv.contains(LONG_NAME));
}
