//! `--help`: every option described, global options under their own heading, and usage lines
//! that show only what is required.

use clap::CommandFactory;

use crate::common::Env;

/// Every (command path, option) pair of the tree.
fn walk(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Arg)>) {
    for arg in cmd.get_arguments() {
        out.push((path.clone(), arg.clone()));
    }
    for sub in cmd.get_subcommands() {
        walk(sub, format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_option_and_argument_is_described() {
    let mut all = Vec::new();
    walk(&certstat::cli::Cli::command(), "certstat".into(), &mut all);
    let undescribed: Vec<String> = all
        .iter()
        .filter(|(_, a)| !a.is_hide_set())
        .filter(|(_, a)| {
            a.get_help().is_none_or(|h| h.to_string().trim().is_empty())
                && a.get_long_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
        })
        .map(|(path, a)| format!("{path} {}", a.get_id()))
        .collect();
    assert!(
        undescribed.is_empty(),
        "options without a description: {undescribed:#?}"
    );
    assert!(all.len() > 100, "{}", all.len());
}

#[test]
fn global_options_have_their_own_heading_and_usage_shows_only_what_is_required() {
    let env = Env::new();
    for args in [
        &["send", "--help"][..],
        &["cert", "list", "--help"][..],
        &["--help"][..],
    ] {
        let help = env.ok(args);
        let (own, global) = help
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{help}"));
        for g in ["--db", "--config", "--quiet", "--verbose", "--color"] {
            assert!(global.contains(g) && !own.contains(g), "{args:?}: {help}");
        }
        assert!(global.contains("CERTSTAT_DB"), "{help}");
    }
    let help = env.ok(&["send", "--help"]);
    assert!(
        help.lines()
            .any(|l| l.contains("--format <FORMAT>") && l.contains("Format of")),
        "{help}"
    );
    // With CERTSTAT_DB and CERTSTAT_CONFIG set (Env sets both), the usage line of an error
    // names only the missing argument.
    let out = env.cmd().arg("send").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage: certstat send <CERT>"), "{err}");
    assert!(!err.contains("--db") && !err.contains("--config"), "{err}");
}
