//! What `remind` and the send guardrail read from the event log.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, params};
use serde_json::Value;

/// One recipient's mail history, as `remind` needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Reminders handed over (accepted, or interrupted before their outcome was known): a
    /// reminder whose send failed does not count.
    pub reminders: u32,
    /// When the last message (first email or reminder) was handed over.
    pub last_mail: Option<String>,
    /// Whether a person opened a message (not a machine).
    pub opened: bool,
    /// The expiry notices handed over: (window such as `"30d"`, the expiry date they were for).
    pub expiry_notices: Vec<(String, String)>,
}

/// A reminder attempt: recipient id, when, and for an expiry notice (window, expiry date).
type Attempt = (i64, String, Option<(String, String)>);

/// The history of every recipient of a certificate who has any, by recipient id.
pub fn histories(conn: &Connection, certificate_id: i64) -> Result<HashMap<i64, History>> {
    let mut stmt = conn.prepare(
        "SELECT recipient_id, kind, at, detail FROM events WHERE certificate_id=?1 AND kind IN \
         ('sent', 'remind_attempt', 'reminded', 'send_failed', 'opened', 'clicked') ORDER BY at, id",
    )?;
    let mut rows = stmt.query([certificate_id])?;
    let mut out: HashMap<i64, History> = HashMap::new();
    // Reminder attempts by send id, until an outcome says whether they count.
    let mut attempts: HashMap<String, Attempt> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (id, kind, at): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let detail: Value = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Value::Null);
        let send_id = detail
            .get("send_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let h = out.entry(id).or_default();
        match kind.as_str() {
            "sent" => h.last_mail = Some(at),
            "remind_attempt" => {
                let text = |k: &str| detail.get(k).and_then(Value::as_str).map(str::to_string);
                let window = text("expiring").map(|w| (w, text("expires_at").unwrap_or_default()));
                attempts.insert(send_id, (id, at, window));
            }
            "send_failed" => {
                attempts.remove(&send_id);
            }
            "opened" | "clicked" => {
                h.opened |= !detail
                    .get("machine")
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            }
            _ => {}
        }
    }
    for (_, (id, at, window)) in attempts {
        let h = out.entry(id).or_default();
        match window {
            Some(w) => h.expiry_notices.push(w),
            None => h.reminders += 1,
        }
        if h.last_mail.as_ref().is_none_or(|l| *l < at) {
            h.last_mail = Some(at);
        }
    }
    Ok(out)
}

/// What came back for a run so far: the `bounced` and `complained` events of this
/// certificate's recipients recorded since `since`, as (recipient id, kind, detail).
pub fn feedback_since(
    conn: &Connection,
    certificate_id: i64,
    since: &str,
) -> Result<Vec<(i64, String, Value)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT recipient_id, kind, detail FROM events WHERE certificate_id=?1 \
         AND kind IN ('bounced', 'complained') AND at >= ?2",
    )?;
    let rows = stmt.query_map(params![certificate_id, since], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, detail) = row?;
        out.push((
            id,
            kind,
            serde_json::from_str(&detail).unwrap_or(Value::Null),
        ));
    }
    Ok(out)
}

/// The reminder figures of a certificate (`stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Reminders accepted by the mail system (`reminded` events, expiry notices apart).
    pub sent: u64,
    /// Recipients who were sent at least one reminder.
    pub recipients: u64,
    /// Of those, recipients who claimed after their first reminder.
    pub claimed_after: u64,
    /// Expiry notices accepted.
    pub expiry_notices: u64,
    /// Recipients who unsubscribed from reminders.
    pub unsubscribed: u64,
}

const REMINDER: &str = "json_extract(detail, '$.notice') IS NOT 'expiry'";

