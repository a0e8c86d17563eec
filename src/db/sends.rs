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
const BY_SEND_ID: &str = "SELECT id, recipient_id, kind, at, json_extract(detail, '$.notice') \
     FROM events WHERE json_extract(detail, '$.send_id') = ?1";

/// The message a send id names: whose it was, what it was and when it was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRef {
    pub send_id: String,
    pub recipient_id: i64,
    /// The kind of its first event: `send_attempt` (a first email), `remind_attempt` (a
    /// reminder or expiry notice), `link_requested` (links mailed again from `/lost`).
    pub kind: String,
    /// When it was handed over (its first event).
    pub at: String,
    /// The time of its latest event (its outcome, `sent` or `reminded`, once recorded): what a
    /// report about the message is never dated before, so that it folds after it.
    pub last_at: String,
    /// `reminder` or `expiry` for a follow-up.
    pub notice: Option<String>,
}

/// The message with this send id (`X-Certstat-Id`, VERP token payload), from the first event
/// that carries the id.
pub fn send_of(conn: &Connection, send_id: &str) -> Result<Option<SendRef>> {
    // No ORDER BY/LIMIT: with the bundled SQLite's STAT4, a statement whose plan may depend on
    // the bound value is re-prepared at every new binding (a fifth of a refresh's time once).
    // The first event (lowest id) carrying the send id is picked here instead.
    let mut stmt = conn.prepare_cached(BY_SEND_ID)?;
    let rows = stmt.query_map([send_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SendRef {
                send_id: send_id.to_string(),
                recipient_id: r.get(1)?,
                kind: r.get(2)?,
                at: r.get(3)?,
                last_at: r.get(3)?,
                notice: r.get(4)?,
            },
        ))
    })?;
    let mut first: Option<(i64, SendRef)> = None;
    let mut last_at: Option<String> = None;
    for row in rows {
        let (id, send) = row?;
        if last_at.as_ref().is_none_or(|l| send.at > *l) {
            last_at = Some(send.at.clone());
        }
        if first.as_ref().is_none_or(|(f, _)| id < *f) {
            first = Some((id, send));
        }
    }
    Ok(first.map(|(_, mut s)| {
        s.last_at = last_at.unwrap_or_else(|| s.at.clone());
        s
    }))
}

/// The recipient a send id belongs to.
pub fn recipient_of_send(conn: &Connection, send_id: &str) -> Result<Option<i64>> {
    Ok(send_of(conn, send_id)?.map(|s| s.recipient_id))
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

    /// A message's send names when it was handed over (its first event) and its latest event
    /// (the outcome), which a report about it must not be dated before: the outcome can fall
    /// in the next second after the hand-over.
    #[test]
    fn a_send_knows_its_hand_over_and_its_latest_event() {
        use crate::db::events::{NewEvent, record};
        use crate::model::EventKind;
        let (_dir, conn, ids) = crate::db::testing::with_recipients(&["a@example.org"]);
        let r = ids[0];
        for (kind, at) in [
            (EventKind::SendAttempt, "2026-01-01T10:00:00Z"),
            (EventKind::Sent, "2026-01-01T10:00:01Z"),
        ] {
            let e = NewEvent {
                recipient_id: r,
                kind,
                at,
                source: "smtp",
                detail: serde_json::json!({"send_id": "s1"}),
                dedup_key: None,
            };
            record(&conn, &e).unwrap();
        }
        let send = send_of(&conn, "s1").unwrap().unwrap();
        assert_eq!(send.kind, "send_attempt");
        assert_eq!(send.at, "2026-01-01T10:00:00Z");
        assert_eq!(send.last_at, "2026-01-01T10:00:01Z");
        assert_eq!(send_of(&conn, "nope").unwrap(), None);
    }

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
