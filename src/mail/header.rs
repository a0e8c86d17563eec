//! RFC 2047 encoded words for the headers certstat writes itself (the recipient's name in
//! To, the subject), folded within RFC 5322's recommended 78 characters a line.
//!
//! Lettre's encoder cuts its encoded words at any character and writes the address after the
//! last one without looking at the line's length. Both show in ordinary names: a Greek name
//! of eighteen letters made a To line of 82 characters, and a long Tamil or Vietnamese name
//! was cut between a consonant and its vowel sign, or between a letter and its tone mark. A
//! reader that joins adjacent encoded words as RFC 2047 §6.2 says shows that right, but many
//! do not (Python's `email` before 3.14 keeps the folding space inside a display name), and
//! they then show a broken cluster, a dotted circle or a stray mark. Here a word is cut only
//! between grapheme clusters, after a space where the text has one, so a reader that keeps
//! the folding space shows at most a double space between two words of the name.

use base64::Engine as _;
use unicode_segmentation::UnicodeSegmentation;

/// RFC 5322 §2.1.1: the line length a header should keep to (CRLF not counted).
pub const LINE: usize = 78;
/// RFC 2047 §2: the longest encoded word.
pub const WORD: usize = 75;
const OPEN: &str = "=?utf-8?b?";
const CLOSE: &str = "?=";

/// Base64 of `n` bytes is this many characters long.
fn b64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The most bytes of text an encoded word may carry when `room` characters are left on the
/// line for it (and never more than [`WORD`] allows).
fn payload(room: usize) -> usize {
    let room = room.min(WORD).saturating_sub(OPEN.len() + CLOSE.len());
    room / 4 * 3
}

/// The pieces of `text` that become one encoded word each: whole grapheme clusters, as many
/// as fit in the bytes `budget(i)` gives for the `i`th piece, ending after the piece's last
/// space when it has one. A cluster longer than a whole word (a pile of combining marks) is
/// cut between its characters, as nothing else can be done.
fn pieces(text: &str, budget: impl Fn(usize) -> usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let max = budget(out.len()).max(4);
        let mut end = 0;
        let mut after_space = None;
        for (at, g) in rest.grapheme_indices(true) {
            if at + g.len() > max {
                break;
            }
            end = at + g.len();
            if g.chars().all(char::is_whitespace) {
                after_space = Some(end);
            }
        }
        if end == rest.len() {
            out.push(rest);
            break;
        }
        if end == 0 {
            // One cluster wider than a word: cut it between characters.
            end = rest
                .char_indices()
                .map(|(at, c)| at + c.len_utf8())
                .take_while(|&e| e <= max)
                .last()
                .unwrap_or_else(|| rest.chars().next().map_or(rest.len(), char::len_utf8));
        } else if let Some(space) = after_space {
            end = space;
        }
        let (piece, tail) = rest.split_at(end);
        out.push(piece);
        rest = tail;
    }
    out
}

