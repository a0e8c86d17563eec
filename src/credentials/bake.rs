//! Baking a credential (its compact JWS) into a document, and reading it back.
//!
//! - PNG: one uncompressed `iTXt` chunk with keyword `openbadgecredential`, before `IEND`
//!   (any earlier one is replaced).
//! - SVG: `<openbadges:credential verify="JWS"/>` (Open Badges 3.0 §5.3.2: a VC-JWT goes in
//!   the `verify` attribute, a JSON credential in the element's body), right after the root
//!   `<svg>` start tag, which gets `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`.
//!   Reading also takes a JWS from the element's body (how earlier versions baked it).
//! - PDF: an incremental update (the original bytes are kept as they are) adding the JWS as an
//!   attached file `credential.jwt` and as the document information entry
//!   `/OpenBadgeCredential`. Reading takes the information entry, so it needs the PDF's objects
//!   uncompressed, as certstat writes them.

use anyhow::{Context, Result, bail};

/// The PNG `iTXt` keyword and the SVG namespace of Open Badges 3.0 baking.
pub const PNG_KEYWORD: &str = "openbadgecredential";
pub const SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// What a file holds, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    Png,
    Svg,
    Pdf,
    Jwt,
    Json,
}

impl Container {
    pub fn sniff(bytes: &[u8]) -> Option<Container> {
        if bytes.starts_with(PNG_SIGNATURE) {
            return Some(Container::Png);
        }
        if bytes.starts_with(b"%PDF-") {
            return Some(Container::Pdf);
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let text = text.trim_start_matches('\u{feff}').trim();
        match text.chars().next()? {
            '<' => Some(Container::Svg),
            '{' | '"' => Some(Container::Json),
            _ if looks_like_jws(text) => Some(Container::Jwt),
            _ => None,
        }
    }
}

/// Three base64url parts separated by dots.
pub fn looks_like_jws(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && !parts[2].is_empty()
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn check_jws(jws: &str) -> Result<()> {
    if !looks_like_jws(jws) {
        bail!("not a compact JWS: only base64url parts separated by two dots can be baked");
    }
    Ok(())
}

/// Bake the JWS into a rendered document of `format`.
pub fn bake(format: crate::render::Format, document: Vec<u8>, jws: &str) -> Result<Vec<u8>> {
    use crate::render::Format;
    match format {
        Format::Png => bake_png(&document, jws),
        Format::Pdf => bake_pdf(&document, jws),
        Format::Svg => {
            let svg = String::from_utf8(document).context("the SVG is not UTF-8")?;
            Ok(bake_svg(&svg, jws)?.into_bytes())
        }
    }
}

// --- PNG -------------------------------------------------------------------------------

/// CRC-32 (ISO 3309 / ITU-T V.42, as PNG uses) of the concatenated parts.
pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()
}

/// One chunk of a PNG: its type, data, and where it starts and ends in the file.
#[derive(Debug, Clone)]
pub struct Chunk<'a> {
    pub kind: [u8; 4],
    pub data: &'a [u8],
    pub start: usize,
    pub end: usize,
    pub crc_ok: bool,
}

