//! Signing keys (public halves only: the private keys are files beside the database) and the
//! Open Badges credentials issued with them.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// One issuer signing key as the database knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The key id: its RFC 7638 JWK thumbprint.
    pub kid: String,
    /// The public key as a JWK (JSON text).
    pub public_jwk: String,
    pub created_at: String,
    /// Set when a newer key replaced it; it still verifies what it signed.
    pub retired_at: Option<String>,
}

fn key_from_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        kid: r.get(0)?,
        public_jwk: r.get(1)?,
        created_at: r.get(2)?,
        retired_at: r.get(3)?,
    })
}

const KEY_COLUMNS: &str = "kid, public_jwk, created_at, retired_at";

/// The key new credentials are signed with: the newest key not retired.
pub fn active_key(conn: &Connection) -> Result<Option<KeyRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {KEY_COLUMNS} FROM signing_keys WHERE retired_at IS NULL \
                 ORDER BY created_at DESC, rowid DESC LIMIT 1"
            ),
            [],
            key_from_row,
        )
        .optional()?)
}

/// Every key, the active one first, then retired ones newest first.
pub fn keys(conn: &Connection) -> Result<Vec<KeyRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {KEY_COLUMNS} FROM signing_keys \
         ORDER BY retired_at IS NOT NULL, created_at DESC, rowid DESC"
    ))?;
    let rows = stmt.query_map([], key_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn key(conn: &Connection, kid: &str) -> Result<Option<KeyRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {KEY_COLUMNS} FROM signing_keys WHERE kid=?1"),
            [kid],
            key_from_row,
        )
        .optional()?)
}

pub fn insert_key(conn: &Connection, k: &KeyRow) -> Result<()> {
    conn.execute(
        "INSERT INTO signing_keys (kid, public_jwk, created_at, retired_at) VALUES (?1,?2,?3,?4)",
        params![k.kid, k.public_jwk, k.created_at, k.retired_at],
    )?;
    Ok(())
}

/// Retire every key but `keep`.
/// Retire one key (no-op when it is retired already).
pub fn retire(conn: &Connection, kid: &str, at: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE signing_keys SET retired_at=?2 WHERE kid=?1 AND retired_at IS NULL",
        params![kid, at],
    )?)
}

pub fn retire_others(conn: &Connection, keep: &str, at: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE signing_keys SET retired_at=?2 WHERE kid<>?1 AND retired_at IS NULL",
        params![keep, at],
    )?)
}

/// One issued credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRow {
    pub id: i64,
    pub recipient_id: i64,
    /// The public credential id (the recipient's uid).
    pub credential_id: String,
    /// The compact JWS.
    pub jwt: String,
    pub issued_at: String,
    pub kid: String,
}

fn credential_from_row(r: &Row<'_>) -> rusqlite::Result<CredentialRow> {
    Ok(CredentialRow {
        id: r.get(0)?,
        recipient_id: r.get(1)?,
        credential_id: r.get(2)?,
        jwt: r.get(3)?,
        issued_at: r.get(4)?,
        kid: r.get(5)?,
    })
}

const CREDENTIAL_COLUMNS: &str = "id, recipient_id, credential_id, jwt, issued_at, kid";

pub fn insert_credential(
    conn: &Connection,
    recipient_id: i64,
    credential_id: &str,
    jwt: &str,
    issued_at: &str,
    kid: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO credentials (recipient_id, credential_id, jwt, issued_at, kid) \
         VALUES (?1,?2,?3,?4,?5)",
        params![recipient_id, credential_id, jwt, issued_at, kid],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The newest credential of a recipient.
pub fn latest_of_recipient(conn: &Connection, recipient_id: i64) -> Result<Option<CredentialRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE recipient_id=?1 \
             ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([recipient_id], credential_from_row)
        .optional()?)
}

