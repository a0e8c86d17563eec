//! Input files as streams: a path, a FIFO or process substitution (`<(...)`), or `-` for
//! standard input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The 1-based line and column (in characters) of byte offset `at` of `text`, as an error
/// about a user's file gives them (an offset inside a character or past the end counts from
/// the character boundary before it).
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What a JSON reader's error says, without the place it counts in its own input (`... at
/// line 1 column 4`): the caller gives the place in the user's file.
pub fn json_error_what(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((what, _)) => what.to_string(),
        None => text,
    }
}

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How messages name the input.
pub fn label(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

/// Open `path` (or standard input for `-`) for reading, buffered; `what` names it in errors
/// ("the events file").
pub fn open(path: &Path, what: &str) -> Result<Box<dyn BufRead + Send>> {
    if is_stdin(path) {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read {what} {}: check the path", path.display()))?;
    if meta.is_dir() {
        bail!("{} is a directory: give the path of {what}", path.display());
    }
    let file =
        File::open(path).with_context(|| format!("cannot open {what} {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// Whether `path` is something that can be read only once (standard input, a FIFO, a socket,
/// a character device such as `/dev/fd/N` of a process substitution).
pub fn is_stream(path: &Path) -> bool {
    is_stdin(path) || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A stream copied to a private temporary file in `dir`, so that it can be read more than
/// once (the CSV import reads its file twice). The file is removed when the guard drops.
pub fn spool(path: &Path, dir: &Path, what: &str) -> Result<tempfile::TempPath> {
    let mut input = open(path, what)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".certstat-input-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    io::copy(&mut input, tmp.as_file_mut()).with_context(|| {
        format!(
            "cannot copy {} to a temporary file in {} (free space there?)",
            label(path),
            dir.display()
        )
    })?;
    Ok(tmp.into_temp_path())
}

/// A reader that counts the newlines it passes on (line numbers for errors).
pub struct LineCount<R> {
    pub inner: R,
    pub newlines: u64,
}

impl<R: Read> Read for LineCount<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        Ok(n)
    }
}
