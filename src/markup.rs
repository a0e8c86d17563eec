//! Escaping text for HTML and XML (content and attribute values), in one place.

/// `&`, `<`, `>`, `"` and `'` as character references; everything else as it is.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// [`escape_html`] without the characters XML 1.0 cannot hold at all (controls other than
/// tab, LF and CR; U+FFFE, U+FFFF).
pub fn escape_xml(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !((c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect();
    escape_html(&allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_xml_drops_what_it_cannot_hold() {
        assert_eq!(
            escape_html("<a href='x'>\"A & B\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;A &amp; B&quot;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{1}b\tc\u{FFFF}<"), "ab\tc&lt;");
    }
}
