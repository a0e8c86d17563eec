//! `/lost`: "lost your link?". Someone types an address; every certificate of this issuer sent
//! to it gets its link mailed again, in the certificate's language (the request's, when the
//! certificate follows the browser's and certstat has it).
//!
//! Only the certificates sent to the address count (not those still Not Sent), and an address
//! on the suppression list gets nothing (its `link_requested` events say so).
//!
//! The answer is the same page, at once, whether or not the address has a certificate (the
//! look-up and the mail happen in the background, so neither the page nor its timing tells).
//! The form carries a CSRF token (a signed nonce, double-submitted in a cookie scoped to
//! `/lost`), so another site cannot make a visitor's browser request links. Every request is
//! logged in the database (`db::lost`, `certstat events lost`), for an unknown address too,
//! and the limits per address and per client are counted from that log, so they hold across
//! restarts. A request for an address that has certificates is also a `link_requested` event
//! of each of its recipients (with the client, whether the request was limited, the request's
//! id, and the send id of the message, so that its bounce is matched like any other).

use anyhow::Result;
use axum::extract::{Form, State as Extract};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::State;
use super::routes::{general, html_headers};
use super::session;
use super::writer::{Event, LinkRequest, Target};
use crate::db;
use crate::l10n::Language;
use crate::mail::compose::{Composer, new_send_id};
use crate::mail::outbox::Outbox;
use crate::mail::smtp::{Smtp, SmtpSettings};
use crate::mail::template::Sources;
use crate::mail::transport::{Transport, Try};
use crate::model::detail::{EventDetail, Field, LinkRequest as LinkDetail};
use crate::model::{Certificate, EventKind, Recipient, email_key};

/// How the page looks: the form, the answer, or the form again after a failed CSRF check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Form,
    Done,
    Expired,
}

