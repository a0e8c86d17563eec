//! Certificates.

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::model::{Certificate, Status};

const COLUMNS: &str = "id, name, issuer, description, subject_tpl, body_tpl, html_tpl, design_svg, \
                       expires_at, created_at, open_tracking, \
                       reminder_subject_tpl, reminder_body_tpl, renewal_url, \
                       expiry_subject_tpl, expiry_body_tpl, language, follow_browser_language";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Certificate> {
    Ok(Certificate {
        id: r.get(0)?,
        name: r.get(1)?,
        issuer: r.get(2)?,
        description: r.get(3)?,
        subject_tpl: r.get(4)?,
        body_tpl: r.get(5)?,
        html_tpl: r.get(6)?,
        design_svg: r.get(7)?,
        expires_at: r.get(8)?,
        created_at: r.get(9)?,
        open_tracking: r.get(10)?,
        reminder_subject_tpl: r.get(11)?,
        reminder_body_tpl: r.get(12)?,
        renewal_url: r.get(13)?,
        expiry_subject_tpl: r.get(14)?,
        expiry_body_tpl: r.get(15)?,
        language: r.get(16)?,
        follow_browser_language: r.get(17)?,
    })
}

/// The lookup key of a certificate name: case-insensitive, surrounding space ignored.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The name as stored and its lookup key ([`name_key`]).
fn names(c: &Certificate) -> [String; 2] {
    [c.name.trim().to_owned(), name_key(&c.name)]
}

/// The editable columns of `c` in the order `insert` and `update` name them; `names` is
/// [`names`] of `c`.
fn editable<'a>(c: &'a Certificate, names: &'a [String; 2]) -> [&'a dyn ToSql; 12] {
    [
        &names[0],
        &names[1],
        &c.issuer,
        &c.description,
        &c.subject_tpl,
        &c.body_tpl,
        &c.html_tpl,
        &c.design_svg,
        &c.expires_at,
        &c.open_tracking,
        &c.language,
        &c.follow_browser_language,
    ]
}

/// Insert a certificate; its name must be unique (case-insensitively).
pub fn insert(conn: &Connection, c: &Certificate) -> Result<i64> {
    if find_by_name(conn, &c.name)?.is_some() {
        bail!(
            "a certificate named '{}' already exists (names are case-insensitive)",
            c.name.trim()
        );
    }
    let names = names(c);
    let mut values = editable(c, &names).to_vec();
    values.push(&c.created_at);
    conn.execute(
        "INSERT INTO certificates (name, name_key, issuer, description, subject_tpl, body_tpl, \
         html_tpl, design_svg, expires_at, open_tracking, language, follow_browser_language, \
         created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
        values.as_slice(),
    )?;
    Ok(conn.last_insert_rowid())
}

/// Save every editable column of `c`.
pub fn update(conn: &Connection, c: &Certificate) -> Result<()> {
    if let Some(other) = find_by_name(conn, &c.name)?
        && other.id != c.id
    {
        bail!("a certificate named '{}' already exists", other.name);
    }
    let names = names(c);
    let mut values = editable(c, &names).to_vec();
    values.push(&c.id);
    conn.execute(
        "UPDATE certificates SET name=?1, name_key=?2, issuer=?3, description=?4, subject_tpl=?5, \
         body_tpl=?6, html_tpl=?7, design_svg=?8, expires_at=?9, open_tracking=?10, \
         language=?11, follow_browser_language=?12 WHERE id=?13",
        values.as_slice(),
    )?;
    Ok(())
}

/// Save a certificate's reminder and expiry-notice templates and renewal link.
pub fn update_reminders(conn: &Connection, c: &Certificate) -> Result<()> {
    conn.execute(
        "UPDATE certificates SET reminder_subject_tpl=?2, reminder_body_tpl=?3, renewal_url=?4, \
         expiry_subject_tpl=?5, expiry_body_tpl=?6 WHERE id=?1",
        params![
            c.id,
            c.reminder_subject_tpl,
            c.reminder_body_tpl,
            c.renewal_url,
            c.expiry_subject_tpl,
            c.expiry_body_tpl
        ],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM certificates WHERE id=?1", [id])?;
    Ok(())
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<Certificate>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM certificates WHERE name_key=?1"),
            [name_key(name)],
            from_row,
        )
        .optional()?)
}

/// A certificate named by its name (case-insensitive) or its numeric id.
pub fn find(conn: &Connection, key: &str) -> Result<Certificate> {
    if let Some(c) = find_by_name(conn, key)? {
        return Ok(c);
    }
    if let Ok(id) = key.trim().parse::<i64>()
        && let Some(c) = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM certificates WHERE id=?1"),
                [id],
                from_row,
            )
            .optional()?
    {
        return Ok(c);
    }
    bail!("no certificate named '{key}' (`certstat cert list` shows them)")
}

pub fn all(conn: &Connection) -> Result<Vec<Certificate>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM certificates ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Recipients per status, in [`Status::ALL`] order.
pub fn status_counts(conn: &Connection, id: i64) -> Result<[u64; 5]> {
    let mut counts = [0u64; 5];
    crate::db::stats::for_each_group(conn, id, |status, _, _, _, n| {
        counts[Status::ALL.iter().position(|x| *x == status).unwrap_or(0)] += n;
    })?;
    Ok(counts)
}
