//! The run locks beside the database: one `send` per certificate and one `refresh` at a time.
//!
//! An exclusive advisory lock (`flock`) on a small file that holds the owner's process id and
//! what it is doing (`4242 remind`); the operating system releases it when the process ends,
//! however it ends.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Held while alive.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

/// `<db file name><suffix>` in the database's directory, e.g. `certstat.db.refresh.lock`.
pub fn path_beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    db.with_file_name(name)
}

/// Another process holds the lock; its process id when it wrote one, and the command it runs
/// when it wrote that too.
#[derive(Debug)]
pub struct Held {
    pub holder: Option<String>,
    pub doing: Option<String>,
}

/// The process id and command written in a lock file (`4242 remind`; an older file: `4242`).
pub fn read_holder(text: &str) -> (Option<String>, Option<String>) {
    let mut words = text.split_whitespace();
    let pid = words.next().map(str::to_owned);
    let doing = words.collect::<Vec<_>>().join(" ");
    (pid, Some(doing).filter(|d| !d.is_empty()))
}

impl RunLock {
    /// Take the lock at `path` without waiting, writing this process's id and `doing` (the
    /// command, e.g. `remind`, shown to a run refused by it) into it.
    pub fn try_take(path: &Path, doing: &str) -> Result<std::result::Result<RunLock, Held>> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let (holder, doing) = read_holder(&text);
                return Ok(Err(Held { holder, doing }));
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{} {doing}", std::process::id())?;
        file.flush()?;
        Ok(Ok(RunLock { _file: file }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_and_told_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_beside(&dir.path().join("c.db"), ".send-1.lock");
        assert!(path.ends_with("c.db.send-1.lock"));
        let first = RunLock::try_take(&path, "remind").unwrap().unwrap();
        let held = RunLock::try_take(&path, "send").unwrap().unwrap_err();
        assert_eq!(held.holder, Some(std::process::id().to_string()));
        assert_eq!(held.doing.as_deref(), Some("remind"));
        drop(first);
        assert!(RunLock::try_take(&path, "send").unwrap().is_ok());
        assert_eq!(read_holder("4242\n"), (Some("4242".into()), None));
    }
}
