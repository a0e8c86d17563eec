//! Reading recipients from real spreadsheet exports, and importing them all-or-nothing.
//!
//! Pass 1 scans the raw bytes once (binary content, encoding, absurd line lengths, delimiter);
//! pass 2 streams the records through the `csv` crate on one thread, which checks them, and
//! writes them on another in one transaction (a large import builds the address index after its
//! rows). Any invalid row rolls the whole import back, unless `--skip-invalid`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use email_address::{EmailAddress, Options};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::db;
use crate::model::{email_hash, email_key};

mod encoding;
pub(crate) mod quotes;

/// The longest line a CSV export plausibly has.
pub const MAX_LINE: usize = 1 << 20;

/// How the file's bytes become text: `None` finds out (UTF-8, UTF-16, or a guessed legacy
/// encoding), `Some` forces one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding(pub Option<&'static encoding_rs::Encoding>);

impl Encoding {
    pub const AUTO: Encoding = Encoding(None);
}

/// The `--encoding` value parser.
pub fn parse_encoding(label: &str) -> Result<Encoding, String> {
    encoding::parse_label(label).map(Encoding)
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub email_column: Option<String>,
    pub name_column: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    pub skip_invalid: bool,
    pub dry_run: bool,
    pub update_existing: bool,
}

/// One problem with one row (or the whole file, with `line` 0).
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub line: u64,
    pub column: Option<usize>,
    pub message: String,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub file: PathBuf,
    pub encoding: String,
    pub delimiter: String,
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Already on the certificate with other details (not changed without --update-existing).
    pub duplicates: u64,
    pub invalid: u64,
    pub dry_run: bool,
    pub committed: bool,
    pub problems: Vec<Problem>,
    /// Rows imported with a change worth knowing (a name cell's line breaks joined).
    pub warnings: Vec<Problem>,
}

/// The outcome of pass 1.
struct Scan {
    /// The text, when it had to be decoded into memory (not UTF-8).
    decoded: Option<String>,
    bom_len: usize,
    encoding: &'static str,
    delimiter: u8,
    size: u64,
    /// Newlines in the file, plus one: at least its number of records.
    lines: u64,
}

fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for &b in first_line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    // The most frequent wins; on a tie the earlier (`,` first).
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

fn first_line_of(text: &[u8]) -> &[u8] {
    text.split(|&b| b == b'\n')
        .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or(&[])
}

/// The file at `path` exists, is a file and is not empty: its metadata.
fn checked_file(path: &Path, label: &str) -> Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path).with_context(|| {
        format!(
            "cannot read {}: check the path (it must be a CSV file)",
            label
        )
    })?;
    if meta.is_dir() {
        bail!("{} is a directory: give the path of a CSV file", label);
    }
    if meta.len() == 0 {
        bail!(
            "{} is empty: it needs a header line and at least one recipient",
            label
        );
    }
    Ok(meta)
}

/// What the first bytes of a file say about how to read it.
enum Start {
    /// Bytes of another encoding (forced by `--encoding`, or UTF-16 by its BOM).
    Decode(&'static encoding_rs::Encoding),
    /// UTF-8, after a byte-order mark of this many bytes (0 or 3).
    Utf8 { bom_len: usize },
}

fn start_of(first: &[u8], label: &str, opts: &ImportOptions) -> Result<Start> {
    if first.starts_with(b"PK\x03\x04") {
        bail!(
            "{} is a zip archive (an .xlsx or .ods workbook?), not CSV: save it as \"CSV UTF-8\" and import that",
            label
        );
    }
    let forced = opts.encoding.0.filter(|e| *e != encoding_rs::UTF_8);
    if let Some(enc) = forced.or_else(|| encoding::sniff_utf16(&first[..first.len().min(4096)])) {
        return Ok(Start::Decode(enc));
    }
    let bom_len = if first.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    Ok(Start::Utf8 { bom_len })
}

/// Line numbers and lengths over a file read in chunks: a line over [`MAX_LINE`] or a NUL
/// byte is an error at its line.
struct Lines {
    /// The line the next byte is on (1-based).
    line: u64,
    /// Bytes of that line so far.
    len: usize,
}

impl Lines {
    fn feed(&mut self, chunk: &[u8], label: &str) -> Result<()> {
        // Lines and their lengths up to the first NUL byte, if any (so that a too-long line
        // before it is reported first, as in a byte-by-byte reading).
        let nul = memchr::memchr(0, chunk);
        let lines_part = &chunk[..nul.unwrap_or(chunk.len())];
        let too_long = |line: u64| {
            anyhow::anyhow!(
                "{}:{line}: this line is longer than 1 MiB: the file does not look like a CSV export \
                 (wrong delimiter or line endings?)",
                label
            )
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', lines_part) {
            if self.len + (end - start) > MAX_LINE {
                return Err(too_long(self.line));
            }
            self.line += 1;
            self.len = 0;
            start = end + 1;
        }
        self.len += lines_part.len() - start;
        if self.len > MAX_LINE {
            return Err(too_long(self.line));
        }
        if nul.is_some() {
            bail!(
                "{}:{}: contains a NUL byte: this is a binary file, not a CSV export",
                label,
                self.line
            );
        }
        Ok(())
    }
}

/// UTF-8 validation across chunk boundaries: the first invalid byte and its line.
#[derive(Default)]
struct Utf8Check {
    /// The end of the last chunk that may be the start of a character.
    carry: Vec<u8>,
    first_bad: Option<(u64, u8)>,
}

impl Utf8Check {
    /// Check `chunk`, whose last byte is on line `line_end`.
    fn feed(&mut self, chunk: &[u8], line_end: u64) {
        if self.first_bad.is_some() {
            return;
        }
        self.carry.extend_from_slice(chunk);
        match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.clear(),
            Err(e) => match e.error_len() {
                None => {
                    let keep = self.carry.split_off(e.valid_up_to());
                    self.carry = keep;
                }
                Some(_) => {
                    let bad_at = e.valid_up_to();
                    let bad_byte = self.carry[bad_at];
                    let newlines_after =
                        self.carry[bad_at..].iter().filter(|&&b| b == b'\n').count() as u64;
                    self.first_bad = Some((line_end - newlines_after, bad_byte));
                    self.carry.clear();
                }
            },
        }
    }

