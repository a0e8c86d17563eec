//! The PDF's text layer: every text of the drawing written again, invisibly, over its
//! outlines, one cluster at a time.
//!
//! krilla-svg draws a text glyph by glyph, each with the text usvg gave it: a cluster's text
//! on its last glyph, nothing on the others. A reader (pdftotext, copy and paste) then finds
//! a syllable's text where its last glyph is (a Devanagari reph sits at the end of its
//! syllable), far from the glyph before, and breaks the word there. Here each cluster is
//! one run of its glyphs with the cluster's text, which krilla writes as one `/ActualText`
//! span over all of them when the glyphs' own mappings do not tell it: the text reads back
//! as it was written. The visible drawing is krilla-svg's, with text as outlines.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use krilla::Data;
use krilla::geom::{Point, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use resvg::usvg::{self, fontdb};

/// Writes the text of every visible text of `group` (and below) invisibly on `surface`,
/// whose coordinates are the design's scaled by `scale`.
pub(super) fn draw(
    surface: &mut Surface<'_>,
    group: &usvg::Group,
    db: &fontdb::Database,
    scale: f32,
) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => draw(surface, g, db, scale),
            usvg::Node::Text(text) => draw_text(surface, text, db, scale),
            usvg::Node::Path(_) | usvg::Node::Image(_) => {}
        }
    }
}

fn draw_text(surface: &mut Surface<'_>, text: &usvg::Text, db: &fontdb::Database, scale: f32) {
    let base = usvg::Transform::from_scale(scale, scale).pre_concat(text.abs_transform());
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: krilla::color::rgb::Color::black().into(),
        opacity: NormalizedF32::ZERO,
        rule: FillRule::default(),
    }));
    for span in text.layouted().iter().filter(|s| s.visible) {
        draw_span(surface, span, base, db);
    }
}

/// One glyph of the text layer: where it starts along the span (user units), the face and
/// glyph that write it, and the text of its cluster (on the cluster's last glyph).
struct Placed<'a> {
    x: f32,
    face: fontdb::ID,
    id: u16,
    text: &'a str,
}

/// One span, as runs of glyphs of one face: the glyphs advance to where the next one starts,
/// each glyph carries the text range of its cluster.
fn draw_span(
    surface: &mut Surface<'_>,
    span: &usvg::layout::Span,
    base: usvg::Transform,
    db: &fontdb::Database,
) {
    let size = span.font_size.get();
    let Some(first) = span.positioned_glyphs.first() else {
        return;
    };
    // usvg's glyph transform scales font units to user units; without that scale, the
    // origin of the span's first glyph is where the run is written from.
    let unscale = |g: &usvg::layout::PositionedGlyph| {
        let per_unit = face(db, g.font).units_per_em / size;
        g.transform().pre_scale(per_unit, per_unit)
    };
    let origin = unscale(first);
    let Some(inverse) = origin.invert() else {
        return;
    };
    let mut placed: Vec<Placed<'_>> = span
        .positioned_glyphs
        .iter()
        .map(|g| {
            let mut at = usvg::tiny_skia_path::Point::from_xy(0.0, 0.0);
            inverse.pre_concat(unscale(g)).map_point(&mut at);
            let (face, id) = writer(db, g.font, g.id.0);
            Placed {
                x: at.x,
                face,
                id,
                text: &g.text,
            }
        })
        .collect();
    order_clusters(&mut placed, size, db);
    let t = base.pre_concat(origin);
    surface.push_transform(&Transform::from_row(t.sx, t.ky, t.kx, t.sy, t.tx, t.ty));
    let mut start = 0;
    while start < placed.len() {
        let face = placed[start].face;
        let end = placed[start..]
            .iter()
            .position(|p| p.face != face)
            .map_or(placed.len(), |n| start + n);
        draw_run(surface, &placed, start..end, size, db);
        start = end;
    }
    surface.pop();
}

