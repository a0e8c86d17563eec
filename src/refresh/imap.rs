//! Reading a bounce mailbox over IMAP: `imaps://` (implicit TLS), `imap://` with STARTTLS, or
//! plain `imap://` on a loopback address. TLS is rustls with the Mozilla roots.
//!
//! Messages are fetched with `BODY.PEEK[]` from a mailbox opened read-only (EXAMINE), so
//! nothing changes on the server unless `--imap-mark-seen` or `--imap-move` asks for it. The
//! UIDs already read are remembered with the message hashes, so a run fetches only new mail.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

use super::{Engine, Ingested};
use crate::db::inbound;

/// How mail is protected on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `imaps://`: TLS from the first byte.
    Tls,
    /// `imap://` to a remote host: STARTTLS, required.
    StartTls,
    /// `imap://` to a loopback address: plain text (never leaves the machine).
    PlainLoopback,
}

/// A parsed `--imap` URL.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub mailbox: String,
    pub security: Security,
}

impl Target {
    /// The remembered-source prefix of this mailbox (without UIDVALIDITY).
    fn label(&self) -> String {
        let scheme = if self.security == Security::Tls {
            "imaps"
        } else {
            "imap"
        };
        format!(
            "{scheme}://{}@{}:{}/{}",
            self.user, self.host, self.port, self.mailbox
        )
    }
}

fn percent_decode(s: &str) -> Result<String> {
    let malformed = s.match_indices('%').any(|(i, _)| {
        s.get(i + 1..i + 3)
            .is_none_or(|h| u8::from_str_radix(h, 16).is_err())
    });
    if malformed {
        bail!("bad percent-encoding in '{s}'");
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| anyhow!("'{s}' does not decode to UTF-8"))
}

/// Parse `imaps://user@host[:port]/MAILBOX` (user percent-encoded; no password in the URL).
pub fn parse_url(text: &str) -> Result<Target> {
    let bad = |why: &str| {
        anyhow!(
            "the IMAP URL '{text}' {why}; write it like imaps://bounces%40acme.example@imap.example.org/INBOX"
        )
    };
    let url = url::Url::parse(text).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    let (security, default_port) = match url.scheme() {
        "imaps" => (Security::Tls, 993),
        "imap" => (Security::StartTls, 143),
        other => {
            return Err(bad(&format!(
                "has the scheme '{other}' (use imaps or imap)"
            )));
        }
    };
    if url.password().is_some() {
        bail!(
            "the IMAP URL '{}' holds a password: remove it, and set CERTSTAT_IMAP_PASSWORD or \
             [refresh] imap_password_command instead (a password in a URL ends up in shell \
             histories and process lists)",
            text.split('@').next_back().unwrap_or("")
        );
    }
    let user = percent_decode(url.username())?;
    if user.is_empty() {
        return Err(bad("has no user name"));
    }
    let (host, loopback) = match url.host() {
        // imap is not a "special" URL scheme: an IP address arrives as an opaque host name.
        Some(url::Host::Domain(d)) => {
            let ip = d.trim_matches(['[', ']']).parse::<IpAddr>().ok();
            let loopback =
                ip.is_some_and(|ip| ip.is_loopback()) || d.eq_ignore_ascii_case("localhost");
            (d.to_string(), loopback)
        }
        Some(url::Host::Ipv4(ip)) => (ip.to_string(), ip.is_loopback()),
        Some(url::Host::Ipv6(ip)) => (ip.to_string(), IpAddr::V6(ip).is_loopback()),
        None => return Err(bad("has no host")),
    };
    let security = if security == Security::StartTls && loopback {
        Security::PlainLoopback
    } else {
        security
    };
    let mailbox = percent_decode(url.path().trim_start_matches('/'))?;
    Ok(Target {
        host,
        port: url.port().unwrap_or(default_port),
        user,
        mailbox: if mailbox.is_empty() {
            "INBOX".into()
        } else {
            mailbox
        },
        security,
    })
}