    /// The first invalid byte and its line, a character cut off at the end included.
    fn finish(self, last_line: u64) -> Option<(u64, u8)> {
        match self.first_bad {
            None if !self.carry.is_empty() => Some((last_line, self.carry[0])),
            bad => bad,
        }
    }
}

/// Read a file once, in chunks: its encoding, delimiter and number of lines, or the first
/// reason it cannot be imported.
fn scan(path: &Path, label: &str, opts: &ImportOptions) -> Result<Scan> {
    let meta = checked_file(path, label)?;
    let mut file = File::open(path).with_context(|| format!("cannot open {}", label))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut head: Vec<u8> = Vec::new();
    let mut lines = Lines { line: 1, len: 0 };
    let mut utf8 = Utf8Check::default();
    let mut offset = 0u64;
    let mut bom_len = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        if offset == 0 {
            match start_of(chunk, label, opts)? {
                Start::Decode(enc) => return scan_decoded(path, label, opts, meta.len(), enc),
                Start::Utf8 { bom_len: len } => {
                    bom_len = len;
                    chunk = &chunk[len..];
                }
            }
        }
        if head.len() < 64 * 1024 {
            head.extend_from_slice(&chunk[..chunk.len().min(64 * 1024)]);
        }
        lines.feed(chunk, label)?;
        utf8.feed(chunk, lines.line);
        offset += n as u64;
    }
    let first_bad = utf8.finish(lines.line);
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("{} has no content, only blank lines", label);
    }
    if let Some((line, byte)) = first_bad {
        if opts.encoding.0.is_some() {
            bail!(
                "{}:{line}: byte 0x{byte:02X} is not valid UTF-8: save the file as \"CSV UTF-8\", or pass \
                 --encoding with the encoding it was saved in (e.g. windows-1252)",
                label
            );
        }
        let bytes = std::fs::read(path)?;
        if let Some(bad) = encoding::damaged_utf8(&bytes) {
            bail!(
                "{}:{}:{}: byte 0x{:02X} is not valid UTF-8, yet the file has {} UTF-8 characters \
                 that are not ASCII: it is UTF-8 with a damaged byte (or two encodings mixed), and \
                 reading it as another encoding would garble every name; fix or retype the text \
                 at that place, or pass --encoding if the whole file is in another encoding",
                label,
                bad.line,
                bad.column,
                bad.byte,
                bad.valid_non_ascii
            );
        }
        let (enc, _) = encoding::guess(&bytes);
        return scan_decoded(path, label, opts, meta.len(), enc);
    }
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(first_line_of(&head)));
    Ok(Scan {
        decoded: None,
        bom_len,
        encoding: if bom_len > 0 {
            "utf-8 (with BOM)"
        } else {
            "utf-8"
        },
        delimiter,
        size: meta.len(),
        lines: lines.line,
    })
}

/// The whole file decoded from `enc` into memory.
fn scan_decoded(
    path: &Path,
    label: &str,
    opts: &ImportOptions,
    size: u64,
    enc: &'static encoding_rs::Encoding,
) -> Result<Scan> {
    let text = encoding::decode(label, &std::fs::read(path)?, enc)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string();
    if text.trim().is_empty() {
        bail!("{} has no content, only blank lines", label);
    }
    let delimiter = opts
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(first_line_of(text.as_bytes())));
    Ok(Scan {
        lines: text.matches('\n').count() as u64 + 1,
        decoded: Some(text),
        bom_len: 0,
        encoding: enc.name(),
        delimiter,
        size,
    })
}

/// A header cell reduced to letters and digits, lower-case: `E-Mail Address` → `emailaddress`.
fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const EMAIL_HEADERS: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "mailaddress",
    "emailadresse",
    "courriel",
    "correo",
    "correoelectronico",
];
const NAME_HEADERS: &[&str] = &[
    "name",
    "fullname",
    "recipientname",
    "displayname",
    "recipient",
    "participant",
];
const FIRST_HEADERS: &[&str] = &[
    "firstname",
    "givenname",
    "forename",
    "first",
    "vorname",
    "prenom",
];
const LAST_HEADERS: &[&str] = &[
    "lastname",
    "surname",
    "familyname",
    "last",
    "nachname",
    "nom",
];

#[derive(Debug)]
enum NameFrom {
    Column(usize),
    FirstLast(usize, usize),
    None,
}

#[derive(Debug)]
struct Columns {
    headers: Vec<String>,
    /// The file is certstat's own export: an empty cell means the recipient had no such field.
    own_export: bool,
    email: usize,
    name: NameFrom,
    /// Every column that is neither the email nor a name source: (index, key).
    fields: Vec<(usize, String)>,
}

fn find_column(headers: &[String], wanted: &str, flag: &str) -> Result<usize> {
    let key = header_key(wanted);
    headers
        .iter()
        .position(|h| h.trim() == wanted.trim())
        .or_else(|| headers.iter().position(|h| header_key(h) == key))
        .with_context(|| {
            format!(
                "{flag} '{wanted}' is not a column of this file; its columns are: {}",
                headers.join(", ")
            )
        })
}

/// The email column: the one named by `--email-column`, else the one header that names an
/// address.
fn email_column(headers: &[String], opts: &ImportOptions, file: &str) -> Result<usize> {
    if let Some(c) = &opts.email_column {
        return find_column(headers, c, "--email-column");
    }
    let found: Vec<usize> = (0..headers.len())
        .filter(|&i| EMAIL_HEADERS.contains(&header_key(&headers[i]).as_str()))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => bail!(
            "{file}:1: no email column in the header ({}): name it \"email\" or pass --email-column",
            headers.join(", ")
        ),
        [a, b, ..] => bail!(
            "{file}:1: two email columns, '{}' (column {}) and '{}' (column {}): choose one with --email-column",
            headers[*a],
            a + 1,
            headers[*b],
            b + 1
        ),
    }
}

