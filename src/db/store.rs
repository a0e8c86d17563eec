//! [`Store`]: the open database, its one transaction discipline and its temporary modes.
//!
//! Writes go through [`write`] (or [`Store::write`]): an `IMMEDIATE` transaction, which takes
//! the write lock at once (no upgrade deadlock between two writers), committed when the closure
//! returns `Ok` and rolled back when it fails. Reads that must agree with each other go through
//! [`read`] (one deferred transaction, one WAL snapshot); single reads run on the connection.
//!
//! A setting that holds for part of a connection's life is a guard that puts the previous
//! setting back when dropped: [`Pragma`] (page cache, sorter threads, foreign keys, durability)
//! and [`RollbackJournal`] (a large import leaving WAL).

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;

use anyhow::{Result, bail};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// How a [`write_then`] closure wants its transaction to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Commit,
    /// Roll back although the closure succeeded (a dry run, an import with bad rows).
    Rollback,
}

/// The database of one process: a migrated connection in WAL mode.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Open (creating it when missing, mode 0600) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store {
            conn: super::open(path)?,
        })
    }

    /// A store over a connection opened elsewhere (in memory, in tests).
    pub fn from_connection(conn: Connection) -> Store {
        Store { conn }
    }

    /// The connection, for reads and for the `db::*` functions that take one.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// One write transaction; see [`write`].
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        write(&self.conn, f)
    }

    /// One write transaction that may end in a rollback; see [`write_then`].
    pub fn write_then<T>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(T, End)>,
    ) -> Result<T> {
        write_then(&self.conn, f)
    }

    /// One read snapshot; see [`read`].
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        read(&self.conn, f)
    }
}

/// Code written against a bare connection keeps working on a store.
impl Deref for Store {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for Store {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Run `f` in an `IMMEDIATE` transaction on `conn`: committed when `f` returns `Ok`, rolled back
/// when it fails. `conn` must not be in a transaction already (that is an error, not a nesting).
pub fn write<T>(conn: &Connection, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    write_then(conn, |tx| Ok((f(tx)?, End::Commit)))
}

/// [`write`] for a closure that decides itself whether its work is kept.
pub fn write_then<T>(
    conn: &Connection,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<(T, End)>,
) -> Result<T> {
    let mut tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let (value, end) = f(&mut tx)?;
    match end {
        End::Commit => tx.commit()?,
        End::Rollback => tx.rollback()?,
    }
    Ok(value)
}

/// Run `f` in one deferred transaction, so that its reads see one snapshot while other
/// processes write. Inside a transaction already, `f` runs in that one.
pub fn read<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    if !conn.is_autocommit() {
        return f(conn);
    }
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// A write transaction kept open over a stream of small writes and committed every `every`
/// of them, so that a crash loses at most one batch (which the next run redoes). Under
/// [`End::Rollback`] (a dry run) nothing is ever committed: [`Batched::finish`] throws it all
/// away. Dropped with a transaction open (an error), the open batch is rolled back.
pub struct Batched<'c> {
    conn: &'c Connection,
    tx: Option<Transaction<'c>>,
    writes: usize,
    every: usize,
    end: End,
}

impl<'c> Batched<'c> {
    pub fn new(conn: &'c Connection, every: usize, end: End) -> Batched<'c> {
        Batched {
            conn,
            tx: None,
            writes: 0,
            every,
            end,
        }
    }

    /// Open the transaction (`IMMEDIATE`) unless it is open already.
    pub fn begin(&mut self) -> Result<()> {
        if self.tx.is_none() {
            self.tx = Some(Transaction::new_unchecked(
                self.conn,
                TransactionBehavior::Immediate,
            )?);
            self.writes = 0;
        }
        Ok(())
    }

    /// One write done: commit when the batch is full.
    pub fn wrote(&mut self) -> Result<()> {
        self.writes += 1;
        if self.writes >= self.every {
            self.commit()?;
        }
        Ok(())
    }

    /// Make what was written so far durable (nothing under [`End::Rollback`]).
    pub fn commit(&mut self) -> Result<()> {
        if self.end == End::Commit
            && let Some(tx) = self.tx.take()
        {
            tx.commit()?;
        }
        Ok(())
    }

    /// End the stream: commit, or under [`End::Rollback`] roll everything back.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            match self.end {
                End::Commit => tx.commit()?,
                End::Rollback => tx.rollback()?,
            }
        }
        Ok(())
    }
}

