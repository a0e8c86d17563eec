//! A workaround for usvg 0.47's advance of multi-glyph clusters.
//!
//! rustybuzz puts a syllable whose glyphs all take room in one cluster (Devanagari र + ा,
//! Bengali and Tamil consonants with their vowel signs, …). usvg 0.47's layout
//! (`form_glyph_clusters`) places the glyphs inside such a cluster right, but advances the
//! cluster by its *widest* glyph instead of the sum of its glyphs' advances, so the next
//! cluster is drawn over the end of this one (the vowel sign of राहुल disappears under ह).
//! usvg 0.49 sums the advances; this module can go when PNG (resvg) and PDF (krilla-svg)
//! move to it.
//!
//! Until then, [`parse`] reads a drawing twice when it has to: the first tree tells, for each
//! left-to-right `<text>`, which glyphs of which face usvg made of each cluster; the glyphs'
//! advances (shaped again with the same rustybuzz and face) give each cluster's deficit (sum
//! minus widest); the second reading has a `dx` list on that `<text>` that moves every
//! following cluster of a chunk by the deficits before it, and the chunk's start back by the
//! share of the total that its `text-anchor` (middle, end) centred or aligned with the short
//! length. Texts that already have `dx`, run right to left, are vertical or follow a path are
//! left as usvg draws them. The SVG document itself (what `render --format svg` writes, for
//! browsers, which lay out right) is not changed.

use std::collections::HashMap;
use std::fmt::Write;

use resvg::usvg::{self, fontdb};

/// Prefix of the ids given to `<text>` elements that have none, to find them in the tree.
const ID_PREFIX: &str = "certstat-text-";

/// The tree of `svg`, with cluster advances corrected (see the module documentation).
pub(super) fn parse(svg: &str, options: &usvg::Options<'_>) -> Result<usvg::Tree, String> {
    let Some((marked, texts)) = mark_texts(svg) else {
        return usvg::Tree::from_str(svg, options).map_err(|e| e.to_string());
    };
    let tree = usvg::Tree::from_str(&marked, options).map_err(|e| e.to_string())?;
    let mut shifts: HashMap<String, String> = HashMap::new();
    collect_shifts(tree.root(), &options.fontdb, &mut shifts);
    if shifts.is_empty() {
        return Ok(tree);
    }
    let mut out = String::with_capacity(marked.len() + 64 * shifts.len());
    let mut from = 0;
    for text in &texts {
        if let Some(dx) = shifts.get(&text.id) {
            out.push_str(&marked[from..text.attr_at]);
            let _ = write!(out, " dx=\"{dx}\"");
            from = text.attr_at;
        }
    }
    out.push_str(&marked[from..]);
    usvg::Tree::from_str(&out, options).map_err(|e| e.to_string())
}

/// A `<text>` that may get a `dx` list: its id and where in the marked SVG attributes go.
struct Marked {
    id: String,
    attr_at: usize,
}

/// `svg` with an id on every `<text>` that can be corrected, and those texts in document
/// order; `None` when there is none (or the SVG does not parse: usvg reports that).
fn mark_texts(svg: &str) -> Option<(String, Vec<Marked>)> {
    let doc = roxmltree::Document::parse_with_options(
        svg,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .ok()?;
    let mut out = String::with_capacity(svg.len() + 256);
    let mut texts = Vec::new();
    let mut from = 0;
    for node in doc.descendants().filter(|n| correctable(n)) {
        let start = node.range().start;
        // After `<text` (or `<svg:text`): where an attribute can be inserted.
        let name_end = start
            + svg[start..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .unwrap_or(svg.len() - start);
        out.push_str(&svg[from..name_end]);
        from = name_end;
        let id = match node.attribute("id") {
            Some(id) => id.to_owned(),
            None => {
                let id = format!("{ID_PREFIX}{}", texts.len());
                let _ = write!(out, " id=\"{id}\"");
                id
            }
        };
        texts.push(Marked {
            id,
            attr_at: out.len(),
        });
    }
    out.push_str(&svg[from..]);
    (!texts.is_empty()).then_some((out, texts))
}

/// An SVG `<text>` without `dx` of its own or in its tspans, not on a path, not vertical, not
/// right to left (by `direction` on it or an ancestor).
fn correctable(node: &roxmltree::Node<'_, '_>) -> bool {
    if !node.is_element() || node.tag_name().name() != "text" {
        return false;
    }
    let styled = |n: &roxmltree::Node<'_, '_>, property: &str| {
        n.attribute(property).is_some()
            || n.attribute("style").is_some_and(|s| s.contains(property))
    };
    let inner_ok = node.descendants().all(|n| {
        !n.is_element()
            || (n.attribute("dx").is_none()
                && n.tag_name().name() != "textPath"
                && !styled(&n, "direction")
                && !styled(&n, "writing-mode"))
    });
    inner_ok
        && node
            .ancestors()
            .all(|n| !n.is_element() || !(styled(&n, "direction") || styled(&n, "writing-mode")))
}

fn collect_shifts(group: &usvg::Group, db: &fontdb::Database, out: &mut HashMap<String, String>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect_shifts(g, db, out),
            usvg::Node::Text(text) if !text.id().is_empty() && !out.contains_key(text.id()) => {
                if let Some(dx) = shifts(text, db) {
                    out.insert(text.id().to_owned(), dx);
                }
            }
            _ => {}
        }
    }
}