/// Where the name comes from: `--name-column`, else a name column, else first and last name
/// columns, else a first name alone.
/// Two columns that both name the same thing (two "name", or "Name" and "full name") are
/// refused: which one holds the name would be a guess.
fn name_source(
    headers: &[String],
    opts: &ImportOptions,
    email: usize,
    file: &str,
) -> Result<NameFrom> {
    if let Some(c) = &opts.name_column {
        return Ok(NameFrom::Column(find_column(headers, c, "--name-column")?));
    }
    let all = |names: &[&str]| -> Vec<usize> {
        (0..headers.len())
            .filter(|&i| i != email && names.contains(&header_key(&headers[i]).as_str()))
            .collect()
    };
    // First and last names count only when no column holds the whole name.
    let candidates = if all(NAME_HEADERS).is_empty() {
        vec![(FIRST_HEADERS, "first-name"), (LAST_HEADERS, "last-name")]
    } else {
        vec![(NAME_HEADERS, "name")]
    };
    for (names, what) in candidates {
        if let [a, b, ..] = all(names).as_slice() {
            bail!(
                "{file}:1: two {what} columns, '{}' (column {}) and '{}' (column {}): rename one, or choose one with --name-column",
                headers[*a],
                a + 1,
                headers[*b],
                b + 1
            );
        }
    }
    let pick = |names: &[&str]| all(names).first().copied();
    Ok(
        match (pick(NAME_HEADERS), pick(FIRST_HEADERS), pick(LAST_HEADERS)) {
            (Some(n), _, _) => NameFrom::Column(n),
            (None, Some(f), Some(l)) => NameFrom::FirstLast(f, l),
            (None, Some(f), None) => NameFrom::Column(f),
            _ => NameFrom::None,
        },
    )
}

/// The template fields: every column that is not `used` (the email and the name) and, in a
/// file of certstat's own export (`own_export`), not one of its own columns; named by their
/// header (an empty one `column<N>`), each name once.
fn field_columns(
    headers: &[String],
    own_export: bool,
    used: impl Fn(usize) -> bool,
    file: &str,
) -> Result<Vec<(usize, String)>> {
    let mut fields = Vec::new();
    let mut seen = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if used(i) || (own_export && crate::model::EXPORT_COLUMNS.contains(&h.as_str())) {
            continue;
        }
        let h = if own_export {
            h.strip_prefix("field:").unwrap_or(h)
        } else {
            h.as_str()
        };
        let key = h.trim().to_string();
        let key = if key.is_empty() {
            format!("column{}", i + 1)
        } else {
            key
        };
        if let Some(prev) = seen.insert(key.clone(), i) {
            bail!(
                "{file}:1: columns {} and {} are both named '{key}': rename one",
                prev + 1,
                i + 1
            );
        }
        fields.push((i, key));
    }
    Ok(fields)
}

fn detect_columns(headers: Vec<String>, opts: &ImportOptions, file: &str) -> Result<Columns> {
    let email = email_column(&headers, opts, file)?;
    let name = name_source(&headers, opts, email, file)?;
    let used = |i: usize| {
        i == email
            || match name {
                NameFrom::Column(n) => n == i,
                NameFrom::FirstLast(f, l) => f == i || l == i,
                NameFrom::None => false,
            }
    };
    // A file written by `certstat export`: its own columns are not template fields.
    let own_export = ["status", "status_at", "created_at"]
        .iter()
        .all(|c| headers.iter().any(|h| h == c));
    let fields = field_columns(&headers, own_export, used, file)?;
    Ok(Columns {
        headers,
        own_export,
        email,
        name,
        fields,
    })
}

/// Undo the `'` that certstat's own CSV export puts before formula-like cells
/// ([`crate::output::neutralize`]); in any other file (`own_export` false) a leading `'` is
/// the user's own text (`'t Hooft`, `'=literal`) and stays.
fn unneutralize(cell: &str, own_export: bool) -> &str {
    if own_export && crate::output::is_neutralized(cell) {
        &cell[1..]
    } else {
        cell
    }
}

/// Characters that do not show, or that reorder what is shown: zero-width spaces and joiners,
/// the word joiner, the byte order mark, the soft hyphen, and the bidirectional marks,
/// embeddings, overrides and isolates. In an address they make two different addresses look
/// the same.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// RFC 5321 limits, in octets: local part (4.5.3.1.1), domain (4.5.3.1.2), and the path
/// `<local@domain>` without its brackets (4.5.3.1.3).
pub const MAX_LOCAL: usize = 64;
pub const MAX_DOMAIN: usize = 255;
pub const MAX_ADDRESS: usize = 254;

/// The length limits and the invisible or control characters an address may not have.
fn check_email_shape(email: &str) -> Result<(), String> {
    if let Some(c) = email.chars().find(|&c| c.is_control() || is_invisible(c)) {
        return Err(format!(
            "the address '{}' contains the invisible or control character U+{:04X}: retype it \
             (it was probably pasted from a document)",
            email.escape_debug(),
            c as u32
        ));
    }
    let shown = || email.chars().take(40).collect::<String>();
    if email.len() > MAX_ADDRESS {
        return Err(format!(
            "the address '{}…' is {} bytes long, more than the {MAX_ADDRESS} an address may have \
             (RFC 5321): check the cell",
            shown(),
            email.len()
        ));
    }
    if let Some((local, domain)) = email.rsplit_once('@') {
        if local.len() > MAX_LOCAL {
            return Err(format!(
                "the part before @ of '{}…' is {} bytes long, more than the {MAX_LOCAL} allowed \
                 (RFC 5321): check the cell",
                shown(),
                local.len()
            ));
        }
        if domain.len() > MAX_DOMAIN {
            return Err(format!(
                "the domain of '{}…' is longer than {MAX_DOMAIN} bytes (RFC 5321)",
                shown()
            ));
        }
    }
    Ok(())
}

/// Check an address: plain `local@domain`, ASCII or internationalised, within RFC 5321's
/// lengths, without invisible, bidirectional or control characters.
pub fn check_email(email: &str) -> Result<(), String> {
    if email.is_empty() {
        return Err("the email address is empty".into());
    }
    check_email_shape(email)?;
    let options = Options {
        allow_display_text: false,
        allow_domain_literal: false,
        ..Options::default()
    };
    EmailAddress::parse_with_options(email, options)
        .map_err(|e| format!("'{email}' is not a valid email address ({e})"))?;
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
    if crate::model::ascii_domain(domain).is_none() {
        return Err(format!(
            "the domain '{domain}' of '{email}' is not a valid domain name: host names have \
             letters, digits and hyphens (no '_', no '-' at either end of a part), and an \
             'xn--' part must be valid punycode; check the address"
        ));
    }
    Ok(())
}

