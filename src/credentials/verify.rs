//! Verifying a credential: extract it from its container, check the signature against the
//! issuer's keys, the OB 3.0 schema, the validity dates and (for credentials of this database)
//! revocation. The result is a [`Verdict`] with every check and every reason it fails.

use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use super::bake::{self, Container};
use super::issue;
use crate::db;

/// Why a credential is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Not a credential, not readable, or not matching the OB 3.0 schema.
    Malformed,
    /// Signed by a key neither the database nor `--jwks` has.
    UnknownKey,
    /// The signature does not match.
    BadSignature,
    /// The signature does not match because a field differs from what was issued.
    TamperedField,
    Expired,
    NotYetValid,
    Revoked,
}

impl ReasonCode {
    pub fn label(self) -> &'static str {
        match self {
            ReasonCode::Malformed => "malformed",
            ReasonCode::UnknownKey => "unknown key",
            ReasonCode::BadSignature => "bad signature",
            ReasonCode::TamperedField => "tampered field",
            ReasonCode::Expired => "expired",
            ReasonCode::NotYetValid => "not yet valid",
            ReasonCode::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
}

/// One check and how it went: `pass`, `fail` or `skipped`.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub result: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Revocation {
    pub revoked_at: String,
    pub reason: String,
}

/// The outcome of verifying one credential.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub valid: bool,
    pub container: Option<Container>,
    /// The credential's id (its verification URL).
    pub credential: Option<String>,
    pub name: Option<String>,
    pub recipient: Option<String>,
    pub issuer: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub kid: Option<String>,
    /// `active`, `retired` (keys of this database) or `jwks` (from `--jwks`).
    pub key: Option<&'static str>,
    /// Whether this database issued it (revocation and expiry were checked against it).
    pub issued_here: bool,
    pub revoked: Option<Revocation>,
    pub checks: Vec<Check>,
    pub reasons: Vec<Reason>,
    /// The signed payload, when it could be read.
    #[serde(skip)]
    pub claims: Option<Value>,
}

impl Verdict {
    fn new(container: Option<Container>) -> Verdict {
        Verdict {
            valid: false,
            container,
            credential: None,
            name: None,
            recipient: None,
            issuer: None,
            valid_from: None,
            valid_until: None,
            kid: None,
            key: None,
            issued_here: false,
            revoked: None,
            checks: Vec::new(),
            reasons: Vec::new(),
            claims: None,
        }
    }

    fn check(&mut self, check: &'static str, result: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            result,
            detail: detail.into(),
        });
    }

    fn fail(&mut self, check: &'static str, code: ReasonCode, message: impl Into<String>) {
        let message = message.into();
        self.check(check, "fail", message.clone());
        self.reasons.push(Reason { code, message });
    }

    /// The first reason's code, for one-line messages.
    pub fn main_reason(&self) -> Option<ReasonCode> {
        self.reasons.first().map(|r| r.code)
    }

    /// A human report: the verdict, what the credential says, each check.
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.valid {
            out.push_str("VALID\n");
        } else {
            let mut codes: Vec<&str> = Vec::new();
            for r in &self.reasons {
                if !codes.contains(&r.code.label()) {
                    codes.push(r.code.label());
                }
            }
            out.push_str(&format!("INVALID: {}\n", codes.join(", ")));
        }
        let mut field = |label: &str, value: &Option<String>| {
            if let Some(v) = value {
                out.push_str(&format!(
                    "  {label:<12}{}\n",
                    crate::model::sanitize_cell(v)
                ));
            }
        };
        field("credential", &self.credential);
        field("name", &self.name);
        field("recipient", &self.recipient);
        field("issuer", &self.issuer);
        field("valid from", &self.valid_from);
        field("valid until", &self.valid_until);
        let key = self.kid.as_ref().map(|k| {
            format!(
                "{k}{}",
                self.key.map(|s| format!(" ({s})")).unwrap_or_default()
            )
        });
        field("key", &key);
        for c in &self.checks {
            let mark = match c.result {
                "pass" => "ok  ",
                "fail" => "FAIL",
                _ => "--  ",
            };
            out.push_str(&format!(
                "  [{mark}] {:<11} {}\n",
                c.check,
                crate::model::sanitize_cell(&c.detail)
            ));
        }
        out
    }
}

