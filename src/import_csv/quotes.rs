//! The quoting check of pass 1: every quoted value closes, and quotes elsewhere are doubled.
//!
//! The `csv` crate is lenient: an unclosed quote turns the rest of the file into one value, and
//! a quote inside an unquoted value is kept as text. Both are how a hand-edited or truncated
//! export loses rows without an error, so the import refuses them, naming the line where the
//! quote opened and what to write instead.

use std::io::Read;

/// A quoting mistake: the line the quote is on (1-based) and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteError {
    pub line: u64,
    pub message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a value.
    FieldStart,
    /// Inside a value that did not start with a quote.
    Unquoted,
    /// Inside a quoted value (opened on `opened`).
    Quoted,
    /// Just after a quote inside a quoted value: closing, or the first of a doubled pair.
    QuoteInQuoted,
}

/// Scans bytes for quoting mistakes, one chunk at a time (values may span chunks).
pub struct QuoteCheck {
    delimiter: u8,
    state: State,
    line: u64,
    opened: u64,
}

impl QuoteCheck {
    pub fn new(delimiter: u8) -> QuoteCheck {
        QuoteCheck {
            delimiter,
            state: State::FieldStart,
            line: 1,
            opened: 0,
        }
    }

    /// Feed the next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), QuoteError> {
        let mut i = 0;
        while i < bytes.len() {
            // Inside a quoted value only quotes and newlines matter: skip to the next.
            if self.state == State::Quoted {
                match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    None => return Ok(()),
                    Some(at) => i += at,
                }
            } else if self.state == State::Unquoted {
                match memchr::memchr3(b'"', b'\n', self.delimiter, &bytes[i..]) {
                    None => return Ok(()),
                    Some(at) => i += at,
                }
            }
            self.step(bytes[i])?;
            i += 1;
        }
        Ok(())
    }

    fn step(&mut self, b: u8) -> Result<(), QuoteError> {
        let d = self.delimiter;
        self.state = match (self.state, b) {
            (State::FieldStart | State::Unquoted, b'\n') => State::FieldStart,
            (State::FieldStart | State::Unquoted, x) if x == d => State::FieldStart,
            (State::FieldStart, b'"') => {
                self.opened = self.line;
                State::Quoted
            }
            (State::Unquoted, b'"') => {
                return Err(QuoteError {
                    line: self.line,
                    message:
                        "a quote inside a value that does not start with one: quote the whole \
                              value and double the quote inside it (\"Ana \"\"Bo\"\" Silva\")"
                            .into(),
                });
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted, b'\n') => State::FieldStart,
            (State::QuoteInQuoted, x) if x == d => State::FieldStart,
            // `"Ana"\r\n`: the carriage return of a CRLF line ending after the closing quote.
            (State::QuoteInQuoted, b'\r') => State::Unquoted,
            (State::QuoteInQuoted, _) => {
                return Err(QuoteError {
                    line: self.line,
                    message: format!(
                        "the value quoted on line {} goes on after its closing quote: double every \
                         quote inside a quoted value (\"Ana \"\"Bo\"\" Silva\")",
                        self.opened
                    ),
                });
            }
        };
        if b == b'\n' {
            self.line += 1;
        }
        Ok(())
    }

    /// The end of the file: an open quoted value is an error naming the line it opened on.
    pub fn finish(&self) -> Result<(), QuoteError> {
        if self.state == State::Quoted {
            return Err(QuoteError {
                line: self.opened,
                message:
                    "this line opens a quoted value that is never closed (everything after it \
                          would be read as one value): add the closing quote, or remove the \
                          opening one"
                        .into(),
            });
        }
        Ok(())
    }
}

/// Check a whole reader.
pub fn check(mut reader: impl Read, delimiter: u8) -> std::io::Result<Result<(), QuoteError>> {
    let mut check = QuoteCheck::new(delimiter);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(check.finish());
        }
        if let Err(e) = check.feed(&buf[..n]) {
            return Ok(Err(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Result<(), QuoteError> {
        // Fed one byte at a time too: the result must not depend on where chunks end.
        let mut bytewise = QuoteCheck::new(b',');
        let bytewise = text
            .as_bytes()
            .iter()
            .try_for_each(|b| bytewise.feed(std::slice::from_ref(b)))
            .and_then(|_| bytewise.finish());
        let whole = check(text.as_bytes(), b',').unwrap();
        assert_eq!(whole, bytewise, "{text:?}");
        whole
    }

    #[test]
    fn well_quoted_files_pass() {
        for text in [
            "email,name\na@x.org,Ana\n",
            "email,name\r\n\"a@x.org\",\"Ana, Silva\"\r\n",
            "email,notes\na@x.org,\"line one\nline two\"\n",
            "email,course\na@x.org,\"Rust \"\"Basics\"\"\"\n",
            "email,name\na@x.org,\"\"\n",
            "email,name\na@x.org,\"Ana\"",
        ] {
            assert_eq!(of(text), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_quote_names_the_line_it_opened_on() {
        for (text, line) in [
            ("email,name\na@x.org,\"Ana\nb@x.org,Bo\nc@x.org,Cy\n", 2),
            (
                "email,city,name\na@x.org,Porto,Ana\nb@x.org,\"Lisboa,Bo\nc@x.org,x,Cy\n",
                3,
            ),
            ("email,name\na@x.org,Ana\nb@x.org,\"Bo", 3),
            ("email,name\n\"a@x.org,Ana\n", 2),
        ] {
            let err = of(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains("never closed"), "{}", err.message);
        }
    }

    #[test]
    fn stray_quotes_are_refused_on_their_line() {
        let err = of("email,name\na@x.org,Ana\nb@x.org,Bo \"the\" Smith\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("double the quote"), "{}", err.message);
        let err = of("email,name\na@x.org,\"Ana \"Bo\" Silva\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.message.contains("after its closing quote"),
            "{}",
            err.message
        );
    }
}