/// The line breaks a spreadsheet cell may hold (Alt+Enter in Excel and LibreOffice, exported as
/// LF, CR LF or CR; the Unicode line and paragraph separators). Other control characters stay
/// refused.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// A name with line breaks as one line: its lines trimmed and joined with a space (`None` when
/// it has no line break).
pub fn join_lines(name: &str) -> Option<String> {
    if !name.contains(is_line_break) {
        return None;
    }
    Some(
        name.split(is_line_break)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Check a display name: no control characters (they would corrupt tables and headers).
pub fn check_name(name: &str) -> Result<(), String> {
    match name.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!(
            "the name '{}' contains the control character U+{:04X}: remove it from the file",
            name.escape_debug(),
            c as u32
        )),
        None => Ok(()),
    }
}

/// What an address is to an import.
enum Seen {
    New,
    /// Added from an earlier line of this file (that line).
    InFile(u64),
    /// On the certificate before this import.
    Existing(Box<crate::model::Recipient>),
}

/// Look an address up on the certificate by its full address. A recipient added by this import
/// (an id above `max_id_before`: ids of new rows count up from the highest) is a duplicate
/// within the file, on the line `added_lines` has for it.
fn look_up(
    conn: &Connection,
    certificate_id: i64,
    email: &str,
    max_id_before: i64,
    added_lines: &[u64],
) -> Result<Seen> {
    Ok(match db::recipients::find(conn, certificate_id, email)? {
        Some(prev) if prev.id > max_id_before => Seen::InFile(
            usize::try_from(prev.id - max_id_before - 1)
                .ok()
                .and_then(|i| added_lines.get(i))
                .copied()
                .unwrap_or(0),
        ),
        Some(prev) => Seen::Existing(Box::new(prev)),
        None => Seen::New,
    })
}

/// Look up an address whose hash the import has seen: first the recipient the hash was first
/// seen with (`candidate`: a negative existing id, or the line it was added from), by id; only
/// when that one has another address (two addresses share the hash) by the full address.
fn look_up_candidate(
    conn: &Connection,
    certificate_id: i64,
    row: (&str, &str),
    candidate: i64,
    max_id_before: i64,
    added_lines: &[u64],
) -> Result<Seen> {
    let (email, key) = row;
    let id = if candidate < 0 {
        -candidate
    } else {
        match added_lines.binary_search(&(candidate as u64)) {
            Ok(i) => max_id_before + 1 + i as i64,
            Err(_) => 0,
        }
    };
    if let Some(prev) = db::recipients::by_id(conn, id)?
        && prev.certificate_id == certificate_id
        && email_key(&prev.email) == key
    {
        return Ok(if candidate < 0 {
            Seen::Existing(Box::new(prev))
        } else {
            Seen::InFile(candidate as u64)
        });
    }
    look_up(conn, certificate_id, email, max_id_before, added_lines)
}

/// A good row, read and checked by the reading thread: its texts are ranges of its batch's
/// `text`, its field indexes (into `Columns::fields`) a range of the batch's `keys`.
struct Row {
    line: u64,
    email: std::ops::Range<usize>,
    key: std::ops::Range<usize>,
    name: std::ops::Range<usize>,
    fields: std::ops::Range<usize>,
    keys: std::ops::Range<usize>,
    hash: i64,
    /// The name cell had line breaks, joined with spaces (its column, 1-based).
    joined: Option<usize>,
    /// 0: the first row with this address hash (a new address). Otherwise whom the hash was
    /// first seen with: a recipient already on the certificate (minus their id), or the line of
    /// the row of this file that was added with it.
    candidate: i64,
}

enum Item {
    Row(Row),
    Bad(Problem),
}

/// Rows handed from the reading thread to the writing one, in file order.
#[derive(Default)]
struct Batch {
    /// UTF-8: every range of a row is a whole `str` pushed onto it.
    text: Vec<u8>,
    keys: Vec<usize>,
    items: Vec<Item>,
    /// The byte offset of the batch's last record (progress).
    byte: u64,
}

/// Rows per batch, and batches in flight between the threads: a few MB at most.
const BATCH_ROWS: usize = 2048;
const BATCHES_IN_FLIGHT: usize = 4;

type CsvReader = csv::Reader<Box<dyn Read + Send>>;

fn read_record(csv: &mut CsvReader, record: &mut csv::StringRecord, file: &str) -> Result<bool> {
    csv.read_record(record).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        anyhow::anyhow!("{file}:{line}: cannot read this CSV record: {e}")
    })
}

fn is_blank(r: &csv::StringRecord) -> bool {
    r.iter().all(|f| f.trim().is_empty())
}

/// Why a row is invalid: the column (1-based) when one is to blame, and the message.
type Invalid = (Option<usize>, String);

/// The record has the header's number of fields (empty extra ones aside) and text a terminal
/// shows as is.
fn check_fields(record: &csv::StringRecord, cols: &Columns) -> Result<(), Invalid> {
    let n = cols.headers.len();
    if record.len() < n {
        return Err((
            None,
            format!(
                "this row has {} fields but the header has {n}: a missing delimiter or an unclosed quote?",
                record.len()
            ),
        ));
    }
    if let Some(extra) = (n..record.len()).find(|&i| !record[i].trim().is_empty()) {
        return Err((
            Some(extra + 1),
            format!(
                "this row has {} fields but the header has {n} (extra value '{}'): quote values that contain the delimiter",
                record.len(),
                &record[extra]
            ),
        ));
    }
    for (i, value) in record.iter().enumerate().take(n) {
        crate::terminal::check_text(
            &format!("the value of column '{}'", cols.headers[i]),
            value,
            true,
        )
        .map_err(|msg| (Some(i + 1), msg))?;
    }
    Ok(())
}

