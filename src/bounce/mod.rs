//! Reading bounce, delivery-status, feedback and auto-reply messages.
//!
//! [`analyze`] takes one raw RFC 5322 message and says what it is (a bounce,
//! an abuse/feedback report, an auto-reply, or none of these), which
//! recipients it reports on and why, and which keys (VERP address,
//! `X-Certstat-Id`, Message-ID) tie it back to the message certstat sent.
//!
//! MIME is handled by `mail-parser`; the `field: value` groups inside a
//! `message/delivery-status` part and the wording of non-standard bounces are
//! read here. Reason names follow sisimai's vocabulary.

mod dsn;
mod reason;
pub mod ses;
mod text;
mod util;

#[cfg(test)]
mod classes;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use mail_parser::{
    HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};
use serde::Serialize;

pub use reason::{is_hard, is_sender_side};

/// The reason of a permanent SMTP reply (`550 5.1.1 …`) given to `command` (`RCPT`, `DATA`)
/// while certstat hands a message over: the same rules a bounce message is read by.
pub fn classify_reply(reply: &str, command: &str) -> Reason {
    let mut words = reply.split_whitespace();
    let code = words.next().filter(|c| c.len() == 3);
    let status = words.next().filter(|w| {
        w.split('.').count() == 3
            && w.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    reason::classify(&reason::Evidence {
        diagnostic: reply,
        status,
        reply_code: code,
        action: Some(Action::Failed),
        command: Some(command),
    })
}

/// What kind of message this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageKind {
    /// A delivery status notification (RFC 3464) or a non-standard bounce,
    /// including delay notices and success DSNs.
    Bounce,
    /// An ARF (RFC 5965) feedback report.
    Feedback { feedback_type: String },
    /// An auto-reply (RFC 3834), vacation or out-of-office message.
    AutoReply,
    /// Anything else.
    NotBounce,
}

/// The DSN per-recipient action (RFC 3464 section 2.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
}

impl Action {
    fn parse(value: &str) -> Option<Action> {
        let v = value.trim().to_ascii_lowercase();
        let v = v
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        Some(match v {
            "failed" | "failure" | "expired" => Action::Failed,
            "delayed" => Action::Delayed,
            "delivered" | "deliverable" => Action::Delivered,
            "relayed" => Action::Relayed,
            "expanded" => Action::Expanded,
            _ => return None,
        })
    }
}

/// sisimai-style bounce reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    UserUnknown,
    HostUnknown,
    HasMoved,
    MailboxFull,
    Expired,
    Filtered,
    Rejected,
    Blocked,
    PolicyViolation,
    SpamDetected,
    VirusDetected,
    SecurityError,
    AuthFailure,
    RequirePtr,
    BadReputation,
    NotCompliantRfc,
    TooManyConn,
    Speeding,
    NetworkError,
    MesgTooBig,
    Suspend,
    ExceedLimit,
    SystemError,
    SystemFull,
    NotAccept,
    ContentError,
    NoRelaying,
    SyntaxError,
    MailerError,
    OnHold,
    Undefined,
    Delivered,
    Vacation,
    Feedback,
}

