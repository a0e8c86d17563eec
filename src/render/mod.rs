//! Certificate documents: SVG design templates rendered to SVG, PNG and PDF.
//!
//! A design is an SVG file that is also a [MiniJinja] template. It sees the
//! fields of [`DocContext`] as variables, plus:
//!
//! - `name_size`: a font size (at most 64) at which `recipient_name`, in
//!   bold, fits in 860 units: the width of the default A4 landscape design;
//! - `font_family`: the family name of the bundled font, `Noto Serif`;
//! - `qr_code(x, y, size, color=…, background=…, quiet=…)`: an SVG group
//!   drawing a QR code of `verification_url` with its top left corner at
//!   (`x`, `y`), `size` units wide (empty when there is no URL);
//! - `fit_size(text, max_width, max_size, min_size=…, bold=…,
//!   letter_spacing=…)`: the largest font size up to `max_size` at which
//!   `text` fits in `max_width` units;
//! - `font_for(text, bold=…, base=…)`: a `font-family` list that draws
//!   `text` with the font of each of its scripts, then `base` (the bundled
//!   family by default), then colour emoji fonts; use it on text in any
//!   script, e.g. names;
//! - `fit_lines(text, max_width, max_size, min_size=…, max_lines=…,
//!   wrapped_size=…, bold=…)`: `{size, lines}`, the largest size (at most
//!   `wrapped_size` on several lines) at which `text` wraps into at most
//!   `max_lines` lines that fit (long words shrink it further);
//! - `wrap_lines(text, max_width, size, bold=…, max_lines=…)`: `text`
//!   broken into lines that fit, the last one shortened with `…` when
//!   `max_lines` cuts it;
//! - `t("message-id", name=value, …)`: one of certstat's messages (the
//!   `cert-…` ids of `src/l10n/en.ftl` are the default design's words) in
//!   the certificate's `language`; `text_direction` is `ltr` or `rtl`.
//!
//! Values are escaped for XML, so names such as `<script>` or `A & B`
//! stay text. A variable the design uses but nobody defines is an error.
//!
//! Text is shaped (joined Arabic, Indic clusters, bidi) by usvg's own text
//! engine with the fonts of `font`: the bundled Noto Serif first, then the
//! `[render] fonts` folders and the system's fonts, chosen character by
//! character. A design may name its own families in `font-family`.
//! [`coverage`] tells which characters no font can draw. Before a drawing
//! is used, `cluster` corrects usvg's advance of multi-glyph clusters.
//!
//! PNG is drawn by resvg; PDF by krilla (krilla-svg, text as outlines) with
//! an invisible text layer (`pdf_text`) that reads back exactly in every
//! script, and the document's title and language.
//!
//! [MiniJinja]: https://docs.rs/minijinja

mod cluster;
pub mod coverage;
mod font;
mod pdf_tail;
mod pdf_text;
mod qr;

use std::collections::HashSet;
use std::fmt;

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use resvg::tiny_skia;
use resvg::usvg;

use crate::input::line_column;
use crate::markup::escape_xml;
pub use font::{FONT_FAMILY, NO_SYSTEM_FONTS_ENV, missing_glyphs, set_font_dirs};

/// The built-in design: A4 landscape, 1123 × 794 units.
pub const DEFAULT_DESIGN: &str = include_str!("design.svg");

/// PNG output is this many pixels per design unit (2246 × 1588 for A4).
pub const PNG_SCALE: f32 = 2.0;

/// Units per inch of a design, as in CSS: 1123 × 794 units is A4 in a PDF.
const DESIGN_DPI: f32 = 96.0;

/// Upper bound of `name_size`, and the width it fits the name in.
const NAME_MAX_SIZE: f64 = 64.0;
const NAME_MIN_SIZE: f64 = 14.0;
const NAME_WIDTH: f64 = 860.0;

/// What a design can show about one recipient's certificate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocContext {
    pub recipient_name: String,
    pub certificate_name: String,
    pub issuer: String,
    pub description: String,
    /// Already formatted, e.g. "26 November 2026".
    pub issue_date: String,
    pub credential_id: String,
    /// May be empty when no base URL is configured.
    pub verification_url: String,
    /// The language of the design's own words (`t(...)`) and of `issue_date`: a code of
    /// [`crate::l10n::LANGUAGES`].
    pub language: String,
}

