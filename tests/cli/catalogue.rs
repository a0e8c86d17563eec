//! The bad-input catalogue (`tests/fixtures/bad-inputs/catalogue.toml`): every row is run
//! through the real binary and must give its exit status and error, and change nothing when it
//! says so. All rows are run; the failures are listed together, by name.

use serde::Deserialize;

use crate::common::{Env, fixture};

#[derive(Debug, Deserialize)]
struct Catalogue {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    args: Vec<String>,
    input: Option<String>,
    input_bytes: Option<Vec<u8>>,
    #[serde(default)]
    stdin: bool,
    config: Option<String>,
    #[serde(default)]
    recipient: bool,
    exit: i32,
    error: String,
    #[serde(default)]
    nothing: bool,
}

fn run(case: &Case) -> Result<(), String> {
    let env = Env::new();
    if let Some(config) = &case.config {
        env.write_config(config);
    } else {
        env.ok(&["cert", "create", "Rust"]);
        if case.recipient {
            env.ok(&[
                "recipients",
                "add",
                "Rust",
                "ana@example.org",
                "--name",
                "Ana",
            ]);
        }
    }
    let bytes = match (&case.input, &case.input_bytes) {
        (Some(text), _) => Some(text.as_bytes().to_vec()),
        (None, Some(bytes)) => Some(bytes.clone()),
        (None, None) => None,
    };
    let ext = if case.args[0] == "events" {
        "jsonl"
    } else {
        "csv"
    };
    let path = env.path(&format!("in.{ext}"));
    if let Some(bytes) = &bytes {
        std::fs::write(&path, bytes).unwrap();
    }
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{input}", &path.display().to_string()))
        .collect();
    let mut cmd = env.cmd();
    cmd.args(&args);
    if case.stdin {
        cmd.write_stdin(bytes.clone().unwrap_or_default());
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(case.exit) {
        return Err(format!(
            "exit {:?}, expected {}: {stderr}",
            out.status.code(),
            case.exit
        ));
    }
    if !stderr.contains(&case.error) {
        return Err(format!("expected {:?} in: {stderr}", case.error));
    }
    if stderr.contains("panicked") || stderr.contains('\u{1b}') {
        return Err(format!("a panic or a raw escape: {stderr}"));
    }
    if case.nothing {
        let left = env.recipients("Rust").len();
        let expected = usize::from(case.recipient);
        if left != expected {
            return Err(format!("{left} recipients after a refused input"));
        }
    }
    Ok(())
}

#[test]
fn every_bad_input_in_the_catalogue_gets_its_error() {
    let text = std::fs::read_to_string(fixture("bad-inputs/catalogue.toml")).unwrap();
    let catalogue: Catalogue = toml::from_str(&text).unwrap();
    assert!(catalogue.case.len() >= 40, "the catalogue is loaded");
    let failures: Vec<String> = catalogue
        .case
        .iter()
        .filter_map(|c| run(c).err().map(|e| format!("- {}: {e}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} catalogue rows failed:\n{}",
        failures.len(),
        catalogue.case.len(),
        failures.join("\n")
    );
}