/// One cluster as usvg laid it out: where its text starts (in characters of the whole
/// `<text>`) and how much shorter usvg made its advance.
struct Cluster {
    start: usize,
    deficit: f32,
}

/// The `dx` list that corrects `text`, or `None` when nothing needs it (or the tree does not
/// look like a left-to-right layout this module understands).
fn shifts(text: &usvg::Text, db: &fontdb::Database) -> Option<String> {
    if text.writing_mode() != usvg::WritingMode::LeftToRight {
        return None;
    }
    let whole: String = text.chunks().iter().map(|c| c.text()).collect();
    if whole.chars().any(is_rtl) {
        return None;
    }
    let clusters = clusters(text, &whole, db)?;
    if clusters.iter().all(|c| c.deficit == 0.0) {
        return None;
    }
    let mut dx = vec![0.0_f32; whole.chars().count()];
    let mut chunk_start = 0;
    for chunk in text.chunks() {
        let chunk_end = chunk_start + chunk.text().chars().count();
        let inside: Vec<&Cluster> = clusters
            .iter()
            .filter(|c| (chunk_start..chunk_end).contains(&c.start))
            .collect();
        let total: f32 = inside.iter().map(|c| c.deficit).sum();
        let share = match chunk.anchor() {
            usvg::TextAnchor::Start => 0.0,
            usvg::TextAnchor::Middle => 0.5,
            usvg::TextAnchor::End => 1.0,
        };
        if let Some(first) = inside.first() {
            dx[first.start] -= total * share;
        }
        for pair in inside.windows(2) {
            dx[pair[1].start] += pair[0].deficit;
        }
        chunk_start = chunk_end;
    }
    let mut list = String::new();
    for (i, d) in dx.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(list, "{sep}{}", (d * 1000.0).round() / 1000.0);
    }
    Some(list)
}

/// Strong right-to-left characters (Hebrew, Arabic, Syriac, Thaana, N'Ko, … and their
/// presentation forms): such texts are reordered by bidi, and left alone.
fn is_rtl(c: char) -> bool {
    matches!(u32::from(c),
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF
        | 0x1E800..=0x1EFFF)
}

/// The clusters of `text` in logical order. usvg gives each glyph the text from its cluster
/// to the next glyph's: every glyph of a cluster but the last has "" and the last has the
/// cluster's text. `None` when the glyphs' texts are not the whole text in order.
fn clusters(text: &usvg::Text, whole: &str, db: &fontdb::Database) -> Option<Vec<Cluster>> {
    let mut clusters = Vec::new();
    let mut seen = String::with_capacity(whole.len());
    let mut start = 0;
    let mut pending: Vec<u16> = Vec::new();
    for span in text.layouted() {
        let size = span.font_size.get();
        for glyph in &span.positioned_glyphs {
            pending.push(glyph.id.0);
            if glyph.text.is_empty() {
                continue;
            }
            let deficit = if pending.len() > 1 {
                deficit(db, glyph.font, &glyph.text, &pending)? * size
            } else {
                0.0
            };
            clusters.push(Cluster { start, deficit });
            start += glyph.text.chars().count();
            seen.push_str(&glyph.text);
            pending.clear();
        }
    }
    (seen == whole && pending.is_empty()).then_some(clusters)
}

/// Sum minus widest of the advances of `glyphs` (one cluster of `cluster_text` in `face`), at
/// font size 1: shaped with rustybuzz as usvg does when it finds the same glyphs, else the
/// glyphs' own advances.
fn deficit(
    db: &fontdb::Database,
    face: fontdb::ID,
    cluster_text: &str,
    glyphs: &[u16],
) -> Option<f32> {
    db.with_face_data(face, |data, index| {
        let face = rustybuzz::Face::from_slice(data, index)?;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(cluster_text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&face, &[], buffer);
        let ids: Vec<u16> = shaped
            .glyph_infos()
            .iter()
            .map(|g| g.glyph_id as u16)
            .collect();
        let advances: Vec<f32> = if ids == glyphs {
            shaped
                .glyph_positions()
                .iter()
                .map(|p| p.x_advance as f32)
                .collect()
        } else {
            glyphs
                .iter()
                .map(|&g| f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0)))
                .collect()
        };
        let sum: f32 = advances.iter().sum();
        let widest = advances.iter().copied().fold(0.0_f32, f32::max);
        Some((sum - widest) / face.units_per_em().max(1) as f32)
    })
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_texts_without_ids_and_skips_the_others() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><text>a</text><text id="t">b</text><text dx="1">c</text><text direction="rtl">d</text><g style="writing-mode: tb"><text>e</text></g></svg>"#;
        let (marked, texts) = mark_texts(svg).unwrap();
        let ids: Vec<&str> = texts.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["certstat-text-0", "t"]);
        assert!(
            marked.contains(r#"<text id="certstat-text-0">a</text>"#),
            "{marked}"
        );
        assert_eq!(&marked[texts[1].attr_at - 5..texts[1].attr_at], "<text");
    }

    #[test]
    fn nothing_to_mark_without_text() {
        assert!(mark_texts(r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#).is_none());
        assert!(mark_texts("not svg").is_none());
    }
}
