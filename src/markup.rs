//! Escaping text for HTML and XML (content and attribute values), and reading HTML back as
//! text, in one place.

/// `&`, `<`, `>`, `"` and `'` as character references; everything else as it is.
pub fn escape_html(text: &str) -> String {
    // The five characters are ASCII, so byte positions are character boundaries: the text
    // between them is copied whole (a message's body goes through here).
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut rest = text;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
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

/// HTML read as text: tags dropped, line breaks and block starts and ends (`br`, `p`, `div`,
/// `tr`, `h…`, `li`, in any case) as newlines, table cells apart by a space, and the common
/// entities decoded. What a bounce's HTML part says, and an HTML-only email's text part.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    let starts = |t: &str, p: &str| {
        t.len() >= p.len() && t.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    for c in html.chars() {
        if in_tag {
            if c == '>' {
                in_tag = false;
                let t = tag.as_str();
                if ["br", "/p", "/div", "/tr", "p", "/h", "li"]
                    .iter()
                    .any(|p| starts(t, p))
                {
                    out.push('\n');
                } else if starts(t, "/td") {
                    out.push(' ');
                }
                tag.clear();
            } else if tag.len() < 16 {
                tag.push(c);
            }
        } else if c == '<' {
            in_tag = true;
        } else if c != '\r' {
            out.push(c);
        }
    }
    if !out.contains('&') {
        return out;
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character escaped as itself one at a time would be; multibyte text around and
    /// between the five, at the ends, repeated, and none at all.
    #[test]
    fn escaping_copies_the_text_between_the_five_characters_exactly() {
        fn one_by_one(text: &str) -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        }
        for text in [
            "",
            "plain",
            "&",
            "<<>>",
            "é&ü<日本>\"'\"'",
            "&starts and ends<",
            "Zoë O'Brien & «Ада» <ada@example.org>",
            "👩‍🎓&👩‍🎓",
            &"x".repeat(10_000),
            &"a&b<c>d\"e'f ".repeat(500),
        ] {
            assert_eq!(escape_html(text), one_by_one(text), "{text:?}");
        }
    }

    #[test]
    fn markup_characters_are_escaped_and_xml_drops_what_it_cannot_hold() {
        assert_eq!(
            escape_html("<a href='x'>\"A & B\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;A &amp; B&quot;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{1}b\tc\u{FFFF}<"), "ab\tc&lt;");
    }

    #[test]
    fn html_reads_as_text_with_blocks_on_their_own_lines_and_cells_apart() {
        for (html, text) in [
            ("<p>One</p><P>Two</P>", "\nOne\n\nTwo\n"),
            ("a<br>b<BR/>c", "a\nb\nc"),
            ("<ul><li>x</li><LI>y</ul>", "\nx\ny"),
            ("<tr><td>a</td><td>b</td></tr>", "a b \n"),
            ("<h2>T</h2>body", "T\nbody"),
            (
                "<b>bold</b> &amp; <i>it</i>&nbsp;&lt;&gt;&quot;&#39;",
                "bold & it <>\"'",
            ),
            ("no markup\r\nat all", "no markup\nat all"),
        ] {
            assert_eq!(html_to_text(html), text, "{html}");
        }
    }
}
