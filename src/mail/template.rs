//! Email templates: MiniJinja, strict about undefined values, HTML auto-escaped.
//!
//! Variables: `recipient.name`, `recipient.email`, `recipient.fields.<column>` (every CSV column;
//! columns whose names are identifiers are also top-level variables, and every column is also
//! reachable under its snake_case form, `First Name` → `first_name`), `certificate.name`,
//! `certificate.issuer`, `certificate.description`, `claim_url`, `open_url`, `language` (the
//! certificate's language code) and `text_direction` (`ltr` or `rtl`); `t("message-id", …)`
//! gives one of certstat's messages in that language (see [`crate::l10n::template`]).
//! Reminders and expiry notices also get `unsubscribe_url`, `renewal_url`, `expires_on` (the
//! expiry date as the certificate's language writes it) and `days_left` (whole days until it).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use anyhow::{Result, anyhow};
use minijinja::value::{Object, Value};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde_json::{Map, Value as Json};

use crate::model::{Certificate, Recipient};

pub const SUBJECT: &str = "subject.txt";
pub const TEXT: &str = "body.txt";
pub const HTML: &str = "body.html";

/// Variables every template gets; anything else at the top level is a CSV field.
pub const BUILTINS: &[&str] = &[
    "recipient",
    "certificate",
    "claim_url",
    "open_url",
    "unsubscribe_url",
    "renewal_url",
    "expires_on",
    "days_left",
    "language",
    "text_direction",
];

/// The reminders' default subject, plain-text and HTML bodies (`remind`; they also get
/// `unsubscribe_url`): like the first email's, every sentence is a message of
/// `src/l10n/*.ftl`, in the certificate's language.
pub const DEFAULT_REMINDER_SUBJECT: &str =
    "{{ t(\"reminder-subject\", certificate=certificate.name) }}";
pub const DEFAULT_REMINDER_TEXT: &str = include_str!("reminder.txt");
pub const DEFAULT_REMINDER_HTML: &str = include_str!("reminder.html");
/// The layout the default reminder, expiry notice and lost-link email extend (`{% extends
/// "certstat-follow-up.html" %}` with the blocks `card` and `footer`), in every environment.
const FOLLOW_UP_LAYOUT: &str = include_str!("follow-up.html");
const FOLLOW_UP_LAYOUT_NAME: &str = "certstat-follow-up.html";

/// The expiry notices' default subject and bodies (`remind --expiring`; they also get
/// `expires_on`, `days_left`, `renewal_url` and `unsubscribe_url`).
pub const EXPIRY_SUBJECT: &str =
    "{{ t(\"expiry-subject\", certificate=certificate.name, date=expires_on) }}";
pub const EXPIRY_TEXT: &str = include_str!("expiry.txt");
pub const EXPIRY_HTML: &str = include_str!("expiry.html");

/// The message of the "lost your link?" page (`serve`'s `/lost`).
pub const LOST_SUBJECT: &str = "{{ t(\"lost-email-subject\", certificate=certificate.name) }}";
pub const LOST_TEXT: &str = include_str!("lost.txt");
pub const LOST_HTML: &str = include_str!("lost.html");

/// The work one rendering of one template may do, in MiniJinja's fuel (about one unit per
/// instruction): the defaults use a few hundred; a loop of 10,000 items with a little output in
/// it fits, nested `range` loops do not. Rendering stops with an error when it runs out.
pub const FUEL: u64 = 500_000;

/// The most text one template may render (1 MiB): far more than an email needs.
pub const MAX_OUTPUT: usize = 1 << 20;

/// The default subject, text and HTML: every sentence is a message of `src/l10n/*.ftl`, in the
/// certificate's language.
pub const DEFAULT_SUBJECT: &str = "{{ t(\"email-subject\", certificate=certificate.name) }}";

pub const DEFAULT_TEXT: &str = include_str!("default.txt");

pub const DEFAULT_HTML: &str = include_str!("default.html");

