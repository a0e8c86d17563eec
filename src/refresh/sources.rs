//! Local mailboxes: Maildir (`new/` and `cur/`) and mbox files. Both are only read: nothing is
//! moved, renamed, flagged or deleted.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Engine;

/// How many messages are read, analysed and applied together.
const CHUNK: usize = 256;

/// Read every message of a Maildir. A missing or unreadable Maildir is an error of the run;
/// an unreadable message is an error too, and the rest is still read.
pub fn maildir(engine: &mut Engine<'_>, dir: &Path) -> Result<()> {
    if dir.is_file() {
        engine.error(format!(
            "{} is a file, not a Maildir: give the directory that holds new/, cur/ and tmp/ \
             (an mbox file goes with --mbox)",
            dir.display()
        ));
        return Ok(());
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut found_any = false;
    for sub in ["new", "cur"] {
        let d = dir.join(sub);
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                engine.error(format!(
                    "cannot read the Maildir folder {} ({e}); check its permissions",
                    d.display()
                ));
                return Ok(());
            }
        };
        found_any = true;
        for entry in entries {
            match entry {
                Ok(e) => {
                    let name = e.file_name();
                    if name.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                        files.push(e.path());
                    }
                }
                Err(e) => engine.error(format!("cannot list {} ({e})", d.display())),
            }
        }
    }
    if !found_any {
        engine.error(format!(
            "{} is not a readable Maildir (it has neither new/ nor cur/): give the directory \
             that holds new/, cur/ and tmp/",
            dir.display()
        ));
        return Ok(());
    }
    files.sort();
    // The files are read on the thread that feeds the analysis, chunk by chunk, so reading
    // overlaps analysing and applying.
    let chunks = files.chunks(CHUNK).map(|chunk| {
        let mut items = Vec::with_capacity(chunk.len());
        let mut errors = Vec::new();
        for path in chunk {
            match std::fs::read(path) {
                Ok(raw) => items.push((format!("maildir:{}", path.display()), raw)),
                // Another program (a mail client, Dovecot) may have moved it from new/ to cur/
                // since we listed the folder: it is read again next time, under its new name.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => errors.push(format!("cannot read {} ({e})", path.display())),
            }
        }
        (items, errors)
    });
    engine.ingest_stream(chunks, "dsn", true)?;
    Ok(())
}

/// Why the start of a file shows it is not an mbox (None when it may be one, an empty file
/// included): an mbox begins, after blank lines at most, with a "From " separator line. A
/// file of another kind would otherwise be read as no messages, silently.
fn not_an_mbox(file: &mut impl BufRead) -> Option<String> {
    let start = match file.fill_buf() {
        Ok(b) => b,
        Err(e) => return Some(format!("it cannot be read ({e})")),
    };
    let text = start.trim_ascii_start();
    if text.is_empty() || text.starts_with(b"From ") {
        return None;
    }
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(&line[..line.len().min(60)]);
    let line = crate::model::sanitize_cell(line.trim_end());
    Some(if text.contains(&0) {
        "it holds binary data".to_string()
    } else {
        format!("its first line is \"{line}\"")
    })
}

/// Read every message of an mbox file.
pub fn mbox(engine: &mut Engine<'_>, path: &Path) -> Result<()> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            engine.error(format!(
                "cannot read the mbox file {} ({e})",
                path.display()
            ));
            return Ok(());
        }
    };
    let mut file = BufReader::new(file);
    if let Some(problem) = not_an_mbox(&mut file) {
        engine.error(format!(
            "{} is not an mbox file: {problem}. An mbox holds messages each after a line \
             beginning \"From \"; give a Maildir with --maildir",
            path.display()
        ));
        return Ok(());
    }
    let mut messages = mail_parser::mailbox::mbox::MessageIterator::new(file).enumerate();
    let name = path.display().to_string();
    let mut failed = false;
    // Read on the thread that feeds the analysis, a chunk at a time; a read error ends the file.
    let chunks = std::iter::from_fn(move || {
        if failed {
            return None;
        }
        let mut items = Vec::with_capacity(CHUNK);
        let mut errors = Vec::new();
        for (n, message) in messages.by_ref() {
            match message {
                Ok(m) => items.push((format!("mbox:{name}#{}", n + 1), m.unwrap_contents())),
                Err(e) => {
                    errors.push(format!("cannot read the mbox file {name} ({e})"));
                    failed = true;
                    break;
                }
            }
            if items.len() >= CHUNK {
                break;
            }
        }
        (!items.is_empty() || !errors.is_empty()).then_some((items, errors))
    });
    engine.ingest_stream(chunks, "dsn", true)?;
    Ok(())
}
