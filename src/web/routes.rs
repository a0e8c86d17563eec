//! The routes of DESIGN.md's "Recipient pages" table, and the headers every response gets.

use std::sync::Arc;

use anyhow::Result;
use axum::Router;
use axum::body::Body;
use axum::extract::{Form, Path, State as Extract};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;
use tower::Layer;
use tower::util::{MapResponse, MapResponseLayer};

use super::doc;
use super::limit::{self, Limited};
use super::machine::Machine;
use super::pages::{CertView, PIXEL_GIF, STYLE};
use super::session;
use super::writer::{self, ClaimOutcome, Event, Target};
use super::{Inner, State};
use crate::clock;
use crate::db;
use crate::l10n::{self, Arg, Language};
use crate::model::detail::{Download, EventDetail, Field, Plain, Share};
use crate::model::{Certificate, EventKind, Recipient};
use crate::render::{self, Format};

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// The networks the share buttons go to: the only redirect destinations besides LinkedIn's
/// Add-to-profile page.
const NETWORKS: &[&str] = &["linkedin", "facebook", "x"];

/// The service `serve` runs: the routes, with [`security_headers`] on every response.
///
/// The headers are added around the whole router rather than by a `Router::layer`
/// middleware, which would wrap every route in one more boxed, cloned service and boxed
/// future per request (a few allocations per open pixel); this also covers the responses the
/// router makes itself (405).
pub fn app(state: State) -> MapResponse<Router, fn(Response) -> Response> {
    MapResponseLayer::new(security_headers as fn(Response) -> Response).layer(router(state))
}

fn router(state: State) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/static/style.css", get(style))
        .route("/static/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .route("/o/{file}", get(open_pixel))
        .route("/c/{token}", get(click))
        .route("/r/{token}", get(recipient_page).post(claim))
        .route("/r/{token}/download.pdf", get(download_pdf))
        .route("/r/{token}/download.png", get(download_png))
        .route("/r/{token}/share/{network}", get(share))
        .route("/r/{token}/linkedin", get(linkedin))
        .route("/lost", get(super::lost::form).post(super::lost::request))
        .route(
            "/u/{token}",
            get(super::unsubscribe::show).post(super::unsubscribe::unsubscribe),
        )
        .route("/v/{file}", get(verification))
        .route("/v/{file}/status", get(super::credentials::status))
        .route("/issuer", get(super::credentials::legacy_issuer))
        .route("/issuer.json", get(super::credentials::issuer))
        .route("/issuer/keys/{file}", get(super::credentials::key))
        .route("/issuer/jwks.json", get(super::credentials::jwks))
        .route("/issuer/jwk/{file}", get(super::credentials::jwk))
        .route(
            "/issuer/achievements/{id}",
            get(super::credentials::achievement),
        )
        .route(
            "/.well-known/did.json",
            get(super::credentials::did_document),
        )
        .route(
            "/status/revocation",
            get(super::credentials::legacy_status_list),
        )
        .route(
            "/status/revocation.json",
            get(super::credentials::status_list),
        )
        .route(
            "/credentials/{file}",
            get(super::credentials::ld_credential),
        )
        .fallback(fallback)
        .with_state(state)
}

const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");
const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");

/// Headers on every response: no framing, no referrer (tokens are in URLs), no sniffing, a
/// strict CSP, same-origin resources and no caching unless a handler said otherwise.
fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        CROSS_ORIGIN_OPENER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // The Open Graph image (`/v/{id}.png`) says `cross-origin` itself: link previewers on
    // other sites fetch it. Every other response is same-origin.
    if !h.contains_key(CROSS_ORIGIN_RESOURCE_POLICY) {
        h.insert(
            CROSS_ORIGIN_RESOURCE_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // Pages are in the browser's language where the certificate allows it.
    if h.get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
    {
        h.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    res
}

/// A handler's failure: a page with a status, or an internal error (logged, generic page).
pub enum Failure {
    NotFound,
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

type Reply = Result<Response, Failure>;

/// The language a browser asks for (`Accept-Language`) that certstat has, if any.
pub(super) fn accepted(headers: &HeaderMap) -> Option<&'static Language> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(l10n::from_accept_language)
}

/// The language of a page about no certificate: the browser's, else the default.
pub(super) fn general(headers: &HeaderMap) -> &'static Language {
    accepted(headers).unwrap_or_else(l10n::default_language)
}

/// The language of a certificate's pages: the browser's when the certificate follows it and
/// certstat has it, else the certificate's own.
fn for_cert(cert: &Certificate, headers: &HeaderMap) -> &'static Language {
    let own = doc::language(cert);
    if cert.follow_browser_language {
        accepted(headers).unwrap_or(own)
    } else {
        own
    }
}

