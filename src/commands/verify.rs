//! `certstat verify FILE [--jwks FILE|URL]`: check a baked PNG/SVG, a PDF, or a `.jwt`/`.json`
//! credential. Exit 0 when valid, 1 when not (after printing the verdict and its reasons).

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::GlobalArgs;
use crate::credentials::{fetch, verify};
use crate::error::Reported;
use crate::output::{Format, Printer};
use crate::{clock, db, paths};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A baked PNG or SVG, a PDF, a .jwt or a .json credential (`-` reads stdin)
    pub file: PathBuf,
    /// The issuer's public keys (a JWK Set or one JWK), as a file or an http(s) URL, for
    /// credentials this database did not issue
    #[arg(long, value_name = "FILE|URL")]
    pub jwks: Option<String>,
    /// Output format of the verdict [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(global: &GlobalArgs, printer: &Printer, args: VerifyArgs) -> Result<()> {
    let bytes = if args.file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        buf
    } else {
        std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let extra = match &args.jwks {
        Some(spec) => load_jwks(spec)?,
        None => Vec::new(),
    };
    // The database, when there is one: its keys, credentials and revocations. Verifying never
    // creates a database.
    let db_path = paths::database(global.db.as_deref())?;
    let conn = if db_path.exists() {
        Some(db::open(&db_path)?)
    } else {
        None
    };
    let verdict = verify::verify_bytes(conn.as_ref(), &bytes, &extra, clock::now())?;
    let mut value = serde_json::to_value(&verdict)?;
    value["file"] = serde_json::json!(args.file.display().to_string());
    printer.report(printer.format(args.format), &value, || verdict.text())?;
    if verdict.valid {
        return Ok(());
    }
    let reasons: Vec<&str> = verdict.reasons.iter().map(|r| r.code.label()).collect();
    let mut unique = Vec::new();
    for r in reasons {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    Err(Reported(format!(
        "{}: not a valid credential ({})",
        args.file.display(),
        unique.join(", ")
    ))
    .into())
}

fn load_jwks(spec: &str) -> Result<Vec<verify::KnownKey>> {
    let bytes = if spec.starts_with("http://") || spec.starts_with("https://") {
        fetch::get(spec).with_context(|| format!("cannot fetch the JWKS {spec}"))?
    } else {
        std::fs::read(spec).with_context(|| format!("cannot read the JWKS file {spec}"))?
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).with_context(|| format!("the JWKS {spec} is not JSON"))?;
    let keys = verify::keys_from_jwks(&value, "jwks");
    if keys.is_empty() {
        anyhow::bail!("the JWKS {spec} has no Ed25519 (OKP) keys");
    }
    Ok(keys)
}
