//! The SQLite store. All SQL lives under this module, as plain functions over a
//! `Connection` or `Transaction`.

pub mod certs;
pub mod credentials;
pub mod events;
pub mod inbound;
pub mod migrations;
pub mod recipients;
pub mod sends;
pub mod stats;
pub mod web;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// Open (creating it when missing, mode 0600) and migrate the database at `path`.
pub fn open(path: &Path) -> Result<Connection> {
    if path.is_dir() {
        bail!(
            "the database path {} is a directory, not a file",
            path.display()
        );
    }
    if !path.exists() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!("cannot create the database directory {}", dir.display())
            })?;
        }
        crate::tokens::create_private(path)
            .with_context(|| format!("cannot create the database {}", path.display()))?;
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .with_context(|| format!("cannot open the database {}", path.display()))?;
    configure(&conn).map_err(|e| explain(path, e))?;
    migrations::migrate(&mut conn).map_err(|e| explain(path, e))?;
    Ok(conn)
}

/// How long a connection waits for another's lock before it reports the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Per-connection settings: WAL (cron, `send` and `serve` share the file), foreign keys, and a
/// busy timeout so a short wait for another writer is not an error.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("could not switch the database to WAL mode (it is in {mode} mode)");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn explain(path: &Path, err: anyhow::Error) -> anyhow::Error {
    let text = format!("{err:#}");
    let hint = if text.contains("file is not a database") {
        "it is not an SQLite database: point --db (or CERTSTAT_DB) at a certstat database, or at a new file"
    } else if text.contains("readonly") || text.contains("unable to open") {
        "the file or its directory is not writable: certstat needs to write the database and its -wal file beside it"
    } else {
        return err.context(format!("database {}", path.display()));
    };
    anyhow::anyhow!(
        "cannot use the database {}: {hint} ({text})",
        path.display()
    )
}

/// Begin a write transaction that takes the write lock at once (no upgrade deadlocks).
pub fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Settings for one large write (an import): a page cache big enough to keep the
/// recipients' email index in memory, within the import's memory budget.
pub fn bulk_mode(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -24_000)?;
    Ok(())
}

/// A connection that writes a stream of small transactions (serve's writer): the pages the
/// stream touches (the tails of the event indexes, the recipients' rows) stay in its 32 MiB page
/// cache, and checkpoints come every 10,000 WAL pages instead of 1,000, so a page written by many
/// commits is copied back into the database once. Its statements keep their plan whatever values
/// are bound (SQLite's query planner stability guarantee): otherwise SQLite re-prepares a
/// statement each time a parameter it compares with `=` is rebound to or from 0 or 1 (its
/// planner rates such a term as more selective), so every batch with recipient 1 in it re-parsed
/// the read of each recipient, twice. None of the writer's plans depends on a bound value.
pub fn stream_writer_mode(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -32 * 1024)?;
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// SQLite's `data_version`: it changes when another connection commits to the database.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}

/// Leave WAL for SQLite's rollback journal, when no other connection has the database open, for
/// one large write (an import). In WAL mode every page the write makes is written twice: into
/// the -wal file, then into the database by the checkpoint at its commit, which reads it back;
/// and pages evicted from the cache mid-write are read back from the WAL. With the rollback
/// journal, new pages go straight into the database file and the journal holds only the pages
/// that existed before. All-or-nothing is kept: a failed write is rolled back from the journal,
/// and an interrupted one on the next open at the latest.
///
/// Returns whether it switched. It does not when another connection (`serve`, a cron `send`, a
/// `stats`) has the database open: leaving WAL needs the database to itself, and the attempt
/// does not wait. While the write runs, other processes that open the database wait for it
/// (within the busy timeout) instead of reading the state before it. [`return_to_wal`] switches
/// back; should that not happen (a crash), the next [`open`] does.
pub fn leave_wal_if_alone(conn: &Connection) -> Result<bool> {
    conn.busy_timeout(Duration::ZERO)?;
    let switched = match conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get::<_, String>(0))
    {
        Ok(mode) => mode.eq_ignore_ascii_case("delete"),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            false
        }
        Err(e) => return Err(e.into()),
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if switched {
        // With the rollback journal, NORMAL can lose a committed write to a power cut on some
        // file systems; FULL costs one more sync per commit, and a large import has one commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(switched)
}

/// Back to WAL after [`leave_wal_if_alone`] (waiting, within the busy timeout, for processes
/// that opened the database meanwhile to finish their read).
pub fn return_to_wal(conn: &Connection) -> Result<()> {
    configure(conn)
}

/// A large import's load once it has dropped its random-order index: every B-tree it still
/// writes is appended to, so a small page cache does.
pub fn bulk_load_mode(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -8_000)?;
    Ok(())
}

/// A large import's index build: one helper thread (the other core) for SQLite's sorter, and a
/// small page cache, which also bounds the sorter's runs. Small runs are sorted and written by the
/// helper while this thread still reads the table, and the merge of them at the end is cheap; one
/// large run (a large cache) would be sorted at the end with this thread waiting for it. Measured
/// on 1M recipients: 4 MB builds the index ≈ 0.2 s sooner than 24 MB, with less memory.
pub fn bulk_index_mode(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -4_000)?;
    conn.pragma_update(None, "threads", 1)?;
    Ok(())
}
