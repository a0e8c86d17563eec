//! SMTP: lettre's connection, one recipient per transaction, so each reply is that
//! recipient's outcome; MAIL, RCPT and DATA written together when the server offers
//! PIPELINING (RFC 2920), and the next envelope behind the data when it fits the server's read.

use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Result, bail};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{
    ClientId, Extension, MailBodyParameter, MailParameter, RcptParameter,
};
use lettre::transport::smtp::response::Response;

use super::compose::Outgoing;
use super::transport::{Transport, Try};
use crate::config::{Dsn, Security, Smtp as SmtpConfig};
use refusal::permanent_refusal;
use reply::{Reply, Severity};

mod refusal;
pub mod reply;
#[cfg(test)]
mod scripted_tests;

/// Everything needed to open SMTP connections; shared by the workers.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<Credentials>,
    pub timeout: Duration,
    pub hello: ClientId,
    /// Which delivery reports messages ask for when the server offers DSN.
    pub dsn: Dsn,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SmtpSettings({}:{} {:?})",
            self.host, self.port, self.security
        )
    }
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The password: `CERTSTAT_SMTP_PASSWORD`, else the output of `password_command`.
fn password(cfg: &SmtpConfig) -> Result<Option<String>> {
    crate::password::from_env_or_command(
        "CERTSTAT_SMTP_PASSWORD",
        cfg.password_command.as_deref(),
        "[smtp] password_command",
    )
}

impl SmtpSettings {
    pub fn from_config(cfg: &SmtpConfig) -> Result<SmtpSettings> {
        if cfg.host.trim().is_empty() {
            bail!("[smtp] host is empty");
        }
        if cfg.security == Security::None && !is_loopback(&cfg.host) {
            bail!(
                "[smtp] security = \"none\" is only allowed for a server on this machine (localhost, \
                 127.0.0.1), not {}: use \"starttls\" or \"tls\"",
                cfg.host
            );
        }
        let port = cfg.port.unwrap_or(match cfg.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        });
        let credentials = match (&cfg.username, password(cfg)?) {
            (Some(u), Some(p)) => Some(Credentials::new(u.clone(), p)),
            (Some(u), None) => bail!(
                "[smtp] username = \"{u}\" but no password: set CERTSTAT_SMTP_PASSWORD or [smtp] password_command"
            ),
            (None, _) => None,
        };
        Ok(SmtpSettings {
            host: cfg.host.trim().to_string(),
            port,
            security: cfg.security,
            credentials,
            timeout: cfg.timeout().unwrap_or(Duration::from_secs(60)),
            dsn: cfg.dsn,
            hello: ClientId::default(),
        })
    }

    fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

pub struct Smtp {
    settings: SmtpSettings,
    conn: Option<SmtpConnection>,
    /// What the current connection's server offers beyond what lettre keeps.
    offers: Offers,
    /// Messages sent over the current connection.
    used: usize,
    /// The send id of the message whose MAIL FROM, RCPT TO and DATA were written behind the
    /// previous message's data (RFC 2920: message content may start a group), their replies
    /// not read yet.
    ahead: Option<String>,
}

/// Which command of a transaction's envelope was not accepted, and the error.
enum Refusal {
    Mail(lettre::transport::smtp::Error),
    Rcpt(lettre::transport::smtp::Error),
    Data(lettre::transport::smtp::Error),
}

/// A reply came (accepting or refusing), rather than a network or protocol error.
fn answered(r: &Result<Response, lettre::transport::smtp::Error>) -> bool {
    r.as_ref().map_or_else(|e| e.status().is_some(), |_| true)
}

