//! What `remind` and the send guardrail read from the event log.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, params};
use serde_json::Value;

use crate::model::{EventDetail, EventKind};

/// One recipient's mail history, as `remind` needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Reminders handed over (accepted, or interrupted before their outcome was known): a
    /// reminder whose send failed does not count, nor does the re-send of an interrupted one.
    pub reminders: u32,
    /// When the last message (first email or reminder) was handed over.
    pub last_mail: Option<String>,
    /// Whether a person opened a message (not a machine).
    pub opened: bool,
    /// The expiry notices handed over: (window such as `"30d"`, the expiry date they were for).
    pub expiry_notices: Vec<(String, String)>,
    /// What was handed over but has no outcome yet (an interrupted run; `remind
    /// --resend-unconfirmed` sends it again): `None` a reminder, `Some((window, expiry))` an
    /// expiry notice.
    pub unconfirmed: Vec<Notice>,
}

/// Which follow-up a message is: a reminder (`None`) or the expiry notice of a window and
/// expiry date.
pub type Notice = Option<(String, String)>;

/// The attempts at one follow-up of one recipient: the first, and the re-sends of it made
/// while none had an outcome.
struct Chain {
    recipient_id: i64,
    notice: Notice,
    /// (send id, when) of each attempt.
    attempts: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unknown,
    Confirmed,
    Failed,
}

/// The follow-up attempts of a certificate, read in time order.
#[derive(Default)]
struct Attempts {
    chains: Vec<Chain>,
    outcome: HashMap<String, (usize, Outcome)>,
}

impl Attempts {
    /// A chain's state: whether anything of it counts (not all failed), and whether it is
    /// still unconfirmed (nothing confirmed, something without an outcome).
    fn state(&self, c: &Chain) -> (bool, bool) {
        let of = |id: &String| self.outcome.get(id).map_or(Outcome::Unknown, |o| o.1);
        let counts = c.attempts.iter().any(|(id, _)| of(id) != Outcome::Failed);
        let confirmed = c
            .attempts
            .iter()
            .any(|(id, _)| of(id) == Outcome::Confirmed);
        (counts, counts && !confirmed)
    }

    fn attempt(&mut self, recipient_id: i64, notice: Notice, send_id: String, at: String) {
        // A re-send joins the chain of the same follow-up that is still unconfirmed.
        let open = (0..self.chains.len()).rev().find(|&i| {
            let c = &self.chains[i];
            c.recipient_id == recipient_id && c.notice == notice && self.state(c).1
        });
        let i = open.unwrap_or_else(|| {
            self.chains.push(Chain {
                recipient_id,
                notice,
                attempts: Vec::new(),
            });
            self.chains.len() - 1
        });
        self.chains[i].attempts.push((send_id.clone(), at));
        self.outcome.insert(send_id, (i, Outcome::Unknown));
    }

    fn outcome(&mut self, send_id: &str, outcome: Outcome) {
        if let Some(o) = self.outcome.get_mut(send_id) {
            // A later bounce of a message that was accepted does not make it unsent.
            if !(o.1 == Outcome::Confirmed && outcome == Outcome::Failed) {
                o.1 = outcome;
            }
        }
    }
}

/// The history of every recipient of a certificate who has any, by recipient id.
pub fn histories(conn: &Connection, certificate_id: i64) -> Result<HashMap<i64, History>> {
    read_histories(conn, "certificate_id", certificate_id)
}

/// One recipient's history, read again where a run queues them: another run may have mailed
/// them since the run chose them.
pub fn history(conn: &Connection, recipient_id: i64) -> Result<History> {
    let mut all = read_histories(conn, "recipient_id", recipient_id)?;
    Ok(all.remove(&recipient_id).unwrap_or_default())
}

