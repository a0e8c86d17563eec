//! Recipients.

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use crate::model::{Recipient, Status, email_hash, email_key};
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

/// Insert one recipient (Not Sent, with a fresh uid and link token). The caller checks, in the
/// same write transaction, that the address is not on the certificate yet ([`find`]): the
/// address index is on its hash, so that check is what keeps addresses unique.
pub fn insert(
    conn: &Connection,
    certificate_id: i64,
    email: &str,
    name: &str,
    fields: &Map<String, Value>,
    now: &str,
) -> Result<i64> {
    let key = email_key(email);
    let id = Inserter::new(conn, certificate_id, now)?.insert(&NewRecipient {
        email,
        key: &key,
        hash: email_hash(&key),
        name,
        fields: &serde_json::to_string(fields)?,
    })?;
    add_field_keys(conn, certificate_id, fields.keys().map(String::as_str))?;
    Ok(id)
}

/// A recipient for [`Inserter`]: `key` is `email_key(email)`, `hash` is `email_hash(key)` (the
/// caller has them from its duplicate check) and `fields` the JSON object of their fields.
pub struct NewRecipient<'a> {
    pub email: &'a str,
    pub key: &'a str,
    pub hash: i64,
    pub name: &'a str,
    pub fields: &'a str,
}

/// Rows per execution of the inserter's many-row statement: one statement execution opens the
/// table's and indexes' cursors once for all its rows, which is most of a one-row INSERT's cost
/// beside the B-tree work. 64 rows are 386 parameters, well under SQLite's limit.
const ROWS_PER_INSERT: usize = 64;

/// Inserts many recipients of one certificate, in order, with prepared statements (an import):
/// ids count up from the table's highest in insertion order. The caller checks each address
/// first (see [`insert`]) and records the field names with [`add_field_keys`].
pub struct Inserter<'c> {
    one: rusqlite::CachedStatement<'c>,
    many: Option<rusqlite::CachedStatement<'c>>,
    conn: &'c Connection,
    certificate_id: i64,
    now: &'c str,
    uids: tokens::UidSource,
}

/// Columns after `certificate_id` and the time (?1 and ?2, shared by every row): six per row.
const INSERT_COLUMNS: &str = "INSERT INTO recipients (certificate_id, created_at, status_at, \
                              email, email_key, email_hash, name, fields, uid) VALUES ";

impl<'c> Inserter<'c> {
    pub fn new(conn: &'c Connection, certificate_id: i64, now: &'c str) -> Result<Self> {
        Ok(Inserter {
            one: conn.prepare_cached(&insert_sql(1))?,
            many: None,
            conn,
            certificate_id,
            now,
            uids: tokens::UidSource::new(),
        })
    }

    /// Insert one recipient; returns the new id.
    pub fn insert(&mut self, row: &NewRecipient<'_>) -> Result<i64> {
        let stmt = &mut self.one;
        stmt.raw_bind_parameter(1, self.certificate_id)?;
        stmt.raw_bind_parameter(2, self.now)?;
        bind_row(stmt, 3, row, &self.uids.next())?;
        stmt.raw_execute()?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Insert these recipients in order.
    pub fn insert_all(&mut self, rows: &[NewRecipient<'_>]) -> Result<()> {
        let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            if self.many.is_none() {
                self.many = Some(self.conn.prepare_cached(&insert_sql(ROWS_PER_INSERT))?);
            }
            let stmt = self.many.as_mut().expect("prepared above");
            stmt.raw_bind_parameter(1, self.certificate_id)?;
            stmt.raw_bind_parameter(2, self.now)?;
            for (i, row) in chunk.iter().enumerate() {
                bind_row(stmt, 3 + 6 * i, row, &self.uids.next())?;
            }
            stmt.raw_execute()?;
        }
        for row in chunks.remainder() {
            self.insert(row)?;
        }
        Ok(())
    }
}

fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(INSERT_COLUMNS);
    for i in 0..rows {
        let p = 3 + 6 * i;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(?1,?2,?2,?{},?{},?{},?{},?{},?{})",
            p,
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5
        ));
    }
    sql
}

