//! Recipient link tokens.
//!
//! Each recipient has a 128-bit `uid` (UUIDv7: time-ordered, so the database's uid index grows
//! at its end during a large import). The token in their links is base64url of
//! `uid ‖ HMAC-SHA256(secret, uid)[..16]`: 256 bits, of which 128 are a MAC under the secret
//! file beside the database (mode 0600). The database stores no token and nothing derived from
//! one, so a copy of the database alone cannot forge or replay anyone's link; checking a token
//! is a constant-time MAC comparison and a lookup of the uid.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The store's secret, held as the HMAC state after its key: a send computes several MACs a
/// message, each then starting from this state instead of hashing the key again.
#[derive(Clone)]
pub struct Secret(Hmac<Sha256>);

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

/// A new recipient uid: 128 bits, 32 lower-case hex digits — 48 bits of milliseconds since
/// 1970 then 80 bits that start at a random value per process and count up, so uids are
/// time-ordered (a large import appends to the uid index), unique within a process and, with
/// overwhelming probability, across processes. They need not be secret: link tokens carry a
/// MAC under the secret file, and the uid is the public credential id.
pub fn new_uid() -> String {
    UidSource::new().next()
}

static UID_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn uid_seed() -> u128 {
    static SEED: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| u128::from_le_bytes(random_bytes::<16>()))
}

/// Uids as [`new_uid`] makes them, all stamped with the time the source was made (one import
/// is one moment): no clock reading per uid.
pub struct UidSource {
    ms: u128,
    seed: u128,
}

