//! The shares pie chart: drawn with Unicode block characters for the terminal (a distinct
//! fill character per slice, so it reads without colour) and as SVG for the report.

use std::f64::consts::PI;
use std::fmt::Write as _;

use owo_colors::{AnsiColors, OwoColorize};

use super::percent;
pub use crate::markup::escape_html as escape;

#[derive(Debug, Clone, Copy)]
pub struct Slice {
    pub key: &'static str,
    pub label: &'static str,
    pub count: u64,
}

/// Fill character, terminal colour and SVG colour of a slice.
fn style(key: &str) -> (char, AnsiColors, &'static str) {
    match key {
        "linkedin" => ('█', AnsiColors::Blue, "#0a66c2"),
        "facebook" => ('▒', AnsiColors::Cyan, "#2aa7b8"),
        "x" => ('░', AnsiColors::Magenta, "#14171a"),
        _ => ('∙', AnsiColors::Yellow, "#c98a00"),
    }
}

/// The SVG/HTML colour of a slice.
pub fn svg_color(key: &str) -> &'static str {
    style(key).2
}

/// The slice covering `angle` (turns from 12 o'clock, clockwise), given cumulative ends.
fn slice_at(ends: &[f64], angle: f64) -> usize {
    ends.iter()
        .position(|&e| angle < e)
        .unwrap_or(ends.len().saturating_sub(1))
}

fn ends(slices: &[Slice]) -> Vec<f64> {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let mut acc = 0u64;
    slices
        .iter()
        .map(|s| {
            acc += s.count;
            acc as f64 / total.max(1) as f64
        })
        .collect()
}

/// The chart as lines of text, `rows` high and `2 * rows` wide (a terminal cell is about
/// twice as tall as wide, so this is round). An empty chart is a dotted ring.
pub fn terminal_chart(slices: &[Slice], rows: usize, color: bool) -> Vec<String> {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let ends = ends(slices);
    let cols = rows * 2;
    let mut lines = Vec::with_capacity(rows);
    for i in 0..rows {
        // Cells as (slice index or none, character), then coloured a run at a time.
        let mut cells: Vec<(Option<usize>, char)> = Vec::with_capacity(cols);
        for j in 0..cols {
            let y = (i as f64 + 0.5) / rows as f64 * 2.0 - 1.0;
            let x = (j as f64 + 0.5) / cols as f64 * 2.0 - 1.0;
            let r2 = x * x + y * y;
            if r2 > 1.0 {
                cells.push((None, ' '));
                continue;
            }
            if total == 0 {
                cells.push((None, if r2 > 0.55 { '·' } else { ' ' }));
                continue;
            }
            let mut turn = x.atan2(-y) / (2.0 * PI);
            if turn < 0.0 {
                turn += 1.0;
            }
            let index = slice_at(&ends, turn);
            cells.push((Some(index), style(slices[index].key).0));
        }
        while cells.last().is_some_and(|c| c.1 == ' ') {
            cells.pop();
        }
        let mut line = String::new();
        for run in cells.chunk_by(|a, b| a.0 == b.0) {
            let text: String = run.iter().map(|c| c.1).collect();
            match run[0].0 {
                Some(index) if color => {
                    let _ = write!(line, "{}", text.color(style(slices[index].key).1));
                }
                _ => line.push_str(&text),
            }
        }
        lines.push(line);
    }
    lines
}

/// The legend: one line per slice with its fill character, count and percentage.
pub fn legend(slices: &[Slice], color: bool) -> Vec<String> {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let width = slices
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    slices
        .iter()
        .map(|s| {
            let (ch, ansi, _) = style(s.key);
            let swatch: String = std::iter::repeat_n(ch, 2).collect();
            let swatch = if color {
                swatch.color(ansi).to_string()
            } else {
                swatch
            };
            format!(
                "{swatch} {:<9} {:>width$}  {:>5.1}%",
                s.label,
                s.count,
                percent(s.count, total),
                width = width
            )
        })
        .collect()
}

