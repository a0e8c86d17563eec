//! What `send` needs from the store beyond events: durability and send-id lookups.

use anyhow::Result;
use rusqlite::Connection;

/// Make every commit durable against power loss (fsync on commit), for the send log.
pub fn durable(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// The recipient a send id (`X-Certstat-Id`, VERP token payload) belongs to.
pub fn recipient_of_send(conn: &Connection, send_id: &str) -> Result<Option<i64>> {
    // No ORDER BY/LIMIT: with the bundled SQLite's STAT4, a statement whose plan may depend on
    // the bound value is re-prepared at every new binding (a fifth of a refresh's time once).
    // The first event (lowest id) carrying the send id is picked here instead.
    let mut stmt = conn.prepare_cached(
        "SELECT id, recipient_id FROM events WHERE json_extract(detail, '$.send_id') = ?1",
    )?;
    let rows = stmt.query_map([send_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut first: Option<(i64, i64)> = None;
    for row in rows {
        let (id, rid) = row?;
        if first.is_none_or(|(f, _)| id < f) {
            first = Some((id, rid));
        }
    }
    Ok(first.map(|(_, rid)| rid))
}

/// The recipient a Message-ID (without brackets) was sent to.
pub fn recipient_of_message_id(conn: &Connection, message_id: &str) -> Result<Option<i64>> {
    let send_id = message_id.split('@').next().unwrap_or_default();
    recipient_of_send(conn, send_id)
}

/// How many `send_attempt` events a recipient has (tests and diagnostics).
pub fn attempts(conn: &Connection, recipient_id: i64) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM events WHERE recipient_id=?1 AND kind='send_attempt'",
        [recipient_id],
        |r| r.get(0),
    )?)
}
