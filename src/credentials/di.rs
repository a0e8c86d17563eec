//! Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa):
//! the credential and the proof options are each turned into RDF (JSON-LD 1.1 toRDF over
//! the bundled contexts, see [`contexts`]), canonicalized with RDFC-1.0, hashed with SHA-256,
//! and the two hashes (proof options first) are signed with Ed25519. The signature is the
//! `proofValue`, multibase base58btc (`z…`). The verification method is a Multikey.
//!
//! No network is used: a context that is not bundled is an error.

use anyhow::{Context, Result, anyhow, bail};
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::contexts;

pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
pub const PROOF_TYPE: &str = "DataIntegrityProof";
pub const PROOF_PURPOSE: &str = "assertionMethod";
/// The media type of a credential secured with an embedded proof.
pub const MEDIA_TYPE: &str = "application/vc+ld+json";

/// Multicodec prefix of an Ed25519 public key (`ed-pub`, varint 0xed).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec prefix of an Ed25519 private key (`ed-priv`, varint 0x1300).
const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];

/// `publicKeyMultibase` of an Ed25519 key: `z` + base58btc(0xed01 ‖ key).
pub fn multikey_public(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB_PREFIX.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

fn multibase_z(value: &str, prefix: [u8; 2], what: &str) -> Result<[u8; 32]> {
    let rest = value
        .strip_prefix('z')
        .ok_or_else(|| anyhow!("{what} {value:?} is not multibase base58btc (no leading 'z')"))?;
    let bytes = bs58::decode(rest)
        .into_vec()
        .map_err(|e| anyhow!("{what} {value:?} is not base58btc: {e}"))?;
    let key = bytes
        .strip_prefix(&prefix[..])
        .ok_or_else(|| anyhow!("{what} {value:?} is not an Ed25519 key (wrong multicodec)"))?;
    key.try_into()
        .map_err(|_| anyhow!("{what} {value:?} has {} key bytes, not 32", key.len()))
}

/// The Ed25519 key of a `publicKeyMultibase` value.
pub fn multikey_decode_public(value: &str) -> Result<VerifyingKey> {
    let bytes = multibase_z(value, ED25519_PUB_PREFIX, "publicKeyMultibase")?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|e| anyhow!("publicKeyMultibase {value:?} is not a valid Ed25519 point: {e}"))
}

/// The Ed25519 key of a `secretKeyMultibase` value (used for published test keys).
pub fn multikey_decode_secret(value: &str) -> Result<SigningKey> {
    Ok(SigningKey::from_bytes(&multibase_z(
        value,
        ED25519_PRIV_PREFIX,
        "secretKeyMultibase",
    )?))
}

fn to_o2_named(n: &oxrdf::NamedNode) -> oxrdf02::NamedNode {
    oxrdf02::NamedNode::new_unchecked(n.as_str())
}

fn to_o2_blank(b: &oxrdf::BlankNode) -> oxrdf02::BlankNode {
    oxrdf02::BlankNode::new_unchecked(b.as_str())
}

