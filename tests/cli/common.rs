//! Shared test harness: every test gets its own temporary home, database and config, and runs
//! the real `certstat` binary with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Env {
    /// An environment with its database and config file made by `certstat init`: commands
    /// other than `init` refuse a `CERTSTAT_DB` or `CERTSTAT_CONFIG` that does not exist.
    pub fn new() -> Env {
        let env = Env::bare();
        env.ok(&["-q", "init"]);
        env
    }

    /// An environment whose database and config file do not exist yet.
    pub fn bare() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("certstat-test")
            .tempdir()
            .unwrap();
        let db = dir.path().join("data").join("certstat.db");
        let config = dir.path().join("config").join("config.toml");
        Env { dir, db, config }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write the config file.
    pub fn write_config(&self, text: &str) {
        std::fs::create_dir_all(self.config.parent().unwrap()).unwrap();
        std::fs::write(&self.config, text).unwrap();
    }

    /// The `certstat` binary with an isolated environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_certstat"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("CERTSTAT_DB", &self.db)
            .env("CERTSTAT_CONFIG", &self.config)
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("COLUMNS", "100")
            .current_dir(self.dir.path());
        cmd
    }

    /// Run with `args`, expect success, return stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "certstat {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run with `args`, expect exit code 1, return stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "certstat {args:?} should fail with 1:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// Run with `args` plus `--format json`, expect success, parse stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// A certificate with the example recipients.
    pub fn with_example(&self, cert: &str) {
        self.ok(&["cert", "create", cert, "--issuer", "ACME Training"]);
        self.ok(&[
            "recipients",
            "import",
            cert,
            &fixture("../../examples/recipients.csv"),
        ]);
    }

    /// The recipients of a certificate as JSON.
    pub fn recipients(&self, cert: &str) -> Vec<Value> {
        self.json(&["recipients", "list", cert])
            .as_array()
            .unwrap()
            .clone()
    }
}

/// The path of a file in `tests/fixtures/`.
pub fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// Whether a test that needs an outside server or tool must run (under `.ci/run`) or may skip.
pub fn required() -> bool {
    std::env::var("CERTSTAT_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Skip (return None) when `var` is unset, unless tools are required, in which case panic.
pub fn need_env(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if required() => panic!("{var} is not set but CERTSTAT_REQUIRE_TOOLS=1: {what} must run"),
        _ => {
            eprintln!("skipped: {var} is not set ({what}); .ci/run starts it");
            None
        }
    }
}

/// `tests/js`, when node runs and `npm ci` there has installed `package`; None (the test
/// skips) otherwise, unless tools are required, in which case panic.
pub fn js_verifiers(package: &str) -> Option<PathBuf> {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    let have = js.join("node_modules").join(package).is_dir()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if have {
        return Some(js);
    }
    assert!(
        !required(),
        "node with tests/js/node_modules/{package} is required (CERTSTAT_REQUIRE_TOOLS=1): npm ci --prefix tests/js"
    );
    eprintln!(
        "skipped: node or tests/js/node_modules/{package} missing (npm ci --prefix tests/js)"
    );
    None
}

/// `node tests/js/ld-safe.mjs` (jsonld.js in safe mode, offline over the bundled contexts) on
/// each document: Ok when all pass, Err(report) naming the failures; `None` when node or
/// jsonld is missing (the check skips, unless tools are required).
pub fn jsonld_safe(dir: &Path, docs: &[(&str, &Value)]) -> Option<Result<(), String>> {
    let js = js_verifiers("jsonld")?;
    let mut files = Vec::new();
    for (i, (name, doc)) in docs.iter().enumerate() {
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let file = dir.join(format!("ld-safe-{i}-{safe}.json"));
        std::fs::write(&file, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
        files.push(file);
    }
    let out = std::process::Command::new("node")
        .arg(js.join("ld-safe.mjs"))
        .args(&files)
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    })
}
