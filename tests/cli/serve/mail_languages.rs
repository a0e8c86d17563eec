//! The reminder, the expiry notice and the lost-link email in the certificate's language (the
//! lost-link email in the request's when the certificate follows the browser's), through the
//! real binary, the outbox and a real `certstat serve`; an organisation's own expiry template
//! stays as it wrote it, and its `[l10n] strings` change the default ones.

use std::time::{Duration, Instant};

use mail_parser::{Message, MessageParser};

use super::{ANA, BJORN, CERT, Server, claim, setup, token};
use crate::common::Env;

const CHLOE: &str = "chloe.martin@example.org";

/// When the first emails go out (simulated, like every instant below).
const SENT: &str = "2027-01-10T09:00:00Z";

/// Run certstat at the simulated instant `now`, expecting success; its stdout.
fn at(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("CERTSTAT_NOW", now)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "certstat {args:?} at {now} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every message in the outbox to `to` whose subject satisfies `pick`.
fn outbox(env: &Env, to: &str, pick: &dyn Fn(&str) -> bool) -> Vec<Message<'static>> {
    let dir = env.db.parent().unwrap().join("outbox");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let raw = std::fs::read(&path).unwrap();
        let msg = MessageParser::default().parse(&raw).unwrap().into_owned();
        let addressed = msg.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to);
        if addressed && pick(msg.subject().unwrap_or_default()) {
            out.push(msg);
        }
    }
    out
}

/// The one message to `to` with exactly this subject.
fn the_message(env: &Env, to: &str, subject: &str) -> Message<'static> {
    let mut found = outbox(env, to, &|s| s == subject);
    assert_eq!(found.len(), 1, "messages to {to} titled {subject:?}");
    found.remove(0)
}

fn text(m: &Message) -> String {
    m.body_text(0).unwrap().replace("\r\n", "\n")
}

fn html(m: &Message) -> String {
    m.body_html(0).unwrap().into_owned()
}

/// The text/plain part `preview` prints.
fn preview_text(out: &str) -> &str {
    out.split("--- text/plain ---")
        .nth(1)
        .and_then(|t| t.split("--- text/html ---").next())
        .unwrap_or_else(|| panic!("no text part: {out}"))
}

#[test]
fn reminders_are_in_the_certificates_language() {
    let env = setup();
    env.ok(&["cert", "edit", CERT, "--language", "fr"]);
    at(&env, SENT, &["send", CERT]);
    at(&env, "2027-01-18T09:00:00Z", &["remind", CERT]);

    let m = the_message(
        &env,
        ANA,
        "Rappel : votre certificat pour Intro to Rust vous attend",
    );
    assert!(m.header_raw("List-Unsubscribe").is_some());
    let t = text(&m);
    for line in [
        "Bonjour Ana Silva,",
        "Petit rappel : votre certificat « Intro to Rust », délivré par ACME Training, vous attend.",
        "Récupérez-le ici :",
        "Vous recevez ce rappel parce que vous avez participé à « Intro to Rust ».",
        "Ne plus recevoir de rappels : http",
    ] {
        assert!(t.contains(line), "no {line:?} in {t}");
    }
    let tok = token(&env, ANA);
    assert!(t.contains(&format!("/c/{tok}")), "{t}");
    assert!(!t.contains("reminder") && !t.contains("Get it"), "{t}");
    let h = html(&m);
    assert!(h.contains("<html lang=\"fr\" dir=\"ltr\">"), "{h}");
    assert!(
        h.contains("<bdi>Ana Silva</bdi>, votre certificat vous attend"),
        "{h}"
    );
    assert!(
        h.contains("Obtenir le certificat") && h.contains("Arrêter les rappels"),
        "{h}"
    );

    // Arabic, right to left: the next reminder, ten days later.
    env.ok(&["cert", "edit", CERT, "--language", "ar"]);
    let preview = env.ok(&["preview", CERT, BJORN, "--reminder"]);
    assert!(
        preview_text(&preview)
            .contains("نذكّرك بأن شهادتك في «Intro to Rust» الصادرة عن ACME Training بانتظارك."),
        "{preview}"
    );
    assert!(
        preview.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{preview}"
    );
    at(&env, "2027-01-28T09:00:00Z", &["remind", CERT]);
    let m = the_message(&env, BJORN, "تذكير: شهادتك في Intro to Rust بانتظارك");
    let t = text(&m);
    for line in [
        "مرحبًا Björn Åström،",
        "استلمها من هنا:",
        "يصلك هذا التذكير لأنك شاركت في «Intro to Rust».",
        "لإيقاف التذكيرات: http",
    ] {
        assert!(t.contains(line), "no {line:?} in {t}");
    }
    let h = html(&m);
    assert!(h.contains("<html lang=\"ar\" dir=\"rtl\">"), "{h}");
    assert!(
        h.contains("شهادتك بانتظارك يا <bdi>Björn Åström</bdi>"),
        "{h}"
    );
    assert!(
        h.contains("<bdi>Intro to Rust</bdi>") && h.contains("استلم الشهادة"),
        "{h}"
    );
    assert!(!h.contains("Get Certificate"), "{h}");
}