/// The three template sources of a certificate, with the defaults filled in.
#[derive(Debug, Clone)]
pub struct Sources {
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Sources {
    pub fn of(cert: &Certificate) -> Sources {
        let custom = |t: &Option<String>| t.clone().filter(|s| !s.trim().is_empty());
        let (text, html) = match (custom(&cert.body_tpl), custom(&cert.html_tpl)) {
            (None, None) => (
                Some(DEFAULT_TEXT.to_string()),
                Some(DEFAULT_HTML.to_string()),
            ),
            other => other,
        };
        Sources {
            subject: custom(&cert.subject_tpl).unwrap_or_else(|| DEFAULT_SUBJECT.to_string()),
            text,
            html,
        }
    }

    /// A reminder's templates: the certificate's own (`cert edit --reminder-subject`,
    /// `--reminder-body`), else the defaults.
    pub fn reminder(cert: &Certificate) -> Sources {
        Sources::follow_up(
            &cert.reminder_subject_tpl,
            &cert.reminder_body_tpl,
            [
                DEFAULT_REMINDER_SUBJECT,
                DEFAULT_REMINDER_TEXT,
                DEFAULT_REMINDER_HTML,
            ],
        )
    }

    /// The templates of the message the "lost your link?" page sends.
    pub fn lost_link() -> Sources {
        Sources {
            subject: LOST_SUBJECT.to_string(),
            text: Some(LOST_TEXT.to_string()),
            html: Some(LOST_HTML.to_string()),
        }
    }

    /// An expiry notice's templates: the certificate's own (`cert edit --expiry-subject`,
    /// `--expiry-body`), else the defaults.
    pub fn expiry(cert: &Certificate) -> Sources {
        Sources::follow_up(
            &cert.expiry_subject_tpl,
            &cert.expiry_body_tpl,
            [EXPIRY_SUBJECT, EXPIRY_TEXT, EXPIRY_HTML],
        )
    }

    /// A follow-up's subject and plain-text body: the certificate's own where set, else the
    /// `defaults` (subject, text, HTML). The default HTML goes with the default text only: an
    /// own plain-text body gets its HTML part made from it, as the organisation wrote it.
    fn follow_up(subject: &Option<String>, body: &Option<String>, defaults: [&str; 3]) -> Sources {
        let custom = |t: &Option<String>| t.clone().filter(|s| !s.trim().is_empty());
        let body = custom(body);
        Sources {
            subject: custom(subject).unwrap_or_else(|| defaults[0].to_string()),
            html: body.is_none().then(|| defaults[2].to_string()),
            text: Some(body.unwrap_or_else(|| defaults[1].to_string())),
        }
    }

    fn each(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![(SUBJECT, self.subject.as_str())];
        if let Some(t) = &self.text {
            v.push((TEXT, t.as_str()));
        }
        if let Some(h) = &self.html {
            v.push((HTML, h.as_str()));
        }
        v
    }
}

/// What a template is called in messages.
fn label(name: &str) -> &'static str {
    match name {
        SUBJECT => "subject template",
        TEXT => "plain-text body template",
        _ => "HTML body template",
    }
}

/// An environment holding the certificate's templates: strict undefined, HTML escaped in
/// `body.html` only (by its extension).
pub fn environment(sources: &Sources) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_keep_trailing_newline(true);
    env.set_fuel(Some(FUEL));
    crate::l10n::template::register(&mut env, crate::l10n::template::Markup::Html);
    env.add_template(FOLLOW_UP_LAYOUT_NAME, FOLLOW_UP_LAYOUT)
        .map_err(|e| describe(&e, FOLLOW_UP_LAYOUT))?;
    for (name, src) in sources.each() {
        env.add_template_owned(name, src.to_string())
            .map_err(|e| describe(&e, src))?;
    }
    Ok(env)
}

/// A template's error, with which of the templates ([`SUBJECT`], [`TEXT`], [`HTML`]) it is
/// about, so that a caller can name the file that template was read from.
#[derive(Debug)]
pub struct TemplateError {
    pub template: Option<&'static str>,
    message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Which of the templates an error is about, when it is a template's error.
pub fn failed_template(err: &anyhow::Error) -> Option<&'static str> {
    err.downcast_ref::<TemplateError>()?.template
}

/// `the HTML body template, line 3, column 9: undefined value (…)`.
fn describe(err: &minijinja::Error, source: &str) -> anyhow::Error {
    let template = [SUBJECT, TEXT, HTML]
        .into_iter()
        .find(|t| err.name() == Some(t));
    let message = describe_message(err, source);
    TemplateError { template, message }.into()
}

