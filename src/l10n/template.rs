//! The messages in MiniJinja templates: `t("message-id", name=value, …)` in the language of
//! the template's `language` variable (the default language when it has none).
//!
//! In HTML (`body.html`, the pages) `t` gives markup: the message's text escaped, its values in
//! `<bdi>` (a value that is already markup, such as a `{% set %}` block, as it is); `tt` gives
//! the same message as plain text, for attributes and `<title>`, escaped like any value. In
//! plain text and in certificate designs both give plain text.

use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State};

use super::{Arg, catalog};

/// What `t` gives in an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// HTML wherever the template escapes for HTML (pages, `body.html`).
    Html,
    /// Plain text always (certificate designs: SVG text, escaped by the design's formatter).
    Text,
}

/// Adds `t`, `tt` and `language_dir` to `env`.
pub fn register(env: &mut Environment<'static>, markup: Markup) {
    env.add_function(
        "t",
        move |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, Error> {
            let html = markup == Markup::Html && state.auto_escape() == AutoEscape::Html;
            translate(state, id, kwargs, html)
        },
    );
    env.add_function(
        "tt",
        |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, Error> {
            translate(state, id, kwargs, false)
        },
    );
}

/// The code of the template's `language`, or the default language's.
pub fn language_of(state: &State) -> &'static super::Language {
    let code = state.lookup("language");
    super::or_default(code.as_ref().and_then(|v| v.as_str()))
}

fn translate(state: &State, id: &str, kwargs: Kwargs, html: bool) -> Result<Value, Error> {
    let catalog = catalog();
    if !catalog.has(id) {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("t(\"{id}\"): no such message (the ids are those of certstat's en.ftl)"),
        ));
    }
    let mut args: Vec<(String, Arg)> = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let arg = if value.kind() == ValueKind::Number {
            Arg::Number(f64::try_from(value.clone()).unwrap_or_default())
        } else if value.is_undefined() || value.is_none() {
            Arg::Text(String::new())
        } else if value.is_safe() {
            Arg::Html(value.to_string())
        } else {
            Arg::Text(value.to_string())
        };
        args.push((name.to_owned(), arg));
    }
    let args: Vec<(&str, Arg)> = args.iter().map(|(n, a)| (n.as_str(), a.clone())).collect();
    let lang = language_of(state).code;
    if html {
        Ok(Value::from_safe_string(catalog.html(lang, id, &args)))
    } else {
        Ok(Value::from(catalog.text(lang, id, &args)))
    }
}
