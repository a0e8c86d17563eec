//! `/u/{token}`: the reminders' one-click unsubscribe (RFC 8058).
//!
//! A mail client that offers "unsubscribe" POSTs `List-Unsubscribe=One-Click` to the address in
//! the message's `List-Unsubscribe` header, without cookies or a page; a person who follows the
//! link gets a page whose button POSTs the same. A GET changes nothing (link scanners fetch
//! links). The POST records an `unsubscribed` event: `remind` skips the address from then on
//! (it is on the suppression list until `certstat suppress remove`).

use axum::extract::{Path, State as Extract};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::State;
use super::routes::{Failure, finish, html_headers, record_for, token_uid};
use super::writer::Target;
use crate::db;
use crate::model::EventKind;

fn page(state: &State, token: &str, form: bool, heading: &str, message: &str) -> Response {
    let body = state
        .pages
        .render(
            "unsubscribe.html",
            json!({"title": heading, "heading": heading, "message": message,
                   "form": form, "token": token}),
        )
        .unwrap_or_else(|_| heading.to_owned());
    (StatusCode::OK, html_headers(), body).into_response()
}

/// `GET /u/{token}`: a page with the button; records nothing.
pub async fn show(Extract(state): Extract<State>, Path(token): Path<String>) -> Response {
    let reply = async {
        let uid = token_uid(&state, &token)?;
        let found = state
            .read(move |c| db::web::recipient_id_by_uid(c, &hex::encode(uid)))
            .await?;
        if found.is_none() {
            return Err(Failure::NotFound);
        }
        Ok(page(
            &state,
            &token,
            true,
            "Stop reminders?",
            "You will get no more reminders or notices about this certificate, nor about any \
             other from this sender. Your certificate stays yours.",
        ))
    }
    .await;
    finish(&state, reply)
}

/// `POST /u/{token}`: the one-click unsubscribe (from a mail client, or the page's button).
pub async fn unsubscribe(
    Extract(state): Extract<State>,
    Path(token): Path<String>,
    body: String,
) -> Response {
    let reply = async {
        let uid = token_uid(&state, &token)?;
        if let Err(limited) = state.limits.check(None, Some(&uid)) {
            return Ok(super::routes::too_many(&state, limited));
        }
        let one_click = body
            .split('&')
            .any(|pair| pair.trim() == "List-Unsubscribe=One-Click");
        record_for(
            &state,
            Target::Uid(uid),
            EventKind::Unsubscribed,
            json!({"one_click": one_click}),
        )
        .await?;
        Ok(page(
            &state,
            &token,
            false,
            "You will get no more reminders",
            "Done: no more reminders or notices will be sent to this address.",
        ))
    }
    .await;
    finish(&state, reply)
}