/// RFC 3461 xtext: `+`, `=` and anything outside printable ASCII as `+HH`.
fn xtext(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if (b'!'..=b'~').contains(&b) && b != b'+' && b != b'=' {
            out.push(b as char);
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

/// The EHLO keywords lettre's `ServerInfo` does not keep.
#[derive(Debug, Clone, Copy, Default)]
struct Offers {
    /// PIPELINING (RFC 2920).
    pipelining: bool,
    /// DSN (RFC 3461): the server takes NOTIFY, RET and ENVID, so a receiving MTA can report
    /// a successful delivery.
    dsn: bool,
}

impl Offers {
    fn of(ehlo: &Response) -> Offers {
        let has = |keyword: &str| {
            ehlo.message().skip(1).any(|line| {
                line.split_whitespace()
                    .next()
                    .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
            })
        };
        Offers {
            pipelining: has("PIPELINING"),
            dsn: has("DSN"),
        }
    }
}

/// `550 5.1.1 <x>: Recipient address rejected: …` from a lettre error.
fn reply_text(e: &lettre::transport::smtp::Error) -> String {
    Reply::of_error(e).map_or_else(|| e.to_string(), |r| r.to_string())
}

impl Smtp {
    pub fn new(settings: SmtpSettings) -> Smtp {
        Smtp {
            settings,
            conn: None,
            offers: Offers::default(),
            used: 0,
            ahead: None,
        }
    }

    /// Connect, and whether the server offers PIPELINING.
    fn connect(&self) -> Result<(SmtpConnection, Offers), Try> {
        let s = &self.settings;
        let addrs: Vec<_> = match s.server().to_socket_addrs() {
            Ok(a) => a.collect(),
            Err(e) => {
                return Err(Try::Temporary(format!(
                    "cannot resolve the SMTP server {}: {e}",
                    s.host
                )));
            }
        };
        let tls = match s.security {
            Security::None => None,
            _ => match TlsParameters::new(s.host.clone()) {
                Ok(t) => Some(t),
                Err(e) => return Err(Try::Fatal(format!("TLS setup for {} failed: {e}", s.host))),
            },
        };
        let implicit = if s.security == Security::Tls {
            tls.as_ref()
        } else {
            None
        };
        let mut conn = match SmtpConnection::connect(
            addrs.as_slice(),
            Some(s.timeout),
            &s.hello,
            implicit,
            None,
        ) {
            Ok(c) => c,
            Err(e) if e.is_tls() => {
                return Err(Try::Fatal(format!(
                    "TLS with the SMTP server {} failed: {e}",
                    s.server()
                )));
            }
            Err(e) if e.is_permanent() => {
                return Err(Try::Fatal(format!(
                    "the SMTP server {} refuses connections: {}",
                    s.server(),
                    reply_text(&e)
                )));
            }
            Err(e) if timed_out(&e) => {
                // Once is enough: a server that does not answer within the timeout would cost
                // the same again at every retry.
                return Err(Try::Fatal(format!(
                    "the SMTP server {} did not answer within {} s (timed out connecting or \
                     waiting for its 220 greeting): check [smtp] host and port, and that the \
                     server is up",
                    s.server(),
                    s.timeout.as_secs()
                )));
            }
            Err(e) => {
                return Err(Try::Temporary(format!(
                    "cannot connect to the SMTP server {}: {}",
                    s.server(),
                    error_chain(&e)
                )));
            }
        };
        if s.security == Security::Starttls {
            if !conn.can_starttls() {
                conn.abort();
                return Err(Try::Fatal(format!(
                    "the SMTP server {} does not offer STARTTLS, and [smtp] security = \"starttls\" requires it \
                     (use \"tls\" for port 465, or fix the server)",
                    s.server()
                )));
            }
            if let Err(e) = conn.starttls(tls.as_ref().expect("TLS parameters"), &s.hello) {
                return Err(Try::Fatal(format!(
                    "STARTTLS with {} failed: {e}",
                    s.server()
                )));
            }
        }
        // lettre reads the EHLO reply but keeps only some keywords; ask again for PIPELINING
        // (before AUTH: a new EHLO resets the session state).
        let offers = conn
            .command(Ehlo::new(s.hello.clone()))
            .map(|r| Offers::of(&r))
            .unwrap_or_default();
        if let Some(creds) = &s.credentials {
            let mechs = [Mechanism::Plain, Mechanism::Login];
            if let Err(e) = conn.auth(&mechs, creds) {
                conn.abort();
                if e.is_transient() {
                    return Err(Try::Temporary(format!(
                        "login to {} failed for now: {}",
                        s.server(),
                        reply_text(&e)
                    )));
                }
                return Err(Try::Fatal(format!(
                    "the SMTP server {} refused the login ({}): check [smtp] username and the password \
                     (CERTSTAT_SMTP_PASSWORD or password_command)",
                    s.server(),
                    reply_text(&e)
                )));
            }
        }
        Ok((conn, offers))
    }

    fn ensure(&mut self) -> Result<(), Try> {
        if self.conn.as_ref().is_some_and(|c| !c.has_broken()) {
            return Ok(());
        }
        self.conn = None;
        let (conn, offers) = self.connect()?;
        self.conn = Some(conn);
        self.offers = offers;
        self.used = 0;
        Ok(())
    }

    /// Close the connection without waiting on the server: the QUIT `abort` sends gets a
    /// moment for its reply, not the whole timeout (after a timeout there will be none).
    fn drop_conn(&mut self) {
        self.ahead = None;
        if let Some(mut c) = self.conn.take() {
            let _ = c.set_timeout(Some(Duration::from_secs(1)));
            c.abort();
        }
    }

    /// After a refused end of data: the reply ended the transaction already (RFC 5321 §4.1.1.4),
    /// and when the next envelope was written behind the data, an RSET's reply would come
    /// after that envelope's and be taken for one of them. Without it, reset as before.
    fn reset_after_data(&mut self) {
        if self.ahead.is_none() {
            self.reset();
        }
    }

    /// Reset the transaction after a refusal; drop the connection when that fails.
    fn reset(&mut self) {
        if let Some(c) = self.conn.as_mut()
            && c.command(Rset).is_err()
        {
            self.drop_conn();
        }
    }

    /// The outcome of a refused RCPT or DATA command: a 5xx is a bounce for this recipient
    /// (the transaction is reset), a 4xx is temporary (reset), anything else drops the
    /// connection and is temporary too.
    fn refused_command(
        &mut self,
        e: &lettre::transport::smtp::Error,
        phase: &'static str,
        command: &str,
    ) -> Try {
        match Reply::of_error(e) {
            Some(reply) if reply.severity() == Severity::Permanent => {
                self.reset();
                permanent_refusal(&reply, phase, command)
            }
            Some(reply) if reply.severity() == Severity::Transient && !reply.session_full() => {
                self.reset();
                Try::Temporary(format!("{command}: {reply}"))
            }
            _ => {
                // A 452 "too many recipients/messages this session" is answered by a new
                // session: the retry reconnects. So is anything that is not a reply.
                self.drop_conn();
                Try::Temporary(format!("{command}: {}", reply_or_error(e)))
            }
        }
    }

    /// MAIL FROM, RCPT TO and DATA: one command at a time, or with PIPELINING all three in one
    /// write and their replies read after (RFC 2920), which saves two round trips a message.
    /// `written`: they were written already, behind the previous message's data; only their
    /// replies are read. Either way every reply is read before this returns, so the outcome is
    /// the same.
    fn envelope(&mut self, mail: Mail, rcpt: Rcpt, written: bool) -> Result<(), Refusal> {
        let conn = self.conn.as_mut().expect("connected");
        if !self.offers.pipelining {
            conn.command(mail).map_err(Refusal::Mail)?;
            conn.command(rcpt).map_err(Refusal::Rcpt)?;
            conn.command(Data).map_err(Refusal::Data)?;
            return Ok(());
        }
        let mail = if written {
            conn.read_response()
        } else {
            conn.command(format!("{mail}{rcpt}{Data}"))
        };
        if !answered(&mail) {
            return mail.map(drop).map_err(Refusal::Mail);
        }
        let rcpt = conn.read_response();
        if !answered(&rcpt) {
            self.drop_conn();
            mail.map_err(Refusal::Mail)?;
            return rcpt.map(drop).map_err(Refusal::Rcpt);
        }
        let data = conn.read_response();
        if data.is_ok() && (mail.is_err() || rcpt.is_err()) {
            // The server opened DATA without a sender or recipient (RFC 2920 says it must not):
            // close the connection, which ends the transaction without a message. Closed, not
            // QUIT: in DATA the server would take a QUIT for message text and never answer.
            self.conn = None;
        }
        mail.map_err(Refusal::Mail)?;
        rcpt.map_err(Refusal::Rcpt)?;
        data.map(drop).map_err(Refusal::Data)
    }

    /// The MAIL FROM and RCPT TO commands of a message.
    fn commands(&self, m: &Outgoing) -> (Mail, Rcpt) {
        let conn = self.conn.as_ref().expect("connected");
        let mut params = Vec::new();
        if !m.bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let to = m.envelope.to()[0].clone();
        let mut rcpt_params = Vec::new();
        let notify = match self.settings.dsn {
            Dsn::Success => Some("SUCCESS,FAILURE,DELAY"),
            Dsn::Failure => Some("FAILURE,DELAY"),
            Dsn::Off => None,
        };
        if let Some(notify) = notify.filter(|_| self.offers.dsn) {
            // By default a success report too: a DSN from the receiving MTA is positive
            // evidence of delivery (Delivered "confirmed by DSN"), and only headers come back.
            params.push(MailParameter::Other {
                keyword: "RET".into(),
                value: Some("HDRS".into()),
            });
            params.push(MailParameter::Other {
                keyword: "ENVID".into(),
                value: Some(m.send_id.clone()),
            });
            rcpt_params.push(RcptParameter::Other {
                keyword: "NOTIFY".into(),
                value: Some(notify.into()),
            });
            let address = to.to_string();
            if address.is_ascii() {
                rcpt_params.push(RcptParameter::Other {
                    keyword: "ORCPT".into(),
                    value: Some(format!("rfc822;{}", xtext(&address))),
                });
            }
        }
        let mail = Mail::new(m.envelope.from().cloned(), params);
        let rcpt = Rcpt::new(to, rcpt_params);
        (mail, rcpt)
    }

    fn transaction(&mut self, m: &Outgoing, next: Option<&Outgoing>) -> Try {
        // Whether this message's envelope is already on its way (see `ahead`). Anything else
        // written ahead cannot be taken back: its DATA may be open, and only closing the
        // connection ends that without a message.
        let written = match self.ahead.take() {
            Some(id) if id == m.send_id && self.conn.as_ref().is_some_and(|c| !c.has_broken()) => {
                true
            }
            Some(_) => {
                self.drop_conn();
                false
            }
            None => false,
        };
        if let Err(t) = self.ensure() {
            return match t {
                Try::Temporary(e) => Try::Unreachable(e),
                other => other,
            };
        }
        let reused = self.used > 0;
        let (mail, rcpt) = self.commands(m);
        match self.envelope(mail, rcpt, written) {
            Ok(()) => {}
            Err(Refusal::Mail(e)) if e.is_permanent() => {
                let r = reply_text(&e);
                self.reset();
                return Try::Fatal(format!(
                    "the SMTP server refused the sender {:?}: {r}",
                    m.envelope.from().map(|a| a.to_string()).unwrap_or_default()
                ));
            }
            Err(Refusal::Mail(e)) => {
                self.drop_conn();
                if reused && !e.is_transient() {
                    // A kept-alive connection the server had closed: reconnect once, at once.
                    self.used = 0;
                    return self.transaction(m, next);
                }
                return Try::Temporary(format!("MAIL FROM: {}", reply_or_error(&e)));
            }
            Err(Refusal::Rcpt(e)) => return self.refused_command(&e, "rcpt", "RCPT TO"),
            Err(Refusal::Data(e)) => return self.refused_command(&e, "data", "DATA"),
        }
        // The next message's envelope goes in the same write as this one's data, when the
        // server pipelines: its replies come with this one's and are read by the next call, so
        // the next message costs one round trip (the data's) instead of two. Only the envelope:
        // the next message's data is not handed over before its own call.
        let ahead = next
            .filter(|_| self.offers.pipelining)
            .map(|n| (n.send_id.clone(), self.commands(n)));
        let conn = self.conn.as_mut().expect("connected");
        // The whole DATA payload in one write: lettre's `message()` writes the body and the
        // final dot separately, which with Nagle's algorithm and delayed ACKs costs ~40 ms a
        // message.
        let mut ahead_id = None;
        let sent = match String::from_utf8(dot_stuffed(&m.bytes)) {
            Ok(mut payload) => {
                if let Some((id, (mail, rcpt))) = ahead {
                    let envelope = format!("{mail}{rcpt}{Data}");
                    // Not when the envelope would start a new 4 KiB read of the server's:
                    // Postfix would answer the data and the envelope in two writes, and the
                    // second waits on our delayed ACK (~40 ms a message at sizes just below a
                    // multiple of 4 KiB; bench/send/sweep.sh). The next message then pays its
                    // own round trip instead.
                    if !crosses_read_boundary(payload.len(), envelope.len()) {
                        payload.push_str(&envelope);
                        ahead_id = Some(id);
                    }
                }
                conn.command(payload)
            }
            Err(_) => conn.message(&m.bytes),
        };
        // A reply to the data (accepting or refusing) ends this transaction; the server then
        // reads the next envelope. Without a reply the connection is dropped, and with it
        // what was written ahead.
        if answered(&sent) {
            self.ahead = ahead_id;
        }
        match sent {
            Ok(resp) => {
                self.used += 1;
                Try::Accepted(Reply::of(&resp).to_string())
            }
            Err(e) => self.data_refused(&e),
        }
    }

    /// The outcome of an end of data that was not accepted: refused for good (a bounce, or the
    /// end of the run), refused for now, or not answered (the message may have arrived).
    fn data_refused(&mut self, e: &lettre::transport::smtp::Error) -> Try {
        match Reply::of_error(e) {
            Some(r) if r.severity() == Severity::Permanent => {
                self.reset_after_data();
                permanent_refusal(&r, "data", "end of DATA")
            }
            Some(r) if r.severity() == Severity::Transient => {
                self.reset_after_data();
                Try::Temporary(format!("end of DATA: {r}"))
            }
            _ if timed_out(e) => {
                self.drop_conn();
                Try::Unknown(format!(
                    "no reply within {} s after the end of the message data (timed out): the \
                     server may or may not have accepted it",
                    self.settings.timeout.as_secs()
                ))
            }
            _ => {
                self.drop_conn();
                Try::Unknown(format!(
                    "the connection broke after the message was sent, before the server confirmed it: {}",
                    error_chain(e)
                ))
            }
        }
    }
}

/// The message with SMTP transparency (a leading dot doubled), CRLF line ends, and the
/// terminating `CRLF . CRLF`.
///
/// Line by line, copying each line whole: a composed message already has CRLF line ends and
/// few lines start with a dot, and byte-by-byte copying was a tenth of a send's instructions.
fn dot_stuffed(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            out.push(b'.');
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                if i > 0 && rest[i - 1] == b'\r' {
                    out.extend_from_slice(&rest[..=i]);
                } else {
                    out.extend_from_slice(&rest[..i]);
                    out.extend_from_slice(b"\r\n");
                }
                rest = &rest[i + 1..];
            }
            None => {
                out.extend_from_slice(rest);
                rest = &[];
            }
        }
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// The read size of SMTP servers (Postfix's VSTREAM buffer; larger buffers are multiples).
const SERVER_READ: usize = 4096;

/// Whether `extra` bytes written behind `data` bytes (in one write, read by the server from
/// its start) would fall, even in part, into a later server read than the data's end.
fn crosses_read_boundary(data: usize, extra: usize) -> bool {
    data > 0 && (data - 1) / SERVER_READ != (data + extra - 1) / SERVER_READ
}

/// Whether an error is a socket timeout (a read times out with `WouldBlock` on Unix, which
/// lettre's `is_timeout` does not count).
fn timed_out(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
        }
        source = err.source();
    }
    false
}

