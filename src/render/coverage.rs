//! Which characters a certificate would show as empty boxes: the check run
//! by `recipients import/add`, `preview`, `send` and `serve` before anyone
//! downloads a document.

use super::{DocContext, missing_glyphs};

/// Characters of `text` that no available font can draw, each once.
pub fn missing_in_text(text: &str) -> Vec<char> {
    missing_glyphs(text)
}

/// Characters that the design `template` would draw for `ctx` (its own
/// wording and the recipient's fields) that no available font can draw, each
/// once. A design that does not render is reported by `render` itself: here
/// the fields alone are checked.
pub fn missing_chars(template: &str, ctx: &DocContext) -> Vec<char> {
    match super::render_svg(template, ctx) {
        Ok(svg) => match super::parse_svg(&svg) {
            Ok(tree) => missing_glyphs(&super::drawn_text(&tree)),
            Err(_) => missing_in_fields(ctx),
        },
        Err(_) => missing_in_fields(ctx),
    }
}

fn missing_in_fields(ctx: &DocContext) -> Vec<char> {
    missing_glyphs(
        &[
            ctx.recipient_name.as_str(),
            &ctx.certificate_name,
            &ctx.issuer,
            &ctx.description,
            &ctx.issue_date,
        ]
        .join("\n"),
    )
}

/// A warning naming the characters, e.g. for `send`:
/// "no available font can draw this character: 𑀓 (U+11013) …".
pub fn describe(chars: &[char]) -> String {
    super::RenderError::MissingGlyphs(chars.to_vec()).to_string()
}

/// For each `(email, name)`, the characters of the name no available font
/// can draw; only the recipients with a gap, in the given order.
pub fn undrawable_names<'a>(
    names: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, Vec<char>)> {
    names
        .into_iter()
        .filter_map(|(email, name)| {
            let missing = missing_glyphs(name);
            (!missing.is_empty()).then(|| (email.to_owned(), missing))
        })
        .collect()
}
