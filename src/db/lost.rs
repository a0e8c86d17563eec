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

/// Requests are kept this long: the log stays bounded however many clients ask.
pub const KEEP_DAYS: u32 = 90;

/// Every this many requests, the ones older than [`KEEP_DAYS`] are deleted.
const PRUNE_EVERY: i64 = 1000;

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
    let id = conn.last_insert_rowid();
    if id % PRUNE_EVERY == 0 {
        conn.prepare_cached(&format!(
            "DELETE FROM link_requests WHERE at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, '-{KEEP_DAYS} days')"
        ))?
        .execute([r.at])?;
    }
    Ok((id, over_address || over_client))
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

    /// Requests older than the kept period are deleted as new ones arrive; recent ones stay.
    #[test]
    fn the_log_keeps_only_the_recent_months() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let limits = Limits {
            since: "2026-12-01T00:00:00Z",
            per_address: 3,
            per_client: 10,
        };
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM link_requests", [], |r| r.get(0))
                .unwrap()
        };
        for i in 0..PRUNE_EVERY - 1 {
            let (email, client) = (format!("old{i}@x"), format!("c{i}"));
            // Half of them a year old, half a month old.
            let at = if i % 2 == 0 {
                "2025-12-01T00:00:00Z"
            } else {
                "2026-11-01T00:00:00Z"
            };
            let r = NewRequest {
                at,
                email: &email,
                email_key: &email,
                client: &client,
                forged: false,
            };
            record(&conn, &r, &limits).unwrap();
        }
        assert_eq!(count(&conn), PRUNE_EVERY - 1);
        let r = NewRequest {
            at: "2026-12-02T00:00:00Z",
            email: "new@x",
            email_key: "new@x",
            client: "c",
            forged: false,
        };
        record(&conn, &r, &limits).unwrap();
        assert_eq!(
            count(&conn),
            (PRUNE_EVERY - 1) / 2 + 1,
            "the year-old half is gone"
        );
        let oldest: String = conn
            .query_row("SELECT min(at) FROM link_requests", [], |r| r.get(0))
            .unwrap();
        assert_eq!(oldest, "2026-11-01T00:00:00Z");
    }

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
