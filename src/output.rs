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

/// Cell values that spreadsheets would run as formulas get a leading `'`; so do values that
/// already begin with apostrophes before such a character, so that certstat's import of its
/// own export (which takes one `'` off exactly these, [`is_neutralized`]) gives back every
/// value as it was (`'=x` is written `''=x`).
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if starts_like_formula(cell.trim_start_matches('\'')) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether a cell written by [`neutralize`] had a `'` put before it.
pub fn is_neutralized(cell: &str) -> bool {
    cell.starts_with('\'') && starts_like_formula(cell.trim_start_matches('\''))
}

fn starts_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
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

/// The narrowest width tables are laid out to.
pub const MIN_WIDTH: usize = 40;

/// The width to lay tables out to: `COLUMNS` when set, else the terminal's width when stdout
/// is a terminal; `None` (no wrapping at all) for a pipe, a file or cron mail.
pub fn width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .or_else(|| {
            io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
                .flatten()
        })
        .map(|w| w.max(MIN_WIDTH))
}

/// Columns of free text: shortened with an ellipsis when a table must fit. Every other column
/// (addresses, ids, statuses, times, numbers) is shown whole or left out.
const SHRINKABLE: &[&str] = &["name", "detail", "issuer", "description", "subject"];

/// Columns left out early when a table is too wide (after times), in this order.
const LEAVE_OUT_EARLY: &[&str] = &["shares", "issuer", "source", "sent", "delivered", "bounced"];

/// The narrowest a shortened column gets.
const SHRINK_TO: usize = 8;

/// `text` broken at spaces into lines of at most `width` columns (a longer word stays whole).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let w = cell_width(word);
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// Display width of a cell.
fn cell_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut to `max` display columns, ending in `…` when cut.
pub fn ellipsize(text: &str, max: usize) -> String {
    if cell_width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Which columns a table keeps and how wide each may be to fit `width` terminal columns.
/// Columns are left out only while the table cannot fit even with its free text at
/// [`SHRINK_TO`]: times first, then from the right (never the first column). The free text of
/// the columns kept then shrinks, widest first, only as much as needed.
/// Returns (kept indexes, their widths).
pub fn fit(columns: &[&str], natural: &[usize], width: usize) -> (Vec<usize>, Vec<usize>) {
    // UTF8_FULL_CONDENSED: one border, and per column two of padding and one separator.
    let total = |kept: &[usize], w: &dyn Fn(usize) -> usize| -> usize {
        1 + kept.iter().map(|&i| w(i) + 3).sum::<usize>()
    };
    let shrinkable = |i: usize| SHRINKABLE.contains(&columns[i]);
    let floor = |i: usize| {
        if shrinkable(i) {
            SHRINK_TO.max(cell_width(columns[i])).min(natural[i])
        } else {
            natural[i]
        }
    };
    // Lower is left out sooner: times, then secondary figures, then from the right.
    let rank = |i: usize| -> usize {
        let c = columns[i];
        if c == "at" || c == "created" || c.ends_with("_at") {
            0
        } else if let Some(p) = LEAVE_OUT_EARLY.iter().position(|l| *l == c) {
            1 + p
        } else {
            LEAVE_OUT_EARLY.len() + 1 + (columns.len() - i)
        }
    };
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    while kept.len() > 1 && total(&kept, &floor) > width {
        let drop = (1..kept.len())
            .min_by_key(|&k| rank(kept[k]))
            .expect("two columns or more");
        kept.remove(drop);
    }
    let mut widths: Vec<usize> = natural.to_vec();
    loop {
        let over = total(&kept, &|i| widths[i]).saturating_sub(width);
        let Some(&i) = kept
            .iter()
            .filter(|&&i| widths[i] > floor(i))
            .max_by_key(|&&i| widths[i])
        else {
            break;
        };
        if over == 0 {
            break;
        }
        // Shrink the widest down to the next widest (or by what is over), then look again.
        let next = kept
            .iter()
            .filter(|&&k| k != i && shrinkable(k))
            .map(|&k| widths[k])
            .max()
            .unwrap_or(0);
        let step = over.min(widths[i] - next.max(floor(i))).max(1);
        widths[i] = (widths[i] - step).max(floor(i));
    }
    let widths = kept.iter().map(|&i| widths[i]).collect();
    (kept, widths)
}

#[cfg(test)]
mod fit_tests {
    use super::fit;

    #[test]
    fn free_text_shrinks_before_any_column_is_left_out() {
        let cols = ["email", "name", "status", "status_at", "detail"];
        let natural = [24, 12, 9, 20, 30];
        // Natural: 95 + 16 = 111 wide.
        let (kept, widths) = fit(&cols, &natural, 200);
        assert_eq!((kept, widths), (vec![0, 1, 2, 3, 4], natural.to_vec()));
        let (kept, widths) = fit(&cols, &natural, 100);
        assert_eq!(kept, vec![0, 1, 2, 3, 4]);
        assert_eq!(widths[0], 24);
        assert_eq!(widths[3], 20);
        assert_eq!(1 + widths.iter().map(|w| w + 3).sum::<usize>(), 100);
        // Too narrow for every column even shortened: the time goes, the text grows back.
        let (kept, widths) = fit(&cols, &natural, 70);
        assert_eq!(kept, vec![0, 1, 2, 4]);
        assert_eq!(1 + widths.iter().map(|w| w + 3).sum::<usize>(), 70);
        assert_eq!(widths[0], 24);
    }
}

/// Where the printer's bytes go: the terminal ([`Terminal`]: stdout and stderr) or memory
/// ([`Capture`], for tests of what a command prints).
pub trait Sink: Send + Sync {
    /// The command's result, as written (CSV, JSON, tables).
    fn out(&self) -> Box<dyn Write + '_>;
    /// The command's result with control characters made visible when it goes to a terminal
    /// (free text: exports, previews; see [`crate::terminal`]).
    fn out_escaped(&self) -> Box<dyn Write + '_> {
        self.out()
    }
    /// One message line (stderr).
    fn message(&self, line: &str);
}