/// A pragma set for as long as the guard lives; dropping it sets the previous value again.
#[must_use = "the setting is undone when the guard is dropped"]
pub struct Pragma<'c> {
    conn: &'c Connection,
    name: &'static str,
    previous: Value,
}

impl<'c> Pragma<'c> {
    /// Set pragma `name` to `value` on `conn` until the guard is dropped.
    pub fn set(conn: &'c Connection, name: &'static str, value: impl Into<Value>) -> Result<Self> {
        let previous: Value = conn.pragma_query_value(None, name, |r| r.get(0))?;
        conn.pragma_update(None, name, value.into())?;
        Ok(Pragma {
            conn,
            name,
            previous,
        })
    }

    /// The page cache at `kib` KiB.
    pub fn cache_size(conn: &'c Connection, kib: i64) -> Result<Self> {
        Self::set(conn, "cache_size", -kib)
    }
}

impl Drop for Pragma<'_> {
    fn drop(&mut self) {
        // Every pragma this guard sets can be set back at any time; should it fail, the
        // connection keeps a setting that only its speed or durability depends on.
        let previous = std::mem::replace(&mut self.previous, Value::Null);
        let _ = self.conn.pragma_update(None, self.name, previous);
    }
}

/// The rollback journal in place of WAL, for one large write (an import); dropping the guard
/// returns to WAL. See [`RollbackJournal::if_alone`].
#[must_use = "the database returns to WAL when the guard is dropped"]
pub struct RollbackJournal<'c> {
    conn: &'c Connection,
}

impl<'c> RollbackJournal<'c> {
    /// Leave WAL for SQLite's rollback journal when no other connection has the database open.
    /// In WAL mode every page a large write makes is written twice: into the -wal file, then
    /// into the database by the checkpoint at its commit, which reads it back; and pages evicted
    /// from the cache mid-write are read back from the WAL. With the rollback journal, new pages
    /// go straight into the database file and the journal holds only the pages that existed
    /// before. All-or-nothing is kept: a failed write is rolled back from the journal, and an
    /// interrupted one on the next open at the latest.
    ///
    /// `None` when another connection (`serve`, a cron `send`, a `stats`) has the database
    /// open: leaving WAL needs the database to itself, and the attempt does not wait. While the
    /// guard lives, other processes that open the database wait for it (within the busy
    /// timeout) instead of reading the state before it. Dropping the guard switches back; should
    /// that not happen (a crash, or a reader that opened the database meanwhile), the next
    /// [`super::open`] does.
    pub fn if_alone(conn: &'c Connection) -> Result<Option<Self>> {
        conn.busy_timeout(Duration::ZERO)?;
        let switched =
            match conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0)) {
                Ok(mode) => mode.eq_ignore_ascii_case("delete"),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy =>
                {
                    false
                }
                Err(e) => return Err(e.into()),
            };
        conn.busy_timeout(super::busy_timeout())?;
        if !switched {
            return Ok(None);
        }
        // With the rollback journal, NORMAL can lose a committed write to a power cut on some
        // file systems; FULL costs one more sync per commit, and a large import has one commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(Some(RollbackJournal { conn }))
    }
}

impl Drop for RollbackJournal<'_> {
    fn drop(&mut self) {
        // What was committed stays committed whatever happens here; a connection that cannot
        // switch back now leaves it to the next one that opens the database, which always does.
        let _ = super::configure(self.conn);
    }
}

