//! `certstat serve` and `certstat render`: the real binary as a child process, spoken to over
//! plain HTTP (std `TcpStream`), and, in `browser`, driven by headless Chromium.

mod accessibility;
mod browser;
mod flood;
mod languages;
mod mail_languages;
pub mod webdriver;
mod world;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, required};

pub const CERT: &str = "Intro to Rust";
pub const ANA: &str = "ana.silva@example.org";
pub const BJORN: &str = "bjorn@example.org";

/// A running `certstat serve`, stopped with SIGTERM when dropped.
pub struct Server {
    child: Option<Child>,
    pub addr: String,
    log: Arc<Mutex<String>>,
}

/// The `certstat` binary as a `std::process::Command`, isolated like `Env::cmd`.
pub fn std_cmd(env: &Env) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_certstat"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path().join("xdg-data"))
        .env("XDG_CONFIG_HOME", env.dir.path().join("xdg-config"))
        .env("CERTSTAT_DB", &env.db)
        .env("CERTSTAT_CONFIG", &env.config)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .current_dir(env.dir.path());
    cmd
}

impl Server {
    /// Start `certstat serve --listen 127.0.0.1:0 ARGS…` and wait for its address.
    pub fn start(env: &Env, args: &[&str]) -> Server {
        Server::start_with(env, args, &[])
    }

    /// [`Server::start`] with more environment variables.
    pub fn start_with(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut child = std_cmd(env)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start certstat serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on http://").nth(1)
                    && let Some(tx) = tx.take()
                {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_owned();
                    let _ = tx.send(addr);
                }
                let mut l = log2.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "certstat serve did not say where it listens:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        Server {
            child: Some(child),
            addr,
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], None)
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Resp {
        http(&self.addr, method, path, headers, body)
    }

    /// SIGTERM, wait for exit (at most 20 s); returns the exit success and stderr.
    pub fn stop(mut self) -> (bool, String) {
        let mut child = self.child.take().unwrap();
        let ok = terminate(&mut child);
        std::thread::sleep(Duration::from_millis(50));
        (ok, self.log.lock().unwrap().clone())
    }
}

fn terminate(child: &mut Child) -> bool {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&mut child);
        }
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `name=value` of every Set-Cookie, for a `Cookie` header.
    pub fn cookies(&self) -> Vec<String> {
        self.all("set-cookie")
            .iter()
            .map(|c| c.split(';').next().unwrap().trim().to_owned())
            .collect()
    }
}

