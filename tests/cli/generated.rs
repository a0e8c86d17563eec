//! The committed completions/ and man/ must be exactly what the binary generates.
//! `CERTSTAT_BLESS=1 cargo test generated` rewrites them.

use std::path::Path;

fn compare_dirs(committed: &Path, fresh: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let names = |d: &Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (a, b) = (names(committed), names(fresh));
    for name in a.union(&b) {
        let x = std::fs::read(committed.join(name)).ok();
        let y = std::fs::read(fresh.join(name)).ok();
        if x != y {
            problems.push(format!("{}/{name}", committed.display()));
        }
    }
    problems
}

#[test]
fn completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    certstat::commands::completions::write_all(&tmp.path().join("completions")).unwrap();
    certstat::commands::man::write_all(&tmp.path().join("man")).unwrap();
    if std::env::var("CERTSTAT_BLESS").is_ok_and(|v| v == "1") {
        for d in ["completions", "man"] {
            let _ = std::fs::remove_dir_all(root.join(d));
            std::fs::create_dir_all(root.join(d)).unwrap();
            for e in std::fs::read_dir(tmp.path().join(d)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), root.join(d).join(e.file_name())).unwrap();
            }
        }
        return;
    }
    let mut problems = compare_dirs(&root.join("completions"), &tmp.path().join("completions"));
    problems.extend(compare_dirs(&root.join("man"), &tmp.path().join("man")));
    assert!(
        problems.is_empty(),
        "generated files differ from the binary's output: {problems:?}\nfix: CERTSTAT_BLESS=1 cargo test --test cli generated"
    );
}

#[test]
fn completions_subcommand_prints_a_script() {
    let env = crate::common::Env::new();
    let out = env.ok(&["completions", "bash"]);
    assert!(out.contains("certstat"), "{out}");
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH certstat"), "{man}");
}