impl UidSource {
    pub fn new() -> UidSource {
        UidSource {
            ms: crate::clock::now().timestamp_millis().max(0) as u128 & ((1u128 << 48) - 1),
            seed: uid_seed(),
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> String {
        let n = UID_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as u128;
        let tail = self.seed.wrapping_add(n) & ((1u128 << 80) - 1);
        let value = (self.ms << 80) | tail;
        let digits: [u8; 32] =
            std::array::from_fn(|i| b"0123456789abcdef"[((value >> (124 - 4 * i)) & 0xf) as usize]);
        String::from_utf8(digits.to_vec()).expect("hex digits are ASCII")
    }
}

impl Default for UidSource {
    fn default() -> Self {
        Self::new()
    }
}

/// A new send id: 96 bits, 24 lower-case hex digits — 48 bits of milliseconds since 1970, then
/// 48 bits that start at a random value per process and count up. Send ids made later sort
/// later, so a run's `send_attempt` and `sent` events add to the end of the send-id index
/// instead of splitting its pages everywhere (random ids made every commit write a page per
/// event). They need not be secret: the VERP address carries a MAC of the id under the secret.
pub fn new_send_id() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let ms = crate::clock::now().timestamp_millis().max(0) as u128 & ((1 << 48) - 1);
    let tail = (uid_seed() as u64).wrapping_add(n) & ((1 << 48) - 1);
    let value = (ms << 48) | u128::from(tail);
    let digits: [u8; 24] =
        std::array::from_fn(|i| b"0123456789abcdef"[((value >> (92 - 4 * i)) & 0xf) as usize]);
    String::from_utf8(digits.to_vec()).expect("hex digits are ASCII")
}

const TOKEN_PURPOSE: &str = "recipient-token";

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
                Ok(Secret::from_bytes(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let secret = random_bytes::<32>();
                let mut file = create_private(path)
                    .with_context(|| format!("cannot create the link secret {}", path.display()))?;
                file.write_all(&secret)?;
                file.sync_all()?;
                Ok(Secret::from_bytes(&secret))
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
    fn from_bytes(bytes: &[u8; 32]) -> Secret {
        Secret(Hmac::<Sha256>::new_from_slice(bytes).expect("HMAC takes any key length"))
    }

    pub fn mac(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// The link token of the recipient with this uid.
    pub fn token(&self, uid: &str) -> String {
        let uid_bytes = uid_bytes(uid);
        let mut raw = Vec::with_capacity(32);
        raw.extend_from_slice(&uid_bytes);
        raw.extend_from_slice(&self.mac(TOKEN_PURPOSE, &uid_bytes)[..16]);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The uid a link token names, when its MAC is right (compared in constant time).
    pub fn check(&self, token: &str) -> Option<String> {
        self.check_raw(token).map(hex::encode)
    }

    /// [`Secret::check`], giving the uid's 16 bytes (its hex digits are the stored uid).
    pub fn check_raw(&self, token: &str) -> Option<[u8; 16]> {
        // 43 characters of base64url are 32 bytes; room for more, so that a longer token is
        // decoded (and refused) rather than an error.
        let mut raw = [0u8; 48];
        let len = URL_SAFE_NO_PAD.decode_slice(token, &mut raw).ok()?;
        if len != 32 {
            return None;
        }
        let (uid, tag) = raw[..32].split_at(16);
        let mut mac = self.0.clone();
        mac.update(TOKEN_PURPOSE.as_bytes());
        mac.update(&[0]);
        mac.update(uid);
        mac.verify_truncated_left(tag).ok()?;
        uid.try_into().ok()
    }
}

/// The 16 bytes of a uid (its hex digits; any other text is hashed down to 16 bytes).
fn uid_bytes(uid: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    match hex::decode(uid) {
        Ok(bytes) if bytes.len() == 16 => out.copy_from_slice(&bytes),
        _ => out.copy_from_slice(&Sha256::digest(uid.as_bytes())[..16]),
    }
    out
}

/// A one-way digest of a token, for binding cookies to it: hex SHA-256.
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
    fn send_ids_are_hex_unique_and_sort_in_the_order_made() {
        let ids: Vec<String> = (0..2000).map(|_| new_send_id()).collect();
        assert!(
            ids.iter()
                .all(|id| id.len() == 24 && id.bytes().all(|b| b"0123456789abcdef".contains(&b)))
        );
        // Made later, sorted later (the counter runs within one millisecond, the clock across).
        // Other tests of this process make ids too, so the sequence may skip but never go back,
        // unless the counter's 48 bits wrap from their random start (1 in 2^37 for 2,000).
        let wrapped = ids.windows(2).filter(|w| w[0] >= w[1]).count();
        assert!(wrapped <= 1, "{wrapped} ids out of order");
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn a_uid_source_stamps_one_moment_and_counts_up() {
        let mut source = UidSource::new();
        let (a, b) = (source.next(), source.next());
        for uid in [&a, &b] {
            assert_eq!(uid.len(), 32);
            assert!(
                uid.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
                "{uid}"
            );
        }
        assert_ne!(a, b);
        assert_eq!(a[..12], b[..12], "48 bits of the same millisecond");
        let ms = u64::from_str_radix(&a[..12], 16).unwrap() as i64;
        assert!((crate::clock::now().timestamp_millis() - ms).abs() < 60_000);
    }

    #[test]
    fn tokens_are_stable_per_uid_and_secret() {
        let a = Secret::from_bytes(&[1; 32]);
        let b = Secret::from_bytes(&[2; 32]);
        let (u1, u2) = (new_uid(), new_uid());
        assert_eq!(u1.len(), 32);
        assert!(u1 < u2, "uids are time-ordered");
        assert!(
            u1.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(a.token(&u1), a.token(&u1));
        assert_ne!(a.token(&u1), a.token(&u2));
        assert_ne!(a.token(&u1), b.token(&u1));
        assert_eq!(a.token(&u1).len(), 43, "256 bits, base64url");
        assert_eq!(token_hash("x").len(), 64);
    }

    #[test]
    fn a_token_checks_only_under_its_secret_and_unaltered() {
        let a = Secret::from_bytes(&[1; 32]);
        let b = Secret::from_bytes(&[2; 32]);
        let uid = new_uid();
        let token = a.token(&uid);
        assert_eq!(a.check(&token).as_deref(), Some(uid.as_str()));
        assert_eq!(b.check(&token), None, "another secret");
        // Flip one bit in each half: the uid and the MAC.
        for at in [3, 30] {
            let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
            raw[at] ^= 1;
            assert_eq!(
                a.check(&URL_SAFE_NO_PAD.encode(raw)),
                None,
                "byte {at} altered"
            );
        }
        assert_eq!(a.check("not a token"), None);
        assert_eq!(a.check(&token[..42]), None);
        // Longer: the token with more bytes after it, or far too long.
        let mut longer = URL_SAFE_NO_PAD.decode(&token).unwrap();
        longer.push(0);
        assert_eq!(a.check(&URL_SAFE_NO_PAD.encode(&longer)), None);
        assert_eq!(a.check(&URL_SAFE_NO_PAD.encode([0u8; 100])), None);
        assert_eq!(a.check_raw(&token).map(hex::encode), Some(uid));
    }
}
