//! `/lost`: "lost your link?". Someone types an address; every certificate of this issuer sent
//! to it gets its link mailed again.
//!
//! The answer is the same page, at once, whether or not the address has a certificate (the
//! mail goes out in the background, so neither the page nor its timing tells). Requests are
//! limited per address and per client; within the limits, each request for an address that
//! has certificates is a `link_requested` event of each of its recipients (with the client,
//! whether the request was limited, and the send id of the message, so that its bounce is
//! matched like any other), and a request for an unknown address is a line in the log.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::extract::{ConnectInfo, Form, State as Extract};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::State;
use super::routes::html_headers;
use super::writer::{Event, Target};
use crate::db;
use crate::mail::compose::{Composer, new_send_id};
use crate::mail::outbox::Outbox;
use crate::mail::smtp::{Smtp, SmtpSettings};
use crate::mail::template::Sources;
use crate::mail::transport::{Transport, Try};
use crate::model::{EventKind, Recipient, email_key};

/// At most this many requests per address, and per client, in [`WINDOW`].
pub const PER_ADDRESS: usize = 3;
pub const PER_CLIENT: usize = 10;
pub const WINDOW: Duration = Duration::from_secs(3600);

/// The recent requests, per address and per client.
#[derive(Default)]
struct Limits {
    by_address: HashMap<String, VecDeque<Instant>>,
    by_client: HashMap<String, VecDeque<Instant>>,
}

static LIMITS: LazyLock<Mutex<Limits>> = LazyLock::new(Default::default);

/// Count a request of `key`; false when it is over `max` in the window.
fn allow(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, max: usize) -> bool {
    let now = Instant::now();
    let times = map.entry(key.to_string()).or_default();
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) > WINDOW)
    {
        times.pop_front();
    }
    if times.len() >= max {
        return false;
    }
    times.push_back(now);
    true
}

/// Whether a request from `client` for `address` is within the limits (counted either way).
fn within_limits(client: &str, address: &str) -> bool {
    let mut l = LIMITS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let client_ok = allow(&mut l.by_client, client, PER_CLIENT);
    let address_ok = allow(&mut l.by_address, address, PER_ADDRESS);
    client_ok && address_ok
}

fn page(state: &State, done: bool) -> Response {
    let body = state
        .pages
        .render(
            "lost.html",
            json!({"title": "Lost your link?", "done": done}),
        )
        .unwrap_or_else(|e| {
            eprintln!("certstat: error: the lost-link page: {e:#}");
            "Lost your link?".to_owned()
        });
    (StatusCode::OK, html_headers(), body).into_response()
}

/// `GET /lost`: the form.
pub async fn form(Extract(state): Extract<State>) -> Response {
    page(&state, false)
}

#[derive(Deserialize)]
pub struct LostForm {
    #[serde(default)]
    email: String,
}

/// `POST /lost`: the same answer for every address; the links are mailed in the background.
pub async fn request(
    Extract(state): Extract<State>,
    extensions: Extensions,
    form: Result<Form<LostForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let email = form
        .map(|f| f.0.email.trim().to_string())
        .unwrap_or_default();
    let client = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_string(), |c| c.0.ip().to_string());
    let key = email_key(&email);
    let limited = !within_limits(&client, &key);
    let st = state.clone();
    tokio::spawn(async move {
        if let Err(e) = answer(&st, email, client, limited).await {
            eprintln!("certstat: error: /lost: {e:#}");
        }
    });
    page(&state, true)
}

/// Find the address's recipients, mail each their link (unless limited) and record it all.
async fn answer(state: &State, email: String, client: String, limited: bool) -> Result<()> {
    if crate::import_csv::check_email(&email).is_err() {
        eprintln!("certstat: /lost: a request without a valid address (client {client})");
        return Ok(());
    }
    let found = state
        .read(move |conn| {
            let mut out = Vec::new();
            for cert in db::certs::all(conn)? {
                if let Some(r) = db::recipients::find(conn, cert.id, &email)?
                    && !r.revoked
                {
                    out.push((cert, r));
                }
            }
            Ok(out)
        })
        .await?;
    if found.is_empty() {
        eprintln!(
            "certstat: /lost: a request for an address without a certificate (client {client}{})",
            if limited { ", over the limit" } else { "" }
        );
        return Ok(());
    }
    let mailed = if limited {
        found.iter().map(|_| json!({})).collect()
    } else {
        let st = state.clone();
        let found = found.clone();
        tokio::task::spawn_blocking(move || mail_links(&st, &found)).await??
    };
    for ((_, r), mut detail) in found.into_iter().zip(mailed) {
        detail["client"] = json!(client);
        detail["limited"] = json!(limited);
        state
            .writer
            .record(Event {
                target: Target::Recipient(r.id),
                kind: EventKind::LinkRequested,
                at: crate::clock::now(),
                detail: detail.into(),
            })
            .await?;
    }
    Ok(())
}

/// Mail each recipient the link to their certificate; per recipient, what happened (the send id
/// and the server's reply, or the error).
fn mail_links(
    state: &State,
    found: &[(crate::model::Certificate, Recipient)],
) -> Result<Vec<Value>> {
    let mut transport: Box<dyn Transport> = match &state.config.smtp {
        Some(s) => Box::new(Smtp::new(SmtpSettings::from_config(s)?)),
        None => Box::new(Outbox::open(
            state
                .config
                .outbox
                .dir
                .clone()
                .unwrap_or_else(|| crate::paths::default_outbox(&state.db_path)),
        )?),
    };
    let mut out = Vec::new();
    for (cert, r) in found {
        let composer = Composer::with_templates(
            cert,
            &state.config,
            state.secret.clone(),
            Sources::lost_link(),
        )?;
        let send_id = new_send_id();
        let detail = match composer.compose_as(r, send_id.clone()) {
            Err(e) => json!({"mailed": false, "error": format!("{e:#}")}),
            Ok(m) => match transport.try_send(&m, None) {
                Try::Accepted(reply) => json!({"mailed": true, "send_id": send_id,
                    "message_id": m.message_id, "transport": transport.name(), "reply": reply}),
                other => json!({"mailed": false, "send_id": send_id,
                    "error": format!("{other:?}")}),
            },
        };
        out.push(detail);
    }
    transport.close();
    Ok(out)
}
