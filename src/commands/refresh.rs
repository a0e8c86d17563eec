//! `certstat refresh`: read the bounce mailboxes, apply bounces and deliveries, then promote
//! quiet sends to Delivered. Safe from cron: idempotent, one run at a time, quiet with `-q`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use clap::Args;

use super::Ctx;
use crate::db::inbound;
use crate::lock::{self, RunLock};
use crate::refresh::{Engine, Note, Options, Summary, imap, sources};
use crate::{clock, db};

/// The settle window when neither `--settle` nor `[refresh] settle` says.
pub const DEFAULT_SETTLE: &str = "1h";

#[derive(Debug, Args)]
#[command(after_long_help = "\
Without --maildir, --mbox or --imap, the sources in the config's [refresh] section are read, \
so a cron line needs no flags:

    */10 * * * *  certstat -q refresh

Mail is never deleted or changed (unless --imap-mark-seen or --imap-move): what was read is \
remembered by a hash of each message, so running again changes nothing. The IMAP password \
comes from CERTSTAT_IMAP_PASSWORD or [refresh] imap_password_command, never from the URL.")]
pub struct RefreshArgs {
    /// Only this certificate's recipients (name or id); mail about others is left for later
    pub cert: Option<String>,
    /// A Maildir to read (its new/ and cur/); repeatable
    #[arg(long, value_name = "DIR")]
    pub maildir: Vec<PathBuf>,
    /// An mbox file to read; repeatable
    #[arg(long, value_name = "FILE")]
    pub mbox: Vec<PathBuf>,
    /// An IMAP mailbox: imaps://USER@HOST[:PORT]/MAILBOX (USER percent-encoded), imap:// for
    /// STARTTLS (plain on a loopback address)
    #[arg(long, value_name = "URL")]
    pub imap: Option<String>,
    /// Mark processed IMAP mail \Seen
    #[arg(long)]
    pub imap_mark_seen: bool,
    /// Move processed IMAP mail to this folder
    #[arg(long, value_name = "FOLDER", conflicts_with = "imap_mark_seen")]
    pub imap_move: Option<String>,
    /// Pending recipients with no bounce this long after sending become Delivered [default: 1h]
    #[arg(long, value_name = "DURATION", value_parser = clock::duration_arg)]
    pub settle: Option<String>,
    /// Print what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The refresh lock's suffix beside the database.
const REFRESH_LOCK: &str = ".refresh.lock";

/// Take the refresh lock, waiting up to `wait` for another run; None when it is still held.
fn take_lock(ctx: &Ctx, wait: Duration) -> Result<Option<RunLock>> {
    let path = lock::path_beside(&ctx.db_path, REFRESH_LOCK);
    let start = Instant::now();
    let mut told = false;
    loop {
        if let Ok(lock) = RunLock::try_take(&path, "refresh")? {
            return Ok(Some(lock));
        }
        if start.elapsed() >= wait {
            return Ok(None);
        }
        if !told {
            ctx.printer
                .debug("waiting for another `certstat refresh` to finish");
            told = true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The mailboxes a run reads: the flags', else the config's `[refresh]` section's.
struct Sources {
    maildirs: Vec<PathBuf>,
    mboxes: Vec<PathBuf>,
    imap: Option<imap::Target>,
}

impl Sources {
    fn of(ctx: &Ctx, a: &RefreshArgs) -> Result<Sources> {
        let flags_given = !a.maildir.is_empty() || !a.mbox.is_empty() || a.imap.is_some();
        let (maildirs, mboxes, imap_url) = if flags_given {
            (a.maildir.clone(), a.mbox.clone(), a.imap.clone())
        } else {
            let r = &ctx.config.refresh;
            (r.maildirs.clone(), r.mboxes.clone(), r.imap.clone())
        };
        let imap = imap_url.as_deref().map(imap::parse_url).transpose()?;
        if (a.imap_mark_seen || a.imap_move.is_some()) && imap.is_none() {
            return Err(anyhow!(
                "--imap-mark-seen and --imap-move need an IMAP source (--imap URL or [refresh] imap)"
            ));
        }
        Ok(Sources {
            maildirs,
            mboxes,
            imap,
        })
    }

    fn is_empty(&self) -> bool {
        self.maildirs.is_empty() && self.mboxes.is_empty() && self.imap.is_none()
    }
}

pub fn run(ctx: &mut Ctx, a: RefreshArgs) -> Result<()> {
    let settle_text = a
        .settle
        .clone()
        .or_else(|| ctx.config.refresh.settle.clone())
        .unwrap_or_else(|| DEFAULT_SETTLE.to_string());
    let settle = clock::parse_duration(&settle_text).map_err(|e| anyhow!("--settle: {e}"))?;
    let certificate_id = match &a.cert {
        Some(c) => Some(db::certs::find(&ctx.conn, c)?.id),
        None => None,
    };
    let sources = Sources::of(ctx, &a)?;
    if sources.is_empty() {
        ctx.printer.warn(format!(
            "no mailbox to read (give --maildir, --mbox or --imap, or set [refresh] in {}): only \
             promoting sends older than {settle_text} to Delivered",
            ctx.config_path.display()
        ));
    }

    let Some(_lock) = take_lock(ctx, Duration::from_secs(60))? else {
        ctx.printer.warn(format!(
            "another `certstat refresh` on this database has been running for over a minute \
             (lock {}); this run did nothing",
            lock::path_beside(&ctx.db_path, REFRESH_LOCK).display()
        ));
        return Ok(());
    };

    crate::signal::install()?;
    let opts = Options {
        certificate_id,
        dry_run: a.dry_run,
        settle,
    };
    let summary = read_all(ctx, &a, &sources, opts)?;
    report(ctx, &summary, a.dry_run)
}

/// Read every source into one engine, then settle quiet sends (when every source was read).
fn read_all(ctx: &Ctx, a: &RefreshArgs, from: &Sources, opts: Options) -> Result<Summary> {
    // Without the secret no VERP token can be checked; the other keys still work.
    let secret = ctx.secret().ok();
    let printer = &ctx.printer;
    let notes = |note: Note| match note {
        Note::Change(line) if a.dry_run => printer.info(line),
        Note::Change(line) => printer.debug(line),
        Note::Warning(line) => printer.warn(line),
    };
    let mut engine = Engine::new(&ctx.conn, secret, opts).with_notes(&notes);
    for dir in &from.maildirs {
        sources::maildir(&mut engine, dir)?;
    }
    for file in &from.mboxes {
        sources::mbox(&mut engine, file)?;
    }
    if let Some(t) = &from.imap {
        let result =
            imap::password(ctx.config.refresh.imap_password_command.as_deref()).and_then(|pw| {
                let after = imap::After {
                    mark_seen: a.imap_mark_seen,
                    move_to: a.imap_move.clone(),
                };
                imap::read(&mut engine, t, &pw, &after)
            });
        if let Err(e) = result {
            engine.error(format!("{e:#}"));
        }
    }
    // Promote quiet sends only when every mailbox was read: a bounce may wait in one that
    // could not be.
    if engine.summary.errors.is_empty() && crate::signal::requested().is_none() {
        engine.settle()?;
    } else if !engine.summary.errors.is_empty() {
        ctx.printer.warn(
            "not promoting Pending recipients to Delivered this time: a mailbox could not be read",
        );
    }
    engine.finish()?;
    Ok(std::mem::take(&mut engine.summary))
}

/// The run's report: unmatched mail with `-v` (and earlier unmatched mail with `-vv`), the
/// summary line, and the errors as the command's error.
fn report(ctx: &Ctx, summary: &Summary, dry_run: bool) -> Result<()> {
    if ctx.printer.verbose > 0 {
        for u in &summary.unmatched_list {
            ctx.printer.debug(u);
        }
    }
    if ctx.printer.verbose > 1 {
        let earlier = inbound::unmatched(&ctx.conn, 1000)?;
        if !earlier.is_empty() {
            ctx.printer.debug(format!(
                "unmatched mail remembered so far ({}):",
                earlier.len()
            ));
        }
        for (at, place, summary) in earlier {
            ctx.printer.debug(format!("  {at} {place} {summary}"));
        }
    }
    ctx.printer.info(summary.line(dry_run));
    if summary.unmatched > 0 && ctx.printer.verbose == 0 {
        ctx.printer.info(
            "  (with -v, refresh lists unmatched mail as it reads it; -vv also lists earlier unmatched mail)",
        );
    }
    crate::signal::check(|| "what was read is recorded; the next refresh reads the rest".into())?;
    if !summary.errors.is_empty() {
        let list = summary.errors.join("; ");
        return Err(anyhow!(
            "refresh: {} error(s): {list}",
            summary.errors.len()
        ));
    }
    Ok(())
}
