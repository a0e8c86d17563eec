//! The append-only event log, and the status cache derived from it.

use anyhow::Result;
use rusqlite::{Connection, Row, params};
use serde_json::Value;

use crate::model::{self, Event, EventKind};

/// A new event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub recipient_id: i64,
    pub kind: EventKind,
    pub at: &'a str,
    pub source: &'a str,
    pub detail: Value,
    /// When set, an event with the same key already recorded makes this a no-op.
    pub dedup_key: Option<String>,
}

/// One event, with its recipient's certificate; nothing when its `dedup_key` was seen or the
/// recipient is gone (no certificate: the NOT NULL conflict is ignored). One row of VALUES, not
/// `INSERT … SELECT`: SQLite gives a statement that may write several rows a statement journal,
/// which copied every page the insert changed (a tenth of a send's recording).
const INSERT: &str = "INSERT OR IGNORE INTO events (certificate_id, recipient_id, kind, at, source, detail, dedup_key) \
     VALUES ((SELECT certificate_id FROM recipients WHERE id=?1), ?1, ?2, ?3, ?4, ?5, ?6)";

/// Append an event and refresh the recipient's cached status, in the caller's transaction.
/// Returns false when `dedup_key` was seen before (nothing changed).
pub fn record(conn: &Connection, e: &NewEvent<'_>) -> Result<bool> {
    let inserted = conn.prepare_cached(INSERT)?.execute(params![
        e.recipient_id,
        e.kind.as_str(),
        e.at,
        e.source,
        serde_json::to_string(&e.detail)?,
        e.dedup_key
    ])?;
    if inserted == 0 {
        return Ok(false);
    }
    if !advance_status(conn, e)? {
        refresh_status(conn, e.recipient_id)?;
    }
    Ok(true)
}

/// The fast path of [`record`]: when the event just inserted comes after all the recipient's
/// others in time order (ties go to the higher id, and it has the highest), the stored status is
/// the fold of the others, so one [`model::apply`] step gives exactly what a full re-fold would,
/// without reading the log. Returns false, changing nothing, when that does not hold or when the
/// result is Delivered (whose confirmation flag depends on the history): then re-fold.
fn advance_status(conn: &Connection, e: &NewEvent<'_>) -> Result<bool> {
    let stored = conn
        .prepare_cached(
            "SELECT status, status_at, status_detail, unconfirmed, revoked, activity, \
             EXISTS (SELECT 1 FROM events WHERE recipient_id=?1 AND at > ?2) \
             FROM recipients WHERE id=?1",
        )?
        .query_row(params![e.recipient_id, e.at], |r| {
            Ok((
                r.get::<_, String>(0)?,
                model::Derived {
                    status: model::Status::NotSent,
                    at: r.get(1)?,
                    detail: r.get(2)?,
                    unconfirmed: r.get(3)?,
                    revoked: r.get(4)?,
                },
                r.get::<_, i64>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })?;
    let (status, mut d, activity, later) = stored;
    let Ok(status) = status.parse() else {
        return Ok(false);
    };
    if later {
        return Ok(false);
    }
    d.status = status;
    let event = Event {
        id: 0,
        kind: e.kind,
        at: e.at.to_string(),
        source: e.source.to_string(),
        detail: e.detail.clone(),
    };
    model::apply(&mut d, &event);
    if d.status == model::Status::Delivered {
        return Ok(false);
    }
    // Not Delivered: the flags are those of every event, without the confirmation bit.
    let activity = (activity & !flags::DELIVERED_CONFIRMED) | flags::event(e.kind, &e.detail);
    store(conn, e.recipient_id, &d, activity)?;
    Ok(true)
}

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<Event> {
    let kind: String = r.get(1)?;
    let detail: String = r.get(4)?;
    Ok(Event {
        id: r.get(0)?,
        kind: kind.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
        })?,
        at: r.get(2)?,
        source: r.get(3)?,
        detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
    })
}

