//! The log of `serve`'s "lost your link?" requests (`link_requests`): every request, for any
//! address, and the limits per address and per client counted from it.

use anyhow::Result;
use rusqlite::{Connection, params};
use serde::Serialize;

/// What came of a request.
pub const PENDING: &str = "pending";
/// The address has certificates: their links were mailed (unless limited).
pub const FOUND: &str = "found";
/// No certificate was sent to the address.
pub const UNKNOWN: &str = "unknown";
/// Not an email address.
pub const INVALID: &str = "invalid";
/// The form's CSRF token did not match: nothing looked up, not counted for the limits.
pub const FORGED: &str = "forged";

/// The longest address kept as typed (RFC 5321's limit on a path).
const EMAIL_MAX: usize = 256;

/// A request as it arrives.
pub struct NewRequest<'a> {
    pub at: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub client: &'a str,
    pub forged: bool,
}

/// The limits: at most `per_address` requests for an address and `per_client` from a client
/// since `since`. A request over one limit still counts for the other (a client asking for an
/// address it was refused is still asking); forged requests count for neither.
pub struct Limits<'a> {
    pub since: &'a str,
    pub per_address: usize,
    pub per_client: usize,
}

/// Record a request; its id, and whether it is over the limits. Run it in a write
/// transaction, so that two requests at once cannot both take the last place.
pub fn record(conn: &Connection, r: &NewRequest<'_>, limits: &Limits<'_>) -> Result<(i64, bool)> {
    let count = |column: &str, over: &str, value: &str| -> Result<usize> {
        let n: i64 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM link_requests WHERE {column}=?1 AND at >= ?2 \
                 AND {over}=0 AND outcome != 'forged'"
            ))?
            .query_row(params![value, limits.since], |row| row.get(0))?;
        Ok(n as usize)
    };
    let over_client = !r.forged && count("client", "over_client", r.client)? >= limits.per_client;
    let over_address =
        !r.forged && count("email_key", "over_address", r.email_key)? >= limits.per_address;
    let email: String = r.email.chars().take(EMAIL_MAX).collect();
    conn.prepare_cached(
        "INSERT INTO link_requests (at, email, email_key, client, over_address, over_client, \
         outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        r.at,
        email,
        r.email_key,
        r.client,
        over_address,
        over_client,
        if r.forged { FORGED } else { PENDING }
    ])?;
    Ok((conn.last_insert_rowid(), over_address || over_client))
}

/// What came of a request: `outcome` and how many recipients have the address.
pub fn settle(conn: &Connection, id: i64, outcome: &str, recipients: usize) -> Result<()> {
    conn.prepare_cached("UPDATE link_requests SET outcome=?2, recipients=?3 WHERE id=?1")?
        .execute(params![id, outcome, recipients as i64])?;
    Ok(())
}

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: i64,
    pub at: String,
    pub email: String,
    pub client: String,
    pub limited: bool,
    pub outcome: String,
    pub recipients: i64,
}

/// The requests at or after `since` (all without it), oldest first.
pub fn list(conn: &Connection, since: Option<&str>) -> Result<Vec<Request>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, email, client, over_address OR over_client, outcome, recipients \
         FROM link_requests \
         WHERE ?1 IS NULL OR at >= ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(Request {
            id: r.get(0)?,
            at: r.get(1)?,
            email: r.get(2)?,
            client: r.get(3)?,
            limited: r.get(4)?,
            outcome: r.get(5)?,
            recipients: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limits count the requests within the window that were not limited or forged, per
    /// client and per address, and hold for whoever opens the database next.
    #[test]
    fn limits_count_earlier_requests_per_address_and_client() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let limits = Limits {
            since: "2026-01-01T10:00:00Z",
            per_address: 2,
            per_client: 3,
        };
        fn req<'a>(email: &'a str, client: &'a str, forged: bool, at: &'a str) -> NewRequest<'a> {
            NewRequest {
                at,
                email,
                email_key: email,
                client,
                forged,
            }
        }
        let at = "2026-01-01T10:30:00Z";
        // An hour ago: out of the window.
        record(
            &conn,
            &req("a@x", "c1", false, "2026-01-01T09:59:59Z"),
            &limits,
        )
        .unwrap();
        assert!(
            !record(&conn, &req("a@x", "c1", false, at), &limits)
                .unwrap()
                .1
        );
        assert!(
            !record(&conn, &req("a@x", "c2", true, at), &limits)
                .unwrap()
                .1
        );
        assert!(
            !record(&conn, &req("a@x", "c2", false, at), &limits)
                .unwrap()
                .1
        );
        assert!(
            record(&conn, &req("a@x", "c3", false, at), &limits)
                .unwrap()
                .1,
            "address"
        );
        assert!(
            !record(&conn, &req("b@x", "c1", false, at), &limits)
                .unwrap()
                .1
        );
        assert!(
            !record(&conn, &req("c@x", "c1", false, at), &limits)
                .unwrap()
                .1
        );
        assert!(
            record(&conn, &req("d@x", "c1", false, at), &limits)
                .unwrap()
                .1,
            "client"
        );
        let all = list(&conn, Some(limits.since)).unwrap();
        assert_eq!(all.len(), 7);
        assert_eq!(all.iter().filter(|r| r.limited).count(), 2);
        assert_eq!(all.iter().filter(|r| r.outcome == FORGED).count(), 1);
        settle(&conn, all[0].id, UNKNOWN, 0).unwrap();
        assert_eq!(list(&conn, Some(limits.since)).unwrap()[0].outcome, UNKNOWN);
    }
}
