use super::*;

/// Every placeable any message uses, with a value.
fn all_args() -> Vec<(&'static str, Arg)> {
    [
        "name",
        "issuer",
        "certificate",
        "date",
        "until",
        "email",
        "title",
        "id",
        "reason",
        "day",
        "month",
        "year",
        "time",
    ]
    .into_iter()
    .map(|n| (n, Arg::Text(format!("<{n}>"))))
    .chain([("remaining", Arg::Number(3.0)), ("days", Arg::Number(12.0))])
    .collect()
}

fn ids(language: &Language) -> Vec<String> {
    let res = parse(language.source.to_owned(), language.code).unwrap();
    message_ids(&res).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn every_language_has_every_message_and_no_other() {
    let english = ids(&LANGUAGES[0]);
    for language in &LANGUAGES[1..] {
        let own = ids(language);
        let missing: Vec<_> = english.iter().filter(|id| !own.contains(id)).collect();
        let extra: Vec<_> = own.iter().filter(|id| !english.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "{}.ftl lacks {missing:?}",
            language.code
        );
        assert!(
            extra.is_empty(),
            "{}.ftl has unknown {extra:?}",
            language.code
        );
    }
}

#[test]
fn every_message_formats_without_error_and_uses_only_known_values() {
    let catalog = Catalog::builtin();
    let mut fluent = FluentArgs::new();
    for (name, value) in all_args() {
        match value {
            Arg::Number(n) => fluent.set(name, FluentValue::from(n)),
            Arg::Text(s) | Arg::Html(s) => fluent.set(name, FluentValue::from(s)),
        }
    }
    for lazy in &catalog.bundles {
        let b = lazy.get();
        for id in ids(lazy.language) {
            let pattern = b.text.get_message(&id).unwrap().value().unwrap();
            let mut errors = Vec::new();
            let out = b.text.format_pattern(pattern, Some(&fluent), &mut errors);
            assert!(errors.is_empty(), "{} {id}: {errors:?}", lazy.language.code);
            assert!(
                !out.trim().is_empty(),
                "{} {id} is empty",
                lazy.language.code
            );
        }
    }
}

#[test]
fn translations_are_translated() {
    // A message left in English in another language (a copy-paste) shows up here; the few that
    // are the same word everywhere are named.
    let same_everywhere = [
        "download-pdf",
        "credential-json",
        "email-placeholder",
        "cert-pdf-title",
        "label-status",
        "time-and-date",
        "date-long",
    ];
    let catalog = Catalog::builtin();
    let args = all_args();
    for id in ids(&LANGUAGES[0]) {
        if same_everywhere.contains(&id.as_str()) || id.starts_with("month-") {
            continue;
        }
        let english = catalog.text("en", &id, &args);
        for language in &LANGUAGES[1..] {
            assert_ne!(
                catalog.text(language.code, &id, &args),
                english,
                "{}: {id} is the English text",
                language.code
            );
        }
    }
}

#[test]
fn dates_follow_the_language() {
    let catalog = Catalog::builtin();
    let t = crate::clock::parse("2026-11-06T15:30:00Z").unwrap();
    let cases = [
        ("en", "6 November 2026"),
        ("de", "6. November 2026"),
        ("fr", "6 novembre 2026"),
        ("es", "6 de noviembre de 2026"),
        ("pt", "6 de novembro de 2026"),
        ("it", "6 novembre 2026"),
        ("nl", "6 november 2026"),
        ("pl", "6 listopada 2026"),
        ("ar", "6 نوفمبر 2026"),
    ];
    for (code, want) in cases {
        assert_eq!(catalog.date(code, t), want, "{code}");
    }
    assert_eq!(
        catalog.time_and_date("de", t),
        "15:30 Uhr UTC, 6. November 2026"
    );
    let may = crate::clock::parse("2026-05-01T00:00:00Z").unwrap();
    assert_eq!(catalog.date("pl", may), "1 maja 2026");
}

#[test]
fn plurals_follow_each_language_rules() {
    let catalog = Catalog::builtin();
    let wrong =
        |lang: &str, n: f64| catalog.text(lang, "claim-wrong", &[("remaining", Arg::Number(n))]);
    assert!(wrong("en", 1.0).ends_with("One attempt left."));
    assert!(wrong("en", 3.0).ends_with("3 attempts left."));
    assert!(wrong("pl", 1.0).ends_with("Pozostała jedna próba."));
    assert!(wrong("pl", 3.0).ends_with("Pozostały 3 próby."));
    assert!(wrong("pl", 5.0).ends_with("Pozostało 5 prób."));
    assert!(wrong("ar", 2.0).ends_with("تبقّت محاولتان."));
    assert!(wrong("ar", 4.0).ends_with("تبقّت 4 محاولات."));

    let left =
        |lang: &str, n: f64| catalog.text(lang, "expiry-days-left", &[("days", Arg::Number(n))]);
    let cases = [
        ("en", 0.0, "That is today."),
        ("en", 1.0, "That is tomorrow."),
        ("en", 19.0, "That is in 19 days."),
        ("de", 1.0, "Das ist morgen."),
        ("de", 30.0, "Das ist in 30 Tagen."),
        ("fr", 0.0, "C’est aujourd’hui."),
        ("fr", 2.0, "C’est dans 2 jours."),
        ("pl", 3.0, "Zostały 3 dni."),
        ("pl", 5.0, "Zostało 5 dni."),
        ("pl", 12.0, "Zostało 12 dni."),
        ("pl", 22.0, "Zostały 22 dni."),
        ("ar", 0.0, "أي اليوم."),
        ("ar", 2.0, "أي بعد يومين."),
        ("ar", 7.0, "أي بعد 7 أيام."),
        ("ar", 30.0, "أي بعد 30 يومًا."),
        ("ar", 100.0, "أي بعد 100 يوم."),
    ];
    for (lang, n, want) in cases {
        assert_eq!(left(lang, n), want, "{lang} {n}");
    }
}

#[test]
fn html_escapes_the_text_and_isolates_values() {
    let catalog = Catalog::builtin();
    let html = catalog.html("en", "awarded-to", &[("name", Arg::from("<b>&"))]);
    assert_eq!(html, "Awarded to <bdi>&lt;b&gt;&amp;</bdi>");
    let markup = catalog.html(
        "en",
        "awarded-to",
        &[("name", Arg::Html("<strong>x</strong>".into()))],
    );
    assert_eq!(markup, "Awarded to <strong>x</strong>");
    // The message's own text is escaped too: an override cannot inject markup.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("en.ftl"), "brand = <script>x</script>\n").unwrap();
    let catalog = Catalog::load(Some(dir.path()), None).unwrap();
    assert_eq!(
        catalog.html("en", "brand", &[]),
        "&lt;script&gt;x&lt;/script&gt;"
    );
    assert_eq!(catalog.text("en", "brand", &[]), "<script>x</script>");
    assert_eq!(catalog.text("en", "no-such-id", &[]), "[no-such-id]");
}

#[test]
fn language_codes_are_matched_and_unknown_ones_list_the_available() {
    assert_eq!(language("de").unwrap().code, "de");
    assert_eq!(language("DE").unwrap().code, "de");
    assert_eq!(language("pt-BR").unwrap().code, "pt");
    assert_eq!(language(" ar ").unwrap().code, "ar");
    assert!(language("ar").unwrap().rtl);
    for bad in ["xx", "", "english", "ja"] {
        let err = language(bad).unwrap_err().to_string();
        assert!(err.contains("unknown language"), "{err}");
        assert!(
            err.contains("en (English)") && err.contains("ar (العربية)"),
            "{err}"
        );
    }
    assert_eq!(or_default(Some("gone")).code, "en");
    assert_eq!(or_default(None).code, "en");
}

#[test]
fn accept_language_picks_the_first_language_certstat_has() {
    let pick = |h: &str| from_accept_language(h).map(|l| l.code);
    assert_eq!(pick("fr-CH, fr;q=0.9, en;q=0.8"), Some("fr"));
    assert_eq!(pick("ja, de-AT;q=0.7"), Some("de"));
    assert_eq!(pick("ar-EG"), Some("ar"));
    assert_eq!(pick("pt-BR,pt;q=0.9"), Some("pt"));
    assert_eq!(pick("ja, zh-CN"), None);
    assert_eq!(pick(""), None);
    assert_eq!(pick(";;;,,q=x"), None);
}

#[test]
fn an_override_folder_replaces_messages_and_refuses_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("de.ftl"),
        "# ours\nclaim-heading = Ihr Zertifikat wartet\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a catalog").unwrap();
    let catalog = Catalog::load(Some(dir.path()), Some("de")).unwrap();
    assert_eq!(
        catalog.text("de", "claim-heading", &[]),
        "Ihr Zertifikat wartet"
    );
    assert_eq!(catalog.text("de", "lost-button", &[]), "Link zuschicken");
    assert_eq!(
        catalog.text("fr", "claim-heading", &[]),
        "Récupérez votre certificat"
    );
    assert_eq!(catalog.default_language().code, "de");

    std::fs::write(
        dir.path().join("de.ftl"),
        "claim-heading = ok\nclaim-headnig = typo\n",
    )
    .unwrap();
    let err = Catalog::load(Some(dir.path()), None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("de.ftl, line 2") && err.contains("claim-headnig"),
        "{err}"
    );

    std::fs::write(
        dir.path().join("de.ftl"),
        "claim-heading = ok\n\n= broken\n",
    )
    .unwrap();
    let err = format!("{:#}", Catalog::load(Some(dir.path()), None).err().unwrap());
    assert!(err.contains("de.ftl, line 3, column"), "{err}");

    std::fs::write(dir.path().join("de.ftl"), "claim-heading = ok\n").unwrap();
    std::fs::write(dir.path().join("klingon.ftl"), "brand = x\n").unwrap();
    let err = Catalog::load(Some(dir.path()), None)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("klingon.ftl") && err.contains("available are"),
        "{err}"
    );

    let err = format!("{:#}", Catalog::load(None, Some("xx")).err().unwrap());
    assert!(
        err.contains("default_language") && err.contains("unknown language `xx`"),
        "{err}"
    );
}