/// One request on a fresh connection (`Connection: close`), the whole response read.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Resp {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    let has_ua = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"));
    if !has_ua {
        req.push_str("User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    stream.write_all(req.as_bytes()).unwrap();
    // Read until the body is complete (by Content-Length or the last chunk) or the peer
    // closes: some servers keep the connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf).expect("read the response head");
        assert!(n > 0, "connection closed before a complete response head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head_lower = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length: Option<usize> = head_lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok());
    let chunked = head_lower.contains("transfer-encoding: chunked");
    let no_body = method == "HEAD"
        || head_lower.starts_with("http/1.1 204")
        || head_lower.starts_with("http/1.1 304");
    loop {
        let body_len = raw.len() - (split + 4);
        let done = no_body
            || length.is_some_and(|l| body_len >= l)
            || (chunked && raw.ends_with(b"0\r\n\r\n"));
        if done {
            break;
        }
        let n = stream.read(&mut buf).expect("read the response body");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    if no_body {
        body.clear();
    }
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

/// A recipient's uid (their public credential id).
pub fn uid(env: &Env, email: &str) -> String {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row(
        "SELECT uid FROM recipients WHERE email_key=lower(?1)",
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

/// A recipient's link token, computed as `send` does.
pub fn token(env: &Env, email: &str) -> String {
    let secret = certstat::tokens::Secret::load(&certstat::paths::token_secret(&env.db), false)
        .expect("the link secret");
    secret.token(&uid(env, email))
}

/// The event log of `CERT` as (email, kind, detail).
pub fn events(env: &Env) -> Vec<(String, String, Value)> {
    env.json(&["events", "list", CERT])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                e["detail"].clone(),
            )
        })
        .collect()
}

/// The requests events stand for: repeated opens and clicks are one event with a count.
pub fn requests(events: &[(String, String, Value)]) -> usize {
    events
        .iter()
        .map(|e| e.2["count"].as_u64().unwrap_or(1) as usize)
        .sum()
}

/// The event log once its events stand for at least `n` requests, waiting at most half a
/// second: an open or click of a recipient the server already knows is answered before its
/// commit.
pub fn requests_soon(env: &Env, n: usize) -> Vec<(String, String, Value)> {
    let start = Instant::now();
    loop {
        let got = events(env);
        if requests(&got) >= n || start.elapsed() > Duration::from_millis(500) {
            return got;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn status(env: &Env, email: &str) -> String {
    env.recipients(CERT)
        .iter()
        .find(|r| r["email"] == email)
        .unwrap_or_else(|| panic!("no {email}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An environment with the example certificate and five recipients.
pub fn setup() -> Env {
    let env = Env::new();
    env.with_example(CERT);
    env
}

/// Fetch the claim page; return the cookie header to send back and the CSRF field.
pub fn claim_form(server: &Server, token: &str) -> (String, String) {
    let page = server.get(&format!("/r/{token}"));
    assert_eq!(page.status, 200, "{}", page.text());
    let cookie = page.cookies().join("; ");
    assert!(
        cookie.contains("certstat_csrf="),
        "no CSRF cookie: {cookie}"
    );
    let text = page.text();
    let csrf = text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    (cookie, csrf)
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

pub fn post_claim(server: &Server, token: &str, cookie: &str, csrf: &str, email: &str) -> Resp {
    server.request(
        "POST",
        &format!("/r/{token}"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie),
        ],
        Some(&form(&[("email", email), ("csrf", csrf)])),
    )
}

/// Claim as `email`; returns the cookie header of the session.
pub fn claim(server: &Server, token: &str, email: &str) -> String {
    let (cookie, csrf) = claim_form(server, token);
    let res = post_claim(server, token, &cookie, &csrf, email);
    assert_eq!(res.status, 303, "{}", res.text());
    let session = res
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("certstat_session="))
        .expect("a session cookie")
        .to_owned();
    for attr in ["HttpOnly", "SameSite=Lax", &format!("Path=/r/{token}")] {
        assert!(session.contains(attr), "{attr} missing: {session}");
    }
    format!("{cookie}; {}", session.split(';').next().unwrap())
}

#[test]
fn unknown_tokens_get_404_and_record_nothing() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let fake = "A".repeat(43);
    let real = token(&env, ANA);
    let mut almost = real.clone();
    almost.replace_range(0..1, if real.starts_with('A') { "B" } else { "A" });
    for path in [
        format!("/o/{fake}.gif"),
        format!("/o/{almost}.gif"),
        format!("/o/{real}"),
        format!("/c/{fake}"),
        format!("/c/{almost}"),
        "/c/..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("/r/{fake}"),
        format!("/r/{fake}/download.pdf"),
        format!("/r/{fake}/share/linkedin"),
        format!("/r/{fake}/linkedin"),
        format!("/v/{}", "0".repeat(32)),
        format!("/v/{}.png", "0".repeat(32)),
        "/v/not-a-credential".to_owned(),
        "/nowhere".to_owned(),
    ] {
        let res = server.get(&path);
        assert_eq!(res.status, 404, "{path}: {}", res.status);
    }
    let res = server.request("HEAD", &format!("/o/{fake}.gif"), &[], None);
    assert_eq!(res.status, 404);
    let res = server.request(
        "POST",
        &format!("/r/{fake}"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(&form(&[("email", ANA), ("csrf", "x")])),
    );
    assert_eq!(res.status, 404);
    assert!(events(&env).is_empty(), "{:?}", events(&env));
    // The real token works, which proves the 404s above are about the tokens.
    assert_eq!(server.get(&format!("/o/{real}.gif")).status, 200);
    assert_eq!(events(&env).len(), 1);
}

#[test]
fn pixel_and_click_record_at_once_with_machine_flags() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    let res = server.request("HEAD", &format!("/o/{t}.gif"), &[], None);
    assert_eq!(res.status, 200);
    // The first event of a recipient is visible to another process as soon as the response is
    // back; later ones within half a second.
    assert_eq!(events(&env).len(), 1);
    let res = server.get(&format!("/o/{t}.gif"));
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("image/gif"));
    assert!(res.body.starts_with(b"GIF89a") && res.body.len() == 43);
    assert!(res.header("cache-control").unwrap().contains("no-store"));
    let proxy =
        "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
    server.request(
        "GET",
        &format!("/o/{t}.gif"),
        &[("User-Agent", proxy)],
        None,
    );
    server.request(
        "GET",
        &format!("/c/{t}"),
        &[("User-Agent", "Mozilla/5.0")],
        None,
    );
    let click = server.get(&format!("/c/{t}"));
    assert_eq!(click.status, 303);
    assert_eq!(click.header("location"), Some(format!("/r/{t}").as_str()));
    // The two machine opens are one event with a count (see `serve::flood`).
    let got: Vec<(String, bool, u64)> = requests_soon(&env, 5)
        .into_iter()
        .map(|(email, kind, detail)| {
            assert_eq!(email, ANA);
            (
                kind,
                detail["machine"].as_bool().unwrap(),
                detail["count"].as_u64().unwrap_or(1),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("opened".to_owned(), true, 2),
            ("opened".to_owned(), false, 1),
            ("clicked".to_owned(), true, 1),
            ("clicked".to_owned(), false, 1),
        ]
    );
    // A click is not a claim.
    assert_ne!(status(&env, ANA), "claimed");
}

#[test]
fn links_of_a_removed_recipient_get_404_and_record_nothing() {
    let env = setup();
    let server = Server::start(&env, &[]);
    // The recipient with the highest id; the newcomer is put on that id below.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let newest = "SELECT email, id FROM recipients ORDER BY id DESC LIMIT 1";
    let (last, last_id): (String, i64) = conn
        .query_row(newest, [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let t = token(&env, &last);
    let (pixel, click) = (format!("/o/{t}.gif"), format!("/c/{t}"));
    // The first open waits for its commit; the next ones are answered once queued.
    for _ in 0..20 {
        assert_eq!(server.get(&pixel).status, 200);
    }
    // Repeats are one event with a count.
    let got = requests_soon(&env, 20);
    assert_eq!((got.len(), requests(&got)), (1, 20), "{got:?}");

    env.ok(&["recipients", "remove", CERT, &last, "--yes"]);
    env.ok(&["recipients", "add", CERT, "newcomer@example.org"]);
    let (newcomer, id): (String, i64) = conn
        .query_row(newest, [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(newcomer, "newcomer@example.org");
    // Ids are never reused; the newcomer is moved onto the removed recipient's id by hand, as
    // the hardest case for the server: nothing of the old links may land on them.
    assert!(id > last_id, "id {last_id} was given again");
    conn.execute("UPDATE recipients SET id=?1 WHERE id=?2", [last_id, id])
        .unwrap();
    // At once: the answer may still be 200 (the server learns of the removal with its next
    // write), but nothing is recorded, and certainly not for the newcomer.
    let first = server.get(&pixel).status;
    assert!(first == 200 || first == 404, "{first}");
    std::thread::sleep(Duration::from_millis(300));
    for path in [&pixel, &click, &pixel] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    std::thread::sleep(Duration::from_millis(200));
    let got = events(&env);
    assert!(got.is_empty(), "{got:?}");
    // The newcomer's own links work.
    let fresh = token(&env, "newcomer@example.org");
    assert_eq!(server.get(&format!("/c/{fresh}")).status, 303);
    assert_eq!(events(&env).len(), 1);
}

#[test]
fn security_headers_on_every_response() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    let session = claim(&server, &t, ANA);
    let id = crate::credentials::public_id(&env, ANA);
    for (method, path, cookie) in [
        ("GET", format!("/r/{t}"), ""),
        ("GET", format!("/r/{t}"), session.as_str()),
        ("GET", format!("/o/{t}.gif"), ""),
        ("GET", format!("/c/{t}"), ""),
        ("GET", format!("/v/{id}"), ""),
        ("GET", "/nowhere".to_owned(), ""),
        ("GET", "/static/style.css".to_owned(), ""),
        // A method the route does not take: the router's own 405.
        ("POST", format!("/o/{t}.gif"), ""),
    ] {
        let res = server.request(method, &path, &[("Cookie", cookie)], None);
        if method == "POST" {
            assert_eq!(res.status, 405, "{path}");
        }
        let csp = res.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("http"), "no external sources: {csp}");
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(
            res.header("cross-origin-resource-policy"),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        if path.starts_with("/r/") || path.starts_with("/o/") {
            assert!(
                res.header("cache-control").unwrap().contains("no-store"),
                "{path}"
            );
        }
        // Pages load nothing from other sites.
        let text = res.text();
        assert!(!text.contains("src=\"http"), "{path}");
        assert!(
            !text.contains("href=\"http") || path.starts_with("/r/") || path.starts_with("/v/")
        );
    }
}

#[test]
fn claim_form_rejects_missing_or_foreign_csrf_tokens() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    let other = token(&env, BJORN);
    let (cookie, csrf) = claim_form(&server, &t);
    let (other_cookie, other_csrf) = claim_form(&server, &other);
    for (cookie, csrf) in [
        ("", ""),
        ("", csrf.as_str()),
        (cookie.as_str(), ""),
        (cookie.as_str(), "0000"),
        // A valid pair, but for another recipient's page.
        (other_cookie.as_str(), other_csrf.as_str()),
    ] {
        let res = post_claim(&server, &t, cookie, csrf, ANA);
        assert_eq!(res.status, 403, "cookie {cookie:?} csrf {csrf:?}");
        assert!(res.all("set-cookie").is_empty());
    }
    assert!(events(&env).is_empty(), "{:?}", events(&env));
    assert_eq!(status(&env, ANA), "not_sent");
    // The right pair works.
    let res = post_claim(&server, &t, &cookie, &csrf, ANA);
    assert_eq!(res.status, 303);
}

#[test]
fn wrong_addresses_lock_the_token_after_five_failures() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    let (cookie, csrf) = claim_form(&server, &t);
    for i in 1..=5 {
        let res = post_claim(&server, &t, &cookie, &csrf, "someone@example.org");
        assert_eq!(res.status, 422, "attempt {i}");
        assert!(res.text().contains("not the address"), "{}", res.text());
        if i < 5 {
            // The typed address is shown back for correcting.
            assert!(res.text().contains("value=\"someone@example.org\""));
        } else {
            assert!(res.text().contains("Too many attempts"));
        }
    }
    let kinds: Vec<String> = events(&env).into_iter().map(|e| e.1).collect();
    assert_eq!(kinds, vec!["claim_failed"; 5]);
    // Locked: even the right address is refused, and nothing more is recorded.
    let res = post_claim(&server, &t, &cookie, &csrf, ANA);
    assert_eq!(res.status, 429);
    assert!(res.header("retry-after").is_some());
    assert!(res.text().contains("Too many attempts"));
    assert!(
        res.all("set-cookie")
            .iter()
            .all(|c| !c.starts_with("certstat_session"))
    );
    assert_eq!(events(&env).len(), 5);
    assert_ne!(status(&env, ANA), "claimed");
    assert_eq!(server.get(&format!("/r/{t}")).status, 429);
    // Another recipient is not affected.
    let b = token(&env, BJORN);
    claim(&server, &b, BJORN);
    assert_eq!(status(&env, BJORN), "claimed");
}

#[test]
fn claim_then_view_download_share_and_linkedin() {
    let env = setup();
    env.write_config(
        "[linkedin]\norganization_id = \"1337\"\n[serve]\nbase_url = \"https://certs.acme.example/\"\n",
    );
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    // Before a claim: everything behind it sends back to the claim page and records nothing.
    for path in [
        format!("/r/{t}/download.pdf"),
        format!("/r/{t}/download.png"),
        format!("/r/{t}/share/x"),
        format!("/r/{t}/linkedin"),
    ] {
        let res = server.get(&path);
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.header("location"), Some(format!("/r/{t}").as_str()));
    }
    assert!(events(&env).is_empty());

    // Typed differently (case, spaces) is still the same address.
    let session = claim(&server, &t, "  Ana.Silva@EXAMPLE.org ");
    assert_eq!(status(&env, ANA), "claimed");
    let id = crate::credentials::public_id(&env, ANA);
    let view = server.request("GET", &format!("/r/{t}"), &[("Cookie", &session)], None);
    assert_eq!(view.status, 200);
    let html = view.text().replace("&#x2f;", "/");
    for needle in [
        "Download",
        &format!("/r/{t}/download.pdf"),
        &format!("/r/{t}/share/linkedin"),
        &format!("/r/{t}/linkedin"),
        &format!("/v/{id}.png"),
        "Ana Silva",
    ] {
        assert!(html.contains(needle), "{needle} not in the view");
    }
    // A forged session is the claim page again.
    let forged = session.replace("certstat_session=", "certstat_session=1");
    let res = server.request("GET", &format!("/r/{t}"), &[("Cookie", &forged)], None);
    assert!(res.text().contains("name=\"csrf\""));

    let pdf = server.request(
        "GET",
        &format!("/r/{t}/download.pdf"),
        &[("Cookie", &session)],
        None,
    );
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    assert!(
        pdf.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    let png = server.request(
        "GET",
        &format!("/r/{t}/download.png"),
        &[("Cookie", &session)],
        None,
    );
    assert_eq!(png.status, 200);
    assert!(png.body.starts_with(b"\x89PNG"));

    let page = "https://certs.acme.example/v/".to_owned() + &id;
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    for (network, prefix) in [
        (
            "linkedin",
            "https://www.linkedin.com/sharing/share-offsite/?url=",
        ),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?u="),
        ("x", "https://x.com/intent/tweet?text="),
    ] {
        let res = server.request(
            "GET",
            &format!("/r/{t}/share/{network}"),
            &[("Cookie", &session)],
            None,
        );
        assert_eq!(res.status, 303, "{network}");
        let loc = res.header("location").unwrap();
        assert!(loc.starts_with(prefix), "{network}: {loc}");
        assert!(loc.contains(&enc(&page)), "{network}: {loc}");
    }
    // No open redirect: only the three networks.
    for bad in [
        "evil.example",
        "https:%2F%2Fevil.example",
        "LinkedIn",
        "x.com",
        "",
    ] {
        let res = server.request(
            "GET",
            &format!("/r/{t}/share/{bad}"),
            &[("Cookie", &session)],
            None,
        );
        assert_eq!(res.status, 404, "{bad}");
        assert!(res.header("location").is_none());
    }

    let res = server.request(
        "GET",
        &format!("/r/{t}/linkedin"),
        &[("Cookie", &session)],
        None,
    );
    assert_eq!(res.status, 303);
    let loc = url::Url::parse(res.header("location").unwrap()).unwrap();
    assert_eq!(loc.host_str(), Some("www.linkedin.com"));
    assert_eq!(loc.path(), "/profile/add");
    let q: std::collections::HashMap<String, String> = loc.query_pairs().into_owned().collect();
    assert_eq!(q["startTask"], "CERTIFICATION_NAME");
    assert_eq!(q["name"], CERT);
    assert_eq!(q["organizationId"], "1337");
    assert!(!q.contains_key("organizationName"));
    let year: i32 = q["issueYear"].parse().unwrap();
    let month: u32 = q["issueMonth"].parse().unwrap();
    assert!(year >= 2024 && (1..=12).contains(&month), "{q:?}");
    assert_eq!(q["certUrl"], page);
    assert_eq!(q["certId"], id);

    let got: Vec<(String, Value)> = events(&env).into_iter().map(|e| (e.1, e.2)).collect();
    let kinds: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "claimed",
            "downloaded",
            "downloaded",
            "shared",
            "shared",
            "shared",
            "linkedin_added"
        ]
    );
    assert_eq!(got[1].1["format"], "pdf");
    assert_eq!(got[2].1["format"], "png");
    assert_eq!(got[3].1["network"], "linkedin");
    assert_eq!(got[4].1["network"], "facebook");
    assert_eq!(got[5].1["network"], "x");

    // Claiming again from another browser lets them in without a second `claimed` event.
    claim(&server, &t, ANA);
    assert_eq!(events(&env).iter().filter(|e| e.1 == "claimed").count(), 1);

    // The public page: Open Graph and Twitter card tags with absolute URLs, and its image.
    let v = server.get(&format!("/v/{id}"));
    assert_eq!(v.status, 200);
    let html = v.text().replace("&#x2f;", "/");
    for needle in [
        &format!("<meta property=\"og:url\" content=\"{page}\">"),
        &format!("<meta property=\"og:image\" content=\"{page}.png\">"),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "og:title",
        "Verified certificate",
        "Ana Silva",
        "ACME Training",
    ] {
        assert!(
            html.contains(needle),
            "{needle} not on the verification page"
        );
    }
    assert!(
        !html.contains(ANA),
        "the public page must not show the address"
    );
    let img = server.get(&format!("/v/{id}.png"));
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type"), Some("image/png"));
    // Link previewers on other sites may load it; the page itself stays same-origin.
    assert_eq!(
        img.header("cross-origin-resource-policy"),
        Some("cross-origin")
    );
    assert_eq!(
        v.header("cross-origin-resource-policy"),
        Some("same-origin")
    );
}

#[test]
fn names_from_a_csv_are_escaped_everywhere() {
    let env = setup();
    let evil = "<script>alert(1)</script> & \"Bobby\" <img src=x onerror=alert(2)>";
    env.ok(&[
        "recipients",
        "add",
        CERT,
        "evil@example.org",
        "--name",
        evil,
    ]);
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--description",
        "<b>bold</b> </textarea><script>x()</script>",
    ]);
    let server = Server::start(&env, &[]);
    let t = token(&env, "evil@example.org");
    let claim_page = server.get(&format!("/r/{t}")).text();
    let session = claim(&server, &t, "evil@example.org");
    let id = crate::credentials::public_id(&env, "evil@example.org");
    let view = server
        .request("GET", &format!("/r/{t}"), &[("Cookie", &session)], None)
        .text();
    let verify = server.get(&format!("/v/{id}")).text();
    for (what, html) in [("claim", &claim_page), ("view", &view), ("verify", &verify)] {
        assert!(!html.contains("<script>"), "{what}: raw <script>");
        assert!(!html.contains("<img src=x"), "{what}: raw <img>");
        assert!(!html.contains("<b>bold"), "{what}: raw <b>");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{what}: the name is not shown as text"
        );
    }
    // And the certificate itself still renders (the name is text in the SVG).
    let png = server.get(&format!("/v/{id}.png"));
    assert_eq!(png.status, 200);
}

#[test]
fn sigterm_commits_every_accepted_event() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let t = token(&env, ANA);
    let addr = server.addr.clone();
    let path = format!("/o/{t}.gif");
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let addr = addr.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                (0..40)
                    .filter(|_| http(&addr, "GET", &path, &[], None).status == 200)
                    .count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|h| h.join().unwrap()).sum();
    let (clean, log) = server.stop();
    assert!(clean, "serve did not exit cleanly:\n{log}");
    assert!(log.contains("stopped"), "{log}");
    let opened: Vec<_> = events(&env)
        .into_iter()
        .filter(|e| e.1 == "opened")
        .collect();
    assert_eq!(
        requests(&opened),
        ok,
        "every 200 is counted in a recorded open"
    );
    assert_eq!(opened.len(), 1, "repeats are one event: {opened:?}");
    assert_eq!(ok, 320);
}

#[test]
fn listen_and_base_url_options() {
    let env = setup();
    env.write_config("[serve]\nbase_url = \"https://from-config.example\"\n");
    let server = Server::start(&env, &["--base-url", "https://flag.example/certs"]);
    let t = token(&env, ANA);
    let session = claim(&server, &t, ANA);
    let res = server.request(
        "GET",
        &format!("/r/{t}/share/facebook"),
        &[("Cookie", &session)],
        None,
    );
    let loc = res.header("location").unwrap();
    assert!(
        loc.contains(
            &url::form_urlencoded::byte_serialize(b"https://flag.example/certs/v/")
                .collect::<String>()
        ),
        "{loc}"
    );
    assert!(server.addr.starts_with("127.0.0.1:"));
    drop(server);
    // A bad address is an error naming it.
    let err = env.fails(&["serve", "--listen", "256.0.0.1:1"]);
    assert!(err.contains("256.0.0.1:1"), "{err}");
}

#[test]
fn render_writes_one_document_per_recipient() {
    let env = setup();
    env.write_config("[serve]\nbase_url = \"https://certs.acme.example\"\n");
    let out = env.path("docs");
    let out_s = out.display().to_string();
    env.ok(&["render", CERT, "--out", &out_s, "--format", "pdf"]);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(
        files.contains(&"Intro to Rust - Björn Åström.pdf".to_owned()),
        "{files:?}"
    );
    let pdf = out.join("Intro to Rust - Ana Silva.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    match Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(text.contains("Ana Silva"), "{text}");
            assert!(text.contains(CERT), "{text}");
        }
        Err(_) if required() => panic!("pdftotext is missing but CERTSTAT_REQUIRE_TOOLS=1"),
        Err(_) => eprintln!("skipped the text check: pdftotext (poppler-utils) is not installed"),
    }
    let svg_dir = env.path("svg");
    env.ok(&[
        "render",
        CERT,
        BJORN,
        "--out",
        &svg_dir.display().to_string(),
        "--format",
        "svg",
    ]);
    let svg = std::fs::read_to_string(svg_dir.join("Intro to Rust - Björn Åström.svg")).unwrap();
    assert!(svg.contains("Björn Åström"));
    assert!(svg.contains(&format!(
        "https://certs.acme.example/v/{}",
        crate::credentials::public_id(&env, BJORN)
    )));
    // A name the font cannot show is reported, not dropped.
    env.ok(&[
        "recipients",
        "add",
        CERT,
        "klingon@example.org",
        "--name",
        "\u{f8d0}\u{f8d1} 😀",
    ]);
    // Private-use characters no font has: the document is written (drawn with the best
    // fallback) and the warning names them.
    let res = env
        .cmd()
        .args(["render", CERT, "klingon@example.org", "--out", &out_s])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{err}");
    assert!(err.contains("<klingon@example.org>"), "{err}");
    assert!(err.contains("U+F8D0") && err.contains("U+F8D1"), "{err}");
    assert!(!err.contains("U+1F600"), "the emoji is drawable: {err}");
    assert!(
        std::fs::read_dir(&out).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains('😀')),
        "no document written"
    );
}