/// A public key to try.
#[derive(Debug, Clone)]
pub struct KnownKey {
    /// The key id (its thumbprint, or whatever a foreign JWKS names it; a `kid` URL is reduced
    /// to its key id by [`super::keys::key_id_of`]).
    pub kid: Option<String>,
    pub alg: super::keys::Alg,
    pub x: String,
    /// The `y` coordinate of a P-256 key (empty for Ed25519).
    pub y: String,
    pub origin: &'static str,
}

impl KnownKey {
    fn decoding_key(&self) -> Option<DecodingKey> {
        match self.alg {
            super::keys::Alg::Ed25519 => DecodingKey::from_ed_components(&self.x).ok(),
            super::keys::Alg::Es256 => DecodingKey::from_ec_components(&self.x, &self.y).ok(),
        }
    }
}

/// The Ed25519 and P-256 keys of a JWK or JWK Set (`{"keys": […]}`); other key types are
/// skipped.
pub fn keys_from_jwks(value: &Value, origin: &'static str) -> Vec<KnownKey> {
    let list: Vec<&Value> = match value.get("keys").and_then(Value::as_array) {
        Some(keys) => keys.iter().collect(),
        None => vec![value],
    };
    list.into_iter()
        .filter_map(|k| {
            let alg = super::keys::Alg::of_jwk(k)?;
            Some(KnownKey {
                kid: k
                    .get("kid")
                    .and_then(Value::as_str)
                    .map(|kid| super::keys::key_id_of(kid).to_owned()),
                alg,
                x: k.get("x")?.as_str()?.to_owned(),
                y: match alg {
                    super::keys::Alg::Ed25519 => String::new(),
                    super::keys::Alg::Es256 => k.get("y")?.as_str()?.to_owned(),
                },
                origin,
            })
        })
        .collect()
}

/// The keys of this database (`active` / `retired`).
pub fn database_keys(conn: &Connection) -> anyhow::Result<Vec<KnownKey>> {
    let mut out = Vec::new();
    for row in db::credentials::keys(conn)? {
        let jwk: Value = serde_json::from_str(&row.public_jwk)?;
        let origin = if row.retired_at.is_some() {
            "retired"
        } else {
            "active"
        };
        for mut k in keys_from_jwks(&jwk, origin) {
            k.kid = Some(row.kid.clone());
            out.push(k);
        }
    }
    Ok(out)
}

/// The credential id (uid) in a credential URL `…/v/<id>` (a `.json`/`.jwt` suffix allowed).
pub fn credential_id_of(url: &str) -> Option<String> {
    let tail = url.rsplit("/v/").next()?;
    let tail = tail.split(['?', '#', '/']).next()?;
    let tail = tail
        .strip_suffix(".json")
        .or_else(|| tail.strip_suffix(".jwt"))
        .unwrap_or(tail);
    crate::web::doc::is_credential_id(tail).then(|| tail.to_owned())
}

/// Where two JSON values differ (`a.b[2].c` paths, at most `limit`).
pub fn differences(a: &Value, b: &Value, limit: usize) -> Vec<(String, Value, Value)> {
    fn walk(
        path: String,
        a: &Value,
        b: &Value,
        out: &mut Vec<(String, Value, Value)>,
        limit: usize,
    ) {
        if out.len() >= limit || a == b {
            return;
        }
        let join = |k: &str| {
            if path.is_empty() {
                k.to_owned()
            } else {
                format!("{path}.{k}")
            }
        };
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, va) in x {
                    walk(join(k), va, y.get(k).unwrap_or(&Value::Null), out, limit);
                }
                for (k, vb) in y {
                    if !x.contains_key(k) {
                        walk(join(k), &Value::Null, vb, out, limit);
                    }
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                    walk(format!("{path}[{i}]"), va, vb, out, limit);
                }
            }
            _ => out.push((path, a.clone(), b.clone())),
        }
    }
    let mut out = Vec::new();
    walk(String::new(), a, b, &mut out, limit);
    out
}

