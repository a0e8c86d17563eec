//! Forward-only schema migrations. The schema version is `PRAGMA user_version`; each step runs
//! in its own immediate transaction. Append new steps; never edit a released one.

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::email_hash;

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

/// The recipients `recipients_figures` holds since migration 7: those with something to count
/// beyond plain Not Sent. A query must repeat this condition word for word for SQLite to use the
/// partial index (`db::stats::for_each_group` does), so both take it from here.
macro_rules! beyond_plain_not_sent {
    () => {
        "status <> 'not_sent' OR activity <> 0 OR unconfirmed <> 0 OR revoked <> 0"
    };
}
pub(crate) use beyond_plain_not_sent;

/// One piece of a migration: SQL, or a step in Rust for what SQL cannot compute.
pub enum Part {
    Sql(&'static str),
    Rust(fn(&Connection) -> Result<()>),
}

/// Step N (1-based) brings the schema from version N-1 to N; its parts run in order, in one
/// transaction.
pub const MIGRATIONS: &[&[Part]] = &[
    // 1: certificates, recipients, the event log, and what `refresh` has read.
    &[Part::Sql(
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
    )],
    // 2: find a send by its id (X-Certstat-Id, VERP token, Message-ID) when a bounce comes back.
    &[Part::Sql(
        r#"
    CREATE INDEX events_send_id ON events(json_extract(detail, '$.send_id'));
    "#,
    )],
    // 3: the issuer's signing keys (public halves) and the Open Badges credentials they signed.
    &[Part::Sql(
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
    )],
    // 4: what each recipient's events show, as bit flags kept at every write (db::events::flags),
    // and one covering index over everything `stats` and `cert list` count: a certificate's
    // figures are one scan of its index entries instead of a pass over its events. Shares count
    // events, so they get a partial index of their own (SQLite keeps it, whoever writes).
    &[Part::Sql(concat!(
        r#"
    ALTER TABLE recipients ADD COLUMN activity INTEGER NOT NULL DEFAULT 0;
    "#,
        backfill_activity!(),
        r#"
    CREATE INDEX recipients_figures ON recipients(certificate_id, status, activity, unconfirmed, revoked);
    CREATE INDEX events_shares ON events(certificate_id, json_extract(detail, '$.network'))
        WHERE kind = 'shared';
    "#
    ))],
    // 5: imports at the speed of the disk. The address index `UNIQUE (certificate_id, email_key)`
    // took a random insert per recipient into a B-tree of whole addresses (larger than any page
    // cache for a big certificate); it becomes `recipients_email (certificate_id, email_hash)`,
    // an 8-byte key (`model::email_hash`), which keeps every look-up by address indexed while
    // staying small enough to be cached. Uniqueness of the full address per certificate is kept
    // by the code that writes addresses (`db::recipients`: every insert and address change checks
    // it in its write transaction). `recipients_status` goes: `recipients_figures` begins with
    // the same columns; `recipients_certificate` lists a certificate's recipients in id order
    // without a sort (listings and exports). And each certificate keeps the union of its recipients' field names
    // (`field_keys`, a JSON array in first-seen order; NULL when it must be recomputed), so an
    // export's header needs no pass over every recipient.
    &[
        Part::Sql(
            r#"
    CREATE TABLE recipients_new (
        id              INTEGER PRIMARY KEY,
        certificate_id  INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
        email           TEXT NOT NULL,
        email_key       TEXT NOT NULL,
        name            TEXT NOT NULL DEFAULT '',
        fields          TEXT NOT NULL DEFAULT '{}',
        uid             TEXT NOT NULL UNIQUE,
        created_at      TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'not_sent',
        status_at       TEXT NOT NULL,
        status_detail   TEXT NOT NULL DEFAULT '',
        unconfirmed     INTEGER NOT NULL DEFAULT 0,
        revoked         INTEGER NOT NULL DEFAULT 0,
        activity        INTEGER NOT NULL DEFAULT 0,
        -- model::email_hash(email_key); unique per certificate only together with email_key.
        email_hash      INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO recipients_new (id, certificate_id, email, email_key, name, fields, uid,
            created_at, status, status_at, status_detail, unconfirmed, revoked, activity)
        SELECT id, certificate_id, email, email_key, name, fields, uid,
            created_at, status, status_at, status_detail, unconfirmed, revoked, activity
        FROM recipients ORDER BY id;
    DROP TABLE recipients;
    ALTER TABLE recipients_new RENAME TO recipients;
    CREATE INDEX recipients_figures ON recipients(certificate_id, status, activity, unconfirmed, revoked);
    CREATE INDEX recipients_certificate ON recipients(certificate_id);
    ALTER TABLE certificates ADD COLUMN field_keys TEXT DEFAULT '[]';
    UPDATE certificates SET field_keys = (
        SELECT json_group_array(key ORDER BY rid, jid) FROM (
            SELECT j.key AS key, min(r.id) AS rid, j.id AS jid
            FROM recipients r, json_each(r.fields) j
            WHERE r.certificate_id = certificates.id GROUP BY j.key));
    "#,
        ),
        Part::Rust(fill_email_hashes),
        Part::Sql(
            r#"
    CREATE INDEX recipients_email ON recipients(certificate_id, email_hash);
    "#,
        ),
    ],
    // 6: events that carry no key stay out of the indexes of keys. SQLite indexes NULLs, so
    // every event (an open, a click) added an entry to `dedup_key`'s UNIQUE index and one to
    // `events_send_id`, though only events learned from outside have a dedup key and only
    // `send`'s have a send id: two B-tree inserts of the writer's five per open pixel. Both
    // become partial indexes over the events that have a key. The UNIQUE column constraint
    // can only go by rebuilding the table (SQLite's procedure for other schema changes,
    // foreign keys off; `migrate_to`); its uniqueness is kept by `events_dedup_key`, which
    // `INSERT OR IGNORE` honours as it did the column's. The other indexes are created again
    // as they were.
    &[Part::Sql(
        r#"
    CREATE TABLE events_new (
        id              INTEGER PRIMARY KEY,
        certificate_id  INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
        recipient_id    INTEGER NOT NULL REFERENCES recipients(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL,
        at              TEXT NOT NULL,
        source          TEXT NOT NULL,
        detail          TEXT NOT NULL DEFAULT '{}',
        -- Set for events learned from outside (a bounce message, a webhook line): applying
        -- the same thing twice inserts nothing (unique by events_dedup_key).
        dedup_key       TEXT
    );
    INSERT INTO events_new (id, certificate_id, recipient_id, kind, at, source, detail, dedup_key)
        SELECT id, certificate_id, recipient_id, kind, at, source, detail, dedup_key
        FROM events ORDER BY id;
    DROP TABLE events;
    ALTER TABLE events_new RENAME TO events;
    CREATE UNIQUE INDEX events_dedup_key ON events(dedup_key) WHERE dedup_key IS NOT NULL;
    CREATE INDEX events_recipient ON events(recipient_id, at, id);
    CREATE INDEX events_certificate_kind ON events(certificate_id, kind);
    CREATE INDEX events_send_id ON events(json_extract(detail, '$.send_id'))
        WHERE json_extract(detail, '$.send_id') IS NOT NULL;
    CREATE INDEX events_shares ON events(certificate_id, json_extract(detail, '$.network'))
        WHERE kind = 'shared';
    "#,
    )],
    // 7: two cheaper recipient indexes for large imports. `recipients_figures` holds only
    // recipients with something to count beyond Not Sent (`db::stats::for_each_group` counts
    // the rest from `recipients_certificate`): a recipient enters it when first sent, so an
    // import of new recipients keeps one index fewer per row. `recipients_email` leads with the
    // hash: a large import builds it by sorting, and keys that differ in their first column sort
    // several times faster in SQLite than keys that share it (one certificate's); a look-up by
    // address gives both columns, or (a bounce for any certificate) only the hash.
    &[Part::Sql(concat!(
        r#"
    DROP INDEX recipients_figures;
    CREATE INDEX recipients_figures ON recipients(certificate_id, status, activity, unconfirmed, revoked)
        WHERE "#,
        beyond_plain_not_sent!(),
        r#";
    DROP INDEX recipients_email;
    CREATE INDEX recipients_email ON recipients(email_hash, certificate_id);
    "#,
    ))],
    // 8: a certificate may send its messages without the open pixel.
    &[Part::Sql(
        r#"
    ALTER TABLE certificates ADD COLUMN open_tracking INTEGER NOT NULL DEFAULT 1;
    "#,
    )],
    // 9: public credential ids of 128 random bits. Until now a recipient's public id was their
    // uid (a timestamp and a counter, so one import's ids were neighbours); a recipient now gets
    // a random `public_id` when their credential is first issued (`db::credentials::public_id`).
    // Recipients already there keep their uid as public id, so links already published keep
    // resolving. Recipients without one (never issued) stay out of the index.
    &[Part::Sql(
        r#"
    ALTER TABLE recipients ADD COLUMN public_id TEXT;
    UPDATE recipients SET public_id = uid;
    CREATE UNIQUE INDEX recipients_public_id ON recipients(public_id) WHERE public_id IS NOT NULL;
    "#,
    )],
    // 10: each recipient's index in the issuer's Bitstring Status List (revocation), allocated
    // once, when their Data Integrity credential is first made, and never reused.
    &[Part::Sql(
        r#"
    CREATE TABLE credential_status (
        recipient_id INTEGER PRIMARY KEY REFERENCES recipients(id) ON DELETE CASCADE,
        status_index INTEGER NOT NULL UNIQUE CHECK (status_index >= 0)
    );
    "#,
    )],
    // 11: certificate and recipient ids are never reused. With a plain INTEGER PRIMARY KEY,
    // SQLite gives a new row max(id)+1, so deleting the newest certificate or recipient handed
    // its id to the next one: `send 3` in a crontab could reach another certificate, and a
    // deleted recipient's link (their id under the link MAC) would open a new recipient's page.
    // AUTOINCREMENT keeps the highest id ever used in `sqlite_sequence`. A column's key kind
    // can only change by rebuilding its table (SQLite's procedure, foreign keys off in
    // `migrate_to`): every column, row and index is kept as it was.
    &[Part::Sql(concat!(
        r#"
    CREATE TABLE certificates_new (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        name           TEXT NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,
        issuer         TEXT NOT NULL DEFAULT '',
        description    TEXT NOT NULL DEFAULT '',
        subject_tpl    TEXT,
        body_tpl       TEXT,
        html_tpl       TEXT,
        design_svg     TEXT,
        expires_at     TEXT,
        created_at     TEXT NOT NULL,
        field_keys     TEXT DEFAULT '[]',
        open_tracking  INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO certificates_new (id, name, name_key, issuer, description, subject_tpl,
            body_tpl, html_tpl, design_svg, expires_at, created_at, field_keys, open_tracking)
        SELECT id, name, name_key, issuer, description, subject_tpl,
            body_tpl, html_tpl, design_svg, expires_at, created_at, field_keys, open_tracking
        FROM certificates ORDER BY id;
    DROP TABLE certificates;
    ALTER TABLE certificates_new RENAME TO certificates;

    CREATE TABLE recipients_new (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        certificate_id  INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
        email           TEXT NOT NULL,
        email_key       TEXT NOT NULL,
        name            TEXT NOT NULL DEFAULT '',
        fields          TEXT NOT NULL DEFAULT '{}',
        uid             TEXT NOT NULL UNIQUE,
        created_at      TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'not_sent',
        status_at       TEXT NOT NULL,
        status_detail   TEXT NOT NULL DEFAULT '',
        unconfirmed     INTEGER NOT NULL DEFAULT 0,
        revoked         INTEGER NOT NULL DEFAULT 0,
        activity        INTEGER NOT NULL DEFAULT 0,
        -- model::email_hash(email_key); unique per certificate only together with email_key.
        email_hash      INTEGER NOT NULL DEFAULT 0,
        public_id       TEXT
    );
    INSERT INTO recipients_new (id, certificate_id, email, email_key, name, fields, uid,
            created_at, status, status_at, status_detail, unconfirmed, revoked, activity,
            email_hash, public_id)
        SELECT id, certificate_id, email, email_key, name, fields, uid,
            created_at, status, status_at, status_detail, unconfirmed, revoked, activity,
            email_hash, public_id
        FROM recipients ORDER BY id;
    DROP TABLE recipients;
    ALTER TABLE recipients_new RENAME TO recipients;
    CREATE INDEX recipients_certificate ON recipients(certificate_id);
    CREATE INDEX recipients_figures ON recipients(certificate_id, status, activity, unconfirmed, revoked)
        WHERE "#,
        beyond_plain_not_sent!(),
        r#";
    CREATE INDEX recipients_email ON recipients(email_hash, certificate_id);
    CREATE UNIQUE INDEX recipients_public_id ON recipients(public_id) WHERE public_id IS NOT NULL;
    "#,
    ))],
    // 12: reminders and the suppression list. `suppressions` holds what the organiser decided
    // about an address (`add`: never mail it; `remove`: mail it again despite its bounces,
    // complaints and unsubscribes recorded before `at`); the rest of the list is derived from
    // the event log. A certificate may have its own reminder templates and a renewal link.
    &[Part::Sql(
        r#"
    CREATE TABLE suppressions (
        email_key TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    ALTER TABLE certificates ADD COLUMN reminder_subject_tpl TEXT;
    ALTER TABLE certificates ADD COLUMN reminder_body_tpl TEXT;
    ALTER TABLE certificates ADD COLUMN renewal_url TEXT;
    CREATE INDEX events_kind_at ON events(kind, at)
        WHERE kind IN ('bounced', 'complained', 'unsubscribed');
    "#,
    )],
    // 13: provider events are matched to the recipient of an earlier event by the provider's
    // message id: an index on it keeps `events import` linear (a scan per event before).
    &[Part::Sql(
        r#"
    CREATE INDEX events_provider_message_id ON events(json_extract(detail, '$.provider_message_id'))
        WHERE json_extract(detail, '$.provider_message_id') IS NOT NULL;
    "#,
    )],
    // 14: every request of `serve`'s "lost your link?" page, for any address (one with no
    // certificate too, which has no recipient to hold an event): when, the address as typed,
    // the client, whether it was over the limit per address or per client, and what came of
    // it. The limits are counted from it (a request over one limit still counts for the
    // other), so they hold across restarts of `serve`. A
    // certificate may have its own expiry-notice templates.
    &[Part::Sql(
        r#"
    CREATE TABLE link_requests (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL,
        client TEXT NOT NULL,
        over_address INTEGER NOT NULL CHECK (over_address IN (0, 1)),
        over_client INTEGER NOT NULL CHECK (over_client IN (0, 1)),
        outcome TEXT NOT NULL
            CHECK (outcome IN ('pending', 'found', 'unknown', 'invalid', 'forged')),
        recipients INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX link_requests_email ON link_requests(email_key, at);
    CREATE INDEX link_requests_client ON link_requests(client, at);
    ALTER TABLE certificates ADD COLUMN expiry_subject_tpl TEXT;
    ALTER TABLE certificates ADD COLUMN expiry_body_tpl TEXT;
    "#,
    )],
    // 15: a certificate's language (`cert create|edit --language`; NULL is `[l10n]
    // default_language`), and whether its recipient pages follow the browser's language.
    &[Part::Sql(
        r#"
    ALTER TABLE certificates ADD COLUMN language TEXT;
    ALTER TABLE certificates ADD COLUMN follow_browser_language INTEGER NOT NULL DEFAULT 0;
    "#,
    )],
    // 16: the same index of bounces, complaints and unsubscribes, its condition written so that
    // an insert tests it by comparisons: SQLite evaluates an IN list of three or more by
    // building a temporary table, at every inserted event (a fifth of a send's recording).
    // Queries spell the condition as it is written here, so that they can use the index.
    &[Part::Sql(
        r#"
    DROP INDEX events_kind_at;
    CREATE INDEX events_kind_at ON events(kind, at)
        WHERE kind IN ('bounced', 'complained') OR kind = 'unsubscribed';
    "#,
    )],
    // 17: address keys composed (NFC) and with the domain in its DNS form
    // (`model::email_key`), so that one mailbox typed two ways is one recipient.
    &[Part::Rust(rekey_addresses)],
];

/// Migration 17: recompute the address keys that [`crate::model::email_key`] now writes
/// differently (only addresses outside ASCII, or with an `xn--` domain). A key that would make
/// two recipients of one certificate, or two suppressions, the same address keeps its old
/// value: nothing is merged or lost; the two stay apart as they were.
fn rekey_addresses(conn: &Connection) -> Result<()> {
    let changed = |email: &str, key: &str| {
        let new = crate::model::email_key(email);
        (new != key).then_some(new)
    };
    let mut rows: Vec<(i64, i64, String, String)> = Vec::new();
    {
        let mut read = conn.prepare(
            "SELECT id, certificate_id, email, email_key FROM recipients \
             WHERE email GLOB '*[^ -~]*' OR email_key LIKE '%xn--%'",
        )?;
        let mut q = read.query([])?;
        while let Some(r) = q.next()? {
            rows.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    let mut taken = conn.prepare(
        "SELECT 1 FROM recipients WHERE certificate_id=?1 AND email_hash=?2 AND email_key=?3",
    )?;
    let mut write =
        conn.prepare("UPDATE recipients SET email_key=?2, email_hash=?3 WHERE id=?1")?;
    for (id, certificate_id, email, key) in rows {
        let Some(new) = changed(&email, &key) else {
            continue;
        };
        let hash = email_hash(&new);
        if taken.exists(params![certificate_id, hash, new])? {
            continue;
        }
        write.execute(params![id, new, hash])?;
    }
    let mut suppressed: Vec<(String, String)> = Vec::new();
    {
        let mut read = conn.prepare(
            "SELECT email, email_key FROM suppressions \
             WHERE email GLOB '*[^ -~]*' OR email_key LIKE '%xn--%'",
        )?;
        let mut q = read.query([])?;
        while let Some(r) = q.next()? {
            suppressed.push((r.get(0)?, r.get(1)?));
        }
    }
    for (email, key) in suppressed {
        if let Some(new) = changed(&email, &key) {
            conn.execute(
                "UPDATE OR IGNORE suppressions SET email_key=?2 WHERE email_key=?1",
                params![key, new],
            )?;
        }
    }
    Ok(())
}

/// Migration 5: every recipient's `email_hash`, in id order (before its index exists).
fn fill_email_hashes(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare("SELECT id, email_key FROM recipients ORDER BY id")?;
    let mut write = conn.prepare("UPDATE recipients SET email_hash=?2 WHERE id=?1")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let key: String = row.get(1)?;
        write.execute(params![id, email_hash(&key)])?;
    }
    Ok(())
}

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Bring the database up to [`LATEST`]; refuse one written by a newer certstat.
///
/// Migrations run with foreign-key enforcement off (so that a table can be rebuilt without its
/// `ON DELETE` actions firing, as SQLite's documented procedure for schema changes does) and
/// check every foreign key before they commit.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST {
        bail!(
            "this database has schema version {current}, but this certstat understands only up to \
             version {LATEST}: it was written by a newer certstat; upgrade certstat to use it"
        );
    }
    if current == LATEST {
        return Ok(());
    }
    migrate_to(conn, current, LATEST)
}

/// Run migrations `current + 1 ..= target`, each in its own write transaction.
fn migrate_to(conn: &Connection, current: i64, target: i64) -> Result<()> {
    let _enforcement_off = super::Pragma::set(conn, "foreign_keys", false)?;
    for (index, parts) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        super::write(conn, |tx| run_step(tx, index as i64 + 1, parts))?;
    }
    Ok(())
}

/// Migration `version` inside its transaction.
fn run_step(tx: &Connection, version: i64, parts: &[Part]) -> Result<()> {
    // Another process may have migrated while we waited for the write lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if now >= version {
        return Ok(());
    }
    for part in parts {
        let done: Result<()> = match part {
            Part::Sql(sql) => tx.execute_batch(sql).map_err(Into::into),
            Part::Rust(step) => step(tx),
        };
        done.with_context(|| format!("schema migration {version} failed"))?;
    }
    let broken: Option<String> = tx
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()?;
    if let Some(table) = broken {
        bail!("schema migration {version} failed: it left a broken reference in {table}");
    }
    tx.pragma_update(None, "user_version", version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ids_keep_the_uids_of_existing_recipients_and_start_empty_for_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        let at = MIGRATIONS
            .iter()
            .position(|m| {
                m.iter()
                    .any(|p| matches!(p, Part::Sql(s) if s.contains("ADD COLUMN public_id")))
            })
            .unwrap() as i64;
        migrate_to(&conn, 0, at).unwrap();
        conn.execute_batch(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'C', 'c', 't');
             INSERT INTO recipients (id, certificate_id, email, email_key, email_hash, uid, created_at, status, status_at)
             VALUES (1, 1, 'a@x.org', 'a@x.org', 'h', '0123456789abcdef0123456789abcdef', 't', 'claimed', 't');",
        )
        .unwrap();
        migrate_to(&conn, at, at + 1).unwrap();
        let old: Option<String> = conn
            .query_row("SELECT public_id FROM recipients WHERE id=1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(old.as_deref(), Some("0123456789abcdef0123456789abcdef"));
        conn.execute(
            "INSERT INTO recipients (id, certificate_id, email, email_key, email_hash, uid, created_at, status, status_at)
             VALUES (2, 1, 'b@x.org', 'b@x.org', 'h2', 'ffff', 't', 'not_sent', 't')",
            [],
        )
        .unwrap();
        let new: Option<String> = conn
            .query_row("SELECT public_id FROM recipients WHERE id=2", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(new, None);
    }

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

    /// A version-4 database with recipients, fields and events, migrated to 5: nothing lost,
    /// every address hashed and indexed, each certificate's field names kept.
    #[test]
    fn migration_5_rebuilds_recipients_from_a_version_4_database() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate_to(&conn, 0, 4).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO certificates (id, name, name_key, created_at) VALUES
                (1, 'A', 'a', 't'), (2, 'B', 'b', 't'), (3, 'Empty', 'empty', 't');
            INSERT INTO recipients (id, certificate_id, email, email_key, name, fields, uid,
                    created_at, status, status_at, activity) VALUES
                (1, 1, 'Ana@X.org', 'ana@x.org', 'Ana', '{"grade":"A","course":"R"}', 'u1', 't', 'sent', 't2', 1),
                (2, 1, 'bo@x.org', 'bo@x.org', 'Bo', '{"course":"S","room":"3"}', 'u2', 't', 'not_sent', 't', 0),
                (5, 2, 'ana@x.org', 'ana@x.org', '', '{}', 'u5', 't', 'not_sent', 't', 0);
            INSERT INTO events (certificate_id, recipient_id, kind, at, source) VALUES
                (1, 1, 'sent', 't2', 'test');
            INSERT INTO credentials (recipient_id, credential_id, jwt, issued_at, kid)
                SELECT 1, 'c', 'j', 't', 'k' WHERE 0;
            "#,
        )
        .unwrap();
        migrate_to(&conn, 4, 5).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 5);
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are enforced again after migrating");
        let rows: Vec<(i64, i64, String, i64, String, i64)> = conn
            .prepare(
                "SELECT id, certificate_id, email_key, email_hash, status, activity \
                 FROM recipients ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows.len(), 3);
        for (_, _, key, hash, _, _) in &rows {
            assert_eq!(*hash, email_hash(key));
        }
        assert_eq!((rows[0].4.as_str(), rows[0].5), ("sent", 1));
        assert_eq!(rows[2].0, 5);
        let events: i64 = conn
            .query_row(
                "SELECT count(*) FROM events WHERE recipient_id=1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(events, 1, "rebuilding the table deletes no events");
        let keys = |id: i64| -> String {
            conn.query_row(
                "SELECT field_keys FROM certificates WHERE id=?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(keys(1), r#"["grade","course","room"]"#);
        assert_eq!(keys(2), "[]");
        assert_eq!(keys(3), "[]");
        let indexes: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name='recipients' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            indexes,
            [
                "recipients_certificate",
                "recipients_email",
                "recipients_figures",
                "sqlite_autoindex_recipients_1"
            ]
        );
        // Cascades still work on the rebuilt table.
        conn.execute("DELETE FROM recipients WHERE id=1", [])
            .unwrap();
        let events: i64 = conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, 0);
        assert_eq!(
            crate::db::recipients::field_keys(&conn, 1).unwrap().len(),
            3
        );
    }

    /// Every event row, column by column, as text.
    fn all_events(conn: &Connection) -> Vec<Vec<String>> {
        conn.prepare("SELECT * FROM events ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                (0..8)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                            v => v.as_str()?.to_owned(),
                        })
                    })
                    .collect()
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn index_sql(conn: &Connection) -> Vec<(String, Option<String>)> {
        conn.prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type='index' AND tbl_name='events' \
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// A version-5 database with events of every shape, migrated to 6: the same rows and ids,
    /// the key indexes partial, a repeated dedup key still refused, references and cascades
    /// intact.
    #[test]
    fn migration_6_rebuilds_events_from_a_version_5_database() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate_to(&conn, 0, 5).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO certificates (id, name, name_key, created_at) VALUES
                (1, 'A', 'a', 't'), (2, 'B', 'b', 't');
            INSERT INTO recipients (id, certificate_id, email, email_key, uid, created_at,
                    status, status_at, email_hash) VALUES
                (1, 1, 'a@x.org', 'a@x.org', 'u1', 't', 'sent', 't', 1),
                (2, 1, 'b@x.org', 'b@x.org', 'u2', 't', 'sent', 't', 2),
                (3, 2, 'c@x.org', 'c@x.org', 'u3', 't', 'not_sent', 't', 3);
            INSERT INTO events (id, certificate_id, recipient_id, kind, at, source, detail, dedup_key) VALUES
                (1, 1, 1, 'send_attempt', 't1', 'send', '{"send_id":"s1"}', NULL),
                (2, 1, 1, 'sent', 't2', 'send', '{"send_id":"s1","message_id":"s1@x"}', NULL),
                (4, 1, 2, 'sent', 't2', 'send', '{"send_id":"s2"}', NULL),
                (5, 1, 2, 'bounced', 't3', 'bounce', '{"kind":"hard"}', 'h:b@x.org:bounced'),
                (7, 1, 1, 'opened', 't4', 'web', '{"machine":false}', NULL),
                (8, 1, 1, 'opened', 't4', 'web', '{"machine":true}', NULL),
                (9, 1, 1, 'shared', 't5', 'web', '{"network":"x"}', NULL),
                (10, 1, 2, 'delivered', 't6', 'import', '{}', 'settle:4'),
                (11, 2, 3, 'clicked', 't7', 'web', '[1]', NULL);
            "#,
        )
        .unwrap();
        let before = all_events(&conn);
        migrate_to(&conn, 5, 6).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 6);
        assert_eq!(all_events(&conn), before, "every event kept as it was");
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are enforced again after migrating");
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");

