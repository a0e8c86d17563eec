//! One module per subcommand: each parses its arguments, calls the domain and db modules, and
//! prints through the [`Printer`].

pub mod cert;
pub mod completions;
pub mod events;
pub mod export;
pub mod init;
pub mod keys;
pub mod man;
pub mod preview;
pub mod publish;
pub mod recipients;
pub mod refresh;
pub mod remind;
pub mod render;
pub mod send;
pub mod serve;
pub mod stats;
pub mod suppress;
pub mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Config;
use crate::output::Printer;
use crate::tokens::Secret;
use crate::{db, paths};

/// What a command that works on the database gets.
pub struct Ctx {
    pub db_path: PathBuf,
    pub config_path: PathBuf,
    /// The database: [`db::Store::write`] for writes; as a `Connection` (it derefs to one) for
    /// the `db::*` functions.
    pub conn: db::Store,
    pub config: Config,
    pub printer: Printer,
}

impl Ctx {
    pub fn open(global: &GlobalArgs, printer: Printer) -> Result<Ctx> {
        let config_path = paths::config(global.config.as_deref())?;
        if let Some(named_by) = global.config_named_by
            && !config_path.exists()
        {
            anyhow::bail!(
                "{} {}: no such file (check the path; without {named_by} certstat reads {}; \
                 `certstat init` writes a commented one)",
                named(named_by),
                config_path.display(),
                paths::config(None)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "no file".into())
            );
        }
        let config = Config::load(&config_path)?;
        crate::render::set_font_dirs(config.render.fonts.clone());
        crate::l10n::configure(
            config.l10n.strings.as_deref(),
            config.l10n.default_language.as_deref(),
        )
        .with_context(|| format!("in config file {}", config_path.display()))?;
        let db_path = paths::database(global.db.as_deref())?;
        printer.trace(format!(
            "database {}, config {}",
            db_path.display(),
            config_path.display()
        ));
        let created = !db_path.exists();
        if let Some(named_by) = global.db_named_by
            && created
            && paths::database(None).ok() != Some(db_path.clone())
        {
            let init = if named_by == "--db" {
                format!("certstat init --db {}", db_path.display())
            } else {
                format!("{named_by}={} certstat init", db_path.display())
            };
            anyhow::bail!(
                "{} {}: no such database. Check the path, or create it with `{init}`",
                named(named_by),
                db_path.display()
            );
        }
        let conn = db::Store::open(&db_path)?;
        if created {
            Secret::load(&paths::token_secret(&db_path), true)?;
        }
        Ok(Ctx {
            db_path,
            config_path,
            conn,
            config,
            printer,
        })
    }

    /// The secret recipient links are derived from.
    pub fn secret(&self) -> Result<Secret> {
        let path = paths::token_secret(&self.db_path);
        // A database that has no recipients yet may still get its secret now.
        let create = crate::db::recipients::max_id(&self.conn)? == 0;
        Secret::load(&path, create)
    }

    /// The outbox directory: config `[outbox] dir`, else `outbox/` beside the database.
    pub fn outbox_dir(&self) -> PathBuf {
        self.config
            .outbox
            .dir
            .clone()
            .unwrap_or_else(|| paths::default_outbox(&self.db_path))
    }
}

/// How an error names a path's origin: `--db` as typed, a variable as `CERTSTAT_DB is`.
fn named(named_by: &str) -> String {
    if named_by.starts_with("--") {
        named_by.to_owned()
    } else {
        format!("{named_by} is")
    }
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    let printer = Printer::new(&cli.global);
    dispatch_to(cli, printer)
}

