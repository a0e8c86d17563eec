//! The suppression list: addresses `send` and `remind` never mail.
//!
//! An address is suppressed when, for any certificate, a recipient with that address hard-bounced,
//! complained or unsubscribed from reminders (all read from the event log), or when the
//! organiser added it (`suppress add`). `suppress remove` records when the organiser lifted it:
//! what the log holds from before that instant no longer counts, an `add` is undone, and a new
//! bounce or complaint suppresses the address again.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use crate::model::{self, BounceClass, email_key};

/// Why an address is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    HardBounce,
    Complaint,
    Unsubscribed,
    Manual,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::HardBounce => "hard_bounce",
            Cause::Complaint => "complaint",
            Cause::Unsubscribed => "unsubscribed",
            Cause::Manual => "manual",
        }
    }
}

/// One suppressed address.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub email: String,
    pub cause: Cause,
    /// In words: the bounce reason, the certificate, or what the organiser wrote.
    pub reason: String,
    /// When it was suppressed (the latest cause).
    pub at: String,
}

/// What the organiser decided about one address.
struct Decision {
    action: String,
    reason: String,
    email: String,
    at: String,
}

fn decisions(conn: &Connection) -> Result<HashMap<String, Decision>> {
    let mut stmt = conn.prepare("SELECT email_key, email, action, reason, at FROM suppressions")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Decision {
                email: r.get(1)?,
                action: r.get(2)?,
                reason: r.get(3)?,
                at: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The cause and words of one logged event, when it suppresses its address.
fn logged_cause(kind: &str, detail: &Value, cert: &str) -> Option<(Cause, String)> {
    match kind {
        "bounced" if model::bounce_class(detail) == BounceClass::Hard => Some((
            Cause::HardBounce,
            format!("hard bounce: {} ('{cert}')", model::bounce_detail(detail)),
        )),
        "complained" => Some((Cause::Complaint, format!("spam complaint ('{cert}')"))),
        "unsubscribed" => Some((
            Cause::Unsubscribed,
            format!("unsubscribed from reminders ('{cert}')"),
        )),
        _ => None,
    }
}

/// The events that suppress an address. The condition is the one of the index
/// `events_kind_at` (migration 16), spelled the same, so that the index serves it.
const LOGGED: &str = "SELECT r.email, r.email_key, e.kind, e.at, e.detail, c.name FROM events e \
     JOIN recipients r ON r.id = e.recipient_id \
     JOIN certificates c ON c.id = e.certificate_id \
     WHERE (e.kind IN ('bounced', 'complained') OR e.kind = 'unsubscribed')";

/// Every suppressed address, by address key (see [`model::email_key`]).
pub fn all(conn: &Connection) -> Result<HashMap<String, Entry>> {
    let decided = decisions(conn)?;
    let mut out: HashMap<String, Entry> = HashMap::new();
    let mut stmt = conn.prepare(LOGGED)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (email, key, kind, at): (String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let detail: Value = serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or(Value::Null);
        let Some((cause, reason)) = logged_cause(&kind, &detail, &r.get::<_, String>(5)?) else {
            continue;
        };
        if decided
            .get(&key)
            .is_some_and(|d| d.action == "remove" && d.at >= at)
        {
            continue;
        }
        if out.get(&key).is_none_or(|e| e.at < at) {
            out.insert(
                key,
                Entry {
                    email,
                    cause,
                    reason,
                    at,
                },
            );
        }
    }
    for (key, d) in decided {
        if d.action == "add" && out.get(&key).is_none_or(|e| e.at < d.at) {
            out.insert(
                key,
                Entry {
                    email: d.email,
                    cause: Cause::Manual,
                    reason: d.reason,
                    at: d.at,
                },
            );
        }
    }
    Ok(out)
}

/// Every suppressed address, sorted by address.
pub fn list(conn: &Connection) -> Result<Vec<Entry>> {
    let mut v: Vec<Entry> = all(conn)?.into_values().collect();
    v.sort_by_key(|a| email_key(&a.email));
    Ok(v)
}

/// Suppress an address by hand. Returns false when it was suppressed by hand already.
pub fn add(conn: &Connection, email: &str, reason: &str, at: &str) -> Result<bool> {
    let key = email_key(email);
    let before: Option<String> = conn
        .query_row(
            "SELECT action FROM suppressions WHERE email_key=?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute(
        "INSERT INTO suppressions (email_key, email, action, reason, at) VALUES (?1,?2,'add',?3,?4) \
         ON CONFLICT(email_key) DO UPDATE SET email=?2, action='add', reason=?3, at=?4",
        params![key, email.trim(), reason, at],
    )?;
    Ok(before.as_deref() != Some("add"))
}

/// Lift the suppression of an address: what was logged until `at` no longer counts. Returns
/// whether it was suppressed.
pub fn remove(conn: &Connection, email: &str, at: &str) -> Result<bool> {
    let key = email_key(email);
    let was = all(conn)?.contains_key(&key);
    conn.execute(
        "INSERT INTO suppressions (email_key, email, action, reason, at) VALUES (?1,?2,'remove','',?3) \
         ON CONFLICT(email_key) DO UPDATE SET email=?2, action='remove', reason='', at=?3",
        params![key, email.trim(), at],
    )?;
    Ok(was)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::events::{self, NewEvent};
    use crate::model::EventKind;
    use serde_json::json;

    #[test]
    fn the_logged_causes_are_read_through_their_index() {
        let conn = store();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {LOGGED}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan.iter().any(|p| p.contains("events_kind_at")),
            "{plan:?}"
        );
    }

    fn store() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'A', 'a', 't');",
        )
        .unwrap();
        let mut ins =
            crate::db::recipients::Inserter::new(&conn, 1, "2026-01-01T00:00:00Z").unwrap();
        for email in ["hard@x.org", "soft@x.org", "spam@x.org", "ok@x.org"] {
            let key = email_key(email);
            ins.insert(&crate::db::recipients::NewRecipient {
                email,
                key: &key,
                hash: model::email_hash(&key),
                name: "",
                fields: "{}",
            })
            .unwrap();
        }
        drop(ins);
        conn
    }

    fn log(conn: &Connection, email: &str, kind: EventKind, at: &str, detail: Value) {
        let r = crate::db::recipients::get(conn, 1, email).unwrap();
        events::record(
            conn,
            &NewEvent {
                recipient_id: r.id,
                kind,
                at,
                source: "dsn",
                detail,
                dedup_key: None,
            },
        )
        .unwrap();
    }

    /// Hard bounces and complaints suppress, soft bounces and sender-side refusals do not; a
    /// removal lifts what came before it only; an `add` works for an address no certificate
    /// has.
    #[test]
    fn the_list_follows_the_log_and_the_organisers_decisions() {
        let conn = store();
        let t = "2026-01-02T00:00:00Z";
        log(
            &conn,
            "hard@x.org",
            EventKind::Bounced,
            t,
            json!({"status": "5.1.1", "reason": "user unknown", "hard": true}),
        );
        log(
            &conn,
            "soft@x.org",
            EventKind::Bounced,
            t,
            json!({"status": "4.2.2", "reason": "mailbox full", "hard": false}),
        );
        log(
            &conn,
            "ok@x.org",
            EventKind::Bounced,
            t,
            json!({"status": "5.7.1", "reason": "policy", "sender_side": true}),
        );
        log(&conn, "spam@x.org", EventKind::Complained, t, json!({}));
        let keys = |conn: &Connection| {
            let mut v: Vec<String> = list(conn).unwrap().into_iter().map(|e| e.email).collect();
            v.sort();
            v
        };
        assert_eq!(keys(&conn), ["hard@x.org", "spam@x.org"]);
        assert!(remove(&conn, "HARD@x.org", "2026-01-03T00:00:00Z").unwrap());
        assert_eq!(keys(&conn), ["spam@x.org"]);
        log(
            &conn,
            "hard@x.org",
            EventKind::Bounced,
            "2026-01-04T00:00:00Z",
            json!({"status": "5.1.1", "hard": true}),
        );
        assert_eq!(keys(&conn), ["hard@x.org", "spam@x.org"]);
        assert!(
            add(
                &conn,
                "nobody@y.org",
                "asked by phone",
                "2026-01-05T00:00:00Z"
            )
            .unwrap()
        );
        assert!(!add(&conn, "Nobody@y.org", "again", "2026-01-05T00:00:00Z").unwrap());
        let all = all(&conn).unwrap();
        assert_eq!(all["nobody@y.org"].cause, Cause::Manual);
        assert_eq!(all["nobody@y.org"].reason, "again");
        assert_eq!(all["spam@x.org"].cause, Cause::Complaint);
        assert!(!remove(&conn, "soft@x.org", "2026-01-06T00:00:00Z").unwrap());
    }
}