impl DocContext {
    /// Made-up values, for previews and for checking a design.
    pub fn sample() -> Self {
        Self {
            recipient_name: "Zoë Ångström-Núñez".to_owned(),
            certificate_name: "Introduction to Rust".to_owned(),
            issuer: "Example Academy".to_owned(),
            description: "For completing twelve weeks of lectures, exercises and a final project \
                          on ownership, traits, error handling and concurrency."
                .to_owned(),
            issue_date: "26 November 2026".to_owned(),
            credential_id: "01JDX6Q8W3B4C5D6E7F8G9H0JK".to_owned(),
            verification_url: "https://certs.example.org/v/01JDX6Q8W3B4C5D6E7F8G9H0JK".to_owned(),
            language: crate::l10n::DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

/// A document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Svg,
    Png,
    Pdf,
}

impl Format {
    /// File name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }

    /// MIME type, for downloads and attachments.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Why a document could not be made. `render`, `render_svg` and
/// `check_design` return these inside their `anyhow::Error`, so a caller can
/// `downcast_ref::<RenderError>()` to tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The text to draw has characters no available font has (only
    /// returned by callers that refuse such documents, e.g. `send --strict`).
    #[error("{}", missing_message(.0))]
    MissingGlyphs(Vec<char>),
    /// The design template is wrong: syntax, undefined variable, …
    #[error("design {}: {message}", location(*.line, *.column))]
    Design {
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// The rendered design is not SVG usvg can read.
    #[error("the rendered design is not valid SVG: {0}")]
    InvalidSvg(String),
    /// Rasterising or converting failed.
    #[error("cannot make the {format} document: {message}")]
    Output { format: Format, message: String },
}

fn missing_message(chars: &[char]) -> String {
    let list: Vec<String> = chars
        .iter()
        .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
        .collect();
    format!(
        "no available font can draw {}: {} (add a font that has {} with `[render] fonts`, or install one)",
        if chars.len() == 1 {
            "this character"
        } else {
            "these characters"
        },
        list.join(", "),
        if chars.len() == 1 { "it" } else { "them" }
    )
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("line {line}, column {column}"),
        (Some(line), None) => format!("line {line}"),
        _ => "(position unknown)".to_owned(),
    }
}

/// Checks a design: its template syntax, that it only uses variables that
/// exist, and that it renders to SVG usvg can read with sample data whose
/// names contain `<`, `&` and quotes.
pub fn check_design(template: &str) -> anyhow::Result<()> {
    let mut sample = DocContext::sample();
    sample.recipient_name = "Ana \"Nan\" O'Brien <Smith> & Co".to_owned();
    sample.issuer = "Research & Development <R&D>".to_owned();
    let env = environment(&sample);
    let tmpl = env
        .template_from_named_str("design", template)
        .map_err(|e| design_error(&e, template))?;
    let known: HashSet<&str> = KNOWN_NAMES.iter().copied().collect();
    let mut unknown: Vec<String> = tmpl
        .undeclared_variables(false)
        .into_iter()
        .filter(|name| !known.contains(name.as_str()))
        .collect();
    unknown.sort_by_key(|name| find_in_tags(template, name).unwrap_or(usize::MAX));
    if let Some(name) = unknown.first() {
        let (line, column) = match find_in_tags(template, name) {
            Some(at) => {
                let (line, column) = line_column(template, at);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        return Err(RenderError::Design {
            line,
            column,
            message: format!("undefined variable `{name}`"),
        }
        .into());
    }
    let svg = render_bounded(&tmpl, template_context(&sample), template)?;
    parse_svg(&svg)?;
    Ok(())
}

/// The work one rendering of the design may do, in MiniJinja's fuel (about one unit per
/// instruction): the default design takes a few hundred, a loop of 100,000 small items fits,
/// nested `range` loops do not. Rendering stops with an error when it runs out.
pub const DESIGN_FUEL: u64 = 2_000_000;

/// The most SVG a design may render (16 MiB: room for embedded images).
pub const MAX_DESIGN_OUTPUT: usize = 16 << 20;

/// Render the design, bounded by [`DESIGN_FUEL`] and [`MAX_DESIGN_OUTPUT`].
fn render_bounded(
    tmpl: &minijinja::Template<'_, '_>,
    ctx: Value,
    source: &str,
) -> anyhow::Result<String> {
    let mut out = crate::mail::template::Bounded(Vec::new(), MAX_DESIGN_OUTPUT);
    match tmpl.render_captured_to(ctx, &mut out) {
        Ok(_) => Ok(String::from_utf8(out.0)?),
        Err(_) if out.full() => Err(RenderError::Design {
            line: None,
            column: None,
            message: format!(
                "stopped: it renders more than {} MiB of SVG (a loop writing too much?): make it \
                 shorter",
                MAX_DESIGN_OUTPUT >> 20
            ),
        }
        .into()),
        Err(e) => Err(design_error(&e, source)),
    }
}

/// Renders a design to SVG text. Does not check the font's coverage: see
/// [`render`] for that.
pub fn render_svg(template: &str, ctx: &DocContext) -> anyhow::Result<String> {
    let env = environment(ctx);
    let tmpl = env
        .template_from_named_str("design", template)
        .map_err(|e| design_error(&e, template))?;
    render_bounded(&tmpl, template_context(ctx), template)
}

/// Renders a design to a document. Characters no available font has are
/// drawn as the fallback font's empty box: see [`render_with_gaps`] to learn
/// which, and [`coverage::missing_chars`] to check before rendering.
pub fn render(template: &str, ctx: &DocContext, format: Format) -> anyhow::Result<Vec<u8>> {
    Ok(render_with_gaps(template, ctx, format)?.0)
}

/// [`render`], plus the characters of the drawn text (names, the design's
/// own words) that no available font can show, each once.
pub fn render_with_gaps(
    template: &str,
    ctx: &DocContext,
    format: Format,
) -> anyhow::Result<(Vec<u8>, Vec<char>)> {
    let svg = render_svg(template, ctx)?;
    let tree = parse_svg(&svg)?;
    let missing = missing_glyphs(&drawn_text(&tree));
    let bytes = encode(svg, &tree, format, &PdfInfo::of(ctx))?;
    Ok((bytes, missing))
}

/// The usvg tree of a design for `ctx`, drawn with certstat's fonts: for
/// checking where text lands (`Text::abs_bounding_box`).
pub fn tree(template: &str, ctx: &DocContext) -> anyhow::Result<usvg::Tree> {
    Ok(parse_svg(&render_svg(template, ctx)?)?)
}

/// What a PDF says about itself: its title (shown by viewers instead of the file name) and its
/// language (read by screen readers).
struct PdfInfo {
    title: String,
    language: String,
}

impl PdfInfo {
    fn of(ctx: &DocContext) -> PdfInfo {
        let language = crate::l10n::or_default(Some(&ctx.language)).code;
        let title = crate::l10n::catalog().text(
            language,
            "cert-pdf-title",
            &[
                ("certificate", ctx.certificate_name.as_str().into()),
                ("name", ctx.recipient_name.as_str().into()),
            ],
        );
        PdfInfo {
            title,
            language: language.to_owned(),
        }
    }
}

/// One page drawing `tree` (A4 for the default design), with `info`'s `/Title` and `/Lang`.
/// krilla-svg draws the design, its text as outlines; with `text_layer`, [`pdf_text`] writes
/// the text over it, invisible, to be found, copied and read aloud in every script.
fn pdf_document(tree: &usvg::Tree, info: &PdfInfo, text_layer: bool) -> Result<Vec<u8>, String> {
    use krilla::Document;
    use krilla::geom::Size;
    use krilla::metadata::Metadata;
    use krilla::page::PageSettings;
    use krilla_svg::{SurfaceExt, SvgSettings};
    let scale = 72.0 / DESIGN_DPI;
    let size = Size::from_wh(tree.size().width() * scale, tree.size().height() * scale)
        .ok_or_else(|| "the design has no size".to_owned())?;
    let mut document = Document::new_with(krilla::SerializeSettings {
        render_svg_glyph_fn: krilla_svg::render_svg_glyph,
        ..Default::default()
    });
    document.set_metadata(
        Metadata::new()
            .title(info.title.clone())
            .language(info.language.clone())
            .producer("certstat".to_owned()),
    );
    let mut page = document.start_page_with(PageSettings::new(size));
    let mut surface = page.surface();
    let settings = SvgSettings {
        embed_text: false,
        ..Default::default()
    };
    surface
        .draw_svg(tree, size, settings)
        .ok_or_else(|| "cannot draw the design".to_owned())?;
    if text_layer {
        pdf_text::draw(&mut surface, tree.root(), tree.fontdb(), scale);
    }
    surface.finish();
    page.finish();
    let pdf = document.finish().map_err(|e| format!("{e:?}"))?;
    Ok(pdf_tail::display_doc_title(pdf))
}

fn encode(
    svg: String,
    tree: &usvg::Tree,
    format: Format,
    info: &PdfInfo,
) -> anyhow::Result<Vec<u8>> {
    let output_error = |message: String| RenderError::Output { format, message };
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => {
            let size = tree.size();
            let width = (size.width() * PNG_SCALE).ceil() as u32;
            let height = (size.height() * PNG_SCALE).ceil() as u32;
            let mut pixmap = tiny_skia::Pixmap::new(width, height)
                .ok_or_else(|| output_error(format!("bad image size {width}×{height}")))?;
            pixmap.fill(tiny_skia::Color::WHITE);
            resvg::render(
                tree,
                tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
                &mut pixmap.as_mut(),
            );
            encode_png(&pixmap).map_err(|e| output_error(e.to_string()).into())
        }
        Format::Pdf => pdf_document(tree, info, true)
            // A font krilla cannot embed: the same picture, without the text layer.
            .or_else(|_| pdf_document(tree, info, false))
            .map_err(|e| output_error(e).into()),
    }
}

/// The picture as a PNG file. The pixmap is opaque (filled white before drawing), so its
/// premultiplied pixels are the straight RGBA a PNG holds. `Compression::Fast` (fdeflate, made
/// for PNG): the default level spent most of a certificate's PNG time compressing.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(out)
}

/// Names a design may use without defining them.
const KNOWN_NAMES: &[&str] = &[
    "recipient_name",
    "certificate_name",
    "issuer",
    "description",
    "issue_date",
    "credential_id",
    "verification_url",
    "name_size",
    "font_family",
    "qr_code",
    "fit_size",
    "fit_lines",
    "font_for",
    "wrap_lines",
    "language",
    "text_direction",
    "t",
    "tt",
    // MiniJinja's own
    "range",
    "dict",
    "namespace",
    "debug",
    "loop",
    "self",
    "super",
    "caller",
    "varargs",
    "kwargs",
];

fn template_context(ctx: &DocContext) -> Value {
    let name_size = fit(
        &ctx.recipient_name,
        NAME_WIDTH,
        NAME_MAX_SIZE,
        NAME_MIN_SIZE,
        true,
        0.0,
    );
    let language = crate::l10n::or_default(Some(&ctx.language));
    minijinja::context! {
        name_size => round2(name_size),
        font_family => FONT_FAMILY,
        language => language.code,
        text_direction => if language.rtl { "rtl" } else { "ltr" },
        ..Value::from_serialize(ctx)
    }
}

fn environment(ctx: &DocContext) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(DESIGN_FUEL));
    env.set_debug(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(|out, state, value| {
        if value.is_safe() || state.auto_escape() == AutoEscape::None {
            return write!(out, "{value}").map_err(minijinja::Error::from);
        }
        out.write_str(&escape_xml(&value.to_string()))
            .map_err(minijinja::Error::from)
    });
    crate::l10n::template::register(&mut env, crate::l10n::template::Markup::Text);

    add_qr_code(&mut env, ctx.verification_url.clone());
    env.add_function("fit_lines", design_fit_lines);
    env.add_function("font_for", design_font_for);
    env.add_function("fit_size", design_fit_size);
    env.add_function("wrap_lines", design_wrap_lines);
    env
}

/// The design's `qr_code(x, y, size, …)`: the QR code of the verification URL.
fn add_qr_code(env: &mut Environment<'static>, url: String) {
    env.add_function(
        "qr_code",
        move |x: f64, y: f64, size: f64, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            let color: Option<String> = kwargs.get("color")?;
            let background: Option<String> = kwargs.get("background")?;
            let quiet: Option<f64> = kwargs.get("quiet")?;
            kwargs.assert_all_used()?;
            if url.is_empty() {
                return Ok(Value::from_safe_string(String::new()));
            }
            let style = qr::QrStyle {
                x,
                y,
                size,
                color: escape_xml(color.as_deref().unwrap_or("#000000")),
                background: background.as_deref().map(escape_xml),
                quiet: quiet.unwrap_or(4.0),
            };
            let svg = qr::qr_svg(&url, &style)
                .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
            Ok(Value::from_safe_string(svg))
        },
    );
}

