//! Building, signing and storing a recipient's OpenBadgeCredential.
//!
//! The credential is built deterministically from the database (certificate, recipient, issue
//! instant, expiry, base URL), so issuing again returns the stored credential unchanged; it is
//! re-signed (same credential id) only when what it says changes — a corrected name, a new
//! expiry date, another base URL.

use std::path::Path;

use anyhow::{Context, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rusqlite::Connection;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::keys::{self, Signer};
use crate::config::Config;
use crate::db;
use crate::model::{Certificate, Recipient};
use crate::tokens::Secret;

/// The VC Data Model 2.0 context, then the Open Badges 3.0.3 context.
pub const CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// `<base_url>/issuer.json`: the issuer profile's id, where `serve` answers with it and
/// `publish` writes it (a `.json` name, which static hosts serve as JSON).
pub fn issuer_id(base_url: &str) -> String {
    format!("{base_url}/issuer.json")
}

/// `<base_url>/issuer`: the issuer id of credentials issued before [`issuer_id`]; `serve`
/// still answers there with the documents those credentials name.
pub fn legacy_issuer_id(base_url: &str) -> String {
    format!("{base_url}/issuer")
}

/// `<base_url>/issuer/jwks.json`.
pub fn jwks_url(base_url: &str) -> String {
    format!("{base_url}/issuer/jwks.json")
}

/// `<base_url>/v/<credential-id>`: the credential's id and verification page.
pub fn credential_url(base_url: &str, credential_id: &str) -> String {
    format!("{base_url}/v/{credential_id}")
}

/// `<base_url>/v/<credential-id>/status`: the revocation status of one credential in the
/// 1EdTech Revocation List form, what credentials issued before the Bitstring Status List
/// entry named (still answered for them; no credential names it now).
pub fn status_url(base_url: &str, credential_id: &str) -> String {
    format!("{base_url}/v/{credential_id}/status")
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The issuer's name when neither the certificate nor `[issuer] name` gives one: the display
/// name of `[sender] from`, else its address, else the host of the base URL. Never empty.
pub fn fallback_issuer_name(config: &Config, base_url: &str) -> String {
    if let Some(from) = non_empty(config.sender.from.as_deref())
        && let Ok(mailbox) = from.parse::<lettre::message::Mailbox>()
    {
        if let Some(name) = non_empty(mailbox.name.as_deref()) {
            return name.to_owned();
        }
        return mailbox.email.to_string();
    }
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| base_url.to_owned())
}

/// The issuer as an Open Badges 3.0 `Profile`, from config `[issuer]`; `name` overrides the
/// configured name (a certificate's own issuer). It always has a name: without either, the
/// [`fallback_issuer_name`].
pub fn issuer_profile(config: &Config, base_url: &str, name: Option<&str>) -> Value {
    let mut p = Map::new();
    p.insert("id".into(), json!(issuer_id(base_url)));
    p.insert("type".into(), json!(["Profile"]));
    let name = match non_empty(name).or(non_empty(config.issuer.name.as_deref())) {
        Some(n) => n.to_owned(),
        None => fallback_issuer_name(config, base_url),
    };
    p.insert("name".into(), json!(name));
    if let Some(u) = non_empty(config.issuer.url.as_deref()) {
        p.insert("url".into(), json!(u));
    }
    if let Some(e) = non_empty(config.issuer.email.as_deref()) {
        p.insert("email".into(), json!(e));
    }
    if let Some(i) = non_empty(config.issuer.image.as_deref()) {
        p.insert("image".into(), json!({"id": i, "type": "Image"}));
    }
    Value::Object(p)
}

/// Everything a credential says, gathered from the database.
#[derive(Debug, Clone)]
pub struct Input {
    pub base_url: String,
    pub credential_id: String,
    pub issuer: Value,
    pub certificate_id: i64,
    pub certificate_name: String,
    pub description: String,
    /// The recipient's name; empty leaves it out (the address is never published).
    pub recipient_name: String,
    pub email: String,
    pub salt: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub image: Option<String>,
    /// The credential's index in the issuer's revocation list (Bitstring Status List).
    pub status_index: u64,
}

/// `sha256$` + hex SHA-256 of the address (trimmed, lower-case) followed by the salt. Not
/// [`crate::model::email_key`]: a verifier hashes the address as the holder gives it, lower-cased, so the
/// hash of credentials already issued and of new ones stays that of the address itself.
pub fn identity_hash(email: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(email.trim().to_lowercase().as_bytes());
    h.update(salt.as_bytes());
    format!("sha256${}", hex::encode(h.finalize()))
}

/// `<base_url>/issuer/achievements/<certificate id>.json`: an Achievement's id, where `serve`
/// answers with it (and at the same path without `.json`, the id earlier credentials carry).
pub fn achievement_url(base_url: &str, certificate_id: i64) -> String {
    format!("{base_url}/issuer/achievements/{certificate_id}.json")
}

/// A certificate as an Open Badges 3.0 `Achievement` (without an image).
pub fn achievement(
    base_url: &str,
    certificate_id: i64,
    certificate_name: &str,
    description: &str,
    issuer_name: &str,
) -> Map<String, Value> {
    let description = if description.trim().is_empty() {
        if issuer_name.is_empty() {
            format!("The certificate “{certificate_name}”.")
        } else {
            format!("The certificate “{certificate_name}”, issued by {issuer_name}.")
        }
    } else {
        description.trim().to_owned()
    };
    let narrative = if issuer_name.is_empty() {
        format!("Awarded to the recipients of “{certificate_name}”.")
    } else {
        format!("Awarded by {issuer_name} to the recipients of “{certificate_name}”.")
    };
    let mut achievement = Map::new();
    achievement.insert(
        "id".into(),
        json!(achievement_url(base_url, certificate_id)),
    );
    achievement.insert("type".into(), json!(["Achievement"]));
    achievement.insert("achievementType".into(), json!("Certificate"));
    achievement.insert("name".into(), json!(certificate_name));
    achievement.insert("description".into(), json!(description));
    achievement.insert("criteria".into(), json!({ "narrative": narrative }));
    achievement
}

/// The credential (and VC-JWT claims `iss`, `jti`, `nbf`, `exp`, and `sub` when the subject
/// has an id) as the JWT payload.
pub fn build(i: &Input) -> Value {
    let id = credential_url(&i.base_url, &i.credential_id);
    let stamp = |t: DateTime<Utc>| crate::clock::stamp(t);
    let issuer_name = i.issuer.get("name").and_then(Value::as_str).unwrap_or("");
    let mut achievement = achievement(
        &i.base_url,
        i.certificate_id,
        &i.certificate_name,
        &i.description,
        issuer_name,
    );
    if let Some(image) = &i.image {
        achievement.insert("image".into(), json!({"id": image, "type": "Image"}));
    }
    let identity = identity_hash(&i.email, &i.salt);
    let mut subject = Map::new();
    subject.insert("type".into(), json!(["AchievementSubject"]));
    if !i.recipient_name.trim().is_empty() {
        subject.insert("name".into(), json!(i.recipient_name.trim()));
    }
    subject.insert(
        "identifier".into(),
        json!([{
            "type": "IdentityObject",
            "identityHash": identity,
            "identityType": "emailAddress",
            "hashed": true,
            "salt": i.salt,
        }]),
    );
    subject.insert("achievement".into(), Value::Object(achievement));

    let mut c = Map::new();
    c.insert("@context".into(), json!(CONTEXTS));
    c.insert("id".into(), json!(id));
    c.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    c.insert("issuer".into(), i.issuer.clone());
    c.insert("validFrom".into(), json!(stamp(i.valid_from)));
    if let Some(until) = i.valid_until {
        c.insert("validUntil".into(), json!(stamp(until)));
    }
    c.insert("name".into(), json!(i.certificate_name));
    c.insert("credentialSubject".into(), Value::Object(subject));
    // The same entry as the Data Integrity form: a BitstringStatusListEntry (defined by the
    // VC 2.0 context) pointing at the signed revocation list.
    c.insert(
        "credentialStatus".into(),
        super::status_list::entry(&i.base_url, i.status_index),
    );
    // VC-JWT registered claims (Open Badges 3.0 §8.2: iss, jti, nbf, sub, exp). `sub` must
    // equal `credentialSubject.id`, and the subject has no id (the recipient is named by a
    // hashed identifier), so there is no `sub`.
    c.insert("iss".into(), i.issuer["id"].clone());
    c.insert("jti".into(), json!(id));
    if let Some(subject_id) = c["credentialSubject"].get("id").cloned() {
        c.insert("sub".into(), subject_id);
    }
    c.insert("nbf".into(), json!(i.valid_from.timestamp()));
    if let Some(until) = i.valid_until {
        c.insert("exp".into(), json!(until.timestamp()));
    }
    Value::Object(c)
}

/// Sign a payload as a compact JWS (`alg` EdDSA or ES256, `typ` JWT, `kid` the URL under
/// `base_url` that answers with the key's JWK).
pub fn sign(claims: &Value, signer: &Signer, base_url: &str) -> Result<String> {
    let (alg, key) = match signer.alg {
        keys::Alg::Ed25519 => (
            Algorithm::EdDSA,
            EncodingKey::from_ed_pem(signer.pem.as_bytes())
                .context("the signing key cannot be used for EdDSA")?,
        ),
        keys::Alg::Es256 => (
            Algorithm::ES256,
            EncodingKey::from_ec_pem(signer.pem.as_bytes())
                .context("the signing key cannot be used for ES256")?,
        ),
    };
    let mut header = Header::new(alg);
    header.kid = Some(keys::jwk_url(base_url, &signer.kid));
    header.typ = Some("JWT".into());
    jsonwebtoken::encode(&header, claims, &key).context("cannot sign the credential")
}

/// The payload of a compact JWS, without checking anything.
pub fn payload(jwt: &str) -> Option<Value> {
    let part = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A recipient's salt for the hashed address: stable, derived from the link secret.
pub fn salt(secret: &Secret, r: &Recipient) -> String {
    hex::encode(&secret.mac("credential-identity-salt", r.uid.as_bytes())[..16])
}

/// What [`issue`] returns.
#[derive(Debug, Clone)]
pub struct Issued {
    pub jwt: String,
    pub claims: Value,
    pub kid: String,
    /// The public credential id (the recipient's uid).
    pub credential_id: String,
    /// False when the stored credential was still current.
    pub new: bool,
}

/// Gather the [`Input`] of a recipient's credential.
pub fn input(
    conn: &Connection,
    config: &Config,
    base_url: &str,
    secret: &Secret,
    cert: &Certificate,
    r: &Recipient,
) -> Result<Input> {
    let base_url = base_url.trim_end_matches('/').to_owned();
    let issuer_name = crate::web::doc::issuer_name(config, cert);
    let valid_from = crate::web::doc::issue_instant(conn, r)?;
    // Never before validFrom: an expiry earlier than the issue instant (set with `--force`)
    // makes a credential valid for no time at all, not one that ends before it starts.
    let valid_until = cert
        .expires_at
        .as_deref()
        .and_then(crate::clock::parse)
        .map(|until| until.max(valid_from));
    let credential_id = crate::web::doc::credential_id(conn, r)?;
    Ok(Input {
        issuer: issuer_profile(config, &base_url, Some(&issuer_name)),
        certificate_id: cert.id,
        certificate_name: cert.name.clone(),
        description: cert.description.clone(),
        recipient_name: r.name.clone(),
        email: r.email.clone(),
        salt: salt(secret, r),
        valid_from,
        valid_until,
        // The achievement's picture: this certificate's own image, served by `certstat serve`
        // at the public verification address.
        image: Some(format!("{base_url}/v/{credential_id}.png")),
        status_index: super::ld::status_index(conn, r.id)?,
        credential_id,
        base_url,
    })
}

/// The recipient's signed credential: the stored one when it still says the same, else a new
/// one signed with the active key (created on first need) and stored.
pub fn issue(
    conn: &Connection,
    db_path: &Path,
    config: &Config,
    base_url: &str,
    secret: &Secret,
    cert: &Certificate,
    r: &Recipient,
) -> Result<Issued> {
    let claims = build(&input(conn, config, base_url, secret, cert, r)?);
    if let Some(row) = db::credentials::latest_of_recipient(conn, r.id)?
        && payload(&row.jwt).as_ref() == Some(&claims)
    {
        return Ok(Issued {
            jwt: row.jwt,
            claims,
            kid: row.kid,
            credential_id: row.credential_id,
            new: false,
        });
    }
    let signer = keys::signer(conn, db_path)?;
    let jwt = sign(&claims, &signer, base_url)?;
    let credential_id = crate::web::doc::credential_id(conn, r)?;
    db::credentials::insert_credential(
        conn,
        r.id,
        &credential_id,
        &jwt,
        &crate::clock::now_stamp(),
        &signer.kid,
    )?;
    Ok(Issued {
        jwt,
        claims,
        kid: signer.kid,
        credential_id,
        new: true,
    })
}
