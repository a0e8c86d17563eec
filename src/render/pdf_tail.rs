//! The one thing krilla's PDF lacks for certstat: `/DisplayDocTitle true` (viewers show the
//! document's title, not the file name), which krilla writes only for PDF/UA. It is put into
//! the catalog, and the classic cross-reference table krilla writes is moved to match.

/// How krilla (pdf-writer, compact) writes the catalog's type.
const CATALOG: &[u8] = b"/Type/Catalog";
const PREFERENCES: &[u8] = b"/ViewerPreferences << /DisplayDocTitle true >>";

/// `pdf` with `/ViewerPreferences << /DisplayDocTitle true >>` in its catalog; `pdf` itself
/// when it has viewer preferences already, or not the layout expected (one catalog, one
/// classic cross-reference table).
pub(super) fn display_doc_title(pdf: Vec<u8>) -> Vec<u8> {
    with_preferences(&pdf).unwrap_or(pdf)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn with_preferences(pdf: &[u8]) -> Option<Vec<u8>> {
    if find(pdf, b"/ViewerPreferences").is_some() {
        return None;
    }
    let at = find(pdf, CATALOG)? + CATALOG.len();
    let startxref_at = rfind(pdf, b"startxref")?;
    let xref_at: usize = std::str::from_utf8(&pdf[startxref_at + 9..])
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    if !pdf.get(xref_at..)?.starts_with(b"xref") || xref_at < at {
        return None;
    }
    let shift = PREFERENCES.len();
    let table = shift_table(&pdf[xref_at..startxref_at], at, shift)?;
    let mut out = Vec::with_capacity(pdf.len() + shift + 8);
    out.extend_from_slice(&pdf[..at]);
    out.extend_from_slice(PREFERENCES);
    out.extend_from_slice(&pdf[at..xref_at]);
    out.extend_from_slice(&table);
    out.extend_from_slice(format!("startxref\n{}\n%%EOF\n", xref_at + shift).as_bytes());
    Some(out)
}

/// The `xref … trailer …` text with every in-use entry after `at` moved by `shift`. The
/// entries keep their fixed width of 20 bytes.
fn shift_table(table: &[u8], at: usize, shift: usize) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(table).ok()?;
    let trailer = text.find("trailer")?;
    let mut out = String::with_capacity(text.len());
    for line in text[..trailer].split_inclusive('\n') {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [offset, generation, "n"] if offset.len() == 10 => {
                let offset: usize = offset.parse().ok()?;
                let moved = if offset > at { offset + shift } else { offset };
                let end = &line[line.trim_end().len()..];
                out.push_str(&format!("{moved:010} {generation} n{end}"));
            }
            _ => out.push_str(line),
        }
    }
    out.push_str(&text[trailer..]);
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_the_entries_after_the_catalog() {
        let table = "xref\n0 3\n0000000000 65535 f\r\n0000000009 00000 n\r\n0000000100 00000 n\r\ntrailer\n<< /Size 3 >>\n";
        let out = String::from_utf8(shift_table(table.as_bytes(), 50, 7).unwrap()).unwrap();
        assert_eq!(
            out,
            "xref\n0 3\n0000000000 65535 f\r\n0000000009 00000 n\r\n0000000107 00000 n\r\ntrailer\n<< /Size 3 >>\n"
        );
    }

    #[test]
    fn leaves_unknown_layouts_alone() {
        let pdf = b"%PDF-1.7\nno catalog here".to_vec();
        assert_eq!(display_doc_title(pdf.clone()), pdf);
    }
}
