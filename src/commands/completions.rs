//! `certstat completions SHELL`: shell completion scripts, generated from the clap tree.

use std::path::Path;

use anyhow::Result;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::Printer;

const COMPLETIONS_AFTER_HELP: &str = "\
INSTALL:
    bash  certstat completions bash > ~/.local/share/bash-completion/completions/certstat
    zsh   certstat completions zsh > ~/.zfunc/_certstat    (with fpath+=~/.zfunc before compinit)
    fish  certstat completions fish > ~/.config/fish/completions/certstat.fish
    The same scripts are committed in completions/.";

#[derive(Debug, Args)]
#[command(after_help = COMPLETIONS_AFTER_HELP)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(printer: &Printer, args: CompletionsArgs) -> Result<()> {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "certstat",
        &mut printer.stdout(),
    );
    Ok(())
}

/// The file name each shell's script is committed under in `completions/`.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "certstat.bash",
        Shell::Zsh => "_certstat",
        Shell::Fish => "certstat.fish",
        Shell::PowerShell => "_certstat.ps1",
        Shell::Elvish => "certstat.elv",
        _ => "certstat.unknown",
    }
}

pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// Write every shell's script into `dir`.
pub fn write_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for shell in SHELLS {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "certstat", &mut buf);
        std::fs::write(dir.join(file_name(shell)), buf)?;
    }
    Ok(())
}
