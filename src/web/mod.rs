//! `certstat serve`: the recipient pages of DESIGN.md ("Recipient pages").
//!
//! The only asynchronous part of certstat: [`run`] builds a tokio runtime, serves an axum
//! router, and returns when SIGTERM or Ctrl-C arrives and every accepted event is committed.
//!
//! - Reads (token lookups, pages) use a small pool of SQLite connections inside
//!   `spawn_blocking`.
//! - Writes go through one [`writer::Writer`] thread with its own connection and a bounded
//!   queue; handlers wait for the commit, so `stats` in another shell sees an event as soon as
//!   its response is sent — except the open pixel and the click of a recipient the writer
//!   already knows, which are answered once queued and committed within milliseconds (see
//!   [`writer`]).
//! - Pages are MiniJinja templates (HTML auto-escaping) in `templates/`, with one stylesheet
//!   and no external assets.

mod credentials;
pub mod doc;
mod limit;
mod lost;
pub mod machine;
mod pages;
mod routes;
mod session;
mod unsubscribe;
pub mod writer;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::Connection;

use crate::config::Config;
use crate::db;
use crate::output::Log;
use crate::tokens::Secret;

/// What `serve` runs with.
pub struct Options {
    pub db_path: PathBuf,
    pub config: Config,
    pub secret: Secret,
    /// `host:port` to listen on.
    pub listen: String,
    /// What links and the verification URL use; `http://<listen address>` when `None`.
    pub base_url: Option<String>,
    /// The server's log: its start and stop, and failures that become a 500 page.
    pub log: Log,
}

/// Most idle read connections kept.
const POOL_SIZE: usize = 8;
/// Most rendered documents kept in memory.
const CACHE_SIZE: usize = 64;
/// How long open connections may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct Inner {
    db_path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    writer: writer::Writer,
    secret: Secret,
    config: Config,
    base_url: String,
    secure_cookies: bool,
    pages: pages::Pages,
    cache: Mutex<DocCache>,
    limits: limit::Limits,
    log: Log,
}

/// Rendered documents by `(credential id, format)`: (hash of the inputs, bytes).
type DocCache = HashMap<(String, &'static str), ([u8; 32], Arc<Vec<u8>>)>;

/// Shared by every handler.
pub(crate) type State = Arc<Inner>;

impl Inner {
    /// Run `f` on a pooled read connection, off the async threads.
    pub(crate) async fn read<R, F>(self: &Arc<Self>, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let conn = match state.pool.lock().expect("pool lock").pop() {
                Some(c) => c,
                None => db::open(&state.db_path)?,
            };
            let result = f(&conn);
            let mut pool = state.pool.lock().expect("pool lock");
            if pool.len() < POOL_SIZE {
                pool.push(conn);
            }
            result
        })
        .await
        .context("a database read was cancelled")?
    }
}

/// One response of [`fetch_all`].
pub struct Fetched {
    pub path: String,
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Answer GET requests for `paths` with the router `serve` runs, in process (no socket), as
/// `serve --base-url base_url` would answer them: what `certstat publish` writes to files.
pub fn fetch_all(
    db_path: PathBuf,
    config: Config,
    secret: Secret,
    base_url: &str,
    paths: &[String],
    log: Log,
) -> Result<Vec<Fetched>> {
    use tower::ServiceExt;
    let base_url = base_url.trim().trim_end_matches('/').to_owned();
    url::Url::parse(&base_url)
        .with_context(|| format!("the base URL '{base_url}' is not a URL"))?;
    let (writer, writer_thread) = writer::Writer::start(&db_path, log.clone())?;
    let state: State = Arc::new(Inner {
        db_path,
        pool: Mutex::new(Vec::new()),
        writer,
        secret,
        config,
        secure_cookies: base_url.starts_with("https://"),
        base_url,
        pages: pages::Pages::new(),
        cache: Mutex::new(HashMap::new()),
        limits: limit::Limits::default(),
        log,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let app = routes::app(state);
    let fetched = runtime.block_on(async move {
        let mut out = Vec::with_capacity(paths.len());
        for path in paths {
            let request = axum::extract::Request::get(path.as_str())
                .body(axum::body::Body::empty())
                .with_context(|| format!("'{path}' is not a request path"))?;
            let response = app.clone().oneshot(request).await?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .with_context(|| format!("reading the answer to {path}"))?;
            out.push(Fetched {
                path: path.clone(),
                status,
                content_type,
                body: body.to_vec(),
            });
        }
        anyhow::Ok(out)
    });
    // Dropping the runtime drops the router and its state, the last senders to the writer.
    drop(runtime);
    writer_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the database writer thread panicked"))?;
    fetched
}

/// Serve until SIGTERM or Ctrl-C; then finish open requests, commit every pending event and
/// return.
pub fn run(opts: Options) -> Result<()> {
    let std_listener = std::net::TcpListener::bind(&opts.listen)
        .with_context(|| format!("cannot listen on {}", opts.listen))?;
    std_listener.set_nonblocking(true)?;
    let local: SocketAddr = std_listener.local_addr()?;
    let base_url = opts
        .base_url
        .as_deref()
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("http://{local}"));
    url::Url::parse(&base_url)
        .with_context(|| format!("the base URL '{base_url}' is not a URL"))?;

    let (writer, writer_thread) = writer::Writer::start(&opts.db_path, opts.log.clone())?;
    let state: State = Arc::new(Inner {
        db_path: opts.db_path.clone(),
        pool: Mutex::new(Vec::new()),
        writer,
        secret: opts.secret,
        config: opts.config,
        secure_cookies: base_url.starts_with("https://"),
        base_url: base_url.clone(),
        pages: pages::Pages::new(),
        cache: Mutex::new(HashMap::new()),
        limits: limit::Limits::default(),
        log: opts.log.clone(),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("certstat-serve")
        .build()
        .context("cannot start the server runtime")?;
    let log = opts.log;
    let server_log = log.clone();
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            SocketAddr,
        >(routes::app(state));
        server_log.info(format!(
            "certstat: listening on http://{local} (links use {base_url}); Ctrl-C stops"
        ));
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let signal = async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        };
        let server = axum::serve(listener, app).with_graceful_shutdown(signal);
        let mut stop_rx2 = stop_rx.clone();
        tokio::select! {
            r = server => r.context("the server failed"),
            _ = async {
                let _ = stop_rx2.wait_for(|s| *s).await;
                tokio::time::sleep(DRAIN_TIMEOUT).await;
            } => {
                server_log.warn("some connections did not close in time");
                Ok(())
            }
        }
    });
    log.info("certstat: stopping: writing pending events");
    // Dropping the runtime drops the router and its state, the last senders to the writer;
    // the writer then drains its queue and exits.
    runtime.shutdown_timeout(Duration::from_secs(5));
    writer_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the database writer thread panicked"))?;
    log.info("certstat: stopped");
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