/// Fail unless `conn` is in WAL mode (after [`super::configure`]).
pub(super) fn require_wal(mode: &str) -> Result<()> {
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("could not switch the database to WAL mode (it is in {mode} mode)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        (dir, store)
    }

    fn certificates(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM certificates", [], |r| r.get(0))
            .unwrap()
    }

    fn add_certificate(tx: &Connection, slug: &str) -> Result<()> {
        tx.execute(
            "INSERT INTO certificates (name, name_key, created_at) VALUES (?1, ?1, 'now')",
            [slug],
        )?;
        Ok(())
    }

    #[test]
    fn a_batched_stream_commits_every_batch_and_a_dry_run_nothing() {
        let (_dir, store) = store();
        let mut batched = Batched::new(&store, 2, End::Commit);
        for slug in ["a", "b", "c"] {
            batched.begin().unwrap();
            add_certificate(&store, slug).unwrap();
            batched.wrote().unwrap();
        }
        // Two committed, the third still open: another connection sees two.
        let other = Connection::open(store.path().unwrap()).unwrap();
        assert_eq!(certificates(&other), 2);
        batched.finish().unwrap();
        assert_eq!(certificates(&other), 3);

        let mut dry = Batched::new(&store, 1, End::Rollback);
        for slug in ["d", "e"] {
            dry.begin().unwrap();
            add_certificate(&store, slug).unwrap();
            dry.wrote().unwrap();
            dry.commit().unwrap();
        }
        assert_eq!(certificates(&store), 5, "seen inside the open transaction");
        dry.finish().unwrap();
        assert_eq!(certificates(&store), 3, "a dry run keeps nothing");

        {
            let mut dropped = Batched::new(&store, 10, End::Commit);
            dropped.begin().unwrap();
            add_certificate(&store, "f").unwrap();
        }
        assert_eq!(
            certificates(&store),
            3,
            "dropped open (an error): rolled back"
        );
        assert!(store.is_autocommit());
    }

    #[test]
    fn a_write_commits_on_ok_and_rolls_back_on_error_or_when_asked() {
        let (_dir, store) = store();
        store.write(|tx| add_certificate(tx, "a")).unwrap();
        assert_eq!(certificates(&store), 1);
        let failed: Result<()> = store.write(|tx| {
            add_certificate(tx, "b")?;
            bail!("no")
        });
        assert!(failed.is_err());
        assert_eq!(certificates(&store), 1);
        store
            .write_then(|tx| Ok((add_certificate(tx, "c")?, End::Rollback)))
            .unwrap();
        assert_eq!(certificates(&store), 1);
        assert!(store.is_autocommit(), "no transaction is left open");
    }

    #[test]
    fn a_write_inside_a_write_is_an_error_not_a_nesting() {
        let (_dir, store) = store();
        let inner = store.write(|tx| write(tx, |tx| add_certificate(tx, "a")));
        assert!(inner.is_err());
        assert_eq!(certificates(&store), 0);
    }

    #[test]
    fn pragma_guards_put_the_previous_setting_back() {
        let (_dir, store) = store();
        let cache = |c: &Connection| -> i64 {
            c.pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        let fk = |c: &Connection| -> bool {
            c.pragma_query_value(None, "foreign_keys", |r| r.get(0))
                .unwrap()
        };
        let before = cache(&store);
        {
            let _big = Pragma::cache_size(&store, 24_000).unwrap();
            assert_eq!(cache(&store), -24_000);
            {
                let _small = Pragma::cache_size(&store, 4_000).unwrap();
                let _off = Pragma::set(&store, "foreign_keys", false).unwrap();
                assert_eq!(cache(&store), -4_000);
                assert!(!fk(&store));
            }
            assert_eq!(cache(&store), -24_000);
            assert!(fk(&store));
        }
        assert_eq!(cache(&store), before);
    }

    #[test]
    fn the_rollback_journal_is_used_only_alone_and_wal_comes_back() {
        let (dir, store) = store();
        let mode = |c: &Connection| -> String {
            c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap()
        };
        let other = Connection::open(dir.path().join("t.db")).unwrap();
        let _ = mode(&other); // the other connection holds the database open (shared WAL lock)
        other
            .execute_batch("BEGIN; SELECT count(*) FROM certificates;")
            .unwrap();
        assert!(RollbackJournal::if_alone(&store).unwrap().is_none());
        other.execute_batch("COMMIT").unwrap();
        drop(other);
        {
            let _journal = RollbackJournal::if_alone(&store).unwrap().expect("alone");
            assert_eq!(mode(&store), "delete");
        }
        assert_eq!(mode(&store), "wal");
    }
}
