//! Verifiable credentials: every certificate as a signed Open Badges 3.0
//! `OpenBadgeCredential`.
//!
//! - [`keys`]: the issuer's Ed25519 keys (private halves in `<db>.keys/`, mode 0600);
//! - [`issue`]: the credential of a recipient, built from the database, signed as a VC-JWT
//!   (compact JWS, `alg` EdDSA, `kid` = the key's JWK thumbprint) and stored;
//! - [`bake`]: the JWS in a PNG `iTXt` chunk, an SVG `<openbadges:credential>`, or a PDF
//!   attachment and information entry, and back;
//! - [`verify`]: signature, schema, dates and revocation, with the reasons a credential fails;
//! - [`schema`]: the published OB 3.0 JSON Schemas; [`fetch`]: `--jwks URL`.
//!
//! Anyone can verify a credential without certstat: the JWS verifies with any JWT library
//! against the key in `<base_url>/issuer/jwks.json` whose `kid` the JWS header names.

pub mod bake;
pub mod contexts;
pub mod controller;
pub mod di;
pub mod fetch;
pub mod issue;
pub mod keys;
pub mod ld;
pub mod schema;
pub mod status_list;
pub mod verify;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::model::Recipient;

/// A recipient's revocation and expiry, as pages and listings show them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Standing {
    pub revoked: bool,
    pub revoked_at: Option<String>,
    pub revocation_reason: Option<String>,
    pub expired: bool,
    pub expires_at: Option<String>,
}

/// The revocation and expiry of a recipient's certificate now.
pub fn standing(
    conn: &Connection,
    cert: &crate::model::Certificate,
    r: &Recipient,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Standing> {
    let revocation = if r.revoked {
        crate::db::credentials::revocation(conn, r.id)?
    } else {
        None
    };
    let expires = cert.expires_at.as_deref().and_then(crate::clock::parse);
    Ok(Standing {
        revoked: r.revoked,
        revoked_at: revocation.as_ref().map(|(at, _)| at.clone()),
        revocation_reason: revocation.map(|(_, reason)| reason),
        expired: expires.is_some_and(|e| e <= now),
        expires_at: expires.map(crate::clock::stamp),
    })
}

/// The revocation status document `credentialStatus.id` points at (1EdTech Revocation List
/// form: the credential is listed in `revokedCredentials` when revoked).
pub fn status_document(base_url: &str, credential_id: &str, s: &Standing) -> Value {
    let credential = issue::credential_url(base_url, credential_id);
    let revoked: Vec<Value> = if s.revoked {
        vec![json!({
            "id": credential,
            "revoked": true,
            "revocationReason": s.revocation_reason.clone().unwrap_or_default(),
            "revokedAt": s.revoked_at,
        })]
    } else {
        Vec::new()
    };
    json!({
        "id": issue::status_url(base_url, credential_id),
        "issuer": issue::legacy_issuer_id(base_url),
        "revokedCredentials": revoked,
        "credential": credential,
        "revoked": s.revoked,
        "expired": s.expired,
        "validUntil": s.expires_at,
    })
}