fn describe_message(err: &minijinja::Error, source: &str) -> String {
    let name = err.name().map(label).unwrap_or("template");
    let mut place = String::new();
    if let Some(line) = err.line() {
        place.push_str(&format!(", line {line}"));
        if let Some(range) = err.range() {
            let col = crate::input::line_column(source, range.start).1;
            place.push_str(&format!(", column {col}"));
            let snippet = source.get(range.clone()).unwrap_or("").trim();
            if !snippet.is_empty() && snippet.len() < 80 {
                place.push_str(&format!(" (`{snippet}`)"));
            }
        }
    }
    if err.kind() == ErrorKind::OutOfFuel {
        return format!(
            "{name}{place}: stopped: rendering it takes more than {FUEL} steps (nested loops over \
             range()?): make the loops smaller"
        );
    }
    let what = match err.kind() {
        ErrorKind::SyntaxError => "syntax error",
        ErrorKind::UndefinedError => "undefined variable",
        _ => "error",
    };
    let detail = err.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let hint = match err.kind() {
        ErrorKind::UndefinedError => {
            " (available: recipient.name, recipient.email, recipient.fields.COLUMN or a column's \
             name, certificate.name, certificate.issuer, certificate.description, claim_url, open_url, \
             language, text_direction)"
        }
        _ => "",
    };
    format!("{name}{place}: {what}{detail}{hint}")
}

/// A column name as a template identifier: `First Name` → `first_name`.
pub fn snake(key: &str) -> String {
    let mut out = String::new();
    for c in key.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Top-level names a recipient's fields provide.
fn field_names(fields: &Map<String, Json>) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = Vec::new();
    let mut seen = HashSet::new();
    for (k, v) in fields {
        if is_identifier(k) && seen.insert(k.clone()) {
            out.push((k.clone(), v.clone()));
        }
    }
    for (k, v) in fields {
        let s = snake(k);
        if is_identifier(&s) && seen.insert(s.clone()) {
            out.push((s, v.clone()));
        }
    }
    out
}

/// A link we built: marked safe for HTML (so `/` is not written `&#x2f;`) when it holds no
/// character that would need escaping in an attribute.
pub fn link(url: &str) -> Value {
    if url
        .chars()
        .any(|c| matches!(c, '"' | '\'' | '<' | '>' | '&') || c.is_whitespace())
    {
        Value::from(url)
    } else {
        Value::from_safe_string(url.to_string())
    }
}

/// The rendering context of one recipient.
pub fn context(cert: &Certificate, r: &Recipient, claim_url: &str, open_url: &str) -> Value {
    use std::collections::BTreeMap;
    let mut root: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in field_names(&r.fields) {
        if !BUILTINS.contains(&k.as_str()) {
            root.insert(k, Value::from_serialize(v));
        }
    }
    root.insert(
        "recipient".into(),
        Value::from_serialize(
            serde_json::json!({"name": r.name, "email": r.email, "fields": r.fields}),
        ),
    );
    root.insert(
        "certificate".into(),
        Value::from_serialize(
            serde_json::json!({"name": cert.name, "issuer": cert.issuer, "description": cert.description}),
        ),
    );
    root.insert("claim_url".into(), link(claim_url));
    root.insert("open_url".into(), link(open_url));
    insert_language(&mut root, cert);
    Value::from(root)
}

/// `language` (the certificate's, else the default) and `text_direction` (`ltr` or `rtl`).
fn insert_language(root: &mut std::collections::BTreeMap<String, Value>, cert: &Certificate) {
    let language = crate::l10n::or_default(cert.language.as_deref());
    root.insert("language".into(), Value::from(language.code));
    root.insert(
        "text_direction".into(),
        Value::from(if language.rtl { "rtl" } else { "ltr" }),
    );
}

/// [`context`] with the variables of a reminder or notice (`unsubscribe_url`, `renewal_url`,
/// `expires_on`, `days_left`) added; links made with [`link`].
pub fn context_with(base: Value, extra: &[(&str, Value)]) -> Value {
    use std::collections::BTreeMap;
    let mut root: BTreeMap<String, Value> = BTreeMap::new();
    if let Ok(keys) = base.try_iter() {
        for k in keys {
            if let (Some(name), Ok(v)) = (k.as_str(), base.get_item(&k)) {
                root.insert(name.to_string(), v);
            }
        }
    }
    for (k, v) in extra {
        root.insert((*k).to_string(), v.clone());
    }
    Value::from(root)
}