/// oxjsonld yields oxrdf 0.3 quads and rdf-canon takes oxrdf 0.2 ones: the same RDF terms.
fn to_o2_quad(q: oxrdf::Quad) -> oxrdf02::Quad {
    let subject: oxrdf02::Subject = match &q.subject {
        oxrdf::NamedOrBlankNode::NamedNode(n) => to_o2_named(n).into(),
        oxrdf::NamedOrBlankNode::BlankNode(b) => to_o2_blank(b).into(),
    };
    let object: oxrdf02::Term = match &q.object {
        oxrdf::Term::NamedNode(n) => to_o2_named(n).into(),
        oxrdf::Term::BlankNode(b) => to_o2_blank(b).into(),
        oxrdf::Term::Literal(l) => match l.language() {
            Some(lang) => {
                oxrdf02::Literal::new_language_tagged_literal_unchecked(l.value(), lang).into()
            }
            None => oxrdf02::Literal::new_typed_literal(
                l.value(),
                oxrdf02::NamedNode::new_unchecked(l.datatype().as_str()),
            )
            .into(),
        },
    };
    let graph: oxrdf02::GraphName = match &q.graph_name {
        oxrdf::GraphName::NamedNode(n) => to_o2_named(n).into(),
        oxrdf::GraphName::BlankNode(b) => to_o2_blank(b).into(),
        oxrdf::GraphName::DefaultGraph => oxrdf02::GraphName::DefaultGraph,
    };
    oxrdf02::Quad::new(subject, to_o2_named(&q.predicate), object, graph)
}

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document, resolving contexts from the
/// bundled set plus `extra` (url, document) pairs.
pub fn canonicalize_with(
    doc: &Value,
    extra: &'static [(&'static str, &'static str)],
) -> Result<String> {
    let bytes = serde_json::to_vec(doc)?;
    let mut dataset = oxrdf02::Dataset::new();
    let parser = oxjsonld::JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(move |url, _options| {
            let text = contexts::lookup(url)
                .or_else(|| extra.iter().find(|(u, _)| *u == url).map(|(_, d)| *d))
                .ok_or_else(|| {
                    format!("the JSON-LD context {url} is not bundled with certstat (no network is used)")
                })?;
            Ok(oxjsonld::JsonLdRemoteDocument {
                document: text.as_bytes().to_vec(),
                document_url: url.to_owned(),
            })
        });
    for quad in parser {
        let quad = quad.map_err(|e| anyhow!("JSON-LD to RDF failed: {e}"))?;
        dataset.insert(&to_o2_quad(quad));
    }
    rdf_canon::canonicalize(&dataset).map_err(|e| anyhow!("RDFC-1.0 failed: {e}"))
}

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document over the bundled contexts.
pub fn canonicalize(doc: &Value) -> Result<String> {
    canonicalize_with(doc, &[])
}

/// The pieces of an eddsa-rdfc-2022 proof computation, as the spec's examples show them.
#[derive(Debug, Clone)]
pub struct HashData {
    pub canonical_document: String,
    pub canonical_proof_config: String,
    /// SHA-256(canonical proof configuration) ‖ SHA-256(canonical document).
    pub combined: Vec<u8>,
}

/// The proof configuration of `proof` (without `proofValue`) with the document's `@context`.
fn proof_config(document: &Map<String, Value>, proof: &Map<String, Value>) -> Value {
    let mut config = proof.clone();
    config.remove("proofValue");
    if let Some(ctx) = document.get("@context") {
        config.insert("@context".into(), ctx.clone());
    }
    Value::Object(config)
}

/// Canonicalize and hash an unsecured document and proof options.
pub fn hash_data_with(
    document: &Value,
    proof: &Map<String, Value>,
    extra: &'static [(&'static str, &'static str)],
) -> Result<HashData> {
    let doc = document
        .as_object()
        .ok_or_else(|| anyhow!("a credential must be a JSON object"))?;
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    let canonical_document = canonicalize_with(&Value::Object(unsecured.clone()), extra)?;
    let canonical_proof_config = canonicalize_with(&proof_config(&unsecured, proof), extra)?;
    let mut combined = Sha256::digest(canonical_proof_config.as_bytes()).to_vec();
    combined.extend_from_slice(&Sha256::digest(canonical_document.as_bytes()));
    Ok(HashData {
        canonical_document,
        canonical_proof_config,
        combined,
    })
}

/// The proof options certstat signs with.
pub fn proof_options(verification_method: &str, created: &str) -> Map<String, Value> {
    let mut proof = Map::new();
    proof.insert("type".into(), PROOF_TYPE.into());
    proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
    proof.insert("created".into(), created.into());
    proof.insert("verificationMethod".into(), verification_method.into());
    proof.insert("proofPurpose".into(), PROOF_PURPOSE.into());
    proof
}

/// Add a proof to `document` (any existing `proof` is replaced).
pub fn sign_with(
    document: &Value,
    key: &SigningKey,
    mut proof: Map<String, Value>,
    extra: &'static [(&'static str, &'static str)],
) -> Result<Value> {
    let hash = hash_data_with(document, &proof, extra)?;
    let signature = key.sign(&hash.combined);
    proof.insert(
        "proofValue".into(),
        format!("z{}", bs58::encode(signature.to_bytes()).into_string()).into(),
    );
    let mut out = document
        .as_object()
        .cloned()
        .ok_or_else(|| anyhow!("a credential must be a JSON object"))?;
    out.remove("proof");
    out.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(out))
}