/// The recipient's name on one line, and the column it was joined from when it had several
/// lines.
fn row_name<'a>(
    record: &'a csv::StringRecord,
    cols: &Columns,
) -> (std::borrow::Cow<'a, str>, Option<usize>) {
    let (name, name_column): (std::borrow::Cow<str>, Option<usize>) = match cols.name {
        NameFrom::Column(i) => (
            unneutralize(record[i].trim(), cols.own_export).into(),
            Some(i + 1),
        ),
        NameFrom::FirstLast(f, l) => (
            format!("{} {}", record[f].trim(), record[l].trim())
                .trim()
                .to_string()
                .into(),
            Some(f + 1),
        ),
        NameFrom::None => ("".into(), None),
    };
    match join_lines(&name) {
        Some(one_line) => (one_line.into(), Some(name_column.unwrap_or(1))),
        None => (name, None),
    }
}

/// A valid record's address, name, and the column its name was joined from.
fn checked_row<'a>(
    record: &'a csv::StringRecord,
    cols: &Columns,
) -> Result<(&'a str, std::borrow::Cow<'a, str>, Option<usize>), Invalid> {
    check_fields(record, cols)?;
    let email = record[cols.email].trim();
    check_email(email).map_err(|msg| (Some(cols.email + 1), msg))?;
    let (name, joined) = row_name(record, cols);
    check_name(&name).map_err(|msg| (None, msg))?;
    Ok((email, name, joined))
}

/// Append the record's template fields to `batch` as one JSON object; its range in the text.
fn push_fields(
    batch: &mut Batch,
    record: &csv::StringRecord,
    cols: &Columns,
    json_keys: &[String],
) -> Result<std::ops::Range<usize>> {
    let keys_start = batch.keys.len();
    let text = &mut batch.text;
    let fields_start = text.len();
    text.push(b'{');
    for (f, (i, _)) in cols.fields.iter().enumerate() {
        if cols.own_export && record[*i].is_empty() {
            continue;
        }
        if batch.keys.len() > keys_start {
            text.push(b',');
        }
        text.extend_from_slice(json_keys[f].as_bytes());
        text.push(b':');
        serde_json::to_writer(&mut *text, unneutralize(&record[*i], cols.own_export))?;
        batch.keys.push(f);
    }
    text.push(b'}');
    Ok(fields_start..text.len())
}

/// The first candidate of an address hash (see [`Row::candidate`]): 0 when this row is the
/// first with it, which then becomes its candidate.
fn candidate(hashes: &mut HashMap<i64, i64>, hash: i64, line: u64) -> i64 {
    match hashes.entry(hash) {
        std::collections::hash_map::Entry::Occupied(e) => *e.get(),
        std::collections::hash_map::Entry::Vacant(e) => {
            // Never 0 (which means "first seen"); a line not found among the added ones falls
            // back to the look-up by address.
            e.insert((line as i64).max(1));
            0
        }
    }
}

/// Check one record and append it to `batch`: a row, or the problem that makes it invalid.
/// `hashes` maps each address hash seen (on the certificate or in good rows so far) to its
/// first candidate (see [`Row::candidate`]).
fn read_row(
    record: &csv::StringRecord,
    line: u64,
    cols: &Columns,
    json_keys: &[String],
    hashes: &mut HashMap<i64, i64>,
    batch: &mut Batch,
) -> Result<()> {
    let (email, name, joined) = match checked_row(record, cols) {
        Ok(row) => row,
        Err((column, message)) => {
            batch.items.push(Item::Bad(Problem {
                line,
                column,
                message,
            }));
            return Ok(());
        }
    };
    let push = |text: &mut Vec<u8>, s: &str| {
        let start = text.len();
        text.extend_from_slice(s.as_bytes());
        start..text.len()
    };
    let name = push(&mut batch.text, &name);
    let email_range = push(&mut batch.text, email);
    let key = email_key(email);
    let hash = email_hash(&key);
    let key_range = push(&mut batch.text, &key);
    let keys_start = batch.keys.len();
    let fields = push_fields(batch, record, cols, json_keys)?;
    batch.items.push(Item::Row(Row {
        line,
        email: email_range,
        key: key_range,
        name,
        fields,
        keys: keys_start..batch.keys.len(),
        hash,
        joined,
        candidate: candidate(hashes, hash, line),
    }));
    Ok(())
}

/// The reading thread: every record after the header, checked, in batches. A record the CSV
/// reader cannot read ends the import with that error.
fn read_rows(
    mut csv: CsvReader,
    cols: &Columns,
    file: &str,
    mut hashes: HashMap<i64, i64>,
    out: std::sync::mpsc::SyncSender<Result<Batch>>,
) {
    let send = |batch: Result<Batch>| out.send(batch).is_ok();
    let json_keys: Vec<String> = match cols
        .fields
        .iter()
        .map(|(_, key)| serde_json::to_string(key))
        .collect::<Result<_, _>>()
    {
        Ok(keys) => keys,
        Err(e) => {
            send(Err(e.into()));
            return;
        }
    };
    let mut record = csv::StringRecord::new();
    let mut batch = Batch::default();
    loop {
        match read_record(&mut csv, &mut record, file) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                send(Err(e));
                return;
            }
        }
        if is_blank(&record) {
            continue;
        }
        let position = record.position();
        let line = position.map_or(0, |p| p.line());
        batch.byte = position.map_or(0, |p| p.byte());
        if let Err(e) = read_row(&record, line, cols, &json_keys, &mut hashes, &mut batch) {
            send(Err(e));
            return;
        }
        if batch.items.len() >= BATCH_ROWS && !send(Ok(std::mem::take(&mut batch))) {
            return;
        }
    }
    if !batch.items.is_empty() {
        send(Ok(batch));
    }
}

/// An import of at least this many lines, and of more lines than the database has recipients,
/// builds the address index after its rows ([`db::recipients::drop_email_index`]).
pub const BULK_MIN_LINES: u64 = 10_000;

/// The most address hashes the import's map is sized for in advance (32 MB of buckets).
const HASHES_PRESIZED_MAX: u64 = 1_500_000;

