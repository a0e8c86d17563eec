//! Localisation: the recipient pages, the default emails (the first email, reminders, expiry
//! notices, the lost-link email) and the certificate's own words in several languages, as [Fluent] messages (`src/l10n/<code>.ftl`, compiled in).
//!
//! **Languages.** [`LANGUAGES`]: the code a certificate stores (`cert add --language`), its
//! name, and whether it is written right to left. A message missing from a language falls back
//! to English; a test checks that none is missing.
//!
//! **Dates** are a day, a month name and a year put together by each language's `date-long`
//! message, from its own `month-1` … `month-12` (Polish uses the genitive, as a date does).
//! A table in the `.ftl` files rather than ICU's data: nine languages need 108 words, not a
//! megabyte of locale data, and an organisation can override them like any other string.
//!
//! **Overrides.** `[l10n] strings = "dir"` in the config names a folder of `<code>.ftl` files;
//! each message there replaces the built-in one of that id (see [`configure`]).
//!
//! **Markup.** [`Catalog::html`] escapes the message's own text for HTML and puts each value in
//! `<bdi>` (a right-to-left name inside left-to-right text keeps its order), unless the value is
//! already markup ([`Arg::Html`]). [`Catalog::text`] is plain text: for email text, subjects and
//! the certificate, where the caller escapes.
//!
//! [Fluent]: https://projectfluent.org

pub mod template;

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, RwLock};

use anyhow::{Context, Result, bail};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::markup::escape_html;

/// A language: its code, its own name, and whether it is written right to left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    pub code: &'static str,
    pub name: &'static str,
    pub rtl: bool,
    source: &'static str,
}

/// The built-in languages; English first (the fallback of every message).
pub const LANGUAGES: &[Language] = &[
    lang("en", "English", false, include_str!("en.ftl")),
    lang("de", "Deutsch", false, include_str!("de.ftl")),
    lang("fr", "Français", false, include_str!("fr.ftl")),
    lang("es", "Español", false, include_str!("es.ftl")),
    lang("pt", "Português", false, include_str!("pt.ftl")),
    lang("it", "Italiano", false, include_str!("it.ftl")),
    lang("nl", "Nederlands", false, include_str!("nl.ftl")),
    lang("pl", "Polski", false, include_str!("pl.ftl")),
    lang("ar", "العربية", true, include_str!("ar.ftl")),
];

const fn lang(code: &'static str, name: &'static str, rtl: bool, source: &'static str) -> Language {
    Language {
        code,
        name,
        rtl,
        source,
    }
}

/// The language of certificates that name none, and of pages no certificate decides.
pub const DEFAULT_LANGUAGE: &str = "en";

/// A value put into a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    /// Already HTML (escaped by whoever made it): inserted as it is by [`Catalog::html`].
    Html(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

/// The language with code `code` (case-insensitive; `pt-BR` is `pt`), or an error that lists
/// the available ones.
pub fn language(code: &str) -> Result<&'static Language> {
    let trimmed = code.trim();
    let id: Option<LanguageIdentifier> = trimmed.parse().ok();
    let primary = id
        .as_ref()
        .map(|id| id.language.as_str().to_owned())
        .unwrap_or_default();
    LANGUAGES
        .iter()
        .find(|l| l.code.eq_ignore_ascii_case(trimmed) || l.code == primary)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "unknown language `{trimmed}`: available are {}",
                available_list()
            )
        })
}

/// "en (English), de (Deutsch), …".
pub fn available_list() -> String {
    LANGUAGES
        .iter()
        .map(|l| format!("{} ({})", l.code, l.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The language stored as `code`, else the default one (a code no longer known reads as it).
pub fn or_default(code: Option<&str>) -> &'static Language {
    code.and_then(|c| language(c).ok())
        .unwrap_or_else(|| default_language())
}

/// The first language of an `Accept-Language` header that certstat has, if any.
pub fn from_accept_language(header: &str) -> Option<&'static Language> {
    let requested = fluent_langneg::accepted_languages::parse(header);
    let available: Vec<LanguageIdentifier> = LANGUAGES
        .iter()
        .filter_map(|l| l.code.parse().ok())
        .collect();
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        None,
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    let first = chosen.first()?;
    LANGUAGES.iter().find(|l| l.code == first.language.as_str())
}

struct Bundles {
    text: FluentBundle<FluentResource>,
    html: FluentBundle<FluentResource>,
}

/// One language's sources (built in, then the organisation's file) and its bundles, built
/// the first time a message of the language is wanted: parsing every language's messages
/// took a few milliseconds of each run that mails in one of them.
struct Lazy {
    language: &'static Language,
    /// (Fluent source, where it comes from); an organisation's file was checked at load.
    sources: Vec<(String, String)>,
    built: std::sync::OnceLock<Bundles>,
}

impl Lazy {
    fn get(&self) -> &Bundles {
        self.built.get_or_init(|| {
            let build = |sources: &[(String, String)]| -> Result<Bundles> {
                let mut html = bundle(self.language, sources)?;
                html.set_transform(Some(html_text));
                Ok(Bundles {
                    text: bundle(self.language, sources)?,
                    html,
                })
            };
            // The sources parsed when the catalog was loaded; the built-in ones alone (tested)
            // should an organisation's file still fail here.
            build(&self.sources)
                .or_else(|_| build(&self.sources[..1]))
                .expect("the built-in messages parse (tested)")
        })
    }
}

/// Every language's messages, with an organisation's overrides.
pub struct Catalog {
    bundles: Vec<Lazy>,
    default: &'static Language,
}

fn html_text(text: &str) -> Cow<'_, str> {
    if text.contains(['&', '<', '>', '"', '\'']) {
        Cow::Owned(escape_html(text))
    } else {
        Cow::Borrowed(text)
    }
}

