//! Where certstat keeps its files: flags, then `CERTSTAT_*` variables (both via clap), then
//! the platform's data and config directories.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The database path: `--db`/`CERTSTAT_DB`, else `<data dir>/certstat/certstat.db`.
pub fn database(flag: Option<&Path>) -> Result<PathBuf> {
    match flag {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(dirs::data_dir()
            .context("could not find a data directory for this user: set CERTSTAT_DB or pass --db")?
            .join("certstat")
            .join("certstat.db")),
    }
}

/// The config path: `--config`/`CERTSTAT_CONFIG`, else `<config dir>/certstat/config.toml`.
pub fn config(flag: Option<&Path>) -> Result<PathBuf> {
    match flag {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(dirs::config_dir()
            .context("could not find a config directory for this user: set CERTSTAT_CONFIG or pass --config")?
            .join("certstat")
            .join("config.toml")),
    }
}

/// The default outbox: `outbox/` beside the database.
pub fn default_outbox(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("outbox")
}

/// The secret that recipient link tokens are derived from: `<db>.secret`.
pub fn token_secret(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".secret");
    db.with_file_name(name)
}