/// Import `path` into certificate `certificate_id`. `progress` is told how many bytes are read.
///
/// Two threads: one reads, decodes and checks the records (CSV, addresses, names, the fields'
/// JSON, address hashes); this one writes them in one transaction, in file order, and so
/// reports the same rows, counts and problems as one thread would.
pub fn import(
    conn: &Connection,
    certificate_id: i64,
    path: &Path,
    opts: &ImportOptions,
    now: &str,
    progress: &dyn Fn(u64, u64),
) -> Result<Summary> {
    let file_label = crate::input::label(path);
    // Standard input, a FIFO or a process substitution is read once, into a private temporary
    // file that the two passes then read.
    let spooled = if crate::input::is_stream(path) {
        Some(crate::input::spool(
            path,
            &std::env::temp_dir(),
            "the CSV file",
        )?)
    } else {
        None
    };
    let path: &Path = spooled.as_deref().unwrap_or(path);
    let mut scan = scan(path, &file_label, opts)?;
    check_quotes(path, &scan, &file_label)?;
    let summary = Summary {
        file: PathBuf::from(&file_label),
        encoding: scan.encoding.to_string(),
        delimiter: match scan.delimiter {
            b'\t' => "tab".into(),
            d => (d as char).to_string(),
        },
        dry_run: opts.dry_run,
        ..Summary::default()
    };
    let mut csv = csv_reader(path, scan.decoded.take(), &scan)?;
    let headers = read_header(&mut csv, &file_label)?;
    let cols = detect_columns(headers, opts, &file_label)?;

    // A large import writes its pages once when it has the database to itself.
    let _journal = if scan.lines >= BULK_MIN_LINES {
        db::RollbackJournal::if_alone(conn)?
    } else {
        None
    };
    write_rows(
        conn,
        certificate_id,
        (scan.lines, scan.size),
        csv,
        &cols,
        opts,
        now,
        progress,
        summary,
    )
}

/// The CSV reader of a scanned file: the decoded text when it was decoded, else the file
/// after its byte-order mark.
fn csv_reader(path: &Path, decoded: Option<String>, scan: &Scan) -> Result<CsvReader> {
    let reader: Box<dyn Read + Send> = match decoded {
        Some(text) => Box::new(io::Cursor::new(text.into_bytes())),
        None => {
            let mut f = BufReader::with_capacity(1 << 16, File::open(path)?);
            io::copy(&mut (&mut f).take(scan.bom_len as u64), &mut io::sink())?;
            Box::new(f)
        }
    };
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(scan.delimiter)
        .from_reader(reader))
}

/// The header: the first non-blank record, its names trimmed and checked.
fn read_header(csv: &mut CsvReader, file_label: &str) -> Result<Vec<String>> {
    let mut record = csv::StringRecord::new();
    loop {
        if !read_record(csv, &mut record, file_label)? {
            bail!("{file_label} has no header line");
        }
        if !is_blank(&record) {
            break;
        }
    }
    let headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    for (i, h) in headers.iter().enumerate() {
        crate::terminal::check_text(&format!("the header of column {}", i + 1), h, false)
            .map_err(|msg| anyhow::anyhow!("{file_label}:1:{}: {msg}", i + 1))?;
    }
    Ok(headers)
}

/// Refuse a file whose quoting would make the CSV reader merge or split rows silently.
fn check_quotes(path: &Path, scan: &Scan, file: &str) -> Result<()> {
    let found = match &scan.decoded {
        Some(text) => quotes::check(text.as_bytes(), scan.delimiter)?,
        None => {
            let mut f = File::open(path).with_context(|| format!("cannot open {file}"))?;
            io::copy(&mut (&mut f).take(scan.bom_len as u64), &mut io::sink())?;
            quotes::check(f, scan.delimiter)?
        }
    };
    match found {
        Ok(()) => Ok(()),
        Err(e) => bail!("{file}:{}: {}; nothing was imported", e.line, e.message),
    }
}

/// The rows of `csv` (positioned after the header) into the certificate, in one transaction.
#[allow(clippy::too_many_arguments)]
fn write_rows(
    conn: &Connection,
    certificate_id: i64,
    (lines, size): (u64, u64),
    csv: CsvReader,
    cols: &Columns,
    opts: &ImportOptions,
    now: &str,
    progress: &dyn Fn(u64, u64),
    summary: Summary,
) -> Result<Summary> {
    // A page cache big enough to keep the recipients' email index in memory, within the
    // import's memory budget.
    let _cache = db::Pragma::cache_size(conn, 24_000)?;
    db::write_then(conn, |tx| {
        let existing_before = db::recipients::count(tx, certificate_id)?;
        let mut writer = RowWriter {
            certificate_id,
            max_id_before: db::recipients::max_id(tx)?,
            cols,
            opts,
            summary,
            added_lines: Vec::new(),
            key_used: vec![false; cols.fields.len()],
            keys_added: Vec::new(),
        };
        let hashes = known_hashes(tx, certificate_id, existing_before, lines)?;
        let bulk = lines >= BULK_MIN_LINES && lines > writer.max_id_before as u64;
        let dropped_index = if bulk {
            Some(db::recipients::drop_email_index(tx)?)
        } else {
            None
        };
        // Only appends now: a small cache leaves the memory to the hash map.
        let _load_cache = if bulk {
            Some(db::Pragma::cache_size(tx, 8_000)?)
        } else {
            None
        };
        let (sender, batches) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
        std::thread::scope(|scope| -> Result<()> {
            let file = writer.summary.file.display().to_string();
            scope.spawn(move || read_rows(csv, cols, &file, hashes, sender));
            let mut inserter = db::recipients::Inserter::new(tx, certificate_id, now)?;
            let mut last_progress = 0u64;
            for batch in batches {
                crate::signal::check(|| {
                    format!(
                        "{} rows read, nothing was imported (an import is all or nothing): run it again",
                        writer.summary.rows
                    )
                })?;
                let batch = batch?;
                if batch.byte - last_progress > 1 << 20 {
                    progress(batch.byte, size);
                    last_progress = batch.byte;
                }
                writer.batch(tx, &mut inserter, batch)?;
            }
            Ok(())
        })?;
        progress_end(writer.finish(tx, dropped_index)?, size, progress)
    })
}

/// The address hashes of the certificate's recipients, each with whom it was first seen (minus
/// their id), in a map sized once for the rows the file can have (no copy while it grows),
/// within reason. The reading thread adds the good rows of the file.
fn known_hashes(
    conn: &Connection,
    certificate_id: i64,
    existing: u64,
    lines: u64,
) -> Result<HashMap<i64, i64>> {
    let expected = (existing + lines).min(HASHES_PRESIZED_MAX);
    let mut hashes: HashMap<i64, i64> = HashMap::with_capacity(expected as usize);
    if existing > 0 {
        db::recipients::for_each_email_hash(conn, certificate_id, |h, id| {
            hashes.entry(h).or_insert(-id);
        })?;
    }
    Ok(hashes)
}