/// The IMAP password: `CERTSTAT_IMAP_PASSWORD`, else the output of `imap_password_command`.
pub fn password(command: Option<&str>) -> Result<String> {
    crate::password::from_env_or_command(
        "CERTSTAT_IMAP_PASSWORD",
        command,
        "[refresh] imap_password_command",
    )?
    .ok_or_else(|| {
        anyhow!(
            "no IMAP password: set CERTSTAT_IMAP_PASSWORD or [refresh] imap_password_command \
             (e.g. \"pass show imap\")"
        )
    })
}

/// A plain or TLS stream, so one IMAP client type serves every URL.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

fn tls_wrap(host: &str, tcp: TcpStream) -> Result<Stream> {
    let mut tls = crate::tls::connect(host, tcp)?;
    // Handshake now, so a certificate problem is reported as such.
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .with_context(|| format!("TLS handshake with {host} failed"))?;
    }
    Ok(Stream::Tls(Box::new(tls)))
}

/// One CRLF-terminated line, read a byte at a time (nothing is buffered past it).
fn read_line(s: &mut TcpStream) -> Result<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        let n = s.read(&mut b)?;
        if n == 0 {
            bail!("the IMAP server closed the connection");
        }
        line.push(b[0]);
        if b[0] == b'\n' || line.len() > 64 * 1024 {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// Send a command before TLS/login and read up to its tagged reply; returns the untagged lines.
fn pre_command(s: &mut TcpStream, tag: &str, command: &str) -> Result<Vec<String>> {
    s.write_all(format!("{tag} {command}\r\n").as_bytes())?;
    let mut lines = Vec::new();
    loop {
        let line = read_line(s)?;
        if let Some(rest) = line.strip_prefix(&format!("{tag} ")) {
            if rest.to_ascii_uppercase().starts_with("OK") {
                return Ok(lines);
            }
            bail!("the IMAP server refused {command}: {rest}");
        }
        lines.push(line);
    }
}

/// Connect, secure the connection as the URL says, and return a client ready to log in.
pub fn connect(t: &Target) -> Result<imap::Client<Stream>> {
    let addr = (t.host.as_str(), t.port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve the IMAP host {}", t.host))?
        .next()
        .ok_or_else(|| anyhow!("the IMAP host {} has no address", t.host))?;
    let mut tcp = TcpStream::connect_timeout(&addr, Duration::from_secs(30))
        .with_context(|| format!("cannot connect to the IMAP server {}:{}", t.host, t.port))?;
    tcp.set_read_timeout(Some(Duration::from_secs(120)))?;
    tcp.set_write_timeout(Some(Duration::from_secs(120)))?;
    match t.security {
        Security::Tls => {
            let stream = tls_wrap(&t.host, tcp)?;
            let mut client = imap::Client::new(stream);
            let greeting = client.read_greeting().context("no IMAP greeting")?;
            check_greeting(&String::from_utf8_lossy(&greeting))?;
            Ok(client)
        }
        Security::StartTls | Security::PlainLoopback => {
            let greeting = read_line(&mut tcp).context("no IMAP greeting")?;
            check_greeting(&greeting)?;
            if t.security == Security::PlainLoopback {
                return Ok(imap::Client::new(Stream::Plain(tcp)));
            }
            let caps = pre_command(&mut tcp, "c0", "CAPABILITY")?.join(" ");
            if !caps.to_ascii_uppercase().contains("STARTTLS") {
                bail!(
                    "the IMAP server {}:{} does not offer STARTTLS, and certstat sends a password \
                     in clear only to a loopback address: use imaps:// (port 993) if it has it",
                    t.host,
                    t.port
                );
            }
            pre_command(&mut tcp, "c1", "STARTTLS")?;
            Ok(imap::Client::new(tls_wrap(&t.host, tcp)?))
        }
    }
}

fn check_greeting(line: &str) -> Result<()> {
    if line.starts_with("* OK") || line.starts_with("* PREAUTH") {
        Ok(())
    } else {
        bail!("unexpected IMAP greeting: {line}")
    }
}

/// What to do with processed mail on the server.
#[derive(Debug, Clone, Default)]
pub struct After {
    pub mark_seen: bool,
    pub move_to: Option<String>,
}

/// Read the mailbox into the engine. Connection and login failures are errors of the run.
pub fn read(engine: &mut Engine<'_>, t: &Target, password: &str, after: &After) -> Result<()> {
    let client = connect(t)?;
    let mut session = client.login(&t.user, password).map_err(|(e, _)| {
        anyhow!(
            "IMAP login to {}:{} as {} failed ({e}); check the user in the URL and the password",
            t.host,
            t.port,
            t.user
        )
    })?;
    let changes = (after.mark_seen || after.move_to.is_some()) && !engine.opts.dry_run;
    let mailbox = if changes {
        session.select(&t.mailbox)
    } else {
        session.examine(&t.mailbox)
    }
    .with_context(|| format!("cannot open the IMAP mailbox '{}'", t.mailbox))?;
    let validity = mailbox.uid_validity.unwrap_or(0);
    let prefix = format!("{};UIDVALIDITY={validity};UID=", t.label());
    let known: HashSet<u32> = inbound::sources_with_prefix(engine.conn(), &prefix)?
        .iter()
        .filter_map(|s| s[prefix.len()..].parse().ok())
        .collect();
    let mut uids: Vec<u32> = if mailbox.exists == 0 {
        Vec::new()
    } else {
        session
            .uid_search("ALL")
            .context("IMAP UID SEARCH failed")?
            .into_iter()
            .collect()
    };
    uids.sort_unstable();
    let mut done: Vec<u32> = uids.iter().copied().filter(|u| known.contains(u)).collect();
    let new: Vec<u32> = uids.into_iter().filter(|u| !known.contains(u)).collect();
    engine.summary.already_seen += done.len() as u64;
    engine.summary.messages += done.len() as u64;
    for chunk in new.chunks(64) {
        let set = uid_set(chunk);
        let fetched = session
            .uid_fetch(&set, "BODY.PEEK[]")
            .with_context(|| format!("IMAP FETCH of {} message(s) failed", chunk.len()))?;
        let mut items = Vec::with_capacity(fetched.len());
        let mut order = Vec::with_capacity(fetched.len());
        for f in fetched.iter() {
            let (Some(uid), Some(body)) = (f.uid, f.body()) else {
                continue;
            };
            items.push((format!("{prefix}{uid}"), body.to_vec()));
            order.push(uid);
        }
        let results = engine.ingest_batch(items, "imap")?;
        engine.commit()?;
        for (uid, r) in order.into_iter().zip(results) {
            if r != Ingested::Skipped {
                done.push(uid);
            }
        }
    }
    if changes && !done.is_empty() {
        done.sort_unstable();
        for chunk in done.chunks(500) {
            let set = uid_set(chunk);
            if let Some(folder) = &after.move_to {
                session
                    .uid_mv(&set, folder)
                    .with_context(|| format!("cannot move processed mail to '{folder}'"))?;
            } else {
                session
                    .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
                    .context("cannot mark processed mail \\Seen")?;
            }
        }
    }
    let _ = session.logout();
    Ok(())
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = parse_url("imaps://bounces%40acme.example@imap.example.org/INBOX").unwrap();
        assert_eq!(t.user, "bounces@acme.example");
        assert_eq!((t.host.as_str(), t.port), ("imap.example.org", 993));
        assert_eq!(t.security, Security::Tls);
        let t = parse_url("imap://u@mail.example.org/Bounces%20Box").unwrap();
        assert_eq!(t.security, Security::StartTls);
        assert_eq!(t.mailbox, "Bounces Box");
        assert_eq!(t.port, 143);
        let t = parse_url("imap://u@127.0.0.1:1143").unwrap();
        assert_eq!(t.security, Security::PlainLoopback);
        assert_eq!(t.mailbox, "INBOX");
        let err = parse_url("imaps://u:secret@h/INBOX")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("CERTSTAT_IMAP_PASSWORD") && !err.contains("secret"),
            "{err}"
        );
        assert!(parse_url("pop3://u@h/").is_err());
        assert!(parse_url("imaps://h/INBOX").is_err());
    }
}
