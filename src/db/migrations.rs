//! Forward-only schema migrations. The schema version is `PRAGMA user_version`; each step runs
//! in its own immediate transaction. Append new steps; never edit a released one.

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, TransactionBehavior};

/// The SQL that sets every recipient's `activity` flags (see `db::events::flags`) from the event
/// log, as migration 4 backfills them (on flags that are all 0); `db::events::refresh_status` computes the same in Rust
/// at every write. A macro so that the migration can include it in its text.
macro_rules! backfill_activity {
    () => {
        r#"
    UPDATE recipients SET activity = a.bits FROM (
        SELECT recipient_id AS rid,
               max(kind IN ('sent','delivered','delayed','bounced','complained','auto_reply',
                            'opened','clicked'))
             | (max(kind IN ('opened','clicked') AND NOT m) << 1)
             | (max(kind = 'clicked' AND NOT m) << 2)
             | (max(kind IN ('opened','clicked') AND m) << 3)
             | (max(kind = 'clicked' AND m) << 4)
             | (max(kind IN ('shared','downloaded')) << 5)
             | (max(kind = 'linkedin_added') << 6) AS bits
        FROM (SELECT recipient_id, kind,
                     CASE WHEN kind IN ('opened','clicked') AND json_valid(detail)
                          THEN json_type(detail, '$.machine') IS 'true' ELSE 0 END AS m
              FROM events)
        GROUP BY recipient_id
    ) AS a WHERE recipients.id = a.rid;
    UPDATE recipients SET activity = activity | 128
    WHERE status = 'delivered' AND EXISTS (
        SELECT 1 FROM events e WHERE e.recipient_id = recipients.id AND e.at >= recipients.status_at
          AND CASE WHEN e.kind NOT IN ('delivered','opened','clicked','complained','auto_reply') THEN 0
                   WHEN NOT json_valid(e.detail) THEN 1
                   WHEN e.kind = 'delivered' THEN json_extract(e.detail, '$.evidence') IS NOT 'settle'
                   ELSE json_type(e.detail, '$.machine') IS NOT 'true' END);
    "#
    };
}

/// [`backfill_activity!`] as a string: after `UPDATE recipients SET activity = 0`, recompute
/// every recipient's `activity` from the events (the tests' independent computation).
pub const BACKFILL_ACTIVITY: &str = backfill_activity!();

/// Step N (1-based) brings the schema from version N-1 to N.
pub const MIGRATIONS: &[&str] = &[
    // 1: certificates, recipients, the event log, and what `refresh` has read.
    r#"
    CREATE TABLE certificates (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        name_key     TEXT NOT NULL UNIQUE,
        issuer       TEXT NOT NULL DEFAULT '',
        description  TEXT NOT NULL DEFAULT '',
        subject_tpl  TEXT,
        body_tpl     TEXT,
        html_tpl     TEXT,
        design_svg   TEXT,
        expires_at   TEXT,
        created_at   TEXT NOT NULL
    );

    CREATE TABLE recipients (
        id              INTEGER PRIMARY KEY,
        certificate_id  INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
        email           TEXT NOT NULL,
        email_key       TEXT NOT NULL,
        name            TEXT NOT NULL DEFAULT '',
        fields          TEXT NOT NULL DEFAULT '{}',
        uid             TEXT NOT NULL UNIQUE,
        created_at      TEXT NOT NULL,
        -- A cache of model::derive over this recipient's events, kept in the same transaction
        -- as every event insert (db::events::record), so listings and stats stay instant.
        status          TEXT NOT NULL DEFAULT 'not_sent',
        status_at       TEXT NOT NULL,
        status_detail   TEXT NOT NULL DEFAULT '',
        unconfirmed     INTEGER NOT NULL DEFAULT 0,
        revoked         INTEGER NOT NULL DEFAULT 0,
        UNIQUE (certificate_id, email_key)
    );
    CREATE INDEX recipients_status ON recipients(certificate_id, status);

    CREATE TABLE events (
        id              INTEGER PRIMARY KEY,
        certificate_id  INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
        recipient_id    INTEGER NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL,
        at              TEXT NOT NULL,
        source          TEXT NOT NULL,
        detail          TEXT NOT NULL DEFAULT '{}',
        -- Set for events learned from outside (a bounce message, a webhook line): applying
        -- the same thing twice inserts nothing.
        dedup_key       TEXT UNIQUE
    );
    CREATE INDEX events_recipient ON events(recipient_id, at, id);
    CREATE INDEX events_certificate_kind ON events(certificate_id, kind);

    CREATE TABLE inbound_messages (
        hash          TEXT PRIMARY KEY,
        source        TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        recipient_id  INTEGER REFERENCES recipients(id) ON DELETE SET NULL,
        summary       TEXT NOT NULL DEFAULT '{}'
    );
    "#,
    // 2: find a send by its id (X-Certstat-Id, VERP token, Message-ID) when a bounce comes back.
    r#"
    CREATE INDEX events_send_id ON events(json_extract(detail, '$.send_id'));
    "#,
    // 3: the issuer's signing keys (public halves) and the Open Badges credentials they signed.
    r#"
    CREATE TABLE signing_keys (
        kid         TEXT PRIMARY KEY,
        public_jwk  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        retired_at  TEXT
    );

    CREATE TABLE credentials (
        id             INTEGER PRIMARY KEY,
        recipient_id   INTEGER NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
        credential_id  TEXT NOT NULL,
        jwt            TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        kid            TEXT NOT NULL REFERENCES signing_keys(kid)
    );
    CREATE INDEX credentials_recipient ON credentials(recipient_id, id);
    CREATE INDEX credentials_credential_id ON credentials(credential_id, id);
    "#,
    // 4: what each recipient's events show, as bit flags kept at every write (db::events::flags),
    // and one covering index over everything `stats` and `cert list` count: a certificate's
    // figures are one scan of its index entries instead of a pass over its events. Shares count
    // events, so they get a partial index of their own (SQLite keeps it, whoever writes).
    concat!(
        r#"
    ALTER TABLE recipients ADD COLUMN activity INTEGER NOT NULL DEFAULT 0;
    "#,
        backfill_activity!(),
        r#"
    CREATE INDEX recipients_figures ON recipients(certificate_id, status, activity, unconfirmed, revoked);
    CREATE INDEX events_shares ON events(certificate_id, json_extract(detail, '$.network'))
        WHERE kind = 'shared';
    "#
    ),
];

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Bring the database up to [`LATEST`]; refuse one written by a newer certstat.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST {
        bail!(
            "this database has schema version {current}, but this certstat understands only up to \
             version {LATEST}: it was written by a newer certstat; upgrade certstat to use it"
        );
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql)
            .with_context(|| format!("schema migration {version} failed"))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer certstat"), "{err}");
    }
}