/// The design's `fit_lines(…)`.
fn design_fit_lines(
    text: &str,
    max_width: f64,
    max_size: f64,
    kwargs: Kwargs,
) -> Result<Value, minijinja::Error> {
    let min_size: Option<f64> = kwargs.get("min_size")?;
    let max_lines: Option<usize> = kwargs.get("max_lines")?;
    let bold: Option<bool> = kwargs.get("bold")?;
    let wrapped_size: Option<f64> = kwargs.get("wrapped_size")?;
    kwargs.assert_all_used()?;
    let (size, lines) = fit_lines(
        text,
        max_width,
        (max_size, wrapped_size.unwrap_or(max_size)),
        min_size.unwrap_or(1.0),
        max_lines.unwrap_or(2).max(1),
        bold.unwrap_or(false),
    );
    Ok(minijinja::context! { size => round2(size), lines => lines })
}

/// The design's `font_for(…)`.
fn design_font_for(text: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let bold: Option<bool> = kwargs.get("bold")?;
    let base: Option<String> = kwargs.get("base")?;
    kwargs.assert_all_used()?;
    Ok(font::families_for(
        text,
        base.as_deref().unwrap_or(FONT_FAMILY),
        bold.unwrap_or(false),
    ))
}

/// The design's `fit_size(…)`.
fn design_fit_size(
    text: &str,
    max_width: f64,
    max_size: f64,
    kwargs: Kwargs,
) -> Result<f64, minijinja::Error> {
    let min_size: Option<f64> = kwargs.get("min_size")?;
    let bold: Option<bool> = kwargs.get("bold")?;
    let spacing: Option<f64> = kwargs.get("letter_spacing")?;
    kwargs.assert_all_used()?;
    let size = fit(
        text,
        max_width,
        max_size,
        min_size.unwrap_or(1.0),
        bold.unwrap_or(false),
        spacing.unwrap_or(0.0),
    );
    Ok(round2(size))
}

