//! Queries and writes for `certstat serve`: recipients by public credential id, the claim
//! lockout, issue dates, and the batched event writer.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::db::events::{self, NewEvent};
use crate::model::{EventKind, Status};

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

/// Whether a recipient with this id exists.
pub fn recipient_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM recipients WHERE id=?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
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

/// Append many events in the caller's transaction and keep each recipient's cached status
/// exactly what [`events::record`] per event would leave: the same result, for a fraction of
/// the work when one recipient gets many opens at once.
///
/// A recipient's status is refreshed (a re-fold of their whole log) once per batch, and not at
/// all when the fold cannot change: every new event is at least as late as their log's last
/// one (so the fold only appends to it) and is of a kind that, from the cached status, is a
/// no-op in [`crate::model::derive`] — downloads, shares, LinkedIn, failed claims, and opens or
/// clicks that are machine traffic or do not find the recipient plainly Pending. Such an event
/// still ORs its activity flags (`events::flags`) into the recipient's, as the re-fold would.
pub fn record_batch(conn: &Connection, batch: &[NewEvent<'_>]) -> Result<()> {
    let refs: Vec<EventRef<'_>> = batch
        .iter()
        .map(|e| EventRef {
            recipient_id: e.recipient_id,
            kind: e.kind,
            at: e.at,
            source: e.source,
            detail: &e.detail,
            dedup_key: e.dedup_key.as_deref(),
        })
        .collect();
    record_refs(conn, &refs)
}

/// A new event whose parts are borrowed (serve's writer records the same few details over and
/// over, and builds none of them per event).
#[derive(Debug, Clone, Copy)]
pub struct EventRef<'a> {
    pub recipient_id: i64,
    pub kind: EventKind,
    pub at: &'a str,
    pub source: &'a str,
    pub detail: &'a Value,
    pub dedup_key: Option<&'a str>,
}

/// What [`record_refs`] reads of a recipient before a batch.
const READ_BEFORE: &str = "SELECT certificate_id, status, status_at, unconfirmed, activity, \
                                  (SELECT max(at) FROM events WHERE recipient_id=?1) \
                           FROM recipients WHERE id=?1";

/// Per recipient of `batch`, before it: their certificate, cached status, flags, and the
/// time of their log's last event (one lookup each, however many events they get).
fn read_before(conn: &Connection, batch: &[EventRef<'_>]) -> Result<HashMap<i64, Before>> {
    let mut before: HashMap<i64, Before> = HashMap::new();
    let mut read = conn.prepare_cached(READ_BEFORE)?;
    for e in batch {
        if let std::collections::hash_map::Entry::Vacant(slot) = before.entry(e.recipient_id)
            && let Some(b) = read
                .query_row([e.recipient_id], |r| {
                    Ok(Before {
                        certificate_id: r.get(0)?,
                        status: r.get(1)?,
                        status_at: r.get(2)?,
                        unconfirmed: r.get(3)?,
                        activity: r.get(4)?,
                        last: r.get(5)?,
                    })
                })
                .optional()?
        {
            slot.insert(b);
        }
    }
    Ok(before)
}

/// Whether a new event leaves the status of a recipient (`b`, as before the batch) as it is:
/// an event in order that no status depends on, or an open or click that does not make a
/// Pending recipient Delivered.
fn is_inert(e: &EventRef<'_>, b: &Before) -> bool {
    let in_order = b.last.as_deref().is_none_or(|l| e.at >= l);
    in_order
        && match e.kind {
            EventKind::Downloaded
            | EventKind::Shared
            | EventKind::LinkedinAdded
            | EventKind::ClaimFailed => true,
            EventKind::Opened | EventKind::Clicked => {
                events::flags::machine(e.detail)
                    || b.status != Status::Pending.as_str()
                    || b.unconfirmed
            }
            _ => false,
        }
}

/// Per recipient whose status stands: the flags their new events set, and the time of the
/// latest of them that is evidence of delivery.
type NewFlags<'a> = HashMap<i64, (i64, Option<&'a str>)>;

/// Insert the events of `batch` (those of known recipients, each once): the recipients whose
/// status must be folded again, and the flags of the others.
fn insert_events<'a>(
    conn: &Connection,
    batch: &[EventRef<'a>],
    before: &HashMap<i64, Before>,
) -> Result<(BTreeSet<i64>, NewFlags<'a>)> {
    let mut touched = BTreeSet::new();
    let mut flags: NewFlags<'a> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO events (certificate_id, recipient_id, kind, at, source, detail, dedup_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut json = Vec::new();
    for e in batch {
        // No such recipient: nothing to record.
        let Some(b) = before.get(&e.recipient_id) else {
            continue;
        };
        let detail = match link_detail(e.detail) {
            Some(text) => text,
            None => {
                json.clear();
                serde_json::to_writer(&mut json, e.detail)?;
                std::str::from_utf8(&json)?
            }
        };
        let n = stmt.execute(params![
            b.certificate_id,
            e.recipient_id,
            e.kind.as_str(),
            e.at,
            e.source,
            detail,
            e.dedup_key
        ])?;
        if n == 0 {
            continue;
        }
        if is_inert(e, b) {
            // The status stands, but the event may show something new: its flags, and
            // "confirmed" when it is evidence of delivery for a Delivered recipient (in order,
            // so at or after the moment they became Delivered). Gathered per recipient: the
            // latest evidence decides "confirmed" for all of them.
            let (bits, evidence_at) = flags.entry(e.recipient_id).or_insert((0, None));
            *bits |= events::flags::event(e.kind, e.detail);
            if events::flags::evidence(e.kind, e.detail) && evidence_at.is_none_or(|t| e.at > t) {
                *evidence_at = Some(e.at);
            }
        } else {
            touched.insert(e.recipient_id);
        }
    }
    Ok((touched, flags))
}

