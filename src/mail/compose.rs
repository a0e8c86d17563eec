//! Turning a certificate and one recipient into the exact bytes that are sent.

use std::time::SystemTime;

use anyhow::{Result, anyhow, bail};
use lettre::Message;
use lettre::address::{Address, Envelope};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use minijinja::Environment;

use super::body::text_body;
use super::dkim::Dkim;
use super::template::{self, Sources};
use crate::config::Config;
use crate::markup::escape_html as escape;
use crate::model::{Certificate, Recipient};
use crate::tokens::Secret;

/// Where emailed links point when `[serve] base_url` is not set.
pub const FALLBACK_BASE_URL: &str = "http://127.0.0.1:8080";

/// The default sender when `[sender] from` is not set.
pub const FALLBACK_FROM: &str = "certstat@localhost";

/// One message, ready for a transport.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub recipient_id: i64,
    pub email: String,
    /// The opaque per-send id (`X-Certstat-Id`, the VERP token's payload).
    pub send_id: String,
    /// Without angle brackets.
    pub message_id: String,
    pub envelope: Envelope,
    pub bytes: Vec<u8>,
}

/// The rendered parts of one message (what `preview` shows).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Builds messages for one certificate.
pub struct Composer {
    env: Environment<'static>,
    sources: Sources,
    cert: Certificate,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// Envelope sender: (local part, domain, VERP) from `bounce_address`, else the From address.
    bounce: Option<(String, String)>,
    domain: String,
    base_url: String,
    secret: Secret,
    dkim: Option<Dkim>,
    /// Set for reminders and expiry notices: their extra variables and the one-click
    /// unsubscribe headers (RFC 8058).
    follow_up: Option<FollowUp>,
    /// Things the user should know once (no base URL, no sender).
    pub warnings: Vec<String>,
}

/// What a reminder or an expiry notice adds to a message.
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    /// `renewal_url` in the templates (empty when the certificate has none).
    pub renewal_url: String,
    /// `expires_on` in the templates: the certificate's expiry date, in words, in its language.
    pub expires_on: String,
    /// `days_left` in the templates: whole days from today to the expiry date (none without
    /// one, or once it has passed).
    pub days_left: Option<i64>,
}

/// Header text: control characters (CR and LF above all) become spaces, runs of space collapse.
pub fn header_text(s: &str) -> String {
    let replaced: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The encoded value of a header whose text lettre would write wrongly, or None when lettre
/// writes it right (ASCII text in words that fold). Lettre writes ASCII words as they are:
/// text that looks like an RFC 2047 encoded word (`=?utf-8?b?...?=`, in a name or a subject)
/// would be decoded by the reader's mail program into other text, and a word too long to fold
/// (no space in 70 characters) makes a line over RFC 5322's limit of 998 octets. Non-ASCII
/// text lettre encodes, but cut inside grapheme clusters and with the address after the last
/// word past 78 characters ([`super::header`]). All of those are written as encoded words by
/// [`super::header::encode`]. `address` (for To) follows the text as `<address>`.
pub fn own_encoding(prefix: &str, text: &str, address: &impl std::fmt::Display) -> Option<String> {
    let wrong =
        !text.is_ascii() || text.contains("=?") || text.split(' ').any(|w| w.chars().count() > 70);
    if !wrong {
        return None;
    }
    let address = address.to_string();
    let then = if address.is_empty() {
        String::new()
    } else {
        format!("<{address}>")
    };
    Some(super::header::encode(prefix, text, &then))
}

/// An address to send to: with an ASCII local part, its internationalised domain in its
/// ASCII form (punycode), which every mail server and reader handles; an address with a
/// non-ASCII local part needs SMTPUTF8 anyway and is kept as it is.
pub fn ascii_domain_address(email: &str) -> std::borrow::Cow<'_, str> {
    match email.rsplit_once('@') {
        Some((local, domain)) if local.is_ascii() && !domain.is_ascii() => {
            match crate::model::ascii_domain(domain) {
                Some(ascii) => format!("{local}@{ascii}").into(),
                None => email.into(),
            }
        }
        _ => email.into(),
    }
}

/// A new send id ([`crate::tokens::new_send_id`]: time-ordered, 24 hex digits).
pub fn new_send_id() -> String {
    crate::tokens::new_send_id()
}

/// The VERP token for a send: `<send id>-<first 12 hex of its HMAC>`; no address inside.
pub fn verp_token(secret: &Secret, send_id: &str) -> String {
    let mac = secret.mac("verp", send_id.as_bytes());
    format!("{send_id}-{}", &hex::encode(mac)[..12])
}

/// The send id in a VERP token, when its signature is right.
pub fn verp_send_id(secret: &Secret, token: &str) -> Option<String> {
    let token = token.to_ascii_lowercase();
    let (id, _) = token.split_once('-')?;
    (verp_token(secret, id) == token).then(|| id.to_string())
}