/// Send the first emails at [`SENT`] and claim Ana's certificate the next day.
fn sent_and_claimed(env: &Env) {
    at(env, SENT, &["send", CERT]);
    let server = Server::start_with(env, &[], &[("CERTSTAT_NOW", "2027-01-11T10:00:00Z")]);
    claim(&server, &token(env, ANA), ANA);
    server.stop();
}

#[test]
fn expiry_notices_are_in_the_certificates_language_with_its_plurals() {
    let env = setup();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--language",
        "de",
        "--expires",
        "2027-03-01T00:00:00Z",
        "--renewal-url",
        "https://acme.example/renew",
    ]);
    sent_and_claimed(&env);

    // 19 days before: German, with the date as German writes it.
    let preview = at(
        &env,
        "2027-02-10T09:00:00Z",
        &["preview", CERT, ANA, "--expiry"],
    );
    assert!(
        preview_text(&preview).contains("läuft am 1. März 2027 ab. Das ist in 19 Tagen."),
        "{preview}"
    );
    at(
        &env,
        "2027-02-10T09:00:00Z",
        &["remind", CERT, "--expiring", "30d"],
    );
    let m = the_message(
        &env,
        ANA,
        "Ihr Zertifikat für Intro to Rust läuft am 1. März 2027 ab",
    );
    let t = text(&m);
    for line in [
        "Hallo Ana Silva,",
        "Ihr Zertifikat „Intro to Rust“ von ACME Training läuft am 1. März 2027 ab. Das ist in 19 Tagen.",
        "Zur Verlängerung:",
        "https://acme.example/renew",
        "Bis dahin finden Sie Ihr Zertifikat hier:",
        "Keine Erinnerungen oder Hinweise mehr: http",
    ] {
        assert!(t.contains(line), "no {line:?} in {t}");
    }
    let h = html(&m);
    assert!(h.contains("<html lang=\"de\" dir=\"ltr\">"), "{h}");
    assert!(
        h.contains("Ihr Zertifikat läuft am <bdi>1. März 2027</bdi> ab"),
        "{h}"
    );
    assert!(
        h.contains("Zertifikat verlängern") && h.contains("Erinnerungen abbestellen"),
        "{h}"
    );
    assert!(!t.contains("expires") && !h.contains("expires"), "{t}");

    // Polish: 13 days is "many" (Zostało), 3 days "few" (Zostały).
    env.ok(&["cert", "edit", CERT, "--language", "pl"]);
    let subject = "Twój certyfikat „Intro to Rust” wygasa 1 marca 2027";
    let sentence =
        "Twój certyfikat „Intro to Rust”, wystawiony przez ACME Training, wygasa 1 marca 2027.";
    at(
        &env,
        "2027-02-16T09:00:00Z",
        &["remind", CERT, "--expiring", "14d"],
    );
    at(
        &env,
        "2027-02-26T09:00:00Z",
        &["remind", CERT, "--expiring", "7d"],
    );
    let notices = outbox(&env, ANA, &|s| s == subject);
    assert_eq!(notices.len(), 2);
    let texts: Vec<String> = notices.iter().map(text).collect();
    for days in ["Zostało 13 dni.", "Zostały 3 dni."] {
        let line = format!("{sentence} {days}");
        assert!(
            texts.iter().any(|t| t.contains(&line)),
            "no {line:?} in {texts:?}"
        );
    }
    for t in &texts {
        assert!(
            t.contains("Dzień dobry, Ana Silva!") && t.contains("Aby go odnowić:"),
            "{t}"
        );
    }
    assert!(
        notices
            .iter()
            .all(|m| html(m).contains("<html lang=\"pl\" dir=\"ltr\">"))
    );
}

#[test]
fn an_own_expiry_template_is_not_translated() {
    let env = setup();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--language",
        "de",
        "--expires",
        "2027-03-01T00:00:00Z",
    ]);
    let body = env.path("expiry.txt");
    std::fs::write(
        &body,
        "{{ recipient.name }}, please renew by {{ expires_on }} ({{ days_left }} days).\nStop: {{ unsubscribe_url }}\n",
    )
    .unwrap();
    env.ok(&[
        "cert",
        "edit",
        CERT,
        "--expiry-subject",
        "Renew {{ certificate.name }} soon",
        "--expiry-body",
        body.to_str().unwrap(),
    ]);
    sent_and_claimed(&env);
    at(
        &env,
        "2027-02-10T09:00:00Z",
        &["remind", CERT, "--expiring", "30d"],
    );
    let m = the_message(&env, ANA, "Renew Intro to Rust soon");
    // The organisation's words; the date, a value, as the certificate's language writes it.
    let t = text(&m);
    assert!(
        t.starts_with("Ana Silva, please renew by 1. März 2027 (19 days).\nStop: http"),
        "{t}"
    );
    let h = html(&m);
    for german in ["Hallo", "Zertifikat", "Erinnerungen", "lang=\"de\""] {
        assert!(
            !t.contains(german) && !h.contains(german),
            "{german}: {t}\n{h}"
        );
    }
    assert!(h.contains("please renew by 1. März 2027"), "{h}");
    // The reminder, still the default, is German.
    let preview = env.ok(&["preview", CERT, ANA, "--reminder"]);
    assert!(
        preview_text(&preview).contains(
            "Eine Erinnerung: Ihr Zertifikat „Intro to Rust“ von ACME Training wartet auf Sie."
        ),
        "{preview}"
    );
}