/// Walk a PNG's chunks, checking lengths (and recording whether each CRC is right).
pub fn png_chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>> {
    if !png.starts_with(PNG_SIGNATURE) {
        bail!("not a PNG file (no PNG signature)");
    }
    let mut chunks = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    loop {
        if at == png.len() {
            bail!("the PNG file ends without an IEND chunk");
        }
        if png.len() - at < 12 {
            bail!("the PNG file is truncated at byte {at}");
        }
        let len = u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes")) as usize;
        if len > 0x7FFF_FFFF || png.len() - at - 12 < len {
            bail!("a PNG chunk at byte {at} is longer than the file");
        }
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().expect("4 bytes");
        let data = &png[at + 8..at + 8 + len];
        let stored = u32::from_be_bytes(
            png[at + 8 + len..at + 12 + len]
                .try_into()
                .expect("4 bytes"),
        );
        let end = at + 12 + len;
        chunks.push(Chunk {
            kind,
            data,
            start: at,
            end,
            crc_ok: crc32(&[&kind, data]) == stored,
        });
        at = end;
        if &kind == b"IEND" {
            return Ok(chunks);
        }
    }
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

/// The `iTXt` keyword of a chunk's data.
fn itxt_keyword(data: &[u8]) -> Option<&[u8]> {
    data.iter().position(|&b| b == 0).map(|n| &data[..n])
}

/// The PNG with the JWS in an `openbadgecredential` `iTXt` chunk.
pub fn bake_png(png: &[u8], jws: &str) -> Result<Vec<u8>> {
    check_jws(jws)?;
    let chunks = png_chunks(png)?;
    let mut out = Vec::with_capacity(png.len() + jws.len() + 64);
    out.extend_from_slice(PNG_SIGNATURE);
    for c in &chunks {
        if &c.kind == b"iTXt" && itxt_keyword(c.data) == Some(PNG_KEYWORD.as_bytes()) {
            continue;
        }
        if &c.kind == b"IEND" {
            // keyword, NUL, compression flag 0, method 0, empty language, NUL, empty
            // translated keyword, NUL, then the UTF-8 text.
            let mut data = Vec::with_capacity(jws.len() + 24);
            data.extend_from_slice(PNG_KEYWORD.as_bytes());
            data.extend_from_slice(&[0, 0, 0, 0, 0]);
            data.extend_from_slice(jws.as_bytes());
            write_chunk(&mut out, b"iTXt", &data);
        }
        out.extend_from_slice(&png[c.start..c.end]);
    }
    Ok(out)
}

/// The JWS baked into a PNG.
pub fn extract_png(png: &[u8]) -> Result<String> {
    let chunks = png_chunks(png)?;
    let mut found = chunks
        .iter()
        .filter(|c| &c.kind == b"iTXt" && itxt_keyword(c.data) == Some(PNG_KEYWORD.as_bytes()));
    let chunk = found.next().context(
        "the PNG carries no Open Badges credential (no iTXt chunk 'openbadgecredential')",
    )?;
    if found.next().is_some() {
        bail!("the PNG carries more than one 'openbadgecredential' chunk");
    }
    if !chunk.crc_ok {
        bail!("the PNG's 'openbadgecredential' chunk has a wrong CRC: the file is damaged");
    }
    let rest = &chunk.data[PNG_KEYWORD.len() + 1..];
    let (&flag, rest) = rest
        .split_first()
        .context("the 'openbadgecredential' chunk is truncated")?;
    if flag != 0 {
        bail!("the 'openbadgecredential' chunk is compressed, which Open Badges baking forbids");
    }
    let rest = rest
        .get(1..)
        .context("the 'openbadgecredential' chunk is truncated")?;
    let mut parts = rest.splitn(3, |&b| b == 0);
    let (_language, _translated, text) = (parts.next(), parts.next(), parts.next());
    let text = text.context("the 'openbadgecredential' chunk is truncated")?;
    let text = std::str::from_utf8(text)
        .context("the 'openbadgecredential' chunk is not UTF-8")?
        .trim();
    Ok(text.to_owned())
}

// --- SVG -------------------------------------------------------------------------------

/// Byte range of the root element's start tag `<svg …>` (the `>` excluded).
fn svg_root_tag(svg: &str) -> Result<(usize, usize)> {
    let bytes = svg.as_bytes();
    let mut at = 0;
    loop {
        let lt = svg[at..]
            .find('<')
            .map(|n| n + at)
            .context("no <svg> element")?;
        let rest = &svg[lt..];
        if rest.starts_with("<?") {
            at = lt + rest.find("?>").context("an unterminated <? … ?>")? + 2;
        } else if rest.starts_with("<!--") {
            at = lt + rest.find("-->").context("an unterminated comment")? + 3;
        } else if rest.starts_with("<!") {
            // A DOCTYPE, possibly with an internal subset in brackets.
            let mut depth = 0i32;
            let mut end = None;
            for (i, b) in rest.bytes().enumerate() {
                match b {
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    b'>' if depth <= 0 => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            at = lt + end.context("an unterminated <!DOCTYPE>")? + 1;
        } else if rest.starts_with("<svg")
            && rest[4..]
                .chars()
                .next()
                .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
        {
            let mut quote = None;
            for (i, &b) in bytes[lt..].iter().enumerate() {
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'>') => {
                        if bytes[lt + i - 1] == b'/' {
                            bail!("the <svg> element is empty");
                        }
                        return Ok((lt, lt + i));
                    }
                    _ => {}
                }
            }
            bail!("the <svg> start tag is not closed");
        } else {
            bail!("the document's root element is not <svg>");
        }
    }
}

/// The SVG with the JWS in the `verify` attribute of `<openbadges:credential>` (any earlier
/// one removed). The JWS is base64url and dots only, so it needs no escaping.
pub fn bake_svg(svg: &str, jws: &str) -> Result<String> {
    check_jws(jws)?;
    let mut svg = svg.to_owned();
    while let Some(start) = svg.find("<openbadges:credential") {
        let tag_end = start
            + svg[start..]
                .find('>')
                .context("a broken baked credential")?;
        let end = if svg.as_bytes()[tag_end - 1] == b'/' {
            tag_end + 1
        } else {
            let close = "</openbadges:credential>";
            start
                + svg[start..]
                    .find(close)
                    .context("a baked credential that is not closed")?
                + close.len()
        };
        // The line break baking put before it goes too.
        let start = if svg[..start].ends_with('\n') {
            start - 1
        } else {
            start
        };
        svg.replace_range(start..end, "");
    }
    let (start, end) = svg_root_tag(&svg).context("cannot bake the SVG")?;
    let tag = &svg[start..end];
    let xmlns = if tag.contains("xmlns:openbadges") {
        String::new()
    } else {
        format!(" xmlns:openbadges=\"{SVG_NAMESPACE}\"")
    };
    let element = format!("\n<openbadges:credential verify=\"{jws}\"/>");
    let mut out = String::with_capacity(svg.len() + jws.len() + 128);
    out.push_str(&svg[..end]);
    out.push_str(&xmlns);
    out.push('>');
    out.push_str(&element);
    out.push_str(&svg[end + 1..]);
    Ok(out)
}

/// The JWS baked into an SVG: the text of `<openbadges:credential>` (CDATA or plain), or its
/// `verify` attribute.
pub fn extract_svg(svg: &str) -> Result<String> {
    if !svg.contains(SVG_NAMESPACE) {
        bail!("the SVG carries no Open Badges credential (no {SVG_NAMESPACE} namespace)");
    }
    let start = svg
        .find("<openbadges:credential")
        .context("the SVG carries no <openbadges:credential> element")?;
    let rest = &svg[start + "<openbadges:credential".len()..];
    let tag_end = rest.find('>').context("a broken <openbadges:credential>")?;
    let attrs = &rest[..tag_end];
    let verify_attr = || -> Option<String> {
        let at = attrs.find("verify=")? + "verify=".len();
        let q = attrs[at..].chars().next()?;
        let value = &attrs[at + 1..];
        Some(value[..value.find(q)?].trim().to_owned())
    };
    if attrs.trim_end().ends_with('/') {
        return verify_attr().context("an empty <openbadges:credential>");
    }
    let body = &rest[tag_end + 1..];
    let body = &body[..body
        .find("</openbadges:credential>")
        .context("<openbadges:credential> is not closed")?];
    let mut text = body.trim();
    if let Some(inner) = text
        .strip_prefix("<![CDATA[")
        .and_then(|t| t.strip_suffix("]]>"))
    {
        text = inner.trim();
    }
    if text.is_empty() {
        return verify_attr().context("an empty <openbadges:credential>");
    }
    Ok(text.to_owned())
}

// --- PDF -------------------------------------------------------------------------------

const PDF_INFO_KEY: &str = "/OpenBadgeCredential";

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| n + from)
}

