//! What `send` needs from the store beyond events: durability and send-id lookups.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

/// Make every commit durable against power loss (fsync on commit), for the send log.
pub fn durable(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// The recipient a send id (`X-Certstat-Id`, VERP token payload) belongs to.
pub fn recipient_of_send(conn: &Connection, send_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT recipient_id FROM events WHERE json_extract(detail, '$.send_id') = ?1 \
             ORDER BY id LIMIT 1",
        )?
        .query_row([send_id], |r| r.get(0))
        .optional()?)
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
