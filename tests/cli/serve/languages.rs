//! Languages: the recipient pages, the default email and the certificate document in the
//! certificate's language (`--language`), the browser's when the certificate allows it
//! (`--follow-browser-language`), and an organisation's own wording (`[l10n] strings`).

use super::{ANA, BJORN, CERT, Resp, Server, claim, claim_form, setup, token};
use crate::common::{Env, required};

fn page(server: &Server, path: &str, accept: Option<&str>) -> Resp {
    let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept-Language", a)).into_iter().collect();
    server.request("GET", path, &headers, None)
}

/// The `lang` and `dir` of a page's `<html>`.
fn html_lang(resp: &Resp) -> (String, String) {
    let text = resp.text();
    let tag = text
        .split("<html")
        .nth(1)
        .and_then(|t| t.split('>').next())
        .unwrap_or_else(|| panic!("no <html> tag: {text}"))
        .to_owned();
    let attr = |name: &str| {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or("")
            .to_owned()
    };
    (attr("lang"), attr("dir"))
}

#[test]
fn claim_pages_speak_the_certificates_language_and_the_browsers_only_when_allowed() {
    let env = setup();
    env.ok(&["cert", "edit", CERT, "--language", "de"]);
    let tok = token(&env, ANA);
    let server = Server::start(&env, &[]);
    let path = format!("/r/{tok}");

    // The certificate's language, whatever the browser asks for.
    for accept in [None, Some("fr-CH, fr;q=0.9"), Some("ja")] {
        let res = page(&server, &path, accept);
        assert_eq!(res.status, 200);
        assert_eq!(html_lang(&res), ("de".into(), "ltr".into()), "{accept:?}");
        let text = res.text();
        assert!(text.contains("Zertifikat abrufen"), "{accept:?}: {text}");
        assert!(!text.contains("Claim your certificate"), "{text}");
        assert_eq!(res.header("vary"), Some("Accept-Language"));
    }

    // Following the browser: its first language that certstat has, else the certificate's.
    env.ok(&["cert", "edit", CERT, "--follow-browser-language"]);
    let cases = [
        (
            Some("fr-CH, fr;q=0.9, en;q=0.5"),
            "fr",
            "ltr",
            "Récupérez votre certificat",
        ),
        (Some("ja, es;q=0.8"), "es", "ltr", "Obtén tu certificado"),
        (Some("ar-EG"), "ar", "rtl", "استلم شهادتك"),
        (Some("pl"), "pl", "ltr", "Odbierz certyfikat"),
        (Some("ja, zh-CN"), "de", "ltr", "Zertifikat abrufen"),
        (None, "de", "ltr", "Zertifikat abrufen"),
    ];
    for (accept, lang, dir, heading) in cases {
        let res = page(&server, &path, accept);
        assert_eq!(html_lang(&res), (lang.into(), dir.into()), "{accept:?}");
        assert!(res.text().contains(heading), "{accept:?}: {}", res.text());
    }

    // A wrong address is refused in the page's language, with that language's plural.
    let (cookie, csrf) = claim_form(&server, &tok);
    let wrong = server.request(
        "POST",
        &path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
            ("Accept-Language", "pl"),
        ],
        Some(&super::form(&[
            ("email", "ana@wrong.example"),
            ("csrf", &csrf),
        ])),
    );
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.text().contains("To nie jest adres") && wrong.text().contains("Pozostały 4 próby."),
        "{}",
        wrong.text()
    );

    // The recipient's own page and the public page, in the browser's language.
    let session = claim(&server, &tok, ANA);
    let view = server.request(
        "GET",
        &path,
        &[("Cookie", &session), ("Accept-Language", "it")],
        None,
    );
    assert_eq!(html_lang(&view).0, "it");
    assert!(view.text().contains("Scarica"), "{}", view.text());
    assert!(view.text().contains("Conferito a"), "{}", view.text());
    let id = crate::credentials::public_id(&env, ANA);
    let public = page(&server, &format!("/v/{id}"), Some("nl"));
    assert_eq!(public.status, 200);
    assert!(
        public.text().contains("Geverifieerd certificaat"),
        "{}",
        public.text()
    );
    assert!(public.text().contains("<bdi>Ana Silva</bdi>"));
    let arabic = page(&server, &format!("/v/{id}"), Some("ar"));
    assert_eq!(html_lang(&arabic), ("ar".into(), "rtl".into()));
    assert!(arabic.text().contains("شهادة موثَّقة"), "{}", arabic.text());
}