/// Every event of one recipient, oldest first.
pub fn of_recipient(conn: &Connection, recipient_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, at, source, detail FROM events WHERE recipient_id=?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([recipient_id], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Recompute a recipient's status and activity flags from their events and store them.
pub fn refresh_status(conn: &Connection, recipient_id: i64) -> Result<()> {
    let created_at: String = conn
        .prepare_cached("SELECT created_at FROM recipients WHERE id=?1")?
        .query_row([recipient_id], |r| r.get(0))?;
    let events = of_recipient(conn, recipient_id)?;
    let d = model::derive(&created_at, &events);
    let activity = flags::of(&events, &d);
    store(conn, recipient_id, &d, activity)
}

/// Store a recipient's status and activity flags.
fn store(conn: &Connection, recipient_id: i64, d: &model::Derived, activity: i64) -> Result<()> {
    conn.prepare_cached(
        // Written only when something changed: no row or index write for the many events that
        // change nothing (a second open, a download of a claimed certificate).
        "UPDATE recipients SET status=?2, status_at=?3, status_detail=?4, unconfirmed=?5, revoked=?6, \
         activity=?7 WHERE id=?1 AND (status, status_at, status_detail, unconfirmed, revoked, activity) \
         IS NOT (?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        recipient_id,
        d.status.as_str(),
        d.at,
        d.detail,
        d.unconfirmed,
        d.revoked,
        activity
    ])?;
    Ok(())
}

/// `recipients.activity`: what a recipient's events show, one bit per figure of `stats`
/// (`src/stats/stats.schema.json` defines them), so that a certificate's figures are counted
/// from the `recipients_figures` index without reading its events. Kept exact at every write:
/// [`refresh_status`] recomputes the flags from the whole log, and serve's batched writer
/// (`db::web::record_batch`), which skips that re-fold for events that cannot change the
/// status, ORs in [`event`] and [`DELIVERED_CONFIRMED`] itself. Migration 4 backfilled them with
/// the equivalent SQL (`db::migrations::BACKFILL_ACTIVITY`).
pub mod flags {
    use serde_json::Value;

    use crate::model::{Derived, Event, EventKind, Status};

    /// An event proving a message was handed to a mail system (`email.sent`).
    pub const SENT: i64 = 1;
    /// An `opened` or `clicked` event not from a machine (`email.opened`).
    pub const OPENED: i64 = 2;
    /// A `clicked` event not from a machine (`email.clicked`).
    pub const CLICKED: i64 = 4;
    /// An `opened` or `clicked` event from a machine (`email.machine_opened`).
    pub const OPENED_MACHINE: i64 = 8;
    /// A `clicked` event from a machine (`email.machine_clicked`).
    pub const CLICKED_MACHINE: i64 = 16;
    /// A `shared` or `downloaded` event.
    pub const SHARED_OR_DOWNLOADED: i64 = 32;
    /// A `linkedin_added` event.
    pub const LINKEDIN_ADDED: i64 = 64;
    /// Delivered, with positive evidence of delivery at or after becoming Delivered
    /// (`evidence.delivered_confirmed`). Set only while the status is Delivered.
    pub const DELIVERED_CONFIRMED: i64 = 128;

    /// The event kinds of [`SENT`].
    pub const SENT_KINDS: &[EventKind] = &[
        EventKind::Sent,
        EventKind::Delivered,
        EventKind::Delayed,
        EventKind::Bounced,
        EventKind::Complained,
        EventKind::AutoReply,
        EventKind::Opened,
        EventKind::Clicked,
    ];

    /// `detail.machine` is JSON `true`.
    pub fn machine(detail: &Value) -> bool {
        crate::model::detail::Engagement::is_machine(detail)
    }

    /// The flags one event sets whatever the recipient's status (all but
    /// [`DELIVERED_CONFIRMED`]).
    pub fn event(kind: EventKind, detail: &Value) -> i64 {
        let mut bits = 0;
        if SENT_KINDS.contains(&kind) {
            bits |= SENT;
        }
        bits | match kind {
            EventKind::Opened if machine(detail) => OPENED_MACHINE,
            EventKind::Opened => OPENED,
            EventKind::Clicked if machine(detail) => OPENED_MACHINE | CLICKED_MACHINE,
            EventKind::Clicked => OPENED | CLICKED,
            EventKind::Shared | EventKind::Downloaded => SHARED_OR_DOWNLOADED,
            EventKind::LinkedinAdded => LINKEDIN_ADDED,
            _ => 0,
        }
    }

    /// Whether the event is positive evidence of delivery: a `delivered` event not by the
    /// settle window, or an `opened`, `clicked`, `complained` or `auto_reply` event not from a
    /// machine.
    pub fn evidence(kind: EventKind, detail: &Value) -> bool {
        match kind {
            EventKind::Delivered => !crate::model::detail::Delivery::is_settle(detail),
            EventKind::Opened
            | EventKind::Clicked
            | EventKind::Complained
            | EventKind::AutoReply => !machine(detail),
            _ => false,
        }
    }

    /// The flags of a recipient with these events and this derived state.
    pub fn of(events: &[Event], d: &Derived) -> i64 {
        let delivered = d.status == Status::Delivered;
        events.iter().fold(0, |bits, e| {
            let confirmed =
                delivered && e.at.as_str() >= d.at.as_str() && evidence(e.kind, &e.detail);
            bits | event(e.kind, &e.detail) | if confirmed { DELIVERED_CONFIRMED } else { 0 }
        })
    }
}

/// One line of the event log as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub certificate: String,
    pub email: String,
    pub kind: String,
    pub at: String,
    pub source: String,
    pub detail: Value,
}

