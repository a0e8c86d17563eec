//! Recipients with names in every script: each one's PDF and PNG download, and the public
//! verification image, answer 200 (never 500); a name no font can draw is served drawn with
//! the best fallback, and the gap is logged.

use super::{Server, claim, token};
use crate::common::{Env, required};

const NAMES: &[(&str, &str)] = &[
    ("vi@example.org", "Nguyễn Văn An"),
    ("ru@example.org", "Дмитрий Иванов"),
    ("el@example.org", "Ελένη Παπαδοπούλου"),
    ("ar@example.org", "محمد علي"),
    ("fa@example.org", "زهرا رضایی"),
    ("he@example.org", "דוד כהן"),
    ("hi@example.org", "राहुल शर्मा"),
    ("bn@example.org", "সৌমিত্র চট্টোপাধ্যায়"),
    ("ta@example.org", "கார்த்திக் சுப்பிரமணியம்"),
    ("th@example.org", "สมชาย ใจดี"),
    ("zh@example.org", "王晓明"),
    ("tw@example.org", "陳國華"),
    ("ja@example.org", "山田 太郎"),
    ("ko@example.org", "김민준"),
    ("emoji@example.org", "Ana 🎉 Lima"),
    // No font has these two code points (private use, unassigned).
    ("gap@example.org", "Ana \u{10FFFD}\u{2FFFD}"),
    (
        "long@example.org",
        "Maria Fernanda de los Ángeles Gutiérrez-Villanueva y Santisteban da Conceição Albuquerque-Vasconcelos von Hohenzollern-Sigmaringen Ørsted",
    ),
];

#[test]
fn every_recipients_documents_download() {
    let drawable: String = NAMES[..NAMES.len() - 2].iter().map(|(_, n)| *n).collect();
    let missing = certstat::render::missing_glyphs(&drawable);
    if !missing.is_empty() {
        assert!(
            !required(),
            "no installed font draws {missing:?} (.ci/run installs the Noto fonts)"
        );
        eprintln!("skipped: no installed font draws {missing:?}");
        return;
    }
    let env = Env::new();
    env.ok(&["cert", "create", "World", "--issuer", "ACME Training"]);
    for (email, name) in NAMES {
        env.ok(&["recipients", "add", "World", email, "--name", name]);
    }
    let server = Server::start(&env, &[]);
    for (email, name) in NAMES {
        let t = token(&env, email);
        let session = claim(&server, &t, email);
        for (ext, mime, magic) in [
            ("pdf", "application/pdf", &b"%PDF"[..]),
            ("png", "image/png", &b"\x89PNG"[..]),
        ] {
            let res = server.request(
                "GET",
                &format!("/r/{t}/download.{ext}"),
                &[("Cookie", &session)],
                None,
            );
            assert_eq!(res.status, 200, "{name}: download.{ext}: {}", res.text());
            assert_eq!(res.header("content-type"), Some(mime), "{name}");
            assert!(res.body.starts_with(magic), "{name}: not a {ext}");
        }
        let image = server.get(&format!(
            "/v/{}.png",
            crate::credentials::public_id(&env, email)
        ));
        assert_eq!(image.status, 200, "{name}: verification image");
    }
    let (_, log) = server.stop();
    assert!(
        log.contains("U+10FFFD") && log.contains("U+2FFFD"),
        "the gap is not logged:\n{log}"
    );
    assert!(
        !log.contains("U+05D3"),
        "a drawable name logged as a gap:\n{log}"
    );
}

/// A right-to-left name in the English pages is isolated (`<bdi>`), and the pages have a
/// favicon that is served.
#[test]
fn rtl_names_are_isolated_and_pages_have_a_favicon() {
    let env = Env::new();
    env.ok(&["cert", "create", "World", "--issuer", "ACME Training"]);
    env.ok(&[
        "recipients",
        "add",
        "World",
        "ar@example.org",
        "--name",
        "محمد علي",
    ]);
    let server = Server::start(&env, &[]);
    let t = token(&env, "ar@example.org");
    let claim_page = server.get(&format!("/r/{t}")).text();
    assert!(claim_page.contains("<bdi>محمد علي</bdi>"), "{claim_page}");
    assert!(claim_page.contains("rel=\"icon\" href=\"/static/favicon.svg\""));
    let session = claim(&server, &t, "ar@example.org");
    let view = server.request("GET", &format!("/r/{t}"), &[("Cookie", &session)], None);
    assert!(
        view.text().contains("<bdi>محمد علي</bdi>"),
        "{}",
        view.text()
    );
    let verify = server
        .get(&format!(
            "/v/{}",
            crate::credentials::public_id(&env, "ar@example.org")
        ))
        .text();
    assert!(verify.contains("<bdi>محمد علي</bdi>"), "{verify}");
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let icon = server.get(path);
        assert_eq!(icon.status, 200, "{path}");
        assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
        assert!(icon.text().starts_with("<svg"));
    }
}
