//! `certstat init`: create the database, the link secret and a commented config; print paths.

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::config::{Config, TEMPLATE};
use crate::output::{Format, Printer};
use crate::tokens::Secret;
use crate::{db, paths};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Serialize)]
struct Paths {
    database: String,
    database_created: bool,
    config: String,
    config_created: bool,
    outbox: String,
    secret: String,
    signing_keys: String,
    signing_key_id: String,
}

pub fn run(global: &GlobalArgs, printer: &Printer, args: InitArgs) -> Result<()> {
    let db_path = paths::database(global.db.as_deref())?;
    let config_path = paths::config(global.config.as_deref())?;
    let database_created = !db_path.exists();
    let conn = db::open(&db_path)?;
    let secret_path = paths::token_secret(&db_path);
    Secret::load(&secret_path, true)?;
    let key = crate::credentials::keys::ensure(&conn, &db_path)?;
    let keys_dir = crate::credentials::keys::keys_dir(&db_path);
    let config_created = !config_path.exists();
    if config_created {
        if let Some(dir) = config_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the config directory {}", dir.display()))?;
        }
        std::fs::write(&config_path, TEMPLATE)
            .with_context(|| format!("cannot write the config file {}", config_path.display()))?;
    }
    let config = Config::load(&config_path)?;
    let outbox = config
        .outbox
        .dir
        .clone()
        .unwrap_or_else(|| paths::default_outbox(&db_path));
    let p = Paths {
        database: db_path.display().to_string(),
        database_created,
        config: config_path.display().to_string(),
        config_created,
        outbox: outbox.display().to_string(),
        secret: secret_path.display().to_string(),
        signing_keys: keys_dir.display().to_string(),
        signing_key_id: key.kid,
    };
    let new = |created: bool| if created { "created" } else { "exists" };
    printer.report(printer.format(args.format), &p, || {
        format!(
            "database  {} ({})\nconfig    {} ({})\noutbox    {}\nsecret    {} (keep it with the database: recipient links depend on it)\nkeys      {} (keep it with the database: credentials are signed with key {})\n",
            p.database,
            new(p.database_created),
            p.config,
            new(p.config_created),
            p.outbox,
            p.secret,
            p.signing_keys,
            p.signing_key_id
        )
    })
}