/// Stdout and stderr.
pub struct Terminal;

impl Sink for Terminal {
    fn out(&self) -> Box<dyn Write + '_> {
        Box::new(io::stdout().lock())
    }

    fn out_escaped(&self) -> Box<dyn Write + '_> {
        Box::new(crate::terminal::Stdout::lock())
    }

    fn message(&self, line: &str) {
        eprintln!("{line}");
    }
}

/// What a printer printed, kept in memory.
#[derive(Default)]
pub struct Capture {
    out: std::sync::Mutex<Vec<u8>>,
    messages: std::sync::Mutex<Vec<String>>,
}

impl Capture {
    /// Everything written as the result so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    /// Every message line so far.
    pub fn messages(&self) -> Vec<String> {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A writer into a [`Capture`]'s result.
struct CaptureOut<'a>(&'a Capture);

impl Write for CaptureOut<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .out
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink for Capture {
    fn out(&self) -> Box<dyn Write + '_> {
        Box::new(CaptureOut(self))
    }

    fn message(&self, line: &str) {
        self.messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line.to_owned());
    }
}

/// The messages of a part that outlives one call (the server's log): a cheap clone of a
/// printer's message side, safe to hand to other threads.
#[derive(Clone)]
pub struct Log {
    quiet: bool,
    sink: std::sync::Arc<dyn Sink>,
}

impl Log {
    /// A progress message (not under `-q`).
    pub fn info(&self, msg: impl std::fmt::Display) {
        info_to(&*self.sink, self.quiet, msg);
    }

    /// A warning (not under `-q`).
    pub fn warn(&self, msg: impl std::fmt::Display) {
        warn_to(&*self.sink, self.quiet, msg);
    }

    /// An error line, printed even under `-q`.
    pub fn error_line(&self, msg: impl std::fmt::Display) {
        self.sink.message(&msg.to_string());
    }
}

/// A message line, unless `quiet`.
fn info_to(sink: &dyn Sink, quiet: bool, msg: impl std::fmt::Display) {
    if !quiet {
        sink.message(&msg.to_string());
    }
}

/// A warning line (`certstat: warning: …`), unless `quiet`.
fn warn_to(sink: &dyn Sink, quiet: bool, msg: impl std::fmt::Display) {
    if !quiet {
        sink.message(&format!("certstat: warning: {msg}"));
    }
}