impl Reason {
    /// The lower-case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UserUnknown => "userunknown",
            Reason::HostUnknown => "hostunknown",
            Reason::HasMoved => "hasmoved",
            Reason::MailboxFull => "mailboxfull",
            Reason::Expired => "expired",
            Reason::Filtered => "filtered",
            Reason::Rejected => "rejected",
            Reason::Blocked => "blocked",
            Reason::PolicyViolation => "policyviolation",
            Reason::SpamDetected => "spamdetected",
            Reason::VirusDetected => "virusdetected",
            Reason::SecurityError => "securityerror",
            Reason::AuthFailure => "authfailure",
            Reason::RequirePtr => "requireptr",
            Reason::BadReputation => "badreputation",
            Reason::NotCompliantRfc => "notcompliantrfc",
            Reason::TooManyConn => "toomanyconn",
            Reason::Speeding => "speeding",
            Reason::NetworkError => "networkerror",
            Reason::MesgTooBig => "mesgtoobig",
            Reason::Suspend => "suspend",
            Reason::ExceedLimit => "exceedlimit",
            Reason::SystemError => "systemerror",
            Reason::SystemFull => "systemfull",
            Reason::NotAccept => "notaccept",
            Reason::ContentError => "contenterror",
            Reason::NoRelaying => "norelaying",
            Reason::SyntaxError => "syntaxerror",
            Reason::MailerError => "mailererror",
            Reason::OnHold => "onhold",
            Reason::Undefined => "undefined",
            Reason::Delivered => "delivered",
            Reason::Vacation => "vacation",
            Reason::Feedback => "feedback",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one message says about one recipient.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientReport {
    /// Lower-cased final recipient.
    pub address: String,
    pub original_address: Option<String>,
    pub action: Action,
    /// Enhanced status code, e.g. `5.1.1`.
    pub status: Option<String>,
    /// SMTP reply code, e.g. `550`.
    pub reply_code: Option<String>,
    /// Unfolded diagnostic text.
    pub diagnostic: Option<String>,
    pub remote_mta: Option<String>,
    pub reason: Reason,
    /// A permanent failure that should stop further mail to this address.
    pub hard: bool,
    /// The failure is about the sender (policy, spam, authentication,
    /// blocking, rate limits), not the recipient.
    pub sender_side: bool,
    /// A failure notice whose reason could not be classified (`onhold`, `undefined`), or a
    /// message that holds mail back until someone acts (a challenge-response): the recipient
    /// stays Pending "needs review" instead of a guessed Bounced or Delivered.
    pub needs_review: bool,
}

/// Everything certstat needs from one incoming message.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub kind: MessageKind,
    pub recipients: Vec<RecipientReport>,
    /// Addresses this message was delivered to (To, Delivered-To,
    /// X-Original-To, Envelope-To, Return-Path …), lower-cased; VERP tokens
    /// such as `bounces+TOKEN@domain` show up here.
    pub to_addresses: Vec<String>,
    /// `X-Certstat-Id` values found in the returned original.
    pub certstat_ids: Vec<String>,
    /// Message-ID(s) of the returned original, without angle brackets.
    pub original_message_ids: Vec<String>,
    pub subject: Option<String>,
}

impl Analysis {
    fn empty() -> Analysis {
        Analysis {
            kind: MessageKind::NotBounce,
            recipients: Vec::new(),
            to_addresses: Vec::new(),
            certstat_ids: Vec::new(),
            original_message_ids: Vec::new(),
            subject: None,
        }
    }
}

impl RecipientReport {
    /// Build a report and derive `hard` and `sender_side` from the reason.
    pub(crate) fn new(
        address: String,
        action: Action,
        status: Option<String>,
        reply_code: Option<String>,
        diagnostic: Option<String>,
        reason: Reason,
    ) -> RecipientReport {
        let hard = is_hard(reason, status.as_deref(), reply_code.as_deref())
            || (reason == Reason::Suspend
                && action == Action::Failed
                && reason::disabled_for_good(
                    diagnostic.as_deref().unwrap_or(""),
                    status.as_deref(),
                    reply_code.as_deref(),
                ));
        let sender_side = is_sender_side(reason);
        let needs_review = action == Action::Failed
            && !sender_side
            && matches!(reason, Reason::OnHold | Reason::Undefined);
        RecipientReport {
            address,
            original_address: None,
            action,
            status,
            reply_code,
            diagnostic,
            remote_mta: None,
            reason,
            hard,
            sender_side,
            needs_review,
        }
    }
}

