//! QR codes as SVG fragments a design can place.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// How the code is drawn.
#[derive(Debug, Clone)]
pub(crate) struct QrStyle {
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// Side of the code itself, quiet zone not included.
    pub(crate) size: f64,
    pub(crate) color: String,
    /// Filled behind the code and its quiet zone when given.
    pub(crate) background: Option<String>,
    /// Width of the quiet zone drawn with `background`, in modules.
    pub(crate) quiet: f64,
}

/// An SVG `<g>` drawing `data` as a QR code (error correction level M).
/// Each run of dark modules in a row is one rectangle of a single path, so
/// the code has no hairline seams when rasterised. Colours must already be
/// safe to put in an attribute.
pub(crate) fn qr_svg(data: &str, style: &QrStyle) -> anyhow::Result<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| anyhow::anyhow!("cannot make a QR code of {data:?}: {e}"))?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (row, line) in colors.chunks(width).enumerate() {
        let mut col = 0;
        while col < width {
            if line[col] == Color::Light {
                col += 1;
                continue;
            }
            let start = col;
            while col < width && line[col] == Color::Dark {
                col += 1;
            }
            let run = col - start;
            let _ = write!(path, "M{start} {row}h{run}v1h-{run}z");
        }
    }
    let scale = style.size / width as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<g class=\"qr-code\" transform=\"translate({} {}) scale({})\">",
        num(style.x),
        num(style.y),
        num(scale)
    );
    if let Some(background) = &style.background {
        let q = style.quiet;
        let side = width as f64 + 2.0 * q;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{background}\"/>",
            num(-q),
            num(-q),
            num(side),
            num(side)
        );
    }
    let _ = write!(svg, "<path d=\"{path}\" fill=\"{}\"/></g>", style.color);
    Ok(svg)
}

/// A number for an attribute: at most four decimals, no trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_scaled_path() {
        let style = QrStyle {
            x: 10.0,
            y: 20.0,
            size: 100.0,
            color: "#000".to_owned(),
            background: Some("#fff".to_owned()),
            quiet: 2.0,
        };
        let svg = qr_svg("https://example.org/v/1", &style).unwrap();
        assert!(svg.starts_with("<g class=\"qr-code\" transform=\"translate(10 20) scale("));
        assert!(svg.contains("<rect x=\"-2\" y=\"-2\""));
        assert!(svg.contains("<path d=\"M0 0h7v1h-7z"), "{svg}");
        assert!(svg.ends_with("fill=\"#000\"/></g>"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(100.0 / 3.0), "33.3333");
    }
}