/// Sign a credential with certstat's proof options.
pub fn sign(
    document: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: &str,
) -> Result<Value> {
    sign_with(
        document,
        key,
        proof_options(verification_method, created),
        &[],
    )
}

/// Why a Data Integrity proof does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("the credential has no proof")]
    Missing,
    #[error("the proof is malformed: {0}")]
    Malformed(String),
    #[error("the verification method {0} is not one of the issuer's keys")]
    UnknownKey(String),
    #[error("the document cannot be canonicalized: {0}")]
    Canonicalization(String),
    #[error(
        "the signature does not match the credential (it was altered, or signed by another key)"
    )]
    BadSignature,
}

/// The single proof of a secured document.
pub fn proof_of(document: &Value) -> Result<&Map<String, Value>, ProofError> {
    match document.get("proof") {
        None => Err(ProofError::Missing),
        Some(Value::Object(p)) => Ok(p),
        // A set of one (the form the Open Badges 3.0 schema asks for).
        Some(Value::Array(set)) => match set.as_slice() {
            [Value::Object(p)] => Ok(p),
            _ => Err(ProofError::Malformed(
                "certstat verifies a single proof, this credential has a set of several".into(),
            )),
        },
        Some(_) => Err(ProofError::Malformed("`proof` is not an object".into())),
    }
}

/// Verify the eddsa-rdfc-2022 proof of `document`; `resolve` maps the proof's
/// `verificationMethod` to the key it names.
pub fn verify_with(
    document: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
    extra: &'static [(&'static str, &'static str)],
) -> Result<(), ProofError> {
    let proof = proof_of(document)?;
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    let expect = |name: &str, want: &str| -> Result<(), ProofError> {
        match field(name) {
            Some(v) if v == want => Ok(()),
            Some(v) => Err(ProofError::Malformed(format!(
                "{name} is {v:?}, not {want:?}"
            ))),
            None => Err(ProofError::Malformed(format!(
                "missing required proof property {name}"
            ))),
        }
    };
    expect("type", PROOF_TYPE)?;
    expect("cryptosuite", CRYPTOSUITE)?;
    expect("proofPurpose", PROOF_PURPOSE)?;
    let vm = field("verificationMethod").ok_or_else(|| {
        ProofError::Malformed("missing required proof property verificationMethod".into())
    })?;
    let value = field("proofValue").ok_or_else(|| {
        ProofError::Malformed("missing required proof property proofValue".into())
    })?;
    let sig_bytes = value
        .strip_prefix('z')
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .ok_or_else(|| ProofError::Malformed("proofValue is not multibase base58btc".into()))?;
    let sig_bytes: [u8; 64] = sig_bytes.try_into().map_err(|_| {
        ProofError::Malformed("proofValue is not a 64-byte Ed25519 signature".into())
    })?;
    let key = resolve(vm).ok_or_else(|| ProofError::UnknownKey(vm.to_owned()))?;
    let hash = hash_data_with(document, proof, extra)
        .map_err(|e| ProofError::Canonicalization(format!("{e:#}")))?;
    key.verify(
        &hash.combined,
        &ed25519_dalek::Signature::from_bytes(&sig_bytes),
    )
    .map_err(|_| ProofError::BadSignature)
}

