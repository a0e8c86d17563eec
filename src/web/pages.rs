//! The HTML pages: MiniJinja templates compiled into the binary, HTML auto-escaping on.
//! Every sentence is a message of `src/l10n/*.ftl` (`t(...)`, see [`crate::l10n::template`]),
//! in the language each page is rendered in: `language` and `text_direction` (`dir`) are set
//! on every page.

use anyhow::Result;
use minijinja::Environment;
use serde::Serialize;

use crate::l10n::Language;

/// The stylesheet, served at `/static/style.css`.
pub const STYLE: &str = include_str!("templates/style.css");

/// A 1×1 transparent GIF.
pub const PIXEL_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("claim.html", include_str!("templates/claim.html")),
    ("view.html", include_str!("templates/view.html")),
    ("verify.html", include_str!("templates/verify.html")),
    ("message.html", include_str!("templates/message.html")),
    (
        "unsubscribe.html",
        include_str!("templates/unsubscribe.html"),
    ),
    ("lost.html", include_str!("templates/lost.html")),
];

pub struct Pages {
    env: Environment<'static>,
}

impl Pages {
    pub fn new() -> Pages {
        let mut env = Environment::new();
        // `.html` templates escape every value for HTML (MiniJinja's default for the name).
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("built-in template {name}: {e:#}"));
        }
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        crate::l10n::template::register(&mut env, crate::l10n::template::Markup::Html);
        Pages { env }
    }

    /// Page `name` in `lang`.
    pub fn render(&self, name: &str, lang: &Language, ctx: impl Serialize) -> Result<String> {
        let ctx = minijinja::context! {
            language => lang.code,
            text_direction => if lang.rtl { "rtl" } else { "ltr" },
            ..minijinja::Value::from_serialize(ctx)
        };
        Ok(self.env.get_template(name)?.render(ctx)?)
    }
}

/// What the certificate pages show: what the document shows, its state and its expiry.
#[derive(Debug, Clone, Serialize)]
pub struct CertView {
    #[serde(flatten)]
    pub doc: crate::render::DocContext,
    /// `valid`, `revoked` or `expired`.
    pub state: &'static str,
    pub expires: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cert() -> CertView {
        CertView {
            doc: crate::render::DocContext {
                recipient_name: "<script>alert(1)</script>".into(),
                certificate_name: "A & B".into(),
                issuer: "\"Q\"".into(),
                description: String::new(),
                issue_date: "1 May 2026".into(),
                credential_id: "0".repeat(32),
                verification_url: "https://e.example/v/x".into(),
                language: "en".into(),
            },
            state: "valid",
            expires: None,
        }
    }

    #[test]
    fn every_page_renders_and_escapes() {
        let p = Pages::new();
        let en = crate::l10n::language("en").unwrap();
        let claim = p
            .render(
                "claim.html",
                en,
                json!({"title": "t", "cert": cert(), "token": "tok", "csrf": "c", "error": null,
                       "locked_until": null, "email": "<b>", "returning": false}),
            )
            .unwrap();
        assert!(!claim.contains("<script>alert"), "{claim}");
        assert!(claim.contains("&lt;b&gt;"), "{claim}");
        let view = p
            .render(
                "view.html",
                en,
                json!({"title": "t", "cert": cert(), "token": "tok", "image": "/v/x.png",
                       "just_claimed": true}),
            )
            .unwrap();
        assert!(view.contains("&lt;script&gt;"), "{view}");
        let verify = p
            .render(
                "verify.html",
                en,
                json!({"title": "t", "cert": cert(), "image": "/v/x.png",
                       "image_url": "https://e.example/v/x.png", "page_url": "https://e.example/v/x",
                       "credential_json": "/credentials/x.json", "credential_jwt": "/v/x.jwt",
                       "credential_json_url": "https://e.example/credentials/x.json",
                       "issuer_doc": "/issuer.json",
                       "achievement": "https://e.example/issuer/achievements/1"}),
            )
            .unwrap();
        assert!(verify.contains("og:image"), "{verify}");
        assert!(!verify.contains("<script>alert"), "{verify}");
        p.render(
            "message.html",
            en,
            json!({"title": "Not found", "heading": "h", "message": "m"}),
        )
        .unwrap();
    }
}
