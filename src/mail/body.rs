//! The encoded body of a text part: byte for byte what lettre's `Body::new(String)` gives, in
//! a fraction of its time.
//!
//! `send` encodes a text and an HTML part for every message, and lettre's way of doing it was
//! the largest single cost of composing one (three tenths of the instructions of a send to a
//! fast server): `Body::new` makes the line ends CRLF by inserting each `\r` into the string (a
//! move of the rest of the string per line), and its quoted-printable encoder appends one
//! `char` at a time. The output here is the same, so messages do not change:
//!
//! - the transfer encoding is chosen by lettre's rule (7bit for ASCII whose lines fit,
//!   quoted-printable when at most a third of the bytes need escaping, else base64);
//! - the line ends are made CRLF as the text is split into lines;
//! - quoted-printable works line by line, since its state (the length of the output line)
//!   starts again after every hard line break: a text's encoding is its lines' encodings
//!   joined by CRLF. Each line is encoded by the rules of the `quoted_printable` crate lettre
//!   uses, its quirks included (where a soft line break goes when a line is exactly full,
//!   trailing space and tab, a CR alone), copying runs of plain bytes whole.
//!
//! Base64 (mostly non-Latin text) is rare and left to lettre. The tests compare with
//! `Body::new` on the default templates, edge cases and generated texts.

use lettre::message::Body;
use lettre::message::header::ContentTransferEncoding;

/// The longest encoded line (RFC 2045 §6.7), CRLF not counted.
const LIMIT: usize = 76;

/// A byte quoted-printable writes as itself (space and tab too, except at the end of a line).
fn plain(b: u8) -> bool {
    matches!(b, b'\t' | b' '..=b'~') && b != b'='
}

/// Whether some byte of `b` is not [`plain`]. Written as a fold without an early exit, which
/// the compiler turns into SIMD: most lines are plain, and this is how they are found.
fn any_escaped(b: &[u8]) -> bool {
    b.iter().fold(false, |acc, &c| acc | !plain(c))
}

/// How many leading bytes of `b` are [`plain`]: sixteen at a time while they all are (which
/// the compiler does with SIMD), then byte by byte.
fn plain_prefix(b: &[u8]) -> usize {
    let mut blocks = b.chunks_exact(16);
    let mut n = 0;
    for block in blocks.by_ref() {
        if any_escaped(block) {
            break;
        }
        n += 16;
    }
    n + b[n..]
        .iter()
        .position(|&c| !plain(c))
        .unwrap_or(b.len() - n)
}

enum Chosen {
    SevenBit,
    QuotedPrintable,
    Base64,
}

/// The transfer encoding lettre picks for a text when 8bit is not allowed (certstat does not
/// rely on 8BITMIME).
fn choose(text: &str) -> Chosen {
    // Lettre's rule, its arithmetic kept: a line is too long when the distance from the
    // previous LF's index (0 for the first line) to this LF's is 76 or more, and likewise from
    // the last LF to the end; that is 76 bytes for the first line and 75 for the others.
    let mut too_long = false;
    for (n, line) in split_lf(text.as_bytes()).enumerate() {
        too_long |= line.len() + usize::from(n > 0) >= LIMIT;
    }
    let b = text.as_bytes();
    if b.is_ascii() && !too_long {
        return Chosen::SevenBit;
    }
    // Counted in blocks of 255 into a byte, which the compiler does with SIMD.
    let escaped: usize = b
        .chunks(255)
        .map(|block| {
            let n = block
                .iter()
                .fold(0u8, |n, &c| n + u8::from(!matches!(c, b'\t' | b' '..=b'~')));
            usize::from(n)
        })
        .sum();
    if escaped <= b.len() / 3 {
        Chosen::QuotedPrintable
    } else {
        Chosen::Base64
    }
}

/// The pieces of `b` between LFs, as `str::split('\n')` gives them (the last one after the
/// last LF, perhaps empty), found with `memchr`.
fn split_lf(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut ends = memchr::memchr_iter(b'\n', b);
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        Some(match ends.next() {
            Some(lf) => {
                start = Some(lf + 1);
                &b[from..lf]
            }
            None => {
                start = None;
                &b[from..]
            }
        })
    })
}

/// The lines of `text` as CRLF line ends would split them: at each LF, without one CR before
/// it; the last line is what follows the last LF (perhaps nothing, perhaps ending in a CR).
fn lines(text: &str) -> impl Iterator<Item = &[u8]> {
    let mut it = split_lf(text.as_bytes()).peekable();
    std::iter::from_fn(move || {
        let line = it.next()?;
        Some(if it.peek().is_some() {
            line.strip_suffix(b"\r").unwrap_or(line)
        } else {
            line
        })
    })
}

/// One quoted-printable line being written at the end of `out`.
struct Line<'a> {
    out: &'a mut Vec<u8>,
    /// Bytes on the current output line.
    on_line: usize,
    /// Where the last thing appended starts (a run of plain bytes: where it ends), which is
    /// where a soft line break goes when the line is exactly full.
    backup: usize,
}