fn parse(source: String, origin: &str) -> Result<FluentResource> {
    FluentResource::try_new(source).map_err(|(res, errors)| {
        let text = res.source();
        let first = &errors[0];
        let (line, column) = crate::input::line_column(text, first.pos.start);
        anyhow::anyhow!(
            "{origin}, line {line}, column {column}: not a Fluent message ({}): write `message-id = text`, \
             continuation lines indented",
            first.kind
        )
    })
}

fn bundle(
    language: &Language,
    sources: &[(String, String)],
) -> Result<FluentBundle<FluentResource>> {
    let id: LanguageIdentifier = language.code.parse()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Values are isolated with <bdi> in HTML; plain text keeps them as they are.
    bundle.set_use_isolating(false);
    for (source, origin) in sources {
        bundle.add_resource_overriding(parse(source.clone(), origin)?);
    }
    Ok(bundle)
}

/// The message ids of a Fluent source, with their lines (counted in one pass: the entries come
/// in the order of the source).
fn message_ids(resource: &FluentResource) -> Vec<(String, usize)> {
    use fluent_syntax::ast::Entry;
    let source = resource.source();
    let (mut at, mut line) = (0, 1);
    resource
        .entries()
        .filter_map(|e| match e {
            Entry::Message(m) => {
                let offset = m.id.name.as_ptr() as usize - source.as_ptr() as usize;
                line += source[at..offset].matches('\n').count();
                at = offset;
                Some((m.id.name.to_owned(), line))
            }
            _ => None,
        })
        .collect()
}

impl Catalog {
    /// The built-in messages only.
    pub fn builtin() -> Catalog {
        Catalog::load(None, None).expect("the built-in messages parse (tested)")
    }

    /// The built-in messages, overridden by the `<code>.ftl` files of `dir`, with `default` as
    /// the language of certificates that name none.
    pub fn load(dir: Option<&Path>, default: Option<&str>) -> Result<Catalog> {
        let default = match default {
            Some(code) => language(code).context("[l10n] default_language")?,
            None => language(DEFAULT_LANGUAGE)?,
        };
        let known = || -> Result<Vec<String>> {
            let english = parse(LANGUAGES[0].source.to_owned(), "en.ftl")?;
            Ok(message_ids(&english)
                .into_iter()
                .map(|(id, _)| id)
                .collect())
        };
        let known = match dir {
            Some(_) => known()?,
            None => Vec::new(),
        };
        let mut bundles = Vec::new();
        for language in LANGUAGES {
            let mut sources = vec![(language.source.to_owned(), format!("{}.ftl", language.code))];
            if let Some(dir) = dir {
                let path = dir.join(format!("{}.ftl", language.code));
                if path.exists() {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    check_ids(
                        &parse(text.clone(), &path.display().to_string())?,
                        &known,
                        &path,
                    )?;
                    sources.push((text, path.display().to_string()));
                }
            }
            bundles.push(Lazy {
                language,
                sources,
                built: std::sync::OnceLock::new(),
            });
        }
        if let Some(dir) = dir {
            check_file_names(dir)?;
        }
        Ok(Catalog { bundles, default })
    }