fn page(state: &State, headers: &HeaderMap, shown: Shown) -> Response {
    let lang: &'static Language = general(headers);
    let existing =
        session::cookie(headers, session::LOST_CSRF_COOKIE).filter(|n| session::is_nonce(n));
    let nonce = existing
        .map(str::to_owned)
        .unwrap_or_else(session::new_nonce);
    let title = crate::l10n::catalog().text(lang.code, "lost-heading", &[]);
    let body = state
        .pages
        .render(
            "lost.html",
            lang,
            json!({"title": title, "done": shown == Shown::Done,
                   "expired": shown == Shown::Expired,
                   "csrf": session::lost_csrf_field(&state.secret, &nonce)}),
        )
        .unwrap_or_else(|e| {
            state
                .log
                .error_line(format!("certstat: error: the lost-link page: {e:#}"));
            title.clone()
        });
    let status = if shown == Shown::Expired {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    let mut res = (status, html_headers(), body).into_response();
    if existing.is_none() {
        let cookie = session::set_cookie_at(
            session::LOST_CSRF_COOKIE,
            &nonce,
            "/lost",
            86_400,
            "Strict",
            state.secure_cookies,
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// `GET /lost`: the form.
pub async fn form(Extract(state): Extract<State>, headers: HeaderMap) -> Response {
    page(&state, &headers, Shown::Form)
}

#[derive(Deserialize)]
pub struct LostForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /lost`: the same answer for every address; the links are mailed in the background.
/// A request without the form's CSRF token gets the form again (403), for any address.
pub async fn request(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    extensions: Extensions,
    form: Result<Form<LostForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    // A burst from one client is refused before anything is logged (see `limit.rs`).
    let ip = super::limit::client(&extensions, &headers);
    if let Err(limited) = state.limits.check(ip, None) {
        return super::routes::too_many(&state, general(&headers), limited);
    }
    let (email, csrf) = form
        .map(|f| (f.0.email.trim().to_string(), f.0.csrf))
        .unwrap_or_default();
    let client = ip.map_or_else(|| "local".to_string(), |ip| ip.to_string());
    let forged = !session::lost_csrf_ok(&state.secret, &headers, &csrf);
    let browser = super::routes::accepted(&headers);
    let logged = state
        .writer
        .link_request(LinkRequest {
            at: crate::clock::now(),
            email_key: email_key(&email),
            email: email.clone(),
            client: client.clone(),
            forged,
        })
        .await;
    let (id, limited) = match logged {
        Ok(r) => r,
        Err(e) => {
            state.log.error_line(format!(
                "certstat: error: /lost: cannot log the request: {e:#}"
            ));
            // Nothing mails a link without its request in the log (the limits read it).
            return page(&state, &headers, Shown::Done);
        }
    };
    if forged {
        state.log.error_line(format!(
            "certstat: /lost: a request without the form's token (client {client})"
        ));
        return page(&state, &headers, Shown::Expired);
    }
    let st = state.clone();
    tokio::spawn(async move {
        if let Err(e) = answer(&st, id, email, client, limited, browser).await {
            st.log.error_line(format!("certstat: error: /lost: {e:#}"));
        }
    });
    page(&state, &headers, Shown::Done)
}

/// Find the address's recipients, mail each their link (unless limited) and record it all;
/// `browser` is the request's language, if certstat has it.
async fn answer(
    state: &State,
    id: i64,
    email: String,
    client: String,
    limited: bool,
    browser: Option<&'static Language>,
) -> Result<()> {
    if crate::import_csv::check_email(&email).is_err() {
        state.log.error_line(format!(
            "certstat: /lost: a request without a valid address (client {client})"
        ));
        return state
            .writer
            .link_request_done(id, db::lost::INVALID, 0)
            .await;
    }
    // Only certificates that were sent to the address: one the organiser has not sent yet
    // (Not Sent) is not given out here. An address on the suppression list is never mailed:
    // whoever typed it may not be its owner.
    let (found, suppressed) = state
        .read(move |conn| {
            let mut out = Vec::new();
            for cert in db::certs::all(conn)? {
                if let Some(r) = db::recipients::find(conn, cert.id, &email)?
                    && !r.revoked
                    && r.status != crate::model::Status::NotSent
                {
                    out.push((cert, r));
                }
            }
            let suppressed = match out.is_empty() {
                true => None,
                false => db::suppression::all(conn)?
                    .remove(&email_key(&email))
                    .map(|e| e.reason),
            };
            Ok((out, suppressed))
        })
        .await?;
    if found.is_empty() {
        state.log.error_line(format!(
            "certstat: /lost: a request for an address without a certificate (client {client}{})",
            if limited { ", over the limit" } else { "" }
        ));
        return state
            .writer
            .link_request_done(id, db::lost::UNKNOWN, 0)
            .await;
    }
    let mailed = if let Some(reason) = &suppressed {
        state.log.error_line(format!(
            "certstat: /lost: a request for a suppressed address: nothing mailed (client {client})"
        ));
        let detail = LinkDetail {
            mailed: Field::Value(false),
            error: Field::Value(format!("the address is suppressed: {reason}")),
            ..LinkDetail::default()
        };
        found.iter().map(|_| detail.clone()).collect()
    } else if limited {
        found.iter().map(|_| LinkDetail::default()).collect()
    } else {
        let st = state.clone();
        let found = found.clone();
        tokio::task::spawn_blocking(move || mail_links(&st, &found, browser)).await??
    };
    let n = found.len();
    for ((_, r), mut detail) in found.into_iter().zip(mailed) {
        detail.client = Field::Value(client.clone());
        detail.limited = Field::Value(limited);
        detail.request_id = Field::Value(id);
        state
            .writer
            .record(Event {
                target: Target::Recipient(r.id),
                kind: EventKind::LinkRequested,
                at: crate::clock::now(),
                detail: EventDetail::LinkRequested(detail).to_value().into(),
            })
            .await?;
    }
    state.writer.link_request_done(id, db::lost::FOUND, n).await
}

/// The certificate as its lost-link email speaks: in its language, or in the browser's when it
/// follows the browser's (as its pages do) and certstat has that one.
fn in_language(cert: &Certificate, browser: Option<&'static Language>) -> Certificate {
    let mut cert = cert.clone();
    if let (true, Some(language)) = (cert.follow_browser_language, browser) {
        cert.language = Some(language.code.to_owned());
    }
    cert
}

/// Mail each recipient the link to their certificate (see [`in_language`]); per recipient, what
/// happened (the send id and the server's reply, or the error).
fn mail_links(
    state: &State,
    found: &[(Certificate, Recipient)],
    browser: Option<&'static Language>,
) -> Result<Vec<LinkDetail>> {
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
            &in_language(cert, browser),
            &state.config,
            state.secret.clone(),
            Sources::lost_link(),
        )?;
        let send_id = new_send_id();
        let mut detail = LinkDetail::default();
        match composer.compose_as(r, send_id.clone()) {
            Err(e) => {
                detail.mailed = Field::Value(false);
                detail.error = Field::Value(format!("{e:#}"));
            }
            Ok(m) => {
                detail.origin.send_id = Field::Value(send_id);
                match transport.try_send(&m, None) {
                    Try::Accepted(reply) => {
                        detail.mailed = Field::Value(true);
                        detail.origin.message_id = Field::Value(m.message_id.clone());
                        detail.transport = Field::Value(transport.name().to_owned());
                        detail.reply = Field::Value(reply);
                    }
                    other => {
                        detail.mailed = Field::Value(false);
                        detail.error = Field::Value(format!("{other:?}"));
                    }
                }
            }
        }
        out.push(detail);
    }
    transport.close();
    Ok(out)
}
