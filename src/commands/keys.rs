//! `certstat keys show|rotate`: the issuer's signing keys (public JWK and fingerprint).

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;

use super::Ctx;
use crate::credentials::keys::{self, PublicKey};
use crate::output::Format;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// The issuer's public keys as JWKs with their fingerprints (creating the first key)
    Show(ShowArgs),
    /// Sign from now on with a new key; older keys are kept (retired) so what they signed
    /// still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data
    /// Integrity proofs
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The new key's algorithm: Ed25519 (JWS EdDSA) or P-256 (JWS ES256, which registrars
    /// accepting only RS256/ES256 verify)
    #[arg(long, value_enum, default_value_t = keys::Alg::Ed25519)]
    pub alg: keys::Alg,
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Output format [default: table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(ctx: &mut Ctx, command: KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Show(a) => {
            keys::ensure(&ctx.conn, &ctx.db_path)?;
            print(ctx, a.format, true)
        }
        KeysCommand::Rotate(a) => {
            let new = keys::rotate(&ctx.conn, &ctx.db_path, a.alg)?;
            let replaced = match a.alg {
                keys::Alg::Ed25519 => "older keys are retired",
                keys::Alg::Es256 => {
                    "older P-256 keys are retired; the Ed25519 key still signs Data Integrity \
                     proofs"
                }
            };
            ctx.printer.info(format!(
                "New {} signing key {}; {replaced}. Retired keys still verify what they signed.",
                a.alg.jws(),
                new.kid
            ));
            print(ctx, a.format, false)
        }
    }
}

/// The keys: the data of `keys show` (printed under `-q` too), the report of `keys rotate`.
fn print(ctx: &Ctx, format: Option<Format>, data: bool) -> Result<()> {
    let list = keys::list(&ctx.conn)?;
    let active = list.iter().find(|k| k.active).map(|k| k.kid.clone());
    let di = data_integrity_kid(&list);
    let value = json!({
        "active_kid": active,
        "data_integrity_kid": di,
        "keys_dir": keys::keys_dir(&ctx.db_path).display().to_string(),
        "keys": list,
    });
    let p = &ctx.printer;
    if data {
        p.object(p.format(format), &value, || text(&list))
    } else {
        p.report(p.format(format), &value, || text(&list))
    }
}

/// The key Data Integrity proofs are signed with: the newest active Ed25519 key.
fn data_integrity_kid(list: &[PublicKey]) -> Option<String> {
    list.iter()
        .find(|k| k.active && k.alg == Some(keys::Alg::Ed25519))
        .map(|k| k.kid.clone())
}

fn text(list: &[PublicKey]) -> String {
    let mut out = String::new();
    let jwt = list.iter().find(|k| k.active).map(|k| k.kid.as_str());
    let di = data_integrity_kid(list);
    for k in list {
        let signs = match (jwt == Some(k.kid.as_str()), di.as_deref() == Some(&k.kid)) {
            (true, true) => "signs VC-JWTs and Data Integrity proofs",
            (true, false) => "signs VC-JWTs",
            (false, true) => "signs Data Integrity proofs",
            (false, false) => "signs nothing new",
        };
        let state = match &k.retired_at {
            None => format!("active, {signs}"),
            Some(at) => format!("retired {at}"),
        };
        out.push_str(&format!(
            "kid/fingerprint  {} ({}, {state}, created {})\nJWK              {}\n\n",
            k.kid,
            k.alg.map(keys::Alg::jws).unwrap_or("unknown type"),
            k.created_at,
            k.jwk
        ));
    }
    out.push_str(
        "The fingerprint is the key's RFC 7638 JWK thumbprint (SHA-256). `certstat serve` \
         publishes each key at /issuer/jwk/<kid>.json (the VC-JWT `kid` URL), each Ed25519 key at \
         /issuer/keys/<kid>.json (a proof's verification method) and all of them at \
         /issuer/jwks.json and in the controller document /issuer.json.\n",
    );
    out
}