/// The token of a VERP address `local+TOKEN@domain`, if it is one.
pub fn verp_token_of(address: &str) -> Option<&str> {
    let local = address.split('@').next()?;
    let (_, token) = local.split_once('+')?;
    Some(token)
}

fn parse_mailbox(text: &str, what: &str) -> Result<Mailbox> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|e| anyhow!("[sender] {what} = \"{text}\" is not an email address ({e})"))
}

fn load_dkim(config: &Config, domain: &str) -> Result<Option<Dkim>> {
    let (Some(path), Some(selector)) = (&config.sender.dkim_key, &config.sender.dkim_selector)
    else {
        if config.sender.dkim_key.is_some() != config.sender.dkim_selector.is_some() {
            bail!("[sender] dkim_key and dkim_selector go together: set both or neither");
        }
        return Ok(None);
    };
    Dkim::load(path, domain, selector).map(Some)
}

impl Composer {
    pub fn new(cert: &Certificate, config: &Config, secret: Secret) -> Result<Composer> {
        Composer::with_sources(cert, config, secret, Sources::of(cert), None)
    }

    /// A composer of reminders or expiry notices: these `sources`, the `follow_up` variables,
    /// and `List-Unsubscribe` with one-click `List-Unsubscribe-Post` in every message.
    pub fn follow_up(
        cert: &Certificate,
        config: &Config,
        secret: Secret,
        sources: Sources,
        follow_up: FollowUp,
    ) -> Result<Composer> {
        Composer::with_sources(cert, config, secret, sources, Some(follow_up))
    }

    /// A composer of other messages from these templates (no unsubscribe headers).
    pub fn with_templates(
        cert: &Certificate,
        config: &Config,
        secret: Secret,
        sources: Sources,
    ) -> Result<Composer> {
        Composer::with_sources(cert, config, secret, sources, None)
    }

