//! The font coverage check: `recipients add/import`, `preview` and `send` name the characters
//! of a name that no available font can draw; `send --strict` refuses; `[render] fonts` adds
//! an organisation's fonts.

use crate::common::{Env, required};

/// Two code points no font has (private use, unassigned), and a Hebrew name the bundled font
/// cannot draw.
const UNDRAWABLE: &str = "Ana \u{10FFFD}\u{2FFFD}";
const HEBREW: &str = "דוד כהן";

/// certstat with the bundled font only, so that the outcome does not depend on the machine.
fn run(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("CERTSTAT_NO_SYSTEM_FONTS", "1")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn add_import_preview_and_send_name_the_characters() {
    let env = Env::new();
    env.ok(&["cert", "create", "Rust", "--issuer", "ACME"]);
    let out = run(
        &env,
        &[
            "recipients",
            "add",
            "Rust",
            "a@example.org",
            "--name",
            UNDRAWABLE,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("<a@example.org>") && err.contains("U+10FFFD") && err.contains("U+2FFFD"),
        "{err}"
    );

    let csv = env.path("r.csv");
    std::fs::write(
        &csv,
        format!("email,name\nb@example.org,{HEBREW}\nc@example.org,Zoë Núñez\n"),
    )
    .unwrap();
    let out = run(
        &env,
        &["recipients", "import", "Rust", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("<b@example.org>") && err.contains("U+05D3"),
        "{err}"
    );
    assert!(!err.contains("c@example.org"), "{err}");

    let out = run(&env, &["preview", "Rust", "b@example.org"]);
    assert!(stderr(&out).contains("U+05D3"), "{}", stderr(&out));

    let out = run(&env, &["send", "Rust", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+10FFFD"), "{}", stderr(&out));
    let out = run(&env, &["send", "Rust", "--dry-run", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--strict") && err.contains("2 recipient(s)"),
        "{err}"
    );
    let out = run(
        &env,
        &[
            "send",
            "Rust",
            "--dry-run",
            "--strict",
            "--to",
            "c@example.org",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn render_fonts_folder_adds_an_organisations_fonts() {
    let font = std::path::Path::new("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf");
    if !font.exists() {
        if required() {
            panic!(
                "{} missing and CERTSTAT_REQUIRE_TOOLS=1 (.ci/run installs fonts-noto-core)",
                font.display()
            );
        }
        eprintln!("skipped: {} not installed", font.display());
        return;
    }
    let env = Env::new();
    env.ok(&["cert", "create", "Rust", "--issuer", "ACME"]);
    let out = run(
        &env,
        &[
            "recipients",
            "add",
            "Rust",
            "b@example.org",
            "--name",
            HEBREW,
        ],
    );
    assert!(stderr(&out).contains("U+05D3"), "{}", stderr(&out));

    let fonts = env.config.parent().unwrap().join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(font, fonts.join("NotoSansHebrew-Regular.ttf")).unwrap();
    env.write_config("[render]\nfonts = [\"fonts\"]\n");
    let out = run(&env, &["preview", "Rust", "b@example.org"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("U+05D3"), "{}", stderr(&out));

    env.write_config("[render]\nfonts = [\"no-such-folder\"]\n");
    let out = run(&env, &["preview", "Rust", "b@example.org"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no-such-folder") && stderr(&out).contains("not a folder"),
        "{}",
        stderr(&out)
    );
}
