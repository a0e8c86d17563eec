//! The SQLite store. All SQL and all transaction control live under this module: plain
//! functions over a `Connection` or `Transaction`, and [`Store`], which owns the connection of
//! a command and runs its writes ([`write`]) and consistent reads ([`read`]).

pub mod certs;
pub mod credentials;
pub mod events;
pub mod inbound;
pub mod lost;
pub mod migrations;
pub mod recipients;
pub mod reminders;
pub mod sends;
pub mod stats;
mod store;
pub mod suppression;
pub mod web;

#[cfg(test)]
pub(crate) mod testing;

pub use store::{Batched, End, Pragma, RollbackJournal, Store, read, write, write_then};

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
    } else if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        // An empty file made beforehand (`touch`, a mktemp) becomes the database: made private
        // as a new one is, since it will hold names, addresses and secrets.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).with_context(
                || {
                    format!(
                        "cannot make the database {} private (mode 0600)",
                        path.display()
                    )
                },
            )?;
        }
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

/// How long a connection waits for another's lock before it reports the database busy, unless
/// `CERTSTAT_BUSY_TIMEOUT` (seconds, at most a day) says otherwise.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) fn busy_timeout() -> Duration {
    std::env::var("CERTSTAT_BUSY_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && (0.0..=86_400.0).contains(s))
        .map_or(DEFAULT_BUSY_TIMEOUT, Duration::from_secs_f64)
}

/// Per-connection settings: WAL (cron, `send` and `serve` share the file), foreign keys, and a
/// busy timeout so a short wait for another writer is not an error.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(busy_timeout())?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    store::require_wal(&mode)?;
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

/// An `IMMEDIATE` transaction to commit by hand. New code uses [`write`], which commits and
/// rolls back by itself; this stays for the callers not converted yet.
pub fn write_tx(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// The mode of serve's writer, for the connection's whole life: it writes a stream of small
/// transactions. The pages the stream touches (the tails of the event indexes, the recipients'
/// rows) stay in its 32 MiB page cache, and checkpoints come every 10,000 WAL pages instead of
/// 1,000, so a page written by many commits is copied back into the database once. Its
/// statements keep their plan whatever values are bound (SQLite's query planner stability
/// guarantee): otherwise SQLite re-prepares a statement each time a parameter it compares with
/// `=` is rebound to or from 0 or 1 (its planner rates such a term as more selective). None of
/// the writer's plans depends on a bound value.
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
