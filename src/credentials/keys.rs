//! The issuer's Ed25519 signing keys.
//!
//! The private key of each is a PKCS#8 PEM file `<db>.keys/<kid>.pem` (directory mode 0700,
//! file mode 0600), never printed; the database holds the public key as a JWK. The key id
//! (`kid`) is the key's RFC 7638 JWK thumbprint (SHA-256, base64url), which is also its
//! fingerprint. `rotate` adds a key and retires the others: retired keys sign nothing new but
//! stay published, so everything they signed still verifies.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rusqlite::Connection;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::db::credentials::{self as store, KeyRow};

/// The directory holding the private keys: `<db>.keys/`.
pub fn keys_dir(db_path: &Path) -> PathBuf {
    let mut name = db_path.file_name().unwrap_or_default().to_os_string();
    name.push(".keys");
    db_path.with_file_name(name)
}

fn key_file(db_path: &Path, kid: &str) -> PathBuf {
    keys_dir(db_path).join(format!("{kid}.pem"))
}

/// The RFC 7638 thumbprint of an Ed25519 public key (`x`, base64url).
pub fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The public JWK of a verifying key, with its `kid`.
pub fn public_jwk(key: &ed25519_dalek::VerifyingKey) -> Value {
    let x = URL_SAFE_NO_PAD.encode(key.as_bytes());
    json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": thumbprint(&x),
        "alg": "EdDSA",
        "use": "sig",
    })
}

/// A public key as published: the JWK plus its state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicKey {
    pub kid: String,
    pub fingerprint: String,
    pub jwk: Value,
    pub created_at: String,
    pub retired_at: Option<String>,
    pub active: bool,
}

impl PublicKey {
    fn from_row(row: &KeyRow) -> Result<PublicKey> {
        let jwk: Value = serde_json::from_str(&row.public_jwk)
            .with_context(|| format!("the stored public key {} is not JSON", row.kid))?;
        Ok(PublicKey {
            kid: row.kid.clone(),
            fingerprint: row.kid.clone(),
            jwk,
            created_at: row.created_at.clone(),
            retired_at: row.retired_at.clone(),
            active: row.retired_at.is_none(),
        })
    }
}

/// Every key, the active one first.
pub fn list(conn: &Connection) -> Result<Vec<PublicKey>> {
    store::keys(conn)?.iter().map(PublicKey::from_row).collect()
}

/// The JWK Set served at `/issuer/jwks.json`: every key, retired ones included.
pub fn jwks(conn: &Connection) -> Result<Value> {
    let keys: Vec<Value> = list(conn)?.into_iter().map(|k| k.jwk).collect();
    Ok(json!({ "keys": keys }))
}

/// A key that can sign.
pub struct Signer {
    pub kid: String,
    pub(crate) pem: Zeroizing<String>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.kid)
    }
}

fn create_dir_private(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create the key directory {}", dir.display()))
}

/// An immediate write transaction on a shared connection (the caller must not be in one).
fn write_tx(conn: &Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(rusqlite::Transaction::new_unchecked(
        conn,
        rusqlite::TransactionBehavior::Immediate,
    )?)
}

/// Make a key, write its private half (0600) and record its public half. Runs inside the
/// caller's write transaction so two processes never both create a first key.
fn generate(conn: &Connection, db_path: &Path) -> Result<KeyRow> {
    let signing = SigningKey::from_bytes(&crate::tokens::random_bytes::<32>());
    let jwk = public_jwk(&signing.verifying_key());
    let kid = jwk["kid"].as_str().expect("kid is set").to_owned();
    let pem = signing
        .to_pkcs8_pem(LineEnding::LF)
        .context("cannot encode the new signing key")?;
    create_dir_private(&keys_dir(db_path))?;
    let path = key_file(db_path, &kid);
    let mut file = crate::tokens::create_private(&path)
        .with_context(|| format!("cannot create the signing key {}", path.display()))?;
    file.write_all(pem.as_bytes())?;
    file.sync_all()?;
    let row = KeyRow {
        kid,
        public_jwk: jwk.to_string(),
        created_at: clock::now_stamp(),
        retired_at: None,
    };
    store::insert_key(conn, &row)?;
    Ok(row)
}

/// The active key, creating the first one when there is none.
pub fn ensure(conn: &Connection, db_path: &Path) -> Result<KeyRow> {
    if let Some(k) = store::active_key(conn)? {
        return Ok(k);
    }
    let tx = write_tx(conn)?;
    let row = match store::active_key(&tx)? {
        Some(k) => k,
        None => generate(&tx, db_path)?,
    };
    tx.commit()?;
    Ok(row)
}

/// Add a new active key and retire the others. Returns the new key.
pub fn rotate(conn: &Connection, db_path: &Path) -> Result<KeyRow> {
    let tx = write_tx(conn)?;
    let row = generate(&tx, db_path)?;
    store::retire_others(&tx, &row.kid, &clock::now_stamp())?;
    tx.commit()?;
    Ok(row)
}

/// The signer for the active key (creating the first key when needed).
pub fn signer(conn: &Connection, db_path: &Path) -> Result<Signer> {
    let row = ensure(conn, db_path)?;
    load_signer(db_path, &row)
}

fn load_signer(db_path: &Path, row: &KeyRow) -> Result<Signer> {
    let path = key_file(db_path, &row.kid);
    let pem = match std::fs::read_to_string(&path) {
        Ok(p) => Zeroizing::new(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "the signing key {} is missing: restore the folder {} from the backup of the \
             database's folder, or run `certstat keys rotate` to sign with a new key",
            path.display(),
            keys_dir(db_path).display()
        ),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the signing key {}", path.display()));
        }
    };
    let signing = SigningKey::from_pkcs8_pem(&pem)
        .map_err(|e| anyhow::anyhow!("{} is not an Ed25519 private key: {e}", path.display()))?;
    let x = URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes());
    if thumbprint(&x) != row.kid {
        bail!(
            "the signing key {} does not match the public key the database records for it",
            path.display()
        );
    }
    Ok(Signer {
        kid: row.kid.clone(),
        pem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc8037_example() {
        // RFC 8037 appendix A.3: the thumbprint of the example Ed25519 key.
        assert_eq!(
            thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn keys_dir_is_beside_the_database() {
        assert_eq!(
            keys_dir(Path::new("/data/certstat.db")),
            Path::new("/data/certstat.db.keys")
        );
    }
}