    /// The language of certificates that name none.
    pub fn default_language(&self) -> &'static Language {
        self.default
    }

    fn bundles(&self, code: &str) -> &Bundles {
        self.bundles
            .iter()
            .find(|b| b.language.code == code)
            .unwrap_or(&self.bundles[0])
            .get()
    }

    /// Message `id` in `lang` as plain text (English when `lang` lacks it; the id itself, in
    /// brackets, when no language has it).
    pub fn text(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> String {
        self.format(lang, id, args, false)
    }

    /// Message `id` in `lang` as HTML: its text escaped, each value in `<bdi>` (see the module
    /// docs).
    pub fn html(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> String {
        self.format(lang, id, args, true)
    }

    /// Whether any language has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundles[0].get().text.has_message(id)
    }

    fn format(&self, lang: &str, id: &str, args: &[(&str, Arg)], html: bool) -> String {
        let own = self.bundles(lang);
        let found = [own, self.bundles[0].get()].into_iter().find_map(|b| {
            let bundle = if html { &b.html } else { &b.text };
            Some((bundle, bundle.get_message(id)?.value()?))
        });
        let Some((bundle, pattern)) = found else {
            return format!("[{id}]");
        };
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(s) if html => FluentValue::from(format!("<bdi>{}</bdi>", escape_html(s))),
                Arg::Text(s) | Arg::Html(s) => FluentValue::from(s.clone()),
            };
            fluent.set(*name, value);
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent), &mut errors)
            .into_owned()
    }

    /// A date in `lang`: "6 November 2026", "6. November 2026", "6 listopada 2026", …
    pub fn date(&self, lang: &str, t: chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Datelike;
        let month = self.text(lang, &format!("month-{}", t.month()), &[]);
        self.text(
            lang,
            "date-long",
            &[
                ("day", Arg::Text(t.day().to_string())),
                ("month", Arg::Text(month)),
                ("year", Arg::Text(t.year().to_string())),
            ],
        )
    }

    /// A time and date in `lang`: "15:30 UTC, 6 November 2026".
    pub fn time_and_date(&self, lang: &str, t: chrono::DateTime<chrono::Utc>) -> String {
        self.text(
            lang,
            "time-and-date",
            &[
                ("time", Arg::Text(t.format("%H:%M").to_string())),
                ("date", Arg::Text(self.date(lang, t))),
            ],
        )
    }
}

/// An override file's messages must be ones certstat has (a misspelt id would never show).
fn check_ids(resource: &FluentResource, known: &[String], path: &Path) -> Result<()> {
    for (id, line) in message_ids(resource) {
        if !known.contains(&id) {
            bail!(
                "{}, line {line}: no message `{id}` to override (the ids are those of certstat's \
                 en.ftl, listed in the README's \"Languages\" section)",
                path.display()
            );
        }
    }
    Ok(())
}

/// Every `.ftl` file of an override folder must be named for a language certstat has.
fn check_file_names(dir: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if !LANGUAGES.iter().any(|l| l.code == stem) {
            bail!(
                "{}: not a language certstat has (name the file <code>.ftl; available are {})",
                path.display(),
                available_list()
            );
        }
    }
    Ok(())
}

/// The catalog in use, or what [`configure`] asked for until a command first needs it.
enum Slot {
    /// Built from the built-in messages on first use, with this default language.
    Lazy(Option<String>),
    Ready(Arc<Catalog>),
}

static CATALOG: RwLock<Slot> = RwLock::new(Slot::Lazy(None));

/// Use the overrides of `dir` and the default language `default` from now on (the config's
/// `[l10n]`); the commands call it once, after reading the config. Overrides are read and
/// checked here, so that a mistake in them stops any command at start; without them the
/// bundles are built only when a command first needs a message (most commands never do).
pub fn configure(dir: Option<&Path>, default: Option<&str>) -> Result<()> {
    let slot = match dir {
        Some(_) => Slot::Ready(Arc::new(Catalog::load(dir, default)?)),
        None => {
            if let Some(code) = default {
                language(code).context("[l10n] default_language")?;
            }
            Slot::Lazy(default.map(str::to_owned))
        }
    };
    *CATALOG.write().unwrap_or_else(|e| e.into_inner()) = slot;
    Ok(())
}

/// The catalog in use: the built-in one until [`configure`] is called.
pub fn catalog() -> Arc<Catalog> {
    if let Slot::Ready(c) = &*CATALOG.read().unwrap_or_else(|e| e.into_inner()) {
        return Arc::clone(c);
    }
    let mut slot = CATALOG.write().unwrap_or_else(|e| e.into_inner());
    let catalog = match &*slot {
        Slot::Ready(c) => return Arc::clone(c),
        // Only the built-in messages and a checked language code: it cannot fail (tested).
        Slot::Lazy(default) => {
            Arc::new(Catalog::load(None, default.as_deref()).unwrap_or_else(|_| Catalog::builtin()))
        }
    };
    *slot = Slot::Ready(Arc::clone(&catalog));
    catalog
}

/// The default language of the catalog in use.
pub fn default_language() -> &'static Language {
    catalog().default_language()
}

#[cfg(test)]
mod tests;