/// A page with a heading and a sentence: messages `<key>-heading` and `<key>-text`.
fn message(state: &Inner, lang: &'static Language, status: StatusCode, key: &str) -> Response {
    let catalog = l10n::catalog();
    let heading = catalog.text(lang.code, &format!("{key}-heading"), &[]);
    let text = catalog.text(lang.code, &format!("{key}-text"), &[]);
    message_with(state, lang, status, &heading, &text)
}

fn message_with(
    state: &Inner,
    lang: &'static Language,
    status: StatusCode,
    heading: &str,
    text: &str,
) -> Response {
    let body = state
        .pages
        .render(
            "message.html",
            lang,
            json!({"title": heading, "heading": heading, "message": text}),
        )
        .unwrap_or_else(|_| heading.to_owned());
    (status, html_headers(), body).into_response()
}

/// The answer to a form posted over a rate limit (see `limit.rs`): nothing was compared or
/// recorded.
pub(super) fn too_many(state: &Inner, lang: &'static Language, limited: Limited) -> Response {
    let secs = limit::retry_after_secs(limited);
    let mut res = message(state, lang, StatusCode::TOO_MANY_REQUESTS, "too-many");
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

pub(super) fn html_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "text/html; charset=utf-8")]
}

fn failure_response(state: &Inner, lang: &'static Language, f: Failure) -> Response {
    match f {
        Failure::NotFound => message(state, lang, StatusCode::NOT_FOUND, "not-found"),
        Failure::Internal(e) => {
            state.log.error_line(format!("certstat: error: {e:#}"));
            message(state, lang, StatusCode::INTERNAL_SERVER_ERROR, "error")
        }
    }
}

