//! `certstat publish`: the public side of a certificate as static files, served here by
//! Python's `http.server` (a plain static file server) and checked against `certstat serve`,
//! `certstat verify` and jose.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Env, required};
use crate::credentials::{jose, public_id, public_id_if_any};
use crate::serve::{ANA, BJORN, CERT, Server};

/// A static file server on loopback: `python3 -m http.server`.
struct Static {
    child: Child,
}

impl Drop for Static {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn static_server(dir: &Path, port: u16) -> Option<Static> {
    let child = match Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .arg("--directory")
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            assert!(
                !required(),
                "python3 is required (CERTSTAT_REQUIRE_TOOLS=1): {e}"
            );
            eprintln!("skipped: python3 is missing ({e})");
            return None;
        }
    };
    let s = Static { child };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "http.server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(s)
}

/// GET over HTTP/1.0: (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn a_published_folder_answers_like_serve_and_verifies_from_a_static_server() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let env = Env::new();
    env.write_config(&format!(
        "[serve]\nbase_url = \"{base}\"\n\n[issuer]\nname = \"ACME Training\"\n"
    ));
    env.with_example(CERT);
    // Ana's and Björn's credentials are issued (their documents rendered); nobody else's.
    for email in [ANA, BJORN] {
        env.ok(&[
            "render",
            CERT,
            email,
            "--out",
            env.path("docs").to_str().unwrap(),
            "--format",
            "svg",
        ]);
    }
    let out = env.path("site");
    env.ok(&["publish", CERT, "--out", out.to_str().unwrap()]);
    let ids = [public_id(&env, ANA), public_id(&env, BJORN)];
    for id in &ids {
        for rel in [
            format!("v/{id}/index.html"),
            format!("v/{id}.png"),
            format!("v/{id}.json"),
            format!("v/{id}.jwt"),
            format!("v/{id}/status"),
        ] {
            assert!(out.join(&rel).is_file(), "{rel} not written");
        }
    }
    let written: Vec<_> = std::fs::read_dir(out.join("v")).unwrap().collect();
    // Per credential: its folder (page, status) and the .png, .json and .jwt files.
    assert_eq!(written.len(), 2 * 4, "the files of two credentials only");
    for other in [
        "chloe.martin@example.org",
        "david.okafor@example.org",
        "eve@example.org",
    ] {
        if let Some(id) = public_id_if_any(&env, other) {
            assert!(!out.join("v").join(&id).exists());
        }
    }

    // Byte for byte what `serve` answers at the same paths.
    let server = Server::start(&env, &["--base-url", &base]);
    let mut paths: Vec<(String, String)> = Vec::new();
    for id in &ids {
        paths.push((format!("/v/{id}"), format!("v/{id}/index.html")));
        for suffix in [".png", ".json", ".jwt", "/status"] {
            paths.push((format!("/v/{id}{suffix}"), format!("v/{id}{suffix}")));
        }
        paths.push((
            format!("/credentials/{id}.json"),
            format!("credentials/{id}.json"),
        ));
    }
    // Each Ed25519 key's verification method document, what a Data Integrity proof names.
    let keys = env.json(&["keys", "show"]);
    for k in keys["keys"].as_array().unwrap() {
        let kid = k["kid"].as_str().unwrap();
        paths.push((format!("/issuer/keys/{kid}"), format!("issuer/keys/{kid}")));
    }
    paths.push(("/issuer".into(), "issuer/index.html".into()));
    paths.push(("/issuer/jwks.json".into(), "issuer/jwks.json".into()));
    paths.push(("/static/style.css".into(), "static/style.css".into()));
    for (path, rel) in &paths {
        let served = server.get(path);
        assert_eq!(served.status, 200, "{path}");
        assert_eq!(
            served.body,
            std::fs::read(out.join(rel)).unwrap(),
            "{path} differs from {rel}"
        );
    }
    drop(server);

    // Served by a plain static file server at the base URL: every link of the pages answers.
    let Some(_site) = static_server(&out, port) else {
        return;
    };
    for id in &ids {
        let (status, _, page) = get(port, &format!("/v/{id}/"));
        assert_eq!(status, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("Verified certificate"));
        let mut links = Vec::new();
        for attr in ["href=\"", "src=\"", "content=\""] {
            for piece in page.split(attr).skip(1) {
                let link = piece.split('"').next().unwrap().replace("&#x2f;", "/");
                if let Some(path) = link.strip_prefix(&base) {
                    links.push(path.to_owned());
                } else if link.starts_with('/') {
                    links.push(link);
                }
            }
        }
        assert!(links.len() >= 6, "{links:?}");
        for link in &links {
            let path = if link.is_empty() { "/" } else { link.as_str() };
            let (status, head, _) = get(port, path);
            // A folder's address without its slash is redirected to it.
            let status = if status == 301 && head.contains(&format!("{path}/")) {
                get(port, &format!("{path}/")).0
            } else {
                status
            };
            assert_eq!(status, 200, "{path} from the page of {id}");
        }
        // The credential, fetched from the static host, verifies with nothing but the keys
        // that host publishes (another database), and with jose by its kid URL there.
        let (_, _, jwt) = get(port, &format!("/v/{id}.jwt"));
        let file = env.path(&format!("{id}.jwt"));
        std::fs::write(&file, &jwt).unwrap();
        let stranger = Env::new();
        let out = stranger
            .cmd()
            .args(["verify", file.to_str().unwrap(), "--format", "json"])
            .args(["--jwks", &format!("{base}/issuer/jwks.json")])
            .output()
            .unwrap();
        let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(verdict["valid"], true, "{verdict:#}");
        assert_eq!(verdict["key"], "jwks");
        if let Some(report) = jose(&format!("{base}/v/{id}.jwt")) {
            let report = report.unwrap();
            assert!(report["kid"].as_str().unwrap().starts_with(&base));
        }
    }
}

#[test]
fn publish_without_a_base_url_says_what_to_do() {
    let env = Env::new();
    env.write_config("[issuer]\nname = \"ACME\"\n");
    env.with_example(CERT);
    let err = env.fails(&["publish", CERT, "--out", env.path("site").to_str().unwrap()]);
    assert!(err.contains("--base-url"), "{err}");
    assert!(!env.path("site").exists(), "nothing written");
}