fn bind_row(
    stmt: &mut rusqlite::Statement<'_>,
    first: usize,
    row: &NewRecipient<'_>,
    uid: &str,
) -> Result<()> {
    debug_assert!(row.key == email_key(row.email) && row.hash == email_hash(row.key));
    stmt.raw_bind_parameter(first, row.email.trim())?;
    stmt.raw_bind_parameter(first + 1, row.key)?;
    stmt.raw_bind_parameter(first + 2, row.hash)?;
    stmt.raw_bind_parameter(first + 3, row.name)?;
    stmt.raw_bind_parameter(first + 4, row.fields)?;
    stmt.raw_bind_parameter(first + 5, uid)?;
    Ok(())
}

/// The certificate's recipients by id, for [`for_each_email_hash`]: a read of their rows only.
const EMAIL_HASHES: &str = "SELECT email_hash, id FROM recipients INDEXED BY recipients_certificate WHERE certificate_id=?1";

/// Call `f` with the `email_hash` and id of every recipient of a certificate.
pub fn for_each_email_hash(
    conn: &Connection,
    certificate_id: i64,
    mut f: impl FnMut(i64, i64),
) -> Result<()> {
    let mut stmt = conn.prepare(EMAIL_HASHES)?;
    let mut rows = stmt.query([certificate_id])?;
    while let Some(row) = rows.next()? {
        f(row.get(0)?, row.get(1)?);
    }
    Ok(())
}

/// The address index, dropped by [`drop_email_index`]: the statement that created it, as the
/// schema stores it, so that [`create_email_index`] builds exactly the same index again.
pub struct DroppedEmailIndex(String);

/// Drop the address index inside a large import's transaction, for [`create_email_index`] to
/// build it again from the rows once they are in: one sort instead of a random B-tree insert per
/// row. DDL is transactional, so a rolled-back import leaves the index as it was, and other
/// connections only ever see the committed schema (with the index). Until it is built again,
/// look-ups by address in this transaction scan the table: the caller avoids them.
pub fn drop_email_index(conn: &Connection) -> Result<DroppedEmailIndex> {
    let sql: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type='index' AND name='recipients_email'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch("DROP INDEX recipients_email")?;
    Ok(DroppedEmailIndex(sql))
}

pub fn create_email_index(conn: &Connection, dropped: DroppedEmailIndex) -> Result<()> {
    conn.execute_batch(&dropped.0)?;
    Ok(())
}

/// A recipient of certificate ?1 by address: ?2 is its `email_hash`, ?3 its `email_key`.
const BY_ADDRESS: &str = "certificate_id=?1 AND email_hash=?2 AND email_key=?3";

pub fn find(conn: &Connection, certificate_id: i64, email: &str) -> Result<Option<Recipient>> {
    let key = email_key(email);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM recipients WHERE {BY_ADDRESS}"
    ))?;
    Ok(stmt
        .query_row(params![certificate_id, email_hash(&key), key], from_row)
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

/// Update name and fields of `prev`. When their field names change (added, removed or
/// reordered), the certificate's kept union of field names may no longer be exact: it is
/// forgotten, for [`settle_field_keys`] to recompute.
pub fn update_details(
    conn: &Connection,
    prev: &Recipient,
    name: &str,
    fields: &Map<String, Value>,
) -> Result<()> {
    conn.prepare_cached("UPDATE recipients SET name=?2, fields=?3 WHERE id=?1")?
        .execute(params![prev.id, name, serde_json::to_string(fields)?])?;
    if !prev.fields.keys().eq(fields.keys()) {
        forget_field_keys(conn, prev.certificate_id)?;
    }
    Ok(())
}

/// Change the address (the caller checks that it is free on the certificate, and records the
/// `edited` event).
pub fn update_email(conn: &Connection, id: i64, email: &str) -> Result<()> {
    let key = email_key(email);
    conn.execute(
        "UPDATE recipients SET email=?2, email_key=?3, email_hash=?4 WHERE id=?1",
        params![id, email.trim(), key, email_hash(&key)],
    )?;
    Ok(())
}

/// Delete a recipient (their events go with them). A recipient with fields may have been the
/// only one with some field name: the certificate's union is then forgotten.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE certificates SET field_keys=NULL \
         WHERE id=(SELECT certificate_id FROM recipients WHERE id=?1 AND fields<>'{}')",
        [id],
    )?;
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
    /// Only Pending recipients named by a failure notice that could not be classified.
    pub needs_review: bool,
}

