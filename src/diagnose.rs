//! What to do about an error of the environment rather than of the input: a full disk, a
//! database locked by another process, a damaged database file. `main` adds the hint to the
//! error it prints, naming the file.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::ErrorCode;

/// What went wrong with the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    DiskFull,
    Locked,
    Damaged,
}

/// The environment trouble behind `err`, if it is one: SQLite's FULL, BUSY/LOCKED, CORRUPT and
/// NOTADB codes, and the ENOSPC/EDQUOT/EFBIG operating-system errors.
pub fn trouble(err: &anyhow::Error) -> Option<Trouble> {
    err.chain().find_map(|e| {
        if let Some(rusqlite::Error::SqliteFailure(f, _)) = e.downcast_ref::<rusqlite::Error>() {
            return match f.code {
                ErrorCode::DiskFull => Some(Trouble::DiskFull),
                // SQLITE_IOERR_WRITE: a write refused (a full disk, a quota, a size limit).
                ErrorCode::SystemIoFailure if f.extended_code == 778 => Some(Trouble::DiskFull),
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Trouble::Locked),
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Some(Trouble::Damaged),
                _ => None,
            };
        }
        let io = e.downcast_ref::<std::io::Error>()?;
        // ENOSPC, EDQUOT (Linux 122), EFBIG (a file-size limit).
        matches!(io.raw_os_error(), Some(28 | 122 | 27)).then_some(Trouble::DiskFull)
    })
}

/// Processes that hold a run lock beside `db` (`certstat.db.*.lock`), as "pid N (FILE)".
pub fn lock_holders(db: &Path) -> Vec<String> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = format!("{}.", db.file_name().unwrap_or_default().to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !(name.starts_with(&prefix) && name.ends_with(".lock")) {
            continue;
        }
        let Ok(mut file) = File::open(entry.path()) else {
            continue;
        };
        // A shared lock is refused while a run holds the exclusive one: that run is alive.
        if file.try_lock_shared().is_ok() {
            continue;
        }
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let (pid, doing) = crate::lock::read_holder(&text);
        let doing = doing
            .map(|d| format!("`certstat {d}`, "))
            .unwrap_or_default();
        out.push(format!(
            "pid {} ({doing}{})",
            pid.unwrap_or_default(),
            entry.path().display()
        ));
    }
    out.sort();
    out
}

/// Other processes that have the database (or its `-wal` file) open, as "pid N (NAME)": on
/// Linux, from `/proc/*/fd`; elsewhere, or without permission to look, none.
pub fn open_by(db: &Path) -> Vec<String> {
    let Ok(db) = db.canonicalize() else {
        return Vec::new();
    };
    let wal = {
        let mut w = db.clone().into_os_string();
        w.push("-wal");
        std::path::PathBuf::from(w)
    };
    let me = std::process::id().to_string();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in procs.flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        let holds = fds
            .flatten()
            .filter_map(|fd| std::fs::read_link(fd.path()).ok())
            .any(|target| target == db || target == wal);
        if holds {
            let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            out.push(format!("pid {pid} ({})", name.trim()));
        }
    }
    out.sort();
    out
}

/// The hint to print after `err`, for the database at `db`.
pub fn hint(err: &anyhow::Error, db: &Path) -> Option<String> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(match trouble(err)? {
        Trouble::DiskFull => format!(
            "a write failed (the disk is full, or a quota or file-size limit is reached): free \
             space at {} (the database {}) and run the command again; the interrupted \
             transaction was rolled back, nothing was half-written",
            dir.display(),
            db.display()
        ),
        Trouble::Locked => {
            let mut holders = lock_holders(db);
            if holders.is_empty() {
                holders = open_by(db);
            }
            let who = if holders.is_empty() {
                "another process (no certstat run lock is held: a `certstat serve`, or a \
                 program such as sqlite3 with the file open?)"
                    .to_string()
            } else {
                holders.join(", ")
            };
            format!(
                "the database {} is locked by {who}: wait for it to finish, or stop it, and \
                 run the command again",
                db.display()
            )
        }
        Trouble::Damaged => format!(
            "the database {} is damaged: restore it from a backup, or recover what can be read \
             with `sqlite3 {} .recover | sqlite3 recovered.db` and use --db recovered.db",
            db.display(),
            db.display()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: ErrorCode, extended: i32) -> anyhow::Error {
        anyhow::Error::new(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error {
                code,
                extended_code: extended,
            },
            None,
        ))
        .context("writing the events")
    }

    #[test]
    fn each_trouble_is_recognised_through_context() {
        assert_eq!(
            trouble(&sqlite(ErrorCode::DiskFull, 13)),
            Some(Trouble::DiskFull)
        );
        assert_eq!(
            trouble(&sqlite(ErrorCode::DatabaseBusy, 5)),
            Some(Trouble::Locked)
        );
        assert_eq!(
            trouble(&sqlite(ErrorCode::DatabaseCorrupt, 11)),
            Some(Trouble::Damaged)
        );
        assert_eq!(
            trouble(&sqlite(ErrorCode::NotADatabase, 26)),
            Some(Trouble::Damaged)
        );
        let enospc = anyhow::Error::new(std::io::Error::from_raw_os_error(28)).context("x");
        assert_eq!(trouble(&enospc), Some(Trouble::DiskFull));
        assert_eq!(trouble(&anyhow::anyhow!("other")), None);
        let h = hint(&sqlite(ErrorCode::DiskFull, 13), Path::new("/data/c.db")).unwrap();
        assert!(h.contains("free space at /data"), "{h}");
    }

    #[test]
    fn the_holder_of_a_run_lock_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let lock = crate::lock::path_beside(&db, ".refresh.lock");
        let held = crate::lock::RunLock::try_take(&lock, "refresh")
            .unwrap()
            .unwrap();
        let holders = lock_holders(&db);
        assert_eq!(holders.len(), 1, "{holders:?}");
        assert!(holders[0].contains(&format!("pid {} (`certstat refresh`, ", std::process::id())));
        drop(held);
        assert!(lock_holders(&db).is_empty());
    }
}
