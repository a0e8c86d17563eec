//! Which character encoding a file's bytes are in, and their text: UTF-16 (with or without a
//! byte-order mark), or a legacy encoding guessed with `chardetng`, decoded with `encoding_rs`.
//! Text that would not decode cleanly is refused, naming the encoding seen.

use anyhow::{Result, bail};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// UTF-16 by its byte-order mark, or, without one, by NUL bytes in every other position of an
/// ASCII-heavy start (the shape of Latin-script UTF-16 text).
pub fn sniff_utf16(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(UTF_16BE);
    }
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zero_at = |parity: usize| head.chunks_exact(2).filter(|p| p[parity] == 0).count();
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 7 && even == 0 {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding `chardetng` finds most likely for non-UTF-8 bytes, and whether it is sure.
pub fn guess(bytes: &[u8]) -> (&'static Encoding, bool) {
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    det.guess_assess(None, false)
}

/// `bytes` decoded as `enc` (a byte-order mark of that encoding dropped), or an error naming
/// the encoding and the line of the first byte sequence that is not valid in it.
pub fn decode(file: &str, bytes: &[u8], enc: &'static Encoding) -> Result<String> {
    let bytes = match Encoding::for_bom(bytes) {
        Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
        _ => bytes,
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let at = text.find('\u{FFFD}').unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        bail!(
            "{file}:{line}: the file is not valid {name}: save it as \"CSV UTF-8\", or pass \
             --encoding with the encoding it was saved in",
            name = enc.name()
        );
    }
    if let Some(at) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        let line = text[..at].matches('\n').count() + 1;
        bail!(
            "{file}:{line}: decoded as {name} this line contains control characters: the file is \
             not {name}; save it as \"CSV UTF-8\", or pass --encoding with its real encoding",
            name = enc.name()
        );
    }
    Ok(text.into_owned())
}

/// `--encoding`: `auto`, or any WHATWG label (`windows-1250`, `shift_jis`, `utf-16le`, ...).
pub fn parse_label(label: &str) -> Result<Option<&'static Encoding>, String> {
    if label.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    Encoding::for_label(label.trim().as_bytes())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "unknown encoding {label:?}: use auto, utf-8, windows-1250..1258, iso-8859-2..16, \
                 shift_jis, euc-jp, gb18030, big5, euc-kr, utf-16le or utf-16be"
            )
        })
}
