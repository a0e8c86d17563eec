//! Small text helpers shared by the bounce readers: address scanning, status
//! and reply code extraction, line unfolding. No regex crate is used.

/// Characters allowed in the local part of an address we are willing to pick
/// out of free text (a conservative subset of RFC 5322 atext plus '.').
fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'
}

/// An address found in free text: byte offset of its first character and the
/// lower-cased address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub address: String,
}

/// Every plausible `local@domain` in `text`, in order.
pub fn find_addresses(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'@' {
            i += 1;
            continue;
        }
        // Walk left over local-part characters (ASCII only, so byte walking is
        // safe at char boundaries).
        let mut s = i;
        while s > 0 && (bytes[s - 1] as char).is_ascii() && is_local_char(bytes[s - 1] as char) {
            s -= 1;
        }
        // Trim leading dots or quote-ish punctuation from the local part.
        while s < i && matches!(bytes[s], b'.' | b'\'' | b'`' | b'{' | b'|' | b'=' | b'/') {
            s += 1;
        }
        let mut e = i + 1;
        if e < bytes.len() && bytes[e] == b'[' {
            // Domain literal.
            // ASCII only: the slice below must end on a character boundary.
            while e < bytes.len() && bytes[e] != b']' && bytes[e].is_ascii() && e - i < 64 {
                e += 1;
            }
            if e < bytes.len() && bytes[e] == b']' {
                e += 1;
            }
        } else {
            while e < bytes.len()
                && (bytes[e] as char).is_ascii()
                && is_domain_char(bytes[e] as char)
            {
                e += 1;
            }
        }
        // Trim trailing dots and hyphens from the domain.
        while e > i + 1 && matches!(bytes[e - 1], b'.' | b'-') {
            e -= 1;
        }
        // An X.400 / Exchange address type glued to the address: `SMTP=ana@…`, `RFC822=…`.
        for prefix in ["smtp=", "rfc822=", "smtp:", "mailto:"] {
            if i - s > prefix.len() && starts_with_ignore_case(&text[s..i], prefix) {
                s += prefix.len();
            }
        }
        if s < i && e > i + 1 {
            let local = &text[s..i];
            let domain = &text[i + 1..e];
            let domain_ok = domain.starts_with('[') || domain.contains('.');
            if domain_ok && local.len() <= 128 && domain.len() <= 255 {
                out.push(Found {
                    start: s,
                    end: e,
                    address: format!("{}@{}", local, domain).to_ascii_lowercase(),
                });
            }
        }
        i = e.max(i + 1);
    }
    out
}

/// Normalise an address field value: strip `rfc822;` type, angle brackets,
/// quotes and whitespace; lower-case.
pub fn clean_address(value: &str) -> Option<String> {
    let mut v = value.trim();
    if let Some(pos) = v.find(';') {
        let kind = v[..pos].trim();
        if !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            v = v[pos + 1..].trim();
        }
    }
    if let Some(f) = find_addresses(v).into_iter().next() {
        return Some(f.address);
    }
    let v = v.trim_matches(|c: char| c == '<' || c == '>' || c == '"' || c.is_whitespace());
    if v.is_empty() {
        None
    } else {
        Some(v.to_ascii_lowercase())
    }
}

/// First enhanced status code (RFC 3463 `class.subject.detail`) in `text`.
pub fn find_status(text: &str) -> Option<String> {
    find_all_status(text).into_iter().next()
}