    fn with_sources(
        cert: &Certificate,
        config: &Config,
        secret: Secret,
        sources: Sources,
        follow_up: Option<FollowUp>,
    ) -> Result<Composer> {
        let env = template::environment(&sources)?;
        let mut warnings = Vec::new();
        let from = match &config.sender.from {
            Some(f) => parse_mailbox(f, "from")?,
            None => {
                warnings.push(format!(
                    "no [sender] from in the config: messages come from {FALLBACK_FROM}; set it \
                     (e.g. from = \"ACME Training <certificates@acme.example>\")"
                ));
                FALLBACK_FROM.parse().expect("valid fallback sender")
            }
        };
        let reply_to = config
            .sender
            .reply_to
            .as_deref()
            .map(|r| parse_mailbox(r, "reply_to"))
            .transpose()?;
        let bounce = match &config.sender.bounce_address {
            Some(b) => {
                let mb = parse_mailbox(b, "bounce_address")?;
                Some((mb.email.user().to_string(), mb.email.domain().to_string()))
            }
            None => None,
        };
        let domain = from.email.domain().to_string();
        let base_url = match config
            .serve
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => {
                warnings.push(format!(
                    "no [serve] base_url in the config: the links in the messages point to \
                     {FALLBACK_BASE_URL}, which works only on this machine; set [serve] base_url \
                     to the public address of `certstat serve`"
                ));
                FALLBACK_BASE_URL.to_string()
            }
        };
        let dkim = load_dkim(config, &domain)?;
        Ok(Composer {
            env,
            sources,
            cert: cert.clone(),
            from,
            reply_to,
            bounce,
            domain,
            base_url,
            secret,
            dkim,
            follow_up,
            warnings,
        })
    }

    /// The one-click unsubscribe address of a recipient's reminders (`POST` by the mail
    /// client, RFC 8058; `GET` shows a page with a button).
    pub fn unsubscribe_url(&self, r: &Recipient) -> String {
        format!("{}/u/{}", self.base_url, self.secret.token(&r.uid))
    }

    /// The templates' CSV fields that `r` lacks.
    pub fn missing_fields(&self, r: &Recipient) -> Result<Vec<String>> {
        Ok(template::needed_fields(&self.env, &self.sources)?
            .into_iter()
            .filter(|f| !template::has_field(r, f))
            .collect())
    }

    /// The CSV fields the templates use.
    pub fn needed_fields(&self) -> Result<Vec<String>> {
        Ok(template::needed_fields(&self.env, &self.sources)?
            .into_iter()
            .collect())
    }

    pub fn links(&self, r: &Recipient) -> (String, String) {
        let token = self.secret.token(&r.uid);
        (
            format!("{}/c/{token}", self.base_url),
            format!("{}/o/{token}.gif", self.base_url),
        )
    }

    /// Render subject, text and HTML for one recipient.
    pub fn render(&self, r: &Recipient) -> Result<Rendered> {
        let (claim_url, open_url) = self.links(r);
        // Without open tracking there is no pixel address: `open_url` is empty, and the
        // default template leaves its image out.
        let open_url = if self.cert.open_tracking {
            open_url
        } else {
            String::new()
        };
        let mut ctx = template::context(&self.cert, r, &claim_url, &open_url);
        if let Some(f) = &self.follow_up {
            ctx = template::context_with(
                ctx,
                &[
                    ("unsubscribe_url", template::link(&self.unsubscribe_url(r))),
                    ("renewal_url", template::link(&f.renewal_url)),
                    ("expires_on", f.expires_on.as_str().into()),
                    ("days_left", f.days_left.into()),
                ],
            );
        }
        let subject = header_text(&template::render(
            &self.env,
            &self.sources,
            template::SUBJECT,
            &ctx,
        )?);
        let text = match &self.sources.text {
            Some(_) => Some(template::render(
                &self.env,
                &self.sources,
                template::TEXT,
                &ctx,
            )?),
            None => None,
        };
        let html = match &self.sources.html {
            Some(_) => Some(template::render(
                &self.env,
                &self.sources,
                template::HTML,
                &ctx,
            )?),
            None => None,
        };
        let (text, html) = match (text, html) {
            (Some(t), Some(h)) => (t, h),
            (Some(t), None) => {
                let h = text_to_html(&t, &subject);
                (t, h)
            }
            (None, Some(h)) => {
                let language = crate::l10n::or_default(self.cert.language.as_deref());
                (html_to_text(&h, &claim_url, language.code), h)
            }
            (None, None) => unreachable!("Sources always has a body"),
        };
        Ok(Rendered {
            subject,
            text,
            html: if self.cert.open_tracking {
                with_pixel(html, &open_url)
            } else {
                html
            },
        })
    }

    /// The full message for one recipient, with a fresh send id.
    pub fn compose(&self, r: &Recipient) -> Result<Outgoing> {
        self.compose_as(r, new_send_id())
    }

    /// The Message-ID (without angle brackets) of the message with this send id.
    pub fn message_id(&self, send_id: &str) -> String {
        format!("{send_id}@{}", self.domain)
    }

    /// The full message for one recipient, with the given send id (from [`new_send_id`]), so
    /// that the attempt can be recorded before the message is composed.
    pub fn compose_as(&self, r: &Recipient, send_id: String) -> Result<Outgoing> {
        let parts = self.render(r)?;
        let to_addr: Address = ascii_domain_address(r.email.trim()).parse().map_err(|e| {
            anyhow!(
                "<{}> is not an email address lettre can send to ({e})",
                r.email
            )
        })?;
        let name = header_text(&r.name);
        let to = Mailbox::new((!name.is_empty()).then_some(name), to_addr.clone());
        let message_id = self.message_id(&send_id);
        let envelope_from = match &self.bounce {
            Some((local, domain)) => {
                let token = verp_token(&self.secret, &send_id);
                let sep = if local.contains('+') { '-' } else { '+' };
                Address::new(format!("{local}{sep}{token}"), domain).map_err(|e| {
                    anyhow!("the VERP address for {local}@{domain} is invalid ({e})")
                })?
            }
            None => self.from.email.clone(),
        };
        let envelope = Envelope::new(Some(envelope_from), vec![to_addr])?;
        let pre_encoded = |name: &'static str, raw: String, encoded: String| {
            HeaderValue::dangerous_new_pre_encoded(
                HeaderName::new_from_ascii_str(name),
                raw,
                encoded,
            )
        };
        let mut b = Message::builder().from(self.from.clone());
        b = match own_encoding("To: ", to.name.as_deref().unwrap_or(""), &to.email) {
            Some(v) => b.raw_header(pre_encoded("To", to.to_string(), v)),
            None => b.to(to),
        };
        b = match own_encoding("Subject: ", &parts.subject, &"") {
            Some(v) => b.raw_header(pre_encoded("Subject", parts.subject, v)),
            None => b.subject(parts.subject),
        };
        b = b
            .date(SystemTime::from(crate::clock::now()))
            .message_id(Some(format!("<{message_id}>")))
            .envelope(envelope.clone());
        if let Some(rt) = &self.reply_to {
            b = b.reply_to(rt.clone());
        }
        let raw = |name: &'static str, value: &str| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), header_text(value))
        };
        b = b
            .raw_header(raw("Auto-Submitted", "auto-generated"))
            .raw_header(raw("X-Auto-Response-Suppress", "OOF, AutoReply"))
            .raw_header(raw("X-Certstat-Id", &send_id));
        if self.follow_up.is_some() {
            b = b
                .raw_header(raw(
                    "List-Unsubscribe",
                    &format!("<{}>", self.unsubscribe_url(r)),
                ))
                .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        }
        let message = b.multipart(MultiPart::alternative_plain_html(
            text_body(parts.text),
            text_body(parts.html),
        ))?;
        let bytes = match &self.dkim {
            Some(dkim) => dkim.sign(message.formatted())?,
            None => message.formatted(),
        };
        Ok(Outgoing {
            recipient_id: r.id,
            email: r.email.clone(),
            send_id,
            message_id,
            envelope,
            bytes,
        })
    }
}