/// Within each cluster, the glyph that reaches furthest right last (the cluster's text moved
/// onto it): a reader takes a cluster's text to span from its first glyph to the end of its
/// last one, and a mark drawn last (a Tamil pulli) would end it early and read as a space.
fn order_clusters(placed: &mut [Placed<'_>], size: f32, db: &fontdb::Database) {
    let mut start = 0;
    while start < placed.len() {
        let end = placed[start..]
            .iter()
            .position(|p| !p.text.is_empty())
            .map_or(placed.len(), |n| start + n + 1);
        let cluster = &mut placed[start..end];
        if cluster.len() > 1 {
            let text = std::mem::take(&mut cluster[cluster.len() - 1].text);
            let right = |p: &Placed<'_>| p.x + advance(db, p, size);
            cluster.sort_by(|a, b| right(a).total_cmp(&right(b)));
            let first_x = cluster.iter().map(|p| p.x).fold(f32::INFINITY, f32::min);
            cluster[0].x = cluster[0].x.min(first_x);
            let last = cluster.len() - 1;
            cluster[last].text = text;
        }
        start = end;
    }
}

fn draw_run(
    surface: &mut Surface<'_>,
    placed: &[Placed<'_>],
    range: std::ops::Range<usize>,
    size: f32,
    db: &fontdb::Database,
) {
    let face = placed[range.start].face;
    let Some(font) = font(db, face) else {
        return;
    };
    let mut text = String::new();
    let mut glyphs = Vec::with_capacity(range.len());
    let (mut cluster_start, mut cluster_x) = (0, placed[range.start].x);
    for i in range.clone() {
        let p = &placed[i];
        if i == range.start || !placed[i - 1].text.is_empty() {
            cluster_start = text.len();
            cluster_x = p.x;
        }
        // A cluster's glyphs all carry its text, which comes with its last glyph; they are
        // drawn from the cluster's start, and the last one advances to the next cluster, so
        // that a reader sees the cluster's text fill its width.
        let cluster_end = placed[i..range.end]
            .iter()
            .position(|q| !q.text.is_empty())
            .map_or(text.len(), |n| text.len() + placed[i + n].text.len());
        let advance = if p.text.is_empty() {
            0.0
        } else {
            let next_x = placed
                .get(i + 1)
                .map_or_else(|| p.x + advance(db, p, size), |n| n.x);
            (next_x - cluster_x) / size
        };
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(u32::from(p.id)),
            advance,
            (p.x - cluster_x) / size,
            0.0,
            0.0,
            cluster_start..cluster_end.max(cluster_start),
            None,
        ));
        text.push_str(p.text);
    }
    let x = placed[range.start].x;
    surface.draw_glyphs(Point::from_xy(x, 0.0), &glyphs, font, &text, size, false);
}

/// The advance of a glyph as its face has it, in user units at `size`.
fn advance(db: &fontdb::Database, p: &Placed<'_>, size: f32) -> f32 {
    let units = db
        .with_face_data(p.face, |data, index| {
            let face = ttf_parser::Face::parse(data, index).ok()?;
            face.glyph_hor_advance(ttf_parser::GlyphId(p.id))
        })
        .flatten()
        .unwrap_or(0);
    f32::from(units) * size / face(db, p.face).units_per_em
}

/// What the text layer needs of a face, read once per process.
#[derive(Clone)]
struct Face {
    font: Option<Font>,
    units_per_em: f32,
    /// Colour glyphs (bitmaps, layers, SVG): krilla would write them as Type 3 glyphs, whose
    /// metrics put the text on a line of its own in readers; an invisible text needs none.
    colour: bool,
}

fn face(db: &fontdb::Database, id: fontdb::ID) -> Face {
    static FACES: OnceLock<Mutex<HashMap<fontdb::ID, Face>>> = OnceLock::new();
    let faces = FACES.get_or_init(Default::default);
    let mut faces = faces.lock().unwrap_or_else(|e| e.into_inner());
    faces
        .entry(id)
        .or_insert_with(|| {
            db.with_face_data(id, |data, index| {
                let parsed = ttf_parser::Face::parse(data, index).ok();
                let colour = super::font::is_colour(id);
                Face {
                    // Never written: colour glyphs are replaced (see `writer`).
                    font: (!colour)
                        .then(|| Font::new(file_data(db, id)?, index))
                        .flatten(),
                    units_per_em: parsed
                        .as_ref()
                        .map_or(1000.0, |f| f32::from(f.units_per_em())),
                    colour,
                }
            })
            .unwrap_or(Face {
                font: None,
                units_per_em: 1000.0,
                colour: false,
            })
        })
        .clone()
}

/// The bytes of the file that holds a face, shared by all the faces of a collection (a CJK
/// font file holds several, and is large): read once per process.
fn file_data(db: &fontdb::Database, id: fontdb::ID) -> Option<Data> {
    static FILES: OnceLock<Mutex<HashMap<std::path::PathBuf, Data>>> = OnceLock::new();
    match db.face_source(id)?.0 {
        fontdb::Source::Binary(data) | fontdb::Source::SharedFile(_, data) => Some(data.into()),
        fontdb::Source::File(path) => {
            let files = FILES.get_or_init(Default::default);
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(data) = files.get(&path) {
                return Some(data.clone());
            }
            let data = Data::from(std::fs::read(&path).ok()?);
            files.insert(path, data.clone());
            Some(data)
        }
    }
}

fn font(db: &fontdb::Database, id: fontdb::ID) -> Option<Font> {
    face(db, id).font
}

/// The face and glyph that write `glyph` of `id` in the text layer: itself, or for a colour
/// face the bundled font's em dash, about as wide as a colour glyph (the cluster's text goes
/// with it all the same).
fn writer(db: &fontdb::Database, id: fontdb::ID, glyph: u16) -> (fontdb::ID, u16) {
    if !face(db, id).colour {
        return (id, glyph);
    }
    let Some(bundled) = db.faces().next().map(|f| f.id) else {
        return (id, glyph);
    };
    let space = db
        .with_face_data(bundled, |data, index| {
            ttf_parser::Face::parse(data, index)
                .ok()
                .and_then(|f| f.glyph_index('\u{2014}'))
        })
        .flatten();
    space.map_or((id, glyph), |g| (bundled, g.0))
}
