//! `/u/{token}`: the reminders' one-click unsubscribe (RFC 8058).
//!
//! A mail client that offers "unsubscribe" POSTs `List-Unsubscribe=One-Click` to the address in
//! the message's `List-Unsubscribe` header, without cookies or a page; a person who follows the
//! link gets a page whose button POSTs the same. A GET changes nothing (link scanners fetch
//! links). The POST records an `unsubscribed` event: `remind` skips the address from then on
//! (it is on the suppression list until `certstat suppress remove`).

use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::State;
use super::routes::{Failure, finish, general, html_headers, record_for, token_uid};
use super::writer::Target;
use crate::db;
use crate::l10n::Language;
use crate::model::EventKind;
use crate::model::detail::{EventDetail, Field, Unsubscribe};

/// The page of `key` (`unsubscribe`: the button; `unsubscribed`: done) in `lang`.
fn page(state: &State, lang: &'static Language, token: &str, form: bool, key: &str) -> Response {
    let catalog = crate::l10n::catalog();
    let heading = catalog.text(lang.code, &format!("{key}-heading"), &[]);
    let message = catalog.text(lang.code, &format!("{key}-text"), &[]);
    let body = state
        .pages
        .render(
            "unsubscribe.html",
            lang,
            json!({"title": heading, "heading": heading, "message": message,
                   "form": form, "token": token}),
        )
        .unwrap_or_else(|_| heading.clone());
    (StatusCode::OK, html_headers(), body).into_response()
}

/// `GET /u/{token}`: a page with the button; records nothing.
pub async fn show(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let lang = general(&headers);
    let reply = async {
        let uid = token_uid(&state, &token)?;
        let found = state
            .read(move |c| db::web::recipient_id_by_uid(c, &hex::encode(uid)))
            .await?;
        if found.is_none() {
            return Err(Failure::NotFound);
        }
        Ok(page(&state, lang, &token, true, "unsubscribe"))
    }
    .await;
    finish(&state, lang, reply)
}

/// `POST /u/{token}`: the one-click unsubscribe (from a mail client, or the page's button).
pub async fn unsubscribe(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: String,
) -> Response {
    let lang = general(&headers);
    let reply = async {
        let uid = token_uid(&state, &token)?;
        if let Err(limited) = state.limits.check(None, Some(&uid)) {
            return Ok(super::routes::too_many(&state, lang, limited));
        }
        let one_click = body
            .split('&')
            .any(|pair| pair.trim() == "List-Unsubscribe=One-Click");
        record_for(
            &state,
            Target::Uid(uid),
            EventKind::Unsubscribed,
            EventDetail::Unsubscribed(Unsubscribe {
                one_click: Field::Value(one_click),
                ..Unsubscribe::default()
            })
            .to_value(),
        )
        .await?;
        Ok(page(&state, lang, &token, false, "unsubscribed"))
    }
    .await;
    finish(&state, lang, reply)
}