/// Header values by (case-insensitive) name, rendered as text.
pub(crate) fn header_texts(headers: &[mail_parser::Header<'_>], name: &str) -> Vec<String> {
    headers
        .iter()
        .filter(|h| h.name().eq_ignore_ascii_case(name))
        .filter_map(|h| value_text(h.value()))
        .collect()
}

fn value_text(v: &HeaderValue<'_>) -> Option<String> {
    let mut out = String::new();
    push_value_text(&mut out, v).then_some(out)
}

/// Append a header value rendered as text (addresses as `<a>, <b>`, lists joined by spaces,
/// a content type as `type/subtype`); false, with nothing appended, for the forms not
/// rendered (dates, parsed `Received:` …).
fn push_value_text(out: &mut String, v: &HeaderValue<'_>) -> bool {
    match v {
        HeaderValue::Text(t) => out.push_str(t),
        HeaderValue::TextList(l) => {
            for (i, t) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(t);
            }
        }
        HeaderValue::Address(a) => {
            for (i, addr) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match (addr.name(), addr.address()) {
                    (_, Some(ad)) => {
                        out.push('<');
                        out.push_str(ad);
                        out.push('>');
                    }
                    (Some(n), None) => out.push_str(n),
                    (None, None) => {}
                }
            }
        }
        HeaderValue::ContentType(ct) => {
            out.push_str(&ct.c_type);
            if let Some(st) = &ct.c_subtype {
                out.push('/');
                out.push_str(st);
            }
        }
        _ => return false,
    }
    true
}