/// Run a command, printing through `printer` (a terminal, or a capture in tests).
pub fn dispatch_to(cli: Cli, printer: Printer) -> Result<ExitCode> {
    match cli.command {
        Command::Completions(args) => completions::run(&printer, args),
        Command::Man(args) => man::run(&printer, args),
        Command::Init(args) => init::run(&cli.global, &printer, args),
        Command::Verify(args) => verify::run(&cli.global, &printer, args),
        command => {
            let mut ctx = Ctx::open(&cli.global, printer)?;
            match command {
                Command::Cert(c) => cert::run(&mut ctx, c),
                Command::Recipients(c) => recipients::run(&mut ctx, c),
                Command::Export(args) => export::run(&mut ctx, args),
                Command::Stats(args) => stats::run(&mut ctx, args),
                Command::Events(c) => events::run(&mut ctx, c),
                Command::Preview(args) => preview::run(&mut ctx, args),
                Command::Send(args) => send::run(&mut ctx, args),
                Command::Suppress(c) => suppress::run(&mut ctx, c),
                Command::Remind(args) => remind::run(&mut ctx, args),
                Command::Refresh(args) => refresh::run(&mut ctx, args),
                Command::Serve(args) => serve::run(&mut ctx, args),
                Command::Render(args) => render::run(&mut ctx, args),
                Command::Publish(args) => publish::run(&mut ctx, args),
                Command::Keys(c) => keys::run(&mut ctx, c),
                Command::Completions(_)
                | Command::Man(_)
                | Command::Init(_)
                | Command::Verify(_) => unreachable!(),
            }
        }
    }
    .map(|()| ExitCode::SUCCESS)
}

/// Make the folder `--out` names (with its parents) for `render` and `publish`; a file there is
/// refused with what to give.
pub fn out_folder(out: &std::path::Path) -> Result<()> {
    if out.is_file() {
        anyhow::bail!(
            "--out {} is a file: name a folder (it is made when missing)",
            out.display()
        );
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the folder {}", out.display()))
}

/// Ask a yes/no question on the terminal before `doing` something that cannot be undone.
/// `Ok(true)`: go ahead (`yes` given, or answered yes); `Ok(false)`: the answer was no (the
/// caller says what was left alone). Without `--yes` and with stdin not a terminal, an error:
/// nobody can be asked.
pub fn confirm(yes: bool, question: &str, doing: &str) -> Result<bool> {
    use std::io::{BufRead, IsTerminal};
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "{doing} needs confirmation and stdin is not a terminal: nothing was changed; pass --yes to go ahead"
        );
    }
    crate::output::prompt(question)?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use clap::Parser;

    use super::*;
    use crate::output::Capture;

    /// Run `args` against a database and config in `dir`, printing into a capture.
    fn run(dir: &std::path::Path, args: &[&str], quiet: bool) -> (Result<ExitCode>, Arc<Capture>) {
        let db = dir.join("c.db");
        let config = dir.join("config.toml");
        let mut all = vec!["certstat", "--db", db.to_str().unwrap()];
        all.extend(["--config", config.to_str().unwrap()]);
        all.extend(args);
        let cli = Cli::try_parse_from(all).expect("arguments");
        let (printer, capture) = Printer::capture(quiet, 0);
        (dispatch_to(cli, printer), capture)
    }

    #[test]
    fn what_a_command_prints_goes_through_the_printer() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "").unwrap();
        let (r, c) = run(dir.path(), &["cert", "create", "Intro to Rust"], false);
        r.unwrap();
        assert!(
            c.stdout().contains("Created certificate 'Intro to Rust'"),
            "{}",
            c.stdout()
        );
        for (format, shape) in [
            ("json", "\"name\":\"Intro to Rust\""),
            ("csv", ",Intro to Rust,"),
        ] {
            let (r, c) = run(dir.path(), &["cert", "list", "--format", format], false);
            r.unwrap();
            assert!(c.stdout().contains(shape), "{format}: {}", c.stdout());
        }
        let (r, c) = run(dir.path(), &["cert", "list"], false);
        r.unwrap();
        assert!(c.stdout().contains("┆ Intro to Rust ┆"), "{}", c.stdout());
        let (r, c) = run(dir.path(), &["cert", "create", "Second"], true);
        r.unwrap();
        assert!(
            c.stdout().is_empty() && c.messages().is_empty(),
            "-q: {:?}",
            c.messages()
        );
    }
}