/// Set the new flags of recipients whose status stands, where they change anything.
fn set_flags(conn: &Connection, before: &HashMap<i64, Before>, flags: NewFlags<'_>) -> Result<()> {
    let mut set_flags = conn.prepare_cached(
        "UPDATE recipients SET activity = activity | ?2 \
           | CASE WHEN ?3 AND status='delivered' AND status_at <= ?4 THEN ?5 ELSE 0 END \
         WHERE id=?1 AND activity != activity | ?2 \
           | CASE WHEN ?3 AND status='delivered' AND status_at <= ?4 THEN ?5 ELSE 0 END",
    )?;
    for (id, (bits, evidence_at)) in flags {
        // The row is as it was read before the batch (inserting events does not change it):
        // most events (a second open) show nothing new, and need no statement at all.
        let b = &before[&id];
        let confirmed = evidence_at
            .is_some_and(|t| b.status == Status::Delivered.as_str() && b.status_at.as_str() <= t);
        let activity = b.activity
            | bits
            | if confirmed {
                events::flags::DELIVERED_CONFIRMED
            } else {
                0
            };
        if activity == b.activity {
            continue;
        }
        set_flags.execute(params![
            id,
            bits,
            evidence_at.is_some(),
            evidence_at.unwrap_or(""),
            events::flags::DELIVERED_CONFIRMED
        ])?;
    }
    Ok(())
}