/// A person's reply: a reply subject (`Re:`, `AW:`, `SV:` …) and an `In-Reply-To` or
/// `References` field (present by name; their values are not parsed); or a person's forward
/// (`Fwd:`, `Fw:`, `WG:`, `TR:`, `RV:`, `Doorst:` …), which carries neither field.
fn is_reply(headers: &[mail_parser::Header<'_>], subject: &str) -> bool {
    if is_forward(subject) {
        return true;
    }
    let s = subject.trim_start().to_lowercase();
    let reply_subject = [
        "re:", "re :", "aw:", "sv:", "antw:", "r:", "rif:", "odp:", "vs:",
    ]
    .iter()
    .any(|p| s.starts_with(p));
    reply_subject
        && headers.iter().any(|h| {
            h.name().eq_ignore_ascii_case("In-Reply-To")
                || h.name().eq_ignore_ascii_case("References")
        })
}

/// A forward's subject (`Fwd:`, `Fw:`, `WG:`, `TR:`, `RV:`, `Doorst:` …).
fn is_forward(subject: &str) -> bool {
    let s = subject.trim_start().to_lowercase();
    [
        "fwd:", "fw:", "fwd :", "fw :", "wg:", "tr:", "rv:", "doorst:", "vl:", "enc:",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// A challenge's reply address without its confirmation extension (TMDA's
/// `ana-confirm-1733316005.12345.abcdef@example.net` is `ana@example.net`): the person behind it.
fn without_confirm_extension(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return address.to_string();
    };
    for sep in ["-confirm", "+confirm", "=confirm", ".confirm"] {
        if let Some(at) = local.find(sep)
            && at > 0
        {
            return format!("{}@{domain}", &local[..at]);
        }
    }
    address.to_string()
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Lower-cased `type/subtype` of a part, written into `buf` (emptied first; empty when the
/// part has no content type).
fn mime_into(part: &MessagePart<'_>, buf: &mut String) {
    buf.clear();
    if let Some(ct) = part.content_type() {
        buf.push_str(&ct.c_type);
        if let Some(st) = &ct.c_subtype {
            buf.push('/');
            buf.push_str(st);
        }
        buf.make_ascii_lowercase();
    }
}

/// Decoded text of a leaf part (binary parts are read as lossy UTF-8).
fn part_text(part: &MessagePart<'_>) -> Option<String> {
    match &part.body {
        PartType::Text(t) if t.contains('\r') => Some(t.replace('\r', "")),
        PartType::Text(t) => Some(t.to_string()),
        PartType::Html(h) => Some(crate::markup::html_to_text(h)),
        PartType::Binary(b) | PartType::InlineBinary(b) => Some(util::lossy(b)),
        PartType::Message(m) => Some(util::lossy(m.raw_message())),
        PartType::Multipart(_) => None,
    }
}

/// The pieces of a message that the readers look at.
#[derive(Default)]
pub(crate) struct Pieces {
    /// Human-readable text parts at the top level, in order.
    pub texts: Vec<String>,
    /// `message/delivery-status` bodies.
    pub dsn: Vec<String>,
    /// `message/feedback-report` bodies.
    pub feedback: Vec<String>,
    /// `message/disposition-notification` bodies (RFC 8098; Sieve and Dovecot rejections).
    pub mdn: Vec<String>,
    /// Returned original messages' headers as text (`text/rfc822-headers`
    /// bodies and the header blocks of `message/rfc822` parts).
    pub original_headers: Vec<String>,
    /// Message-IDs and To addresses of returned originals (from parsed
    /// `message/rfc822` parts).
    pub original_ids: Vec<String>,
    pub original_to: Vec<String>,
    pub original_from: Vec<String>,
    /// `message/delivery-status` bodies found inside attached messages (a
    /// bounce forwarded as an attachment).
    pub nested_dsn: Vec<String>,
    /// Report type of the top-level `multipart/report`, if any.
    pub report_type: Option<String>,
}

fn collect(msg: &Message<'_>) -> Pieces {
    let mut p = Pieces::default();
    if let Some(root) = msg.parts.first()
        && let Some(ct) = root.content_type()
        && ct.c_type.eq_ignore_ascii_case("multipart")
    {
        p.report_type = ct.attribute("report-type").map(|s| s.to_ascii_lowercase());
    }
    let mut mime = String::new();
    let mut nested_mime = String::new();
    for (i, part) in msg.parts.iter().enumerate() {
        mime_into(part, &mut mime);
        match mime.as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                if let Some(t) = part_text(part) {
                    p.dsn.push(t);
                }
            }
            "message/feedback-report" => {
                if let Some(t) = part_text(part) {
                    p.feedback.push(t);
                }
            }
            "message/disposition-notification" | "message/global-disposition-notification" => {
                if let Some(t) = part_text(part) {
                    p.mdn.push(t);
                }
            }
            "text/rfc822-headers" | "message/rfc822-headers" | "message/global-headers" => {
                if let Some(t) = part_text(part) {
                    p.original_headers.push(t);
                }
            }
            _ => match &part.body {
                PartType::Message(m) => {
                    add_original(&mut p, m);
                    for np in &m.parts {
                        mime_into(np, &mut nested_mime);
                        if matches!(
                            nested_mime.as_str(),
                            "message/delivery-status" | "message/global-delivery-status"
                        ) && let Some(t) = part_text(np)
                        {
                            p.nested_dsn.push(t);
                        }
                    }
                }
                PartType::Binary(b) | PartType::InlineBinary(b)
                    if mime.starts_with("message/") || mime == "text/rfc822" =>
                {
                    p.original_headers.push(util::lossy(b));
                }
                // A multipart whose boundary could not be read (e.g. an
                // unfolded `boundary=` line): keep its raw text.
                PartType::Binary(b) | PartType::InlineBinary(b)
                    if mime.starts_with("multipart/") =>
                {
                    p.texts.push(util::lossy(b));
                }
                PartType::Text(_) | PartType::Html(_) if i == 0 || !is_attachment(part) => {
                    if let Some(t) = part_text(part) {
                        p.texts.push(t);
                    }
                }
                PartType::Text(_) => {
                    // A text attachment: returned messages are sometimes sent
                    // as text/plain attachments; keep the header-like ones.
                    if let Some(t) = part_text(part) {
                        if text::looks_like_headers(&t) {
                            p.original_headers.push(t);
                        } else {
                            p.texts.push(t);
                        }
                    }
                }
                _ => {}
            },
        }
    }
    p
}

fn is_attachment(part: &MessagePart<'_>) -> bool {
    part.content_disposition()
        .is_some_and(|d| d.is_attachment())
}

fn add_original(p: &mut Pieces, m: &Message<'_>) {
    if let Some(root) = m.parts.first() {
        let mut block = String::new();
        for h in &root.headers {
            let mark = block.len();
            block.push_str(h.name());
            block.push_str(": ");
            if push_value_text(&mut block, h.value()) {
                block.push('\n');
            } else {
                block.truncate(mark);
            }
        }
        p.original_headers.push(block);
    }
    if let Some(id) = m.message_id() {
        push_unique(&mut p.original_ids, id.trim_matches(['<', '>']).to_string());
    }
    for a in m.to().into_iter().flat_map(|a| a.iter()) {
        if let Some(ad) = a.address() {
            push_unique(&mut p.original_to, ad.to_ascii_lowercase());
        }
    }
    for a in m.from().into_iter().flat_map(|a| a.iter()) {
        if let Some(ad) = a.address() {
            push_unique(&mut p.original_from, ad.to_ascii_lowercase());
        }
    }
}

/// mail-parser's default reading of every header field, except the fields the analysis never
/// consults, which are skipped (left `Empty`, like a field that could not be read):
/// - `Received:`, `Date:`, `Resent-Date:`: parsed into forms `value_text` does not render, and
///   never consulted; tokenizing a bounce's many long `Received:` lines was a fifth of the parse;
/// - the mailing-list fields and `References:` / `In-Reply-To:` (refresh reads those from the
///   raw header itself): never consulted by name, and rendered on one line among a returned
///   original's fields, where only `Message-ID` and `X-Certstat-Id` are looked for;
/// - the signature and authentication trace fields (`DKIM-Signature:`, `ARC-*`,
///   `Authentication-Results:` …): long, never consulted, and a folded `h=` list of signed
///   field names must not be read as a returned original's `Message-ID` or `X-Certstat-Id`.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    use HeaderName as H;
    let mut p = MessageParser::new();
    for h in [
        H::Subject,
        H::Comments,
        H::ContentDescription,
        H::ContentLocation,
        H::ContentTransferEncoding,
    ] {
        p = p.header_text(h);
    }
    for h in [
        H::From,
        H::To,
        H::Cc,
        H::Bcc,
        H::ReplyTo,
        H::Sender,
        H::ResentTo,
        H::ResentFrom,
        H::ResentBcc,
        H::ResentCc,
        H::ResentSender,
    ] {
        p = p.header_address(h);
    }
    for h in [
        H::MessageId,
        H::ReturnPath,
        H::ContentId,
        H::ResentMessageId,
    ] {
        p = p.header_id(h);
    }
    for h in [H::Keywords, H::ContentLanguage] {
        p = p.header_comma_separated(h);
    }
    for h in [H::ContentType, H::ContentDisposition] {
        p = p.header_content_type(h);
    }
    p = p.header_raw(H::MimeVersion);
    for h in [
        H::Received,
        H::Date,
        H::ResentDate,
        H::References,
        H::InReplyTo,
        H::ListArchive,
        H::ListHelp,
        H::ListId,
        H::ListOwner,
        H::ListPost,
        H::ListSubscribe,
        H::ListUnsubscribe,
        H::DkimSignature,
        H::Dkim2Signature,
        H::ArcSeal,
        H::ArcMessageSignature,
        H::ArcAuthenticationResults,
        H::AuthenticationResults,
    ] {
        p = p.ignore_header(h);
    }
    for name in [
        "X-Google-DKIM-Signature",
        "X-Received",
        "Received-SPF",
        "X-Gm-Message-State",
        "X-Google-Smtp-Source",
    ] {
        p = p.ignore_header(H::Other(name.into()));
    }
    p.default_header_raw()
});