/// The histories of the recipients whose events have `column` = `id`.
fn read_histories(conn: &Connection, column: &str, id: i64) -> Result<HashMap<i64, History>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT recipient_id, kind, at, detail FROM events WHERE {column}=?1 AND kind IN \
         ('sent', 'remind_attempt', 'reminded', 'send_failed', 'bounced', 'delivered', 'opened', \
         'clicked') ORDER BY at, id",
    ))?;
    let mut rows = stmt.query([id])?;
    let mut out: HashMap<i64, History> = HashMap::new();
    let mut attempts = Attempts::default();
    while let Some(r) = rows.next()? {
        let (id, kind, at): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let Ok(kind) = kind.parse::<EventKind>() else {
            continue;
        };
        let stored: Value = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Value::Null);
        let detail = EventDetail::read(kind, &stored);
        let send_id = detail.origin().send_id.get().cloned().unwrap_or_default();
        let h = out.entry(id).or_default();
        match &detail {
            EventDetail::Sent(_) => h.last_mail = Some(at),
            EventDetail::RemindAttempt(m) => {
                let notice = m.origin.expiring.get().map(|w| {
                    let at = m.origin.expires_at.get().cloned().unwrap_or_default();
                    (w.clone(), at)
                });
                attempts.attempt(id, notice, send_id, at);
            }
            EventDetail::Reminded(_) | EventDetail::Bounced(_) | EventDetail::Delivered(_) => {
                attempts.outcome(&send_id, Outcome::Confirmed)
            }
            EventDetail::SendFailed(_) => attempts.outcome(&send_id, Outcome::Failed),
            EventDetail::Opened(_) | EventDetail::Clicked(_) => h.opened |= !detail.machine(),
            _ => {}
        }
    }
    for c in &attempts.chains {
        let (counts, unconfirmed) = attempts.state(c);
        if !counts {
            continue;
        }
        let last = c
            .attempts
            .iter()
            .filter(|(id, _)| attempts.outcome[id].1 != Outcome::Failed)
            .map(|(_, at)| at)
            .max();
        let h = out.entry(c.recipient_id).or_default();
        match &c.notice {
            Some(w) => h.expiry_notices.push(w.clone()),
            None => h.reminders += 1,
        }
        if unconfirmed {
            h.unconfirmed.push(c.notice.clone());
        }
        if let Some(at) = last
            && h.last_mail.as_ref().is_none_or(|l| l < at)
        {
            h.last_mail = Some(at.clone());
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
        let notice = Some(("30d".to_string(), "2026-02-01T00:00:00Z".to_string()));
        assert_eq!(
            h.unconfirmed,
            [None, notice.clone()],
            "r3 and e1 have no outcome"
        );

        // A re-send of the interrupted reminder that fails leaves it unconfirmed; one that is
        // accepted confirms it, and the two count as one reminder, the last message at the
        // re-send.
        log(
            EventKind::RemindAttempt,
            "2026-01-19T00:00:00Z",
            json!({"send_id": "r4"}),
        );
        log(
            EventKind::SendFailed,
            "2026-01-19T00:00:00Z",
            json!({"send_id": "r4", "error": "x"}),
        );
        let h = &histories(&conn, 1).unwrap()[&id];
        assert_eq!((h.reminders, h.unconfirmed.len()), (2, 2));
        assert_eq!(h.last_mail.as_deref(), Some("2026-01-18T00:00:00Z"));
        log(
            EventKind::RemindAttempt,
            "2026-01-20T00:00:00Z",
            json!({"send_id": "r5"}),
        );
        log(
            EventKind::Reminded,
            "2026-01-20T00:00:00Z",
            json!({"send_id": "r5"}),
        );
        let h = &histories(&conn, 1).unwrap()[&id];
        assert_eq!(h.reminders, 2, "the re-send is the same reminder");
        assert_eq!(h.unconfirmed, std::slice::from_ref(&notice));
        assert_eq!(h.last_mail.as_deref(), Some("2026-01-20T00:00:00Z"));
        // The expiry notice is confirmed by a bounce of it (matched by its send id); a later
        // reminder is a new one.
        log(
            EventKind::Bounced,
            "2026-01-21T00:00:00Z",
            json!({"send_id": "e1", "hard": true}),
        );
        log(
            EventKind::RemindAttempt,
            "2026-01-28T00:00:00Z",
            json!({"send_id": "r6"}),
        );
        let h = &histories(&conn, 1).unwrap()[&id];
        assert_eq!(h.reminders, 3);
        assert_eq!(h.unconfirmed, [None]);
        assert_eq!(h.expiry_notices.len(), 1);
    }
}
