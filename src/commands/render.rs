//! `certstat render`: write recipients' certificate documents (PDF, PNG or SVG) to a folder.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::Ctx;
use crate::db;
use crate::model::{Certificate, Recipient};
use crate::render::{self, Format};
use crate::web::doc;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Only this recipient (every recipient when omitted)
    pub email: Option<String>,
    /// Folder to write the documents to (created when missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Document format
    #[arg(long, value_enum, default_value_t = Format::Pdf)]
    pub format: Format,
}

pub fn run(ctx: &mut Ctx, args: RenderArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &args.cert)?;
    let recipients = recipients_of(ctx, &cert, args.email.as_deref())?;
    let base_url = base_url(ctx);
    super::out_folder(&args.out)?;
    let secret = ctx.secret()?;
    let ext = args.format.extension();
    let mut used = std::collections::HashSet::new();
    let mut failed = 0usize;
    for r in &recipients {
        let Some(bytes) = document(ctx, &cert, r, &base_url, &secret, args.format)? else {
            failed += 1;
            continue;
        };
        let path = args.out.join(unique_name(&mut used, &cert, r, ext));
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        ctx.printer.debug(format!("wrote {}", path.display()));
    }
    let written = recipients.len() - failed;
    ctx.printer.info(format!(
        "wrote {written} {ext} document{} to {}",
        if written == 1 { "" } else { "s" },
        args.out.display()
    ));
    if failed > 0 {
        bail!(
            "{failed} of {} documents could not be rendered (see the warnings above)",
            recipients.len()
        );
    }
    Ok(())
}

/// The recipient named, or every recipient of the certificate (an error when it has none).
fn recipients_of(ctx: &Ctx, cert: &Certificate, email: Option<&str>) -> Result<Vec<Recipient>> {
    let recipients = match email {
        Some(email) => vec![db::recipients::get(&ctx.conn, cert.id, email)?],
        None => {
            let mut all = Vec::new();
            db::recipients::for_each(
                &ctx.conn,
                cert.id,
                &db::recipients::Filter::default(),
                |r| {
                    all.push(r);
                    Ok(())
                },
            )?;
            all
        }
    };
    if recipients.is_empty() {
        bail!(
            "'{}' has no recipients (`certstat recipients import` adds them)",
            cert.name
        );
    }
    Ok(recipients)
}

/// The verification links' base: `[serve] base_url`, else the fallback (with a warning).
fn base_url(ctx: &Ctx) -> String {
    match doc::configured_base_url(&ctx.config) {
        Some(u) => u,
        None => {
            ctx.printer.warn(format!(
                "no [serve] base_url in the config: verification links on the documents point to {}",
                doc::FALLBACK_BASE_URL
            ));
            doc::FALLBACK_BASE_URL.to_owned()
        }
    }
}

/// One recipient's document with their signed Open Badges credential baked in; None (with a
/// warning) when it cannot be rendered.
fn document(
    ctx: &Ctx,
    cert: &Certificate,
    r: &Recipient,
    base_url: &str,
    secret: &crate::tokens::Secret,
    format: Format,
) -> Result<Option<Vec<u8>>> {
    let dc = doc::doc_context(&ctx.conn, &ctx.config, base_url, cert, r)?;
    let bytes = match render::render_with_gaps(doc::design(cert), &dc, format) {
        Ok((b, missing)) => {
            if !missing.is_empty() {
                ctx.printer.warn(format!(
                    "<{}>: {}; they are drawn as empty boxes",
                    r.email,
                    render::coverage::describe(&missing)
                ));
            }
            b
        }
        Err(e) => {
            ctx.printer
                .warn(format!("<{}>: not rendered: {e:#}", r.email));
            return Ok(None);
        }
    };
    let issued = crate::credentials::issue::issue(
        &ctx.conn,
        &ctx.db_path,
        &ctx.config,
        base_url,
        secret,
        cert,
        r,
    )?;
    let bytes = crate::credentials::bake::bake(format, bytes, &issued.jwt)?;
    if r.revoked {
        ctx.printer.warn(format!(
            "<{}>: this certificate is revoked; its credential says so to anyone who verifies it",
            r.email
        ));
    }
    Ok(Some(bytes))
}

/// One file per recipient, named after them; the address breaks ties between namesakes.
fn unique_name(
    used: &mut std::collections::HashSet<String>,
    cert: &Certificate,
    r: &Recipient,
    ext: &str,
) -> String {
    let name = doc::file_name(cert, r, ext);
    if used.insert(name.to_lowercase()) {
        return name;
    }
    // Two addresses may share their first 60 bytes: a number then tells them apart.
    let stem = name.trim_end_matches(&format!(".{ext}")).to_string();
    let email = doc::truncate_bytes(&safe_email(&r.email), 60).to_string();
    (1..)
        .map(|n| match n {
            1 => format!("{stem} ({email}).{ext}"),
            n => format!("{stem} ({email}) {n}.{ext}"),
        })
        .find(|candidate| used.insert(candidate.to_lowercase()))
        .expect("an unused name")
}

fn safe_email(email: &str) -> String {
    email
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._+-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
