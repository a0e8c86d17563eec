//! What a recipient's certificate document shows, shared by `serve` (pages, downloads) and
//! `render` (files): the public credential id, the verification URL and the issue date.
//!
//! **Credential id.** A recipient's public credential id is their `public_id`: 128 random bits
//! (hex), drawn when it is first needed, unrelated to the uid that link tokens are made from,
//! so one public page tells nothing of the others (recipients from before public ids keep
//! their uid, see migration 8). Public pages exist only for issued credentials
//! ([`db::credentials::is_issued`]).

use anyhow::Result;
use rusqlite::Connection;

use crate::config::Config;
use crate::db;
use crate::model::{Certificate, Recipient};
use crate::render::DocContext;

/// Where links point when neither `--base-url` nor `[serve] base_url` says.
pub const FALLBACK_BASE_URL: &str = "http://127.0.0.1:8080";

/// The public credential id of a recipient (see the module docs), drawn when they have none.
pub fn credential_id(conn: &Connection, r: &Recipient) -> Result<String> {
    db::credentials::public_id(conn, r.id)
}

/// Whether `text` looks like a credential id (32 lowercase hex digits), before any lookup.
pub fn is_credential_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The base URL from the config (no trailing slash), if any.
pub fn configured_base_url(config: &Config) -> Option<String> {
    config
        .serve
        .base_url
        .as_deref()
        .map(|u| u.trim().trim_end_matches('/'))
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
}

/// `<base_url>/v/<credential-id>`.
pub fn verification_url(base_url: &str, credential_id: &str) -> String {
    format!("{base_url}/v/{credential_id}")
}

/// The issuing organisation's name: the certificate's issuer, else `[issuer] name`.
pub fn issuer_name(config: &Config, cert: &Certificate) -> String {
    let own = cert.issuer.trim();
    if !own.is_empty() {
        return own.to_owned();
    }
    config
        .issuer
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

/// The issue instant of a recipient's certificate (see [`db::web::issue_instant`]).
pub fn issue_instant(conn: &Connection, r: &Recipient) -> Result<chrono::DateTime<chrono::Utc>> {
    let at = db::web::issue_instant(conn, r.id)?;
    Ok(crate::clock::parse(&at).unwrap_or_else(crate::clock::now))
}

/// "26 November 2026", in English.
pub fn human_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// The language of a certificate's documents and default email: its own, else the default.
pub fn language(cert: &Certificate) -> &'static crate::l10n::Language {
    crate::l10n::or_default(cert.language.as_deref())
}

/// Everything a design needs for one recipient.
pub fn doc_context(
    conn: &Connection,
    config: &Config,
    base_url: &str,
    cert: &Certificate,
    r: &Recipient,
) -> Result<DocContext> {
    let credential_id = credential_id(conn, r)?;
    let language = language(cert).code;
    Ok(DocContext {
        verification_url: verification_url(base_url, &credential_id),
        credential_id,
        recipient_name: display_name(r),
        certificate_name: cert.name.clone(),
        issuer: issuer_name(config, cert),
        description: cert.description.clone(),
        issue_date: crate::l10n::catalog().date(language, issue_instant(conn, r)?),
        language: language.to_owned(),
    })
}

/// The name on the certificate: the recipient's name, else their address.
pub fn display_name(r: &Recipient) -> String {
    let name = r.name.trim();
    if name.is_empty() {
        r.email.trim().to_owned()
    } else {
        name.to_owned()
    }
}

/// The certificate's design (its own, else the built-in one).
pub fn design(cert: &Certificate) -> &str {
    cert.design_svg
        .as_deref()
        .unwrap_or(crate::render::DEFAULT_DESIGN)
}

/// A file name for a document: `<certificate> - <name>.<ext>`, safe on every file system.
/// Within a byte budget: file systems limit a name to 255 bytes, not characters, and a name
/// in a 4-byte script (or with many accents) reaches that in 64 characters. The certificate
/// part takes at most 80 bytes, the name 100, leaving room for ` (address)` (60) and the
/// extension.
pub fn file_name(cert: &Certificate, r: &Recipient, ext: &str) -> String {
    let clean = |s: &str, budget: usize| -> String {
        let s: String = s
            .chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        truncate_bytes(s.trim().trim_matches('.'), budget)
            .trim_end()
            .to_string()
    };
    format!(
        "{} - {}.{ext}",
        clean(&cert.name, 80),
        clean(&display_name(r), 100)
    )
}

/// The longest start of `s` within `budget` bytes that ends on a character boundary.
pub fn truncate_bytes(s: &str, budget: usize) -> &str {
    if s.len() <= budget {
        return s;
    }
    let mut end = budget;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_ids_are_hex_uids() {
        assert!(is_credential_id(&hex::encode(
            crate::tokens::random_bytes::<16>()
        )));
        assert!(!is_credential_id("../../etc/passwd"));
        assert!(!is_credential_id("ABCDEF0123456789abcdef0123456789"));
    }

    #[test]
    fn dates_read_well() {
        let t = crate::clock::parse("2026-11-06T10:00:00Z").unwrap();
        assert_eq!(human_date(t), "6 November 2026");
    }
}
