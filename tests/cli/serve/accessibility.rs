//! Every recipient page in headless Chromium, in English, German and Arabic (right to left),
//! checked by axe-core (`tests/js/node_modules/axe-core`): no violations of any rule axe runs
//! by default (WCAG 2.0-2.2 A and AA, best practices). Screenshots of each page go to
//! `target/test-artifacts/a11y-<lang>-<page>.png` (CI keeps them).

use std::path::{Path, PathBuf};

use super::webdriver::{CHROMIUM, Driver, Session, chromedriver};
use super::{ANA, BJORN, CERT, Server, setup, token};
use crate::common::{Env, required};

fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts")
}

fn axe_source() -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) if required() => panic!(
            "{} is missing (npm ci --prefix tests/js; .ci/run does it)",
            path.display()
        ),
        Err(_) => None,
    }
}

/// axe-core's violations on the page the session shows, as "rule: nodes" lines.
fn violations(b: &Session, axe: &str) -> Vec<String> {
    b.script(&format!("{axe}\n;return typeof axe;"));
    let result = b.script_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {resultTypes: ['violations']})
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                 v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')).join(' | '))))
           .catch(e => done(['axe failed: ' + e]));",
    );
    result
        .as_array()
        .unwrap_or_else(|| panic!("axe gave no list: {result}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

struct Check<'a> {
    b: &'a Session,
    axe: &'a str,
    lang: &'a str,
    dir: &'a str,
    failures: Vec<String>,
}

impl Check<'_> {
    /// The page in the session: its language and direction, axe's verdict, a screenshot.
    fn page(&mut self, name: &str) {
        let b = self.b;
        b.wait_for("the page", |b| {
            b.script("return document.readyState") == "complete"
        });
        if b.exists("img") {
            b.wait_for("the images", |b| {
                b.script(
                    "return [...document.images].every(i => i.complete && i.naturalWidth > 0);",
                ) == true
            });
        }
        let lang = b.script("return document.documentElement.lang");
        let dir = b.script("return document.documentElement.dir");
        assert_eq!(lang, self.lang, "{name}: <html lang>");
        assert_eq!(dir, self.dir, "{name}: <html dir>");
        // Nothing sticks out sideways (a left/right rule that does not mirror in RTL would).
        let overflow =
            b.script("const e = document.documentElement; return e.scrollWidth - e.clientWidth;");
        if overflow.as_i64() != Some(0) {
            self.failures.push(format!(
                "{} {name}: {overflow} px wider than the window",
                self.lang
            ));
        }
        b.screenshot(&artifacts().join(format!("a11y-{}-{name}.png", self.lang)));
        for v in violations(b, self.axe) {
            self.failures.push(format!("{} {name}: {v}", self.lang));
        }
    }
}

/// Submit the claim form as `email` and wait for the next page (a new document).
fn claim_as(b: &Session, email: &str) {
    b.script("window.certstatOldPage = true; return true;");
    let field = b.find("#email");
    b.clear(&field);
    b.type_text(&field, email);
    b.click(&b.find("#claim-button"));
    b.wait_for("the next page", |b| {
        b.script("return document.readyState === 'complete' && !window.certstatOldPage;") == true
    });
}