#[test]
fn organisations_override_the_follow_ups_strings() {
    let env = setup();
    let strings = env.config.parent().unwrap().join("strings");
    std::fs::create_dir_all(&strings).unwrap();
    std::fs::write(
        strings.join("fr.ftl"),
        "reminder-get-it = Votre certificat est ici :\n\
         expiry-days-left = { $days ->\n    [one] Plus qu’un jour.\n   *[other] Plus que { $days } jours.\n    }\n\
         lost-email-ignore = Pas vous ? Ignorez ce message.\n",
    )
    .unwrap();
    env.write_config("[l10n]\nstrings = \"strings\"\ndefault_language = \"fr\"\n");
    env.ok(&["cert", "edit", CERT, "--expires", "2027-03-01T00:00:00Z"]);
    let reminder = env.ok(&["preview", CERT, ANA, "--reminder"]);
    let t = preview_text(&reminder);
    assert!(
        t.contains("Votre certificat est ici :") && !t.contains("Récupérez-le"),
        "{t}"
    );
    assert!(t.contains("Petit rappel"), "the rest stays built in: {t}");
    let expiry = at(
        &env,
        "2027-02-10T09:00:00Z",
        &["preview", CERT, ANA, "--expiry"],
    );
    assert!(
        preview_text(&expiry).contains("expire le 1 mars 2027. Plus que 19 jours."),
        "{expiry}"
    );
    let last_day = at(
        &env,
        "2027-02-28T09:00:00Z",
        &["preview", CERT, ANA, "--expiry"],
    );
    assert!(
        preview_text(&last_day).contains("Plus qu’un jour."),
        "{last_day}"
    );
}

/// The lost-link form's cookie and CSRF field, from a GET of it.
fn lost_form(server: &Server) -> (String, String) {
    let page = server.get("/lost");
    assert_eq!(page.status, 200);
    let csrf = page
        .text()
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    (page.cookies().join("; "), csrf)
}

/// Ask `/lost` for `email`'s link, as a browser asking for `accept` does; the message it mails
/// (waiting for it at most 10 s).
fn lost_link(
    server: &Server,
    env: &Env,
    email: &str,
    accept: &str,
    subject: &str,
) -> Message<'static> {
    let (cookie, csrf) = lost_form(server);
    let res = server.request(
        "POST",
        "/lost",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
            ("Accept-Language", accept),
        ],
        Some(&super::form(&[("email", email), ("csrf", &csrf)])),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(m) = outbox(env, email, &|s| s == subject).pop() {
            return m;
        }
        assert!(Instant::now() < deadline, "no {subject:?} to {email}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_lost_link_email_is_in_the_certificates_language_or_the_browsers_when_it_follows() {
    let env = setup();
    env.ok(&["cert", "edit", CERT, "--language", "es"]);
    env.ok(&["send", CERT]);
    let server = Server::start(&env, &[]);

    // Spanish, whatever the browser asks for: the certificate does not follow it.
    let m = lost_link(
        &server,
        &env,
        ANA,
        "de-DE, de;q=0.9",
        "Tu enlace: Intro to Rust",
    );
    let t = text(&m);
    for line in [
        "Hola, Ana Silva:",
        "Has pedido el enlace a tu certificado de «Intro to Rust», emitido por ACME Training. Aquí lo tienes:",
        "Si no lo has pedido, puedes ignorar este mensaje.",
    ] {
        assert!(t.contains(line), "no {line:?} in {t}");
    }
    assert!(
        t.contains(&format!("/c/{}", token(&env, ANA))),
        "the same link: {t}"
    );
    let h = html(&m);
    assert!(h.contains("<html lang=\"es\" dir=\"ltr\">"), "{h}");
    assert!(
        h.contains("El enlace a tu certificado") && h.contains("Obtener certificado"),
        "{h}"
    );
    assert!(h.contains("<bdi>Ana Silva</bdi>"), "{h}");
    assert!(!t.contains("Ihr") && !t.contains("You asked"), "{t}");

    // Following the browser: its language when certstat has it, else the certificate's.
    env.ok(&["cert", "edit", CERT, "--follow-browser-language"]);
    let m = lost_link(&server, &env, BJORN, "ar-EG", "رابطك: Intro to Rust");
    assert!(text(&m).contains("طلبتَ رابط شهادتك في «Intro to Rust» الصادرة عن ACME Training."));
    let h = html(&m);
    assert!(
        h.contains("<html lang=\"ar\" dir=\"rtl\">") && h.contains("<bdi>Björn Åström</bdi>"),
        "{h}"
    );
    let m = lost_link(
        &server,
        &env,
        CHLOE,
        "ja, zh-CN",
        "Tu enlace: Intro to Rust",
    );
    assert!(text(&m).starts_with("Hola, Chloé Martin:"), "{}", text(&m));
    server.stop();
}