/// The dictionary `<< … >>` starting at `at` (balanced), as text.
fn pdf_dict_at(pdf: &[u8], at: usize) -> Option<&str> {
    if pdf.get(at..at + 2)? != b"<<" {
        return None;
    }
    let mut depth = 0usize;
    let mut i = at;
    let mut in_string = 0usize;
    while i + 1 < pdf.len() {
        let pair = &pdf[i..i + 2];
        match pdf[i] {
            b'\\' if in_string > 0 => i += 1,
            b'(' => in_string += 1,
            b')' if in_string > 0 => in_string -= 1,
            _ if in_string > 0 => {}
            // A hex string (`<FEFF…>`, as a UTF-16 /Title is written): its `>` closes no
            // dictionary.
            b'<' if pdf[i + 1] != b'<' => {
                i += pdf[i..].iter().position(|&b| b == b'>')?;
            }
            _ if pair == b"<<" => {
                depth += 1;
                i += 1;
            }
            _ if pair == b">>" => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return std::str::from_utf8(&pdf[at..=i]).ok();
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `/Key n g R` in a dictionary's text.
fn pdf_ref(dict: &str, key: &str) -> Option<(u32, u32)> {
    let at = dict.find(&format!("/{key} "))? + key.len() + 2;
    let mut words = dict[at..].split_whitespace();
    let n = words.next()?.parse().ok()?;
    let g = words.next()?.parse().ok()?;
    (words.next()?.starts_with('R')).then_some((n, g))
}

/// The dictionary of object `n g`.
fn pdf_object_dict(pdf: &[u8], n: u32, g: u32) -> Option<&str> {
    let header = format!("{n} {g} obj");
    let mut from = 0;
    let mut last = None;
    // The last definition wins (incremental updates).
    while let Some(at) = find_from(pdf, from, header.as_bytes()) {
        let before_ok = at == 0 || pdf[at - 1].is_ascii_whitespace();
        if before_ok {
            last = Some(at);
        }
        from = at + 1;
    }
    let mut at = last? + header.len();
    while pdf.get(at)?.is_ascii_whitespace() {
        at += 1;
    }
    pdf_dict_at(pdf, at)
}

/// The PDF with the JWS attached (`credential.jwt`) and in its document information, added as
/// an incremental update.
pub fn bake_pdf(pdf: &[u8], jws: &str) -> Result<Vec<u8>> {
    check_jws(jws)?;
    let tail = PdfTail::read(pdf)?;
    Ok(tail.append_update(pdf, jws))
}

/// What an incremental update of a PDF needs from its end: the trailer's entries, where the
/// last cross-reference section is, the catalog and the document information.
struct PdfTail {
    size: u32,
    root: (u32, u32),
    startxref: usize,
    catalog: String,
    old_info: Option<String>,
    id: Option<String>,
}

impl PdfTail {
    fn read(pdf: &[u8]) -> Result<PdfTail> {
        let trailer_at = find_last(pdf, b"trailer")
            .context("cannot bake this PDF: it has no classic trailer (cross-reference streams are not supported)")?;
        let dict_at = trailer_at
            + 7
            + pdf[trailer_at + 7..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .context("a broken PDF trailer")?;
        let trailer = pdf_dict_at(pdf, dict_at).context("a broken PDF trailer")?;
        let size: u32 = {
            let at = trailer
                .find("/Size ")
                .context("the PDF trailer has no /Size")?
                + 6;
            trailer[at..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|s| s.parse().ok())
                .context("a bad /Size in the PDF trailer")?
        };
        let root = pdf_ref(trailer, "Root").context("the PDF trailer has no /Root")?;
        let startxref = {
            let at = find_last(pdf, b"startxref").context("the PDF has no startxref")? + 9;
            std::str::from_utf8(&pdf[at..])
                .ok()
                .and_then(|s| s.split_whitespace().next())
                .and_then(|s| s.parse::<usize>().ok())
                .context("a bad startxref in the PDF")?
        };
        let catalog =
            pdf_object_dict(pdf, root.0, root.1).context("cannot find the PDF catalog")?;
        if catalog.contains("/Names") || catalog.contains("/AF") {
            bail!("cannot bake this PDF: its catalog already has /Names or /AF");
        }
        let old_info = pdf_ref(trailer, "Info").and_then(|(n, g)| pdf_object_dict(pdf, n, g));
        let id = trailer.find("/ID").and_then(|at| {
            let open = trailer[at..].find('[')? + at;
            let close = trailer[open..].find(']')? + open;
            Some(trailer[open..=close].to_owned())
        });
        Ok(PdfTail {
            size,
            root,
            startxref,
            catalog: catalog.to_owned(),
            old_info: old_info.map(str::to_owned),
            id,
        })
    }

    /// `pdf` and the update: the embedded file, its file specification, the document
    /// information with the JWS, the catalog naming the file, and their cross-reference section.
    fn append_update(&self, pdf: &[u8], jws: &str) -> Vec<u8> {
        let (root_n, root_g) = self.root;
        let file_n = self.size;
        let spec_n = self.size + 1;
        let info_n = self.size + 2;
        let mut out = pdf.to_vec();
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets: Vec<(u32, u32, usize)> = Vec::new();
        let mut object = |out: &mut Vec<u8>, n: u32, g: u32, body: &[u8]| {
            offsets.push((n, g, out.len()));
            out.extend_from_slice(format!("{n} {g} obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        let stream = format!(
            "<< /Type /EmbeddedFile /Subtype /application#2Fjwt /Length {} >>\nstream\n{jws}\nendstream",
            jws.len()
        );
        object(&mut out, file_n, 0, stream.as_bytes());
        let spec = format!(
            "<< /Type /Filespec /F (credential.jwt) /UF (credential.jwt) /AFRelationship /Data \
             /Desc (Open Badges 3.0 credential, VC-JWT) /EF << /F {file_n} 0 R /UF {file_n} 0 R >> >>"
        );
        object(&mut out, spec_n, 0, spec.as_bytes());
        let info_body = self
            .old_info
            .as_deref()
            .map(|d| d[2..d.len() - 2].to_owned())
            .unwrap_or_default();
        let info = format!("<<{info_body} {PDF_INFO_KEY} ({jws}) >>");
        object(&mut out, info_n, 0, info.as_bytes());
        let new_catalog = format!(
            "{} /Names << /EmbeddedFiles << /Names [(credential.jwt) {spec_n} 0 R] >> >> /AF [{spec_n} 0 R] >>",
            &self.catalog[..self.catalog.len() - 2]
        );
        object(&mut out, root_n, root_g, new_catalog.as_bytes());
        let xref = self.xref_section(&offsets, out.len());
        out.extend_from_slice(xref.as_bytes());
        out
    }

    /// The update's cross-reference section and trailer, for objects written at `offsets`
    /// (the three new ones, then the catalog) and a section starting at `xref_at`.
    fn xref_section(&self, offsets: &[(u32, u32, usize)], xref_at: usize) -> String {
        let (root_n, root_g) = self.root;
        let (file_n, info_n) = (self.size, self.size + 2);
        let mut xref = String::from("xref\n0 1\n0000000000 65535 f\r\n");
        xref.push_str(&format!(
            "{root_n} 1\n{:010} {:05} n\r\n",
            offsets[3].2, root_g
        ));
        xref.push_str(&format!("{file_n} 3\n"));
        for (_, g, off) in &offsets[..3] {
            xref.push_str(&format!("{off:010} {g:05} n\r\n"));
        }
        xref.push_str(&format!(
            "trailer\n<< /Size {} /Root {root_n} {root_g} R /Info {info_n} 0 R /Prev {}{} >>\nstartxref\n{xref_at}\n%%EOF\n",
            self.size + 3,
            self.startxref,
            self.id.as_ref().map(|i| format!(" /ID {i}")).unwrap_or_default()
        ));
        xref
    }
}

/// The JWS baked into a PDF by [`bake_pdf`] (the last one, if updated more than once).
pub fn extract_pdf(pdf: &[u8]) -> Result<String> {
    let key = format!("{PDF_INFO_KEY} (");
    let at = find_last(pdf, key.as_bytes())
        .context("the PDF carries no Open Badges credential (no /OpenBadgeCredential entry)")?
        + key.len();
    let end = find_from(pdf, at, b")").context("a broken /OpenBadgeCredential entry")?;
    let text = std::str::from_utf8(&pdf[at..end])
        .context("a broken /OpenBadgeCredential entry")?
        .trim();
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWS: &str = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2lnbmF0dXJl";

    /// A 1×1 PNG made by hand.
    fn tiny_png() -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        write_chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        // zlib stream of the one scanline [0, 0]: stored block.
        write_chunk(
            &mut out,
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0, 0, 0x00, 0x01, 0x00, 0x01,
            ],
        );
        write_chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn crc_of_iend_is_the_well_known_one() {
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
    }

    #[test]
    fn png_round_trip_replaces_an_earlier_credential() {
        let png = tiny_png();
        let once = bake_png(&png, JWS).unwrap();
        assert_eq!(extract_png(&once).unwrap(), JWS);
        let other = "a.b.c";
        let twice = bake_png(&once, other).unwrap();
        assert_eq!(extract_png(&twice).unwrap(), other);
        let chunks = png_chunks(&twice).unwrap();
        assert!(chunks.iter().all(|c| c.crc_ok));
        assert_eq!(chunks.iter().filter(|c| &c.kind == b"iTXt").count(), 1);
        assert_eq!(&chunks.last().unwrap().kind, b"IEND");
        assert!(extract_png(&png).is_err());
    }

    #[test]
    fn png_with_a_damaged_chunk_is_refused() {
        let mut baked = bake_png(&tiny_png(), JWS).unwrap();
        let at = baked.len() - 12 - 10; // inside the iTXt text
        baked[at] ^= 1;
        let err = extract_png(&baked).unwrap_err().to_string();
        assert!(err.contains("CRC"), "{err}");
    }

    #[test]
    fn svg_round_trip() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- a > comment -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" data-x=\"a>b\" width=\"10\"><rect/></svg>";
        let baked = bake_svg(svg, JWS).unwrap();
        assert!(baked.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));
        assert!(baked.contains("data-x=\"a>b\""));
        assert!(baked.contains(&format!("<openbadges:credential verify=\"{JWS}\"/>")));
        assert_eq!(extract_svg(&baked).unwrap(), JWS);
        let again = bake_svg(&baked, "x.y.z").unwrap();
        assert_eq!(again.matches("<openbadges:credential").count(), 1);
        assert_eq!(again.matches("xmlns:openbadges").count(), 1);
        assert_eq!(extract_svg(&again).unwrap(), "x.y.z");
        let attr = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential verify=\"a.b.c\"/></svg>";
        assert_eq!(extract_svg(attr).unwrap(), "a.b.c");
        // The form earlier versions baked: the JWS in the element's body.
        for old in [
            "<openbadges:credential><![CDATA[a.b.c]]></openbadges:credential>",
            "<openbadges:credential>\n  a.b.c\n</openbadges:credential>",
        ] {
            let svg = format!("<svg xmlns:openbadges=\"{SVG_NAMESPACE}\">{old}<rect/></svg>");
            assert_eq!(extract_svg(&svg).unwrap(), "a.b.c");
            let rebaked = bake_svg(&svg, JWS).unwrap();
            assert!(!rebaked.contains("a.b.c"), "{rebaked}");
            assert!(rebaked.contains("<rect/>"), "{rebaked}");
            assert_eq!(extract_svg(&rebaked).unwrap(), JWS);
        }
    }

    #[test]
    fn sniffs_containers() {
        assert_eq!(Container::sniff(&tiny_png()), Some(Container::Png));
        assert_eq!(Container::sniff(b"%PDF-1.7\n"), Some(Container::Pdf));
        assert_eq!(Container::sniff(b"\n<svg/>"), Some(Container::Svg));
        assert_eq!(Container::sniff(b"{}"), Some(Container::Json));
        assert_eq!(Container::sniff(JWS.as_bytes()), Some(Container::Jwt));
        assert_eq!(Container::sniff(b"hello"), None);
    }

    #[test]
    fn refuses_to_bake_non_jws_text() {
        assert!(bake_png(&tiny_png(), "a.b.c)").is_err());
        assert!(bake_svg("<svg></svg>", "]]>.a.b").is_err());
    }

    #[test]
    fn dictionaries_end_where_they_end_with_hex_strings_inside() {
        for (pdf, want) in [
            (&b"<< /Title <FEFF0041> >>x"[..], "<< /Title <FEFF0041> >>"),
            (b"<< /Title <FEFF0041>>>x", "<< /Title <FEFF0041>>>"),
            (
                b"<< /A << /B <0a> >> /T (x>>) >> tail",
                "<< /A << /B <0a> >> /T (x>>) >>",
            ),
        ] {
            assert_eq!(pdf_dict_at(pdf, 0), Some(want));
        }
        assert_eq!(pdf_dict_at(b"<< /Title <FEFF", 0), None);
    }
}