/// Call `f` for each matching recipient, in insertion order, without holding them all in memory.
pub fn for_each(
    conn: &Connection,
    certificate_id: i64,
    filter: &Filter,
    mut f: impl FnMut(Recipient) -> Result<()>,
) -> Result<()> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM recipients INDEXED BY recipients_certificate WHERE certificate_id=?"
    );
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
    if filter.needs_review {
        sql.push_str(" AND status='pending' AND substr(status_detail, 1, ?) = ?");
        args.push(Box::new(crate::model::NEEDS_REVIEW.len() as i64));
        args.push(Box::new(crate::model::NEEDS_REVIEW));
    }
    // The search is matched here rather than by SQLite's LIKE, which folds ASCII letters
    // only and compares code points as they are stored (a name typed with a combining accent
    // would not be found by its composed form).
    let needle = filter.search.as_deref().map(crate::model::search_fold);
    let found = |r: &Recipient| match &needle {
        None => true,
        Some(n) => {
            crate::model::search_fold(&r.email).contains(n.as_str())
                || crate::model::search_fold(&r.name).contains(n.as_str())
        }
    };
    sql.push_str(" ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        let r = from_row(row)?;
        if found(&r) {
            f(r)?;
        }
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

/// Every template field name used by a certificate's recipients, in first-seen order: the
/// union kept in `certificates.field_keys`, or computed from the recipients when it is not.
pub fn field_keys(conn: &Connection, certificate_id: i64) -> Result<Vec<String>> {
    match kept_field_keys(conn, certificate_id)? {
        Some(keys) => Ok(keys),
        None => compute_field_keys(conn, certificate_id),
    }
}

fn kept_field_keys(conn: &Connection, certificate_id: i64) -> Result<Option<Vec<String>>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT field_keys FROM certificates WHERE id=?1")?
        .query_row([certificate_id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(match text {
        Some(t) => Some(serde_json::from_str(&t)?),
        None => None,
    })
}

/// The field names of a certificate's recipients from the recipients themselves: ordered by
/// the first recipient (lowest id) that has each, then by its place in that recipient's fields
/// (`j.id` is a bare column: SQLite takes it from the row of the `min(r.id)`).
pub fn compute_field_keys(conn: &Connection, certificate_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT key FROM (SELECT j.key AS key, min(r.id) AS rid, j.id AS jid \
         FROM recipients r, json_each(r.fields) j WHERE r.certificate_id=?1 GROUP BY j.key) \
         ORDER BY rid, jid",
    )?;
    let rows = stmt.query_map([certificate_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Record the field names of recipients just inserted (in id order): the new ones are appended
/// to the certificate's union, which keeps it in first-seen order since new ids are the highest.
pub fn add_field_keys<'k>(
    conn: &Connection,
    certificate_id: i64,
    keys: impl IntoIterator<Item = &'k str>,
) -> Result<()> {
    // Not kept (forgotten by an update or a removal): settle_field_keys recomputes it.
    let Some(mut union) = kept_field_keys(conn, certificate_id)? else {
        return Ok(());
    };
    let before = union.len();
    for key in keys {
        if !union.iter().any(|k| k == key) {
            union.push(key.to_owned());
        }
    }
    if union.len() > before {
        conn.prepare_cached("UPDATE certificates SET field_keys=?2 WHERE id=?1")?
            .execute(params![certificate_id, serde_json::to_string(&union)?])?;
    }
    Ok(())
}

fn forget_field_keys(conn: &Connection, certificate_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE certificates SET field_keys=NULL WHERE id=?1")?
        .execute([certificate_id])?;
    Ok(())
}

/// Recompute a certificate's union of field names if an update or removal forgot it (called
/// at the end of the command that did, in its transaction).
pub fn settle_field_keys(conn: &Connection, certificate_id: i64) -> Result<()> {
    if kept_field_keys(conn, certificate_id)?.is_none() {
        let keys = compute_field_keys(conn, certificate_id)?;
        conn.prepare_cached("UPDATE certificates SET field_keys=?2 WHERE id=?1")?
            .execute(params![certificate_id, serde_json::to_string(&keys)?])?;
    }
    Ok(())
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
        "SELECT {cols}, a.* FROM recipients r INDEXED BY recipients_certificate LEFT JOIN (
            SELECT recipient_id,
                min(CASE WHEN kind='sent' THEN at END),
                min(CASE WHEN kind='delivered' THEN at END),
                max(CASE WHEN kind='bounced' AND coalesce(json_extract(detail,'$.sender_side'), 0) = 0 AND coalesce(json_extract(detail,'$.needs_review'), 0) = 0 THEN at END),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certificate;
    use serde_json::json;

    fn db() -> (Connection, i64) {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let cert = crate::db::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z"))
            .unwrap();
        (conn, cert)
    }

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn look_ups_by_address_use_the_address_index() {
        let (conn, _) = db();
        for (sql, index) in [
            (
                format!("SELECT {COLUMNS} FROM recipients WHERE {BY_ADDRESS}"),
                "USING INDEX recipients_email (email_hash=? AND certificate_id=?)",
            ),
            (
                EMAIL_HASHES.to_string(),
                "USING INDEX recipients_certificate (certificate_id=?)",
            ),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let n = stmt.parameter_count();
            let args: Vec<i64> = (0..n as i64).collect();
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(plan.iter().any(|p| p.contains(index)), "{sql}: {plan:?}");
        }
    }

    #[test]
    fn find_compares_the_full_address_case_insensitively() {
        let (conn, cert) = db();
        let id = insert(&conn, cert, "Ana@Example.org", "Ana", &Map::new(), "t").unwrap();
        assert_eq!(
            find(&conn, cert, " ana@EXAMPLE.org").unwrap().unwrap().id,
            id
        );
        assert!(find(&conn, cert, "ana2@example.org").unwrap().is_none());
        update_email(&conn, id, "bea@example.org").unwrap();
        assert!(find(&conn, cert, "ana@example.org").unwrap().is_none());
        assert_eq!(
            find(&conn, cert, "BEA@example.org").unwrap().unwrap().id,
            id
        );
    }

    /// The kept union of field names is what the recipients have, in first-seen order, through
    /// inserts, updates and removals.
    #[test]
    fn kept_field_keys_follow_every_write() {
        let (conn, cert) = db();
        let check = |conn: &Connection| {
            settle_field_keys(conn, cert).unwrap();
            assert_eq!(
                kept_field_keys(conn, cert).unwrap().unwrap(),
                compute_field_keys(conn, cert).unwrap()
            );
        };
        assert_eq!(field_keys(&conn, cert).unwrap(), Vec::<String>::new());
        let a = insert(
            &conn,
            cert,
            "a@x.org",
            "A",
            &fields(json!({"b": "1", "a": "2"})),
            "t",
        )
        .unwrap();
        let b = insert(&conn, cert, "b@x.org", "B", &fields(json!({"c": "3"})), "t").unwrap();
        assert_eq!(field_keys(&conn, cert).unwrap(), ["b", "a", "c"]);
        check(&conn);
        // A recipient gains a field another has: the order follows the first recipient with it.
        let ra = by_id(&conn, a).unwrap().unwrap();
        update_details(
            &conn,
            &ra,
            "A",
            &fields(json!({"b": "1", "c": "9", "a": "2"})),
        )
        .unwrap();
        assert!(kept_field_keys(&conn, cert).unwrap().is_none());
        check(&conn);
        assert_eq!(field_keys(&conn, cert).unwrap(), ["b", "c", "a"]);
        // Same names, other values: still kept.
        let ra = by_id(&conn, a).unwrap().unwrap();
        update_details(
            &conn,
            &ra,
            "A2",
            &fields(json!({"b": "0", "c": "0", "a": "0"})),
        )
        .unwrap();
        assert!(kept_field_keys(&conn, cert).unwrap().is_some());
        delete(&conn, a).unwrap();
        check(&conn);
        assert_eq!(field_keys(&conn, cert).unwrap(), ["c"]);
        delete(&conn, b).unwrap();
        check(&conn);
        assert_eq!(field_keys(&conn, cert).unwrap(), Vec::<String>::new());
    }
}
