//! Fonts: the bundled Noto Serif (regular and bold; see `fonts/OFL.txt`),
//! the system's fonts and the folders named in `[render] fonts`, all in one
//! [`fontdb`] database that usvg renders with and falls back through,
//! character by character.
//!
//! Noto Serif is bundled so that Latin (with Vietnamese), Greek and Cyrillic
//! look the same on every machine; scripts with large fonts (Han, Hangul,
//! Arabic, Indic scripts, emoji, …) come from the system (on Debian:
//! `fonts-noto-core`, `fonts-noto-cjk`, `fonts-noto-color-emoji`) or from
//! an organisation's own folder, which keeps the binary small.
//!
//! Font files are read with `ttf-parser` (through fontdb): which faces have
//! a character, and how wide a line of text is, for fitting text in a design.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::usvg::fontdb;

/// Family name of the bundled font; designs should use it in `font-family`.
pub const FONT_FAMILY: &str = "Noto Serif";

static REGULAR: &[u8] = include_bytes!("fonts/NotoSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("fonts/NotoSerif-Bold.ttf");

/// Set to a non-empty value, certstat uses only the bundled font and the
/// `[render] fonts` folders, not the system's fonts (for reproducible
/// documents on a machine whose fonts change).
pub const NO_SYSTEM_FONTS_ENV: &str = "CERTSTAT_NO_SYSTEM_FONTS";

static EXTRA_DIRS: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Adds an organisation's font folders (`[render] fonts`) to the database.
/// Must be called before the first document is rendered; later calls are
/// ignored (and return false).
pub fn set_font_dirs(dirs: Vec<PathBuf>) -> bool {
    EXTRA_DIRS.set(dirs).is_ok()
}

/// The font database usvg renders with: the bundled faces first (so they win
/// for the characters they have), then the `[render] fonts` folders, then the
/// system's fonts. Every generic family (serif, sans-serif, …) maps to the
/// bundled font.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        for dir in EXTRA_DIRS.get().into_iter().flatten() {
            db.load_fonts_dir(dir);
        }
        if std::env::var_os(NO_SYSTEM_FONTS_ENV).is_none_or(|v| v.is_empty()) {
            db.load_system_fonts();
        }
        db.set_serif_family(FONT_FAMILY);
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Characters that are never drawn as a glyph of their own: controls,
/// joiners, bidi marks, variation selectors.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(u32::from(c),
            0x00AD | 0x034F | 0x061C | 0x180E | 0x200B..=0x200F | 0x2028..=0x202E
            | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE0FFF)
}

/// How one character is drawn: by which face, with what advance (at font
/// size 1), for a regular and a bold weight.
#[derive(Clone, Copy)]
struct Glyph {
    found: bool,
    advance: f64,
    face: Option<fontdb::ID>,
}

fn lookup(c: char, bold: bool) -> Glyph {
    static CACHE: OnceLock<Mutex<HashMap<(char, bool), Glyph>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(g) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(c, bold))
    {
        return *g;
    }
    let glyph = find(c, bold);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert((c, bold), glyph);
    glyph
}

fn advance_in(face: &ttf_parser::Face<'_>, c: char) -> Option<f64> {
    let id = face.glyph_index(c).filter(|id| id.0 != 0)?;
    let upem = f64::from(face.units_per_em());
    let advance = f64::from(face.glyph_hor_advance(id).unwrap_or(0));
    Some(if upem > 0.0 { advance / upem } else { 0.0 })
}

/// The first face (bundled first) of the wanted weight that has `c`, else
/// the first of any weight, as usvg's fallback would choose.
fn find(c: char, bold: bool) -> Glyph {
    let db = database();
    let mut any: Option<(f64, fontdb::ID)> = None;
    for info in db.faces() {
        let heavy = info.weight.0 >= 600;
        if heavy != bold && any.is_some() {
            continue;
        }
        let advance = db
            .with_face_data(info.id, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .ok()
                    .and_then(|face| advance_in(&face, c))
            })
            .flatten();
        if let Some(advance) = advance {
            if heavy == bold {
                return Glyph {
                    found: true,
                    advance,
                    face: Some(info.id),
                };
            }
            any.get_or_insert((advance, info.id));
        }
    }
    match any {
        Some((advance, id)) => Glyph {
            found: true,
            advance,
            face: Some(id),
        },
        // Drawn as the bundled font's `.notdef` box.
        None => Glyph {
            found: false,
            advance: 0.6,
            face: None,
        },
    }
}

/// Advance width of `text` at font size 1, without kerning or shaping, each
/// character from the face it would be drawn with.
pub(crate) fn width(text: &str, bold: bool) -> f64 {
    text.chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| lookup(c, bold).advance)
        .sum()
}

/// A `font-family` list for `text`: the family of each face that draws its
/// letters (in order of first use), then `base`. A run of one script is then
/// shaped whole with its own font (Devanagari vowel signs stay with their
/// consonant) instead of glyph by glyph through fallback.
pub(crate) fn families_for(text: &str, base: &str, bold: bool) -> String {
    let db = database();
    let mut families: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        if is_invisible(c) || c.is_whitespace() || c.is_ascii() {
            continue;
        }
        let Some(id) = lookup(c, bold).face else {
            continue;
        };
        let Some(family) = db
            .face(id)
            .and_then(|f| f.families.first())
            .map(|f| f.0.clone())
        else {
            continue;
        };
        if family != FONT_FAMILY && !families.iter().any(|(f, _)| *f == family) {
            families.push((family, is_colour(id)));
        }
    }
    let quoted = |f: &String| format!("'{}'", f.replace('\'', ""));
    // Colour (emoji) faces after `base`: their spaces and punctuation are as wide as an emoji,
    // so the text between the emoji is drawn with `base`, and the emoji through fallback.
    let mut list: Vec<String> = families
        .iter()
        .filter(|(_, colour)| !colour)
        .map(|(f, _)| quoted(f))
        .collect();
    list.push(base.to_owned());
    list.extend(
        families
            .iter()
            .filter(|(_, colour)| *colour)
            .map(|(f, _)| quoted(f)),
    );
    list.join(", ")
}

