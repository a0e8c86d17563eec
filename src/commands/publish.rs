//! `certstat publish CERT --out DIR`: the public side of a certificate as static files, for an
//! organisation without a server — the verification pages and their images, every issued
//! credential (JSON and VC-JWT) with its status, the issuer profile, its keys and the
//! Achievement.
//!
//! Each file is what `certstat serve --base-url <base_url>` answers at the same path: the files
//! come from the very router `serve` runs, asked in process ([`crate::web::fetch_all`]), so
//! a static host serves the same bytes. A page path gets `index.html` in a folder of its
//! name (`/v/<id>` → `v/<id>/index.html`); every other path is a file whose name says its type
//! (every JSON document is published, and named in the documents, as a `.json` file), so that
//! a plain static host serves each document with its type and without a redirect.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use rusqlite::Connection;

use super::Ctx;
use crate::db;
use crate::model::Certificate;
use crate::web::doc;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// Folder to write the site to (created when missing; files certstat writes are replaced)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Public URL the folder will be served at [default: config [serve] base_url]
    #[arg(long, value_name = "URL", value_parser = crate::config::url_arg)]
    pub base_url: Option<String>,
}

/// Every public URL path of a certificate: what `publish` writes. Issued credentials only
/// (claimed, or rendered with `certstat render`): there is no page for anyone else.
pub fn public_paths(conn: &Connection, cert: &Certificate) -> Result<Vec<String>> {
    let mut paths = vec![
        "/static/style.css".to_owned(),
        "/static/favicon.svg".to_owned(),
        "/favicon.ico".to_owned(),
        "/status/revocation.json".to_owned(),
        "/issuer.json".to_owned(),
        "/issuer/jwks.json".to_owned(),
    ];
    for key in crate::credentials::keys::list(conn)? {
        paths.push(format!("/issuer/jwk/{}.json", key.kid));
        if key.alg == Some(crate::credentials::keys::Alg::Ed25519) {
            // Its verification method document (Data Integrity proofs are Ed25519).
            paths.push(format!("/issuer/keys/{}.json", key.kid));
        }
    }
    let mut issued = Vec::new();
    db::recipients::for_each(conn, cert.id, &db::recipients::Filter::default(), |r| {
        issued.push(r);
        Ok(())
    })?;
    let mut any = false;
    for r in issued {
        if !db::credentials::is_issued(conn, r.id)? {
            continue;
        }
        any = true;
        let id = doc::credential_id(conn, &r)?;
        for suffix in ["", ".png", ".json", ".jwt"] {
            paths.push(format!("/v/{id}{suffix}"));
        }
        paths.push(format!("/credentials/{id}.json"));
    }
    if any {
        paths.push(format!("/issuer/achievements/{}.json", cert.id));
    }
    Ok(paths)
}

/// Where a path's response goes under `out`.
fn file_for(out: &Path, path: &str, html: bool, folders: &BTreeSet<String>) -> PathBuf {
    let rel = path.trim_start_matches('/');
    if html || folders.contains(rel) {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

/// Whether a path's extension is the one static hosts give `content_type` (JSON documents
/// `.json`, whatever their JSON media type).
fn named_for_its_type(path: &str, content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    let ext = match media {
        "application/json" | "application/ld+json" | "application/vc+ld+json" => ".json",
        "image/png" => ".png",
        "image/svg+xml" => ".svg",
        "text/css" => ".css",
        "application/jwt" => ".jwt",
        _ => return false,
    };
    path.ends_with(ext) || (ext == ".svg" && path.ends_with(".ico"))
}

pub fn run(ctx: &mut Ctx, args: PublishArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &args.cert)?;
    let base_url = match args
        .base_url
        .clone()
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .or_else(|| doc::configured_base_url(&ctx.config))
    {
        Some(u) => u,
        None => bail!(
            "publish needs the URL the folder will be served at: pass --base-url \
             https://… or set [serve] base_url in the config"
        ),
    };
    // The keys are published even before anything is signed.
    crate::credentials::keys::ensure(&ctx.conn, &ctx.db_path)?;
    let paths = public_paths(&ctx.conn, &cert)?;
    let issued = paths.iter().filter(|p| p.ends_with(".jwt")).count();
    let secret = ctx.secret()?;
    let fetched = crate::web::fetch_all(
        ctx.db_path.clone(),
        ctx.config.clone(),
        secret,
        &base_url,
        &paths,
        ctx.printer.log(),
    )?;
    // Paths that are folders of other paths.
    let mut folders = BTreeSet::new();
    for p in &paths {
        let rel = p.trim_start_matches('/');
        let mut at = 0;
        while let Some(n) = rel[at..].find('/') {
            folders.insert(rel[..at + n].to_owned());
            at += n + 1;
        }
    }
    super::out_folder(&args.out)?;
    for f in &fetched {
        if f.status != 200 {
            bail!(
                "{} answered {} instead of a page to publish; nothing more was written",
                f.path,
                f.status
            );
        }
        let html = f.content_type.starts_with("text/html");
        // A static host types a file by its name: every document but a page has one that
        // says what it is (a JSON document a `.json` one), or it would be served as
        // application/octet-stream.
        if !html && !named_for_its_type(&f.path, &f.content_type) {
            bail!(
                "{} ({}) has no file name a static host would serve as that type; nothing more \
                 was written",
                f.path,
                f.content_type
            );
        }
        let file = file_for(&args.out, &f.path, html, &folders);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
        std::fs::write(&file, &f.body)
            .with_context(|| format!("cannot write {}", file.display()))?;
        ctx.printer.debug(format!("wrote {}", file.display()));
    }
    ctx.printer.info(format!(
        "wrote {} files for {issued} issued credential{} of '{}' to {}; serve the folder at {base_url}",
        fetched.len(),
        if issued == 1 { "" } else { "s" },
        cert.name,
        args.out.display()
    ));
    if issued == 0 {
        ctx.printer.warn(
            "no credential of this certificate is issued yet: a credential is issued when its \
             recipient claims it or when `certstat render` writes its document",
        );
    }
    Ok(())
}
