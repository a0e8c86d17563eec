//! The Open Badges endpoints of `serve`: the issuer profile (`/issuer`), its public keys
//! (`/issuer/jwks.json`), each credential (`/credentials/{id}.json` and `/v/{id}.json` with its
//! Data Integrity proof, `/v/{id}.jwt`) and the revocation list (`/status/revocation`, what
//! `credentialStatus` points at; `/v/{id}/status` for credentials issued before it). All public, read-only
//! (a credential is issued on first request once its recipient has claimed), CORS-open so
//! verifiers in browsers can fetch them.

use std::sync::Arc;

use anyhow::Result;
use axum::extract::{Path, State as Extract};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use rusqlite::Connection;

use super::doc;
use super::{Inner, State};
use crate::credentials::controller::Urls;
use crate::credentials::{self, issue, keys};
use crate::model::{Certificate, Recipient};
use crate::{clock, db};

/// How a document is answered: its media type and how long it may be cached.
#[derive(Debug, Clone, Copy)]
struct Doc {
    media: &'static str,
    cache: &'static str,
}

/// What changes only with the keys or the configuration.
const PUBLIC: Doc = Doc {
    media: "application/json",
    cache: "public, max-age=300",
};
/// What a revocation or a claim can change at any time.
const FRESH: Doc = Doc {
    media: "application/json",
    cache: "no-cache",
};
/// A JSON-LD credential or status list with an embedded proof.
const LD_FRESH: Doc = Doc {
    media: credentials::di::MEDIA_TYPE,
    cache: "no-cache",
};

fn document(value: &Value, doc: Doc) -> Response {
    (
        [
            (header::CONTENT_TYPE, doc.media),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, doc.cache),
        ],
        serde_json::to_string_pretty(value).unwrap_or_default(),
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"error\":\"not found\"}",
    )
        .into_response()
}

fn internal(state: &Inner, e: anyhow::Error) -> Response {
    state.log.error_line(format!("certstat: error: {e:#}"));
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"error\":\"internal error\"}",
    )
        .into_response()
}

fn reply(state: &Inner, result: Result<Option<Response>>) -> Response {
    match result {
        Ok(Some(r)) => r,
        Ok(None) => not_found(),
        Err(e) => internal(state, e),
    }
}

/// Answer a read-only endpoint with the document `f` reads on a pooled connection: None is a
/// 404, an error a 500 (logged).
async fn read_json<F>(state: State, doc: Doc, f: F) -> Response
where
    F: FnOnce(&Inner, &Connection) -> Result<Option<Value>> + Send + 'static,
{
    let st = Arc::clone(&state);
    let result = state
        .read(move |conn| Ok(f(&st, conn)?.map(|v| document(&v, doc))))
        .await;
    reply(&state, result)
}

/// `GET /issuer.json`: the issuer as an Open Badges 3.0 Profile, which is also the controller
/// document of its keys (every key a Multikey, retired ones included).
pub async fn issuer(Extract(state): Extract<State>) -> Response {
    issuer_as(state, Urls::Json).await
}

/// `GET /issuer`: the same in the URLs earlier credentials name.
pub async fn legacy_issuer(Extract(state): Extract<State>) -> Response {
    issuer_as(state, Urls::Legacy).await
}

async fn issuer_as(state: State, urls: Urls) -> Response {
    read_json(state, PUBLIC, move |st, conn| {
        let doc = credentials::ld::controller_document;
        doc(conn, &st.db_path, &st.config, &st.base_url, urls).map(Some)
    })
    .await
}

/// `GET /issuer/keys/{kid}.json` (and `/issuer/keys/{kid}`, what earlier credentials name):
/// one key as a Multikey, what `proof.verificationMethod` names.
pub async fn key(Extract(state): Extract<State>, Path(file): Path<String>) -> Response {
    let (kid, urls) = match file.strip_suffix(".json") {
        Some(kid) => (kid.to_owned(), Urls::Json),
        None => (file, Urls::Legacy),
    };
    read_json(state, PUBLIC, move |st, conn| {
        credentials::ld::key_document(conn, &st.db_path, &st.base_url, &kid, urls)
    })
    .await
}

/// `GET /issuer/jwks.json`: every public key, retired ones included.
pub async fn jwks(Extract(state): Extract<State>) -> Response {
    read_json(state, PUBLIC, |st, conn| {
        keys::ensure(conn, &st.db_path)?;
        Ok(Some(keys::jwks(conn, &st.base_url)?))
    })
    .await
}