fn progress_end(
    (summary, end): (Summary, db::End),
    size: u64,
    progress: &dyn Fn(u64, u64),
) -> Result<(Summary, db::End)> {
    progress(size, size);
    Ok((summary, end))
}

/// The writing side of an import: the rows of each batch, in file order, into the certificate.
///
/// A hash the reading thread has not seen before is a new address, without a database look-up;
/// one it has seen is looked up by id and its full address compared (a hash may be shared).
/// The line of each added row, in insertion order, gives its id.
struct RowWriter<'a> {
    certificate_id: i64,
    max_id_before: i64,
    cols: &'a Columns,
    opts: &'a ImportOptions,
    summary: Summary,
    added_lines: Vec<u64>,
    /// The fields recipients were added with, in first-seen order (for the certificate's union).
    key_used: Vec<bool>,
    keys_added: Vec<usize>,
}

impl RowWriter<'_> {
    fn batch(
        &mut self,
        tx: &Connection,
        inserter: &mut db::recipients::Inserter<'_>,
        batch: Batch,
    ) -> Result<()> {
        let text = std::str::from_utf8(&batch.text)?;
        // New rows wait here to be inserted many at a time: until the batch ends, or a
        // look-up (which must see every row before it) comes.
        let mut pending: Vec<db::recipients::NewRecipient> = Vec::with_capacity(BATCH_ROWS);
        for item in batch.items {
            self.summary.rows += 1;
            let row = match item {
                Item::Row(row) => row,
                Item::Bad(problem) => {
                    self.summary.invalid += 1;
                    self.summary.problems.push(problem);
                    continue;
                }
            };
            let (email, key) = (&text[row.email.clone()], &text[row.key.clone()]);
            let (name, fields) = (&text[row.name.clone()], &text[row.fields.clone()]);
            if let Some(column) = row.joined {
                self.summary.warnings.push(Problem {
                    line: row.line,
                    column: Some(column),
                    message: format!(
                        "the name had line breaks (Alt+Enter in the spreadsheet?): imported as \
                         '{name}', on one line"
                    ),
                });
            }
            let seen = if row.candidate == 0 {
                Seen::New
            } else {
                inserter.insert_all(&pending)?;
                pending.clear();
                look_up_candidate(
                    tx,
                    self.certificate_id,
                    (email, key),
                    row.candidate,
                    self.max_id_before,
                    &self.added_lines,
                )?
            };
            match seen {
                Seen::InFile(first) => self.in_file(&row, email, first),
                Seen::Existing(prev) => self.existing(tx, &prev, name, fields)?,
                Seen::New => {
                    pending.push(db::recipients::NewRecipient {
                        email,
                        key,
                        hash: row.hash,
                        name,
                        fields,
                    });
                    self.added(&row, &batch.keys);
                }
            }
        }
        inserter.insert_all(&pending)
    }

    fn in_file(&mut self, row: &Row, email: &str, first: u64) {
        self.summary.invalid += 1;
        self.summary.problems.push(Problem {
            line: row.line,
            column: Some(self.cols.email + 1),
            message: format!(
                "<{email}> is already on line {first} of this file (addresses are case-insensitive)"
            ),
        });
    }

    fn existing(
        &mut self,
        tx: &Connection,
        prev: &crate::model::Recipient,
        name: &str,
        fields: &str,
    ) -> Result<()> {
        let fields: Map<String, Value> = serde_json::from_str(fields)?;
        if prev.name == name && prev.fields == fields {
            self.summary.unchanged += 1;
        } else if self.opts.update_existing {
            db::recipients::update_details(tx, prev, name, &fields)?;
            self.summary.updated += 1;
        } else {
            self.summary.duplicates += 1;
        }
        Ok(())
    }

    fn added(&mut self, row: &Row, keys: &[usize]) {
        self.added_lines.push(row.line);
        for &f in &keys[row.keys.clone()] {
            if !self.key_used[f] {
                self.key_used[f] = true;
                self.keys_added.push(f);
            }
        }
        self.summary.added += 1;
    }

    /// The certificate's fields, then whether the transaction is kept: not with bad rows (unless
    /// skipped) nor in a dry run. A kept bulk import builds its address index now.
    fn finish(
        mut self,
        tx: &Connection,
        dropped_index: Option<db::recipients::DroppedEmailIndex>,
    ) -> Result<(Summary, db::End)> {
        db::recipients::add_field_keys(
            tx,
            self.certificate_id,
            self.keys_added
                .iter()
                .map(|&f| self.cols.fields[f].1.as_str()),
        )?;
        db::recipients::settle_field_keys(tx, self.certificate_id)?;
        if self.summary.rows == 0 {
            bail!(
                "{} has a header but no recipients",
                self.summary.file.display()
            );
        }
        let failed = self.summary.invalid > 0 && !self.opts.skip_invalid;
        if failed || self.opts.dry_run {
            return Ok((self.summary, db::End::Rollback));
        }
        if let Some(dropped) = dropped_index {
            // One helper thread (the other core) for SQLite's sorter, and a small page cache,
            // which also bounds the sorter's runs. Small runs are sorted and written by the
            // helper while this thread still reads the table, and the merge of them at the end
            // is cheap; one large run (a large cache) would be sorted at the end with this
            // thread waiting for it. Measured on 1M recipients: 4 MB builds the index ≈ 0.2 s
            // sooner than 24 MB, with less memory.
            let _cache = db::Pragma::cache_size(tx, 4_000)?;
            let _threads = db::Pragma::set(tx, "threads", 1)?;
            db::recipients::create_email_index(tx, dropped)?;
        }
        self.summary.committed = true;
        Ok((self.summary, db::End::Commit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_bytes(bytes: &[u8]) -> Result<Scan> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        let opts = ImportOptions {
            email_column: None,
            name_column: None,
            delimiter: None,
            encoding: Encoding::AUTO,
            skip_invalid: false,
            dry_run: false,
            update_existing: false,
        };
        scan(&path, "f.csv", &opts)
    }

    /// The scan counts lines, and finds over-long lines and NUL bytes on the right line, also
    /// across its 1 MiB reads, exactly as a byte-by-byte count would.
    #[test]
    fn the_scan_counts_lines_and_finds_long_lines_and_nul_bytes_on_their_line() {
        let mut text = b"email,name\n".to_vec();
        for i in 0..70_000 {
            text.extend_from_slice(format!("p{i}@example.org,P {i}\n").as_bytes());
        }
        let lines = scan_bytes(&text).unwrap().lines;
        assert_eq!(
            lines, 70_002,
            "70,001 newlines: the line after the last one counts too"
        );
        // A line of exactly MAX_LINE bytes crossing a read boundary is fine; one byte more is not.
        let mut long = text.clone();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE));
        long.push(b'\n');
        assert_eq!(scan_bytes(&long).unwrap().lines, 70_003);
        let mut too_long = text.clone();
        too_long.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
        too_long.extend_from_slice(b"\nmore\n");
        let err = scan_bytes(&too_long).err().unwrap().to_string();
        assert!(
            err.contains("f.csv:70002: this line is longer than 1 MiB"),
            "{err}"
        );
        // A NUL byte on line 5, and one after a too-long line on the same line.
        let mut nul = text.clone();
        let at = nul
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(3)
            .unwrap()
            .0
            + 3;
        nul[at] = 0;
        let err = scan_bytes(&nul).err().unwrap().to_string();
        assert!(err.contains("f.csv:5: contains a NUL byte"), "{err}");
        let mut long_then_nul = text.clone();
        long_then_nul.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
        long_then_nul.push(0);
        let err = scan_bytes(&long_then_nul).err().unwrap().to_string();
        assert!(err.contains("f.csv:70002: this line is longer"), "{err}");
    }

    #[test]
    fn sniffs_delimiters_outside_quotes() {
        assert_eq!(sniff_delimiter(b"email;name;\"a,b,c\""), b';');
        assert_eq!(sniff_delimiter(b"email\tname"), b'\t');
        assert_eq!(sniff_delimiter(b"email|name|x"), b'|');
        assert_eq!(sniff_delimiter(b"email,name"), b',');
        assert_eq!(sniff_delimiter(b"email"), b',');
    }

    #[test]
    fn header_keys_ignore_case_and_punctuation() {
        assert_eq!(header_key(" E-Mail Address "), "emailaddress");
        assert_eq!(header_key("First_Name"), "firstname");
    }

    #[test]
    fn emails() {
        assert!(check_email("ana@example.org").is_ok());
        assert!(check_email("josé@bücher.example").is_ok());
        assert!(check_email("inbox@localhost").is_ok());
        assert!(check_email("not an email").is_err());
        assert!(check_email("Ana <ana@example.org>").is_err());
        assert!(check_email("a@@b").is_err());
        assert!(check_email("").is_err());
    }

    /// Domains that DNS cannot have are refused, by class: broken punycode, characters
    /// outside host names, hyphens at a label's ends, a label over 63 octets; real
    /// internationalised domains, in either form, and doubled hyphens inside a label pass.
    #[test]
    fn domains_are_checked_as_host_names() {
        for bad in [
            "a@xn--zz.example",
            "a@xn--.example",
            "a@example.xn--",
            "a@under_score.example",
            "a@sp ace.example",
            "a@ends-.example",
            "a@star*.example",
            "a@exa$mple.org",
        ] {
            let err = check_email(bad).unwrap_err();
            assert!(err.contains("not a valid"), "{bad}: {err}");
        }
        let long_label = format!("a@{}.example", "l".repeat(64));
        assert!(check_email(&long_label).is_err());
        for good in [
            "a@münchen.de",
            "a@xn--mnchen-3ya.de",
            "a@例子.测试",
            "a@r3--sn-abc.example",
            "a@mail.example.co.uk",
            "a@123.example",
        ] {
            assert!(check_email(good).is_ok(), "{good}: {:?}", check_email(good));
        }
        assert_eq!(
            crate::model::ascii_domain("München.DE").as_deref(),
            Some("xn--mnchen-3ya.de")
        );
        assert_eq!(
            crate::mail::compose::ascii_domain_address("Ana@münchen.de"),
            "Ana@xn--mnchen-3ya.de"
        );
        assert_eq!(
            crate::mail::compose::ascii_domain_address("josé@bücher.example"),
            "josé@bücher.example"
        );
    }

    #[test]
    fn addresses_over_rfc_5321_lengths_or_with_hidden_characters_are_refused() {
        let local64 = "a".repeat(64);
        assert!(check_email(&format!("{local64}@example.org")).is_ok());
        let err = check_email(&format!("{local64}b@example.org")).unwrap_err();
        assert!(err.contains("65 bytes") && err.contains("64"), "{err}");
        // Multi-byte characters count in octets: 22 × 3 bytes = 66.
        let err = check_email(&format!("{}@example.org", "€".repeat(22))).unwrap_err();
        assert!(err.contains("RFC 5321"), "{err}");
        let long_domain = format!("{}.org", vec!["d".repeat(60); 5].join("."));
        let err = check_email(&format!("a@{long_domain}")).unwrap_err();
        assert!(err.contains("254"), "{err}");
        let err = check_email(&format!("{}@{}", "x".repeat(10), "y".repeat(300))).unwrap_err();
        assert!(err.contains("bytes long"), "{err}");
        for c in [
            '\u{200b}', '\u{200d}', '\u{202e}', '\u{2066}', '\u{feff}', '\u{ad}', '\u{1b}',
            '\u{85}',
        ] {
            for email in [format!("an{c}a@example.org"), format!("ana@exa{c}mple.org")] {
                let err = check_email(&email).unwrap_err();
                assert!(err.contains(&format!("U+{:04X}", c as u32)), "{err}");
                assert!(!err.contains(c), "the error shows it escaped: {err}");
            }
        }
    }

    #[test]
    fn own_export_neutralisation_is_undone() {
        assert_eq!(unneutralize("'=SUM(A1)", true), "=SUM(A1)");
        assert_eq!(unneutralize("''=SUM(A1)", true), "'=SUM(A1)");
        assert_eq!(unneutralize("'quoted", true), "'quoted");
        assert_eq!(unneutralize("'=SUM(A1)", false), "'=SUM(A1)");
    }
}