/// Read one raw message. Never panics; a message whose reading failed is `NotBounce` (callers
/// that must not lose such a message use [`try_analyze`]).
pub fn analyze(raw: &[u8]) -> Analysis {
    try_analyze(raw).unwrap_or_else(|_| Analysis::empty())
}

/// The reading of a message failed (a defect in the reader): what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisFailed(pub String);

impl std::fmt::Display for AnalysisFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the message could not be analysed: {}", self.0)
    }
}

/// Read one raw message; `Err` (never a panic) when the reader failed on it, so the caller
/// can count it as an error and read it again later instead of taking it for "not a bounce".
pub fn try_analyze(raw: &[u8]) -> Result<Analysis, AnalysisFailed> {
    std::panic::catch_unwind(|| analyze_inner(raw)).map_err(|e| {
        let what = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "internal error".to_string());
        AnalysisFailed(what)
    })
}

/// The message with every bare CR (old Mac line endings, some gateways) read as a line break;
/// CRLF and LF are left as they are. Borrowed unchanged when there is no bare CR.
fn bare_cr_as_lf(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let bare = |i: usize| raw[i] == b'\r' && raw.get(i + 1) != Some(&b'\n');
    if !(0..raw.len()).any(bare) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let fixed = (0..raw.len())
        .map(|i| if bare(i) { b'\n' } else { raw[i] })
        .collect();
    std::borrow::Cow::Owned(fixed)
}