#[test]
fn pages_about_no_certificate_follow_the_browser() {
    let env = setup();
    let server = Server::start(&env, &[]);
    let cases = [
        (None, "en", "Page not found"),
        (Some("nl-BE"), "nl", "Pagina niet gevonden"),
        (Some("ar"), "ar", "الصفحة غير موجودة"),
        (Some("ja"), "en", "Page not found"),
    ];
    for (accept, lang, heading) in cases {
        let res = page(&server, "/r/not-a-token", accept);
        assert_eq!(res.status, 404);
        assert_eq!(html_lang(&res).0, lang, "{accept:?}");
        assert!(res.text().contains(heading), "{accept:?}: {}", res.text());
    }
    let lost = page(&server, "/lost", Some("pt-PT"));
    assert!(
        lost.text().contains("Perdeu o seu link?"),
        "{}",
        lost.text()
    );
    let home = page(&server, "/", Some("de"));
    assert!(
        home.text().contains("Öffnen Sie den Link"),
        "{}",
        home.text()
    );
}

fn outbox_message(env: &Env, to: &str) -> mail_parser::Message<'static> {
    env.ok(&["send", CERT, "--to", to]);
    let outbox = env.db.parent().unwrap().join("outbox");
    for entry in std::fs::read_dir(&outbox).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let msg = mail_parser::MessageParser::default()
            .parse(&raw)
            .unwrap()
            .into_owned();
        if msg.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to) {
            return msg;
        }
    }
    panic!("no message to {to} in {}", outbox.display());
}

#[test]
fn the_default_email_is_in_the_certificates_language() {
    let env = setup();
    env.ok(&["cert", "edit", CERT, "--language", "fr"]);
    let msg = outbox_message(&env, ANA);
    assert_eq!(msg.subject(), Some("Votre certificat : Intro to Rust"));
    let text = msg.body_text(0).unwrap().to_string();
    assert!(text.starts_with("Bonjour Ana Silva,"), "{text}");
    assert!(text.contains("Récupérez votre certificat ici :"), "{text}");
    assert!(!text.contains("Congratulations"), "{text}");
    let html = msg.body_html(0).unwrap().to_string();
    assert!(html.contains("<html lang=\"fr\" dir=\"ltr\">"), "{html}");
    assert!(html.contains("Obtenir le certificat"), "{html}");
    assert!(html.contains("<bdi>Ana Silva</bdi>"), "{html}");

    env.ok(&["cert", "edit", CERT, "--language", "ar"]);
    let msg = outbox_message(&env, BJORN);
    assert_eq!(msg.subject(), Some("شهادتك: Intro to Rust"));
    let html = msg.body_html(0).unwrap().to_string();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("استلم الشهادة"), "{html}");
    let text = msg.body_text(0).unwrap().to_string();
    assert!(text.contains("تهانينا!"), "{text}");
}

fn pdftotext(pdf: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ if required() => panic!("pdftotext is required (CERTSTAT_REQUIRE_TOOLS=1)"),
        _ => None,
    }
}