/// [`record_batch`] of borrowed events.
pub fn record_refs(conn: &Connection, batch: &[EventRef<'_>]) -> Result<()> {
    let before = read_before(conn, batch)?;
    let (touched, flags) = insert_events(conn, batch, &before)?;
    set_flags(conn, &before, flags)?;
    for id in touched {
        events::refresh_status(conn, id)?;
    }
    Ok(())
}

/// A recipient's row as [`record_batch`] reads it before the batch.
struct Before {
    certificate_id: i64,
    status: String,
    status_at: String,
    unconfirmed: bool,
    activity: i64,
    /// The time of their log's last event.
    last: Option<String>,
}

/// The stored text of the open pixel's and the click's detail, `{"machine": true|false}`,
/// exactly as `serde_json::to_string` writes it, without building it each time.
fn link_detail(detail: &Value) -> Option<&'static str> {
    let map = detail.as_object()?;
    if map.len() != 1 {
        return None;
    }
    match map.get("machine")? {
        Value::Bool(true) => Some(r#"{"machine":true}"#),
        Value::Bool(false) => Some(r#"{"machine":false}"#),
        _ => None,
    }
}

/// The web event of a link (`kind` an open or a click, `machine` its flag) that a repeat by
/// this recipient is counted into, as (event id, its time, its count): the newest such event at
/// or after `since`, when nothing but opens and clicks came after it. `None`: the repeat starts
/// a new event.
pub fn repeat_target(
    conn: &Connection,
    recipient_id: i64,
    kind: EventKind,
    machine: bool,
    since: &str,
) -> Result<Option<(i64, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, source, at, detail FROM events \
         WHERE recipient_id=?1 AND at >= ?2 ORDER BY id DESC LIMIT 64",
    )?;
    let mut rows = stmt.query(params![recipient_id, since])?;
    while let Some(row) = rows.next()? {
        let found: String = row.get(1)?;
        if found != EventKind::Opened.as_str() && found != EventKind::Clicked.as_str() {
            return Ok(None);
        }
        let source: String = row.get(2)?;
        let detail: Value = serde_json::from_str(&row.get::<_, String>(4)?).unwrap_or_default();
        if found == kind.as_str() && source == "web" && events::flags::machine(&detail) == machine {
            let count = crate::model::detail::Engagement::count_of(&detail);
            return Ok(Some((row.get(0)?, row.get(3)?, count)));
        }
    }
    Ok(None)
}

/// Set how many requests a link event stands for, and the time of the last.
pub fn set_repeats(conn: &Connection, event_id: i64, count: i64, last: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE events SET detail = json_set(detail, '$.count', ?2, '$.last', ?3) WHERE id=?1",
    )?
    .execute(params![event_id, count, last])?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certificate;
    use serde_json::json;

    /// The stored text of a link's detail is what serializing it gives.
    #[test]
    fn link_details_are_stored_as_serialized() {
        for machine in [true, false] {
            let detail = json!({ "machine": machine });
            assert_eq!(
                link_detail(&detail),
                Some(serde_json::to_string(&detail).unwrap().as_str())
            );
        }
        for other in [
            json!({}),
            json!({"machine": 1}),
            json!({"machine": true, "format": "pdf"}),
            json!({"format": "pdf"}),
            json!(null),
        ] {
            assert_eq!(link_detail(&other), None, "{other}");
        }
    }

    /// On the writer's connection, a batch's read of each recipient keeps its prepared plan
    /// whichever recipient ids come and go (SQLite would re-prepare it for the id 1).
    #[test]
    fn the_writer_never_re_prepares_its_read_for_an_id() {
        let (_dir, conn, ids) =
            crate::db::testing::with_recipients(&["a@example.org", "b@example.org"]);
        crate::db::stream_writer_mode(&conn).unwrap();
        assert_eq!(ids[0], 1, "the id that makes SQLite re-prepare");
        let detail = json!({"machine": false});
        for i in 0..6 {
            let event = EventRef {
                recipient_id: ids[i % 2],
                kind: EventKind::Opened,
                at: "2026-01-01T00:00:01Z",
                source: "web",
                detail: &detail,
                dedup_key: None,
            };
            record_refs(&conn, &[event]).unwrap();
        }
        let read = conn.prepare_cached(READ_BEFORE).unwrap();
        assert_eq!(read.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    /// After every batch, the cached status equals a full re-fold of the log.
    #[test]
    fn batches_keep_the_cached_status_exact() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let conn = crate::db::open(&db).unwrap();
        let cert = crate::db::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z"))
            .unwrap();
        let rid = crate::db::recipients::insert(
            &conn,
            cert,
            "a@example.org",
            "A",
            &Default::default(),
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
        let ev = |kind, at: &'static str, detail| NewEvent {
            recipient_id: rid,
            kind,
            at,
            source: "web",
            detail,
            dedup_key: None,
        };
        let status = |conn: &Connection| -> (String, String, i64) {
            conn.query_row(
                "SELECT status, status_at, activity FROM recipients WHERE id=?1",
                [rid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
        };
        let batches: Vec<Vec<NewEvent<'_>>> = vec![
            vec![ev(
                EventKind::Opened,
                "2026-01-01T00:00:01Z",
                json!({"machine": false}),
            )],
            vec![ev(EventKind::Sent, "2026-01-01T00:00:02Z", json!({}))],
            vec![ev(
                EventKind::Delivered,
                "2026-01-01T00:00:02Z",
                json!({"evidence": "settle"}),
            )],
            // Delivered by the settle window: machine traffic shows nothing, a person's open
            // or click confirms the delivery; several of each in one batch.
            vec![
                ev(
                    EventKind::Opened,
                    "2026-01-01T00:00:02Z",
                    json!({"machine": true}),
                ),
                ev(
                    EventKind::Clicked,
                    "2026-01-01T00:00:02Z",
                    json!({"machine": true}),
                ),
            ],
            vec![
                ev(
                    EventKind::Opened,
                    "2026-01-01T00:00:03Z",
                    json!({"machine": false}),
                ),
                ev(
                    EventKind::Opened,
                    "2026-01-01T00:00:03Z",
                    json!({"machine": true}),
                ),
                ev(
                    EventKind::Clicked,
                    "2026-01-01T00:00:03Z",
                    json!({"machine": false}),
                ),
            ],
            vec![
                ev(
                    EventKind::Opened,
                    "2026-01-01T00:00:03Z",
                    json!({"machine": true}),
                ),
                ev(
                    EventKind::Clicked,
                    "2026-01-01T00:00:03Z",
                    json!({"machine": true}),
                ),
            ],
            vec![ev(
                EventKind::Opened,
                "2026-01-01T00:00:04Z",
                json!({"machine": false}),
            )],
            // Late-arriving (earlier than the log's end): must re-fold.
            vec![ev(
                EventKind::Opened,
                "2026-01-01T00:00:00Z",
                json!({"machine": false}),
            )],
            vec![
                ev(EventKind::ClaimFailed, "2026-01-01T00:00:05Z", json!({})),
                ev(EventKind::Claimed, "2026-01-01T00:00:06Z", json!({})),
                ev(
                    EventKind::Downloaded,
                    "2026-01-01T00:00:06Z",
                    json!({"format": "pdf"}),
                ),
            ],
            vec![ev(
                EventKind::Opened,
                "2026-01-01T00:00:07Z",
                json!({"machine": false}),
            )],
        ];
        let mut seen = 0;
        for batch in &batches {
            record_batch(&conn, batch).unwrap();
            let cached = status(&conn);
            seen |= cached.2;
            events::refresh_status(&conn, rid).unwrap();
            assert_eq!(cached, status(&conn), "after {:?}", batch[0].kind);
        }
        // The batches went through the states whose flags the fast path sets.
        for flag in [
            events::flags::OPENED,
            events::flags::CLICKED,
            events::flags::OPENED_MACHINE,
            events::flags::CLICKED_MACHINE,
            events::flags::DELIVERED_CONFIRMED,
        ] {
            assert_ne!(seen & flag, 0, "flag {flag} never set");
        }
        assert_eq!(status(&conn).0, "claimed");
    }
}