impl Line<'_> {
    fn append(&mut self, token: &[u8]) {
        if self.on_line + token.len() > LIMIT {
            if self.on_line == LIMIT {
                self.on_line = self.out.len() - self.backup;
                self.out
                    .splice(self.backup..self.backup, b"=\r\n".iter().copied());
            } else {
                self.out.extend_from_slice(b"=\r\n");
                self.on_line = 0;
            }
        }
        self.out.extend_from_slice(token);
        self.on_line += token.len();
        self.backup = self.out.len() - token.len();
    }

    fn byte(&mut self, b: u8) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        if plain(b) {
            self.append(&[b]);
        } else {
            self.append(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
}

/// Quoted-printable encoding of one line (no CRLF inside), appended to `out`.
fn encode_line(line: &[u8], out: &mut Vec<u8>) {
    if line.len() <= LIMIT && !any_escaped(line) && !matches!(line.last(), Some(b' ' | b'\t')) {
        // What the rules below would do with it: one run of plain bytes, within the limit.
        out.extend_from_slice(line);
        return;
    }
    let start = out.len();
    let mut l = Line {
        backup: start,
        on_line: 0,
        out,
    };
    let mut cr = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        // A CR not followed by LF is escaped, once what follows it is known.
        if cr {
            l.append(b"=0D");
            cr = false;
        }
        if b == b'\r' {
            cr = true;
            i += 1;
            continue;
        }
        if LIMIT - l.on_line >= 3 && plain(b) {
            // A run of plain bytes up to two short of the limit, copied whole.
            let max = LIMIT - l.on_line - 2;
            let end = line.len().min(i + max);
            let run = plain_prefix(&line[i..end]);
            l.out.extend_from_slice(&line[i..i + run]);
            l.on_line += run;
            l.backup = l.out.len();
            i += run;
            continue;
        }
        l.byte(b);
        i += 1;
    }
    if cr {
        l.append(b"=0D");
    } else if l.out.len() > start {
        // Space and tab may not end an encoded line.
        match l.out.last() {
            Some(b' ') => {
                l.out.pop();
                l.on_line -= 1;
                l.append(b"=20");
            }
            Some(b'\t') => {
                l.out.pop();
                l.on_line -= 1;
                l.append(b"=09");
            }
            _ => {}
        }
    }
}

/// The body of a text part: the same bytes and transfer encoding as `Body::new(text)`.
pub fn text_body(text: String) -> Body {
    let b = text.as_bytes();
    let (encoding, qp) = match choose(&text) {
        Chosen::SevenBit => (ContentTransferEncoding::SevenBit, false),
        Chosen::QuotedPrintable => (ContentTransferEncoding::QuotedPrintable, true),
        Chosen::Base64 => return Body::new(text),
    };
    let mut out = Vec::with_capacity(b.len() + b.len() / 8);
    for (n, line) in lines(&text).enumerate() {
        if n > 0 {
            out.extend_from_slice(b"\r\n");
        }
        if qp {
            encode_line(line, &mut out);
        } else {
            out.extend_from_slice(line);
        }
    }
    Body::dangerous_pre_encoded(out, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_as_lettre(text: &str) {
        let ours = text_body(text.to_string());
        let theirs = Body::new(text.to_string());
        assert_eq!(
            ours.encoding(),
            theirs.encoding(),
            "transfer encoding of {text:?}"
        );
        assert_eq!(
            String::from_utf8_lossy(ours.as_ref()),
            String::from_utf8_lossy(theirs.as_ref()),
            "encoding of {text:?}"
        );
    }

    #[test]
    fn the_default_templates_and_edge_cases_match_lettre() {
        for t in [
            super::super::template::DEFAULT_TEXT,
            super::super::template::DEFAULT_HTML,
            "",
            "\n",
            "\r\n",
            "\r",
            "a\r\r\nb",
            "a \r",
            "a \n b\t\nc=d\n",
            "é",
            "ends in a space ",
            "tab\t",
            &"x".repeat(75),
            &"x".repeat(76),
            &"x".repeat(77),
            &format!("{}\n{}", "y".repeat(74), "z".repeat(75)),
            &format!("{} \n", "w".repeat(75)),
            &format!("{}=\n", "v".repeat(74)),
            &format!("Grüße, {}\n", "ü".repeat(40)),
            &"日本語のテキスト".repeat(20),
        ] {
            same_as_lettre(t);
        }
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            30 => Just("a"),
            6 => Just(" "),
            2 => Just("\t"),
            2 => Just("="),
            2 => Just("."),
            2 => Just("\n"),
            1 => Just("\r"),
            1 => Just("\r\n"),
            1 => Just("é"),
            1 => Just("€"),
            8 => Just("word "),
            2 => Just("https://certs.example.test/c/0123456789abcdef"),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any text: the same bytes and transfer encoding as lettre's `Body::new`.
        #[test]
        fn matches_lettre(pieces in prop::collection::vec(piece(), 0..200)) {
            same_as_lettre(&pieces.concat());
        }

        /// Long lines: soft line breaks, among them those put back before a full line's last
        /// byte.
        #[test]
        fn long_lines_match_lettre(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", "b", "c", " ", "\t", "=", "é", "\r"]), 60..400)
        ) {
            same_as_lettre(&pieces.concat());
        }
    }
}
