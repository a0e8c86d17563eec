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

/// Append an event and refresh the recipient's cached status, in the caller's transaction.
/// Returns false when `dedup_key` was seen before (nothing changed).
pub fn record(conn: &Connection, e: &NewEvent<'_>) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO events (certificate_id, recipient_id, kind, at, source, detail, dedup_key) \
             SELECT certificate_id, id, ?2, ?3, ?4, ?5, ?6 FROM recipients WHERE id=?1",
        )?
        .execute(params![
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
    refresh_status(conn, e.recipient_id)?;
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

/// Recompute a recipient's status from their events and store it.
pub fn refresh_status(conn: &Connection, recipient_id: i64) -> Result<()> {
    let created_at: String = conn
        .prepare_cached("SELECT created_at FROM recipients WHERE id=?1")?
        .query_row([recipient_id], |r| r.get(0))?;
    let events = of_recipient(conn, recipient_id)?;
    let d = model::derive(&created_at, &events);
    conn.prepare_cached(
        "UPDATE recipients SET status=?2, status_at=?3, status_detail=?4, unconfirmed=?5, revoked=?6 WHERE id=?1",
    )?
    .execute(params![recipient_id, d.status.as_str(), d.at, d.detail, d.unconfirmed, d.revoked])?;
    Ok(())
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
