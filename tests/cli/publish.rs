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
            format!("credentials/{id}.json"),
        ] {
            assert!(out.join(&rel).is_file(), "{rel} not written");
        }
    }
    let written: Vec<_> = std::fs::read_dir(out.join("v")).unwrap().collect();
    // Per credential: its folder (the page) and the .png, .json and .jwt files.
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
        for suffix in [".png", ".json", ".jwt"] {
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
        paths.push((
            format!("/issuer/keys/{kid}.json"),
            format!("issuer/keys/{kid}.json"),
        ));
    }
    paths.push(("/issuer.json".into(), "issuer.json".into()));
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
        // Every link, and every URL of the site named in the JSON documents reached (ids,
        // issuer, verification methods, controller, status list, achievement), answers 200
        // without a redirect, each JSON document as JSON at the URL its id says; only the page
        // (`/v/<id>`, a folder) is redirected to its slash.
        let page_path = format!("/v/{id}");
        let mut queue: Vec<String> = links.clone();
        let mut seen = std::collections::BTreeSet::new();
        let mut documents = Vec::new();
        while let Some(link) = queue.pop() {
            let path = if link.is_empty() {
                "/".to_owned()
            } else {
                link
            };
            if !seen.insert(path.clone()) {
                continue;
            }
            let (status, head, body) = get(port, &path);
            if path == page_path {
                assert_eq!(status, 301, "{path}");
                assert_eq!(get(port, &format!("{path}/")).0, 200);
                continue;
            }
            assert_eq!(status, 200, "{path} (linked from the page of {id})\n{head}");
            let ct = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-type: "))
                .unwrap_or_default()
                .to_owned();
            if !path.ends_with(".json") {
                assert!(!ct.contains("json"), "{path}: {ct}");
                continue;
            }
            assert_eq!(ct, "application/json", "{path}");
            let doc: Value =
                serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
            // A credential's id is its page (which `serve` answers with its JSON-LD to a
            // client asking for JSON); every other document is at its id.
            if let Some(own) = doc.get("id").and_then(Value::as_str)
                && own.starts_with(&base)
                && own != format!("{base}{page_path}")
            {
                assert_eq!(own, format!("{base}{path}"), "{path} says it is elsewhere");
            }
            fn urls(v: &Value, base: &str, out: &mut Vec<String>) {
                match v {
                    Value::String(s) => {
                        if let Some(p) = s.strip_prefix(base) {
                            out.push(p.split('#').next().unwrap().to_owned());
                        }
                    }
                    Value::Array(a) => a.iter().for_each(|x| urls(x, base, out)),
                    Value::Object(o) => o.values().for_each(|x| urls(x, base, out)),
                    _ => {}
                }
            }
            urls(&doc, &base, &mut queue);
            if doc.get("@context").is_some() {
                documents.push((path.clone(), doc));
            }
        }
        for want in [
            "/issuer.json".to_owned(),
            "/status/revocation.json".to_owned(),
            format!("/credentials/{id}.json"),
        ] {
            assert!(seen.contains(&want), "{want} not reached: {seen:?}");
        }
        assert!(
            seen.iter().any(|p| p.starts_with("/issuer/keys/")),
            "{seen:?}"
        );
        assert!(
            seen.iter().any(|p| p.starts_with("/issuer/achievements/")),
            "{seen:?}"
        );
        let named: Vec<(&str, &Value)> = documents.iter().map(|(p, d)| (p.as_str(), d)).collect();
        if let Some(result) = crate::common::jsonld_safe(env.dir.path(), &named) {
            result.unwrap_or_else(|e| panic!("JSON-LD safe mode: {e}"));
        }
        // The issuer profile the static host serves is named and schema-valid.
        let issuer = &documents
            .iter()
            .find(|(p, _)| p == "/issuer.json")
            .unwrap()
            .1;
        assert_eq!(issuer["name"], "ACME Training");
        crate::credentials::assert_schema_valid(
            &crate::credentials::schema("profile.schema.json"),
            issuer,
        );
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

/// A credential whose name the fonts cannot fully draw is published anyway with a warning
/// that says what it is about (not labelled `certstat serve`); under -q, publish prints
/// nothing (a cron job would mail it).
#[test]
fn publish_warns_of_undrawable_names_as_a_warning_and_is_silent_under_quiet() {
    let env = Env::new();
    env.write_config(
        "[serve]\nbase_url = \"https://certs.example\"\n\n[issuer]\nname = \"ACME\"\n",
    );
    env.ok(&["cert", "create", CERT]);
    env.ok(&[
        "recipients",
        "add",
        CERT,
        "k@example.org",
        "--name",
        "\u{f8d0}\u{f8d1} Kor",
    ]);
    let docs = env.path("docs");
    env.ok(&[
        "-q",
        "render",
        CERT,
        "--out",
        docs.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    let run = |quiet: bool, dir: &str| {
        let out = env.path(dir);
        let mut args = vec!["publish", CERT, "--out", out.to_str().unwrap()];
        if quiet {
            args.insert(0, "-q");
        }
        let res = env.cmd().args(&args).output().unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        (
            String::from_utf8_lossy(&res.stdout).to_string(),
            String::from_utf8_lossy(&res.stderr).to_string(),
        )
    };
    let (_, err) = run(false, "site");
    assert!(
        err.contains("certstat: warning: credential") && err.contains("U+F8D0"),
        "{err}"
    );
    assert!(!err.contains("certstat serve"), "{err}");
    let (out, err) = run(true, "site-quiet");
    assert_eq!((out.as_str(), err.as_str()), ("", ""), "publish -q printed");
}
