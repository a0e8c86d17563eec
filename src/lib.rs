//! certstat: issue certificates by email and track, recipient by recipient, what became of each one.
//!
//! The binary is a thin shell over [`run`]; every subcommand lives in [`commands`], SQL only in
//! [`db`], and everything printed to stdout goes through [`output::Printer`].

pub mod bounce;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod db;
pub mod diagnose;
pub mod error;
pub mod import_csv;
pub mod input;
pub mod l10n;
pub mod lock;
pub mod mail;
pub mod markup;
pub mod model;
pub mod output;
pub mod password;
pub mod paths;
pub mod refresh;
pub mod render;
pub mod send;
pub mod signal;
pub mod stats;
pub mod terminal;
pub mod tls;
pub mod tokens;
pub mod web;

use std::process::ExitCode;

/// Run one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    commands::dispatch(cli)
}