        // The key indexes are partial; no index (the UNIQUE column's) is left over.
        let indexes = index_sql(&conn);
        let names: Vec<&str> = indexes.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "events_certificate_kind",
                "events_dedup_key",
                "events_recipient",
                "events_send_id",
                "events_shares"
            ]
        );
        for (name, sql) in &indexes {
            let sql = sql.as_deref().unwrap();
            match name.as_str() {
                "events_dedup_key" => assert!(sql.contains("WHERE dedup_key IS NOT NULL"), "{sql}"),
                "events_send_id" => assert!(
                    sql.contains("WHERE json_extract(detail, '$.send_id') IS NOT NULL"),
                    "{sql}"
                ),
                _ => {}
            }
        }
        // The indexes hold exactly the events with a key.
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count(
                "SELECT count(*) FROM events INDEXED BY events_send_id \
                 WHERE json_extract(detail, '$.send_id') IS NOT NULL"
            ),
            3
        );
        assert_eq!(
            count(
                "SELECT count(*) FROM events INDEXED BY events_dedup_key \
                 WHERE dedup_key IS NOT NULL"
            ),
            2
        );
        assert_eq!(
            crate::db::sends::recipient_of_send(&conn, "s2").unwrap(),
            Some(2)
        );

        // A dedup key is still unique: ignored by INSERT OR IGNORE, refused otherwise; events
        // without one are not limited.
        let insert = |or_ignore: bool, key: Option<&str>| {
            conn.execute(
                &format!(
                    "INSERT {} INTO events (certificate_id, recipient_id, kind, at, source, dedup_key) \
                     VALUES (1, 2, 'bounced', 't8', 'bounce', ?1)",
                    if or_ignore { "OR IGNORE" } else { "" }
                ),
                [key],
            )
        };
        assert_eq!(insert(true, Some("h:b@x.org:bounced")).unwrap(), 0);
        assert!(insert(false, Some("settle:4")).is_err());
        assert_eq!(insert(true, Some("h:b@x.org:delayed")).unwrap(), 1);
        assert_eq!(insert(true, None).unwrap(), 1);
        assert_eq!(insert(false, None).unwrap(), 1);
        assert_eq!(count("SELECT max(id) FROM events"), 14);

        // References still hold and cascade on the rebuilt table.
        assert!(
            conn.execute(
                "INSERT INTO events (certificate_id, recipient_id, kind, at, source) \
                 VALUES (1, 99, 'opened', 't', 'web')",
                [],
            )
            .is_err()
        );
        conn.execute("DELETE FROM recipients WHERE id=1", [])
            .unwrap();
        assert_eq!(count("SELECT count(*) FROM events WHERE recipient_id=1"), 0);
        conn.execute("DELETE FROM certificates WHERE id=2", [])
            .unwrap();
        assert_eq!(count("SELECT count(*) FROM events"), 6);
    }

    /// Migration 7 makes `recipients_figures` partial; the figures `stats` counts from it (and
    /// from `recipients_certificate` for plain Not Sent) are those of the table itself.
    #[test]
    fn migration_7_keeps_plain_not_sent_recipients_out_of_the_figures_index() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, 6).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'A', 'a', 't');
            INSERT INTO recipients (id, certificate_id, email, email_key, uid, created_at,
                    status, status_at, email_hash, activity, unconfirmed, revoked) VALUES
                (1, 1, 'a@x.org', 'a@x.org', 'u1', 't', 'not_sent', 't', 1, 0, 0, 0),
                (2, 1, 'b@x.org', 'b@x.org', 'u2', 't', 'not_sent', 't', 2, 0, 0, 0),
                (3, 1, 'c@x.org', 'c@x.org', 'u3', 't', 'not_sent', 't', 3, 1, 0, 0),
                (4, 1, 'd@x.org', 'd@x.org', 'u4', 't', 'pending', 't', 4, 1, 1, 0),
                (5, 1, 'e@x.org', 'e@x.org', 'u5', 't', 'claimed', 't', 5, 97, 0, 1);
            "#,
        )
        .unwrap();
        migrate_to(&conn, 6, 7).unwrap();
        let entries: i64 = conn
            .query_row(
                concat!(
                    "SELECT count(*) FROM recipients INDEXED BY recipients_figures WHERE \
                     certificate_id=1 AND (",
                    beyond_plain_not_sent!(),
                    ")"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(entries, 3, "recipients 3, 4 and 5 have something to count");
        let mut groups = Vec::new();
        crate::db::stats::for_each_group(&conn, 1, |status, bits, unconfirmed, revoked, n| {
            groups.push((status.as_str().to_string(), bits, unconfirmed, revoked, n))
        })
        .unwrap();
        groups.sort();
        let mut expected: Vec<(String, i64, bool, bool, u64)> = conn
            .prepare(
                "SELECT status, activity, unconfirmed, revoked, count(*) FROM recipients \
                 NOT INDEXED WHERE certificate_id=1 GROUP BY 1, 2, 3, 4",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        expected.sort();
        assert_eq!(groups, expected);
    }

    /// Every row of `table` as text, in id order.
    fn rows_of(conn: &Connection, table: &str) -> Vec<Vec<String>> {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        v => v.as_str()?.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// Columns (name, type, not null, default) and indexes of `table`.
    fn shape_of(conn: &Connection, table: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let columns = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap()
            .query_map([], |r| {
                Ok(vec![
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?.to_string(),
                    r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                ])
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let indexes = conn
            .prepare(
                "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type='index' AND tbl_name=?1 \
                 AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
            )
            .unwrap()
            .query_map([table], |r| {
                // Whitespace aside, the index is the same.
                let sql: String = r.get(1)?;
                Ok(vec![r.get(0)?, sql.split_whitespace().collect::<Vec<_>>().join(" ")])
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (columns, indexes)
    }

    /// A database one step before the rebuild, with the newest certificate and recipient
    /// deleted: after it, every column, row and index is as it was, references hold, and new
    /// rows get ids above every id ever used.
    #[test]
    fn certificate_and_recipient_ids_are_never_reused_after_the_autoincrement_rebuild() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let at = MIGRATIONS
            .iter()
            .position(|m| {
                m.iter()
                    .any(|p| matches!(p, Part::Sql(s) if s.contains("certificates_new")))
            })
            .unwrap() as i64;
        migrate_to(&conn, 0, at).unwrap();
        conn.execute_batch(
            "INSERT INTO certificates (id, name, name_key, created_at, open_tracking, field_keys)
                 VALUES (1, 'A', 'a', 't1', 0, '[\"x\"]'), (2, 'B', 'b', 't2', 1, '[]'), (3, 'C', 'c', 't3', 1, '[]');
             INSERT INTO recipients (id, certificate_id, email, email_key, email_hash, uid, created_at,
                     status, status_at, status_detail, activity, revoked, public_id, fields)
                 VALUES (1, 1, 'a@x.org', 'a@x.org', 11, 'u1', 't', 'claimed', 't', 'd', 5, 1, 'p1', '{\"x\":\"1\"}'),
                        (2, 2, 'b@x.org', 'b@x.org', 12, 'u2', 't', 'not_sent', 't', '', 0, 0, NULL, '{}'),
                        (3, 2, 'c@x.org', 'c@x.org', 13, 'u3', 't', 'bounced', 't', 'hard', 1, 0, 'p3', '{}');
             INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
                 VALUES (1, 1, 'claimed', 't', 'web', '{}'), (2, 3, 'bounced', 't', 'dsn', '{}');
             INSERT INTO credential_status (recipient_id, status_index) VALUES (1, 0);
             DELETE FROM certificates WHERE id = 3;
             DELETE FROM recipients WHERE id = 3;",
        )
        .unwrap();
        let tables = ["certificates", "recipients", "events", "credential_status"];
        let before: Vec<_> = tables
            .iter()
            .map(|t| (rows_of(&conn, t), shape_of(&conn, t)))
            .collect();
        // Before: the deleted ids would be handed out again.
        let next: i64 = conn
            .query_row("SELECT max(id) + 1 FROM recipients", [], |r| r.get(0))
            .unwrap();
        assert_eq!(next, 3);
        migrate_to(&conn, at, at + 1).unwrap();
        let after: Vec<_> = tables
            .iter()
            .map(|t| (rows_of(&conn, t), shape_of(&conn, t)))
            .collect();
        assert_eq!(before, after);
        // Cascades still run from the rebuilt tables.
        conn.execute("DELETE FROM certificates WHERE id = 2", [])
            .unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT count(*) FROM recipients WHERE certificate_id = 2",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
        // Certificate 2, deleted just now, keeps its id: the next one is 3 (deleted before the
        // migration, when nothing remembered it; AUTOINCREMENT starts from the highest id held).
        conn.execute(
            "INSERT INTO certificates (name, name_key, created_at) VALUES ('D', 'd', 't')",
            [],
        )
        .unwrap();
        assert_eq!(conn.last_insert_rowid(), 3);
    }

    /// The suppression list's migration: certificates already there get no reminder templates
    /// and no renewal link, `suppressions` keeps one decision per address, and the log index
    /// of the kinds the suppression list reads exists.
    #[test]
    fn migration_adds_the_suppression_list_and_reminder_templates() {
        let ours = MIGRATIONS
            .iter()
            .position(|parts| {
                parts.iter().any(
                    |p| matches!(p, Part::Sql(sql) if sql.contains("CREATE TABLE suppressions")),
                )
            })
            .expect("the migration") as i64;
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, ours).unwrap();
        conn.execute(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'A', 'a', 't')",
            [],
        )
        .unwrap();
        migrate_to(&conn, ours, ours + 1).unwrap();
        let (subject, body, renewal): (Option<String>, Option<String>, Option<String>) = conn
            .query_row(
                "SELECT reminder_subject_tpl, reminder_body_tpl, renewal_url FROM certificates",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((subject, body, renewal), (None, None, None));
        conn.execute(
            "INSERT INTO suppressions (email_key, email, action, at) VALUES ('a@x.org', 'A@x.org', 'add', 't')",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO suppressions (email_key, email, action, at) VALUES ('a@x.org', 'a@x.org', 'remove', 't')",
                [],
            )
            .is_err(),
            "one decision per address"
        );
        assert!(
            conn.execute(
                "INSERT INTO suppressions (email_key, email, action, at) VALUES ('b@x.org', 'b@x.org', 'maybe', 't')",
                [],
            )
            .is_err(),
            "add or remove only"
        );
        let index: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='events_kind_at'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    /// Migration 17 rekeys addresses typed decomposed (NFD) or with a Unicode or punycode
    /// domain, so a later look-up by either form finds them; a rekey that would make two
    /// recipients (or two suppressions) one keeps the old key, losing nothing.
    #[test]
    fn migration_17_rekeys_addresses_without_merging_any() {
        // The last migration (it is 17).
        let ours = LATEST - 1;
        assert!(matches!(MIGRATIONS[ours as usize], [Part::Rust(_)]));
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 0, ours).unwrap();
        let nfd = "zoe\u{0308}@example.org";
        let old_key = |e: &str| e.trim().to_lowercase();
        let rows = [
            (1, 1, nfd.to_string()),
            (2, 1, "Ana@MÜNCHEN.de".to_string()),
            (3, 1, "plain@example.org".to_string()),
            // Two recipients of certificate 2 that are one mailbox: both stay.
            (4, 2, "bo@xn--mnchen-3ya.de".to_string()),
            (5, 2, "bo@münchen.de".to_string()),
        ];
        conn.execute_batch(
            "INSERT INTO certificates (id, name, name_key, created_at) VALUES (1, 'C', 'c', 't'), (2, 'D', 'd', 't');",
        )
        .unwrap();
        for (id, cert, email) in &rows {
            let key = old_key(email);
            conn.execute(
                "INSERT INTO recipients (id, certificate_id, email, email_key, email_hash, uid, created_at, status, status_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 't', 'not_sent', 't')",
                params![id, cert, email, key, email_hash(&key), format!("u{id}")],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO suppressions (email_key, email, action, at) VALUES (?1, ?2, 'add', 't')",
            params![old_key(nfd), nfd],
        )
        .unwrap();
        migrate_to(&conn, ours, ours + 1).unwrap();
        let key_of = |id: i64| -> (String, i64) {
            conn.query_row(
                "SELECT email_key, email_hash FROM recipients WHERE id=?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        let want = crate::model::email_key(nfd);
        assert_eq!(want, "zo\u{eb}@example.org");
        assert_eq!(key_of(1), (want.clone(), email_hash(&want)));
        assert_eq!(key_of(2).0, "ana@xn--mnchen-3ya.de");
        assert_eq!(key_of(3).0, "plain@example.org");
        let (k4, k5) = (key_of(4).0, key_of(5).0);
        assert_eq!(k4, "bo@xn--mnchen-3ya.de");
        assert_ne!(k4, k5, "two recipients merged");
        let suppressed: String = conn
            .query_row("SELECT email_key FROM suppressions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(suppressed, want);
    }
}
