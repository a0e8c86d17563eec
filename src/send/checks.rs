//! What is checked before a run sends anything.

use std::collections::BTreeSet;

use anyhow::{Result, bail};

use crate::mail::compose::Composer;
use crate::model::Recipient;

/// Refuse the run when the templates use fields some of `chosen` do not have: naming the
/// fields, how many recipients lack them and the first few, and how to fix it.
pub fn fields_present(composer: &Composer, chosen: &[Recipient]) -> Result<()> {
    if composer.needed_fields()?.is_empty() {
        return Ok(());
    }
    let mut missing: Vec<(&str, Vec<String>)> = Vec::new();
    for r in chosen {
        let m = composer.missing_fields(r)?;
        if !m.is_empty() {
            missing.push((&r.email, m));
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let fields: BTreeSet<&String> = missing.iter().flat_map(|(_, m)| m).collect();
    let who: Vec<&str> = missing.iter().take(5).map(|(e, _)| *e).collect();
    bail!(
        "the templates use the field(s) {} which {} recipient(s) do not have ({}{}); nothing was \
         sent: add the column (`certstat recipients edit CERT EMAIL --field KEY=VALUE`, or \
         re-import with --update-existing) or change the template (`certstat cert edit`)",
        fields
            .iter()
            .map(|f| format!("'{f}'"))
            .collect::<Vec<_>>()
            .join(", "),
        missing.len(),
        who.join(", "),
        if missing.len() > 5 { ", …" } else { "" }
    )
}

/// The recipients among `chosen` whose names have characters no available font can draw,
/// with those characters.
pub fn undrawable(chosen: &[Recipient]) -> Vec<(String, Vec<char>)> {
    crate::render::coverage::undrawable_names(
        chosen.iter().map(|r| (r.email.as_str(), r.name.as_str())),
    )
}