/// Render one template of `env`; errors name the template, line and column. Rendering is
/// bounded: [`FUEL`] steps and [`MAX_OUTPUT`] bytes.
pub fn render(
    env: &Environment<'static>,
    sources: &Sources,
    name: &str,
    ctx: &Value,
) -> Result<String> {
    let src = sources
        .each()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s)
        .unwrap_or("");
    let mut out = Bounded(Vec::new(), MAX_OUTPUT);
    match env
        .get_template(name)
        .and_then(|t| t.render_captured_to(ctx, &mut out))
    {
        Ok(_) => Ok(String::from_utf8(out.0)?),
        Err(_) if out.full() => Err(anyhow!(
            "{}: stopped: it renders more than {} KiB (a loop writing too much?): make it shorter",
            label(name),
            MAX_OUTPUT / 1024
        )),
        Err(e) => Err(describe(&e, src)),
    }
}

/// Rendered output that refuses to grow past a limit ([`MAX_OUTPUT`] for email templates).
pub(crate) struct Bounded(pub Vec<u8>, pub usize);

impl Bounded {
    /// Whether the output reached its limit (a rendering error is then this one).
    pub fn full(&self) -> bool {
        self.0.len() >= self.1
    }
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > self.1 {
            let room = self.1 - self.0.len();
            self.0.extend_from_slice(&buf[..room]);
            return Err(std::io::Error::other("the template's output is too long"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The CSV fields the templates need: top-level names that are not built in, and
/// `recipient.fields.X`.
pub fn needed_fields(env: &Environment<'static>, sources: &Sources) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    // MiniJinja's own functions (`range`, `dict`, `namespace`, …) are not columns.
    let globals: HashSet<&str> = env.globals().map(|(name, _)| name).collect();
    for (name, _) in sources.each() {
        let t = env.get_template(name)?;
        for v in t.undeclared_variables(false) {
            if !BUILTINS.contains(&v.as_str()) && !globals.contains(v.as_str()) {
                out.insert(v);
            }
        }
        for v in t.undeclared_variables(true) {
            if let Some(field) = v.strip_prefix("recipient.fields.") {
                out.insert(field.to_string());
            }
        }
    }
    Ok(out)
}

/// Whether a recipient has the field a template calls `name` (exactly, or by its snake_case form).
pub fn has_field(r: &Recipient, name: &str) -> bool {
    r.fields.contains_key(name) || r.fields.keys().any(|k| snake(k) == name)
}

/// `recipient.fields` when no recipient is known yet: any column renders as "".
#[derive(Debug)]
struct AnyFields;

impl Object for AnyFields {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        key.as_str().map(|_| Value::from(""))
    }
}

/// Check a certificate's templates at `cert create/edit` time: syntax, and every variable
/// defined. `columns` are the field names of its recipients (None when it has none yet: then
/// unknown top-level names are accepted as columns to come, and returned so the caller can say
/// so). Errors carry line and column.
pub fn check(cert: &Certificate, columns: Option<&[String]>) -> Result<Vec<String>> {
    use std::collections::BTreeMap;
    let sources = Sources::of(cert);
    let env = environment(&sources)?;
    let needed = needed_fields(&env, &sources)?;
    let mut root: BTreeMap<String, Value> = BTreeMap::new();
    let mut recipient: BTreeMap<String, Value> = BTreeMap::new();
    let mut future = Vec::new();
    match columns {
        Some(cols) => {
            let fields: Map<String, Json> = cols
                .iter()
                .map(|c| (c.clone(), Json::String(String::new())))
                .collect();
            for (k, v) in field_names(&fields) {
                root.insert(k, Value::from_serialize(v));
            }
            recipient.insert("fields".into(), Value::from_serialize(&fields));
        }
        None => {
            for n in &needed {
                root.insert(n.clone(), Value::from(""));
                future.push(n.clone());
            }
            recipient.insert("fields".into(), Value::from_object(AnyFields));
        }
    }
    recipient.insert("name".into(), Value::from("Someone"));
    recipient.insert("email".into(), Value::from("someone@example.org"));
    root.insert("recipient".into(), Value::from(recipient));
    root.insert(
        "certificate".into(),
        Value::from_serialize(serde_json::json!({
            "name": cert.name, "issuer": cert.issuer, "description": cert.description})),
    );
    root.insert("claim_url".into(), Value::from("https://example.org/c/x"));
    root.insert(
        "open_url".into(),
        Value::from("https://example.org/o/x.gif"),
    );
    insert_language(&mut root, cert);
    let ctx = Value::from(root);
    for (name, _) in sources.each() {
        render(&env, &sources, name, &ctx)?;
    }
    Ok(future)
}

/// `cert create/edit`: check the certificate's templates against its recipients' columns.
/// Columns not known yet are named in the warning returned.
pub fn validate(conn: &rusqlite::Connection, cert: &Certificate) -> Result<Option<String>> {
    let columns = if cert.id > 0 && crate::db::recipients::count(conn, cert.id)? > 0 {
        Some(crate::db::recipients::field_keys(conn, cert.id)?)
    } else {
        None
    };
    let future = check(cert, columns.as_deref())?;
    if future.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!(
        "the templates use {}, which every recipient will need as a CSV column (`send` checks)",
        future
            .iter()
            .map(|f| format!("'{f}'"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subject: Option<&str>, body: Option<&str>, html: Option<&str>) -> Certificate {
        Certificate {
            id: 1,
            name: "Intro to Rust".into(),
            issuer: "ACME".into(),
            description: String::new(),
            subject_tpl: subject.map(Into::into),
            body_tpl: body.map(Into::into),
            html_tpl: html.map(Into::into),
            design_svg: None,
            expires_at: None,
            created_at: String::new(),
            open_tracking: true,
            reminder_subject_tpl: None,
            reminder_body_tpl: None,
            expiry_subject_tpl: None,
            expiry_body_tpl: None,
            renewal_url: None,
            language: None,
            follow_browser_language: false,
        }
    }

    #[test]
    fn functions_are_not_columns_and_work_in_validation() {
        let body = "{% for i in range(3) %}{{ i }}{% endfor %} {{ dict(a=1).a }} {{ city }}";
        let c = cert(None, Some(body), None);
        let future = check(&c, None).unwrap();
        assert_eq!(
            future,
            vec!["city".to_string()],
            "range and dict are functions"
        );
        let sources = Sources::of(&c);
        let env = environment(&sources).unwrap();
        let needed = needed_fields(&env, &sources).unwrap();
        assert!(
            !needed.contains("range") && !needed.contains("dict"),
            "{needed:?}"
        );
        let columns = vec!["city".to_string()];
        check(&c, Some(&columns)).unwrap();
    }

    #[test]
    fn runaway_loops_stop_with_a_clear_error_in_every_template() {
        let nested2 =
            "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}";
        let nested3 = "{% for a in range(100) %}{% for b in range(100) %}{% for c in range(100) %}{% endfor %}{% endfor %}{% endfor %}";
        let quiet =
            "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}";
        let recursive = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
        for (i, t) in [nested2, nested3, quiet, recursive].iter().enumerate() {
            for c in [
                cert(Some(t), None, None),
                cert(None, Some(t), None),
                cert(None, None, Some(t)),
            ] {
                let started = std::time::Instant::now();
                let err = check(&c, None).unwrap_err().to_string();
                assert!(
                    err.contains("stopped") || err.contains("recursion"),
                    "case {i}: {err}"
                );
                assert!(err.contains("template"), "{err}");
                // Not a timing assertion on speed, a guard against an unbounded run.
                assert!(started.elapsed().as_secs() < 30, "case {i}");
            }
        }
    }

    #[test]
    fn output_is_bounded() {
        for t in [
            "{% for a in range(9000) %}{{ recipient.name * 200 }}{% endfor %}",
            "{{ 'x' * 5000000 }}",
        ] {
            let err = check(&cert(None, Some(t), None), None)
                .unwrap_err()
                .to_string();
            assert!(err.contains("stopped"), "{t}: {err}");
            assert!(err.contains("plain-text body template"), "{err}");
        }
        // A modest loop renders.
        let ok = "{% for i in range(1, 4) %}{{ i }}.{% endfor %}";
        check(&cert(None, Some(ok), None), None).unwrap();
    }

    #[test]
    fn defaults_check_clean() {
        assert!(check(&cert(None, None, None), None).unwrap().is_empty());
        assert!(
            check(&cert(None, None, None), Some(&[]))
                .unwrap()
                .is_empty()
        );
    }

    /// The default reminder, expiry notice and lost-link email in every language: each message
    /// found (no `[id]`), the HTML with the language's `lang` and `dir`, values in `<bdi>`.
    #[test]
    fn default_follow_ups_render_in_every_language() {
        let r = Recipient {
            id: 1,
            certificate_id: 1,
            email: "ana@example.org".into(),
            name: "Ana".into(),
            status: crate::model::Status::Pending,
            status_at: String::new(),
            detail: String::new(),
            unconfirmed: false,
            revoked: false,
            fields: Default::default(),
            created_at: String::new(),
            uid: "0".repeat(32),
        };
        for language in crate::l10n::LANGUAGES {
            let mut c = cert(None, None, None);
            c.language = Some(language.code.into());
            for (issuer, days) in [("ACME", Value::from(3)), ("", Value::from(()))] {
                c.issuer = issuer.into();
                let ctx = context_with(
                    context(&c, &r, "https://e.example/c/t", ""),
                    &[
                        ("unsubscribe_url", link("https://e.example/u/t")),
                        ("renewal_url", link("https://e.example/renew")),
                        ("expires_on", Value::from("1 March 2027")),
                        ("days_left", days.clone()),
                    ],
                );
                for sources in [
                    Sources::reminder(&c),
                    Sources::expiry(&c),
                    Sources::lost_link(),
                ] {
                    let env = environment(&sources).unwrap();
                    for name in [SUBJECT, TEXT, HTML] {
                        let out = render(&env, &sources, name, &ctx).unwrap();
                        let code = language.code;
                        assert!(!out.contains('['), "{code}: a message is missing: {out}");
                        assert!(
                            !out.contains("}}") && !out.trim().is_empty(),
                            "{code}: {out}"
                        );
                        if name == HTML {
                            let dir = if language.rtl { "rtl" } else { "ltr" };
                            let tag = format!("<html lang=\"{code}\" dir=\"{dir}\">");
                            assert!(out.contains(&tag), "{code}: {out}");
                            assert!(out.contains("<bdi>Ana</bdi>"), "{code}: {out}");
                        }
                    }
                }
            }
        }
    }

    /// An own follow-up body keeps its words; its HTML part is made from it (no default HTML).
    #[test]
    fn own_follow_up_bodies_have_no_default_html() {
        let mut c = cert(None, None, None);
        c.expiry_body_tpl = Some("Renew by {{ expires_on }}".into());
        c.reminder_subject_tpl = Some("Still yours".into());
        assert!(Sources::expiry(&c).html.is_none());
        assert_eq!(Sources::expiry(&c).subject, EXPIRY_SUBJECT);
        let reminder = Sources::reminder(&c);
        assert_eq!(reminder.subject, "Still yours");
        assert_eq!(reminder.html.as_deref(), Some(DEFAULT_REMINDER_HTML));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = check(
            &cert(None, Some("Hello\n  {{ recipient.name }\n"), None),
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("plain-text body template, line 2"), "{msg}");
        assert!(msg.contains("syntax error"), "{msg}");
    }

    #[test]
    fn undefined_attribute_has_line_and_column() {
        let err = check(
            &cert(None, Some("Hi\n\nDear {{ recipient.nmae }}\n"), None),
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 3, column 9"), "{msg}");
        assert!(msg.contains("undefined"), "{msg}");
    }

    #[test]
    fn unknown_column_is_an_error_once_recipients_exist() {
        let c = cert(None, Some("Grade: {{ grade }}\n"), None);
        assert_eq!(check(&c, None).unwrap(), vec!["grade".to_string()]);
        check(&c, Some(&["Grade".to_string()])).unwrap();
        let err = check(&c, Some(&["Score".to_string()]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1, column 11"), "{err}");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake("First Name"), "first_name");
        assert_eq!(snake(" Course-Date "), "course_date");
        assert!(is_identifier("first_name"));
        assert!(!is_identifier("1st"));
    }
}