/// Verify over the bundled contexts.
pub fn verify(
    document: &Value,
    resolve: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<(), ProofError> {
    verify_with(document, resolve, &[])
}

/// Parse a JSON credential file's text, with the line and column of a syntax error.
pub fn parse_json(text: &str, origin: &str) -> Result<Value> {
    serde_json::from_str(text).with_context(|| format!("{origin} is not JSON"))
}

/// Make sure a document is a JSON object with a `@context` (a JSON-LD credential).
pub fn require_jsonld(doc: &Value) -> Result<()> {
    match doc.get("@context") {
        Some(Value::Array(_)) | Some(Value::String(_)) => Ok(()),
        _ => bail!("the JSON has no @context: it is not a JSON-LD credential"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// W3C vc-di-eddsa, "Representation: eddsa-rdfc-2022" (fixtures and licence in
    /// tests/fixtures/vc-di-eddsa/).
    const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vc-di-eddsa/");
    const EXAMPLES_V2: &[(&str, &str)] = &[(
        "https://www.w3.org/ns/credentials/examples/v2",
        include_str!("../../tests/fixtures/vc-di-eddsa/credentials-examples-v2.jsonld"),
    )];

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{FIX}{name}")).unwrap()
    }

    fn vector_key() -> SigningKey {
        let pair: Value = serde_json::from_str(&fixture("keyPair.json")).unwrap();
        let key = multikey_decode_secret(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
        assert_eq!(
            multikey_public(&key.verifying_key()),
            pair["publicKeyMultibase"].as_str().unwrap()
        );
        key
    }

    #[test]
    fn w3c_eddsa_rdfc_2022_vector_reproduces_byte_for_byte() {
        let key = vector_key();
        let unsigned: Value = serde_json::from_str(&fixture("unsigned.json")).unwrap();
        let config: Value = serde_json::from_str(&fixture("proofConfig.json")).unwrap();
        let mut options = config.as_object().unwrap().clone();
        options.remove("@context");
        let hash = hash_data_with(&unsigned, &options, EXAMPLES_V2).unwrap();
        assert_eq!(hash.canonical_document, fixture("canonicalDocument.nq"));
        assert_eq!(
            hash.canonical_proof_config,
            fixture("canonicalProofConfig.nq")
        );
        assert_eq!(
            hex::encode(Sha256::digest(hash.canonical_document.as_bytes())),
            fixture("documentHash.txt").trim()
        );
        assert_eq!(
            hex::encode(Sha256::digest(hash.canonical_proof_config.as_bytes())),
            fixture("proofConfigHash.txt").trim()
        );
        assert_eq!(
            hex::encode(&hash.combined),
            fixture("combinedHash.txt").trim()
        );
        let signed = sign_with(&unsigned, &key, options, EXAMPLES_V2).unwrap();
        let expected: Value = serde_json::from_str(&fixture("signed.json")).unwrap();
        assert_eq!(
            signed["proof"]["proofValue"],
            expected["proof"]["proofValue"]
        );
        assert_eq!(signed, expected);
        let public = key.verifying_key();
        verify_with(&expected, |_| Some(public), EXAMPLES_V2).unwrap();
    }

    #[test]
    fn altered_vector_fails_and_other_key_fails() {
        let expected: Value = serde_json::from_str(&fixture("signed.json")).unwrap();
        let public = vector_key().verifying_key();
        for (path, value) in [
            ("/credentialSubject/alumniOf", json!("Another School")),
            ("/validFrom", json!("2023-01-02T00:00:00Z")),
            ("/proof/created", json!("2023-02-24T23:36:39Z")),
            ("/issuer", json!("https://vc.example/issuers/5679")),
        ] {
            let mut tampered = expected.clone();
            *tampered.pointer_mut(path).unwrap() = value;
            assert_eq!(
                verify_with(&tampered, |_| Some(public), EXAMPLES_V2),
                Err(ProofError::BadSignature),
                "{path}"
            );
        }
        let other = SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert_eq!(
            verify_with(&expected, |_| Some(other), EXAMPLES_V2),
            Err(ProofError::BadSignature)
        );
        let mut no_purpose = expected.clone();
        no_purpose["proof"]
            .as_object_mut()
            .unwrap()
            .remove("proofPurpose");
        assert!(matches!(
            verify_with(&no_purpose, |_| Some(public), EXAMPLES_V2),
            Err(ProofError::Malformed(_))
        ));
    }

    #[test]
    fn unbundled_context_is_a_clear_error() {
        let doc = json!({"@context": ["https://example.invalid/ctx"], "name": "x"});
        let err = canonicalize(&doc).unwrap_err().to_string();
        assert!(err.contains("https://example.invalid/ctx"), "{err}");
        assert!(err.contains("not bundled"), "{err}");
    }

    #[test]
    fn multikey_round_trips_and_rejects_other_codecs() {
        let key = SigningKey::from_bytes(&[3; 32]).verifying_key();
        let mb = multikey_public(&key);
        assert!(mb.starts_with("z6Mk"), "{mb}");
        assert_eq!(multikey_decode_public(&mb).unwrap(), key);
        assert!(multikey_decode_public("zQ3s").is_err());
        assert!(multikey_decode_public(&mb[1..]).is_err());
    }
}
