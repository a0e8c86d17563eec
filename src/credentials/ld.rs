//! A recipient's credential as JSON-LD with an embedded Data Integrity proof
//! (`eddsa-rdfc-2022`), served as `application/vc+ld+json`: the same credential as the VC-JWT,
//! without the JWT's registered claims, with a `BitstringStatusListEntry` for its index in
//! the issuer's revocation list, signed with the active key. The proof's `created` is the
//! credential's `validFrom`, so the same credential signs to the same bytes every time.

use std::path::Path;

use anyhow::Result;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use rusqlite::Connection;
use serde_json::Value;

use super::{controller, di, issue, keys, status_list};
use crate::config::Config;
use crate::db;
use crate::model::{Certificate, Recipient};
use crate::tokens::Secret;

/// The VC-JWT registered claims, which the JSON-LD form does not carry.
const JWT_CLAIMS: [&str; 5] = ["iss", "jti", "sub", "nbf", "exp"];

/// The recipient's status list index, allocated on first need: a random free index of the
/// minimum-size list while it is less than half full (so an index says nothing about the
/// order of issue), then the next after the highest.
pub fn status_index(conn: &Connection, recipient_id: i64) -> Result<u64> {
    if let Some(i) = db::credentials::status_index(conn, recipient_id)? {
        return Ok(i);
    }
    let (used, max) = db::credentials::status_indices_used(conn)?;
    let half = status_list::MIN_BITS as u64 / 2;
    for _ in 0..64 {
        let candidate = if used < half {
            let mut b = [0u8; 4];
            getrandom::fill(&mut b)
                .map_err(|e| anyhow::anyhow!("no randomness for a status list index: {e}"))?;
            u64::from(u32::from_le_bytes(b) % status_list::MIN_BITS as u32)
        } else {
            max.map_or(0, |m| m + 1)
        };
        if db::credentials::claim_status_index(conn, recipient_id, candidate)? {
            return Ok(candidate);
        }
        if let Some(i) = db::credentials::status_index(conn, recipient_id)? {
            return Ok(i);
        }
    }
    anyhow::bail!("could not allocate a status list index for recipient {recipient_id}")
}

/// The indices of every revoked recipient's credential.
pub fn revoked_indices(conn: &Connection) -> Result<Vec<u64>> {
    db::credentials::revoked_status_indices(conn)
}

/// The Data Integrity signing key (the newest active Ed25519 key, see
/// [`keys::ed25519_signer`]) and its verification method URL.
pub fn signing_key(
    conn: &Connection,
    db_path: &Path,
    base_url: &str,
) -> Result<(SigningKey, String)> {
    let signer = keys::ed25519_signer(conn, db_path)?;
    let key = SigningKey::from_pkcs8_pem(&signer.pem).map_err(|e| {
        anyhow::anyhow!("the signing key {} is not Ed25519 PKCS#8: {e}", signer.kid)
    })?;
    Ok((
        key,
        controller::verification_method_url(base_url, &signer.kid),
    ))
}

/// The unsigned JSON-LD credential of JWT claims, with its status entry.
pub fn unsigned_from_claims(claims: &Value, base_url: &str, index: u64) -> Value {
    let mut c = claims.clone();
    if let Some(map) = c.as_object_mut() {
        for k in JWT_CLAIMS {
            map.remove(k);
        }
        map.insert(
            "credentialStatus".into(),
            status_list::entry(base_url, index),
        );
    }
    c
}

/// The recipient's credential secured with a Data Integrity proof.
#[allow(clippy::too_many_arguments)]
pub fn credential(
    conn: &Connection,
    db_path: &Path,
    config: &Config,
    base_url: &str,
    secret: &Secret,
    cert: &Certificate,
    r: &Recipient,
) -> Result<Value> {
    let base_url = base_url.trim_end_matches('/');
    let claims = issue::build(&issue::input(conn, config, base_url, secret, cert, r)?);
    let index = status_index(conn, r.id)?;
    let unsigned = unsigned_from_claims(&claims, base_url, index);
    let (key, vm) = signing_key(conn, db_path, base_url)?;
    let created = claims["validFrom"].as_str().unwrap_or_default().to_owned();
    Ok(as_proof_set(di::sign(&unsigned, &key, &vm, &created)?))
}

/// `proof` as a set of one: the Open Badges 3.0 JSON Schema requires an array.
pub fn as_proof_set(mut signed: Value) -> Value {
    if let Some(p) = signed.get_mut("proof")
        && p.is_object()
    {
        *p = Value::Array(vec![p.take()]);
    }
    signed
}

