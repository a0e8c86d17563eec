//! The command line: global options and the subcommand tree (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;

const AFTER_HELP: &str = "\
EXIT STATUS:
    0  success
    1  an error (the message says what failed, where, and what to do)
    2  bad usage (unknown option, missing argument)

ENVIRONMENT:
    CERTSTAT_DB              database file (same as --db)
    CERTSTAT_CONFIG          configuration file (same as --config)
    CERTSTAT_SMTP_PASSWORD   SMTP password (never stored)
    CERTSTAT_BUSY_TIMEOUT    seconds to wait for another process's database lock (default 30)
    NO_COLOR                 when set and not empty, no colour unless --color=always

FILES:
    <data dir>/certstat/certstat.db       the database (mode 0600)
    <data dir>/certstat/certstat.db.secret  the key links are derived from (mode 0600)
    <config dir>/certstat/config.toml     the configuration
    <data dir>/certstat/outbox/           .eml files when no SMTP server is configured";

/// Issue certificates by email and track, recipient by recipient, what became of each one.
#[derive(Debug, Parser)]
#[command(name = "certstat", version, about, after_long_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the options every subcommand takes.
const GLOBAL: &str = "Global options";

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    // CERTSTAT_DB and CERTSTAT_CONFIG are read in `Cli::parse_args`, not by clap: clap would
    // show an option its variable provides in every usage line, as if it were required.
    /// Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub db: Option<PathBuf>,
    /// Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Print nothing but errors (for cron)
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    /// Say more: -v each message sent or mail not matched, -vv also the paths in use
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
    /// When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,
    /// What named the database path (`--db` or `CERTSTAT_DB`), `None` for the default. A
    /// named path that does not exist is a typo, refused by every command but `init`.
    #[arg(skip)]
    pub db_named_by: Option<&'static str>,
    /// What named the config file (`--config` or `CERTSTAT_CONFIG`), `None` for the default.
    /// A named file that does not exist is an error.
    #[arg(skip)]
    pub config_named_by: Option<&'static str>,
}

impl Cli {
    /// Parse the process's arguments (exit 2 on bad usage); `--db` and `--config` fall back
    /// to `CERTSTAT_DB` and `CERTSTAT_CONFIG` (when set and not empty).
    pub fn parse_args() -> Cli {
        let mut cli = <Cli as clap::Parser>::parse();
        let g = &mut cli.global;
        // Set but empty is a mistake (a cron line's `CERTSTAT_DB=$DB` with $DB unset): using
        // the default database instead would quietly work on another file.
        for var in ["CERTSTAT_DB", "CERTSTAT_CONFIG"] {
            if std::env::var_os(var).is_some_and(|v| v.is_empty()) {
                let flag = if var == "CERTSTAT_DB" {
                    "--db"
                } else {
                    "--config"
                };
                let explicit = if var == "CERTSTAT_DB" {
                    &g.db
                } else {
                    &g.config
                };
                if explicit.is_none() {
                    eprintln!(
                        "certstat: error: {var} is set but empty: set it to a file, pass {flag}, \
                         or unset it (`unset {var}`) to use the default"
                    );
                    std::process::exit(2);
                }
            }
        }
        let from_env = |var: &str| std::env::var_os(var).map(PathBuf::from);
        let named = |flag: &Option<PathBuf>, var: &'static str, name: &'static str| {
            if flag.is_some() {
                Some(name)
            } else {
                from_env(var).map(|_| var)
            }
        };
        g.db_named_by = named(&g.db, "CERTSTAT_DB", "--db");
        g.config_named_by = named(&g.config, "CERTSTAT_CONFIG", "--config");
        g.db = g.db.take().or_else(|| from_env("CERTSTAT_DB"));
        g.config = g.config.take().or_else(|| from_env("CERTSTAT_CONFIG"));
        cli
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database and a commented configuration file; print every path
    Init(commands::init::InitArgs),
    /// Create, list, show, edit and delete certificates
    #[command(subcommand)]
    Cert(commands::cert::CertCommand),
    /// Add, import, list, edit and remove a certificate's recipients
    #[command(subcommand)]
    Recipients(commands::recipients::RecipientsCommand),
    /// Write one row per recipient: status, timestamps, counts and original fields
    Export(commands::export::ExportArgs),
    /// The statistics page (all certificates when none is named)
    Stats(commands::stats::StatsArgs),
    /// List the event log; import events recorded elsewhere
    #[command(subcommand)]
    Events(commands::events::EventsCommand),
    /// Render one recipient's email exactly as it would be sent
    Preview(commands::preview::PreviewArgs),
    /// Mail every Not Sent recipient (or those named) their certificate
    Send(commands::send::SendArgs),
    /// Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe
    Refresh(commands::refresh::RefreshArgs),
    /// Remind recipients who were mailed but have not claimed; expiry notices (--expiring)
    Remind(commands::remind::RemindArgs),
    /// Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand
    #[command(subcommand)]
    Suppress(commands::suppress::SuppressCommand),
    /// Serve the recipient pages: claim, view, download, share, verify
    Serve(commands::serve::ServeArgs),
    /// Write recipients' certificate documents (PDF, PNG or SVG) to a folder
    Render(commands::render::RenderArgs),
    /// Write a certificate's public pages, credentials and issuer keys as static files
    Publish(commands::publish::PublishArgs),
    /// Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation
    Verify(commands::verify::VerifyArgs),
    /// The issuer's signing keys: show (public JWK, fingerprint) or rotate
    #[command(subcommand)]
    Keys(commands::keys::KeysCommand),
    /// Print a shell completion script
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (or write every page to a directory)
    Man(commands::man::ManArgs),
}