#[test]
fn the_certificate_document_has_its_languages_wording_and_date() {
    let env = setup();
    let cases = [
        ("es", ["CERTIFICADO", "Se certifica que", "EMITIDO POR"]),
        (
            "pl",
            ["CERTYFIKAT", "Niniejszym zaświadcza się, że", "WYSTAWCA"],
        ),
        // pdftotext takes Arabic marks and lam-alef ligatures apart: words without them.
        ("ar", ["شهادة", "حصل على", "ACME Training"]),
    ];
    for (lang, words) in cases {
        env.ok(&["cert", "edit", CERT, "--language", lang]);
        let out = env.path(&format!("docs-{lang}"));
        env.ok(&["render", CERT, ANA, "--out", out.to_str().unwrap()]);
        let pdf = std::fs::read_dir(&out)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        // The baked document (it carries the credential) keeps its title and language.
        let bytes = std::fs::read(&pdf).unwrap();
        // `/Lang (es)` or, written compactly, `/Lang(es)`.
        let lang_tag = format!("/Lang ({lang})");
        let compact = format!("/Lang({lang})");
        assert!(
            [&lang_tag, &compact]
                .iter()
                .any(|tag| bytes.windows(tag.len()).any(|w| w == tag.as_bytes())),
            "{lang}: no {lang_tag}"
        );
        assert!(
            bytes.windows(14).any(|w| w == b"credential.jwt"),
            "not baked"
        );
        if let Ok(info) = std::process::Command::new("pdfinfo").arg(&pdf).output() {
            let info = String::from_utf8_lossy(&info.stdout).into_owned();
            assert!(
                info.lines()
                    .any(|l| l.starts_with("Title:") && l.ends_with("Intro to Rust: Ana Silva")),
                "{lang}: {info}"
            );
        }
        let Some(text) = pdftotext(&pdf) else {
            eprintln!("skipped: pdftotext is missing");
            return;
        };
        // Letter-spaced labels come out of pdftotext spaced, and right-to-left text with
        // bidi controls: compare without either.
        let squeeze = |t: &str| -> String {
            t.chars()
                .filter(|c| !c.is_whitespace() && !('\u{200e}'..='\u{202e}').contains(c))
                .collect()
        };
        let squeezed = squeeze(&text);
        for word in words {
            let word = squeeze(word);
            assert!(squeezed.contains(&word), "{lang}: no {word:?} in {text}");
        }
        assert!(!text.contains("This certifies that"), "{lang}: {text}");
        // The date's month in the language (the issue date is today's), in the SVG's text.
        let svg_dir = env.path(&format!("svg-{lang}"));
        env.ok(&[
            "render",
            CERT,
            ANA,
            "--format",
            "svg",
            "--out",
            svg_dir.to_str().unwrap(),
        ]);
        let svg_file = std::fs::read_dir(&svg_dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let svg = std::fs::read_to_string(svg_file).unwrap();
        let month = match lang {
            "es" => vec![
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            "pl" => vec![
                "stycznia",
                "lutego",
                "marca",
                "kwietnia",
                "maja",
                "czerwca",
                "lipca",
                "sierpnia",
                "września",
                "października",
                "listopada",
                "grudnia",
            ],
            _ => vec![
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            ],
        };
        use chrono::Datelike;
        let now = chrono::Utc::now().month0() as usize;
        assert!(
            svg.contains(month[now]),
            "{lang}: no {} in {svg}",
            month[now]
        );
    }
}

#[test]
fn organisations_override_any_string_and_mistakes_name_the_file_and_line() {
    let env = setup();
    let strings = env.config.parent().unwrap().join("strings");
    std::fs::create_dir_all(&strings).unwrap();
    std::fs::write(
        strings.join("de.ftl"),
        "# ours\nclaim-heading = Ihr Teilnahmezertifikat\nemail-subject = Teilnahme: { $certificate }\n",
    )
    .unwrap();
    env.write_config("[l10n]\nstrings = \"strings\"\ndefault_language = \"de\"\n");
    // The default language is German: the certificate names none.
    let tok = token(&env, ANA);
    let server = Server::start(&env, &[]);
    let res = page(&server, &format!("/r/{tok}"), None);
    assert!(
        res.text().contains("Ihr Teilnahmezertifikat"),
        "{}",
        res.text()
    );
    assert!(
        res.text().contains("Mein Zertifikat abrufen"),
        "{}",
        res.text()
    );
    drop(server);
    let msg = outbox_message(&env, ANA);
    assert_eq!(msg.subject(), Some("Teilnahme: Intro to Rust"));

    std::fs::write(
        strings.join("de.ftl"),
        "claim-heading = ok\nclaim-headnig = typo\n",
    )
    .unwrap();
    let err = env.fails(&["cert", "list"]);
    assert!(
        err.contains("de.ftl, line 2") && err.contains("claim-headnig"),
        "{err}"
    );

    std::fs::write(strings.join("de.ftl"), "claim-heading = ok\n= broken\n").unwrap();
    let err = env.fails(&["cert", "list"]);
    assert!(err.contains("de.ftl, line 2, column 1"), "{err}");

    std::fs::write(strings.join("de.ftl"), "claim-heading = ok\n").unwrap();
    env.write_config("[l10n]\nstrings = \"no-such-folder\"\n");
    let err = env.fails(&["cert", "list"]);
    assert!(
        err.contains("[l10n] strings") && err.contains("not a folder"),
        "{err}"
    );

    env.write_config("[l10n]\ndefault_language = \"klingon\"\n");
    let err = env.fails(&["cert", "list"]);
    assert!(
        err.contains("unknown language `klingon`") && err.contains("de (Deutsch)"),
        "{err}"
    );
}

#[test]
fn unknown_language_codes_list_the_available_ones() {
    let env = Env::new();
    for bad in ["xx", "english", "zh-TW"] {
        let out = env
            .cmd()
            .args(["cert", "create", "C", "--language", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("unknown language `{bad}`")), "{err}");
        assert!(
            err.contains("en (English), de (Deutsch), fr (Français)"),
            "{err}"
        );
        assert!(err.contains("ar (العربية)"), "{err}");
    }
    env.ok(&["cert", "create", "C", "--language", "PT-br"]);
    let shown = env.json(&["cert", "show", "C"]);
    assert_eq!(shown["certificate"]["language"], "pt", "{shown}");
    assert_eq!(
        shown["certificate"]["follow_browser_language"], false,
        "{shown}"
    );
}
