//! What `refresh` has read (`inbound_messages`), and the lookups it needs to tie a bounce to a
//! recipient and to promote quiet sends to Delivered.

use std::collections::HashSet;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// One message `refresh` has dealt with (or a webhook event `events import` has).
#[derive(Debug, Clone)]
pub struct Inbound<'a> {
    /// SHA-256 of the raw message, hex.
    pub hash: &'a str,
    /// Where it was read: `maildir:…`, `mbox:…#n`, `imap://…;UID=n`.
    pub source: &'a str,
    pub received_at: &'a str,
    /// `applied`, `unmatched`, `ignored`, `auto_reply`, …
    pub outcome: &'a str,
    pub recipient_id: Option<i64>,
    /// JSON: what the message said (kind, addresses, reasons).
    pub summary: &'a str,
}

/// Whether a message with this hash was processed before.
pub fn seen(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM inbound_messages WHERE hash=?1")?
        .query_row([hash], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Remember a processed message. False when its hash was already there (nothing changed).
pub fn remember(conn: &Connection, m: &Inbound<'_>) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO inbound_messages (hash, source, received_at, outcome, recipient_id, summary) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            m.hash,
            m.source,
            m.received_at,
            m.outcome,
            m.recipient_id,
            m.summary
        ])?;
    Ok(n > 0)
}

/// The sources of remembered messages that start with `prefix` (IMAP: the UIDs already read).
pub fn sources_with_prefix(conn: &Connection, prefix: &str) -> Result<HashSet<String>> {
    let mut stmt = conn
        .prepare("SELECT source FROM inbound_messages WHERE substr(source, 1, length(?1)) = ?1")?;
    let rows = stmt.query_map([prefix], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Remembered messages that matched nobody, newest first: (received_at, source, summary).
pub fn unmatched(conn: &Connection, limit: usize) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT received_at, source, summary FROM inbound_messages WHERE outcome='unmatched' \
         ORDER BY received_at DESC, rowid DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A recipient as matching sees them.
#[derive(Debug, Clone)]
pub struct Target {
    pub recipient_id: i64,
    pub certificate_id: i64,
    pub email: String,
    /// When mail was last handed over for them (`sent`, else `send_attempt`).
    pub sent_at: Option<String>,
    /// The message a key (VERP token, `X-Certstat-Id`, Message-ID) named, when matched by one:
    /// a first email, a reminder, an expiry notice.
    pub send: Option<super::sends::SendRef>,
}

/// The recipient with this id, with their last send time.
pub fn target(conn: &Connection, recipient_id: i64) -> Result<Option<Target>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.id, r.certificate_id, r.email, \
             (SELECT max(at) FROM events e WHERE e.recipient_id=r.id AND e.kind IN ('sent','send_attempt')) \
             FROM recipients r WHERE r.id=?1",
        )?
        .query_row([recipient_id], |r| {
            Ok(Target {
                recipient_id: r.get(0)?,
                certificate_id: r.get(1)?,
                email: r.get(2)?,
                sent_at: r.get(3)?,
                send: None,
            })
        })
        .optional()?)
}

const SENT_TO_ADDRESS: &str = "SELECT id FROM recipients WHERE email_hash=?2 AND email_key=?1";

/// Recipients with this address (an `email_key`) who were sent mail, most recently sent first.
pub fn sent_to_address(conn: &Connection, email_key: &str) -> Result<Vec<Target>> {
    // The (email_hash, certificate_id) index finds the address on every certificate; the
    // grouping and ordering are done here rather than in SQL, so the statement is not
    // re-prepared for each bound value.
    let ids: Vec<i64> = conn
        .prepare_cached(SENT_TO_ADDRESS)?
        .query_map(
            rusqlite::params![email_key, crate::model::email_hash(email_key)],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(t) = target(conn, id)?
            && t.sent_at.is_some()
        {
            found.push(t);
        }
    }
    found.sort_by(|a, b| {
        b.sent_at
            .cmp(&a.sent_at)
            .then(b.recipient_id.cmp(&a.recipient_id))
    });
    Ok(found)
}

/// A Pending recipient whose last send is old enough to count as delivered.
#[derive(Debug, Clone)]
pub struct Quiet {
    pub recipient_id: i64,
    pub email: String,
    pub certificate: String,
    pub sent_event_id: i64,
    pub sent_at: String,
}

/// Pending (confirmed) recipients whose last `sent` is at or before `cutoff` and who have had no
/// bounce or delay notice since, optionally of one certificate.
pub fn quiet_since(
    conn: &Connection,
    cutoff: &str,
    certificate_id: Option<i64>,
) -> Result<Vec<Quiet>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.email, c.name, s.id, s.at FROM recipients r \
         JOIN certificates c ON c.id = r.certificate_id \
         JOIN events s ON s.id = (SELECT max(id) FROM events WHERE recipient_id=r.id AND kind='sent') \
         WHERE r.status='pending' AND r.unconfirmed=0 AND s.at <= ?1 \
           AND (?2 IS NULL OR r.certificate_id = ?2) \
           AND NOT EXISTS (SELECT 1 FROM events b WHERE b.recipient_id=r.id \
                           AND b.kind IN ('bounced','delayed') AND (b.at > s.at OR b.id > s.id)) \
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map(params![cutoff, certificate_id], |r| {
        Ok(Quiet {
            recipient_id: r.get(0)?,
            email: r.get(1)?,
            certificate: r.get(2)?,
            sent_event_id: r.get(3)?,
            sent_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Status and certificate name of a recipient (for messages).
pub fn status_of(conn: &Connection, recipient_id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.status, c.name FROM recipients r JOIN certificates c ON c.id=r.certificate_id \
             WHERE r.id=?1",
        )?
        .query_row([recipient_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The recipient a provider's own message id belongs to, when an earlier event recorded it
/// (`detail.provider_message_id`).
pub fn recipient_of_provider_id(conn: &Connection, provider_id: &str) -> Result<Option<i64>> {
    // The first event (lowest id) with that id, picked here: an ORDER BY would make the bundled
    // SQLite re-prepare the statement for every value (see `sends::recipient_of_send`).
    let mut stmt = conn.prepare_cached(BY_PROVIDER_ID)?;
    let rows = stmt.query_map([provider_id], |r| {
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

const BY_PROVIDER_ID: &str = "SELECT id, recipient_id FROM events \
     WHERE json_extract(detail, '$.provider_message_id') = ?1 \
     AND kind IN ('sent','delivered','bounced','delayed','opened','clicked')";

/// Every remembered message hash.
pub fn all_hashes(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT hash FROM inbound_messages")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_message_id_look_up_uses_its_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {BY_PROVIDER_ID}"))
            .unwrap()
            .query_map(["pm-1"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("USING INDEX events_provider_message_id")),
            "{plan:?}"
        );
    }

    #[test]
    fn address_look_up_uses_the_address_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {SENT_TO_ADDRESS}"))
            .unwrap()
            .query_map(["a@example.org", "1"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("USING INDEX recipients_email (email_hash=?)")),
            "{plan:?}"
        );
    }
}
