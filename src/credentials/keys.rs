//! The issuer's signing keys: Ed25519 (JWS `alg` EdDSA) or P-256 (ES256).
//!
//! The private key of each is a PKCS#8 PEM file `<db>.keys/<kid>.pem` (directory mode 0700,
//! file mode 0600), never printed; the database holds the public key as a JWK, whose `kty`
//! tells the algorithm. The key id is the key's RFC 7638 JWK thumbprint (SHA-256, base64url),
//! which is also its fingerprint. `rotate` adds a key and retires the others: retired keys
//! sign nothing new but stay published, so everything they signed still verifies.
//!
//! Where a key is published (all under `base_url`):
//! - [`verification_method_url`]: the key as a verification method of the issuer's
//!   controller document (the issuer profile, `<base_url>/issuer#<key id>`), what Data
//!   Integrity proofs name;
//! - [`jwk_url`]: the key alone as a JWK (`<base_url>/issuer/jwk/<key id>.json`), the VC-JWT
//!   `kid`: Open Badges 3.0 defines `kid` as a URI that dereferences to the JWK, and
//!   verifiers fetch it and read the response body as that JWK.

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

pub use super::controller::verification_method_url;

/// The URL that answers with the key's public JWK: the VC-JWT `kid`.
pub fn jwk_url(base_url: &str, key_id: &str) -> String {
    format!(
        "{}/issuer/jwk/{key_id}.json",
        base_url.trim_end_matches('/')
    )
}

/// The key id in a `kid`: the last path segment of a [`jwk_url`] (without `.json`) or of a
/// [`verification_method_url`], the fragment of the `<base>/issuer#<kid>` form earlier
/// credentials carry, or a bare key id.
pub fn key_id_of(kid: &str) -> &str {
    if let Some((_, fragment)) = kid.rsplit_once('#') {
        return fragment;
    }
    let last = kid.rsplit('/').next().unwrap_or(kid);
    last.strip_suffix(".json").unwrap_or(last)
}

/// A signature algorithm certstat signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Alg {
    /// Ed25519 (JWS `alg` EdDSA)
    Ed25519,
    /// ECDSA on P-256 with SHA-256 (JWS `alg` ES256), which 1EdTech's validator accepts
    Es256,
}

impl Alg {
    /// The JWS `alg` name.
    pub fn jws(self) -> &'static str {
        match self {
            Alg::Ed25519 => "EdDSA",
            Alg::Es256 => "ES256",
        }
    }

    /// The algorithm of a public JWK, from its `kty`/`crv`.
    pub fn of_jwk(jwk: &Value) -> Option<Alg> {
        match (jwk["kty"].as_str(), jwk["crv"].as_str()) {
            (Some("OKP"), Some("Ed25519")) => Some(Alg::Ed25519),
            (Some("EC"), Some("P-256")) => Some(Alg::Es256),
            _ => None,
        }
    }
}

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