/// The design's `wrap_lines(…)`.
fn design_wrap_lines(
    text: &str,
    max_width: f64,
    size: f64,
    kwargs: Kwargs,
) -> Result<Vec<String>, minijinja::Error> {
    let bold: Option<bool> = kwargs.get("bold")?;
    let max_lines: Option<usize> = kwargs.get("max_lines")?;
    kwargs.assert_all_used()?;
    Ok(wrap(
        text,
        max_width,
        size,
        bold.unwrap_or(false),
        max_lines,
    ))
}

fn round2(value: f64) -> f64 {
    (value * 100.0).floor() / 100.0
}

/// Largest size ≤ `max_size` (but ≥ `min_size`) at which `text` is at most
/// `max_width` wide.
fn fit(text: &str, max_width: f64, max_size: f64, min_size: f64, bold: bool, spacing: f64) -> f64 {
    let per_size = font::width(text, bold);
    let gaps = text.chars().count().saturating_sub(1) as f64 * spacing;
    if per_size <= 0.0 {
        return max_size;
    }
    ((max_width - gaps) / per_size).clamp(min_size.min(max_size), max_size)
}

/// Room left for what the advance widths do not see (kerning, joined and
/// reordered forms): text is fitted into this share of the width.
const FIT_MARGIN: f64 = 0.96;

