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

/// Where a file that is otherwise UTF-8 has its first invalid byte.
#[derive(Debug, PartialEq, Eq)]
pub struct Damaged {
    pub line: u64,
    /// In characters, 1-based.
    pub column: u64,
    pub byte: u8,
    /// Valid UTF-8 characters beyond ASCII in the whole file.
    pub valid_non_ascii: usize,
}

/// Bytes that are not valid UTF-8 but hold more valid multi-byte UTF-8 characters than invalid
/// sequences: a UTF-8 file with a damaged byte, or two encodings mixed. A file in a legacy
/// encoding forms a valid multi-byte sequence only by chance, far less often than an invalid
/// one, so decoding these as one would garble the characters that are right; they are refused
/// instead, at the first invalid byte.
pub fn damaged_utf8(bytes: &[u8]) -> Option<Damaged> {
    let mut valid_non_ascii = 0;
    let mut invalid = 0;
    let mut first_bad = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first_bad.get_or_insert(offset);
        }
        offset += chunk.invalid().len();
    }
    let at = first_bad?;
    if valid_non_ascii <= invalid {
        return None;
    }
    let before = &bytes[..at];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Some(Damaged {
        line: before.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
        column: String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count() as u64
            + 1,
        byte: bytes[at],
        valid_non_ascii,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_damaged_byte_is_found_at_its_line_and_column() {
        let shapes: [(&[u8], u64, u64, u8); 4] = [
            (
                b"email,name\na@x.org,Jos\xC3\xA9 M\xC3\xBCller\nb@x.org,Zo\xE9\n",
                3,
                11,
                0xE9,
            ),
            (
                "email,name\nc@x.org,Фёдор\nd@x.org,\u{85}x\n".as_bytes(),
                1,
                1,
                0,
            ),
            (b"e,n\n\xE2\x82\xAC\xE2\x82\xAC,\xFF\n", 2, 4, 0xFF),
            (b"e,n\nx,\xF0\x9F\x98\x80\xC3\xA9\xC3\n", 2, 5, 0xC3),
        ];
        for (i, (bytes, line, column, byte)) in shapes.into_iter().enumerate() {
            if i == 1 {
                // U+0085 written as UTF-8 is valid: nothing damaged.
                assert_eq!(damaged_utf8(bytes), None);
                let mut b = bytes.to_vec();
                b.push(0x85);
                let d = damaged_utf8(&b).expect("a lone 0x85");
                assert_eq!((d.line, d.column, d.byte), (4, 1, 0x85));
                continue;
            }
            let d = damaged_utf8(bytes).unwrap_or_else(|| panic!("shape {i}"));
            assert_eq!(
                (d.line, d.column, d.byte),
                (line, column, byte),
                "shape {i}"
            );
        }
    }

    #[test]
    fn legacy_encodings_are_not_damaged_utf8() {
        for bytes in [
            &b"email,name\na@x.org,Jos\xE9 M\xFCller\nb@x.org,\xC6r\xF8\n"[..],
            &b"e,n\nx,\x82\xA0\x82\xA2\n"[..], // Shift_JIS
            &b"e,n\nx,plain\n"[..],
        ] {
            assert_eq!(damaged_utf8(bytes), None);
        }
    }
}
