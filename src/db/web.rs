//! Queries and writes for `certstat serve`: recipients by public credential id, the claim
//! lockout, issue dates, and the batched event writer.

use std::collections::BTreeSet;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::events::{self, NewEvent};
use crate::model::EventKind;

/// The id of the recipient whose uid (their public credential id) is `uid`.
pub fn recipient_id_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM recipients WHERE uid=?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// The name of the certificate with this id.
pub fn certificate_name(conn: &Connection, certificate_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM certificates WHERE id=?1")?
        .query_row([certificate_id], |r| r.get(0))
        .optional()?)
}

/// The id of the recipient whose link token hashes to `token_hash` (cheaper than the full row).
pub fn recipient_id_by_token_hash(conn: &Connection, token_hash: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM recipients WHERE token_hash=?1")?
        .query_row([token_hash], |r| r.get(0))
        .optional()?)
}

/// Times (RFC 3339, newest first) of the recipient's `claim_failed` events at or after `since`.
pub fn claim_failures_since(
    conn: &Connection,
    recipient_id: i64,
    since: &str,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at FROM events WHERE recipient_id=?1 AND kind='claim_failed' AND at>=?2 \
         ORDER BY at DESC, id DESC",
    )?;
    let rows = stmt.query_map(params![recipient_id, since], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the recipient has a `claimed` event.
pub fn has_claimed(conn: &Connection, recipient_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM events WHERE recipient_id=?1 AND kind='claimed' LIMIT 1")?
        .query_row([recipient_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The instant a recipient's certificate counts as issued: their first `sent` event, else their
/// claim, else when they were added. Stable once the first message went out.
pub fn issue_instant(conn: &Connection, recipient_id: i64) -> Result<String> {
    let first = |kind: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached(
                "SELECT min(at) FROM events WHERE recipient_id=?1 AND kind=?2 GROUP BY recipient_id",
            )?
            .query_row(params![recipient_id, kind], |r| r.get(0))
            .optional()?)
    };
    if let Some(at) = first(EventKind::Sent.as_str())? {
        return Ok(at);
    }
    if let Some(at) = first(EventKind::Claimed.as_str())? {
        return Ok(at);
    }
    Ok(conn
        .prepare_cached("SELECT created_at FROM recipients WHERE id=?1")?
        .query_row([recipient_id], |r| r.get(0))?)
}

/// Append many events in the caller's transaction, refreshing each recipient's cached status
/// once at the end (the same result as [`events::record`] per event, for a fraction of the
/// work when one recipient gets many opens at once).
pub fn record_batch(conn: &Connection, batch: &[NewEvent<'_>]) -> Result<()> {
    let mut touched = BTreeSet::new();
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO events (certificate_id, recipient_id, kind, at, source, detail, dedup_key) \
         SELECT certificate_id, id, ?2, ?3, ?4, ?5, ?6 FROM recipients WHERE id=?1",
    )?;
    for e in batch {
        let n = stmt.execute(params![
            e.recipient_id,
            e.kind.as_str(),
            e.at,
            e.source,
            serde_json::to_string(&e.detail)?,
            e.dedup_key
        ])?;
        if n > 0 {
            touched.insert(e.recipient_id);
        }
    }
    for id in touched {
        events::refresh_status(conn, id)?;
    }
    Ok(())
}

/// How many events of `kind` the certificate's recipients have (for benchmarks and checks).
pub fn count_kind(conn: &Connection, certificate_id: i64, kind: EventKind) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM events WHERE certificate_id=?1 AND kind=?2",
        params![certificate_id, kind.as_str()],
        |r| r.get(0),
    )?)
}