/// The reply, or the page of its failure in `lang`.
pub(super) fn finish(state: &Inner, lang: &'static Language, reply: Reply) -> Response {
    reply.unwrap_or_else(|f| failure_response(state, lang, f))
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A token can only be base64url of 32 bytes; anything else is rejected before any lookup.
fn plausible_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Everything about one recipient's certificate that the pages need.
struct Loaded {
    recipient: Recipient,
    cert: Certificate,
    view: CertView,
    issued: chrono::DateTime<chrono::Utc>,
    expires: Option<chrono::DateTime<chrono::Utc>>,
}

impl Loaded {
    /// What the pages show, with the dates in `lang`.
    fn view_in(&self, lang: &Language) -> CertView {
        let catalog = l10n::catalog();
        let mut view = self.view.clone();
        view.doc.issue_date = catalog.date(lang.code, self.issued);
        view.expires = self.expires.map(|t| catalog.date(lang.code, t));
        view
    }
}

async fn load_by(state: &State, key: Key) -> Result<Loaded, Failure> {
    let st = Arc::clone(state);
    let loaded = state
        .read(move |conn| {
            let id = match key {
                Key::Token(token) => {
                    if !plausible_token(&token) {
                        return Ok(None);
                    }
                    let Some(uid) = st.secret.check(&token) else {
                        return Ok(None);
                    };
                    db::web::recipient_id_by_uid(conn, &uid)?
                }
                // A public page exists only once the credential is issued.
                Key::Credential(id) => match db::credentials::recipient_by_public_id(conn, &id)? {
                    Some(rid) if db::credentials::is_issued(conn, rid)? => Some(rid),
                    _ => None,
                },
            };
            let Some(id) = id else { return Ok(None) };
            let Some(recipient) = db::recipients::by_id(conn, id)? else {
                return Ok(None);
            };
            let Some(name) = db::web::certificate_name(conn, recipient.certificate_id)? else {
                return Ok(None);
            };
            let Some(cert) = db::certs::find_by_name(conn, &name)? else {
                return Ok(None);
            };
            let doc = doc::doc_context(conn, &st.config, &st.base_url, &cert, &recipient)?;
            let issued = doc::issue_instant(conn, &recipient)?;
            let expires = cert.expires_at.as_deref().and_then(clock::parse);
            let state = if recipient.revoked {
                "revoked"
            } else if expires.is_some_and(|t| t < clock::now()) {
                "expired"
            } else {
                "valid"
            };
            let view = CertView {
                doc,
                state,
                expires: expires.map(doc::human_date),
            };
            Ok(Some(Loaded {
                recipient,
                cert,
                view,
                issued,
                expires,
            }))
        })
        .await?;
    loaded.ok_or(Failure::NotFound)
}

enum Key {
    Token(String),
    Credential(String),
}

async fn record(
    state: &State,
    recipient_id: i64,
    kind: EventKind,
    detail: serde_json::Value,
) -> Result<(), Failure> {
    record_for(state, Target::Recipient(recipient_id), kind, detail).await
}

/// Record an event; `NotFound` when the recipient does not exist (nothing recorded).
pub(super) async fn record_for(
    state: &State,
    target: Target,
    kind: EventKind,
    detail: serde_json::Value,
) -> Result<(), Failure> {
    let found = state
        .writer
        .record(Event {
            target,
            kind,
            at: clock::now(),
            detail: detail.into(),
        })
        .await?;
    if found {
        Ok(())
    } else {
        Err(Failure::NotFound)
    }
}

/// The uid a link token names, or `NotFound` for one that is not a token or whose MAC is
/// wrong.
pub(super) fn token_uid(state: &State, token: &str) -> Result<[u8; 16], Failure> {
    if !plausible_token(token) {
        return Err(Failure::NotFound);
    }
    state.secret.check_raw(token).ok_or(Failure::NotFound)
}

/// Record the event of a link (the open pixel, a click); `NotFound` when the token names no
/// recipient (nothing recorded). See [`writer::Writer::record_link`] for when the response
/// may leave before the commit.
async fn record_link(
    state: &State,
    token: &str,
    kind: EventKind,
    machine: bool,
) -> Result<(), Failure> {
    let uid = token_uid(state, token)?;
    if state
        .writer
        .record_link(uid, kind, clock::now(), machine)
        .await?
    {
        Ok(())
    } else {
        Err(Failure::NotFound)
    }
}

async fn home(Extract(state): Extract<State>, headers: HeaderMap) -> Response {
    message(&state, general(&headers), StatusCode::OK, "home")
}

async fn fallback(Extract(state): Extract<State>, headers: HeaderMap) -> Response {
    failure_response(&state, general(&headers), Failure::NotFound)
}

async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("templates/favicon.svg"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// `GET /o/{token}.gif`: the open pixel.
async fn open_pixel(
    Extract(state): Extract<State>,
    Machine(machine): Machine,
    Path(file): Path<String>,
) -> Response {
    let reply = async {
        let token = file.strip_suffix(".gif").ok_or(Failure::NotFound)?;
        record_link(&state, token, EventKind::Opened, machine).await?;
        Ok((
            [
                (header::CONTENT_TYPE, "image/gif"),
                (
                    header::CACHE_CONTROL,
                    "no-store, no-cache, must-revalidate, max-age=0",
                ),
                (header::PRAGMA, "no-cache"),
                (header::EXPIRES, "0"),
            ],
            PIXEL_GIF,
        )
            .into_response())
    }
    .await;
    finish(&state, l10n::default_language(), reply)
}

/// `GET /c/{token}`: the tracked "Get Certificate" link.
async fn click(
    Extract(state): Extract<State>,
    Machine(machine): Machine,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let reply = async {
        record_link(&state, &token, EventKind::Clicked, machine).await?;
        // The token was checked: it is URL-safe text, so the header value is too.
        let location = HeaderValue::try_from(format!("/r/{token}"))
            .map_err(|e| Failure::Internal(e.into()))?;
        Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
    }
    .await;
    finish(&state, general(&headers), reply)
}

fn now_unix() -> i64 {
    clock::now().timestamp()
}

/// `GET /r/{token}`: the recipient view with a session, else the claim page.
async fn recipient_page(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
    query: axum::extract::RawQuery,
) -> Response {
    let reply = async {
        let loaded = load_by(&state, Key::Token(token.clone())).await?;
        if session::has_session(&state.secret, &headers, &token, now_unix()) {
            let just_claimed = query.0.as_deref() == Some("claimed=1");
            let lang = for_cert(&loaded.cert, &headers);
            let body = state.pages.render(
                "view.html",
                lang,
                json!({
                    "title": format!("{} — {}", loaded.view.doc.certificate_name, loaded.view.doc.recipient_name),
                    "cert": loaded.view_in(lang),
                    "token": token,
                    "image": format!("/v/{}.png", loaded.view.doc.credential_id),
                    "just_claimed": just_claimed,
                }),
            )?;
            return Ok((html_headers(), body).into_response());
        }
        claim_page(&state, &headers, &token, &loaded, StatusCode::OK, None, "").await
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// The claim form, with a CSRF field bound to a nonce cookie (set when missing).
async fn claim_page(
    state: &State,
    headers: &HeaderMap,
    token: &str,
    loaded: &Loaded,
    status: StatusCode,
    error: Option<String>,
    email: &str,
) -> Reply {
    let rid = loaded.recipient.id;
    let lang = for_cert(&loaded.cert, headers);
    let now = clock::now();
    let since = clock::stamp(now - writer::LOCK_WINDOW);
    let failures = state
        .read(move |conn| db::web::claim_failures_since(conn, rid, &since))
        .await?;
    let locked_until = if failures.len() >= writer::MAX_FAILURES {
        failures
            .iter()
            .filter_map(|t| clock::parse(t))
            .min()
            .map(|t| l10n::catalog().time_and_date(lang.code, t + writer::LOCK_WINDOW))
    } else {
        None
    };
    let status = if locked_until.is_some() && status == StatusCode::OK {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        status
    };
    let existing = session::cookie(headers, session::CSRF_COOKIE).filter(|n| session::is_nonce(n));
    let nonce = existing
        .map(str::to_owned)
        .unwrap_or_else(session::new_nonce);
    let body = state.pages.render(
        "claim.html",
        lang,
        json!({
            "title": l10n::catalog().text(lang.code, "claim-title",
                &[("certificate", Arg::from(loaded.view.doc.certificate_name.as_str()))]),
            "cert": loaded.view_in(lang),
            "token": token,
            "csrf": session::csrf_field(&state.secret, token, &nonce),
            "error": error,
            "locked_until": locked_until,
            "email": email,
            "returning": loaded.recipient.status == crate::model::Status::Claimed,
        }),
    )?;
    let mut res = (status, html_headers(), body).into_response();
    if existing.is_none() {
        let cookie = session::set_cookie(
            session::CSRF_COOKIE,
            &nonce,
            token,
            86_400,
            "Lax",
            state.secure_cookies,
        );
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&cookie).map_err(anyhow::Error::from)?,
        );
    }
    Ok(res)
}

#[derive(Debug, Deserialize)]
struct ClaimForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// After a claim: the recipient's session cookie, and back to their page.
fn claimed(state: &Inner, token: &str) -> Result<Response, Failure> {
    let cookie = session::set_cookie(
        session::SESSION_COOKIE,
        &session::new_session(&state.secret, token, now_unix()),
        token,
        session::SESSION_DAYS * 86_400,
        "Lax",
        state.secure_cookies,
    );
    let mut res = see_other(&format!("/r/{token}?claimed=1"));
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(anyhow::Error::from)?,
    );
    Ok(res)
}

/// What the claim page says after a wrong address: how many tries remain, or that it is
/// locked now.
fn wrong_address(lang: &Language, remaining: usize) -> String {
    let catalog = l10n::catalog();
    if remaining == 0 {
        catalog.text(lang.code, "claim-wrong-locked", &[])
    } else {
        catalog.text(
            lang.code,
            "claim-wrong",
            &[("remaining", Arg::Number(remaining as f64))],
        )
    }
}

/// `res` with `Retry-After` in seconds until `until` (at least 1).
fn retry_after(
    mut res: Response,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<Response, Failure> {
    let secs = (until - clock::now()).num_seconds().max(1);
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&secs.to_string()).map_err(anyhow::Error::from)?,
    );
    Ok(res)
}