/// The largest size ≤ `max_size` (≤ `wrapped_size` when it takes more than one
/// line) at which `text`, wrapped at spaces, takes at most `max_lines` lines
/// of at most `max_width`; at `min_size`, the last line
/// is shortened with `…`, and a line that still does not fit (one long word)
/// brings the size below `min_size` so that nothing leaves the width.
fn fit_lines(
    text: &str,
    max_width: f64,
    (max_size, wrapped_size): (f64, f64),
    min_size: f64,
    max_lines: usize,
    bold: bool,
) -> (f64, Vec<String>) {
    let width = max_width * FIT_MARGIN;
    let widest = |lines: &[String]| {
        lines
            .iter()
            .map(|l| font::width(l, bold))
            .fold(0.0_f64, f64::max)
    };
    let min_size = min_size.min(max_size);
    let mut size = max_size;
    while size > min_size {
        let lines = wrap(text, width, size, bold, None);
        if lines.len() > 1 && size > wrapped_size {
            size = wrapped_size.max(min_size);
            continue;
        }
        if lines.len() <= max_lines && widest(&lines) * size <= width {
            return (size, lines);
        }
        size = (size * 0.95).max(min_size);
    }
    // At the smallest size a word still too wide for a line is broken between characters
    // (a long name with no space, or in a script written without spaces), rather than drawn
    // smaller than `min_size`, where it could not be read.
    let lines = wrap_breaking(text, width, min_size, bold, Some(max_lines));
    let per_size = widest(&lines);
    let size = if per_size * min_size > width {
        width / per_size
    } else {
        min_size
    };
    (size, lines)
}