/// Every enhanced status code in `text`, in order.
pub fn find_all_status(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b'2' | b'4' | b'5')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
            && b.get(i + 1) == Some(&b'.')
        {
            let mut j = i + 2;
            let s1 = j;
            while j < b.len() && b[j].is_ascii_digit() && j - s1 < 3 {
                j += 1;
            }
            if j > s1 && b.get(j) == Some(&b'.') {
                let s2 = j + 1;
                let mut k = s2;
                while k < b.len() && b[k].is_ascii_digit() && k - s2 < 3 {
                    k += 1;
                }
                let next_ok = k >= b.len()
                    || !(b[k].is_ascii_alphanumeric()
                        || (b[k] == b'.' && b.get(k + 1).is_some_and(|d| d.is_ascii_digit())));
                if k > s2 && next_ok {
                    out.push(text[i..k].to_string());
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// First SMTP reply code (`2xx`, `4xx`, `5xx`) that looks like the start of an
/// SMTP reply in `text`: three digits standing alone, followed by a space,
/// a hyphen, end of text, or a bracket/quote.
pub fn find_reply_code(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() {
        if matches!(b[i], b'2' | b'4' | b'5')
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric()
                    || matches!(b[i - 1], b'.' | b'-' | b':' | b'/' | b'+' | b'_')))
            && (i + 3 == b.len()
                || matches!(
                    b[i + 3],
                    b' ' | b'-' | b'\'' | b'"' | b']' | b')' | b'\r' | b'\n' | b'\t' | b','
                ))
            && !(b.get(i + 3) == Some(&b'-')
                && b.get(i + 4).is_some_and(|d| d.is_ascii_digit())
                && b.get(i + 5).is_some_and(|d| d.is_ascii_digit()))
        {
            let code = &text[i..i + 3];
            // The second digit of a reply code is 0-5.
            if (b'0'..=b'5').contains(&b[i + 1]) {
                return Some(code.to_string());
            }
        }
        i += 1;
    }
    None
}

/// Collapse runs of whitespace into single spaces and trim.
pub fn squeeze(text: &str) -> String {
    squeeze_with(text, false)
}

/// `squeeze(&text.to_lowercase())` in one pass and one allocation (characters are lower-cased
/// one by one, so a final capital sigma becomes `σ`, not `ς`: no phrase contains either).
pub fn squeeze_lower(text: &str) -> String {
    squeeze_with(text, true)
}

/// ASCII bytes `char::is_whitespace` accepts: tab, LF, VT, FF, CR and space.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `squeeze` / `squeeze_lower`: runs of ASCII text are copied as byte slices, other
/// characters one by one.
fn squeeze_with(text: &str, lower: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if is_ascii_space(b) {
                space = true;
                i += 1;
                continue;
            }
            // A run of ASCII non-space bytes.
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii() && !is_ascii_space(bytes[i]) {
                i += 1;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            let run = &text[start..i];
            if lower {
                let from = out.len();
                out.push_str(run);
                // Only ASCII was appended, so the tail is valid UTF-8 either way.
                out[from..].make_ascii_lowercase();
            } else {
                out.push_str(run);
            }
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if lower {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Does `text` start with `prefix`, ignoring ASCII case?
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Does `text` end with `suffix`, ignoring ASCII case?
pub fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Lossy UTF-8 with CR removed, so line handling is uniform.
pub fn lossy(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\r') {
        text.replace('\r', "")
    } else {
        text.into_owned()
    }
}

/// Parse `Name: value` header-style lines with folding into a list of
/// (lower-cased name, unfolded value). Lines that are neither fields nor
/// continuations are ignored. A blank line is reported as `None`.
pub fn field_lines(text: &str) -> Vec<Option<(String, String)>> {
    let mut out: Vec<Option<(String, String)>> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !matches!(out.last(), Some(None)) {
                out.push(None);
            }
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(Some((_, v))) = out.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some(pos) = line.find(':') {
            let name = &line[..pos];
            if !name.is_empty()
                && name.len() < 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                out.push(Some((
                    name.to_ascii_lowercase(),
                    line[pos + 1..].trim().to_string(),
                )));
                continue;
            }
        }
        // Not a field: ignore but do not let it continue a previous field.
        out.push(Some((String::new(), line.trim().to_string())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_text() {
        let f = find_addresses("550 5.1.1 <Kijitora@Example.JP>... User unknown; to: a.b+c@x.org.");
        let a: Vec<_> = f.into_iter().map(|f| f.address).collect();
        assert_eq!(a, vec!["kijitora@example.jp", "a.b+c@x.org"]);
        assert!(find_addresses("no at sign, MAILER-DAEMON@localhost").is_empty());
    }

    #[test]
    fn squeeze_lower_is_squeeze_of_lowercase() {
        for t in [
            "  Mailbox  FULL\n\t550 5.2.2 ",
            "",
            " ",
            "ÉCHEC de la\r\nLivraison",
            "a\u{a0}B",
            "\u{b}x\u{c}Y\u{2003}z\u{85}\u{1f}É é ÀB\u{3000}",
        ] {
            assert_eq!(squeeze_lower(t), squeeze(&t.to_lowercase()), "{t:?}");
            let by_char: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze(t), by_char, "{t:?}");
        }
        assert!(starts_with_ignore_case("Received: x", "received: "));
        assert!(!starts_with_ignore_case("Rec", "received: "));
        assert!(ends_with_ignore_case("Message FOLLOWS:", "follows:"));
        assert!(!ends_with_ignore_case("é", "follows:"));
    }

    #[test]
    fn codes() {
        assert_eq!(
            find_status("smtp; 550 5.1.1 user unknown").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(find_status("host 192.0.2.1 said").as_deref(), None);
        assert_eq!(find_status("#5.7.26 dmarc").as_deref(), Some("5.7.26"));
        assert_eq!(
            find_reply_code("host [192.0.2.1]: 550-5.1.1 no").as_deref(),
            Some("550")
        );
        assert_eq!(find_reply_code("size 25000 bytes").as_deref(), None);
        assert_eq!(
            clean_address("rfc822; <Foo@Example.ORG>").as_deref(),
            Some("foo@example.org")
        );
    }
}

/// No input makes the readers slice inside a character: random bytes around the characters
/// they index on (`@`, `[`, `<`, `;`, `:`, digits), mixed with multi-byte and invalid UTF-8.
#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"@".to_vec()),
            Just(b"[".to_vec()),
            Just(b"]".to_vec()),
            Just(b"<".to_vec()),
            Just(b">".to_vec()),
            Just(b";".to_vec()),
            Just(b":".to_vec()),
            Just(b".".to_vec()),
            Just(b"5.1.1 ".to_vec()),
            Just(b"550-".to_vec()),
            Just(b"ana".to_vec()),
            Just(b"smtp=".to_vec()),
            Just(b" ".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just("é".as_bytes().to_vec()),
            Just("日本".as_bytes().to_vec()),
            Just("😀".as_bytes().to_vec()),
            Just(vec![0xc3]),
            Just(vec![0xe6, 0x97]),
            Just(vec![0xff]),
            any::<u8>().prop_map(|b| vec![b]),
        ]
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn text_helpers_never_panic(raw in bytes()) {
            let text = String::from_utf8_lossy(&raw);
            for f in super::find_addresses(&text) {
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            }
            let _ = super::clean_address(&text);
            let _ = super::find_all_status(&text);
            let _ = super::find_reply_code(&text);
            let _ = super::squeeze_lower(&text);
            let _ = super::field_lines(&text);
            let _ = crate::bounce::reason::detect_command(&text);
        }

        #[test]
        fn whole_messages_are_analysed_without_failing(head in bytes(), body in bytes()) {
            let mut raw = b"From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\
    Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n\
    Content-Type: text/plain\n\n<".to_vec();
            raw.extend_from_slice(&head);
            raw.extend_from_slice(b">: 550 5.1.1 \n--B\nContent-Type: message/delivery-status\n\n\
    Final-Recipient: rfc822; ana@");
            raw.extend_from_slice(&body);
            raw.extend_from_slice(b"\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; ");
            raw.extend_from_slice(&head);
            raw.extend_from_slice(b"\n--B--\n");
            let read = crate::bounce::try_analyze(&raw);
            prop_assert!(read.is_ok(), "{:?}", read.err());
            let plain = [b"From: a@b.c\nSubject: failure notice\n\n".as_slice(), &head, &body].concat();
            prop_assert!(crate::bounce::try_analyze(&plain).is_ok());
        }
    }

    #[test]
    fn a_domain_literal_before_a_multibyte_character() {
        for text in [
            "ana@[é",
            "ana@[日本]",
            "<ana@[😀>",
            "x ana@[\u{e9}\u{e9}] y",
            "@[é",
        ] {
            let _ = super::find_addresses(text);
            let raw = format!(
                "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail\n\n{text}: 550 5.1.1 unknown\n"
            );
            assert!(
                crate::bounce::try_analyze(raw.as_bytes()).is_ok(),
                "{text:?}"
            );
        }
    }
}