pub fn figures(conn: &Connection, certificate_id: i64) -> Result<Figures> {
    let sql = format!(
        "SELECT \
         (SELECT count(*) FROM events WHERE certificate_id=?1 AND kind='reminded' AND {REMINDER}), \
         (SELECT count(DISTINCT recipient_id) FROM events WHERE certificate_id=?1 \
            AND kind='reminded' AND {REMINDER}), \
         (SELECT count(*) FROM (SELECT recipient_id, min(at) AS first FROM events \
            WHERE certificate_id=?1 AND kind='reminded' AND {REMINDER} GROUP BY recipient_id) f \
            WHERE EXISTS (SELECT 1 FROM events c WHERE c.recipient_id=f.recipient_id \
              AND c.kind='claimed' AND c.at >= f.first)), \
         (SELECT count(*) FROM events WHERE certificate_id=?1 AND kind='reminded' \
            AND json_extract(detail, '$.notice') = 'expiry'), \
         (SELECT count(DISTINCT recipient_id) FROM events WHERE certificate_id=?1 \
            AND kind='unsubscribed')"
    );
    Ok(conn.query_row(&sql, [certificate_id], |r| {
        Ok(Figures {
            sent: r.get(0)?,
            recipients: r.get(1)?,
            claimed_after: r.get(2)?,
            expiry_notices: r.get(3)?,
            unsubscribed: r.get(4)?,
        })
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::events::{self, NewEvent};
    use crate::model::{EventKind, email_hash, email_key};
    use serde_json::json;

    /// What `--max`, `--after` and "once per window" read: an accepted reminder and one
    /// interrupted before its outcome count, a failed one does not; the last message is the
    /// latest first email or counted reminder; expiry notices are apart, with their window.
    #[test]
    fn histories_count_handed_over_reminders_and_notices() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'A', 'a', 't')",
            [],
        )
        .unwrap();
        let mut ins =
            crate::db::recipients::Inserter::new(&conn, 1, "2026-01-01T00:00:00Z").unwrap();
        let key = email_key("a@x.org");
        let id = ins
            .insert(&crate::db::recipients::NewRecipient {
                email: "a@x.org",
                key: &key,
                hash: email_hash(&key),
                name: "",
                fields: "{}",
            })
            .unwrap();
        drop(ins);
        let log = |kind: EventKind, at: &str, detail: Value| {
            events::record(
                &conn,
                &NewEvent {
                    recipient_id: id,
                    kind,
                    at,
                    source: "smtp",
                    detail,
                    dedup_key: None,
                },
            )
            .unwrap();
        };
        log(
            EventKind::SendAttempt,
            "2026-01-02T00:00:00Z",
            json!({"send_id": "s0"}),
        );
        log(
            EventKind::Sent,
            "2026-01-02T00:00:00Z",
            json!({"send_id": "s0"}),
        );
        // Accepted.
        log(
            EventKind::RemindAttempt,
            "2026-01-09T00:00:00Z",
            json!({"send_id": "r1"}),
        );
        log(
            EventKind::Reminded,
            "2026-01-09T00:00:00Z",
            json!({"send_id": "r1"}),
        );
        // Failed: does not count.
        log(
            EventKind::RemindAttempt,
            "2026-01-16T00:00:00Z",
            json!({"send_id": "r2"}),
        );
        log(
            EventKind::SendFailed,
            "2026-01-16T00:00:00Z",
            json!({"send_id": "r2", "error": "x"}),
        );
        // Interrupted: counts, and is the last message.
        log(
            EventKind::RemindAttempt,
            "2026-01-17T00:00:00Z",
            json!({"send_id": "r3"}),
        );
        log(
            EventKind::RemindAttempt,
            "2026-01-18T00:00:00Z",
            json!({"send_id": "e1", "notice": "expiry", "expiring": "30d", "expires_at": "2026-02-01T00:00:00Z"}),
        );
        log(
            EventKind::Opened,
            "2026-01-03T00:00:00Z",
            json!({"machine": true}),
        );
        let h = &histories(&conn, 1).unwrap()[&id];
        assert_eq!(h.reminders, 2);
        assert_eq!(h.last_mail.as_deref(), Some("2026-01-18T00:00:00Z"));
        assert!(!h.opened, "a machine's open is not a person's");
        assert_eq!(
            h.expiry_notices,
            [("30d".to_string(), "2026-02-01T00:00:00Z".to_string())]
        );
        log(
            EventKind::Clicked,
            "2026-01-04T00:00:00Z",
            json!({"machine": false}),
        );
        assert!(histories(&conn, 1).unwrap()[&id].opened);
    }
}
