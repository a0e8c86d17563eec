//! `certstat serve`: the recipient pages (claim, view, download, share, verify).

use anyhow::Result;
use clap::Args;

use super::Ctx;
use crate::web;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: config [serve] listen, else 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR", value_parser = crate::config::listen_arg)]
    pub listen: Option<String>,
    /// Public URL of these pages, used in links and on certificates
    /// [default: config [serve] base_url, else http://<listen address>]
    #[arg(long, value_name = "URL", value_parser = crate::config::url_arg)]
    pub base_url: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: ServeArgs) -> Result<()> {
    let listen = args
        .listen
        .or_else(|| ctx.config.serve.listen.clone())
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let base_url = args
        .base_url
        .or_else(|| web::doc::configured_base_url(&ctx.config));
    if base_url.is_none() {
        ctx.printer.warn(
            "no --base-url and no [serve] base_url in the config: links and certificates use \
             this server's own address, which works only on this machine",
        );
    }
    let secret = ctx.secret()?;
    web::run(web::Options {
        db_path: ctx.db_path.clone(),
        config: ctx.config.clone(),
        secret,
        listen,
        base_url,
        log: ctx.printer.log(),
    })
}