/// The recipient path of one certificate in `lang`: claim, a wrong address, the lock, the
/// recipient's page, the public page (valid, expired, revoked), lost link, unsubscribe, errors.
fn walk(env: &Env, driver: &Driver, axe: &str, lang: &str, dir: &str) -> Vec<String> {
    env.ok(&["cert", "edit", CERT, "--language", lang]);
    let server = Server::start(env, &[]);
    let downloads = env.path(&format!("downloads-{lang}"));
    std::fs::create_dir_all(&downloads).unwrap();
    // The browser asks for the same language: pages about no certificate follow it.
    let b = driver.session_in(&downloads, lang);
    let mut check = Check {
        b: &b,
        axe,
        lang,
        dir,
        failures: Vec::new(),
    };
    let tok = token(env, ANA);

    b.goto(&server.url(&format!("/c/{tok}")));
    b.find("#email");
    check.page("claim");
    claim_as(&b, "ana@wrong.example");
    b.wait_for("the error", |b| b.exists("#claim-error"));
    check.page("claim-failed");

    // Another recipient's link, locked after five wrong addresses.
    let other = token(env, BJORN);
    b.goto(&server.url(&format!("/r/{other}")));
    for _ in 0..5 {
        claim_as(&b, "nobody@wrong.example");
        b.wait_for("the answer", |b| b.exists("#claim-h"));
    }
    b.wait_for("the lock", |b| !b.exists("#claim-button"));
    check.page("locked");

    b.goto(&server.url(&format!("/r/{tok}")));
    claim_as(&b, ANA);
    b.wait_for("the recipient view", |b| b.exists("#download-pdf"));
    check.page("view");
    let view = b.url();

    b.click(&b.find("#verify-link"));
    b.wait_for("the verification page", |b| b.exists("#verdict"));
    check.page("verification");
    let public = b.url();

    b.goto(&server.url("/lost"));
    check.page("lost");
    b.click(&b.find("#lost-button"));
    b.wait_for("the answer", |b| b.exists("#lost-done"));
    check.page("lost-sent");
    b.goto(&server.url(&format!("/u/{tok}")));
    check.page("unsubscribe");

    // Expired, then revoked: the recipient's page and the public page say so.
    env.ok(&["cert", "edit", CERT, "--expires", "2020-01-01", "--force"]);
    b.goto(&view);
    check.page("view-expired");
    b.goto(&public);
    check.page("verification-expired");
    env.ok(&["cert", "edit", CERT, "--expires", "never"]);
    env.ok(&[
        "recipients",
        "revoke",
        CERT,
        ANA,
        "--reason",
        "issued in error",
    ]);
    b.goto(&view);
    check.page("view-revoked");
    b.goto(&public);
    check.page("verification-revoked");
    env.ok(&["recipients", "unrevoke", CERT, ANA]);

    b.goto(&server.url("/r/not-a-token"));
    check.page("not-found");
    check.failures
}

#[test]
fn recipient_pages_pass_axe_core_in_english_german_and_arabic() {
    let (Some(driver_bin), true) = (chromedriver(), Path::new(CHROMIUM).exists()) else {
        if required() {
            panic!("chromium and chromium-driver are required (CERTSTAT_REQUIRE_TOOLS=1)");
        }
        eprintln!("skipped: {CHROMIUM} or chromedriver is missing");
        return;
    };
    let Some(axe) = axe_source() else {
        eprintln!("skipped: axe-core is not installed (npm ci --prefix tests/js)");
        return;
    };
    let driver = Driver::start(&driver_bin);
    let mut failures = Vec::new();
    for (lang, dir) in [("en", "ltr"), ("de", "ltr"), ("ar", "rtl")] {
        let env = setup();
        env.write_config("[serve]\nbase_url = \"http://127.0.0.1:1\"\n");
        failures.extend(walk(&env, &driver, &axe, lang, dir));
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

#[test]
fn pages_follow_the_browsers_language_in_chromium() {
    let (Some(driver_bin), true) = (chromedriver(), Path::new(CHROMIUM).exists()) else {
        if required() {
            panic!("chromium and chromium-driver are required (CERTSTAT_REQUIRE_TOOLS=1)");
        }
        eprintln!("skipped: {CHROMIUM} or chromedriver is missing");
        return;
    };
    let env = setup();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--language",
        "de",
        "--follow-browser-language",
    ]);
    let server = Server::start(&env, &[]);
    let driver = Driver::start(&driver_bin);
    let downloads = env.path("downloads");
    for (browser, lang, heading) in [
        ("fr-FR", "fr", "Récupérez votre certificat"),
        ("ar", "ar", "استلم شهادتك"),
        ("ja", "de", "Zertifikat abrufen"),
    ] {
        let b = driver.session_in(&downloads, browser);
        b.goto(&server.url(&format!("/r/{}", token(&env, ANA))));
        let h = b.find("#claim-h");
        assert_eq!(b.text(&h), heading, "browser in {browser}");
        assert_eq!(b.script("return document.documentElement.lang"), lang);
        b.screenshot(&artifacts().join(format!("browser-language-{browser}.png")));
    }
}