/// The signed revocation list (`BitstringStatusListCredential`) as it stands now.
pub fn status_list_credential(
    conn: &Connection,
    db_path: &Path,
    config: &Config,
    base_url: &str,
    urls: controller::Urls,
) -> Result<Value> {
    let base_url = base_url.trim_end_matches('/');
    let mut issuer = issuer_profile(conn, config, base_url)?;
    issuer["id"] = urls.controller(base_url).into();
    let revoked = revoked_indices(conn)?;
    let (key, _) = signing_key(conn, db_path, base_url)?;
    let vm = urls.method(base_url, &keys::ed25519_signer(conn, db_path)?.kid);
    let now = crate::clock::now_stamp();
    let id = match urls {
        controller::Urls::Json => status_list::list_url(base_url),
        controller::Urls::Legacy => status_list::legacy_list_url(base_url),
    };
    let list = status_list::status_list_credential(&id, &issuer, &revoked, &now);
    di::sign(&list, &key, &vm, &now)
}

/// The issuer profile the issuer's own documents carry: `[issuer] name`, else the issuer
/// name most certificates give (the earliest of equals), else the
/// [`issue::fallback_issuer_name`] — always named.
pub fn issuer_profile(conn: &Connection, config: &Config, base_url: &str) -> Result<Value> {
    let configured = config
        .issuer
        .name
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let mut from_certificates: Option<(usize, String)> = None;
    if !configured {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for c in db::certs::all(conn)? {
            let name = c.issuer.trim();
            if name.is_empty() {
                continue;
            }
            match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, k)) => *k += 1,
                None => counts.push((name.to_owned(), 1)),
            }
        }
        for (name, k) in counts {
            if from_certificates.as_ref().is_none_or(|(best, _)| k > *best) {
                from_certificates = Some((k, name));
            }
        }
    }
    Ok(issue::issuer_profile(
        config,
        base_url,
        from_certificates.as_ref().map(|(_, n)| n.as_str()),
    ))
}

/// The issuer profile as controller document of every key, retired ones included (what
/// `/issuer` serves).
pub fn controller_document(
    conn: &Connection,
    db_path: &Path,
    config: &Config,
    base_url: &str,
    urls: controller::Urls,
) -> Result<Value> {
    let base_url = base_url.trim_end_matches('/');
    keys::ensure(conn, db_path)?;
    let profile = issuer_profile(conn, config, base_url)?;
    Ok(controller::controller_document(
        base_url,
        &keys::list(conn)?,
        &profile,
        urls,
    ))
}

