//! What `send` needs from the store beyond events: durability and send-id lookups.

use anyhow::Result;
use rusqlite::Connection;

/// Make every commit durable against power loss (fsync on commit), for the send log.
pub fn durable(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// The events carrying a send id. `json_extract(…) = ?1` implies the expression is not NULL,
/// which lets SQLite use the partial index `events_send_id` (only events with a send id).
const BY_SEND_ID: &str =
    "SELECT id, recipient_id FROM events WHERE json_extract(detail, '$.send_id') = ?1";

/// The recipient a send id (`X-Certstat-Id`, VERP token payload) belongs to.
pub fn recipient_of_send(conn: &Connection, send_id: &str) -> Result<Option<i64>> {
    // No ORDER BY/LIMIT: with the bundled SQLite's STAT4, a statement whose plan may depend on
    // the bound value is re-prepared at every new binding (a fifth of a refresh's time once).
    // The first event (lowest id) carrying the send id is picked here instead.
    let mut stmt = conn.prepare_cached(BY_SEND_ID)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The look-up by send id (every bounce `refresh` matches) uses the partial index
    /// `events_send_id`, not a scan of the whole log.
    #[test]
    fn look_up_by_send_id_uses_the_send_id_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {BY_SEND_ID}"))
            .unwrap()
            .query_map(["s1"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("USING INDEX events_send_id (<expr>=?)")),
            "{plan:?}"
        );
    }
}
