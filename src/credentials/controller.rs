//! The issuer's keys published as a controller document (W3C Controlled Identifiers): every
//! key, retired ones included, as a `Multikey` with its `publicKeyMultibase`, so that a
//! proof's `verificationMethod` (and a VC-JWT `kid`) dereferences to its key. With
//! `[issuer] did = "did:web:…"` the same keys form the DID document `/.well-known/did.json`.

use anyhow::{Result, anyhow};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};

use super::contexts;
use super::keys::PublicKey;

/// `<base_url>/issuer`: the controller document's URL and `id`, the issuer's id. The issuer
/// profile served there is also the controller document, so that a verifier finds the key
/// of a proof under the credential's own `issuer` (as Data Integrity's assertion purpose
/// requires).
pub fn controller_url(base_url: &str) -> String {
    super::issue::issuer_id(base_url.trim_end_matches('/'))
}

/// Which generation of URLs a document is answered in: [`Urls::Json`] (`.json` names, what
/// credentials carry now and `publish` writes) or [`Urls::Legacy`] (`/issuer`,
/// `/issuer/keys/<kid>`, `/status/revocation`: what earlier credentials name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urls {
    Json,
    Legacy,
}

impl Urls {
    /// The controller document's URL (the issuer id).
    pub fn controller(self, base_url: &str) -> String {
        let base = base_url.trim_end_matches('/');
        match self {
            Urls::Json => super::issue::issuer_id(base),
            Urls::Legacy => super::issue::legacy_issuer_id(base),
        }
    }

    /// A key's verification method URL.
    pub fn method(self, base_url: &str, kid: &str) -> String {
        let base = base_url.trim_end_matches('/');
        match self {
            Urls::Json => format!("{base}/issuer/keys/{kid}.json"),
            Urls::Legacy => format!("{base}/issuer/keys/{kid}"),
        }
    }
}

/// The verification method of a key, `proof.verificationMethod`: its own document under the
/// controller's URL, `<base_url>/issuer/keys/<kid>` (`kid` is its JWK thumbprint), listed in
/// the controller document. A URL of its own rather than a fragment of `/issuer`, because
/// verifiers load a verification method with a plain HTTP document loader that does not
/// select a fragment (the DCC verifier-core does so): what the URL answers must be the key.
/// (The VC-JWT `kid` is the key's JWK URL, `keys::jwk_url`, read as the JWK.)
pub fn verification_method_url(base_url: &str, kid: &str) -> String {
    Urls::Json.method(base_url, kid)
}

/// The document served at [`verification_method_url`]: the key alone, as a `Multikey`
/// controlled by the issuer. None for a key that is not Ed25519 (Data Integrity proofs
/// here are eddsa-rdfc-2022).
pub fn key_document(base_url: &str, key: &PublicKey, urls: Urls) -> Option<Value> {
    let public = ed25519_of_jwk(&key.jwk).ok()?;
    Some(json!({
        "@context": contexts::MULTIKEY_V1,
        "id": urls.method(base_url, &key.kid),
        "type": "Multikey",
        "controller": urls.controller(base_url),
        "publicKeyMultibase": super::di::multikey_public(&public),
    }))
}

/// The Ed25519 public key of a published JWK (`kty` OKP, `crv` Ed25519).
pub fn ed25519_of_jwk(jwk: &Value) -> Result<VerifyingKey> {
    if jwk["kty"] != "OKP" || jwk["crv"] != "Ed25519" {
        return Err(anyhow!("the key is not an Ed25519 key"));
    }
    let x = jwk["x"]
        .as_str()
        .ok_or_else(|| anyhow!("the JWK has no x"))?;
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(x)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| anyhow!("the JWK's x is not 32 base64url bytes"))?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|e| anyhow!("the JWK's x is not an Ed25519 point: {e}"))
}

/// Every Ed25519 key as a verification method of `controller`, with the id `id_of` gives it:
/// (methods, their ids).
fn methods(
    controller: &str,
    keys: &[PublicKey],
    id_of: impl Fn(&PublicKey) -> String,
) -> (Vec<Value>, Vec<Value>) {
    let mut vms = Vec::new();
    let mut ids = Vec::new();
    for k in keys {
        let Ok(public) = ed25519_of_jwk(&k.jwk) else {
            continue;
        };
        let id = id_of(k);
        let vm = json!({
            "id": id,
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": super::di::multikey_public(&public),
        });
        // Retired keys stay listed, with no expiry: what they signed still verifies.
        ids.push(json!(id));
        vms.push(vm);
    }
    (vms, ids)
}

/// The controller document served at [`controller_url`]: the issuer `profile` with every key
/// as a verification method for assertions.
pub fn controller_document(
    base_url: &str,
    keys: &[PublicKey],
    profile: &Value,
    urls: Urls,
) -> Value {
    let id = urls.controller(base_url);
    let (vms, ids) = methods(&id, keys, |k| urls.method(base_url, &k.kid));
    let mut doc = serde_json::Map::new();
    doc.insert(
        "@context".into(),
        json!([
            contexts::VC_V2,
            contexts::OB_V3,
            contexts::DID_V1,
            contexts::MULTIKEY_V1
        ]),
    );
    if let Some(p) = profile.as_object() {
        for (k, v) in p {
            doc.insert(k.clone(), v.clone());
        }
    }
    doc.insert("id".into(), json!(id));
    doc.insert("verificationMethod".into(), json!(vms));
    doc.insert("assertionMethod".into(), json!(ids));
    Value::Object(doc)
}