/// Greedy word wrapping by the font's advance widths.
fn wrap(
    text: &str,
    max_width: f64,
    size: f64,
    bold: bool,
    max_lines: Option<usize>,
) -> Vec<String> {
    wrap_words(text.split_whitespace(), max_width, size, bold, max_lines)
}

/// [`wrap`], with each word too wide for a line of its own first cut, between grapheme
/// clusters (an accent stays on its letter), into pieces that fit.
fn wrap_breaking(
    text: &str,
    max_width: f64,
    size: f64,
    bold: bool,
    max_lines: Option<usize>,
) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let fits = |piece: &str| font::width(piece, bold) * size <= max_width;
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if fits(word) {
            words.push(word.to_owned());
            continue;
        }
        let mut piece = String::new();
        for g in word.graphemes(true) {
            if !piece.is_empty() && !fits(&format!("{piece}{g}")) {
                words.push(std::mem::take(&mut piece));
            }
            piece.push_str(g);
        }
        if !piece.is_empty() {
            words.push(piece);
        }
    }
    wrap_words(
        words.iter().map(String::as_str),
        max_width,
        size,
        bold,
        max_lines,
    )
}

fn wrap_words<'a>(
    words: impl Iterator<Item = &'a str>,
    max_width: f64,
    size: f64,
    bold: bool,
    max_lines: Option<usize>,
) -> Vec<String> {
    let fits = |line: &str| font::width(line, bold) * size <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in words {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if let Some(max) = max_lines.filter(|&max| lines.len() > max && max > 0) {
        lines.truncate(max);
        let last = lines.last_mut().expect("max > 0");
        // A line that is one piece of a broken word loses characters instead, and its "…"
        // follows without a space.
        let spaced = last.contains(' ');
        let mark = if spaced { " …" } else { "…" };
        while !last.is_empty() && !fits(&format!("{last}{mark}")) {
            match last.rfind(' ') {
                Some(at) if spaced => last.truncate(at),
                _ if spaced => last.clear(),
                _ => {
                    last.pop();
                }
            }
        }
        if last.is_empty() {
            last.push('…');
        } else {
            last.push_str(mark);
        }
    }
    lines
}

fn design_error(err: &minijinja::Error, source: &str) -> anyhow::Error {
    let column = err
        .range()
        .filter(|range| range.start <= source.len())
        .map(|range| line_column(source, range.start).1);
    let mut message = err.kind().to_string();
    if err.kind() == ErrorKind::OutOfFuel {
        message = format!(
            "stopped: rendering it takes more than {DESIGN_FUEL} steps (nested loops over \
             range()?): make the loops smaller"
        );
    } else if err.kind() == ErrorKind::UndefinedError
        && let Some(expr) = err.range().and_then(|range| source.get(range))
    {
        message = format!("undefined variable or attribute `{}`", expr.trim());
    } else if let Some(detail) = err.detail() {
        message = format!("{message}: {detail}");
    }
    let mut source_err = std::error::Error::source(err);
    while let Some(inner) = source_err {
        message = format!("{message}: {inner}");
        source_err = inner.source();
    }
    RenderError::Design {
        line: err.line(),
        column,
        message,
    }
    .into()
}

/// Byte offset of the first whole-word `name` inside a `{{ }}` or `{% %}` tag.
fn find_in_tags(source: &str, name: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut pos = 0;
    while let Some(open) = source[pos..].find('{').map(|i| pos + i) {
        let closer = match source[open + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                pos = open + 1;
                continue;
            }
        };
        let body_start = open + 2;
        let body_end = source[body_start..]
            .find(closer)
            .map_or(source.len(), |i| body_start + i);
        let body = &source[body_start..body_end];
        let mut from = 0;
        while let Some(i) = body[from..].find(name).map(|i| from + i) {
            let before_ok = !body[..i].chars().next_back().is_some_and(is_ident);
            let after_ok = !body[i + name.len()..].chars().next().is_some_and(is_ident);
            if before_ok && after_ok {
                return Some(body_start + i);
            }
            from = i + name.len();
        }
        pos = body_end;
    }
    None
}

