//! Signed session cookies, CSRF tokens and the claim comparison. Every MAC is
//! `Secret::mac` under its own purpose string, and every comparison is constant-time.

use axum::http::{HeaderMap, header};

use crate::model::email_key;
use crate::tokens::{self, Secret};

/// The session cookie set after a claim.
pub const SESSION_COOKIE: &str = "certstat_session";
/// The CSRF nonce cookie of the claim form.
pub const CSRF_COOKIE: &str = "certstat_csrf";
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 180;

/// Compare two byte strings in time that depends only on their lengths.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    subtle::ConstantTimeEq::ct_eq(a, b).into()
}

/// Whether the address typed on the claim page is the one the certificate was sent to:
/// both normalised (trimmed, lower-cased), then their MACs compared in constant time, so
/// neither the length nor the content of the real address leaks through timing.
pub fn email_matches(secret: &Secret, typed: &str, real: &str) -> bool {
    let a = secret.mac("claim-email", email_key(typed).as_bytes());
    let b = secret.mac("claim-email", email_key(real).as_bytes());
    ct_eq(&a, &b)
}

/// A cookie's value from the request, if present.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value scoped to one recipient's pages.
pub fn set_cookie(
    name: &str,
    value: &str,
    token: &str,
    max_age: i64,
    same_site: &str,
    secure: bool,
) -> String {
    set_cookie_at(
        name,
        value,
        &format!("/r/{token}"),
        max_age,
        same_site,
        secure,
    )
}

/// A `Set-Cookie` value scoped to `path`.
pub fn set_cookie_at(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    same_site: &str,
    secure: bool,
) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite={same_site}{}",
        if secure { "; Secure" } else { "" }
    )
}

fn session_mac(secret: &Secret, token: &str, issued: i64) -> String {
    let data = format!("{}|{issued}", tokens::token_hash(token));
    hex::encode(secret.mac("session-cookie", data.as_bytes()))
}

/// A new session cookie value for this token: `<issued unix time>.<mac>`.
pub fn new_session(secret: &Secret, token: &str, now: i64) -> String {
    format!("{now}.{}", session_mac(secret, token, now))
}

/// Whether the request carries a valid, unexpired session for this token.
pub fn has_session(secret: &Secret, headers: &HeaderMap, token: &str, now: i64) -> bool {
    let Some(value) = cookie(headers, SESSION_COOKIE) else {
        return false;
    };
    let Some((issued, mac)) = value.split_once('.') else {
        return false;
    };
    let Ok(issued) = issued.parse::<i64>() else {
        return false;
    };
    if issued > now + 300 || now - issued > SESSION_DAYS * 86_400 {
        return false;
    }
    ct_eq(
        session_mac(secret, token, issued).as_bytes(),
        mac.as_bytes(),
    )
}

/// A fresh random CSRF nonce (for the cookie).
pub fn new_nonce() -> String {
    hex::encode(tokens::random_bytes::<16>())
}

/// Whether a cookie value looks like a nonce we made.
pub fn is_nonce(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The form's CSRF field for this token and cookie nonce.
pub fn csrf_field(secret: &Secret, token: &str, nonce: &str) -> String {
    let data = format!("{}|{nonce}", tokens::token_hash(token));
    hex::encode(secret.mac("claim-csrf", data.as_bytes()))
}

/// The cookie holding the "lost your link?" form's CSRF nonce (scoped to `/lost`).
pub const LOST_CSRF_COOKIE: &str = "certstat_lost_csrf";

/// The "lost your link?" form's CSRF field for this cookie nonce.
pub fn lost_csrf_field(secret: &Secret, nonce: &str) -> String {
    hex::encode(secret.mac("lost-csrf", nonce.as_bytes()))
}

/// Whether the "lost your link?" form's CSRF field matches its nonce cookie.
pub fn lost_csrf_ok(secret: &Secret, headers: &HeaderMap, field: &str) -> bool {
    match cookie(headers, LOST_CSRF_COOKIE) {
        Some(nonce) if is_nonce(nonce) => ct_eq(
            lost_csrf_field(secret, nonce).as_bytes(),
            field.trim().as_bytes(),
        ),
        _ => false,
    }
}

/// Whether the form's CSRF field matches the request's nonce cookie (double submit, signed).
pub fn csrf_ok(secret: &Secret, headers: &HeaderMap, token: &str, field: &str) -> bool {
    match cookie(headers, CSRF_COOKIE) {
        Some(nonce) if is_nonce(nonce) => ct_eq(
            csrf_field(secret, token, nonce).as_bytes(),
            field.trim().as_bytes(),
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn secret() -> Secret {
        let dir = tempfile::tempdir().unwrap();
        Secret::load(&dir.path().join("s"), true).unwrap()
    }

    fn with_cookie(c: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(c).unwrap());
        h
    }

    #[test]
    fn emails_compare_normalised() {
        let s = secret();
        assert!(email_matches(&s, "  Ana@Example.org ", "ana@example.org"));
        assert!(!email_matches(&s, "ana@example.com", "ana@example.org"));
        assert!(!email_matches(&s, "", "ana@example.org"));
    }

    #[test]
    fn sessions_are_bound_to_their_token_and_expire() {
        let s = secret();
        let v = new_session(&s, "tok", 1000);
        let h = with_cookie(&format!("a=b; {SESSION_COOKIE}={v}"));
        assert!(has_session(&s, &h, "tok", 1000));
        assert!(!has_session(&s, &h, "other", 1000));
        assert!(!has_session(
            &s,
            &h,
            "tok",
            1000 + SESSION_DAYS * 86_400 + 1
        ));
        let forged = with_cookie(&format!("{SESSION_COOKIE}=1000.{}", "0".repeat(64)));
        assert!(!has_session(&s, &forged, "tok", 1000));
    }

    #[test]
    fn csrf_needs_cookie_and_field() {
        let s = secret();
        let nonce = new_nonce();
        let field = csrf_field(&s, "tok", &nonce);
        let h = with_cookie(&format!("{CSRF_COOKIE}={nonce}"));
        assert!(csrf_ok(&s, &h, "tok", &field));
        assert!(!csrf_ok(&s, &h, "tok", "x"));
        assert!(!csrf_ok(&s, &HeaderMap::new(), "tok", &field));
        assert!(!csrf_ok(&s, &h, "other", &field));
    }
}