fn reply_or_error(e: &lettre::transport::smtp::Error) -> String {
    if e.status().is_some() {
        return reply_text(e);
    }
    if timed_out(e) {
        return "no reply (timed out)".to_owned();
    }
    error_chain(e)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

impl Transport for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn try_send(&mut self, m: &Outgoing, next: Option<&Outgoing>) -> Try {
        self.transaction(m, next)
    }

    fn close(&mut self) {
        if self.ahead.is_some() {
            // An envelope written ahead for a message that was not sent after all (the run
            // stopped): the server may be waiting for its data, and would take QUIT for it.
            self.drop_conn();
        } else if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_ahead_never_starts_a_new_server_read() {
        assert!(!crosses_read_boundary(1000, 100));
        assert!(!crosses_read_boundary(3996, 100));
        assert!(crosses_read_boundary(3997, 100));
        assert!(crosses_read_boundary(4000, 200));
        assert!(!crosses_read_boundary(4096 + 10, 100));
        assert!(crosses_read_boundary(8192 - 50, 100));
        assert!(
            crosses_read_boundary(8192, 1),
            "the data ends a read, the envelope starts one"
        );
    }

    #[test]
    fn dot_stuffing() {
        assert_eq!(
            dot_stuffed(b"a\r\n.b\r\n..\r\n"),
            b"a\r\n..b\r\n...\r\n.\r\n"
        );
        assert_eq!(dot_stuffed(b".x\ny"), b"..x\r\ny\r\n.\r\n");
    }

    /// The byte-by-byte definition `dot_stuffed` must keep to.
    fn dot_stuffed_bytewise(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut line_start = true;
        let mut prev = 0u8;
        for &b in bytes {
            if b == b'\n' && prev != b'\r' {
                out.push(b'\r');
            }
            if line_start && b == b'.' {
                out.push(b'.');
            }
            out.push(b);
            line_start = b == b'\n';
            prev = b;
        }
        if !out.ends_with(b"\r\n") {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b".\r\n");
        out
    }

    proptest::proptest! {
        #[test]
        fn dot_stuffing_line_by_line_is_bytewise(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'.', b'\r', b'\n', b' ', 0xc3]), 0..200)
        ) {
            proptest::prop_assert_eq!(dot_stuffed(&bytes), dot_stuffed_bytewise(&bytes));
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("localhost"));
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("::1"));
        assert!(!is_loopback("smtp.example.org"));
    }
}