/// Add the open pixel unless the template placed `open_url` itself.
fn with_pixel(html: String, open_url: &str) -> String {
    if html.contains(open_url) {
        return html;
    }
    let img = format!(
        "<img src=\"{}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px\">",
        escape(open_url)
    );
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(i) => format!("{}{img}\n{}", &html[..i], &html[i..]),
        None => format!("{html}\n{img}\n"),
    }
}

/// An HTML part for a certificate that has only a plain-text template.
fn text_to_html(text: &str, title: &str) -> String {
    let mut body = String::new();
    for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let lines: Vec<String> = para
            .lines()
            .map(|l| {
                let t = l.trim();
                let e = escape(t);
                if (t.starts_with("https://") || t.starts_with("http://")) && !t.contains(' ') {
                    format!("<a href=\"{e}\">{e}</a>")
                } else {
                    e
                }
            })
            .collect();
        body.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
    }
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2937\">\n{body}</body></html>\n",
        escape(title)
    )
}

/// A plain-text part for a certificate that has only an HTML template (with the claim link,
/// under `email-text-link` in `language`, when the template's text lacks it).
fn html_to_text(html: &str, claim_url: &str, language: &str) -> String {
    let mut s = html.to_string();
    for tag in ["style", "head", "script", "title"] {
        while let Some(start) = s.to_ascii_lowercase().find(&format!("<{tag}")) {
            let close = format!("</{tag}>");
            match s[start..].to_ascii_lowercase().find(&close) {
                Some(end) => s.replace_range(start..start + end + close.len(), ""),
                None => break,
            }
        }
    }
    let out = crate::markup::html_to_text(&s);
    let mut text = String::new();
    let mut blank = 0;
    for line in out.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            if blank == 1 && !text.is_empty() {
                text.push('\n');
            }
        } else {
            blank = 0;
            text.push_str(line);
            text.push('\n');
        }
    }
    if !text.contains(claim_url) {
        let label = crate::l10n::catalog().text(language, "email-text-link", &[]);
        text.push_str(&format!("\n{label} {claim_url}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_never_breaks_lines() {
        assert_eq!(header_text("a\r\nBcc: x@y\n b"), "a Bcc: x@y b");
    }

    #[test]
    fn verp_round_trip_and_forgery() {
        let secret_path = std::env::temp_dir().join(format!("certstat-verp-{}", new_send_id()));
        let secret = Secret::load(&secret_path, true).unwrap();
        let id = new_send_id();
        let token = verp_token(&secret, &id);
        assert!(!token.contains('@'));
        assert_eq!(verp_send_id(&secret, &token).as_deref(), Some(id.as_str()));
        assert_eq!(
            verp_send_id(&secret, &token.to_uppercase()).as_deref(),
            Some(id.as_str())
        );
        let forged = format!("{}-000000000000", id);
        assert_eq!(verp_send_id(&secret, &forged), None);
        assert_eq!(
            verp_token_of(&format!("bounces+{token}@example.org")),
            Some(token.as_str())
        );
        std::fs::remove_file(secret_path).unwrap();
    }

    #[test]
    fn pixel_goes_before_body_end() {
        let h = with_pixel("<html><body>x</body></html>".into(), "https://e/o/t.gif");
        assert!(h.contains("x<img src=\"https://e/o/t.gif\""), "{h}");
        let h = with_pixel(
            "<p>{{ open_url }} https://e/o/t.gif</p>".into(),
            "https://e/o/t.gif",
        );
        assert!(!h.contains("<img"));
    }

    #[test]
    fn html_only_gets_a_text_part_with_the_link() {
        let t = html_to_text(
            "<html><head><style>p{}</style></head><body><p>Hi &amp; bye</p></body></html>",
            "https://x/c/t",
            "en",
        );
        assert!(t.contains("Hi & bye"), "{t}");
        assert!(
            t.ends_with("\nGet your certificate: https://x/c/t\n"),
            "{t}"
        );
        assert!(!t.contains("p{}"), "{t}");
        let t = html_to_text("<p>Hallo</p>", "https://x/c/t", "de");
        assert!(
            t.ends_with("\nIhr Zertifikat abrufen: https://x/c/t\n"),
            "{t}"
        );
    }
}
