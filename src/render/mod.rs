//! Certificate documents: SVG design templates rendered to SVG, PNG and PDF.