/// The document of one key, as served at its verification method URL; None for a key that
/// does not exist or cannot sign Data Integrity proofs.
pub fn key_document(
    conn: &Connection,
    db_path: &Path,
    base_url: &str,
    kid: &str,
    urls: controller::Urls,
) -> Result<Option<Value>> {
    keys::ensure(conn, db_path)?;
    let base_url = base_url.trim_end_matches('/');
    Ok(keys::list(conn)?
        .iter()
        .find(|k| k.kid == kid)
        .and_then(|k| controller::key_document(base_url, k, urls)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;
    use serde_json::json;

    fn claims() -> Value {
        issue::build(&issue::Input {
            base_url: "https://certs.example.org".into(),
            credential_id: "c1".into(),
            issuer: json!({"id": "https://certs.example.org/issuer.json", "type": ["Profile"], "name": "Example Org"}),
            certificate_id: 3,
            certificate_name: "Workshop 2026".into(),
            description: String::new(),
            recipient_name: "Ada Lovelace".into(),
            email: "ada@example.org".into(),
            salt: "00112233".into(),
            valid_from: chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
            valid_until: Some(chrono::DateTime::from_timestamp(1_798_761_600, 0).unwrap()),
            image: Some("https://certs.example.org/v/c1.png".into()),
            status_index: 42,
        })
    }

    #[test]
    fn open_badge_credential_signs_verifies_and_detects_changes() {
        let unsigned = unsigned_from_claims(&claims(), "https://certs.example.org", 42);
        for k in JWT_CLAIMS {
            assert!(unsigned.get(k).is_none(), "{k}");
        }
        assert_eq!(unsigned["credentialStatus"]["statusListIndex"], "42");
        let key = SigningKey::from_bytes(&[5; 32]);
        let vm = controller::verification_method_url("https://certs.example.org", "k1");
        let signed = as_proof_set(di::sign(&unsigned, &key, &vm, "2026-01-01T00:00:00Z").unwrap());
        assert!(signed["proof"].is_array());
        let public = key.verifying_key();
        di::verify(&signed, |_| Some(public)).unwrap();
        // Every statement of the OB credential is covered: change any and the proof fails.
        for (path, value) in [
            ("/credentialSubject/name", json!("Grace Hopper")),
            ("/credentialSubject/achievement/name", json!("Other")),
            (
                "/credentialSubject/identifier/0/identityHash",
                json!("sha256$00"),
            ),
            ("/validUntil", json!("2030-01-01T00:00:00Z")),
            ("/credentialStatus/statusListIndex", json!("43")),
            ("/issuer/name", json!("Someone Else")),
        ] {
            let mut t = signed.clone();
            *t.pointer_mut(path).unwrap_or_else(|| panic!("{path}")) = value;
            assert_eq!(
                di::verify(&t, |_| Some(public)),
                Err(di::ProofError::BadSignature),
                "{path}"
            );
        }
        let canon = di::canonicalize(&unsigned).unwrap();
        assert!(
            canon.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject>"),
            "{canon}"
        );
        assert!(
            canon.contains("https://www.w3.org/ns/credentials/status#BitstringStatusListEntry"),
            "{canon}"
        );
    }

    /// The status list index table: one index per recipient, allocated once, never shared,
    /// revoked recipients' indices listed.
    #[test]
    fn status_list_indices_are_allocated_once_per_recipient() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'A', 'a', 't');",
        )
        .unwrap();
        let mut seen = std::collections::HashSet::new();
        for id in 1..=200i64 {
            conn.execute(
                "INSERT INTO recipients (id, certificate_id, email, email_key, uid, created_at, \
                 status, status_at, email_hash) VALUES (?1, 1, ?2, ?2, ?3, 't', 'not_sent', 't', ?1)",
                params![id, format!("r{id}@x.org"), format!("u{id}")],
            )
            .unwrap();
            let i = status_index(&conn, id).unwrap();
            assert_eq!(status_index(&conn, id).unwrap(), i, "stable");
            assert!(i < status_list::MIN_BITS as u64);
            assert!(seen.insert(i), "index {i} given twice");
        }
        let sorted: Vec<u64> = {
            let mut v: Vec<u64> = seen.iter().copied().collect();
            v.sort();
            v
        };
        assert_ne!(
            sorted,
            (sorted[0]..sorted[0] + 200).collect::<Vec<_>>(),
            "not sequential"
        );
        conn.execute("UPDATE recipients SET revoked=1 WHERE id IN (3, 7)", [])
            .unwrap();
        let mut want = vec![
            status_index(&conn, 3).unwrap(),
            status_index(&conn, 7).unwrap(),
        ];
        want.sort();
        assert_eq!(revoked_indices(&conn).unwrap(), want);
    }

    /// Benchmark (bench/credentials/run.sh): N credentials built and signed, each proof type.
    #[test]
    #[ignore = "benchmark: bash bench/credentials/run.sh"]
    fn bench_credentials_build_and_sign() {
        use ed25519_dalek::pkcs8::EncodePrivateKey;
        let n: usize = std::env::var("CERTSTAT_BENCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        let key = SigningKey::from_bytes(&[11; 32]);
        let pem = key
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .unwrap();
        let signer = keys::Signer {
            kid: "bench".into(),
            alg: keys::Alg::Ed25519,
            pem: ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing::new(pem.to_string()),
        };
        let vm = controller::verification_method_url("https://certs.example.org", "bench");
        let base = claims();
        let each = |i: usize| {
            let mut c = base.clone();
            c["id"] = json!(format!("https://certs.example.org/v/c{i}"));
            c["credentialSubject"]["name"] = json!(format!("Recipient {i}"));
            c
        };
        let t = std::time::Instant::now();
        let mut bytes = 0;
        for i in 0..n {
            bytes += issue::sign(&each(i), &signer, "https://certs.example.org")
                .unwrap()
                .len();
        }
        let jwt = t.elapsed();
        let p256 = {
            use p256::pkcs8::EncodePrivateKey as _;
            let secret = p256::SecretKey::from_slice(&[12; 32]).unwrap();
            let pem = secret
                .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
                .unwrap()
                .to_string();
            keys::Signer {
                kid: "bench-p256".into(),
                alg: keys::Alg::Es256,
                pem: ed25519_dalek::pkcs8::spki::der::zeroize::Zeroizing::new(pem),
            }
        };
        let t = std::time::Instant::now();
        for i in 0..n {
            bytes += issue::sign(&each(i), &p256, "https://certs.example.org")
                .unwrap()
                .len();
        }
        let es256 = t.elapsed();
        let t = std::time::Instant::now();
        for i in 0..n {
            let u = unsigned_from_claims(&each(i), "https://certs.example.org", i as u64);
            let signed = di::sign(&u, &key, &vm, "2026-01-01T00:00:00Z").unwrap();
            bytes += signed["proof"]["proofValue"].as_str().unwrap().len();
        }
        let ld = t.elapsed();
        let t = std::time::Instant::now();
        let public = key.verifying_key();
        let u = unsigned_from_claims(&each(0), "https://certs.example.org", 0);
        let signed = di::sign(&u, &key, &vm, "2026-01-01T00:00:00Z").unwrap();
        for _ in 0..n.min(1000) {
            di::verify(&signed, |_| Some(public)).unwrap();
        }
        let verify = t.elapsed() / n.min(1000) as u32;
        println!(
            "credentials={n} vc-jwt(EdDSA)={:.1} us/credential vc-jwt(ES256)={:.1} us/credential data-integrity(eddsa-rdfc-2022)={:.1} us/credential di-verify={:.1} us ({bytes} bytes)",
            jwt.as_secs_f64() * 1e6 / n as f64,
            es256.as_secs_f64() * 1e6 / n as f64,
            ld.as_secs_f64() * 1e6 / n as f64,
            verify.as_secs_f64() * 1e6,
        );
    }
}
