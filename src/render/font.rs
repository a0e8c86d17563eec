//! The bundled font (Noto Serif, regular and bold; see `fonts/OFL.txt`).
//!
//! Only these faces are given to usvg, so a document renders the same on a
//! machine without any installed fonts. The small TrueType reader below
//! answers the two questions the renderer needs besides drawing: which
//! characters the font has (`cmap`) and how wide a line of text is (`hmtx`).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

/// Family name of the bundled font; designs should use it in `font-family`.
pub const FONT_FAMILY: &str = "Noto Serif";

static REGULAR: &[u8] = include_bytes!("fonts/NotoSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("fonts/NotoSerif-Bold.ttf");

/// Metrics of one face: character to glyph, glyph to advance width.
pub(crate) struct Face {
    glyphs: HashMap<char, u16>,
    advances: Vec<u16>,
    units_per_em: f64,
}

impl Face {
    fn parse(data: &[u8]) -> Option<Self> {
        let head = table(data, b"head")?;
        let units_per_em = f64::from(be16(head, 18)?);
        let hhea = table(data, b"hhea")?;
        let metrics = usize::from(be16(hhea, 34)?);
        let hmtx = table(data, b"hmtx")?;
        let advances = (0..metrics)
            .map(|i| be16(hmtx, i * 4))
            .collect::<Option<Vec<_>>>()?;
        let glyphs = parse_cmap(table(data, b"cmap")?)?;
        if units_per_em <= 0.0 || advances.is_empty() {
            return None;
        }
        Some(Self {
            glyphs,
            advances,
            units_per_em,
        })
    }

    pub(crate) fn has_char(&self, c: char) -> bool {
        self.glyphs.get(&c).is_some_and(|&g| g != 0)
    }

    /// Advance width of `text` at font size 1, without kerning. Characters
    /// the font lacks count as the `.notdef` box they would be drawn as.
    pub(crate) fn width(&self, text: &str) -> f64 {
        let units: u64 = text
            .chars()
            .filter(|c| !c.is_control())
            .map(|c| {
                let glyph = usize::from(self.glyphs.get(&c).copied().unwrap_or(0));
                // Glyphs past the last long metric share its advance.
                let advance = self
                    .advances
                    .get(glyph)
                    .or(self.advances.last())
                    .copied()
                    .unwrap_or(0);
                u64::from(advance)
            })
            .sum();
        units as f64 / self.units_per_em
    }
}

pub(crate) fn regular() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::parse(REGULAR).expect("bundled regular font parses"))
}

pub(crate) fn bold() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::parse(BOLD).expect("bundled bold font parses"))
}

pub(crate) fn face(bold_weight: bool) -> &'static Face {
    if bold_weight { bold() } else { regular() }
}

/// The font database usvg renders with: the bundled faces and nothing else,
/// with every generic family (serif, sans-serif, …) mapped to them.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_serif_family(FONT_FAMILY);
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Characters of `text` that the bundled font cannot show (in either
/// weight), each once, in order of first appearance. Control characters
/// (tabs, newlines) are ignored: they are never drawn.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing = Vec::new();
    for c in text.chars() {
        if c.is_control() || missing.contains(&c) {
            continue;
        }
        if !regular().has_char(c) || !bold().has_char(c) {
            missing.push(c);
        }
    }
    missing
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// One table of a TrueType/OpenType file, by tag.
fn table<'a>(data: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(be16(data, 4)?);
    (0..count).find_map(|i| {
        let record = 12 + i * 16;
        if data.get(record..record + 4)? != tag {
            return None;
        }
        let offset = usize::try_from(be32(data, record + 8)?).ok()?;
        let length = usize::try_from(be32(data, record + 12)?).ok()?;
        data.get(offset..offset.checked_add(length)?)
    })
}

/// Reads the Unicode subtables of `cmap` (formats 4 and 12) into a map.
fn parse_cmap(cmap: &[u8]) -> Option<HashMap<char, u16>> {
    let count = usize::from(be16(cmap, 2)?);
    let mut glyphs = HashMap::new();
    let mut found = false;
    for i in 0..count {
        let record = 4 + i * 8;
        let platform = be16(cmap, record)?;
        let encoding = be16(cmap, record + 2)?;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if !unicode {
            continue;
        }
        let offset = usize::try_from(be32(cmap, record + 4)?).ok()?;
        let sub = cmap.get(offset..)?;
        match be16(sub, 0)? {
            4 => read_format4(sub, &mut glyphs)?,
            12 => read_format12(sub, &mut glyphs)?,
            _ => continue,
        }
        found = true;
    }
    found.then_some(glyphs)
}

fn read_format4(sub: &[u8], glyphs: &mut HashMap<char, u16>) -> Option<()> {
    let segments = usize::from(be16(sub, 6)?) / 2;
    let ends = 14;
    let starts = ends + segments * 2 + 2;
    let deltas = starts + segments * 2;
    let range_offsets = deltas + segments * 2;
    for s in 0..segments {
        let end = be16(sub, ends + s * 2)?;
        let start = be16(sub, starts + s * 2)?;
        let delta = be16(sub, deltas + s * 2)?;
        let range_offset = usize::from(be16(sub, range_offsets + s * 2)?);
        if start == 0xFFFF {
            continue;
        }
        for code in start..=end {
            let glyph = if range_offset == 0 {
                code.wrapping_add(delta)
            } else {
                let at = range_offsets + s * 2 + range_offset + usize::from(code - start) * 2;
                match be16(sub, at)? {
                    0 => 0,
                    g => g.wrapping_add(delta),
                }
            };
            if let Some(c) = char::from_u32(u32::from(code)) {
                glyphs.entry(c).or_insert(glyph);
            }
        }
    }
    Some(())
}

fn read_format12(sub: &[u8], glyphs: &mut HashMap<char, u16>) -> Option<()> {
    let groups = usize::try_from(be32(sub, 12)?).ok()?;
    for g in 0..groups {
        let at = 16 + g * 12;
        let (start, end, first) = (be32(sub, at)?, be32(sub, at + 4)?, be32(sub, at + 8)?);
        if end < start || end - start > 0x10000 {
            return None;
        }
        for code in start..=end {
            let glyph = u16::try_from(first + (code - start)).ok()?;
            if let Some(c) = char::from_u32(code) {
                glyphs.entry(c).or_insert(glyph);
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_latin_greek_cyrillic() {
        assert!(missing_glyphs("Zoë Ångström-Núñez Анна Каренина Σωκράτης — №").is_empty());
    }

    #[test]
    fn cjk_is_missing_once_each() {
        assert_eq!(
            missing_glyphs("山田 太郎 山田"),
            vec!['山', '田', '太', '郎']
        );
    }

    #[test]
    fn widths_grow_with_text_and_weight() {
        let short = regular().width("Ana");
        let long = regular().width("Ana Maria");
        assert!(short > 0.5 && long > short, "{short} {long}");
        assert!(bold().width("Ana Maria") > long);
    }

    #[test]
    fn database_has_only_the_bundled_faces() {
        let db = database();
        assert_eq!(db.faces().count(), 2);
    }
}