/// Which events a listing wants.
#[derive(Debug, Default, Clone)]
pub struct LogFilter {
    pub recipient_id: Option<i64>,
    pub kinds: Vec<EventKind>,
    pub since: Option<String>,
}

/// Call `f` for each event of a certificate matching `filter`, in time order.
pub fn for_each(
    conn: &Connection,
    certificate_id: i64,
    filter: &LogFilter,
    mut f: impl FnMut(LogEntry) -> Result<()>,
) -> Result<()> {
    let mut sql = String::from(
        "SELECT e.id, c.name, r.email, e.kind, e.at, e.source, e.detail FROM events e \
         JOIN recipients r ON r.id = e.recipient_id JOIN certificates c ON c.id = e.certificate_id \
         WHERE e.certificate_id = ?",
    );
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(certificate_id)];
    if let Some(id) = filter.recipient_id {
        sql.push_str(" AND e.recipient_id = ?");
        args.push(Box::new(id));
    }
    if !filter.kinds.is_empty() {
        sql.push_str(&format!(
            " AND e.kind IN ({})",
            vec!["?"; filter.kinds.len()].join(",")
        ));
        for k in &filter.kinds {
            args.push(Box::new(k.as_str()));
        }
    }
    if let Some(since) = &filter.since {
        sql.push_str(" AND e.at >= ?");
        args.push(Box::new(since.clone()));
    }
    sql.push_str(" ORDER BY e.at, e.id");
    let mut stmt = conn.prepare(&sql)?;
    let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(r) = rows.next()? {
        let detail: String = r.get(6)?;
        f(LogEntry {
            id: r.get(0)?,
            certificate: r.get(1)?,
            email: r.get(2)?,
            kind: r.get(3)?,
            at: r.get(4)?,
            source: r.get(5)?,
            detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
        })?;
    }
    Ok(())
}

/// Per-recipient event figures for `export`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Activity {
    pub sent_at: Option<String>,
    pub delivered_at: Option<String>,
    pub bounced_at: Option<String>,
    pub opened_at: Option<String>,
    pub clicked_at: Option<String>,
    pub claimed_at: Option<String>,
    pub opens: u64,
    pub clicks: u64,
    pub downloads: u64,
    pub shares_linkedin: u64,
    pub shares_facebook: u64,
    pub shares_x: u64,
    pub linkedin_added: u64,
}