fn short(v: &Value) -> String {
    let text = match v {
        Value::String(s) => format!("'{s}'"),
        Value::Null => "(absent)".to_owned(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

fn tamper_message(diffs: &[(String, Value, Value)]) -> String {
    let parts: Vec<String> = diffs
        .iter()
        .map(|(path, issued, found)| {
            format!("{path} is {} (issued: {})", short(found), short(issued))
        })
        .collect();
    format!(
        "changed since it was issued, so the signature does not match: {}",
        parts.join("; ")
    )
}

/// What the verification page JSON adds to the credential: not signed, ignored here.
pub const UNSIGNED_STATUS_KEY: &str = "verification";

enum Extracted {
    Jws(String),
    Credential(Value),
}

fn extract(container: Container, bytes: &[u8]) -> anyhow::Result<Extracted> {
    let text = || -> anyhow::Result<&str> {
        Ok(std::str::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("the file is not UTF-8 text"))?
            .trim_start_matches('\u{feff}')
            .trim())
    };
    Ok(match container {
        Container::Png => Extracted::Jws(bake::extract_png(bytes)?),
        Container::Pdf => Extracted::Jws(bake::extract_pdf(bytes)?),
        Container::Svg => Extracted::Jws(bake::extract_svg(text()?)?),
        Container::Jwt => Extracted::Jws(text()?.to_owned()),
        Container::Json => match serde_json::from_str::<Value>(text()?)? {
            Value::String(s) => Extracted::Jws(s.trim().to_owned()),
            v @ Value::Object(_) => Extracted::Credential(v),
            _ => anyhow::bail!("the JSON is neither a credential object nor a JWS string"),
        },
    })
}

/// Verify the bytes of a file (PNG, SVG, PDF, `.jwt` or `.json`).
///
/// `conn` gives this database's keys, credentials and revocations; `extra` are keys from
/// `--jwks`.
pub fn verify_bytes(
    conn: Option<&Connection>,
    bytes: &[u8],
    extra: &[KnownKey],
    now: DateTime<Utc>,
) -> anyhow::Result<Verdict> {
    let container = Container::sniff(bytes);
    let mut v = Verdict::new(container);
    let Some(container) = container else {
        v.fail(
            "extract",
            ReasonCode::Malformed,
            "not a baked PNG, SVG or PDF, a JWT or a JSON credential",
        );
        return Ok(v);
    };
    let extracted = match extract(container, bytes) {
        Ok(e) => e,
        Err(e) => {
            v.fail("extract", ReasonCode::Malformed, format!("{e:#}"));
            return Ok(v);
        }
    };
    let mut keys = match conn {
        Some(c) => database_keys(c)?,
        None => Vec::new(),
    };
    keys.extend_from_slice(extra);
    match extracted {
        Extracted::Jws(jws) => {
            v.check(
                "extract",
                "pass",
                format!("a VC-JWT from the {container:?} file").to_lowercase(),
            );
            check_jws(conn, &keys, &jws, &mut v)?;
        }
        Extracted::Credential(credential) => {
            v.check("extract", "pass", "a JSON credential");
            check_json(conn, &keys, credential, &mut v)?;
        }
    }
    if let Some(claims) = v.claims.clone() {
        describe(&claims, &mut v);
        if v.reasons.is_empty() {
            check_schema(&claims, &mut v);
            check_dates(conn, &claims, now, &mut v)?;
            check_revocation(conn, &claims, &mut v)?;
        }
    }
    v.valid = v.reasons.is_empty();
    Ok(v)
}

fn str_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for p in path {
        at = at.get(*p)?;
    }
    at.as_str().map(str::to_owned)
}

fn describe(claims: &Value, v: &mut Verdict) {
    v.credential = str_at(claims, &["id"]);
    v.name = str_at(claims, &["name"]);
    v.recipient = str_at(claims, &["credentialSubject", "name"]);
    v.issuer = str_at(claims, &["issuer", "name"])
        .or_else(|| str_at(claims, &["issuer", "id"]))
        .or_else(|| str_at(claims, &["issuer"]));
    v.valid_from = str_at(claims, &["validFrom"]);
    v.valid_until = str_at(claims, &["validUntil"]);
}

/// The recipient of this database whose credential id the claims carry.
fn our_recipient(conn: Option<&Connection>, claims: &Value) -> anyhow::Result<Option<i64>> {
    let (Some(conn), Some(id)) = (conn, str_at(claims, &["id"])) else {
        return Ok(None);
    };
    match credential_id_of(&id) {
        Some(id) => db::credentials::recipient_by_public_id(conn, &id),
        None => Ok(None),
    }
}

/// The signed payloads this database issued under the claims' credential id, newest first.
fn issued_payloads(
    conn: Option<&Connection>,
    claims: &Value,
) -> anyhow::Result<Vec<(String, Value)>> {
    let (Some(conn), Some(id)) = (conn, str_at(claims, &["id"])) else {
        return Ok(Vec::new());
    };
    let Some(uid) = credential_id_of(&id) else {
        return Ok(Vec::new());
    };
    Ok(db::credentials::by_credential_id(conn, &uid)?
        .into_iter()
        .filter_map(|row| Some((row.jwt.clone(), issue::payload(&row.jwt)?)))
        .collect())
}

/// Check the signature of a compact JWS; on success `v.claims` is its payload.
fn check_jws(
    conn: Option<&Connection>,
    keys: &[KnownKey],
    jws: &str,
    v: &mut Verdict,
) -> anyhow::Result<()> {
    let Some((header, alg)) = jws_header(jws, v) else {
        return Ok(());
    };
    let wanted = header.kid.as_deref().map(super::keys::key_id_of);
    v.kid = wanted.map(str::to_owned);
    let candidates: Vec<&KnownKey> = keys
        .iter()
        .filter(|k| k.alg == alg && wanted.is_none_or(|kid| k.kid.as_deref() == Some(kid)))
        .collect();
    if candidates.is_empty() {
        v.fail(
            "signature",
            ReasonCode::UnknownKey,
            no_key_message(&header, keys),
        );
        v.claims = None;
        return Ok(());
    }
    match try_keys(jws, &header, alg, &candidates, v) {
        Tried::Done => Ok(()),
        Tried::NoKeyVerifies => {
            v.fail(
                "signature",
                ReasonCode::UnknownKey,
                "no known key verifies this JWS",
            );
            Ok(())
        }
        Tried::BadSignature => explain_bad_signature(conn, issue::payload(jws), v),
    }
}

/// The JWS header and the algorithm of its key, or None (and `v` says why) when the
/// credential is not a JWS certstat can check.
fn jws_header(jws: &str, v: &mut Verdict) -> Option<(jsonwebtoken::Header, super::keys::Alg)> {
    if !bake::looks_like_jws(jws) {
        v.fail(
            "signature",
            ReasonCode::Malformed,
            "the credential is not a compact JWS",
        );
        return None;
    }
    let header = match jsonwebtoken::decode_header(jws) {
        Ok(h) => h,
        Err(e) => {
            v.fail(
                "signature",
                ReasonCode::Malformed,
                format!("the JWS header is not readable: {e}"),
            );
            return None;
        }
    };
    let alg = match header.alg {
        Algorithm::EdDSA => super::keys::Alg::Ed25519,
        Algorithm::ES256 => super::keys::Alg::Es256,
        other => {
            v.fail(
                "signature",
                ReasonCode::Malformed,
                format!(
                    "the JWS is signed with {other:?}; certstat verifies EdDSA (Ed25519) and \
                     ES256 (P-256) credentials"
                ),
            );
            return None;
        }
    };
    Some((header, alg))
}

/// Why no key was found for a JWS.
fn no_key_message(header: &jsonwebtoken::Header, keys: &[KnownKey]) -> String {
    match &header.kid {
        Some(kid) => format!(
            "signed with key '{kid}', which is not among the {} key(s) known (this database{})",
            keys.len(),
            if keys.iter().any(|k| k.origin == "jwks") {
                " and --jwks"
            } else {
                "; pass the issuer's --jwks"
            }
        ),
        None => "the JWS names no key (kid) and no key is known".to_owned(),
    }
}

/// What trying the candidate keys on a JWS gave.
enum Tried {
    /// A key verified it, or the JWS could not be checked; `v` says which.
    Done,
    /// No key verified it, and none found its signature wrong (no kid named).
    NoKeyVerifies,
    /// The signature does not match.
    BadSignature,
}

fn try_keys(
    jws: &str,
    header: &jsonwebtoken::Header,
    alg: super::keys::Alg,
    candidates: &[&KnownKey],
    v: &mut Verdict,
) -> Tried {
    let mut validation = Validation::new(header.alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let mut bad_signature = false;
    for key in candidates {
        let Some(decoding) = key.decoding_key() else {
            continue;
        };
        match jsonwebtoken::decode::<Value>(jws, &decoding, &validation) {
            Ok(data) => {
                v.key = Some(key.origin);
                if v.kid.is_none() {
                    v.kid = key.kid.clone();
                }
                v.check(
                    "signature",
                    "pass",
                    format!(
                        "{} signature by key {}",
                        alg.jws(),
                        key.kid.as_deref().unwrap_or("(no kid)")
                    ),
                );
                v.claims = Some(data.claims);
                return Tried::Done;
            }
            Err(e) if matches!(e.kind(), ErrorKind::InvalidSignature) => bad_signature = true,
            Err(e) if header.kid.is_some() => {
                v.fail(
                    "signature",
                    ReasonCode::Malformed,
                    format!("the JWS cannot be checked: {e}"),
                );
                return Tried::Done;
            }
            Err(_) => {}
        }
    }
    if !bad_signature && header.kid.is_none() {
        Tried::NoKeyVerifies
    } else {
        Tried::BadSignature
    }
}

/// The signature does not match: say which field changed since we issued it, when we did.
fn explain_bad_signature(
    conn: Option<&Connection>,
    payload: Option<Value>,
    v: &mut Verdict,
) -> anyhow::Result<()> {
    if let Some(found) = &payload {
        v.claims = None;
        let issued = issued_payloads(conn, found)?;
        if let Some((_, original)) = issued.first() {
            let diffs = differences(original, found, 5);
            if !diffs.is_empty() {
                describe(found, v);
                v.fail(
                    "signature",
                    ReasonCode::TamperedField,
                    tamper_message(&diffs),
                );
                return Ok(());
            }
        }
        describe(found, v);
    }
    v.fail(
        "signature",
        ReasonCode::BadSignature,
        "the signature does not match the credential and key",
    );
    Ok(())
}

/// A bare JSON credential has no proof of its own: it is valid only as a copy of a credential
/// this database signed (the `verification` member `serve` adds is ignored).
fn check_json(
    conn: Option<&Connection>,
    keys: &[KnownKey],
    mut credential: Value,
    v: &mut Verdict,
) -> anyhow::Result<()> {
    if let Some(map) = credential.as_object_mut() {
        map.remove(UNSIGNED_STATUS_KEY);
    }
    if credential.get("proof").is_some() {
        check_data_integrity(keys, credential, v);
        return Ok(());
    }
    let issued = issued_payloads(conn, &credential)?;
    if issued.is_empty() {
        v.fail(
            "signature",
            ReasonCode::Malformed,
            "a JSON credential carries no proof and this database did not issue it: verify its \
             VC-JWT (.jwt) form or a baked image",
        );
        return Ok(());
    }
    if let Some((jwt, _)) = issued.iter().find(|(_, p)| *p == credential) {
        check_jws(conn, keys, jwt, v)?;
        if let Some(c) = v.checks.last_mut()
            && c.result == "pass"
        {
            c.detail = format!("identical to the VC-JWT this database issued; {}", c.detail);
        }
        return Ok(());
    }
    let diffs = differences(&issued[0].1, &credential, 5);
    describe(&credential, v);
    v.fail(
        "signature",
        ReasonCode::TamperedField,
        tamper_message(&diffs),
    );
    Ok(())
}

/// An embedded Data Integrity proof (eddsa-rdfc-2022): the key is the one whose `kid` ends
/// `proof.verificationMethod` (its last path segment, or its fragment in the form earlier
/// credentials carry), among this database's keys and `--jwks`.
fn check_data_integrity(keys: &[KnownKey], credential: Value, v: &mut Verdict) {
    use super::di::ProofError;
    let vm = super::di::proof_of(&credential)
        .ok()
        .and_then(|p| p.get("verificationMethod"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let kid = (!vm.is_empty()).then(|| super::keys::key_id_of(&vm).to_owned());
    let known = keys.iter().find(|k| kid.is_some() && k.kid == kid);
    let public = known.and_then(|k| {
        super::controller::ed25519_of_jwk(&serde_json::json!({
            "kty": "OKP", "crv": "Ed25519", "x": k.x,
        }))
        .ok()
    });
    match super::di::verify(&credential, |_| public) {
        Ok(()) => {
            let k = known.expect("a key was found");
            v.kid = k.kid.clone();
            v.key = Some(k.origin);
            v.check(
                "signature",
                "pass",
                format!("Data Integrity proof (eddsa-rdfc-2022) by {vm}"),
            );
            let mut claims = credential;
            if let Some(map) = claims.as_object_mut() {
                map.remove("proof");
            }
            v.claims = Some(claims);
        }
        Err(e) => {
            let code = match e {
                ProofError::UnknownKey(_) => ReasonCode::UnknownKey,
                ProofError::BadSignature => ReasonCode::BadSignature,
                _ => ReasonCode::Malformed,
            };
            describe(&credential, v);
            v.fail("signature", code, e.to_string());
        }
    }
}

fn check_schema(claims: &Value, v: &mut Verdict) {
    let errors = super::schema::credential_errors(claims);
    if errors.is_empty() {
        v.check("schema", "pass", "an Open Badges 3.0 OpenBadgeCredential");
    } else {
        let shown: Vec<&str> = errors.iter().take(3).map(String::as_str).collect();
        v.fail(
            "schema",
            ReasonCode::Malformed,
            format!(
                "does not match the Open Badges 3.0 schema: {}",
                shown.join("; ")
            ),
        );
    }
    let types = claims["type"].as_array().cloned().unwrap_or_default();
    if errors.is_empty()
        && !types
            .iter()
            .any(|t| t == "OpenBadgeCredential" || t == "AchievementCredential")
    {
        v.fail(
            "schema",
            ReasonCode::Malformed,
            "not an OpenBadgeCredential",
        );
    }
}

fn check_dates(
    conn: Option<&Connection>,
    claims: &Value,
    now: DateTime<Utc>,
    v: &mut Verdict,
) -> anyhow::Result<()> {
    let from = str_at(claims, &["validFrom"]).and_then(|s| crate::clock::parse(&s));
    let mut until = str_at(claims, &["validUntil"]).and_then(|s| crate::clock::parse(&s));
    let mut until_source = "validUntil";
    // An expiry set on the certificate after issuing applies too.
    if let (Some(conn), Some(rid)) = (conn, our_recipient(conn, claims)?)
        && v.key.is_some_and(|k| k != "jwks")
        && let Some(r) = db::recipients::by_id(conn, rid)?
        && let Some(cert) = db::certs::all(conn)?
            .into_iter()
            .find(|c| c.id == r.certificate_id)
        && let Some(expires) = cert.expires_at.as_deref().and_then(crate::clock::parse)
        && until.is_none_or(|u| expires < u)
    {
        until = Some(expires);
        until_source = "the certificate's expiry date";
    }
    let Some(from) = from else {
        v.fail("dates", ReasonCode::Malformed, "no readable validFrom");
        return Ok(());
    };
    if from > now + chrono::Duration::minutes(5) {
        v.fail(
            "dates",
            ReasonCode::NotYetValid,
            format!("valid only from {}", crate::clock::stamp(from)),
        );
    } else if let Some(until) = until
        && until <= now
    {
        v.fail(
            "dates",
            ReasonCode::Expired,
            format!("expired on {} ({until_source})", crate::clock::stamp(until)),
        );
    } else {
        let detail = match until {
            Some(u) => format!(
                "valid from {} until {}",
                crate::clock::stamp(from),
                crate::clock::stamp(u)
            ),
            None => format!("valid from {}, no expiry", crate::clock::stamp(from)),
        };
        v.check("dates", "pass", detail);
    }
    Ok(())
}

fn check_revocation(
    conn: Option<&Connection>,
    claims: &Value,
    v: &mut Verdict,
) -> anyhow::Result<()> {
    let ours = match our_recipient(conn, claims)? {
        Some(rid) if v.key.is_some_and(|k| k != "jwks") => Some(rid),
        _ => None,
    };
    let (Some(conn), Some(rid)) = (conn, ours) else {
        let status = str_at(claims, &["credentialStatus", "statusListCredential"])
            .or_else(|| str_at(claims, &["credentialStatus", "id"]));
        v.check(
            "revocation",
            "skipped",
            match status {
                Some(url) => {
                    format!("not issued from this database: its status is published at {url}")
                }
                None => "not issued from this database, and it names no status".to_owned(),
            },
        );
        return Ok(());
    };
    v.issued_here = true;
    match db::credentials::revocation(conn, rid)? {
        Some((at, reason)) => {
            let message = if reason.is_empty() {
                format!("revoked on {at}")
            } else {
                format!("revoked on {at}: {reason}")
            };
            v.revoked = Some(Revocation {
                revoked_at: at,
                reason,
            });
            v.fail("revocation", ReasonCode::Revoked, message);
        }
        None => v.check("revocation", "pass", "not revoked (this database)"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credential_ids_come_from_urls() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            credential_id_of(&format!("https://x.org/v/{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(
            credential_id_of(&format!("https://x.org/v/{id}.json")).as_deref(),
            Some(id)
        );
        assert_eq!(credential_id_of("https://x.org/v/../etc"), None);
    }

    #[test]
    fn differences_name_paths() {
        let a = json!({"name": "A", "s": {"list": [1, 2]}, "gone": 1});
        let b = json!({"name": "B", "s": {"list": [1, 3]}, "new": 2});
        let d: Vec<String> = differences(&a, &b, 10).into_iter().map(|x| x.0).collect();
        assert_eq!(d, ["name", "s.list[1]", "gone", "new"]);
    }
}
