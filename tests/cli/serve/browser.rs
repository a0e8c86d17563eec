//! The recipient's whole journey in headless Chromium: the emailed link, a failed and a
//! successful claim, a download, every share button, Add to LinkedIn, the public page; then
//! the event log and `stats` hold exactly those events.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::webdriver::{CHROMIUM, Driver, chromedriver};
use super::{ANA, CERT, Server, events, setup, status, token};
use crate::common::{Env, required};

fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts")
}

/// The "Get Certificate" token from the message `send` wrote to the outbox, if `send` works.
fn token_from_outbox(env: &Env) -> Option<String> {
    let out = super::std_cmd(env)
        .args(["send", CERT, "--to", ANA])
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!(
            "note: `certstat send` failed, so the link is computed instead: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let outbox = env.db.parent().unwrap().join("outbox");
    let eml = std::fs::read_dir(&outbox)
        .unwrap_or_else(|e| panic!("no outbox {}: {e}", outbox.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "eml"))
        .expect("an .eml in the outbox");
    let raw = std::fs::read(&eml).unwrap();
    let msg = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a parsable message");
    let text = msg
        .body_text(0)
        .or_else(|| msg.body_html(0))
        .expect("a body")
        .into_owned();
    let start = text.find("/c/").expect("a /c/ link in the message") + 3;
    let tok: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Some(tok)
}

fn wait_file(dir: &Path, ext: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == ext)
                    && std::fs::metadata(&p).is_ok_and(|m| m.len() > 0)
                {
                    return p;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no .{ext} downloaded into {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn browser_claim_download_share_verify() {
    let (Some(driver_bin), true) = (chromedriver(), Path::new(CHROMIUM).exists()) else {
        if required() {
            panic!("chromium and chromium-driver are required (CERTSTAT_REQUIRE_TOOLS=1)");
        }
        eprintln!(
            "skipped: {CHROMIUM} or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let env = setup();
    env.write_config(
        "[serve]\nbase_url = \"https://certs.acme.example\"\n\
         [linkedin]\norganization_name = \"ACME Training Ltd\"\n",
    );
    let computed = token(&env, ANA);
    let tok = match token_from_outbox(&env) {
        Some(t) => {
            assert_eq!(
                t, computed,
                "the emailed link carries the recipient's token"
            );
            t
        }
        None => computed,
    };
    let before: usize = events(&env).len();
    // The public page's id is drawn when the credential is issued (at the claim below).
    let page_of = || {
        let id = crate::credentials::public_id(&env, ANA);
        format!("https://certs.acme.example/v/{id}")
    };
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();

    let server = Server::start(&env, &[]);
    let downloads = env.path("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let driver = Driver::start(&driver_bin);
    let b = driver.session(&downloads);
    let shots = artifacts();

    eprintln!("browser: open the emailed link");
    // The emailed link leads to the claim page.
    b.goto(&server.url(&format!("/c/{tok}")));
    assert_eq!(b.url(), server.url(&format!("/r/{tok}")));
    b.find("#email");
    assert!(b.source().contains("Claim your certificate"));
    b.screenshot(&shots.join("serve-claim-page.png"));

    eprintln!("browser: wrong address");
    // A wrong address is refused, with a message.
    let email = b.find("#email");
    b.type_text(&email, "ana@wrong.example");
    b.click(&b.find("#claim-button"));
    b.wait_for("the error message", |b| b.exists("#claim-error"));
    let err = b.find("#claim-error");
    assert!(b.text(&err).contains("not the address"), "{}", b.text(&err));
    b.screenshot(&shots.join("serve-claim-failed.png"));

    eprintln!("browser: right address");
    // The right one (typed with capitals) claims.
    let email = b.find("#email");
    b.clear(&email);
    b.type_text(&email, "Ana.Silva@example.org");
    b.click(&b.find("#claim-button"));
    b.wait_for("the recipient view", |b| b.exists("#download-pdf"));
    let view_url = b.url();
    assert!(
        view_url.starts_with(&server.url(&format!("/r/{tok}"))),
        "{view_url}"
    );
    b.wait_for("the certificate image", |b| {
        b.script("const i = document.querySelector('.cert-frame img'); return !!i && i.complete && i.naturalWidth > 0;") == true
    });
    b.screenshot(&shots.join("serve-recipient-view.png"));

    eprintln!("browser: download");
    // Download the PDF.
    b.click(&b.find("#download-pdf"));
    let pdf = wait_file(&downloads, "pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "{}", pdf.display());
    assert!(
        pdf.file_name()
            .unwrap()
            .to_string_lossy()
            .contains("Ana Silva"),
        "{}",
        pdf.display()
    );

    eprintln!("browser: share buttons");
    // Each share button leaves for its network with the public page; the machine has no
    // route out, so we read where the browser went without loading it.
    for (button, prefix, param) in [
        (
            "#share-linkedin",
            "https://www.linkedin.com/sharing/share-offsite/",
            "url",
        ),
        (
            "#share-facebook",
            "https://www.facebook.com/sharer/sharer.php",
            "u",
        ),
        ("#share-x", "https://x.com/intent/tweet", "url"),
    ] {
        b.goto(&view_url);
        b.click(&b.find(button));
        b.wait_for(button, |b| b.url().starts_with(prefix));
        let url = url::Url::parse(&b.url()).unwrap();
        let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(q[param], page_of(), "{button}: {url}");
        if button == "#share-x" {
            assert!(q["text"].contains(CERT), "{url}");
        }
    }

    eprintln!("browser: add to linkedin");
    // Add to LinkedIn profile, every field filled in.
    b.goto(&view_url);
    b.click(&b.find("#add-linkedin"));
    b.wait_for("LinkedIn", |b| {
        b.url().starts_with("https://www.linkedin.com/profile/add?")
    });
    let url = url::Url::parse(&b.url()).unwrap();
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["startTask"], "CERTIFICATION_NAME");
    assert_eq!(q["name"], CERT);
    assert_eq!(q["organizationName"], "ACME Training Ltd");
    let page = page_of();
    let id = crate::credentials::public_id(&env, ANA);
    assert_eq!(q["certUrl"], page);
    assert_eq!(q["certId"], id);
    let now = chrono::Utc::now();
    assert_eq!(q["issueYear"], now.format("%Y").to_string(), "{url}");
    assert_eq!(q["issueMonth"], now.format("%-m").to_string(), "{url}");
    assert!(url.as_str().contains(&format!("certUrl={}", enc(&page))));

    eprintln!("browser: verification page");
    // The public verification page, from the link on the recipient view.
    b.goto(&view_url);
    b.click(&b.find("#verify-link"));
    b.wait_for("the verification page", |b| {
        b.url().ends_with(&format!("/v/{id}"))
    });
    b.wait_for("the certificate image", |b| {
        b.script("const i = document.querySelector('.cert-frame img'); return !!i && i.complete && i.naturalWidth > 0;") == true
    });
    let verdict = b.find("#verdict");
    assert!(b.text(&verdict).contains("valid"), "{}", b.text(&verdict));
    assert_eq!(b.text(&b.find("#recipient-name")), "Ana Silva");
    let html = b.source();
    assert!(
        html.contains(&format!("content=\"{page}.png\"")),
        "og:image"
    );
    b.screenshot(&shots.join("serve-verification-page.png"));
    // A narrow screen gets the one-column layout.
    b.set_window(420, 900);
    b.goto(&view_url);
    b.find("#download-pdf");
    b.screenshot(&shots.join("serve-recipient-view-mobile.png"));
    drop(b);
    drop(driver);

    // Exactly those events, recorded by `serve` and visible from other processes.
    assert_eq!(status(&env, ANA), "claimed");
    let web: Vec<(String, String)> = events(&env)[before..]
        .iter()
        .map(|(email, kind, detail)| {
            assert_eq!(email, ANA);
            let d = detail
                .as_object()
                .and_then(|o| o.values().next())
                .map(|v| v.to_string().trim_matches('"').to_owned())
                .unwrap_or_default();
            (kind.clone(), d)
        })
        .collect();
    let expect: Vec<(String, String)> = [
        ("clicked", "false"),
        ("claim_failed", ""),
        ("claimed", ""),
        ("downloaded", "pdf"),
        ("shared", "linkedin"),
        ("shared", "facebook"),
        ("shared", "x"),
        ("linkedin_added", ""),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(web, expect);
    let stats = env.json(&["stats", CERT]);
    assert_eq!(stats["claimed"]["count"], 1, "{stats}");
    assert_eq!(stats["shared_or_downloaded"]["count"], 1, "{stats}");
    assert_eq!(stats["linkedin_added"]["count"], 1, "{stats}");
    assert_eq!(stats["shares"]["total"], 3, "{stats}");
    for n in ["linkedin", "facebook", "x"] {
        assert_eq!(stats["shares"]["by_network"][n]["count"], 1, "{stats}");
    }
    drop(server);
}
