//! Terminal safety: text that reaches a terminal carries no raw control sequences.
//!
//! Stored text is checked on the way in ([`check_text`]); what is printed to a terminal is
//! escaped on the way out ([`escape_controls`]), for data stored before the check existed and
//! for anything a template renders. A control character becomes visible as `\u{1b}` (its Rust
//! escape), so an ESC (CSI, OSC), BEL or C1 control can neither move the cursor, retitle the
//! window nor hide text.

use std::borrow::Cow;

/// Whether `c` may not reach a terminal raw: C0 controls other than tab, line feed and
/// carriage return, DEL, and the C1 controls (U+0080–U+009F).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Refuse a control character in a stored value. `multiline` allows tab, newline and carriage
/// return (a CSV field may hold several lines); otherwise none is allowed.
pub fn check_text(what: &str, value: &str, multiline: bool) -> Result<(), String> {
    let bad = value.chars().find(|&c| {
        if multiline {
            is_unsafe(c)
        } else {
            c.is_control()
        }
    });
    match bad {
        None => Ok(()),
        Some(c) => Err(format!(
            "{what} contains the control character U+{:04X} ('{}'): remove it (terminal escape \
             sequences and other control characters are not accepted)",
            c as u32,
            value
                .escape_debug()
                .to_string()
                .chars()
                .take(60)
                .collect::<String>()
        )),
    }
}

/// `text` with every unsafe control character written as its escape (`\u{1b}`).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Bytes for a terminal: valid UTF-8 runs escaped as by [`escape_controls`], other bytes (not
/// text) written as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(s) => match escape_controls(s) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(o) => Cow::Owned(o.into_bytes()),
        },
        Err(_) => {
            let mut out = Vec::with_capacity(bytes.len() + 16);
            for chunk in bytes.utf8_chunks() {
                out.extend_from_slice(escape_controls(chunk.valid()).as_bytes());
                for b in chunk.invalid() {
                    out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
                }
            }
            Cow::Owned(out)
        }
    }
}

/// A writer to standard output that escapes control characters when it is a terminal (and
/// passes bytes through untouched when it is a file or a pipe, whose reader wants them exact).
pub struct Stdout {
    inner: std::io::StdoutLock<'static>,
    terminal: bool,
}

impl Stdout {
    pub fn lock() -> Stdout {
        use std::io::IsTerminal;
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        Stdout {
            inner: stdout.lock(),
            terminal,
        }
    }
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.terminal {
            // Escaping per write: a control character is never split (it is one byte, or two
            // for C1, which the callers' UTF-8 writes keep whole).
            self.inner.write_all(&escape_bytes(buf))?;
            Ok(buf.len())
        } else {
            self.inner.write(buf)
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_control_sequence_is_made_visible() {
        for (raw, shown) in [
            ("a\u{1b}[31mred", "a\\u{1b}[31mred"),
            ("\u{1b}]0;title\u{7}x", "\\u{1b}]0;title\\u{7}x"),
            ("bell\u{7}", "bell\\u{7}"),
            ("c1\u{9b}2J", "c1\\u{9b}2J"),
            ("del\u{7f}", "del\\u{7f}"),
            ("tab\tand\nlines\r\n", "tab\tand\nlines\r\n"),
        ] {
            assert_eq!(escape_controls(raw), shown);
            assert_eq!(escape_bytes(raw.as_bytes()).as_ref(), shown.as_bytes());
        }
        assert_eq!(escape_bytes(b"\xff\x1b").as_ref(), b"\\xff\\u{1b}");
    }

    #[test]
    fn stored_text_with_controls_is_refused() {
        for bad in [
            "a\u{1b}[2J",
            "\u{1b}]8;;http://x\u{7}",
            "b\u{7}",
            "c\u{9b}",
            "d\u{0}",
        ] {
            let err = check_text("the field 'x'", bad, true).unwrap_err();
            assert!(err.contains("control character"), "{err}");
        }
        assert!(check_text("x", "two\nlines\tok", true).is_ok());
        assert!(check_text("x", "two\nlines", false).is_err());
    }
}