/// `POST /r/{token}`: a claim attempt.
async fn claim(
    Extract(state): Extract<State>,
    extensions: Extensions,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Result<Form<ClaimForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let reply = async {
        let uid = token_uid(&state, &token)?;
        if let Err(limited) = state
            .limits
            .check(limit::client(&extensions, &headers), Some(&uid))
        {
            return Ok(too_many(&state, general(&headers), limited));
        }
        let loaded = load_by(&state, Key::Token(token.clone())).await?;
        let lang = for_cert(&loaded.cert, &headers);
        let Ok(Form(form)) = form else {
            return Ok(message(&state, lang, StatusCode::BAD_REQUEST, "bad-form"));
        };
        if !session::csrf_ok(&state.secret, &headers, &token, &form.csrf) {
            return Ok(message(&state, lang, StatusCode::FORBIDDEN, "form-expired"));
        }
        let matched = session::email_matches(&state.secret, &form.email, &loaded.recipient.email);
        match state.writer.claim(loaded.recipient.id, matched).await? {
            ClaimOutcome::Claimed => {
                super::credentials::issue_after_claim(&state, loaded.recipient.id).await;
                claimed(&state, &token)
            }
            ClaimOutcome::Failed { remaining } => {
                claim_page(
                    &state,
                    &headers,
                    &token,
                    &loaded,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(wrong_address(lang, remaining)),
                    form.email.trim(),
                )
                .await
            }
            ClaimOutcome::Locked { until } => {
                let res = claim_page(
                    &state,
                    &headers,
                    &token,
                    &loaded,
                    StatusCode::TOO_MANY_REQUESTS,
                    None,
                    "",
                )
                .await?;
                retry_after(res, until)
            }
        }
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// The recipient behind a token, if the request has their session; otherwise a redirect to
/// the claim page.
async fn authorised(
    state: &State,
    headers: &HeaderMap,
    token: &str,
) -> Result<Result<Loaded, Response>, Failure> {
    let loaded = load_by(state, Key::Token(token.to_owned())).await?;
    if session::has_session(&state.secret, headers, token, now_unix()) {
        Ok(Ok(loaded))
    } else {
        Ok(Err(see_other(&format!("/r/{token}"))))
    }
}

/// A rendered document, from the cache when its inputs have not changed.
async fn document(state: &State, loaded: &Loaded, format: Format) -> Result<Arc<Vec<u8>>> {
    document_as(state, loaded, format, false).await
}

/// The design with a "REVOKED" stamp across it, for the public image of a revoked certificate.
fn stamped_revoked(design: &str, word: &str) -> String {
    let Some(end) = design.rfind("</svg>") else {
        return design.to_owned();
    };
    let stamp = "<g id=\"certstat-revoked\" opacity=\"0.85\">\
        <rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\" opacity=\"0.55\"/>\
        <text x=\"50%\" y=\"50%\" text-anchor=\"middle\" dominant-baseline=\"middle\" \
        font-family=\"sans-serif\" font-weight=\"bold\" font-size=\"160\" fill=\"#b00020\" \
        stroke=\"#b00020\" stroke-width=\"4\">";
    format!(
        "{}{stamp}{}</text></g>{}",
        &design[..end],
        crate::markup::escape_xml(word),
        &design[end..]
    )
}

/// [`document`], stamped "REVOKED" when `revoked_stamp` (the public image).
async fn document_as(
    state: &State,
    loaded: &Loaded,
    format: Format,
    revoked_stamp: bool,
) -> Result<Arc<Vec<u8>>> {
    use sha2::{Digest, Sha256};
    let design = if revoked_stamp {
        let word = l10n::catalog().text(&loaded.view.doc.language, "cert-revoked-stamp", &[]);
        stamped_revoked(doc::design(&loaded.cert), &word)
    } else {
        doc::design(&loaded.cert).to_owned()
    };
    let ctx = loaded.view.doc.clone();
    let mut hasher = Sha256::new();
    hasher.update(design.as_bytes());
    hasher.update(serde_json::to_vec(&ctx)?);
    let key_hash: [u8; 32] = hasher.finalize().into();
    let key = (ctx.credential_id.clone(), format.extension());
    if let Some((h, bytes)) = state.cache.lock().expect("cache lock").get(&key)
        && *h == key_hash
    {
        return Ok(Arc::clone(bytes));
    }
    let who = ctx.credential_id.clone();
    let (bytes, missing) =
        tokio::task::spawn_blocking(move || render::render_with_gaps(&design, &ctx, format))
            .await??;
    if !missing.is_empty() {
        // Served anyway, drawn with the best fallback; the organiser learns of the gap here.
        // A warning (not under -q), worded for `serve` and `publish` alike.
        state.log.warn(format!(
            "credential {who}, {format}: {}",
            render::coverage::describe(&missing)
        ));
    }
    let bytes = Arc::new(bytes);
    let mut cache = state.cache.lock().expect("cache lock");
    if cache.len() >= super::CACHE_SIZE {
        cache.clear();
    }
    cache.insert(key, (key_hash, Arc::clone(&bytes)));
    Ok(bytes)
}

async fn download_pdf(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    download(state, headers, token, Format::Pdf).await
}

async fn download_png(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    download(state, headers, token, Format::Png).await
}

/// `GET /r/{token}/download.{pdf,png}`: the document, recorded as `downloaded`.
async fn download(state: State, headers: HeaderMap, token: String, format: Format) -> Response {
    let reply = async {
        let loaded = match authorised(&state, &headers, &token).await? {
            Ok(l) => l,
            Err(redirect) => return Ok(redirect),
        };
        if loaded.view.state == "revoked" {
            let lang = for_cert(&loaded.cert, &headers);
            let catalog = l10n::catalog();
            return Ok(message_with(
                &state,
                lang,
                StatusCode::GONE,
                &catalog.text(lang.code, "revoked-heading", &[]),
                &catalog.text(lang.code, "revoked-download-text", &[]),
            ));
        }
        let bytes = document(&state, &loaded, format).await?;
        // The document carries the recipient's signed Open Badges credential.
        let bytes = Arc::new(
            super::credentials::baked(&state, loaded.recipient.id, format, bytes.to_vec()).await?,
        );
        record(
            &state,
            loaded.recipient.id,
            EventKind::Downloaded,
            EventDetail::Downloaded(Download {
                format: Field::Value(format.extension().to_string()),
                ..Download::default()
            })
            .to_value(),
        )
        .await?;
        let name = doc::file_name(&loaded.cert, &loaded.recipient, format.extension());
        Ok((
            [
                (header::CONTENT_TYPE, format.mime_type().to_owned()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            Body::from(bytes.as_ref().clone()),
        )
            .into_response())
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The share URL of a network for a public page; `None` for a network not in [`NETWORKS`].
pub fn share_url(network: &str, page: &str, text: &str) -> Option<String> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    match network {
        "linkedin" => Some(format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            enc(page)
        )),
        "facebook" => Some(format!(
            "https://www.facebook.com/sharer/sharer.php?u={}",
            enc(page)
        )),
        "x" => Some(format!(
            "https://x.com/intent/tweet?text={}&url={}",
            enc(text),
            enc(page)
        )),
        _ => None,
    }
}

/// The answer to a share or Add-to-LinkedIn of a revoked certificate: refused, as a download
/// is, and nothing recorded.
fn revoked_refusal(state: &Inner, lang: &'static Language) -> Response {
    let catalog = l10n::catalog();
    message_with(
        state,
        lang,
        StatusCode::GONE,
        &catalog.text(lang.code, "revoked-heading", &[]),
        &catalog.text(lang.code, "revoked-share-text", &[]),
    )
}

/// `GET /r/{token}/share/{network}`: recorded as `shared`, then to the network.
async fn share(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path((token, network)): Path<(String, String)>,
) -> Response {
    let reply = async {
        if !NETWORKS.contains(&network.as_str()) {
            return Err(Failure::NotFound);
        }
        let loaded = match authorised(&state, &headers, &token).await? {
            Ok(l) => l,
            Err(redirect) => return Ok(redirect),
        };
        if loaded.view.state == "revoked" {
            return Ok(revoked_refusal(&state, for_cert(&loaded.cert, &headers)));
        }
        let lang = for_cert(&loaded.cert, &headers);
        let certificate = Arg::from(loaded.view.doc.certificate_name.as_str());
        let text = if loaded.view.doc.issuer.is_empty() {
            l10n::catalog().text(
                lang.code,
                "share-text-plain",
                &[("certificate", certificate)],
            )
        } else {
            l10n::catalog().text(
                lang.code,
                "share-text",
                &[
                    ("certificate", certificate),
                    ("issuer", Arg::from(loaded.view.doc.issuer.as_str())),
                ],
            )
        };
        let target = share_url(&network, &loaded.view.doc.verification_url, &text)
            .ok_or(Failure::NotFound)?;
        record(
            &state,
            loaded.recipient.id,
            EventKind::Shared,
            EventDetail::Shared(Share {
                network: Field::Value(network.clone()),
                ..Share::default()
            })
            .to_value(),
        )
        .await?;
        Ok(see_other(&target))
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// LinkedIn's Add-to-profile URL for a certificate.
fn linkedin_url(state: &Inner, loaded: &Loaded, issued: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    let mut url = url::Url::parse("https://www.linkedin.com/profile/add").expect("fixed URL");
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("startTask", "CERTIFICATION_NAME");
        q.append_pair("name", &loaded.cert.name);
        let li = &state.config.linkedin;
        match (
            li.organization_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            li.organization_name
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
        ) {
            (Some(id), _) => {
                q.append_pair("organizationId", id);
            }
            (None, Some(name)) => {
                q.append_pair("organizationName", name);
            }
            (None, None) if !loaded.view.doc.issuer.is_empty() => {
                q.append_pair("organizationName", &loaded.view.doc.issuer);
            }
            (None, None) => {}
        }
        q.append_pair("issueYear", &issued.year().to_string());
        q.append_pair("issueMonth", &issued.month().to_string());
        if let Some(exp) = loaded.cert.expires_at.as_deref().and_then(clock::parse) {
            q.append_pair("expirationYear", &exp.year().to_string());
            q.append_pair("expirationMonth", &exp.month().to_string());
        }
        q.append_pair("certUrl", &loaded.view.doc.verification_url);
        q.append_pair("certId", &loaded.view.doc.credential_id);
    }
    url.into()
}

/// `GET /r/{token}/linkedin`: recorded as `linkedin_added`, then LinkedIn's Add-to-profile.
async fn linkedin(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let reply = async {
        let loaded = match authorised(&state, &headers, &token).await? {
            Ok(l) => l,
            Err(redirect) => return Ok(redirect),
        };
        if loaded.view.state == "revoked" {
            return Ok(revoked_refusal(&state, for_cert(&loaded.cert, &headers)));
        }
        let rid = loaded.recipient.id;
        let issued = state
            .read(move |conn| db::web::issue_instant(conn, rid))
            .await?;
        let issued = clock::parse(&issued).unwrap_or_else(clock::now);
        let target = linkedin_url(&state, &loaded, issued);
        let detail = EventDetail::LinkedinAdded(Plain::default()).to_value();
        record(&state, rid, EventKind::LinkedinAdded, detail).await?;
        Ok(see_other(&target))
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// `GET /v/{credential}` (the public page) and `GET /v/{credential}.png` (its image).
async fn verification(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    if let Some(id) = file.strip_suffix(".json") {
        return super::credentials::credential(state, id.to_owned(), false).await;
    }
    if let Some(id) = file.strip_suffix(".jwt") {
        return super::credentials::credential(state, id.to_owned(), true).await;
    }
    // The credential's id: its signed JSON-LD for a client that asks for JSON, the page for
    // a browser.
    if doc::is_credential_id(&file)
        && let Some(media) = json_wanted(&headers)
    {
        let mut res =
            super::credentials::signed_credential(state.clone(), file.clone(), media).await;
        if res.status() == StatusCode::OK {
            alternate_headers(&mut res, &state.base_url, &file);
        }
        return res;
    }
    let reply = async {
        let (id, png) = match file.strip_suffix(".png") {
            Some(id) => (id.to_owned(), true),
            None => (file.clone(), false),
        };
        if !doc::is_credential_id(&id) {
            return Err(Failure::NotFound);
        }
        let loaded = load_by(&state, Key::Credential(id.clone())).await?;
        if png {
            let revoked = loaded.view.state == "revoked";
            let bytes = document_as(&state, &loaded, Format::Png, revoked).await?;
            return Ok((
                [
                    (header::CONTENT_TYPE, "image/png"),
                    (header::CACHE_CONTROL, "public, max-age=300"),
                    // Link previewers on other sites fetch this image.
                    (CROSS_ORIGIN_RESOURCE_POLICY, "cross-origin"),
                ],
                Body::from(bytes.as_ref().clone()),
            )
                .into_response());
        }
        let page_url = loaded.view.doc.verification_url.clone();
        let lang = for_cert(&loaded.cert, &headers);
        let revocation = super::credentials::revocation(&state, loaded.recipient.id, lang).await?;
        let heading = match loaded.view.state {
            "revoked" => "verdict-revoked-heading",
            "expired" => "verdict-expired-heading",
            _ => "verdict-valid-heading",
        };
        let body = state.pages.render(
            "verify.html",
            lang,
            json!({
                "revocation": revocation,
                "credential_json": format!("/credentials/{id}.json"),
                "credential_json_url": signed_credential_url(&state.base_url, &id),
                "credential_jwt": format!("/v/{id}.jwt"),
                // The issuer profile with its keys (JSON-LD, unlike the JWKS).
                "issuer_doc": "/issuer.json",
                "title": format!(
                    "{} — {} | {}",
                    loaded.view.doc.recipient_name,
                    loaded.view.doc.certificate_name,
                    l10n::catalog().text(lang.code, heading, &[])
                ),
                "achievement": crate::credentials::issue::achievement_url(&state.base_url, loaded.cert.id),
                "cert": loaded.view_in(lang),
                "image": format!("/v/{id}.png"),
                "image_url": format!("{}/v/{id}.png", state.base_url),
                "page_url": page_url,
            }),
        )?;
        let mut res = (
            html_headers(),
            [(header::CACHE_CONTROL, "public, max-age=60")],
            body,
        )
            .into_response();
        alternate_headers(&mut res, &state.base_url, &id);
        Ok(res)
    }
    .await;
    finish(&state, general(&headers), reply)
}

/// `<base_url>/credentials/<id>.json`: the signed credential the page and its id lead to.
fn signed_credential_url(base_url: &str, id: &str) -> String {
    format!("{base_url}/credentials/{id}.json")
}

/// The headers of both answers at a credential's id: where its JSON-LD is (`Link`), and that
/// the answer depends on `Accept` (caches keep the page and the JSON apart).
fn alternate_headers(res: &mut Response, base_url: &str, id: &str) {
    let link = format!(
        "<{}>; rel=\"alternate\"; type=\"application/ld+json\"",
        signed_credential_url(base_url, id)
    );
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&link) {
        h.insert(header::LINK, v);
    }
    h.append(header::VARY, HeaderValue::from_static("Accept"));
}

/// The JSON media types a credential's id answers in, most specific first.
const JSON_TYPES: [&str; 3] = [
    "application/vc+ld+json",
    "application/ld+json",
    "application/json",
];

/// The JSON media type to answer a request in when its `Accept` prefers one of
/// [`JSON_TYPES`] to HTML; None for a browser (HTML named first), for `*/*` alone, for no
/// `Accept`, and for a tie with `text/html`. A JSON type named outranks a wildcard of the
/// same quality (the more specific range wins, RFC 9110 §12.5.1).
pub(super) fn json_wanted(headers: &HeaderMap) -> Option<&'static str> {
    let mut best_json: Option<(f32, usize, &'static str)> = None;
    let mut html = 0f32;
    let mut wildcard = 0f32;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let mut q = 1f32;
            for p in parts {
                if let Some((k, v)) = p.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            if q <= 0.0 {
                continue;
            }
            match media.as_str() {
                "text/html" | "application/xhtml+xml" => html = html.max(q),
                "text/*" | "*/*" => wildcard = wildcard.max(q),
                _ => {
                    for (rank, t) in JSON_TYPES.iter().enumerate() {
                        if media == *t
                            && best_json.is_none_or(|(bq, br, _)| q > bq || (q == bq && rank < br))
                        {
                            best_json = Some((q, rank, t));
                        }
                    }
                }
            }
        }
    }
    best_json
        .filter(|(q, _, _)| *q > html && *q >= wildcard)
        .map(|(_, _, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_urls_encode_the_page() {
        let u = share_url("x", "https://c.example/v/ab?c=d&e", "Hi & bye").unwrap();
        assert!(u.starts_with("https://x.com/intent/tweet?"), "{u}");
        assert!(
            u.contains("url=https%3A%2F%2Fc.example%2Fv%2Fab%3Fc%3Dd%26e"),
            "{u}"
        );
        assert!(share_url("evil.example", "p", "t").is_none());
    }

    #[test]
    fn json_is_answered_only_when_preferred_to_html() {
        let ask = |accept: &[&str]| {
            let mut h = HeaderMap::new();
            for a in accept {
                h.append(header::ACCEPT, HeaderValue::from_str(a).unwrap());
            }
            json_wanted(&h)
        };
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(ask(&[browser]), None);
        assert_eq!(ask(&[]), None);
        assert_eq!(ask(&["*/*"]), None);
        assert_eq!(ask(&["application/json"]), Some("application/json"));
        assert_eq!(ask(&["application/ld+json"]), Some("application/ld+json"));
        assert_eq!(
            ask(&["Application/VC+LD+JSON; charset=utf-8"]),
            Some("application/vc+ld+json")
        );
        assert_eq!(
            ask(&["application/json, application/ld+json"]),
            Some("application/ld+json")
        );
        assert_eq!(
            ask(&["application/json;q=0.5, application/ld+json;q=0.4"]),
            Some("application/json")
        );
        assert_eq!(
            ask(&["text/html;q=0.5", "application/ld+json"]),
            Some("application/ld+json")
        );
        assert_eq!(ask(&["application/json;q=0.5, text/html"]), None);
        assert_eq!(ask(&["application/json;q=0, */*"]), None);
        assert_eq!(ask(&["application/json, */*"]), Some("application/json"));
        assert_eq!(
            ask(&["application/json;q=0.8, */*;q=0.8"]),
            Some("application/json")
        );
        assert_eq!(ask(&["application/json;q=0.5, */*"]), None);
        assert_eq!(
            ask(&["application/json, text/plain, */*"]),
            Some("application/json")
        );
        assert_eq!(ask(&["image/png"]), None);
    }

    #[test]
    fn tokens_are_checked_before_lookup() {
        assert!(plausible_token(&"a".repeat(43)));
        assert!(!plausible_token("../etc"));
        assert!(!plausible_token(&"a".repeat(44)));
    }

    #[test]
    fn dispositions_are_safe() {
        let d = content_disposition("Rust \"intro\" - Zoë.pdf");
        assert!(
            d.starts_with("attachment; filename=\"Rust _intro_ - Zo_.pdf\""),
            "{d}"
        );
        assert!(
            d.contains("filename*=UTF-8''Rust%20%22intro%22%20-%20Zo%C3%AB.pdf"),
            "{d}"
        );
    }
}
