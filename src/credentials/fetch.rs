//! A small blocking HTTP(S) GET for `verify --jwks URL`: HTTP/1.1 over a `TcpStream`, TLS by
//! rustls with the webpki roots for `https`, no redirects, no proxies, at most 1 MiB, 10 s
//! timeouts.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result, bail};

const LIMIT: u64 = 1 << 20;
const TIMEOUT: Duration = Duration::from_secs(10);

/// The body of a `200` answer to `GET url`.
pub fn get(url: &str) -> Result<Vec<u8>> {
    let parsed = url::Url::parse(url).with_context(|| format!("'{url}' is not a URL"))?;
    let tls = match parsed.scheme() {
        "http" => false,
        "https" => true,
        other => {
            bail!("cannot fetch '{url}': the scheme {other} is not supported (use http or https)")
        }
    };
    let host = parsed
        .host_str()
        .with_context(|| format!("'{url}' has no host"))?
        .to_owned();
    let port = parsed.port_or_known_default().unwrap_or(80);
    let addr = (host.trim_start_matches('[').trim_end_matches(']'), port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {host}"))?
        .next()
        .with_context(|| format!("{host} has no address"))?;
    let tcp = TcpStream::connect_timeout(&addr, TIMEOUT)
        .with_context(|| format!("cannot connect to {host}:{port}"))?;
    tcp.set_read_timeout(Some(TIMEOUT))?;
    tcp.set_write_timeout(Some(TIMEOUT))?;
    let mut path = parsed.path().to_owned();
    if let Some(q) = parsed.query() {
        path.push('?');
        path.push_str(q);
    }
    let host_header = match parsed.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: certstat/{}\r\n\
         Accept: application/json\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut raw = Vec::new();
    if tls {
        let mut stream = crate::tls::connect(&host, tcp)?;
        stream
            .write_all(request.as_bytes())
            .with_context(|| format!("cannot send the request to {host}"))?;
        read_all(&mut stream, &mut raw, &host)?;
    } else {
        let mut stream = tcp;
        stream.write_all(request.as_bytes())?;
        read_all(&mut stream, &mut raw, &host)?;
    }
    parse_response(&raw).with_context(|| format!("GET {url}"))
}

fn read_all(stream: &mut impl Read, raw: &mut Vec<u8>, host: &str) -> Result<()> {
    match stream.take(LIMIT + 64 * 1024).read_to_end(raw) {
        Ok(_) => Ok(()),
        // Servers that close without TLS close_notify: keep what arrived.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot read the answer of {host}")),
    }
}

/// Status line, headers and body (plain, `Content-Length` or chunked).
fn parse_response(raw: &[u8]) -> Result<Vec<u8>> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("the answer is not HTTP")?;
    let head = std::str::from_utf8(&raw[..head_end]).context("the answer is not HTTP")?;
    let body = &raw[head_end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("the answer has no HTTP status")?;
    if status != 200 {
        bail!("the server answered {}", status_line.trim());
    }
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("transfer-encoding")
                && value.to_ascii_lowercase().contains("chunked")
            {
                chunked = true;
            } else if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            }
        }
    }
    let body = if chunked {
        dechunk(body)?
    } else if let Some(n) = length {
        body.get(..n)
            .context("the answer is shorter than its Content-Length")?
            .to_vec()
    } else {
        body.to_vec()
    };
    if body.len() as u64 > LIMIT {
        bail!("the answer is larger than 1 MiB");
    }
    Ok(body)
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("a broken chunked answer")?;
        let size_text = std::str::from_utf8(&body[..line_end]).context("a broken chunk size")?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .context("a broken chunk size")?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(body.get(..size).context("a truncated chunk")?);
        body = body.get(size + 2..).context("a truncated chunk")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_sized_and_chunked_answers() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"keys\":[]}";
        assert_eq!(parse_response(plain).unwrap(), b"{\"keys\":[]}");
        let sized = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}junk";
        assert_eq!(parse_response(sized).unwrap(), b"{}");
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"k\r\n4;x=y\r\n\":1}\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked).unwrap(), b"{\"k\":1}");
        let err = parse_response(b"HTTP/1.1 404 Not Found\r\n\r\n").unwrap_err();
        assert!(err.to_string().contains("404"), "{err}");
    }
}