fn usvg_options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        dpi: DESIGN_DPI,
        fontdb: font::database(),
        ..Default::default()
    };
    // Designs may embed images as data: URLs but not read files.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    options
}

fn parse_svg(svg: &str) -> Result<usvg::Tree, RenderError> {
    cluster::parse(svg, &usvg_options()).map_err(RenderError::InvalidSvg)
}

/// All text a tree draws, one chunk a line.
pub(crate) fn drawn_text(tree: &usvg::Tree) -> String {
    let mut text = String::new();
    collect_text(tree.root(), &mut text);
    text
}

/// All text the tree draws, chunk after chunk.
fn collect_text(group: &usvg::Group, out: &mut String) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect_text(g, out),
            usvg::Node::Text(text) => {
                for chunk in text.chunks() {
                    out.push_str(chunk.text());
                    out.push('\n');
                }
            }
            usvg::Node::Path(_) | usvg::Node::Image(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_design_checks() {
        check_design(DEFAULT_DESIGN).unwrap();
    }

    #[test]
    fn escapes_for_xml() {
        assert_eq!(
            escape_xml("<a href='x'>\"A & B\"\u{1}</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;A &amp; B&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn name_size_shrinks_for_long_names() {
        let short = fit(
            "Ana Li",
            NAME_WIDTH,
            NAME_MAX_SIZE,
            NAME_MIN_SIZE,
            true,
            0.0,
        );
        let long = fit(
            "Maria Fernanda de los Ángeles Gutiérrez-Villanueva y Santisteban",
            NAME_WIDTH,
            NAME_MAX_SIZE,
            NAME_MIN_SIZE,
            true,
            0.0,
        );
        assert_eq!(short, NAME_MAX_SIZE);
        assert!(long < 30.0 && long > NAME_MIN_SIZE, "{long}");
    }

    #[test]
    fn wraps_and_shortens() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 200.0, 16.0, false, None);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let cut = wrap(text, 200.0, 16.0, false, Some(2));
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with(" …"), "{cut:?}");
    }

    /// Names too long for their lines at the smallest size, by shape: one word without a
    /// space, a script written without spaces, accents that must stay on their letters, a
    /// long word among short ones. Each is drawn at `min_size` (never smaller), in at most
    /// `max_lines` lines that fit, cut with "…" only when it must be; a long word that fits
    /// once shrunk is still shrunk whole rather than broken.
    #[test]
    fn names_too_long_for_their_lines_break_between_characters_at_the_smallest_size() {
        let (width, min) = (860.0, 14.0);
        for name in [
            "A".repeat(1500),
            "山田太郎".repeat(60),
            "e\u{0301}".repeat(400),
            format!("Ana {} Silva", "x".repeat(600)),
        ] {
            let (size, lines) = fit_lines(&name, width, (64.0, 36.0), min, 2, true);
            assert!(size >= min, "{size} for {:?}", &name[..10]);
            assert!(lines.len() <= 2, "{lines:?}");
            for line in &lines {
                assert!(font::width(line, true) * size <= width, "{line}");
                assert!(!line.starts_with('\u{0301}'), "an accent lost its letter");
            }
            assert!(lines.last().unwrap().ends_with('…'), "{lines:?}");
        }
        // Fits on two lines once broken: nothing cut.
        let medium = "W".repeat(60);
        let (_, lines) = fit_lines(&medium, width, (64.0, 36.0), min, 2, true);
        assert_eq!(lines.concat(), medium, "{lines:?}");
        // A long word that fits when shrunk stays whole.
        let word = "Wolfeschlegelsteinhausenbergerdorff";
        let (size, lines) = fit_lines(word, width, (64.0, 36.0), min, 2, true);
        assert_eq!(lines, vec![word.to_string()]);
        assert!(size > min);
    }

    #[test]
    fn finds_names_only_in_tags() {
        let src = "<title>title</title>\n  {{ a + title }}";
        let at = find_in_tags(src, "title").unwrap();
        assert_eq!(line_column(src, at), (2, 10));
    }

    #[test]
    fn unknown_variable_is_reported_with_position() {
        let err = check_design(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<text>{{ nmae }}</text></svg>",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "design line 2, column 10: undefined variable `nmae`"
        );
    }
}