/// `text` as encoded words for the value of a header whose name and colon and space
/// (`prefix`, e.g. `"To: "`) are already on the line; `then`, when not empty, follows the
/// words after a space (for To, `<address>`), on the last line when it fits there and on a
/// line of its own otherwise. Lines are joined with CRLF and one space.
pub fn encode(prefix: &str, text: &str, then: &str) -> String {
    let first_room = LINE.saturating_sub(prefix.len());
    let next_room = LINE - 1;
    let words = pieces(text, |i| {
        payload(if i == 0 { first_room } else { next_room })
    });
    let mut out = String::new();
    let mut line = prefix.len();
    for (i, piece) in words.iter().enumerate() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(piece.as_bytes());
        if i > 0 {
            out.push_str("\r\n ");
            line = 1;
        }
        out.push_str(OPEN);
        out.push_str(&encoded);
        out.push_str(CLOSE);
        line += OPEN.len() + b64_len(piece.len()) + CLOSE.len();
    }
    if !then.is_empty() {
        if words.is_empty() {
            out.push_str(then);
        } else if line + 1 + then.len() <= LINE {
            out.push(' ');
            out.push_str(then);
        } else {
            out.push_str("\r\n ");
            out.push_str(then);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the encoded words of a header value, decoded as RFC 2047 §6.2 says
    /// (whitespace between adjacent encoded words dropped), plus what follows them.
    fn decode(value: &str) -> (String, Vec<String>, String) {
        let mut text = String::new();
        let mut pieces = Vec::new();
        let mut rest = value;
        loop {
            let t = rest.trim_start_matches([' ', '\r', '\n']);
            let Some(body) = t.strip_prefix(OPEN) else {
                return (text, pieces, t.to_string());
            };
            let end = body.find(CLOSE).expect("a closed word");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&body[..end])
                .unwrap();
            let piece = String::from_utf8(bytes).expect("each word is whole UTF-8");
            text.push_str(&piece);
            pieces.push(piece);
            rest = &body[end + CLOSE.len()..];
        }
    }

    const NAMES: &[&str] = &[
        "தமிழ்செல்வன் ராமகிருஷ்ணன் சுப்பிரமணியம் பாலசுப்ரமணியன்",
        "Nguyễn Thị Thùy Dương Nguyễn Thị Thùy Dương Nguyễn Thị Thùy Dương Nguyễn",
        "Ana 👩🏽‍💻 Lima 🇧🇷 family 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦 👨‍👩‍👧‍👦",
        "Ελένη Παπαδοπούλου",
        "ეკატერინე ჯაყელი ეკატერინე ჯაყელი ეკატერინე ჯაყელი",
        "राहुल शर्मा राहुल शर्मा राहुल शर्मा राहुल शर्मा राहुल शर्मा",
        "محمد علي Smith محمد علي Smith محمد علي Smith محمد علي",
        "山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎山田太郎",
        "ÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁ",
    ];

    #[test]
    fn encoded_words_keep_clusters_whole_and_lines_within_78() {
        for prefix in ["To: ", "Subject: "] {
            for name in NAMES {
                let address = "<someone.with.a.long.address@example.org>";
                let value = encode(prefix, name, address);
                let (text, pieces, after) = decode(&value);
                assert_eq!(text, *name, "{value}");
                assert_eq!(after, address, "{value}");
                let full = format!("{prefix}{value}");
                for line in full.split("\r\n") {
                    assert!(line.len() <= LINE, "{} > {LINE}: {line}", line.len());
                    for w in line.split(' ').filter(|w| w.starts_with(OPEN)) {
                        assert!(w.len() <= WORD, "{w}");
                    }
                }
                // Every cut is between grapheme clusters: the clusters of the pieces, put
                // end to end, are the name's.
                let whole: Vec<&str> = name.graphemes(true).collect();
                let cut: Vec<&str> = pieces.iter().flat_map(|p| p.graphemes(true)).collect();
                assert_eq!(cut, whole, "{value}");
                // Where the text has a space in reach, a word ends after it.
                if pieces.len() > 1 && name.contains(' ') {
                    assert!(
                        pieces[..pieces.len() - 1]
                            .iter()
                            .all(|p| p.ends_with(' ') || !p.contains(' ')),
                        "{pieces:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_address_goes_on_its_own_line_when_the_last_one_is_full() {
        // 18 Greek letters: one word of 58 characters; with "To: " and the address, 82.
        let value = encode("To: ", "Ελένη Παπαδοπούλου", "<a18@example.org>");
        assert!(value.ends_with("?=\r\n <a18@example.org>"), "{value}");
        let value = encode("To: ", "Zoë", "<a@example.org>");
        assert_eq!(value, "=?utf-8?b?Wm/Dqw==?= <a@example.org>");
    }

    #[test]
    fn a_cluster_wider_than_a_word_is_cut_between_characters() {
        let zalgo = format!("a{}", "\u{0301}".repeat(60));
        let value = encode("Subject: ", &zalgo, "");
        let (text, pieces, _) = decode(&value);
        assert_eq!(text, zalgo);
        assert!(pieces.len() > 1);
    }
}