/// Every credential issued under a public credential id, newest first (a re-issue after a
/// correction keeps the id).
pub fn by_credential_id(conn: &Connection, credential_id: &str) -> Result<Vec<CredentialRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE credential_id=?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([credential_id], credential_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When and why a recipient's certificate was revoked, if it is: the latest `revoked` event
/// while the cached flag is set.
pub fn revocation(conn: &Connection, recipient_id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT e.at, coalesce(json_extract(e.detail, '$.reason'), '') FROM events e \
             JOIN recipients r ON r.id = e.recipient_id \
             WHERE e.recipient_id=?1 AND e.kind='revoked' AND r.revoked \
             ORDER BY e.at DESC, e.id DESC LIMIT 1",
        )?
        .query_row([recipient_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// How many of a certificate's recipients are revoked.
pub fn revoked_count(conn: &Connection, certificate_id: i64) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM recipients WHERE certificate_id=?1 AND revoked",
        [certificate_id],
        |r| r.get(0),
    )?)
}

/// A recipient's public credential id, given one (128 random bits, hex) when they have none.
/// Recipients from before public ids keep their uid (see migration 8).
pub fn public_id(conn: &Connection, recipient_id: i64) -> Result<String> {
    let read = |conn: &Connection| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached("SELECT public_id FROM recipients WHERE id=?1")?
            .query_row([recipient_id], |r| r.get(0))
            .optional()?
            .flatten())
    };
    if let Some(id) = read(conn)? {
        return Ok(id);
    }
    loop {
        let id = hex::encode(crate::tokens::random_bytes::<16>());
        // `public_id IS NULL`: a concurrent writer that set one first wins, and both read it.
        match conn
            .prepare_cached("UPDATE recipients SET public_id=?2 WHERE id=?1 AND public_id IS NULL")?
            .execute(params![recipient_id, id])
        {
            Ok(_) => break,
            // A collision of 128 random bits: draw again.
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
            Err(e) => return Err(e.into()),
        }
    }
    read(conn)?.ok_or_else(|| anyhow::anyhow!("recipient {recipient_id} does not exist"))
}

/// The recipient whose public credential id is `public_id`.
pub fn recipient_by_public_id(conn: &Connection, public_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM recipients WHERE public_id=?1")?
        .query_row([public_id], |r| r.get(0))
        .optional()?)
}

/// Whether a recipient's credential is issued: one was signed for them (on their claim, or by
/// `certstat render`), or they claimed. Only then do its public pages exist.
pub fn is_issued(conn: &Connection, recipient_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM credentials WHERE recipient_id=?1) \
                 OR EXISTS (SELECT 1 FROM events WHERE recipient_id=?1 AND kind='claimed')",
        )?
        .query_row([recipient_id], |r| r.get(0))?)
}

/// Whether any credential of certificate `certificate_id` was issued (its Achievement is
/// public from then on).
pub fn any_issued_for_certificate(conn: &Connection, certificate_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM credentials c JOIN recipients r \
         ON r.id = c.recipient_id WHERE r.certificate_id=?1)",
        [certificate_id],
        |r| r.get(0),
    )?)
}

/// A recipient's index in the revocation status list, when one was allocated.
pub fn status_index(conn: &Connection, recipient_id: i64) -> Result<Option<u64>> {
    Ok(conn
        .query_row(
            "SELECT status_index FROM credential_status WHERE recipient_id=?1",
            [recipient_id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(|i| i as u64))
}

/// How many status list indices are allocated, and the highest.
pub fn status_indices_used(conn: &Connection) -> Result<(u64, Option<u64>)> {
    let (used, max): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), max(status_index) FROM credential_status",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((used as u64, max.map(|m| m as u64)))
}

/// Give a recipient status list index `index`, unless it (or the recipient) has one already:
/// whether it was given.
pub fn claim_status_index(conn: &Connection, recipient_id: i64, index: u64) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO credential_status (recipient_id, status_index) VALUES (?1, ?2)",
        params![recipient_id, index as i64],
    )?;
    Ok(n == 1)
}

/// The status list indices of every revoked recipient's credential, in order.
pub fn revoked_status_indices(conn: &Connection) -> Result<Vec<u64>> {
    let mut stmt = conn.prepare(
        "SELECT s.status_index FROM credential_status s JOIN recipients r ON r.id = s.recipient_id \
         WHERE r.revoked ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|i| i as u64)
        .collect())
}