/// Ask `question` on stderr, the answer to be read from stdin (see `commands::confirm`).
pub fn prompt(question: &str) -> io::Result<()> {
    use std::io::Write as _;
    let mut err = io::stderr().lock();
    write!(err, "{question} [y/N] ")?;
    err.flush()
}

pub struct Printer {
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    sink: std::sync::Arc<dyn Sink>,
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
            sink: std::sync::Arc::new(Terminal),
        }
    }

    /// A printer that keeps what it prints (no terminal, no colour), and what it kept.
    pub fn capture(quiet: bool, verbose: u8) -> (Printer, std::sync::Arc<Capture>) {
        let capture = std::sync::Arc::new(Capture::default());
        let printer = Printer {
            quiet,
            verbose,
            color: false,
            stdout_tty: false,
            stderr_tty: false,
            sink: capture.clone(),
        };
        (printer, capture)
    }

    /// The message side of this printer, for the server's log.
    pub fn log(&self) -> Log {
        Log {
            quiet: self.quiet,
            sink: std::sync::Arc::clone(&self.sink),
        }
    }

    /// The requested format, else a table (on a terminal or not: a pipe that wants CSV or JSON
    /// asks for it).
    pub fn format(&self, requested: Option<Format>) -> Format {
        requested.unwrap_or(Format::Table)
    }

    /// A progress message on stderr (not under `-q`).
    pub fn info(&self, msg: impl std::fmt::Display) {
        info_to(&*self.sink, self.quiet, msg);
    }

    /// Detail shown with `-v`.
    pub fn debug(&self, msg: impl std::fmt::Display) {
        info_to(&*self.sink, self.quiet || self.verbose < 1, msg);
    }

    /// Even more detail, shown with `-vv`.
    pub fn trace(&self, msg: impl std::fmt::Display) {
        info_to(&*self.sink, self.quiet || self.verbose < 2, msg);
    }

    /// A warning on stderr (not under `-q`).
    pub fn warn(&self, msg: impl std::fmt::Display) {
        warn_to(&*self.sink, self.quiet, msg);
    }

    /// An error line on stderr, printed even under `-q` (a problem in an input file, a failed
    /// source): the command's error follows it.
    pub fn error_line(&self, msg: impl std::fmt::Display) {
        self.sink.message(&msg.to_string());
    }

    /// Where a data command's data goes (an export, a preview, completions, a man page):
    /// stdout, with control characters made visible when it is a terminal (see
    /// [`crate::terminal`]). Written under `-q` too: the data is what was asked for, and `-q`
    /// drops only messages and the reports of commands that change things.
    pub fn stdout(&self) -> Box<dyn Write + '_> {
        self.sink.out_escaped()
    }

    /// Whether a progress bar may be drawn (stderr is a terminal and not `-q`).
    pub fn progress_allowed(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    /// Print a listing (data: written under `-q` too). `rows` yields, per row, one cell per
    /// column and the JSON object. CSV and JSON stream; a table is collected and laid out to
    /// the terminal width.
    pub fn list(
        &self,
        format: Format,
        columns: &[&str],
        raw: bool,
        rows: impl FnOnce(&mut dyn FnMut(Vec<String>, Value) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(io::BufWriter::with_capacity(
                    1 << 16,
                    self.sink.out(),
                ));
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
                let mut out = io::BufWriter::with_capacity(1 << 16, self.sink.out());
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
                let status_column = columns.iter().position(|c| *c == "status");
                let mut all: Vec<Vec<String>> = Vec::new();
                rows(&mut |mut cells, _| {
                    // One vocabulary: rows carry the status key (as CSV and JSON show it), a
                    // table shows its label.
                    if let Some(cell) = status_column.and_then(|i| cells.get_mut(i))
                        && let Ok(status) = cell.parse::<Status>()
                    {
                        *cell = status.label().to_owned();
                    }
                    all.push(cells.iter().map(|c| sanitize_cell(c)).collect());
                    Ok(())
                })?;
                if all.is_empty() {
                    self.info("(none)");
                } else {
                    let table = self.fitted_table(columns, &all);
                    writeln!(self.sink.out(), "{table}")?;
                }
            }
        }
        Ok(())
    }

    /// An empty table with this printer's style: wrapped to [`width`] when there is one, never
    /// wrapped otherwise.
    pub fn table(&self, columns: &[&str]) -> Table {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_header(columns.iter().copied());
        match width() {
            Some(w) => table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w as u16),
            None => table.set_content_arrangement(ContentArrangement::Disabled),
        };
        if !self.stdout_tty {
            table.force_no_tty();
        }
        table
    }

    /// A listing's table, fitted to [`width`] by [`fit`]: no cell is wrapped; free text is
    /// shortened with `…` and columns that still do not fit are left out (and named on stderr).
    fn fitted_table(&self, columns: &[&str], rows: &[Vec<String>]) -> Table {
        let natural: Vec<usize> = (0..columns.len())
            .map(|i| {
                rows.iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| cell_width(c))
                    .chain([cell_width(columns[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let (kept, widths) = match width() {
            Some(w) => fit(columns, &natural, w),
            None => ((0..columns.len()).collect(), natural.clone()),
        };
        if kept.len() < columns.len() {
            let left_out: Vec<&str> = (0..columns.len())
                .filter(|i| !kept.contains(i))
                .map(|i| columns[i])
                .collect();
            let note = format!(
                "(left out to fit the terminal: {}; --format csv or json shows every column)",
                left_out.join(", ")
            );
            self.info(wrap(&note, width().unwrap_or(usize::MAX)));
        }
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(kept.iter().map(|&i| columns[i]));
        for row in rows {
            table.add_row(
                kept.iter()
                    .zip(&widths)
                    .map(|(&i, &w)| ellipsize(row.get(i).map_or("", String::as_str), w)),
            );
        }
        if !self.stdout_tty {
            table.force_no_tty();
        }
        table
    }

    /// Print the report of a command that changed something (what `send` did, what an
    /// import added): nothing under `-q`. See [`Printer::object`].
    pub fn report(
        &self,
        format: Format,
        value: &impl Serialize,
        text: impl FnOnce() -> String,
    ) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.object(format, value, text)
    }

    /// Print one object, the data a command was asked for (`cert show`, `stats`; written under
    /// `-q` too): JSON as itself; CSV as `field,value` rows; a table as `text`.
    pub fn object(
        &self,
        format: Format,
        value: &impl Serialize,
        text: impl FnOnce() -> String,
    ) -> Result<()> {
        let mut out = self.sink.out();
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

    /// Plain text to stdout: a data command's data (written under `-q` too), not a message.
    pub fn text(&self, text: &str) -> Result<()> {
        self.sink.out().write_all(text.as_bytes())?;
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
    fn the_log_prints_as_its_printer_does() {
        for quiet in [false, true] {
            let (printer, capture) = Printer::capture(quiet, 0);
            let log = printer.log();
            std::thread::spawn(move || {
                log.info("certstat: stopped");
                log.warn("slow");
                log.error_line("certstat: error: boom");
            })
            .join()
            .unwrap();
            printer.info("from the printer");
            let expected: Vec<&str> = if quiet {
                vec!["certstat: error: boom"]
            } else {
                vec![
                    "certstat: stopped",
                    "certstat: warning: slow",
                    "certstat: error: boom",
                    "from the printer",
                ]
            };
            assert_eq!(capture.messages(), expected, "quiet={quiet}");
        }
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(neutralize("Ana"), "Ana");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("'t Hooft"), "'t Hooft");
        // Every value comes back from a neutralised cell as it was.
        for value in [
            "=1+1", "'=1+1", "''-x", "'t Hooft", "'", "''", "Ana", "", "'@x", "-",
        ] {
            let cell = neutralize(value);
            let back = if is_neutralized(&cell) {
                &cell[1..]
            } else {
                &cell[..]
            };
            assert_eq!(back, value, "{value:?} written {cell:?}");
        }
    }

    #[test]
    fn control_and_bidi_characters_are_stripped_from_cells() {
        assert_eq!(sanitize_cell("a\u{7}b\u{202e}c\nd"), "abc d");
    }
}
