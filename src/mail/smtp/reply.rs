//! A server's reply, typed: the three-digit code (RFC 5321 §4.2), the enhanced status code
//! (RFC 3463) when the text starts with one, and the text.

use std::fmt;

use lettre::transport::smtp::response::Response;

/// What the first digit of a reply code says (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// 2xx: done.
    Positive,
    /// 3xx: go on (354 after DATA).
    Intermediate,
    /// 4xx: not now; the same command may work later.
    Transient,
    /// 5xx: no; the same command will not work.
    Permanent,
}

/// An enhanced status code, `class.subject.detail` (`5.1.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enhanced {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl Enhanced {
    /// `5.1.1` and the like: class 2, 4 or 5, then two numbers of at most three digits.
    pub fn parse(word: &str) -> Option<Enhanced> {
        let mut parts = word.split('.');
        let (class, subject, detail) = (parts.next()?, parts.next()?, parts.next()?);
        let number = |p: &str| {
            (!p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u16>().ok())
                .flatten()
        };
        let class = match class {
            "2" | "4" | "5" => class.parse().ok()?,
            _ => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Enhanced {
            class,
            subject: number(subject)?,
            detail: number(detail)?,
        })
    }
}

impl fmt::Display for Enhanced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// One reply: its code, its enhanced status code when its text starts with one, and the text
/// (the lines of a multi-line reply joined with spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub enhanced: Option<Enhanced>,
    pub text: String,
}

impl Reply {
    /// A reply from its code and its text lines.
    pub fn new<'a>(code: u16, lines: impl IntoIterator<Item = &'a str>) -> Reply {
        let text = lines
            .into_iter()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let enhanced = text.split_whitespace().next().and_then(Enhanced::parse);
        Reply {
            code,
            enhanced,
            text,
        }
    }

    /// A reply as written on the wire or quoted in a report: `550 5.1.1 <a@b>: …`, or `550-…`
    /// for a line of a multi-line one. None when it does not start with a code.
    pub fn parse(line: &str) -> Option<Reply> {
        let line = line.trim_start();
        let digits = line.get(..3)?;
        if !digits.bytes().all(|b| b.is_ascii_digit())
            || !matches!(digits.as_bytes()[0], b'2'..=b'5')
        {
            return None;
        }
        let rest = &line[3..];
        if !(rest.is_empty() || rest.starts_with([' ', '-', '\t'])) {
            return None;
        }
        Some(Reply::new(
            digits.parse().ok()?,
            [rest.get(1..).unwrap_or("")],
        ))
    }

    /// lettre's reply.
    pub fn of(r: &Response) -> Reply {
        let code: u16 = r.code().to_string().parse().unwrap_or(0);
        Reply::new(code, r.message())
    }

    /// The reply inside a lettre error, when the server's reply is what the error is.
    pub fn of_error(e: &lettre::transport::smtp::Error) -> Option<Reply> {
        let code: u16 = e.status()?.to_string().parse().ok()?;
        let text = std::error::Error::source(e)
            .map(|s| s.to_string())
            .unwrap_or_default();
        Some(Reply::new(code, text.lines()))
    }

    pub fn severity(&self) -> Severity {
        match self.code / 100 {
            2 => Severity::Positive,
            3 => Severity::Intermediate,
            4 => Severity::Transient,
            _ => Severity::Permanent,
        }
    }

    /// The enhanced status code when there is one, else the reply code (`5.1.1`, `554`).
    pub fn status(&self) -> String {
        match self.enhanced {
            Some(e) => e.to_string(),
            None => self.code.to_string(),
        }
    }

    /// A 452 "too many recipients" (RFC 5321 §4.5.3.1.10), or another temporary refusal that
    /// says there were too many (servers say so of messages per session too): a new session
    /// answers it.
    pub fn session_full(&self) -> bool {
        self.code == 452
            || (self.severity() == Severity::Transient
                && self.text.to_ascii_lowercase().contains("too many"))
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{} {}", self.code, self.text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_enhanced_codes_and_severities() {
        let cases = [
            (
                "250 2.0.0 Ok: queued as 4Xyz",
                250,
                Some("2.0.0"),
                Severity::Positive,
            ),
            (
                "354 End data with <CR><LF>.<CR><LF>",
                354,
                None,
                Severity::Intermediate,
            ),
            (
                "451 4.3.0 Try again later",
                451,
                Some("4.3.0"),
                Severity::Transient,
            ),
            (
                "550 5.1.1 <a@b>: Recipient address rejected",
                550,
                Some("5.1.1"),
                Severity::Permanent,
            ),
            ("554 Transaction failed", 554, None, Severity::Permanent),
            (
                "550-5.7.26 Unauthenticated",
                550,
                Some("5.7.26"),
                Severity::Permanent,
            ),
            ("552 5.2.2", 552, Some("5.2.2"), Severity::Permanent),
            (
                "550 5.1.10 RESOLVER.ADR.RecipientNotFound",
                550,
                Some("5.1.10"),
                Severity::Permanent,
            ),
            ("421", 421, None, Severity::Transient),
        ];
        for (line, code, enhanced, severity) in cases {
            let r = Reply::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(r.code, code, "{line}");
            assert_eq!(
                r.enhanced.map(|e| e.to_string()).as_deref(),
                enhanced,
                "{line}"
            );
            assert_eq!(r.severity(), severity, "{line}");
            assert_eq!(
                r.status(),
                enhanced.map_or(code.to_string(), str::to_string)
            );
        }
    }

    #[test]
    fn what_is_not_a_reply_or_not_an_enhanced_code() {
        for line in ["", "55", "ok 250", "2500 x", "650 5.1.1 no", "550x"] {
            assert_eq!(Reply::parse(line), None, "{line:?}");
        }
        for word in [
            "5.1", "3.1.1", "5.1.1.1", "5..1", "5.1.1a", "5.1234.1", "x.1.1",
        ] {
            assert_eq!(Enhanced::parse(word), None, "{word}");
        }
        // An enhanced code only counts at the start of the text.
        assert_eq!(
            Reply::parse("550 user 5.1.1 unknown").unwrap().enhanced,
            None
        );
    }

    #[test]
    fn multi_line_text_is_joined_and_shown_with_its_code() {
        let r = Reply::new(
            550,
            ["5.7.1 Service unavailable;", "  client blocked  ", ""],
        );
        assert_eq!(
            r.to_string(),
            "550 5.7.1 Service unavailable; client blocked"
        );
        assert_eq!(r.enhanced.unwrap().subject, 7);
    }

    #[test]
    fn which_refusals_a_new_session_answers() {
        for (line, full) in [
            ("452 4.5.3 Too many recipients", true),
            ("452 Insufficient system storage", true),
            ("421 4.7.0 Too many messages this session", true),
            ("451 4.3.0 Try again", false),
            ("550 5.5.3 Too many recipients", false),
        ] {
            assert_eq!(Reply::parse(line).unwrap().session_full(), full, "{line}");
        }
    }
}