/// `GET /issuer/jwk/{kid}.json`: one public key as a JWK, what the VC-JWT `kid` names.
pub async fn jwk(Extract(state): Extract<State>, Path(file): Path<String>) -> Response {
    read_json(state, PUBLIC, move |st, conn| {
        let Some(kid) = file.strip_suffix(".json") else {
            return Ok(None);
        };
        let Some(row) = db::credentials::key(conn, kid)? else {
            return Ok(None);
        };
        let jwk: Value = serde_json::from_str(&row.public_jwk)?;
        Ok(Some(keys::published_jwk(&st.base_url, &jwk)))
    })
    .await
}

/// `GET /issuer/achievements/{id}.json` (and without `.json`, what earlier credentials name):
/// a certificate as an Open Badges Achievement (what `achievement.id` names), once one of its
/// credentials is issued.
pub async fn achievement(Extract(state): Extract<State>, Path(file): Path<String>) -> Response {
    let (number, legacy) = match file.strip_suffix(".json") {
        Some(n) => (n.to_owned(), false),
        None => (file, true),
    };
    read_json(state, PUBLIC, move |st, conn| {
        let Ok(id) = number.parse::<i64>() else {
            return Ok(None);
        };
        if !db::credentials::any_issued_for_certificate(conn, id)? {
            return Ok(None);
        }
        let Some(cert) = db::certs::all(conn)?.into_iter().find(|c| c.id == id) else {
            return Ok(None);
        };
        let issuer = doc::issuer_name(&st.config, &cert);
        let mut a = serde_json::Map::new();
        a.insert("@context".into(), serde_json::json!(issue::CONTEXTS));
        a.extend(issue::achievement(
            &st.base_url,
            cert.id,
            &cert.name,
            &cert.description,
            &issuer,
        ));
        if legacy {
            a.insert(
                "id".into(),
                format!("{}/issuer/achievements/{id}", st.base_url).into(),
            );
        }
        Ok(Some(Value::Object(a)))
    })
    .await
}

/// The recipient and certificate behind a public credential id.
fn load(conn: &rusqlite::Connection, id: &str) -> Result<Option<(Recipient, Certificate)>> {
    if !doc::is_credential_id(id) {
        return Ok(None);
    }
    let Some(rid) = db::credentials::recipient_by_public_id(conn, id)? else {
        return Ok(None);
    };
    // Not issued yet (never claimed nor rendered): there is no credential to show.
    if !db::credentials::is_issued(conn, rid)? {
        return Ok(None);
    }
    let Some(r) = db::recipients::by_id(conn, rid)? else {
        return Ok(None);
    };
    let Some(name) = db::web::certificate_name(conn, r.certificate_id)? else {
        return Ok(None);
    };
    Ok(db::certs::find_by_name(conn, &name)?.map(|c| (r, c)))
}

/// The recipient's current credential: issued (or re-signed when what it says changed) once
/// they have claimed or a credential was issued for them before (e.g. by `render`).
pub(crate) fn current(
    state: &super::Inner,
    conn: &rusqlite::Connection,
    cert: &Certificate,
    r: &Recipient,
) -> Result<Option<issue::Issued>> {
    let issued_before = db::credentials::latest_of_recipient(conn, r.id)?.is_some();
    if !issued_before && !db::web::has_claimed(conn, r.id)? {
        return Ok(None);
    }
    Ok(Some(issue::issue(
        conn,
        &state.db_path,
        &state.config,
        &state.base_url,
        &state.secret,
        cert,
        r,
    )?))
}

/// Issue a recipient's credential now (after a claim); failures are logged, not fatal.
pub(crate) async fn issue_after_claim(state: &State, recipient_id: i64) {
    let st = Arc::clone(state);
    let result = state
        .read(move |conn| {
            let Some(r) = db::recipients::by_id(conn, recipient_id)? else {
                return Ok(());
            };
            let Some(name) = db::web::certificate_name(conn, r.certificate_id)? else {
                return Ok(());
            };
            if let Some(cert) = db::certs::find_by_name(conn, &name)? {
                current(&st, conn, &cert, &r)?;
            }
            Ok(())
        })
        .await;
    if let Err(e) = result {
        state.log.error_line(format!(
            "certstat: error: issuing the credential of recipient {recipient_id}: {e:#}"
        ));
    }
}

/// A downloaded document with the recipient's credential baked in.
pub(crate) async fn baked(
    state: &State,
    recipient_id: i64,
    format: crate::render::Format,
    document: Vec<u8>,
) -> Result<Vec<u8>> {
    let st = Arc::clone(state);
    let jwt = state
        .read(move |conn| {
            let r = db::recipients::by_id(conn, recipient_id)?
                .ok_or_else(|| anyhow::anyhow!("recipient {recipient_id} vanished"))?;
            let name = db::web::certificate_name(conn, r.certificate_id)?
                .ok_or_else(|| anyhow::anyhow!("certificate {} vanished", r.certificate_id))?;
            let cert = db::certs::find_by_name(conn, &name)?
                .ok_or_else(|| anyhow::anyhow!("certificate '{name}' vanished"))?;
            Ok(issue::issue(
                conn,
                &st.db_path,
                &st.config,
                &st.base_url,
                &st.secret,
                &cert,
                &r,
            )?
            .jwt)
        })
        .await?;
    tokio::task::spawn_blocking(move || credentials::bake::bake(format, document, &jwt)).await?
}

