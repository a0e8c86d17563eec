//! `config.toml`: the sender, SMTP, outbox, serve, issuer, LinkedIn and refresh settings.
//! Unknown keys and bad values are errors naming the key and the line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub sender: Sender,
    pub smtp: Option<Smtp>,
    #[serde(default)]
    pub outbox: Outbox,
    #[serde(default)]
    pub serve: Serve,
    #[serde(default)]
    pub issuer: Issuer,
    #[serde(default)]
    pub linkedin: Linkedin,
    #[serde(default)]
    pub refresh: Refresh,
    #[serde(default)]
    pub render: Render,
    #[serde(default)]
    pub guardrail: Guardrail,
    #[serde(default)]
    pub l10n: L10n,
}

/// `[l10n]`: languages.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct L10n {
    /// The language of certificates that name none (`en` when unset).
    pub default_language: Option<String>,
    /// A folder of `<code>.ftl` files whose messages replace certstat's own; relative to the
    /// config file's folder.
    pub strings: Option<PathBuf>,
}

/// `[guardrail]`: when a `send` or `remind` run stops by itself.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrail {
    /// The largest share of hard bounces after a run's first 50 outcomes: `"5%"` or `5`.
    pub max_hard_bounces: Option<Percent>,
}

/// A percentage as written in the file: a number (`5`, `2.5`) or a text (`"5%"`).
#[derive(Debug, Clone)]
pub enum Percent {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Percent, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Percent;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a percentage, a number like 2.5 or a text like \"5%\"")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Percent, E> {
                Ok(Percent::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Percent, E> {
                Ok(Percent::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Percent, E> {
                Ok(Percent::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Percent, E> {
                Ok(Percent::Text(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The guardrail's hard-bounce share when neither the flag nor the file sets it.
pub const DEFAULT_MAX_HARD_BOUNCES: f64 = 5.0;

/// A percentage from 0 to 100, written like `5`, `5%` or `2.5 %`.
pub fn parse_percent(s: &str) -> Result<f64, String> {
    let n = s.trim().trim_end_matches('%').trim();
    match n.parse::<f64>() {
        Ok(r) if (0.0..=100.0).contains(&r) => Ok(r),
        _ => Err(format!(
            "'{s}' is not a percentage: write it like 5 or 5% (from 0 to 100)"
        )),
    }
}

impl Percent {
    fn value(&self) -> Result<f64, String> {
        match self {
            Percent::Number(n) if (0.0..=100.0).contains(n) => Ok(*n),
            Percent::Number(n) => Err(format!(
                "{n} is not a percentage: write it like 5 or \"5%\" (from 0 to 100)"
            )),
            Percent::Text(t) => parse_percent(t),
        }
    }
}

/// `[render]`: documents.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Render {
    /// Folders of font files (TTF, OTF, TTC) to draw with besides the bundled
    /// and the system's fonts; relative to the config file's folder.
    #[serde(default)]
    pub fonts: Vec<PathBuf>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub bounce_address: Option<String>,
    pub dkim_key: Option<PathBuf>,
    pub dkim_selector: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    #[default]
    Starttls,
    Tls,
    None,
}

/// Which delivery status notifications (RFC 3461) messages ask for, when the server offers DSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dsn {
    /// Success, failure and delay (`NOTIFY=SUCCESS,FAILURE,DELAY`): a success report is
    /// positive evidence of delivery, at the cost of one more message per delivery for the
    /// servers that honour it.
    #[default]
    Success,
    /// Failure and delay only (`NOTIFY=FAILURE,DELAY`).
    Failure,
    /// No DSN parameters: the servers' own defaults.
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    pub host: String,
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    pub username: Option<String>,
    pub password_command: Option<String>,
    pub connections: Option<usize>,
    /// How long to wait for each reply of the server (`"60s"`, `"2m"`; default 60 s).
    pub timeout: Option<String>,
    /// Which delivery reports to ask for (default: success, failure and delay).
    #[serde(default)]
    pub dsn: Dsn,
}

impl Smtp {
    /// The wait for each reply: `timeout` when it is a duration from 1 s to 1 h (what
    /// validation accepts), else the default 60 s; None when `timeout` is given but not valid.
    pub fn timeout(&self) -> Option<std::time::Duration> {
        let Some(t) = &self.timeout else {
            return Some(std::time::Duration::from_secs(60));
        };
        crate::clock::parse_duration(t)
            .ok()
            .filter(|d| (1..=3600).contains(&d.num_seconds()))
            .and_then(|d| d.to_std().ok())
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outbox {
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serve {
    pub base_url: Option<String>,
    pub listen: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub image: Option<String>,
    /// `did:web:…`: the keys are also published as this DID's document.
    pub did: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linkedin {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refresh {
    #[serde(default)]
    pub maildirs: Vec<PathBuf>,
    #[serde(default)]
    pub mboxes: Vec<PathBuf>,
    pub imap: Option<String>,
    pub imap_password_command: Option<String>,
    pub settle: Option<String>,
}

impl Config {
    /// The guardrail's largest share of hard bounces (percent): `[guardrail] max_hard_bounces`,
    /// else 5 (checked when the file was read).
    pub fn max_hard_bounces(&self) -> f64 {
        self.guardrail
            .max_hard_bounces
            .as_ref()
            .and_then(|p| p.value().ok())
            .unwrap_or(DEFAULT_MAX_HARD_BOUNCES)
    }

    /// Load the file at `path`; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<Config> {
        if path.is_dir() {
            anyhow::bail!(
                "config file {} is a directory: name the config file (TOML) itself",
                path.display()
            );
        }
        let bytes = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read config file {}", path.display()));
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let good = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let (line, column) = crate::input::line_column(good, at);
            anyhow::anyhow!(
                "in config file {}: line {line}, column {column}: not UTF-8 text; save the file as UTF-8",
                path.display()
            )
        })?;
        let mut config =
            Self::parse(&text).with_context(|| format!("in config file {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for dir in &mut config.render.fonts {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
            if !dir.is_dir() {
                anyhow::bail!(
                    "in config file {}: [render] fonts: {} is not a folder (name folders of .ttf/.otf files)",
                    path.display(),
                    dir.display()
                );
            }
        }
        if let Some(dir) = &mut config.l10n.strings {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
            if !dir.is_dir() {
                anyhow::bail!(
                    "in config file {}: [l10n] strings: {} is not a folder (name a folder of <language>.ftl files)",
                    path.display(),
                    dir.display()
                );
            }
        }
        Ok(config)
    }

    /// Parse configuration text; errors carry line and column.
    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let Some(span) = e.span() else {
                return anyhow::anyhow!("{}", e.message());
            };
            let (line, col) = line_col(text, span.start);
            let mut msg = format!("line {line}, column {col}: ");
            let message = e.message().trim_end();
            match key_at(text, span.start) {
                Some((section, key)) if !message.contains(&format!("`{key}`")) => {
                    msg.push_str(&format!("{section}{key}: {message}"));
                    msg.push_str(&format!(" ({})", hint(&section, &key)));
                }
                _ => msg.push_str(message),
            }
            anyhow::anyhow!("{msg}")
        })?;
        config.check_values(text)?;
        config.check_smtp(text)?;
        config.check_sender(text)?;
        // Every link, page and credential id starts with the base URL: one spelling of it.
        if let Some(url) = &mut config.serve.base_url
            && let Ok(normal) = base_url_of(url)
        {
            *url = normal;
        }
        if let Some(image) = &mut config.issuer.image
            && let Ok(normal) = image_uri_of(image)
        {
            *image = normal;
        }
        // The issuer's homepage is a URI in every credential (Profile.url, xsd:anyURI).
        if let Some(url) = &mut config.issuer.url
            && let Ok(parsed) = url::Url::parse(url.trim())
        {
            *url = uri_as_written(&parsed, url);
        }
        Ok(config)
    }

    /// `[sender] from` and `reply_to` must be mailboxes the messages can carry: said at
    /// load, with the line, rather than by the first preview or send.
    fn check_sender(&self, text: &str) -> Result<()> {
        for (key, value) in [
            ("from", &self.sender.from),
            ("reply_to", &self.sender.reply_to),
            ("bounce_address", &self.sender.bounce_address),
        ] {
            let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if let Err(e) = value.parse::<lettre::message::Mailbox>() {
                // Quoting the name is suggested only when the quoted form works.
                let quoted = value.rsplit_once('<').and_then(|(name, address)| {
                    let name = name.trim();
                    if name.starts_with('"') {
                        return None;
                    }
                    let fixed = format!("\"{}\" <{}", name.replace('"', "\\\""), address.trim());
                    fixed
                        .parse::<lettre::message::Mailbox>()
                        .ok()
                        .map(|_| fixed)
                });
                let hint = match quoted {
                    Some(fixed) => format!(
                        "; a name with a comma, quote or other punctuation goes in double \
                         quotes: {key} = '{fixed}'"
                    ),
                    None => {
                        "; write it as \"Name <address@example.org>\" or an address alone".into()
                    }
                };
                anyhow::bail!(
                    "{}[sender] {key} = \"{value}\" is not a mailbox ({e}){hint}",
                    key_place(text, "sender", key)
                );
            }
        }
        Ok(())
    }

    /// Values that parse but cannot work: URLs without a scheme, durations beyond ten years,
    /// listen addresses that are not `host:port`, connection counts out of range, a DKIM key
    /// that is not a file. (An outbox that cannot be written is `send`'s error, which says so
    /// before it changes anything.)
    fn check_values(&self, text: &str) -> Result<()> {
        let bad = |section: &str, key: &str, problem: String| {
            anyhow::anyhow!(
                "{}[{section}] {key}: {problem}",
                key_place(text, section, key)
            )
        };
        if let Some(url) = &self.serve.base_url {
            base_url_of(url).map_err(|e| bad("serve", "base_url", e))?;
        }
        if let Some(url) = &self.issuer.url {
            check_url(url).map_err(|e| bad("issuer", "url", e))?;
        }
        if let Some(image) = &self.issuer.image {
            image_uri_of(image).map_err(|e| bad("issuer", "image", e))?;
        }
        if let Some(did) = &self.issuer.did {
            check_did_web(did, self.serve.base_url.as_deref())
                .map_err(|e| bad("issuer", "did", e))?;
        }
        if let Some(settle) = &self.refresh.settle {
            crate::clock::parse_duration(settle)
                .map_err(|e| bad("refresh", "settle", format!("{e}; the default is \"1h\"")))?;
        }
        if let Some(listen) = &self.serve.listen {
            check_listen(listen).map_err(|e| bad("serve", "listen", e))?;
        }
        if let Some(p) = &self.guardrail.max_hard_bounces {
            p.value().map_err(|e| {
                bad(
                    "guardrail",
                    "max_hard_bounces",
                    format!("{e}; the default is \"5%\""),
                )
            })?;
        }
        if let Some(smtp) = &self.smtp {
            if smtp.host.trim().is_empty() {
                return Err(bad(
                    "smtp",
                    "host",
                    "is empty: name the SMTP server, e.g. host = \"smtp.example.org\"".into(),
                ));
            }
            if let Some(n) = smtp.connections
                && !(1..=64).contains(&n)
            {
                return Err(bad(
                    "smtp",
                    "connections",
                    format!("{n} is not 1-64 (parallel SMTP connections; 1 is the default)"),
                ));
            }
        }
        if let Some(key) = &self.sender.dkim_key
            && !key.is_file()
        {
            return Err(bad(
                "sender",
                "dkim_key",
                format!(
                    "{} is not a file: name the PEM private key (RSA or Ed25519) to sign with",
                    key.display()
                ),
            ));
        }
        Ok(())
    }

    /// `[smtp]` needs a usable port and a `[sender] from` to put on the messages.
    fn check_smtp(&self, text: &str) -> Result<()> {
        let Some(smtp) = &self.smtp else {
            return Ok(());
        };
        if let Some(t) = &smtp.timeout
            && smtp.timeout().is_none()
        {
            anyhow::bail!(
                "{}[smtp] timeout = \"{t}\" is not a timeout: write a duration from 1s to 1h, \
                 like \"60s\" or \"2m\"",
                key_place(text, "smtp", "timeout")
            );
        }
        if smtp.port == Some(0) {
            anyhow::bail!(
                "{}[smtp] port = 0 is not a port: use 1-65535 (587 for starttls, 465 for tls)",
                key_place(text, "smtp", "port")
            );
        }
        if self
            .sender
            .from
            .as_deref()
            .is_none_or(|f| f.trim().is_empty())
        {
            anyhow::bail!(
                "{}[smtp] is set but [sender] from is not: add from = \"Name <address@example.org>\" under [sender]",
                section_place(text, "smtp")
            );
        }
        Ok(())
    }
}

/// An `http://` or `https://` URL with a host, as links in mail need.
pub fn check_url(url: &str) -> Result<(), String> {
    let trimmed = url.trim();
    match url::Url::parse(trimmed) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(())
        }
        Ok(u) if !matches!(u.scheme(), "http" | "https") => Err(format!(
            "'{url}' is not an http(s) URL (scheme '{}'): write it like \"https://certs.example.org\"",
            u.scheme()
        )),
        _ => Err(format!(
            "'{url}' is not a URL with a scheme and host: write it like \"https://{}\"",
            trimmed.trim_start_matches('/')
        )),
    }
}

/// The base URL every link and credential id starts with, as a URL parser writes it, without
/// a trailing slash: scheme and host lower-case, an internationalised host in its punycode
/// (ASCII) form, spaces and other characters a URI cannot hold percent-encoded, a default
/// port left out. Credential ids, `issuer.id` and `verificationMethod` are then URIs that
/// every verifier reads the same way (a space or a non-ASCII host is not a URI, and a
/// JSON-LD processor reads such an id differently or refuses it, so the Data Integrity
/// proof would not verify there). A query or fragment is refused: every URL is the base
/// URL followed by a path, so `https://h.example/?a=1` or `https://h.example/#x` would make
/// every credential id one and the same page. So are a user name and password, which would
/// be published in every credential.
pub fn base_url_of(text: &str) -> Result<String, String> {
    check_url(text)?;
    let url = url::Url::parse(text.trim()).map_err(|e| format!("'{text}' is not a URL: {e}"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{text}' has a query or fragment ('?…' or '#…'): the base URL is followed by the \
             paths certstat answers at, so write it without them, like \"{}://{}{}\"",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.path().trim_end_matches('/'),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "'{text}' has a user name or password: every credential and link would publish \
             it; write the base URL without them"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A parsed URL as a URI, keeping a bare host without the `/` path the parser adds (so that
/// `https://acme.example` stays what it was in credentials already issued).
fn uri_as_written(parsed: &url::Url, typed: &str) -> String {
    let mut uri = parsed.as_str().to_owned();
    if parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none()
        && !typed.trim().ends_with('/')
    {
        uri.pop();
    }
    uri
}

/// `[issuer] image`, the issuer profile's `image.id` in every credential: an absolute
/// `http(s)` URL or a `data:` URI, as a URL parser writes it. A JSON-LD `@id` that is a
/// relative path (`logo.png`) is read differently by each processor (jsonld.js in safe
/// mode refuses it, pyld drops it), so a credential carrying one verified with certstat
/// alone.
pub fn image_uri_of(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let hint = "name the logo by its public address, like image = \"https://acme.example/logo.png\" \
                (or a data: URI)";
    match url::Url::parse(trimmed) {
        Ok(u) if u.scheme() == "data" => Ok(u.as_str().to_owned()),
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(uri_as_written(&u, trimmed))
        }
        Ok(u) => Err(format!(
            "'{text}' is not an http(s) or data: URI (scheme '{}'): {hint}",
            u.scheme()
        )),
        Err(_) => Err(format!("'{text}' is not an absolute URL: {hint}")),
    }
}

/// `[issuer] did`: a `did:web` DID that resolves to the `/.well-known/did.json` certstat
/// serves, so `did:web:<host>` (a port written `%3A`), the host of `base_url` when that is
/// set. A DID with a path (`did:web:host:path`) resolves to `https://host/path/did.json`,
/// which certstat does not answer, and any other method is not resolved from this server:
/// either would publish a DID document no resolver finds.
pub fn check_did_web(did: &str, base_url: Option<&str>) -> Result<(), String> {
    let did = did.trim();
    let Some(host) = did.strip_prefix("did:web:") else {
        return Err(format!(
            "'{did}' is not a did:web DID: write it like did = \"did:web:certs.acme.example\""
        ));
    };
    if host.contains(':') {
        return Err(format!(
            "'{did}' has a path: it resolves to https://{}/did.json, but certstat serves the DID \
             document at /.well-known/did.json; write did = \"did:web:{}\"",
            host.replace(':', "/")
                .replace("%3A", ":")
                .replace("%3a", ":"),
            host.split(':').next().unwrap_or_default()
        ));
    }
    let authority = host.replace("%3A", ":").replace("%3a", ":");
    let parsed = url::Url::parse(&format!("https://{authority}/"))
        .ok()
        .filter(|u| u.path() == "/" && u.username().is_empty() && !authority.contains('/'));
    let Some(parsed) = parsed else {
        return Err(format!(
            "'{did}' does not name a host: write it like did = \"did:web:certs.acme.example\""
        ));
    };
    if let Some(base) = base_url.and_then(|b| url::Url::parse(b.trim()).ok())
        && (base.host_str() != parsed.host_str() || base.port() != parsed.port())
    {
        return Err(format!(
            "'{did}' is not the host of [serve] base_url ({}): a did:web resolver fetches \
             https://{authority}/.well-known/did.json, which this server does not answer",
            base.as_str().trim_end_matches('/')
        ));
    }
    Ok(())
}

/// A clap value parser for `--base-url`: see [`base_url_of`].
pub fn url_arg(text: &str) -> Result<String, String> {
    base_url_of(text)
}

/// `host:port` (an IP address or a name, and a port 1-65535, or 0 for any free port).
pub fn check_listen(listen: &str) -> Result<(), String> {
    let hint = "write it like \"127.0.0.1:8080\" or \"[::1]:8080\"";
    if listen.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(());
    }
    match listen.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(()),
        Some((_, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
            Err(format!("'{listen}': port {port} is not 0-65535; {hint}"))
        }
        _ => Err(format!("'{listen}' is not host:port; {hint}")),
    }
}

/// A clap value parser for `--listen`: see [`check_listen`].
pub fn listen_arg(text: &str) -> Result<String, String> {
    check_listen(text.trim()).map(|()| text.trim().to_owned())
}

/// `line N: ` for the line where `[section]` starts, if it can be found.
fn section_place(text: &str, section: &str) -> String {
    let header = format!("[{section}]");
    text.lines()
        .position(|l| l.trim() == header)
        .map(|i| format!("line {}: ", i + 1))
        .unwrap_or_default()
}

/// `line N: ` for the line of `key = ...` inside `[section]`, if it can be found.
fn key_place(text: &str, section: &str, key: &str) -> String {
    let header = format!("[{section}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t == header;
        } else if inside
            && t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return format!("line {}: ", i + 1);
        }
    }
    String::new()
}

/// The `[section] ` and key of the `key = value` line holding byte `offset`, if it is one.
fn key_at(text: &str, offset: usize) -> Option<(String, String)> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"').to_owned();
    if key.is_empty() || key.starts_with('[') {
        return None;
    }
    let section = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| format!("{} ", l.split('#').next().unwrap_or(l).trim()))
        .unwrap_or_default();
    Some((section, key))
}

/// What a key's value looks like, for errors.
fn hint(section: &str, key: &str) -> &'static str {
    match (section.trim(), key) {
        ("[smtp]", "port") => "a number 1-65535, e.g. port = 587 (starttls) or 465 (tls)",
        ("[smtp]", "security") => "one of \"starttls\", \"tls\" or \"none\"",
        ("[smtp]", "connections") => "a number 1-64, e.g. connections = 4",
        ("[smtp]", "timeout") => "a duration in quotes, e.g. timeout = \"60s\"",
        ("[smtp]", "dsn") => "one of \"success\", \"failure\" or \"off\"",
        ("[smtp]", "host") => "a host name in quotes, e.g. host = \"smtp.example.org\"",
        ("[serve]", "base_url") => "a URL in quotes, e.g. base_url = \"https://certs.example.org\"",
        ("[serve]", "listen") => "host:port in quotes, e.g. listen = \"127.0.0.1:8080\"",
        ("[refresh]", "settle") => "a duration in quotes, e.g. settle = \"1h\" (s, m, h, d, w)",
        ("[refresh]", "maildirs" | "mboxes") => "a list of paths, e.g. [\"/var/mail/bounces\"]",
        ("[render]", "fonts") => "a list of folders, e.g. fonts = [\"fonts\"]",
        ("[guardrail]", "max_hard_bounces") => {
            "a percentage, e.g. max_hard_bounces = \"5%\" or max_hard_bounces = 2.5"
        }
        ("[l10n]", "default_language") => {
            "a language code in quotes, e.g. default_language = \"de\""
        }
        ("[l10n]", "strings") => {
            "a folder in quotes, e.g. strings = \"strings\" (holding de.ftl, …)"
        }
        (_, "dkim_key" | "dir") => "a path in quotes",
        _ => "a text in quotes",
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The commented configuration `certstat init` writes when there is none.
pub const TEMPLATE: &str = r#"# certstat configuration. Every section is optional.
# Reference: certstat --help, and the README's "Configuration" section.

[sender]
# from = "ACME Training <certificates@acme.example>"
# reply_to = "help@acme.example"
# bounce_address = "bounces@acme.example"   # envelope sender; VERP as bounces+TOKEN@...
# dkim_key = "/path/to/dkim.pem"
# dkim_selector = "certs"

# Without an [smtp] section, messages are written as .eml files to the outbox.
# [smtp]
# host = "smtp.example.org"
# port = 587
# security = "starttls"                     # "starttls" | "tls" | "none" (loopback only)
# username = "certificates@acme.example"
# password_command = "pass show smtp"       # or set CERTSTAT_SMTP_PASSWORD
# connections = 1
# dsn = "success"                           # delivery reports: "success" | "failure" | "off"

# [outbox]
# dir = "/path/to/outbox"

# [serve]
# base_url = "https://certs.acme.example"   # what emailed links point to
# listen = "127.0.0.1:8080"

# [issuer]
# name = "ACME Training"
# url = "https://acme.example"
# email = "certificates@acme.example"

# [linkedin]
# organization_id = "1337"                  # or organization_name = "ACME Training"

# [refresh]
# maildirs = ["/var/mail/bounces"]
# mboxes = []
# imap = "imaps://bounces%40acme.example@imap.example.org/INBOX"
# imap_password_command = "pass show imap"  # or set CERTSTAT_IMAP_PASSWORD
# settle = "1h"

# [render]
# fonts = ["fonts"]                         # folders of .ttf/.otf files, e.g. the design's own

# [guardrail]
# max_hard_bounces = "5%"                   # a send/remind run stops beyond this, after 50 outcomes

# [l10n]
# default_language = "en"                   # en, de, fr, es, pt, it, nl, pl, ar
# strings = "strings"                       # a folder of <language>.ftl files: your own wording
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses() {
        Config::parse(TEMPLATE).unwrap();
    }

    /// The issuer's image is an `@id` in every credential: absolute or refused at load.
    #[test]
    fn issuer_image_is_an_absolute_uri_or_refused() {
        for (typed, normal) in [
            (
                "https://acme.example/logo.png",
                "https://acme.example/logo.png",
            ),
            (
                "https://ACME.example/my logo.png",
                "https://acme.example/my%20logo.png",
            ),
            ("https://ACME.example", "https://acme.example"),
            ("https://acme.example/", "https://acme.example/"),
            (
                "data:image/png;base64,iVBORw0K",
                "data:image/png;base64,iVBORw0K",
            ),
        ] {
            let config = Config::parse(&format!("[issuer]\nimage = \"{typed}\"\n")).unwrap();
            assert_eq!(config.issuer.image.as_deref(), Some(normal), "{typed}");
            if !typed.starts_with("data:") {
                let config = Config::parse(&format!("[issuer]\nurl = \"{typed}\"\n")).unwrap();
                assert_eq!(config.issuer.url.as_deref(), Some(normal), "url = {typed}");
            }
        }
        for typed in [
            "logo.png",
            "/static/logo.png",
            "file:///home/me/logo.png",
            "logo",
        ] {
            let e = Config::parse(&format!("[issuer]\nimage = \"{typed}\"\n")).unwrap_err();
            let e = format!("{e:#}");
            assert!(
                e.contains("line 2") && e.contains("[issuer] image") && e.contains("https://"),
                "{typed}: {e}"
            );
        }
    }

    /// `[issuer] did` must resolve to the DID document `serve` answers.
    #[test]
    fn issuer_did_is_a_did_web_of_the_base_url_host() {
        let base = "[serve]\nbase_url = \"https://certs.acme.example\"\n";
        for ok in ["did:web:certs.acme.example", "did:web:certs.ACME.example"] {
            Config::parse(&format!("{base}[issuer]\ndid = \"{ok}\"\n")).unwrap();
        }
        Config::parse("[serve]\nbase_url = \"http://localhost:8080\"\n[issuer]\ndid = \"did:web:localhost%3A8080\"\n").unwrap();
        Config::parse("[issuer]\ndid = \"did:web:certs.acme.example\"\n").unwrap();
        for (did, says) in [
            ("certs.acme.example", "not a did:web DID"),
            ("did:key:z6Mkabc", "not a did:web DID"),
            ("did:web:certs.acme.example:issuers:acme", "has a path"),
            ("did:web:other.example", "not the host of [serve] base_url"),
            ("did:web:", "does not name a host"),
        ] {
            let e = Config::parse(&format!("{base}[issuer]\ndid = \"{did}\"\n")).unwrap_err();
            let e = format!("{e:#}");
            assert!(e.contains("[issuer] did") && e.contains(says), "{did}: {e}");
        }
    }

    /// The base URL is the prefix of every credential id, issuer id and verification method:
    /// it is kept in the one form that is a URI (what JSON-LD processors and JWT libraries
    /// read alike), whatever way it was typed, and a form that cannot prefix paths is refused.
    #[test]
    fn base_url_is_one_uri_spelling_and_query_fragment_or_password_are_refused() {
        for (typed, normal) in [
            ("https://certs.acme.example", "https://certs.acme.example"),
            ("https://certs.acme.example/", "https://certs.acme.example"),
            (
                " HTTPS://Certs.ACME.example/ ",
                "https://certs.acme.example",
            ),
            (
                "https://certs.acme.example:443",
                "https://certs.acme.example",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            (
                "https://zertifikate.münchen.de",
                "https://zertifikate.xn--mnchen-3ya.de",
            ),
            (
                "https://acme.example/my certs/",
                "https://acme.example/my%20certs",
            ),
            (
                "https://acme.example/zertifikäte",
                "https://acme.example/zertifik%C3%A4te",
            ),
        ] {
            assert_eq!(base_url_of(typed).as_deref(), Ok(normal), "{typed}");
            assert_eq!(url_arg(typed).as_deref(), Ok(normal), "--base-url {typed}");
            let config = Config::parse(&format!("[serve]\nbase_url = \"{typed}\"\n")).unwrap();
            assert_eq!(config.serve.base_url.as_deref(), Some(normal), "{typed}");
            assert!(normal.is_ascii(), "{normal}");
        }
        for (typed, says) in [
            ("https://acme.example/?x=1", "query or fragment"),
            ("https://acme.example/certs#top", "query or fragment"),
            ("https://user:secret@acme.example", "user name or password"),
            ("acme.example", "scheme and host"),
            ("ftp://acme.example", "not an http(s) URL"),
        ] {
            let e = base_url_of(typed).unwrap_err();
            assert!(e.contains(says), "{typed}: {e}");
            let e = Config::parse(&format!("[serve]\nbase_url = \"{typed}\"\n")).unwrap_err();
            let e = format!("{e:#}");
            assert!(e.contains("line 2") && e.contains(says), "{typed}: {e}");
        }
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Config::parse("[sender]\nfrom = \"a@b.c\"\nfrmo = \"x\"\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.contains("frmo"), "{msg}");
    }

    #[test]
    fn bad_value_is_an_error() {
        let err = Config::parse("[smtp]\nhost = \"h\"\nsecurity = \"ssl\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 3"), "{err:#}");
        let err = Config::parse("[smtp]\nhost = \"h\"\nport = 70000\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 3"), "{err:#}");
        let err = Config::parse("[refresh]\nsettle = \"soon\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("settle"), "{err:#}");
    }

    /// Sender mailboxes that no message could carry are refused at load, with their line and,
    /// for a name with punctuation, the quoted form that works (which itself loads).
    #[test]
    fn sender_mailboxes_are_checked_at_load_with_their_line() {
        for (key, value, line) in [
            (
                "from",
                "Zoë Ærø «Certs», Inc. <certificates@acme.example>",
                2,
            ),
            ("from", "ACME, Training <a@acme.example>", 2),
            ("reply_to", "help desk", 3),
            ("bounce_address", "bounces@", 3),
            ("from", "Ana <ana@example.org", 2),
        ] {
            let pad = if line == 3 { "# a comment\n" } else { "" };
            let text = format!("[sender]\n{pad}{key} = '{value}'\n");
            let msg = format!("{:#}", Config::parse(&text).unwrap_err());
            assert!(
                msg.contains(&format!("line {line}: [sender] {key}")),
                "{msg}"
            );
            if let Some(at) = msg.find(&format!("{key} = '\"")) {
                let fixed = &msg[at..];
                Config::parse(&format!("[sender]\n{fixed}\n"))
                    .unwrap_or_else(|e| panic!("the suggested {fixed} does not load: {e:#}"));
            }
        }
        for good in [
            "certs@acme.example",
            "ACME Training <certs@acme.example>",
            "\"Zoë Ærø «Certs», Inc.\" <certificates@acme.example>",
        ] {
            Config::parse(&format!("[sender]\nfrom = '{good}'\n"))
                .unwrap_or_else(|e| panic!("{good}: {e:#}"));
        }
    }
}
