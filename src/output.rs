//! Everything certstat prints to stdout goes through [`Printer`]: tables on a terminal, CSV or
//! JSON for scripts, with the same columns in every format. Messages go to stderr.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::model::{Status, sanitize_cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Cell values that spreadsheets would run as formulas get a leading `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Whether colour is wanted: `--color` > non-empty `NO_COLOR` > `TERM=dumb` > is stdout a tty.
pub fn color_enabled(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            tty && !no_color && !dumb
        }
    }
}

/// The terminal width (`COLUMNS` wins), at least 80.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
        .unwrap_or(100)
        .max(80)
}

pub struct Printer {
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Printer {
        let stdout_tty = io::stdout().is_terminal();
        Printer {
            quiet: global.quiet,
            verbose: global.verbose,
            color: color_enabled(global.color, stdout_tty),
            stdout_tty,
            stderr_tty: io::stderr().is_terminal(),
        }
    }

    /// The requested format, else a table (on a terminal or not: a pipe that wants CSV or JSON
    /// asks for it).
    pub fn format(&self, requested: Option<Format>) -> Format {
        requested.unwrap_or(Format::Table)
    }

    /// A progress message on stderr (not under `-q`).
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// Detail shown with `-v`.
    pub fn debug(&self, msg: impl std::fmt::Display) {
        if self.verbose > 0 && !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// Even more detail, shown with `-vv`.
    pub fn trace(&self, msg: impl std::fmt::Display) {
        if self.verbose > 1 && !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// A warning on stderr (not under `-q`).
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("certstat: warning: {msg}");
        }
    }

    /// An error line on stderr, printed even under `-q` (a problem in an input file, a failed
    /// source): the command's error follows it.
    pub fn error_line(&self, msg: impl std::fmt::Display) {
        eprintln!("{msg}");
    }

    /// Where a command's result goes: stdout, or nowhere under `-q` (which prints only errors;
    /// files named with `--output` are still written).
    pub fn stdout(&self) -> Box<dyn Write> {
        if self.quiet {
            Box::new(io::sink())
        } else {
            Box::new(io::stdout().lock())
        }
    }

    /// Whether a progress bar may be drawn (stderr is a terminal and not `-q`).
    pub fn progress_allowed(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    /// Print a listing. `rows` yields, per row, one cell per column and the JSON object.
    /// CSV and JSON stream; a table is collected and laid out to the terminal width.
    pub fn list(
        &self,
        format: Format,
        columns: &[&str],
        raw: bool,
        rows: impl FnOnce(&mut dyn FnMut(Vec<String>, Value) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        if self.quiet {
            return rows(&mut |_, _| Ok(()));
        }
        let stdout = io::stdout();
        match format {
            Format::Csv => {
                let mut w =
                    csv::Writer::from_writer(io::BufWriter::with_capacity(1 << 16, stdout.lock()));
                w.write_record(columns)?;
                rows(&mut |cells, _| {
                    if raw {
                        w.write_record(&cells)?;
                    } else {
                        w.write_record(
                            cells
                                .iter()
                                .map(|c| neutralize(c))
                                .collect::<Vec<_>>()
                                .iter()
                                .map(|c| c.as_ref()),
                        )?;
                    }
                    Ok(())
                })?;
                w.flush()?;
            }
            Format::Json => {
                let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
                let pretty = self.stdout_tty;
                out.write_all(b"[")?;
                let mut first = true;
                rows(&mut |_, value| {
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    first = false;
                    if pretty {
                        serde_json::to_writer_pretty(&mut out, &value)?;
                    } else {
                        serde_json::to_writer(&mut out, &value)?;
                    }
                    Ok(())
                })?;
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
            Format::Table => {
                let mut table = self.table(columns);
                let status_column = columns.iter().position(|c| *c == "status");
                let mut n = 0usize;
                rows(&mut |mut cells, _| {
                    // One vocabulary: rows carry the status key (as CSV and JSON show it), a
                    // table shows its label.
                    if let Some(cell) = status_column.and_then(|i| cells.get_mut(i))
                        && let Ok(status) = cell.parse::<Status>()
                    {
                        *cell = status.label().to_owned();
                    }
                    table.add_row(cells.iter().map(|c| sanitize_cell(c)).collect::<Vec<_>>());
                    n += 1;
                    Ok(())
                })?;
                if n == 0 {
                    self.info("(none)");
                } else {
                    let mut out = stdout.lock();
                    writeln!(out, "{table}")?;
                }
            }
        }
        Ok(())
    }

    /// An empty table with this printer's style and the terminal's width.
    pub fn table(&self, columns: &[&str]) -> Table {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width() as u16)
            .set_header(columns.iter().copied());
        if !self.stdout_tty {
            table.force_no_tty();
        }
        table
    }

    /// Print one object: JSON as itself; CSV as `field,value` rows; a table as `text`.
    pub fn object(
        &self,
        format: Format,
        value: &impl Serialize,
        text: impl FnOnce() -> String,
    ) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match format {
            Format::Json => {
                if self.stdout_tty {
                    serde_json::to_writer_pretty(&mut out, value)?;
                } else {
                    serde_json::to_writer(&mut out, value)?;
                }
                writeln!(out)?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(["field", "value"])?;
                let mut flat = Vec::new();
                flatten("", &serde_json::to_value(value)?, &mut flat);
                for (k, v) in flat {
                    w.write_record([k.as_str(), neutralize(&v).as_ref()])?;
                }
                w.flush()?;
            }
            Format::Table => write!(out, "{}", text())?,
        }
        Ok(())
    }

    /// Plain text to stdout (the result of a command, not a message).
    pub fn text(&self, text: &str) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}

/// Flatten nested JSON into `a.b.c` keys, for one-row-per-figure CSV.
pub fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::Null => out.push((prefix.to_string(), String::new())),
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(neutralize("Ana"), "Ana");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn control_and_bidi_characters_are_stripped_from_cells() {
        assert_eq!(sanitize_cell("a\u{7}b\u{202e}c\nd"), "abc d");
    }
}
