//! A database for unit tests: a file in a temporary directory with one certificate and the
//! recipients asked for.

use rusqlite::Connection;

use crate::model::Certificate;

/// A fresh database file with certificate "C" and one recipient per address (name "R"), and
/// their ids; the directory must outlive the connection.
pub fn with_recipients(emails: &[&str]) -> (tempfile::TempDir, Connection, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let conn = super::open(&dir.path().join("t.db")).unwrap();
    let cert = super::certs::insert(&conn, &Certificate::new("C", "2026-01-01T00:00:00Z")).unwrap();
    let ids = emails
        .iter()
        .map(|email| {
            super::recipients::insert(
                &conn,
                cert,
                email,
                "R",
                &Default::default(),
                "2026-01-01T00:00:00Z",
            )
            .unwrap()
        })
        .collect();
    (dir, conn, ids)
}