/// The evidence kind ([`model::evidence_kind`]) of the event that decided each recipient's
/// status, for every recipient of a certificate that has one: one pass over the log, one
/// recipient's events in memory at a time.
pub fn deciding_evidence(
    conn: &Connection,
    certificate_id: i64,
) -> Result<std::collections::HashMap<i64, &'static str>> {
    let mut stmt = conn.prepare(
        "SELECT recipient_id, id, kind, at, source, detail FROM events \
         WHERE certificate_id=?1 ORDER BY recipient_id, at, id",
    )?;
    let mut rows = stmt.query([certificate_id])?;
    let mut out = std::collections::HashMap::new();
    let mut current: Option<i64> = None;
    let mut events: Vec<Event> = Vec::new();
    let mut flush = |rid: Option<i64>, events: &mut Vec<Event>| {
        if let Some(rid) = rid
            && let Some(e) = model::deciding_event("", events)
        {
            out.insert(rid, model::evidence_kind(e));
        }
        events.clear();
    };
    while let Some(r) = rows.next()? {
        let rid: i64 = r.get(0)?;
        if current != Some(rid) {
            flush(current, &mut events);
            current = Some(rid);
        }
        let kind: String = r.get(2)?;
        let Ok(kind) = kind.parse() else { continue };
        let detail: String = r.get(5)?;
        events.push(Event {
            id: r.get(1)?,
            kind,
            at: r.get(3)?,
            source: r.get(4)?,
            detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
        });
    }
    flush(current, &mut events);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::model::Certificate;

    /// Each index's condition is tested by comparisons: SQLite builds a temporary table for an
    /// IN list of three or more, at every insert (migration 16 rewrote the one that did).
    #[test]
    fn an_insert_builds_no_temporary_table() {
        let (_dir, conn, _) = fixture();
        let mut stmt = conn.prepare(&format!("EXPLAIN {INSERT}")).unwrap();
        let opcodes: Vec<String> = stmt
            .query_map(params![1, "sent", "t", "smtp", "{}", None::<String>], |r| {
                r.get::<_, String>(1)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(opcodes.iter().any(|o| o == "IdxInsert"), "{opcodes:?}");
        assert!(
            !opcodes.iter().any(|o| o == "OpenEphemeral"),
            "an insert builds a temporary table: {opcodes:?}"
        );
    }

    const RECIPIENTS: usize = 3;

    /// A fresh database with one certificate of [`RECIPIENTS`] recipients (the directory must
    /// outlive the connection).
    fn fixture() -> (tempfile::TempDir, rusqlite::Connection, Vec<i64>) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        let cert = crate::db::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z"))
            .unwrap();
        let ids = (0..RECIPIENTS)
            .map(|i| {
                crate::db::recipients::insert(
                    &conn,
                    cert,
                    &format!("r{i}@example.org"),
                    "R",
                    &Default::default(),
                    "2026-01-01T00:00:00Z",
                )
                .unwrap()
            })
            .collect();
        (dir, conn, ids)
    }

    /// One generated write: whose, what, when (minutes), and how it reaches the database.
    #[derive(Debug, Clone)]
    struct Write {
        recipient: usize,
        kind: EventKind,
        minute: u32,
        machine: bool,
        settle: bool,
        /// Through serve's batched writer (`db::web::record_batch`), with the writes after it
        /// that also say so; else through [`record`].
        batched: bool,
    }

    fn write() -> impl Strategy<Value = Write> {
        (
            0..RECIPIENTS,
            // Mostly the kinds that move the flags and the status, so that Delivered recipients
            // get in-order opens through the fast path.
            prop_oneof![
                3 => prop::sample::select(vec![
                    EventKind::Sent,
                    EventKind::Delivered,
                    EventKind::Opened,
                    EventKind::Clicked,
                ]),
                2 => prop::sample::select(EventKind::ALL.to_vec()),
            ],
            0u32..40,
            any::<bool>(),
            any::<bool>(),
            prop::bool::weighted(0.6),
        )
            .prop_map(
                |(recipient, kind, minute, machine, settle, batched)| Write {
                    recipient,
                    kind,
                    minute,
                    machine,
                    settle,
                    batched,
                },
            )
    }

    fn detail(w: &Write) -> Value {
        match w.kind {
            EventKind::Opened
            | EventKind::Clicked
            | EventKind::Complained
            | EventKind::AutoReply => {
                json!({"machine": w.machine})
            }
            EventKind::Delivered if w.settle => json!({"evidence": "settle"}),
            EventKind::Delivered => json!({"evidence": "dsn"}),
            EventKind::Bounced => json!({"status": "5.1.1", "hard": !w.settle}),
            EventKind::Shared => json!({"network": if w.machine { "x" } else { "linkedin" }}),
            EventKind::Edited if w.settle => {
                json!({"old_email": "a@x.org", "new_email": "b@x.org"})
            }
            _ => json!({}),
        }
    }

    fn activity(conn: &Connection) -> BTreeMap<i64, i64> {
        let mut stmt = conn
            .prepare("SELECT id, activity FROM recipients ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// After any writes through `record` and serve's batched writer (whose fast path skips
        /// the re-fold), every recipient's activity flags equal migration 4's SQL over the
        /// event log, and a re-fold changes nothing.
        #[test]
        fn activity_flags_equal_a_recomputation_from_the_events(
            writes in prop::collection::vec(write(), 1..60),
            // Mostly in time order, as live traffic is: that is when the fast path applies.
            sorted in prop::bool::weighted(0.7),
        ) {
            let mut writes = writes;
            if sorted {
                writes.sort_by_key(|w| w.minute);
            }
            let (_dir, conn, ids) = fixture();
            let stamps: Vec<String> = writes
                .iter()
                .map(|w| format!("2026-01-01T01:{:02}:00Z", w.minute))
                .collect();
            let mut i = 0;
            while i < writes.len() {
                let new = |w: &Write, at: usize| NewEvent {
                    recipient_id: ids[w.recipient],
                    kind: w.kind,
                    at: &stamps[at],
                    source: "test",
                    detail: detail(w),
                    dedup_key: None,
                };
                if writes[i].batched {
                    let mut batch = Vec::new();
                    while i < writes.len() && writes[i].batched {
                        batch.push(new(&writes[i], i));
                        i += 1;
                    }
                    crate::db::web::record_batch(&conn, &batch).unwrap();
                } else {
                    record(&conn, &new(&writes[i], i)).unwrap();
                    i += 1;
                }
            }
            let kept = activity(&conn);
            conn.execute_batch("UPDATE recipients SET activity = 0").unwrap();
            conn.execute_batch(crate::db::migrations::BACKFILL_ACTIVITY).unwrap();
            prop_assert_eq!(&kept, &activity(&conn), "kept at each write vs SQL over the log");
            for id in &ids {
                refresh_status(&conn, *id).unwrap();
            }
            prop_assert_eq!(&kept, &activity(&conn), "kept at each write vs a re-fold");
        }
    }

    /// Every recipient's stored status and flags, as `recipients list` reads them.
    fn stored(conn: &Connection) -> Vec<(i64, String, String, String, bool, bool, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT id, status, status_at, status_detail, unconfirmed, revoked, activity \
                 FROM recipients ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// After every write through `record` (whose fast path steps the stored state with
        /// `model::apply` instead of re-folding the log), each recipient's status, its time,
        /// detail, unconfirmed and revoked marks and activity flags are exactly what a full
        /// `model::derive` over their events gives.
        #[test]
        fn recorded_status_equals_a_full_refold(
            writes in prop::collection::vec(
                (
                    0..RECIPIENTS,
                    // Mostly what `send` writes, then anything.
                    prop_oneof![
                        3 => prop::sample::select(vec![
                            EventKind::SendAttempt,
                            EventKind::Sent,
                            EventKind::SendFailed,
                            EventKind::Bounced,
                        ]),
                        2 => prop::sample::select(EventKind::ALL.to_vec()),
                    ],
                    0u32..30,
                    any::<bool>(),
                    any::<bool>(),
                ),
                1..50,
            ),
            sorted in prop::bool::weighted(0.6),
        ) {
            let mut writes: Vec<Write> = writes
                .into_iter()
                .map(|(recipient, kind, minute, machine, settle)| Write {
                    recipient, kind, minute, machine, settle, batched: false,
                })
                .collect();
            if sorted {
                writes.sort_by_key(|w| w.minute);
            }
            let (_dir, conn, ids) = fixture();
            for w in &writes {
                let at = format!("2026-01-01T01:{:02}:00Z", w.minute);
                let mut detail = detail(w);
                if matches!(w.kind, EventKind::Sent | EventKind::SendFailed) && w.machine {
                    detail = json!({"transport": "smtp", "error": "452 try later"});
                }
                record(&conn, &NewEvent {
                    recipient_id: ids[w.recipient],
                    kind: w.kind,
                    at: &at,
                    source: "test",
                    detail,
                    dedup_key: None,
                }).unwrap();
                let kept = stored(&conn);
                for id in &ids {
                    refresh_status(&conn, *id).unwrap();
                }
                prop_assert_eq!(&kept, &stored(&conn), "after {:?}", w);
            }
        }
    }

    #[test]
    fn flags_of_one_history() {
        let ev = |id, kind, at: &str, detail| Event {
            id,
            kind,
            at: at.into(),
            source: "t".into(),
            detail,
        };
        let events = [
            ev(1, EventKind::Sent, "2026-01-01T00:00:01Z", json!({})),
            ev(
                2,
                EventKind::Opened,
                "2026-01-01T00:00:02Z",
                json!({"machine": true}),
            ),
            ev(
                3,
                EventKind::Delivered,
                "2026-01-01T00:00:03Z",
                json!({"evidence": "settle"}),
            ),
            ev(
                4,
                EventKind::Clicked,
                "2026-01-01T00:00:04Z",
                json!({"machine": false}),
            ),
            ev(
                5,
                EventKind::Shared,
                "2026-01-01T00:00:05Z",
                json!({"network": "x"}),
            ),
        ];
        let d = model::derive("2026-01-01T00:00:00Z", &events);
        assert_eq!(d.status, model::Status::Delivered);
        use flags::*;
        assert_eq!(
            flags::of(&events, &d),
            SENT | OPENED | CLICKED | OPENED_MACHINE | SHARED_OR_DOWNLOADED | DELIVERED_CONFIRMED
        );
        // Without the human click: delivered by the settle window only.
        let d = model::derive("2026-01-01T00:00:00Z", &events[..3]);
        assert_eq!(flags::of(&events[..3], &d), SENT | OPENED_MACHINE);
    }
}
