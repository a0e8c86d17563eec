//! Recipient link tokens.
//!
//! Each recipient has a random 128-bit `uid`. The token in their links is
//! `HMAC-SHA256(secret, uid)` (base64url, 256 bits), where the secret is a file beside the
//! database (mode 0600). The database keeps only `SHA-256(token)`, so a copy of the database
//! alone cannot forge or replay anyone's link.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Fill a buffer from the operating system's random number generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    buf
}

/// A new recipient uid (128 random bits, hex).
pub fn new_uid() -> String {
    hex::encode(random_bytes::<16>())
}

impl Secret {
    /// Read the secret file, creating it (mode 0600) when `create` and it is missing.
    pub fn load(path: &Path, create: bool) -> Result<Secret> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
                    anyhow::anyhow!(
                        "{} is not a certstat secret (expected 32 bytes)",
                        path.display()
                    )
                })?;
                Ok(Secret(bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let secret = random_bytes::<32>();
                let mut file = create_private(path)
                    .with_context(|| format!("cannot create the link secret {}", path.display()))?;
                file.write_all(&secret)?;
                file.sync_all()?;
                Ok(Secret(secret))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "the link secret {} is missing: recipient links cannot be made or checked without it \
                 (restore it from the backup of the database's folder)",
                path.display()
            ),
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the link secret {}", path.display()))
            }
        }
    }

    /// The HMAC of `data` under this secret, for any purpose-separated use.
    pub fn mac(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// The link token of the recipient with this uid.
    pub fn token(&self, uid: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac("recipient-token", uid.as_bytes()))
    }
}

/// What the database stores for a token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Create a file only its owner can read and write.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_per_uid_and_secret() {
        let a = Secret([1; 32]);
        let b = Secret([2; 32]);
        assert_eq!(a.token("u1"), a.token("u1"));
        assert_ne!(a.token("u1"), a.token("u2"));
        assert_ne!(a.token("u1"), b.token("u1"));
        assert!(a.token("u1").len() >= 22, "at least 128 bits");
        assert_eq!(token_hash("x").len(), 64);
    }
}