/// The RFC 7638 thumbprint of a P-256 public key (`x`, `y`, base64url).
pub fn thumbprint_ec(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The public JWK of a P-256 key, with its `kid`.
pub fn public_jwk_p256(key: &p256::PublicKey) -> Value {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let point = key.to_encoded_point(false);
    let x = URL_SAFE_NO_PAD.encode(point.x().expect("an uncompressed point"));
    let y = URL_SAFE_NO_PAD.encode(point.y().expect("an uncompressed point"));
    json!({
        "kty": "EC",
        "crv": "P-256",
        "x": x,
        "y": y,
        "kid": thumbprint_ec(&x, &y),
        "alg": "ES256",
        "use": "sig",
    })
}

/// The key's public JWK as published at [`jwk_url`]: `kid` is that URL.
pub fn published_jwk(base_url: &str, jwk: &Value) -> Value {
    let mut out = jwk.clone();
    if let Some(id) = jwk["kid"].as_str() {
        out["kid"] = json!(jwk_url(base_url, id));
    }
    out
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
    pub alg: Option<Alg>,
}

impl PublicKey {
    fn from_row(row: &KeyRow) -> Result<PublicKey> {
        let jwk: Value = serde_json::from_str(&row.public_jwk)
            .with_context(|| format!("the stored public key {} is not JSON", row.kid))?;
        Ok(PublicKey {
            kid: row.kid.clone(),
            fingerprint: row.kid.clone(),
            created_at: row.created_at.clone(),
            retired_at: row.retired_at.clone(),
            active: row.retired_at.is_none(),
            alg: Alg::of_jwk(&jwk),
            jwk,
        })
    }
}

/// Every key, the active one first.
pub fn list(conn: &Connection) -> Result<Vec<PublicKey>> {
    store::keys(conn)?.iter().map(PublicKey::from_row).collect()
}

/// The JWK Set served at `/issuer/jwks.json`: every key, retired ones included, each with
/// `kid` its [`jwk_url`] (what the VC-JWT header names).
pub fn jwks(conn: &Connection, base_url: &str) -> Result<Value> {
    let keys: Vec<Value> = list(conn)?
        .into_iter()
        .map(|k| published_jwk(base_url, &k.jwk))
        .collect();
    Ok(json!({ "keys": keys }))
}

/// A key that can sign.
pub struct Signer {
    /// The key id (thumbprint).
    pub kid: String,
    pub alg: Alg,
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

/// Make a key, write its private half (0600) and record its public half. Runs inside the
/// caller's write transaction so two processes never both create a first key.
fn generate(conn: &Connection, db_path: &Path, alg: Alg) -> Result<KeyRow> {
    let (jwk, pem) = match alg {
        Alg::Ed25519 => {
            let signing = SigningKey::from_bytes(&crate::tokens::random_bytes::<32>());
            let pem = signing
                .to_pkcs8_pem(LineEnding::LF)
                .context("cannot encode the new signing key")?;
            (public_jwk(&signing.verifying_key()), pem)
        }
        Alg::Es256 => {
            // A uniformly random scalar: 32 random bytes, drawn again in the (2^-128) case
            // that they are zero or not below the group order.
            let secret = loop {
                if let Ok(k) = p256::SecretKey::from_slice(&crate::tokens::random_bytes::<32>()) {
                    break k;
                }
            };
            let pem = p256::pkcs8::EncodePrivateKey::to_pkcs8_pem(&secret, LineEnding::LF)
                .map_err(|e| anyhow::anyhow!("cannot encode the new signing key: {e}"))?;
            (public_jwk_p256(&secret.public_key()), pem)
        }
    };
    let kid = jwk["kid"].as_str().expect("kid is set").to_owned();
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
    crate::db::write(conn, |tx| match store::active_key(tx)? {
        Some(k) => Ok(k),
        None => generate(tx, db_path, Alg::Ed25519),
    })
}

/// Add a new active key and retire the keys it replaces. Returns the new key.
///
/// The newest active key signs VC-JWTs. An Ed25519 key replaces every key. A P-256 key
/// replaces the P-256 keys only: the newest Ed25519 key stays active, because Data Integrity
/// proofs (eddsa-rdfc-2022) are Ed25519 whatever the JWT algorithm.
pub fn rotate(conn: &Connection, db_path: &Path, alg: Alg) -> Result<KeyRow> {
    crate::db::write(conn, |tx| {
        let row = generate(tx, db_path, alg)?;
        let now = clock::now_stamp();
        match alg {
            Alg::Ed25519 => {
                store::retire_others(tx, &row.kid, &now)?;
            }
            Alg::Es256 => {
                for k in list(tx)? {
                    if k.active && k.kid != row.kid && k.alg != Some(Alg::Ed25519) {
                        store::retire(tx, &k.kid, &now)?;
                    }
                }
            }
        }
        Ok(row)
    })
}

/// The signer for the active key (creating the first key when needed): what signs VC-JWTs.
pub fn signer(conn: &Connection, db_path: &Path) -> Result<Signer> {
    let row = ensure(conn, db_path)?;
    load_signer(db_path, &row)
}

/// The signer of Data Integrity proofs: the newest active Ed25519 key. When there is none
/// (a P-256 key replaced every key before rotations kept one), a new Ed25519 key is made
/// and joins the active P-256 key.
pub fn ed25519_signer(conn: &Connection, db_path: &Path) -> Result<Signer> {
    // Keys come newest active first: the first active Ed25519 row is the one.
    let newest = |conn: &Connection| -> Result<Option<KeyRow>> {
        Ok(store::keys(conn)?.into_iter().find(|k| {
            k.retired_at.is_none()
                && serde_json::from_str::<Value>(&k.public_jwk)
                    .is_ok_and(|jwk| Alg::of_jwk(&jwk) == Some(Alg::Ed25519))
        }))
    };
    let row = match newest(conn)? {
        Some(row) => row,
        None => crate::db::write(conn, |tx| match newest(tx)? {
            Some(row) => Ok(row),
            None => generate(tx, db_path, Alg::Ed25519),
        })?,
    };
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
    let jwk: Value = serde_json::from_str(&row.public_jwk)
        .with_context(|| format!("the stored public key {} is not JSON", row.kid))?;
    let alg = Alg::of_jwk(&jwk)
        .with_context(|| format!("the stored public key {} is of no known type", row.kid))?;
    let derived = match alg {
        Alg::Ed25519 => {
            let signing = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
                anyhow::anyhow!("{} is not an Ed25519 private key: {e}", path.display())
            })?;
            public_jwk(&signing.verifying_key())
        }
        Alg::Es256 => {
            let secret = <p256::SecretKey as p256::pkcs8::DecodePrivateKey>::from_pkcs8_pem(&pem)
                .map_err(|e| {
                anyhow::anyhow!("{} is not a P-256 private key: {e}", path.display())
            })?;
            public_jwk_p256(&secret.public_key())
        }
    };
    if derived["kid"].as_str() != Some(row.kid.as_str()) {
        bail!(
            "the signing key {} does not match the public key the database records for it",
            path.display()
        );
    }
    Ok(Signer {
        kid: row.kid.clone(),
        alg,
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
    fn ec_thumbprint_matches_rfc7638_shape() {
        // RFC 7517 appendix A.1's P-256 key; its thumbprint computed over the RFC 7638
        // member order (crv, kty, x, y) by hand with `sha256sum`.
        let x = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4";
        let y = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM";
        assert_eq!(
            thumbprint_ec(x, y),
            "cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s"
        );
    }

    #[test]
    fn key_urls_round_trip() {
        let id = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
        let vm = verification_method_url("https://c.example/", id);
        assert_eq!(vm, format!("https://c.example/issuer/keys/{id}.json"));
        assert_eq!(key_id_of(&vm), id);
        assert_eq!(
            key_id_of(&format!("https://c.example/issuer/keys/{id}")),
            id
        );
        assert_eq!(key_id_of(&format!("https://c.example/issuer#{id}")), id);
        assert_eq!(key_id_of(&jwk_url("https://c.example", id)), id);
        assert_eq!(key_id_of(id), id);
    }

    #[test]
    fn keys_dir_is_beside_the_database() {
        assert_eq!(
            keys_dir(Path::new("/data/certstat.db")),
            Path::new("/data/certstat.db.keys")
        );
    }
}
