//! The JSON-LD contexts certstat's credentials use, bundled so that issuing and verifying
//! never touch the network. Sources and licences: `src/credentials/contexts/README.md`.

pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
pub const DID_V1: &str = "https://www.w3.org/ns/did/v1";

/// (URL, document) of every bundled context.
pub const BUNDLED: &[(&str, &str)] = &[
    (VC_V2, include_str!("contexts/credentials-v2.jsonld")),
    (OB_V3, include_str!("contexts/ob-context-3.0.3.json")),
    (
        DATA_INTEGRITY_V2,
        include_str!("contexts/data-integrity-v2.jsonld"),
    ),
    (MULTIKEY_V1, include_str!("contexts/multikey-v1.jsonld")),
    (DID_V1, include_str!("contexts/did-v1.jsonld")),
];

/// The bundled document of a context URL.
pub fn lookup(url: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(u, _)| *u == url).map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_bundled_context_is_json_with_a_context() {
        for (url, doc) in super::BUNDLED {
            let v: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert!(v.get("@context").is_some(), "{url}");
        }
    }
}
