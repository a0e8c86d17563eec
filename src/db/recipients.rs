//! Recipients.

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use crate::model::{Recipient, Status, email_key};
use crate::tokens;

const COLUMNS: &str = "id, certificate_id, email, name, status, status_at, status_detail, \
                       unconfirmed, revoked, fields, created_at, uid";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Recipient> {
    let status: String = r.get(4)?;
    let fields: String = r.get(9)?;
    Ok(Recipient {
        id: r.get(0)?,
        certificate_id: r.get(1)?,
        email: r.get(2)?,
        name: r.get(3)?,
        status: status.parse().unwrap_or(Status::NotSent),
        status_at: r.get(5)?,
        detail: r.get(6)?,
        unconfirmed: r.get(7)?,
        revoked: r.get(8)?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        created_at: r.get(10)?,
        uid: r.get(11)?,
    })
}

/// Insert one recipient (Not Sent, with a fresh uid and link token). The caller checks for
/// duplicates first; the UNIQUE constraint is the last line of defence.
pub fn insert(
    conn: &Connection,
    certificate_id: i64,
    email: &str,
    name: &str,
    fields: &Map<String, Value>,
    now: &str,
) -> Result<i64> {
    let uid = tokens::new_uid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO recipients (certificate_id, email, email_key, name, fields, uid, \
         created_at, status_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?7)",
    )?;
    stmt.execute(params![
        certificate_id,
        email.trim(),
        email_key(email),
        name,
        serde_json::to_string(fields)?,
        uid,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, certificate_id: i64, email: &str) -> Result<Option<Recipient>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM recipients WHERE certificate_id=?1 AND email_key=?2"
    ))?;
    Ok(stmt
        .query_row(params![certificate_id, email_key(email)], from_row)
        .optional()?)
}

/// The recipient with this address, or an error saying how to find the right one.
pub fn get(conn: &Connection, certificate_id: i64, email: &str) -> Result<Recipient> {
    match find(conn, certificate_id, email)? {
        Some(r) => Ok(r),
        None => bail!(
            "no recipient <{}> on this certificate (`certstat recipients list CERT --search TEXT` finds them)",
            email.trim()
        ),
    }
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Recipient>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM recipients WHERE id=?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

/// Update name and fields.
pub fn update_details(
    conn: &Connection,
    id: i64,
    name: &str,
    fields: &Map<String, Value>,
) -> Result<()> {
    conn.prepare_cached("UPDATE recipients SET name=?2, fields=?3 WHERE id=?1")?
        .execute(params![id, name, serde_json::to_string(fields)?])?;
    Ok(())
}

/// Change the address (the caller records the `edited` event).
pub fn update_email(conn: &Connection, id: i64, email: &str) -> Result<()> {
    conn.execute(
        "UPDATE recipients SET email=?2, email_key=?3 WHERE id=?1",
        params![id, email.trim(), email_key(email)],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM recipients WHERE id=?1", [id])?;
    Ok(())
}

pub fn count(conn: &Connection, certificate_id: i64) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM recipients WHERE certificate_id=?1",
        [certificate_id],
        |r| r.get(0),
    )?)
}

/// Which recipients a listing wants.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub statuses: Vec<Status>,
    pub search: Option<String>,
}

/// Call `f` for each matching recipient, in insertion order, without holding them all in memory.
pub fn for_each(
    conn: &Connection,
    certificate_id: i64,
    filter: &Filter,
    mut f: impl FnMut(Recipient) -> Result<()>,
) -> Result<()> {
    let mut sql = format!("SELECT {COLUMNS} FROM recipients WHERE certificate_id=?");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(certificate_id)];
    if !filter.statuses.is_empty() {
        sql.push_str(&format!(
            " AND status IN ({})",
            vec!["?"; filter.statuses.len()].join(",")
        ));
        for s in &filter.statuses {
            args.push(Box::new(s.as_str()));
        }
    }
    if let Some(text) = &filter.search {
        sql.push_str(" AND (email_key LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')");
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        args.push(Box::new(pattern.clone()));
        args.push(Box::new(pattern));
    }
    sql.push_str(" ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        f(from_row(row)?)?;
    }
    Ok(())
}

/// The highest recipient id in the database (0 when empty).
pub fn max_id(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM recipients", [], |r| {
            r.get(0)
        })?,
    )
}

/// Every template field name used by a certificate's recipients, in first-seen order.
pub fn field_keys(conn: &Connection, certificate_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT j.key FROM recipients r, json_each(r.fields) j WHERE r.certificate_id=?1 \
         GROUP BY j.key ORDER BY min(r.id), min(j.id)",
    )?;
    let rows = stmt.query_map([certificate_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Call `f` with each recipient of a certificate and their event figures, in id order,
/// streaming.
pub fn for_each_with_activity(
    conn: &Connection,
    certificate_id: i64,
    mut f: impl FnMut(Recipient, crate::db::events::Activity) -> Result<()>,
) -> Result<()> {
    let cols: String = COLUMNS
        .split(", ")
        .map(|c| format!("r.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT {cols}, a.* FROM recipients r LEFT JOIN (
            SELECT recipient_id,
                min(CASE WHEN kind='sent' THEN at END),
                min(CASE WHEN kind='delivered' THEN at END),
                max(CASE WHEN kind='bounced' AND coalesce(json_extract(detail,'$.hard'), 1) THEN at END),
                min(CASE WHEN kind='opened' THEN at END),
                min(CASE WHEN kind='clicked' THEN at END),
                min(CASE WHEN kind='claimed' THEN at END),
                sum(kind='opened'), sum(kind='clicked'), sum(kind='downloaded'),
                sum(kind='shared' AND json_extract(detail,'$.network')='linkedin'),
                sum(kind='shared' AND json_extract(detail,'$.network')='facebook'),
                sum(kind='shared' AND json_extract(detail,'$.network')='x'),
                sum(kind='linkedin_added')
            FROM events WHERE certificate_id=?1 GROUP BY recipient_id
         ) a ON a.recipient_id = r.id
         WHERE r.certificate_id=?1 ORDER BY r.id"
    ))?;
    let mut rows = stmt.query([certificate_id])?;
    let n = 12;
    while let Some(r) = rows.next()? {
        let count = |i: usize| -> rusqlite::Result<u64> {
            Ok(r.get::<_, Option<u64>>(n + i)?.unwrap_or(0))
        };
        let activity = crate::db::events::Activity {
            sent_at: r.get(n + 1)?,
            delivered_at: r.get(n + 2)?,
            bounced_at: r.get(n + 3)?,
            opened_at: r.get(n + 4)?,
            clicked_at: r.get(n + 5)?,
            claimed_at: r.get(n + 6)?,
            opens: count(7)?,
            clicks: count(8)?,
            downloads: count(9)?,
            shares_linkedin: count(10)?,
            shares_facebook: count(11)?,
            shares_x: count(12)?,
            linkedin_added: count(13)?,
        };
        f(from_row(r)?, activity)?;
    }
    Ok(())
}