/// `GET /v/{id}.json` (the signed credential, as at `/credentials/{id}.json`) and
/// `GET /v/{id}.jwt` (the VC-JWT).
pub async fn credential(state: State, id: String, jwt: bool) -> Response {
    if jwt {
        return credential_jwt(state, id).await;
    }
    signed_credential(state, id, credentials::di::MEDIA_TYPE).await
}

/// The credential with its Data Integrity proof, answered as `media` (one of the JSON types a
/// client asked for: the same document), once it is issued; else a 404.
pub async fn signed_credential(state: State, id: String, media: &'static str) -> Response {
    let doc = Doc {
        media,
        cache: "no-cache",
    };
    read_json(state, doc, move |st, conn| {
        let Some((r, cert)) = load(conn, &id)? else {
            return Ok(None);
        };
        if current(st, conn, &cert, &r)?.is_none() {
            return Ok(None);
        }
        let value = credentials::ld::credential(
            conn,
            &st.db_path,
            &st.config,
            &st.base_url,
            &st.secret,
            &cert,
            &r,
        )?;
        Ok(Some(value))
    })
    .await
}

/// `GET /v/{id}.jwt`: the VC-JWT.
async fn credential_jwt(state: State, id: String) -> Response {
    let st = Arc::clone(&state);
    let result = state
        .read(move |conn| {
            let Some((r, cert)) = load(conn, &id)? else {
                return Ok(None);
            };
            let Some(issued) = current(&st, conn, &cert, &r)? else {
                return Ok(None);
            };
            Ok(Some(
                (
                    [
                        (header::CONTENT_TYPE, "application/jwt"),
                        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                        (header::CACHE_CONTROL, "public, max-age=60"),
                    ],
                    issued.jwt,
                )
                    .into_response(),
            ))
        })
        .await;
    reply(&state, result)
}

/// `GET /v/{id}/status`: the revocation status `credentialStatus` points at.
pub async fn status(Extract(state): Extract<State>, Path(id): Path<String>) -> Response {
    read_json(state, FRESH, move |st, conn| {
        let Some((r, cert)) = load(conn, &id)? else {
            return Ok(None);
        };
        let standing = credentials::standing(conn, &cert, &r, clock::now())?;
        Ok(Some(credentials::status_document(
            &st.base_url,
            &id,
            &standing,
        )))
    })
    .await
}

/// The revocation of a recipient for the verification page: `{date, reason}` or null.
pub(crate) async fn revocation(
    state: &State,
    recipient_id: i64,
    lang: &'static crate::l10n::Language,
) -> Result<Value> {
    state
        .read(move |conn| {
            Ok(match db::credentials::revocation(conn, recipient_id)? {
                Some((at, reason)) => serde_json::json!({
                    "date": clock::parse(&at)
                        .map(|t| crate::l10n::catalog().date(lang.code, t))
                        .unwrap_or(at),
                    "reason": reason,
                }),
                None => Value::Null,
            })
        })
        .await
}

/// `GET /credentials/{id}.json`: the credential with an embedded Data Integrity proof
/// (`eddsa-rdfc-2022`), once it is issued.
pub async fn ld_credential(Extract(state): Extract<State>, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".json") else {
        return not_found();
    };
    signed_credential(state, id.to_owned(), credentials::di::MEDIA_TYPE).await
}

/// `GET /.well-known/did.json`: the `did:web` DID document, when `[issuer] did` is set.
pub async fn did_document(Extract(state): Extract<State>) -> Response {
    let Some(did) = state.config.issuer.did.clone() else {
        return not_found();
    };
    read_json(state, PUBLIC, move |st, conn| {
        keys::ensure(conn, &st.db_path)?;
        Ok(Some(credentials::controller::did_document(
            &did,
            &keys::list(conn)?,
        )))
    })
    .await
}

/// `GET /status/revocation.json`: the signed Bitstring Status List of revocations.
pub async fn status_list(Extract(state): Extract<State>) -> Response {
    status_list_as(state, Urls::Json).await
}

/// `GET /status/revocation`: the same list under the URLs earlier credentials name.
pub async fn legacy_status_list(Extract(state): Extract<State>) -> Response {
    status_list_as(state, Urls::Legacy).await
}

async fn status_list_as(state: State, urls: Urls) -> Response {
    read_json(state, LD_FRESH, move |st, conn| {
        let list = credentials::ld::status_list_credential;
        list(conn, &st.db_path, &st.config, &st.base_url, urls).map(Some)
    })
    .await
}
