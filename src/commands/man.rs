//! `certstat man [--dir DIR]`: manual pages generated from the clap tree.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};

use crate::cli::Cli;
use crate::output::Printer;

const MAN_AFTER_HELP: &str = "\
INSTALL:
    certstat man --dir ~/.local/share/man/man1    then: man certstat, man certstat-send
    sudo certstat man --dir /usr/local/share/man/man1
    certstat man | man -l -                       read the main page without installing";

#[derive(Debug, Args)]
#[command(after_help = MAN_AFTER_HELP)]
pub struct ManArgs {
    /// Write certstat.1 and one certstat-<command>.1 per subcommand into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(printer: &Printer, args: ManArgs) -> Result<()> {
    match args.dir {
        Some(dir) => {
            write_all(&dir)?;
            printer.info(format!(
                "Wrote the manual pages to {}. `man certstat` reads them when that folder is a man1 \
                 folder on the manual path (e.g. ~/.local/share/man/man1); `man -l {}/certstat.1` \
                 reads one directly.",
                dir.display(),
                dir.display()
            ));
        }
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
            printer.stdout().write_all(&buf)?;
        }
    }
    Ok(())
}

/// Write every page into `dir`.
pub fn write_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    Ok(())
}