/// Whether a face draws colour glyphs (bitmaps, layers or SVG: emoji fonts).
pub(crate) fn is_colour(id: fontdb::ID) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<fontdb::ID, bool>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(&colour) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
        return colour;
    }
    let colour = database()
        .with_face_data(id, |data, index| {
            ttf_parser::Face::parse(data, index).is_ok_and(|face| {
                let t = face.tables();
                t.cbdt.is_some() || t.sbix.is_some() || t.colr.is_some() || t.svg.is_some()
            })
        })
        .unwrap_or(false);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, colour);
    colour
}

/// Whether a bundled face (regular or bold) has a glyph for `c`.
fn bundled_has(c: char) -> bool {
    static FACES: OnceLock<Vec<ttf_parser::Face<'static>>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            [REGULAR, BOLD]
                .into_iter()
                .filter_map(|data| ttf_parser::Face::parse(data, 0).ok())
                .collect()
        })
        .iter()
        .any(|face| face.glyph_index(c).is_some_and(|id| id.0 != 0))
}

/// Characters of `text` that no available font (bundled, `[render] fonts`,
/// system) can show, each once, in order of first appearance. Controls,
/// joiners and variation selectors are ignored: they are never drawn.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing = Vec::new();
    for line in text.lines() {
        let sequences = has_emoji_sequence(line);
        for c in line.chars() {
            if is_invisible(c) || c.is_whitespace() || missing.contains(&c) {
                continue;
            }
            // The bundled faces come first in the database: a character they draw is found
            // without reading the system's fonts (hundreds of files, before every send).
            if bundled_has(c) {
                continue;
            }
            let glyph = lookup(c, false);
            let drawn = match glyph.face {
                // See `has_emoji_sequence`.
                Some(id) if sequences => !is_colour(id),
                _ => glyph.found,
            };
            if !drawn {
                missing.push(c);
            }
        }
    }
    missing
}

/// Whether a line holds an emoji sequence that a colour emoji font draws as one picture: a
/// skin tone, a flag (two regional indicators), a zero-width-joiner sequence (👩‍💻), a tag
/// sequence (subdivision flags) or a keycap. Its font's shaping then gives fewer glyphs than
/// the line has characters, and the renderer's font fallback, which takes a fallback font's
/// glyphs only position for position, gives up: every colour emoji of the line is drawn as an
/// empty box. They are reported so, rather than promised.
fn has_emoji_sequence(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
        matches!(c, '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}' | '\u{20E3}')
            || (regional(c) && chars.get(i + 1).is_some_and(|&n| regional(n)))
            || (c == '\u{200D}'
                && i > 0
                && chars.get(i + 1).is_some_and(|&n| !n.is_whitespace())
                && !chars[i - 1].is_whitespace()
                && !chars[i - 1].is_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_latin_greek_cyrillic() {
        assert!(missing_glyphs("Zoë Ångström-Núñez Nguyễn Анна Каренина Σωκράτης — №").is_empty());
    }

    #[test]
    fn unassigned_characters_are_missing_once_each() {
        // Private-use and unassigned code points: no font here draws them.
        assert_eq!(
            missing_glyphs("a\u{10FFFD}b\u{E0080}\u{10FFFD}\u{2FFFD}"),
            vec!['\u{10FFFD}', '\u{2FFFD}']
        );
    }

    #[test]
    fn the_bundled_shortcut_agrees_with_the_whole_database() {
        // Every character the bundled faces answer for alone is also found by the full
        // lookup, and the full lookup finds nothing missing that the shortcut would skip.
        for c in ('\u{20}'..='\u{52F}').chain('\u{1E00}'..='\u{20CF}') {
            if bundled_has(c) {
                assert!(lookup(c, false).found, "{c:?} (U+{:04X})", u32::from(c));
            }
        }
        assert!(bundled_has('a') && bundled_has('Ж') && bundled_has('ễ'));
        assert!(!bundled_has('\u{10FFFD}') && !bundled_has('漢'));
    }

    #[test]
    fn joiners_and_selectors_are_not_missing() {
        assert!(missing_glyphs("a\u{200D}b\u{FE0F}\u{200F}\t\n").is_empty());
    }

    #[test]
    fn widths_grow_with_text_and_weight() {
        let short = width("Ana", false);
        let long = width("Ana Maria", false);
        assert!(short > 0.5 && long > short, "{short} {long}");
        assert!(width("Ana Maria", true) > long);
    }

    #[test]
    fn bundled_faces_come_first() {
        let db = database();
        let first: Vec<_> = db
            .faces()
            .take(2)
            .map(|f| f.families[0].0.clone())
            .collect();
        assert_eq!(first, vec![FONT_FAMILY, FONT_FAMILY]);
    }
}
