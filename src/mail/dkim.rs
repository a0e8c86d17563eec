//! DKIM signing (RFC 6376; Ed25519 per RFC 8463) of the exact bytes that are sent.
//!
//! Signing is `mail-auth`'s: relaxed/relaxed canonicalization, so that the folding a relay or
//! this crate's own header writer chooses cannot break a signature. The signed header set is
//! the one receivers expect (From oversigned, so no second From can be added later).

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use mail_auth::common::crypto::{DkimKey, Ed25519Key, RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::{Canonicalization, DkimSigner, Done};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;

/// Headers signed when present; `From` is listed twice (oversigned).
const SIGNED_HEADERS: &[&str] = &[
    "From",
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Reply-To",
    "List-Unsubscribe",
];

/// Signed too in a message that has it (reminders): RFC 8058 section 4 asks for the one-click
/// unsubscribe headers to be signed. Listing it while absent makes common verifiers fail.
const ONE_CLICK: &str = "List-Unsubscribe-Post";

/// How to turn the key formats certstat does not read into one it does.
const KEY_HINT: &str = "use an RSA key in PEM (`openssl genrsa -out dkim.pem 2048`, PKCS#1 or \
     PKCS#8) or an Ed25519 key in PKCS#8 PEM (`openssl genpkey -algorithm ed25519 -out dkim.pem`); \
     an encrypted key must be decrypted first (`openssl pkey -in old.pem -out dkim.pem`)";

/// A loaded DKIM key with its domain and selector.
pub struct Dkim {
    signer: DkimSigner<DkimKey, Done>,
    /// For messages with [`ONE_CLICK`].
    one_click: DkimSigner<DkimKey, Done>,
}

impl std::fmt::Debug for Dkim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dkim").finish_non_exhaustive()
    }
}

impl Dkim {
    /// Read the key at `path` (PEM: RSA PKCS#1 or PKCS#8, Ed25519 PKCS#8; or a bare base64
    /// Ed25519 seed) for signing as `domain` with `selector`.
    pub fn load(path: &Path, domain: &str, selector: &str) -> Result<Dkim> {
        let text = std::fs::read(path)
            .with_context(|| format!("cannot read the DKIM key {}", path.display()))?;
        let key = |text: &[u8]| {
            read_key(text).map_err(|e| {
                anyhow!(
                    "the DKIM key {} cannot be used: {e}; {KEY_HINT}",
                    path.display()
                )
            })
        };
        Ok(Dkim::new([key(&text)?, key(&text)?], domain, selector))
    }

    fn new([key, again]: [DkimKey; 2], domain: &str, selector: &str) -> Dkim {
        let signer = |key, extra: Option<&'static str>| {
            DkimSigner::from_key(key)
                .domain(domain)
                .selector(selector)
                .headers(SIGNED_HEADERS.iter().copied().chain(extra))
                .header_canonicalization(Canonicalization::Relaxed)
                .body_canonicalization(Canonicalization::Relaxed)
        };
        Dkim {
            signer: signer(key, None),
            one_click: signer(again, Some(ONE_CLICK)),
        }
    }

    /// `message` with a `DKIM-Signature` header in front.
    pub fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>> {
        let head_end = message
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(message.len());
        let needle = format!("\r\n{ONE_CLICK}:").to_ascii_lowercase();
        let has_one_click = message[..head_end]
            .to_ascii_lowercase()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes());
        let signer = if has_one_click {
            &self.one_click
        } else {
            &self.signer
        };
        let signature = signer
            .sign(&message)
            .map_err(|e| anyhow!("DKIM signing failed: {e}"))?;
        let mut out = signature.to_header().into_bytes();
        out.extend_from_slice(&message);
        Ok(out)
    }
}

fn read_key(text: &[u8]) -> Result<DkimKey> {
    let as_text = String::from_utf8_lossy(text);
    if as_text.contains("ENCRYPTED") {
        bail!("it is encrypted");
    }
    if !as_text.contains("-----BEGIN") {
        return ed25519_seed(as_text.trim()).map(DkimKey::Ed25519);
    }
    let der = PrivateKeyDer::from_pem_slice(text)
        .map_err(|e| anyhow!("no private key in PEM form ({e})"))?;
    if let PrivateKeyDer::Pkcs8(pkcs8) = &der
        && let Ok(key) = Ed25519Key::from_pkcs8_der(pkcs8.secret_pkcs8_der())
    {
        return Ok(DkimKey::Ed25519(key));
    }
    if matches!(der, PrivateKeyDer::Sec1(_)) {
        bail!("it is an EC (SEC1) key, which DKIM does not use");
    }
    let key = RsaKey::<Sha256>::from_key_der(der)
        .map_err(|e| anyhow!("it is neither an RSA nor an Ed25519 private key ({e})"))?;
    Ok(DkimKey::Rsa(key))
}

/// A bare base64 32-byte Ed25519 seed (the form DNS-record generators print).
fn ed25519_seed(b64: &str) -> Result<Ed25519Key> {
    use base64::Engine;
    let seed = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| anyhow!("it is not PEM and not a base64 Ed25519 seed"))?;
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| anyhow!("a base64 Ed25519 seed must be 32 bytes"))?;
    let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
    Ed25519Key::from_seed_and_public_key(&seed, public.as_bytes())
        .map_err(|e| anyhow!("the Ed25519 seed is not usable ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &[u8] =
        b"From: A <a@example.org>\r\nTo: b@example.org\r\nSubject: Hi\r\n\r\nHello.\r\n";

    #[test]
    fn a_bare_seed_signs_with_ed25519_and_every_listed_header() {
        let seed = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [7u8; 32]);
        let key = || read_key(seed.as_bytes()).unwrap();
        let dkim = Dkim::new([key(), key()], "example.org", "s1");
        let message = String::from_utf8(dkim.sign(MESSAGE.to_vec()).unwrap()).unwrap();
        let header: String = message
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .replace("\r\n\t", "")
            .replace("\r\n ", "");
        assert!(header.starts_with("DKIM-Signature:"), "{header}");
        assert!(header.contains("a=ed25519-sha256"), "{header}");
        assert!(header.contains("c=relaxed/relaxed"), "{header}");
        assert!(
            header.contains("d=example.org") && header.contains("s=s1"),
            "{header}"
        );
        let signed = header
            .split("h=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        let signed: Vec<String> = signed.split(':').map(|h| h.to_ascii_lowercase()).collect();
        for name in SIGNED_HEADERS {
            let want = SIGNED_HEADERS.iter().filter(|h| *h == name).count();
            let got = signed
                .iter()
                .filter(|h| **h == name.to_ascii_lowercase())
                .count();
            assert_eq!(got, want, "{name} in {signed:?}");
        }
        assert!(message.ends_with("\r\n\r\nHello.\r\n"));
    }

    #[test]
    fn unusable_keys_say_how_to_make_one() {
        for (text, says) in [
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
                "encrypted",
            ),
            ("not a key at all", "not PEM"),
            ("AAAA", "32 bytes"),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "private key",
            ),
        ] {
            let err = match read_key(text.as_bytes()) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{text} was accepted"),
            };
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