fn analyze_inner(raw: &[u8]) -> Analysis {
    let mut out = Analysis::empty();
    let raw: &[u8] = &bare_cr_as_lf(raw);
    let Some(msg) = PARSER.parse(raw) else {
        return out;
    };
    let Some(root) = msg.parts.first() else {
        return out;
    };
    let headers = &root.headers;
    out.subject = msg.subject().map(|s| s.trim().to_string());

    for name in [
        "To",
        "Delivered-To",
        "X-Original-To",
        "Envelope-To",
        "X-Envelope-To",
        "Return-Path",
        "X-Rcpt-To",
        "X-Delivered-To",
    ] {
        for v in header_texts(headers, name) {
            for f in util::find_addresses(&v) {
                push_unique(&mut out.to_addresses, f.address);
            }
        }
    }

    let pieces = collect(&msg);
    let body_texts = pieces.texts.join("\n");
    let body = text::Body::new(&body_texts);

    // Keys of the returned original.
    let mut header_sources: Vec<&str> =
        pieces.original_headers.iter().map(|s| s.as_str()).collect();
    if let Some(inline) = body.original {
        header_sources.push(inline);
    }
    // X-Certstat-Id values, and the first Message-ID field of each header source.
    let mut first_ids: Vec<&str> = Vec::new();
    for src in &header_sources {
        let mut first_id = None;
        for (name, value) in text::header_like_fields(src) {
            if name.eq_ignore_ascii_case("x-certstat-id") {
                let v = value.trim().trim_matches(['<', '>']).trim().to_string();
                push_unique(&mut out.certstat_ids, v);
            } else if first_id.is_none() && name.eq_ignore_ascii_case("message-id") {
                first_id = Some(value);
            }
        }
        first_ids.extend(first_id);
    }
    // Message-IDs: parsed originals first, then the first Message-ID field in
    // each header source.
    for id in &pieces.original_ids {
        push_unique(&mut out.original_message_ids, id.clone());
    }
    for v in first_ids {
        let v = v.trim();
        let id = match (v.find('<'), v.find('>')) {
            (Some(a), Some(b)) if b > a => &v[a + 1..b],
            _ => v,
        };
        push_unique(&mut out.original_message_ids, id.trim().to_string());
    }

    let from_text = header_texts(headers, "From").join(" ");
    let ctx = text::Context {
        subject: out.subject.clone().unwrap_or_default(),
        from: from_text,
        own_addresses: {
            let mut v = Vec::new();
            for name in ["From", "To", "Return-Path", "Reply-To", "Sender"] {
                for f in util::find_addresses(&header_texts(headers, name).join(" ")) {
                    push_unique(&mut v, f.address);
                }
            }
            v
        },
        original_to: pieces.original_to.clone(),
        original_from: pieces.original_from.clone(),
        reply: is_reply(headers, out.subject.as_deref().unwrap_or("")),
    };

    // 1. ARF feedback report.
    if !pieces.feedback.is_empty() || pieces.report_type.as_deref() == Some("feedback-report") {
        let (ftype, rcpts) = dsn::read_feedback(&pieces.feedback.join("\n"));
        let mut rcpts = rcpts;
        if rcpts.is_empty() {
            rcpts = pieces.original_to.clone();
        }
        out.kind = MessageKind::Feedback {
            feedback_type: ftype.unwrap_or_else(|| "other".to_string()),
        };
        for r in rcpts {
            out.recipients.push(RecipientReport::new(
                r,
                Action::Delivered,
                None,
                None,
                None,
                Reason::Feedback,
            ));
        }
        return out;
    }

    // 2. A disposition notification: a rejection (Sieve `reject`, Dovecot over quota) is a
    // bounce, a read receipt is not.
    if !pieces.mdn.is_empty() {
        if let Some(r) = dsn::read_mdn(&pieces.mdn.join("\n"), &body_texts) {
            out.kind = MessageKind::Bounce;
            out.recipients.push(r);
        }
        return out;
    }

    // 3. Standard DSN (or one forwarded inside an attached message).
    let hint = text::bounce_hint(&ctx, &body);
    // A bounce forwarded whole (its DSN inside the attached message) is still that bounce, even
    // from a person: the words of a bounce quoted in a forward's text are not.
    let forwarded = is_forward(out.subject.as_deref().unwrap_or(""));
    let dsn_parts = if pieces.dsn.is_empty() && (hint.any() || forwarded) {
        &pieces.nested_dsn
    } else {
        &pieces.dsn
    };
    if !dsn_parts.is_empty() {
        let reports = dsn::read_dsn(&dsn_parts.join("\n\n"), &body, &ctx);
        if !reports.is_empty() {
            out.kind = MessageKind::Bounce;
            out.recipients = reports;
            return out;
        }
    }

    // 4. JSON notifications (Amazon SES via SNS).
    if let Some((kind, reports)) = text::read_ses_json(&body_texts) {
        out.kind = kind;
        out.recipients = reports;
        return out;
    }

    // 5. A challenge-response system holding the message until we prove to be human: not
    // delivered yet, and not a bounce to guess a reason for: each address it names (else its
    // sender) needs review.
    if pieces.dsn.is_empty()
        && !hint.daemon_from
        && text::is_challenge(&ctx.subject, &body.section_lc)
    {
        let mut addrs: Vec<String> = text::plain_diagnostics(&body, &ctx)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        if addrs.is_empty() {
            addrs.extend(
                util::find_addresses(&ctx.from)
                    .into_iter()
                    .map(|f| without_confirm_extension(&f.address)),
            );
        }
        out.kind = MessageKind::Bounce;
        let said = util::squeeze(body.section);
        let said: String = said.chars().take(300).collect();
        for a in addrs.into_iter().take(1) {
            out.recipients.push(RecipientReport::new(
                a,
                Action::Failed,
                None,
                None,
                Some(said.clone()).filter(|s| !s.is_empty()),
                Reason::OnHold,
            ));
        }
        return out;
    }

    // 6. A mailing list holding the message for its moderators: about a list, not a failure
    // for a recipient (a mailer's own notice is still read as a bounce).
    if pieces.dsn.is_empty()
        && !hint.daemon_from
        && text::is_list_hold(&ctx.subject, &body.section_lc)
    {
        return out;
    }

    // 7. Non-standard bounce or auto-reply.
    // An auto-reply (RFC 3834 fields, an auto-reply subject) from someone other than a mail
    // system stays one though its text says the message "was not delivered" or "could not" be
    // read: only a mailer's address, or a bounce subject as well as bounce wording, outweighs it.
    let auto = text::is_auto_reply(headers, &ctx);
    let bounce_like = hint.daemon_from || (hint.subject && hint.body) || (hint.any() && !auto);
    if bounce_like {
        let reports = text::read_plain_bounce(&body, &ctx);
        if !reports.is_empty() || hint.strong() {
            out.kind = MessageKind::Bounce;
            out.recipients = reports;
            return out;
        }
    }
    if auto {
        out.kind = MessageKind::AutoReply;
        let from = util::find_addresses(&ctx.from);
        if let Some(f) = from.into_iter().next() {
            out.recipients.push(RecipientReport::new(
                f.address,
                Action::Delivered,
                None,
                None,
                None,
                Reason::Vacation,
            ));
        }
        return out;
    }
    out
}
