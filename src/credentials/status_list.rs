//! W3C Bitstring Status List: each credential has one index in the issuer's revocation list;
//! the list is a bitstring of at least 131,072 bits (16 KiB), GZIP-compressed and encoded
//! multibase base64url (`u…`), carried by a `BitstringStatusListCredential` that is itself
//! secured with a Data Integrity proof. Bit `i` (most significant bit of byte 0 is index 0)
//! set means the credential at index `i` is revoked.

use std::io::{Read as _, Write as _};

use anyhow::{Result, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::contexts;

/// The smallest list the spec allows, in bits (16 KiB), so that one index says little.
pub const MIN_BITS: usize = 131_072;
pub const PURPOSE: &str = "revocation";

/// `<base_url>/status/revocation.json`: the revocation list credential's URL and `id`.
pub fn list_url(base_url: &str) -> String {
    format!("{}/status/revocation.json", base_url.trim_end_matches('/'))
}

/// `<base_url>/status/revocation`: the list's URL in credentials issued before
/// [`list_url`] (the same bits, answered there too).
pub fn legacy_list_url(base_url: &str) -> String {
    format!("{}/status/revocation", base_url.trim_end_matches('/'))
}

/// The `credentialStatus` of the credential at `index`.
pub fn entry(base_url: &str, index: u64) -> Value {
    let list = list_url(base_url);
    json!({
        "id": format!("{list}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": index.to_string(),
        "statusListCredential": list,
    })
}

/// The bitstring with the given indices set, at least [`MIN_BITS`] long (whole bytes).
pub fn bitstring(revoked: &[u64]) -> Vec<u8> {
    let highest = revoked.iter().copied().max().map_or(0, |m| m as usize + 1);
    let bits = highest.max(MIN_BITS).div_ceil(8) * 8;
    let mut bytes = vec![0u8; bits / 8];
    for &i in revoked {
        let i = i as usize;
        bytes[i / 8] |= 0x80 >> (i % 8);
    }
    bytes
}

/// `encodedList`: multibase base64url (no padding) of the GZIP-compressed bitstring.
pub fn encode(bits: &[u8]) -> String {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bits).expect("writing to memory");
    let compressed = gz.finish().expect("writing to memory");
    format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// The bitstring of an `encodedList`.
pub fn decode(encoded: &str) -> Result<Vec<u8>> {
    let body = encoded
        .strip_prefix('u')
        .ok_or_else(|| anyhow!("encodedList is not multibase base64url (no leading 'u')"))?;
    let compressed = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|e| anyhow!("encodedList is not base64url: {e}"))?;
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .take(64 * 1024 * 1024)
        .read_to_end(&mut bits)
        .map_err(|e| anyhow!("encodedList is not GZIP data: {e}"))?;
    Ok(bits)
}

/// Whether bit `index` is set.
pub fn is_set(bits: &[u8], index: u64) -> Result<bool> {
    let i = usize::try_from(index).map_err(|_| anyhow!("status index {index} is too large"))?;
    match bits.get(i / 8) {
        Some(b) => Ok(b & (0x80 >> (i % 8)) != 0),
        None => bail!(
            "status index {index} is outside the list ({} bits)",
            bits.len() * 8
        ),
    }
}

/// The unsigned `BitstringStatusListCredential` (sign it with [`super::di::sign`]).
pub fn status_list_credential(
    id: &str,
    issuer: &Value,
    revoked: &[u64],
    valid_from: &str,
) -> Value {
    json!({
        "@context": [contexts::VC_V2],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.get("id").cloned().unwrap_or_else(|| issuer.clone()),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(&bitstring(revoked)),
        },
    })
}

/// The index a `credentialStatus` entry names, checked against the list it must point at.
pub fn entry_index(status: &Value) -> Result<(String, u64)> {
    if status["type"] != "BitstringStatusListEntry" {
        bail!("credentialStatus is not a BitstringStatusListEntry");
    }
    if status["statusPurpose"] != PURPOSE {
        bail!("credentialStatus.statusPurpose is not \"revocation\"");
    }
    let list = status["statusListCredential"]
        .as_str()
        .ok_or_else(|| anyhow!("credentialStatus has no statusListCredential"))?;
    let index = status["statusListIndex"]
        .as_str()
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| anyhow!("credentialStatus.statusListIndex is not a decimal integer"))?;
    Ok((list.to_owned(), index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_bits_round_trip_and_others_stay_clear() {
        let revoked = [0u64, 7, 8, 1000, 131_071];
        let bits = decode(&encode(&bitstring(&revoked))).unwrap();
        assert_eq!(bits.len() * 8, MIN_BITS);
        for i in [0u64, 1, 6, 7, 8, 9, 999, 1000, 1001, 131_070, 131_071] {
            assert_eq!(is_set(&bits, i).unwrap(), revoked.contains(&i), "{i}");
        }
        assert!(is_set(&bits, 131_072).is_err());
    }

    #[test]
    fn list_grows_past_the_minimum_and_an_empty_list_is_16_kib() {
        assert_eq!(bitstring(&[]).len(), 16 * 1024);
        let bits = bitstring(&[200_000]);
        assert!(bits.len() * 8 > 200_000);
        assert!(is_set(&bits, 200_000).unwrap());
        assert!(!is_set(&bits, 199_999).unwrap());
    }

    #[test]
    fn bad_encoded_lists_are_refused_with_reasons() {
        assert!(
            decode("zabc")
                .unwrap_err()
                .to_string()
                .contains("multibase")
        );
        assert!(
            decode("u!!!")
                .unwrap_err()
                .to_string()
                .contains("base64url")
        );
        assert!(decode("uAAAA").unwrap_err().to_string().contains("GZIP"));
    }

    #[test]
    fn the_list_credential_is_signed_and_verifies() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        let issuer = json!({"id": "https://c.example/issuer", "type": ["Profile"]});
        let list = status_list_credential(
            &list_url("https://c.example"),
            &issuer,
            &[5],
            "2026-01-01T00:00:00Z",
        );
        let vm = "https://c.example/issuer#k";
        let signed = super::super::di::sign(&list, &key, vm, "2026-01-01T00:00:00Z").unwrap();
        let public = key.verifying_key();
        super::super::di::verify(&signed, |_| Some(public)).unwrap();
        let mut flipped = signed.clone();
        flipped["credentialSubject"]["encodedList"] = json!(encode(&bitstring(&[])));
        assert!(super::super::di::verify(&flipped, |_| Some(public)).is_err());
        let e = entry("https://c.example", 5);
        let (url, index) = entry_index(&e).unwrap();
        assert_eq!(url, signed["id"].as_str().unwrap());
        let bits = decode(signed["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
        assert!(is_set(&bits, index).unwrap());
    }
}
