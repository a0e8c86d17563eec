//! Running certstat on a real pseudo-terminal, through util-linux `script`: confirmation
//! prompts and tables laid out to the terminal's width.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Env, required};

/// `'…'` for `sh`.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// Whether `script` can run here; None (the test skips) otherwise, unless tools are required.
fn have_script() -> bool {
    let ok = Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || !required(),
        "util-linux `script` is required (CERTSTAT_REQUIRE_TOOLS=1)"
    );
    if !ok {
        eprintln!("skipped: util-linux `script` (a pseudo-terminal) is not available");
    }
    ok
}

/// The result of a run on a terminal: exit code and everything the terminal showed (stdout
/// and stderr together, `\r\n` turned into `\n`).
pub struct TtyRun {
    pub code: i32,
    pub screen: String,
}

/// Run `certstat ARGS` on a terminal `cols` columns wide (as `stty` sets it; `COLUMNS` is not
/// set), typing `input`. None when `script` is missing and tools are not required.
pub fn on_terminal(env: &Env, args: &[&str], cols: u16, input: &str) -> Option<TtyRun> {
    if !have_script() {
        return None;
    }
    let mut line = format!(
        "stty cols {cols} rows 50; exec {}",
        quote(env!("CARGO_BIN_EXE_certstat"))
    );
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .current_dir(env.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let mut screen = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    // The typed input is echoed by the terminal; what certstat printed follows it.
    if !input.is_empty() {
        screen = screen.replacen(input, "", 1);
    }
    Some(TtyRun {
        code: out.status.code().unwrap_or(-1),
        screen,
    })
}