/// The DID document of a `did:web` issuer, served at `/.well-known/did.json`.
pub fn did_document(did: &str, keys: &[PublicKey]) -> Value {
    let (vms, ids) = methods(did, keys, |k| format!("{did}#{}", k.kid));
    json!({
        "@context": [contexts::DID_V1, contexts::MULTIKEY_V1],
        "id": did,
        "verificationMethod": vms,
        "assertionMethod": ids,
    })
}

/// The key a verification method URL names, among `keys`: its own URL
/// ([`verification_method_url`]), a `did:web` DID URL, or the controller document's URL with
/// the key as fragment (the form earlier credentials carry).
pub fn resolve(
    base_url: &str,
    did: Option<&str>,
    keys: &[PublicKey],
    vm: &str,
) -> Option<VerifyingKey> {
    let base = base_url.trim_end_matches('/');
    let kid = vm
        .strip_prefix(&format!("{base}/issuer/keys/"))
        .map(|kid| kid.strip_suffix(".json").unwrap_or(kid))
        .or_else(|| vm.strip_prefix(&format!("{}#", Urls::Json.controller(base))))
        .or_else(|| vm.strip_prefix(&format!("{}#", Urls::Legacy.controller(base))))
        .or_else(|| {
            let (doc, frag) = vm.split_once('#')?;
            did.is_some_and(|d| d == doc).then_some(frag)
        })?;
    keys.iter()
        .find(|k| k.kid == kid)
        .and_then(|k| ed25519_of_jwk(&k.jwk).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8, retired: Option<&str>) -> PublicKey {
        let vk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key();
        let jwk = super::super::keys::public_jwk(&vk);
        PublicKey {
            kid: jwk["kid"].as_str().unwrap().to_owned(),
            fingerprint: jwk["kid"].as_str().unwrap().to_owned(),
            jwk,
            created_at: "2026-01-01T00:00:00Z".into(),
            retired_at: retired.map(Into::into),
            active: retired.is_none(),
            alg: Some(super::super::keys::Alg::Ed25519),
        }
    }

    #[test]
    fn every_key_is_published_and_resolves_from_its_url() {
        let keys = vec![key(1, None), key(2, Some("2026-02-01T00:00:00Z"))];
        let base = "https://certs.example.org/";
        let profile =
            json!({"id": "https://certs.example.org/issuer", "type": ["Profile"], "name": "Org"});
        let doc = controller_document(base, &keys, &profile, Urls::Json);
        assert_eq!(doc["name"], "Org");
        assert_eq!(doc["id"], "https://certs.example.org/issuer.json");
        let legacy = controller_document(base, &keys, &profile, Urls::Legacy);
        assert_eq!(legacy["id"], "https://certs.example.org/issuer");
        assert_eq!(doc["verificationMethod"].as_array().unwrap().len(), 2);
        for k in &keys {
            let vm = verification_method_url(base, &k.kid);
            assert!(vm.starts_with("https://certs.example.org/issuer/keys/"));
            assert!(vm.ends_with(".json"), "{vm}");
            let own = key_document(base, k, Urls::Json).unwrap();
            assert_eq!(own["id"], vm.as_str());
            assert_eq!(own["controller"], "https://certs.example.org/issuer.json");
            let old = key_document(base, k, Urls::Legacy).unwrap();
            assert_eq!(old["controller"], "https://certs.example.org/issuer");
            let old_vm = old["id"].as_str().unwrap();
            assert!(
                legacy["assertionMethod"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(old_vm))
            );
            assert_eq!(
                resolve(base, None, &keys, old_vm),
                Some(ed25519_of_jwk(&k.jwk).unwrap())
            );
            let listed = doc["verificationMethod"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == vm.as_str())
                .expect("listed");
            let public = ed25519_of_jwk(&k.jwk).unwrap();
            assert_eq!(
                listed["publicKeyMultibase"],
                super::super::di::multikey_public(&public)
            );
            assert!(
                doc["assertionMethod"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(vm))
            );
            assert_eq!(
                resolve(base.trim_end_matches('/'), None, &keys, &vm),
                Some(public)
            );
        }
        // The fragment form earlier credentials carry still resolves.
        let legacy = format!("https://certs.example.org/issuer#{}", keys[1].kid);
        assert!(resolve(base, None, &keys, &legacy).is_some());
        assert_eq!(
            resolve(base, None, &keys, "https://other.example/issuer#x"),
            None
        );
        let unknown = verification_method_url(base, "not-a-key");
        assert_eq!(resolve(base, None, &keys, &unknown), None);
        let vm = verification_method_url(base, &keys[0].kid);
        assert_eq!(resolve("https://other.example", None, &keys, &vm), None);
    }

    #[test]
    fn did_web_document_lists_the_same_keys() {
        let keys = vec![key(1, None)];
        let doc = did_document("did:web:certs.example.org", &keys);
        let vm = format!("did:web:certs.example.org#{}", keys[0].kid);
        assert_eq!(doc["verificationMethod"][0]["id"], vm.as_str());
        assert_eq!(
            doc["verificationMethod"][0]["controller"],
            "did:web:certs.example.org"
        );
        assert!(resolve("https://x", Some("did:web:certs.example.org"), &keys, &vm).is_some());
    }
}