/// The pie chart as a standalone SVG document (`size` pixels square), each slice a path with
/// a `<title>` and `data-network`/`data-count` attributes.
pub fn svg(slices: &[Slice], size: u32) -> String {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let c = size as f64 / 2.0;
    let r = c * 0.92;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" \
         viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"Tracked shares per network\">\n"
    );
    if total == 0 {
        let _ = writeln!(
            out,
            "<circle cx=\"{c}\" cy=\"{c}\" r=\"{r:.2}\" fill=\"#eeeeee\" stroke=\"#bbbbbb\" data-network=\"none\" data-count=\"0\">\
             <title>No tracked shares yet</title></circle>"
        );
    }
    let mut start = 0u64;
    for s in slices.iter().filter(|s| s.count > 0) {
        let (_, _, fill) = style(s.key);
        let title = format!("{}: {} ({:.1}%)", s.label, s.count, percent(s.count, total));
        let a0 = start as f64 / total as f64 * 2.0 * PI;
        start += s.count;
        let a1 = start as f64 / total as f64 * 2.0 * PI;
        let attrs = format!(
            "fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1\" data-network=\"{}\" data-count=\"{}\"",
            s.key, s.count
        );
        if s.count == total {
            let _ = writeln!(
                out,
                "<circle cx=\"{c}\" cy=\"{c}\" r=\"{r:.2}\" {attrs}><title>{}</title></circle>",
                escape(&title)
            );
            continue;
        }
        let (x0, y0) = (c + r * a0.sin(), c - r * a0.cos());
        let (x1, y1) = (c + r * a1.sin(), c - r * a1.cos());
        let large = if a1 - a0 > PI { 1 } else { 0 };
        let _ = writeln!(
            out,
            "<path d=\"M{c:.2},{c:.2} L{x0:.2},{y0:.2} A{r:.2},{r:.2} 0 {large} 1 {x1:.2},{y1:.2} Z\" {attrs}><title>{}</title></path>",
            escape(&title)
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slices(a: u64, b: u64, c: u64) -> Vec<Slice> {
        vec![
            Slice {
                key: "linkedin",
                label: "LinkedIn",
                count: a,
            },
            Slice {
                key: "facebook",
                label: "Facebook",
                count: b,
            },
            Slice {
                key: "x",
                label: "X",
                count: c,
            },
        ]
    }

    fn cells(lines: &[String], ch: char) -> usize {
        lines
            .iter()
            .map(|l| l.chars().filter(|&c| c == ch).count())
            .sum()
    }

    #[test]
    fn slice_areas_follow_the_counts() {
        let chart = terminal_chart(&slices(60, 20, 20), 15, false);
        let (a, b, c) = (cells(&chart, '█'), cells(&chart, '▒'), cells(&chart, '░'));
        let all = (a + b + c) as f64;
        assert!((a as f64 / all - 0.6).abs() < 0.05, "{a} {b} {c}");
        assert!((b as f64 / all - 0.2).abs() < 0.05, "{a} {b} {c}");
        assert!(chart.iter().all(|l| l.chars().count() <= 30));
    }

    #[test]
    fn empty_chart_is_a_ring_and_legend_has_zero_percent() {
        let chart = terminal_chart(&slices(0, 0, 0), 9, false);
        assert!(cells(&chart, '·') > 0);
        assert!(
            legend(&slices(0, 0, 0), false)
                .iter()
                .all(|l| l.ends_with("0.0%"))
        );
    }

    #[test]
    fn svg_has_one_shape_per_nonempty_slice() {
        let s = svg(&slices(3, 0, 1), 200);
        assert_eq!(s.matches("<path").count(), 2);
        let s = svg(&slices(0, 5, 0), 200);
        assert!(s.contains("<circle") && s.contains("data-network=\"facebook\""));
    }
}
