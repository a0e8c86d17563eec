//! Email providers' webhook payloads, for `events import --format sendgrid|ses|postmark|mailgun`
//! (or `auto`): delivery, bounce, delay, open, click and complaint events.
//!
//! Each payload is turned into [`ProviderEvent`]s, matched to a recipient the way bounce mail
//! is (our `X-Certstat-Id` when the provider passes headers or custom variables back, then our
//! Message-ID, then the address among recipients who were sent mail) and recorded with a
//! dedup key derived from the provider's event id (or the event's content), so importing the
//! same file twice changes nothing.

use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::matcher::{self, Keys, Strength};
use crate::bounce::ses;
use crate::db::End;
use crate::db::events::NewEvent;
use crate::db::inbound::Target;
use crate::db::sends::SendRef;
use crate::input::LineCount;
use crate::model::EventKind;
use crate::model::detail::{
    AutoReply, Complaint, Delivery, Engagement, EventDetail, Failure, Field,
};
use crate::{clock, db};

/// The providers we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Sendgrid,
    Ses,
    Postmark,
    Mailgun,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Sendgrid => "sendgrid",
            Provider::Ses => "ses",
            Provider::Postmark => "postmark",
            Provider::Mailgun => "mailgun",
        }
    }
}

/// One provider event, before matching.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderEvent {
    /// 1-based position in the file (object number), for messages.
    pub index: usize,
    pub kind: EventKind,
    pub email: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// Our `X-Certstat-Id`, when the payload carries it back.
    pub certstat_id: Option<String>,
    /// The message's Message-ID header (ours), without brackets.
    pub message_id: Option<String>,
    /// The provider's own id for the message.
    pub provider_message_id: Option<String>,
    /// The provider's id for this event (dedup), when it has one.
    pub event_id: Option<String>,
    pub detail: EventDetail,
}

/// Every JSON value in a stream, one at a time, to `each` (with its 1-based position): one
/// document (an object, or an array whose elements are streamed), or one per line (each an
/// object or an array). Memory is bounded by the largest single object, not the file.
pub fn for_each_document(
    reader: impl Read,
    mut each: impl FnMut(usize, Value) -> Result<()>,
) -> Result<()> {
    let mut input = BufReader::with_capacity(
        1 << 16,
        LineCount {
            inner: reader,
            newlines: 0,
        },
    );
    let mut index = 0usize;
    let mut first = true;
    let mut indent: usize;
    loop {
        // Skip whitespace (and a byte order mark) to the next document, or the end.
        let (skipped, newlines, at_end) = {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let mut n = 0;
            if first && buf.starts_with("\u{feff}".as_bytes()) {
                n = 3;
            }
            while n < buf.len() && buf[n].is_ascii_whitespace() {
                n += 1;
            }
            let newlines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            // How far into its line of the file the document starts (known when the skipped
            // bytes hold that line's start: at the top of the file, or after a newline).
            let bom = if first && buf.starts_with("\u{feff}".as_bytes()) {
                3
            } else {
                0
            };
            indent = match memchr::memrchr(b'\n', &buf[..n]) {
                Some(at) => n - at - 1,
                None if first => n - bom,
                None => 0,
            };
            (n, newlines, n == buf.len())
        };
        first = false;
        let line_before = input.get_ref().newlines - buffered_newlines(&input) + newlines;
        input.consume(skipped);
        if at_end {
            continue;
        }
        let mut de = serde_json::Deserializer::from_reader(&mut input);
        let mut err = None;
        let seed = EachElement {
            index: &mut index,
            each: &mut each,
            failed: &mut err,
        };
        let parsed = serde::Deserializer::deserialize_any(&mut de, seed);
        if let Some(e) = err {
            return Err(e);
        }
        if let Err(e) = parsed {
            bail!("{}", not_json(&e, line_before, indent));
        }
    }
}

/// `line 3, column 7: not JSON (expected value); nothing was imported: …`, the place counted
/// in the file (`lines_before` the document), not in the document as the JSON reader counts.
fn not_json(e: &serde_json::Error, lines_before: u64, indent: usize) -> String {
    let what = crate::input::json_error_what(e);
    format!(
        "line {}, column {}: not JSON ({what}); nothing was imported: fix it and import the file again",
        lines_before + e.line() as u64,
        e.column() + if e.line() == 1 { indent } else { 0 }
    )
}

/// Newlines in the part of the buffer not consumed yet (counted by `LineCount` already).
fn buffered_newlines<R: Read>(input: &BufReader<LineCount<R>>) -> u64 {
    memchr::memchr_iter(b'\n', input.buffer()).count() as u64
}

/// A top-level value: an array's elements each go to `each` as they are read; any other value
/// goes whole.
struct EachElement<'a, F> {
    index: &'a mut usize,
    each: &'a mut F,
    /// The callback's error (a deserialiser error carries text only).
    failed: &'a mut Option<anyhow::Error>,
}

impl<F: FnMut(usize, Value) -> Result<()>> EachElement<'_, F> {
    fn give<E: serde::de::Error>(&mut self, v: Value) -> Result<(), E> {
        *self.index += 1;
        match (self.each)(*self.index, v) {
            Ok(()) => Ok(()),
            Err(e) => {
                *self.failed = Some(e);
                Err(E::custom("stopped"))
            }
        }
    }
}

impl<'de, F: FnMut(usize, Value) -> Result<()>> serde::de::Visitor<'de> for EachElement<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object or an array of objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.give(v)?;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let v = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        self.give(v)
    }
}

impl<'de, F: FnMut(usize, Value) -> Result<()>> serde::de::DeserializeSeed<'de>
    for EachElement<'_, F>
{
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Which provider wrote this file; None when it looks like certstat's own jsonl.
pub fn detect(text: &str) -> Result<Option<Provider>> {
    let mut found = None;
    let mut seen = false;
    let stop = for_each_document(text.as_bytes(), |_, v| {
        found = detect_one(&v);
        seen = true;
        bail!("first document read")
    });
    match stop {
        Err(_) if seen => Ok(found),
        Err(e) => Err(e),
        Ok(()) => Ok(None),
    }
}

/// Which provider wrote the stream `input`, from its first document, without consuming it;
/// None for certstat's own jsonl. The first document must fit in the read buffer (64 KiB).
pub fn sniff(input: &mut dyn BufRead, label: &str) -> Result<Option<Provider>> {
    let buf = input
        .fill_buf()
        .with_context(|| format!("cannot read {label}"))?;
    let text = buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(buf);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let text = &text[start..];
    let first = match text.first() {
        None => return Ok(None),
        Some(b'[') => serde_json::Deserializer::from_slice(&text[1..])
            .into_iter::<Value>()
            .next(),
        Some(_) => serde_json::Deserializer::from_slice(text)
            .into_iter::<Value>()
            .next(),
    };
    match first {
        Some(Ok(v)) => Ok(detect_one(&v)),
        Some(Err(e)) if e.is_eof() => bail!(
            "{label}: the first event is too long to tell which provider wrote the file: pass --format"
        ),
        Some(Err(e)) => {
            let before = buf.len() - text.len();
            let lines = memchr::memchr_iter(b'\n', &buf[..before]).count() as u64;
            let line_start = memchr::memrchr(b'\n', &buf[..before]).map_or(0, |at| at + 1);
            let bom = if line_start == 0 && buf.starts_with("\u{feff}".as_bytes()) {
                3
            } else {
                0
            };
            let indent = before - line_start - bom + usize::from(text.first() == Some(&b'['));
            bail!("{label}: {}", not_json(&e, lines, indent))
        }
        None => Ok(None),
    }
}

/// Which provider one payload object comes from; None when it looks like certstat's own jsonl.
fn detect_one(v: &Value) -> Option<Provider> {
    let has = |k: &str| v.get(k).is_some();
    if has("certificate") && has("kind") {
        None
    } else if has("event-data") || (has("event") && has("recipient") && has("timestamp")) {
        Some(Provider::Mailgun)
    } else if has("RecordType") {
        Some(Provider::Postmark)
    } else if v.get("Type").and_then(Value::as_str) == Some("Notification")
        || has("notificationType")
        || has("eventType")
    {
        Some(Provider::Ses)
    } else if has("sg_event_id") || has("sg_message_id") || (has("event") && has("email")) {
        Some(Provider::Sendgrid)
    } else {
        None
    }
}

fn s(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A field the payload's reader always writes (`null` without a value).
fn or_null(v: Option<String>) -> Field<String> {
    Field::or_null(v)
}

fn is<T>(v: T) -> Field<T> {
    Field::Value(v)
}

/// A `delivered` event's detail as the providers write it.
fn delivery(response: Option<String>, remote_mta: Option<Option<String>>) -> EventDetail {
    EventDetail::Delivered(Delivery {
        evidence: is("provider".into()),
        response: or_null(response),
        remote_mta: remote_mta.map_or(Field::Absent, or_null),
        ..Delivery::default()
    })
}

/// An open's or a click's detail as the providers write it (a field `None` is left out).
fn engagement(
    kind: EventKind,
    machine: bool,
    user_agent: Option<Option<String>>,
    url: Option<Option<String>>,
) -> EventDetail {
    let e = Engagement {
        machine: is(machine),
        user_agent: user_agent.map_or(Field::Absent, or_null),
        url: url.map_or(Field::Absent, or_null),
        ..Engagement::default()
    };
    if kind == EventKind::Clicked {
        EventDetail::Clicked(e)
    } else {
        EventDetail::Opened(e)
    }
}

fn complaint(feedback_type: Option<String>) -> EventDetail {
    EventDetail::Complained(Complaint {
        feedback_type: or_null(feedback_type),
        ..Complaint::default()
    })
}

fn unbracket(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

fn unix_time(v: &Value) -> Option<String> {
    let secs = v.as_f64().or_else(|| v.as_str()?.parse().ok())?;
    chrono::DateTime::from_timestamp(secs as i64, 0).map(clock::stamp)
}

fn rfc3339(v: Option<&Value>) -> Option<String> {
    clock::parse(v?.as_str()?).map(clock::stamp)
}

/// Parse a provider's payload file into events (unknown event types are skipped).
pub fn parse(provider: Provider, text: &str) -> Result<Vec<ProviderEvent>> {
    let mut out = Vec::new();
    for_each_document(text.as_bytes(), |index, doc| {
        events_of(provider, &doc, index, &mut out)
    })?;
    Ok(out)
}

/// The events in one payload object.
pub fn events_of(
    provider: Provider,
    doc: &Value,
    index: usize,
    out: &mut Vec<ProviderEvent>,
) -> Result<()> {
    match provider {
        Provider::Sendgrid => sendgrid(doc, index, out),
        Provider::Ses => ses(doc, index, out)?,
        Provider::Postmark => postmark(doc, index, out),
        Provider::Mailgun => mailgun(doc, index, out),
    }
    Ok(())
}

/// SendGrid Event Webhook: an array of flat event objects.
fn sendgrid(v: &Value, index: usize, out: &mut Vec<ProviderEvent>) {
    let Some(event) = s(v, "event") else { return };
    let Some(email) = s(v, "email") else { return };
    let status = s(v, "status");
    let reason = s(v, "reason").or_else(|| s(v, "response"));
    let detail = match event.as_str() {
        "delivered" => delivery(s(v, "response"), None),
        "bounce" => {
            let blocked = s(v, "type").as_deref() == Some("blocked");
            let hard = !blocked && status.as_deref().is_none_or(|st| st.starts_with('5'));
            EventDetail::Bounced(Failure {
                status: or_null(status),
                reason: or_null(reason),
                hard: is(hard),
                classification: or_null(s(v, "bounce_classification")),
                sender_side: is(blocked),
                ..Failure::default()
            })
        }
        "dropped" => {
            let r = reason.clone().unwrap_or_default().to_lowercase();
            let hard = r.contains("bounce") || r.contains("invalid");
            EventDetail::Bounced(Failure {
                status: or_null(status),
                reason: or_null(reason),
                hard: is(hard),
                dropped: is(true),
                ..Failure::default()
            })
        }
        "deferred" => EventDetail::Delayed(Failure {
            status: or_null(status),
            reason: or_null(reason),
            attempt: or_null(s(v, "attempt")),
            ..Failure::default()
        }),
        "open" => {
            let machine = v.get("sg_machine_open").and_then(Value::as_bool);
            let user_agent = Some(s(v, "useragent"));
            engagement(
                EventKind::Opened,
                machine.unwrap_or(false),
                user_agent,
                None,
            )
        }
        "click" => engagement(EventKind::Clicked, false, None, Some(s(v, "url"))),
        "spamreport" => complaint(Some("abuse".into())),
        _ => return,
    };
    let kind = detail.kind();
    let provider_message_id = s(v, "sg_message_id");
    out.push(ProviderEvent {
        index,
        kind,
        email,
        at: v
            .get("timestamp")
            .and_then(unix_time)
            .unwrap_or_else(clock::now_stamp),
        certstat_id: s(v, "certstat_id").or_else(|| s(v, "X-Certstat-Id")),
        message_id: s(v, "smtp-id").map(|m| unbracket(&m)),
        provider_message_id,
        event_id: s(v, "sg_event_id"),
        detail,
    });
}

/// Amazon SES notifications, as delivered by SNS (the envelope's `Message` is a JSON string),
/// or the bare notification; both the notification (`notificationType`) and event publishing
/// (`eventType`) shapes.
fn ses(v: &Value, index: usize, out: &mut Vec<ProviderEvent>) -> Result<()> {
    let n = ses::open(v)
        .with_context(|| format!("notification {index}: the SNS Message is not JSON"))?;
    let Some(kind_name) = n.kind() else {
        return Ok(());
    };
    let mail = n.mail().cloned().unwrap_or(Value::Null);
    let certstat_id = n.header("X-Certstat-Id");
    let message_id = n
        .header("Message-ID")
        .or_else(|| mail.get("commonHeaders").and_then(|c| s(c, "messageId")))
        .map(|m| unbracket(&m));
    let provider_message_id = s(&mail, "messageId");
    for (kind, email, at, detail, i) in ses_items(&n, &kind_name, &mail) {
        out.push(ProviderEvent {
            index,
            kind,
            email,
            at: at
                .or_else(|| rfc3339(mail.get("timestamp")))
                .unwrap_or_else(clock::now_stamp),
            certstat_id: certstat_id.clone(),
            message_id: message_id.clone(),
            provider_message_id: provider_message_id.clone(),
            event_id: n.sns_message_id.as_ref().map(|e| format!("{e}#{i}")),
            detail,
        });
    }
    Ok(())
}

/// One recipient's event in an SES notification: kind, address, time (else the mail's),
/// detail, and its position in the notification's list (for the event id).
type SesItem = (EventKind, String, Option<String>, EventDetail, usize);

/// The recipients' events of one SES notification of kind `kind_name`.
fn ses_items(n: &ses::Notification, kind_name: &str, mail: &Value) -> Vec<SesItem> {
    let null = Value::Null;
    let part = |name: &str| n.part(name).unwrap_or(&null);
    match kind_name {
        "Bounce" => ses_bounces(part("bounce")),
        "Complaint" => {
            let c = part("complaint");
            ses_listed(c, "complainedRecipients", |_| {
                Some(complaint(s(c, "complaintFeedbackType")))
            })
        }
        "Delivery" => {
            let d = part("delivery");
            let at = rfc3339(d.get("timestamp"));
            let detail = delivery(s(d, "smtpResponse"), Some(s(d, "reportingMTA")));
            let list: Vec<String> = ses::list(d, "recipients")
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_else(|| ses_destination(mail));
            list.into_iter()
                .enumerate()
                .map(|(i, email)| (EventKind::Delivered, email, at.clone(), detail.clone(), i))
                .collect()
        }
        "DeliveryDelay" => {
            let d = part("deliveryDelay");
            ses_listed(d, "delayedRecipients", |r| {
                Some(EventDetail::Delayed(Failure {
                    status: or_null(s(r, "status")),
                    reason: or_null(s(d, "delayType")),
                    diagnostic: or_null(s(r, "diagnosticCode")),
                    ..Failure::default()
                }))
            })
        }
        "Open" | "Click" => {
            let (key, kind) = if kind_name == "Open" {
                ("open", EventKind::Opened)
            } else {
                ("click", EventKind::Clicked)
            };
            let o = part(key);
            let at = rfc3339(o.get("timestamp"));
            let detail = engagement(kind, false, Some(s(o, "userAgent")), Some(s(o, "link")));
            ses_destination(mail)
                .into_iter()
                .enumerate()
                .map(|(i, email)| (kind, email, at.clone(), detail.clone(), i))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A bounce notification's recipients: hard when the bounce is permanent and the recipient's
/// status is not a 4.x.x.
fn ses_bounces(b: &Value) -> Vec<SesItem> {
    let permanent = s(b, "bounceType").as_deref() == Some("Permanent");
    ses_listed(b, "bouncedRecipients", |r| {
        let status = s(r, "status");
        let hard = permanent && status.as_deref().is_none_or(|st| !st.starts_with('4'));
        Some(EventDetail::Bounced(Failure {
            status: or_null(status),
            reason: or_null(s(b, "bounceSubType")),
            hard: is(hard),
            diagnostic: or_null(s(r, "diagnosticCode")),
            bounce_type: or_null(s(b, "bounceType")),
            remote_mta: or_null(s(b, "reportingMTA")),
            ..Failure::default()
        }))
    })
}

/// The events of a part's list of recipient objects (`emailAddress` each; those without one
/// are passed over), at the part's time.
fn ses_listed(
    part: &Value,
    key: &str,
    event: impl Fn(&Value) -> Option<EventDetail>,
) -> Vec<SesItem> {
    let at = rfc3339(part.get("timestamp"));
    let mut items = Vec::new();
    for (i, r) in ses::list(part, key).into_iter().flatten().enumerate() {
        let Some(email) = s(r, "emailAddress") else {
            continue;
        };
        if let Some(detail) = event(r) {
            items.push((detail.kind(), email, at.clone(), detail, i));
        }
    }
    items
}

/// The addresses the original message was sent to.
fn ses_destination(mail: &Value) -> Vec<String> {
    ses::list(mail, "destination")
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str().map(str::to_string))
        .collect()
}

/// Postmark webhooks: one object per event, `RecordType` says which.
fn postmark(v: &Value, index: usize, out: &mut Vec<ProviderEvent>) {
    let Some(record) = s(v, "RecordType") else {
        return;
    };
    let email = s(v, "Email").or_else(|| s(v, "Recipient"));
    let Some(email) = email else { return };
    let ty = s(v, "Type").unwrap_or_default();
    let (at, detail) = match record.as_str() {
        "Delivery" => (s(v, "DeliveredAt"), delivery(s(v, "Details"), None)),
        "Bounce" => {
            let hard = matches!(
                ty.as_str(),
                "HardBounce" | "BadEmailAddress" | "AddressChange" | "ManuallyDeactivated"
            );
            let sender_side = matches!(
                ty.as_str(),
                "SpamNotification" | "Blocked" | "ChallengeVerification" | "SMTPApiError"
            );
            let diagnostic = or_null(s(v, "Details").or_else(|| s(v, "Description")));
            let detail = if ty == "AutoResponder" {
                EventDetail::AutoReply(AutoReply {
                    status: Field::Null,
                    reason: is(ty),
                    hard: is(false),
                    sender_side: is(false),
                    diagnostic,
                    ..AutoReply::default()
                })
            } else {
                EventDetail::Bounced(Failure {
                    status: Field::Null,
                    reason: is(ty),
                    hard: is(hard && !sender_side),
                    sender_side: is(sender_side),
                    diagnostic,
                    ..Failure::default()
                })
            };
            (s(v, "BouncedAt"), detail)
        }
        "SpamComplaint" => (s(v, "BouncedAt"), complaint(Some("abuse".into()))),
        "Open" => (
            s(v, "ReceivedAt"),
            engagement(EventKind::Opened, false, Some(s(v, "UserAgent")), None),
        ),
        "Click" => (
            s(v, "ReceivedAt"),
            engagement(EventKind::Clicked, false, None, Some(s(v, "OriginalLink"))),
        ),
        _ => return,
    };
    let kind = detail.kind();
    let metadata = v.get("Metadata").cloned().unwrap_or(Value::Null);
    let header = |name: &str| {
        v.get("Headers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|h| {
                h.get("Name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|h| s(h, "Value"))
    };
    out.push(ProviderEvent {
        index,
        kind,
        email,
        at: rfc3339(at.as_ref().map(|a| Value::String(a.clone())).as_ref())
            .unwrap_or_else(clock::now_stamp),
        certstat_id: s(&metadata, "certstat_id").or_else(|| header("X-Certstat-Id")),
        message_id: header("Message-ID").map(|m| unbracket(&m)),
        provider_message_id: s(v, "MessageID"),
        event_id: s(v, "ID").map(|id| format!("{record}:{id}")),
        detail,
    });
}

/// Mailgun webhooks: `{"signature": …, "event-data": {…}}` (or the bare event data).
fn mailgun(v: &Value, index: usize, out: &mut Vec<ProviderEvent>) {
    let e = v.get("event-data").unwrap_or(v);
    let Some(event) = s(e, "event") else { return };
    let Some(email) = s(e, "recipient") else {
        return;
    };
    let ds = e.get("delivery-status").cloned().unwrap_or(Value::Null);
    let code = s(&ds, "code");
    let status = s(&ds, "enhanced-code");
    let diagnostic = s(&ds, "description")
        .or_else(|| s(&ds, "message"))
        .or_else(|| s(e, "reason"));
    let detail = match event.as_str() {
        "delivered" => delivery(s(&ds, "message"), Some(s(&ds, "mx-host"))),
        "failed" => {
            let permanent = s(e, "severity").as_deref() == Some("permanent");
            let failure = Failure {
                status: or_null(status),
                reply_code: or_null(code),
                reason: or_null(s(e, "reason")),
                diagnostic: or_null(diagnostic),
                ..Failure::default()
            };
            if permanent {
                EventDetail::Bounced(Failure {
                    hard: is(true),
                    remote_mta: or_null(s(&ds, "mx-host")),
                    ..failure
                })
            } else {
                EventDetail::Delayed(failure)
            }
        }
        "opened" => {
            let user_agent = e.get("client-info").and_then(|c| s(c, "user-agent"));
            engagement(EventKind::Opened, false, Some(user_agent), None)
        }
        "clicked" => engagement(EventKind::Clicked, false, None, Some(s(e, "url"))),
        "complained" => complaint(Some("abuse".into())),
        _ => return,
    };
    let kind = detail.kind();
    let headers = e
        .get("message")
        .and_then(|m| m.get("headers"))
        .cloned()
        .unwrap_or(Value::Null);
    let vars = e.get("user-variables").cloned().unwrap_or(Value::Null);
    out.push(ProviderEvent {
        index,
        kind,
        email,
        at: e
            .get("timestamp")
            .and_then(unix_time)
            .unwrap_or_else(clock::now_stamp),
        certstat_id: s(&vars, "certstat_id"),
        message_id: s(&headers, "message-id").map(|m| unbracket(&m)),
        provider_message_id: s(&headers, "message-id").map(|m| unbracket(&m)),
        event_id: s(e, "id"),
        detail,
    });
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub events: usize,
    pub applied: usize,
    pub already: usize,
    pub unmatched: Vec<String>,
    /// Unmatched events beyond those listed in `unmatched`.
    pub unmatched_more: usize,
}

/// The most unmatched events listed one by one (the rest are counted).
const UNMATCHED_LISTED: usize = 1000;

/// Matches and records events one at a time, inside the caller's transaction.
pub struct Applier {
    provider: Provider,
    pub outcome: Outcome,
}

impl Applier {
    pub fn new(provider: Provider) -> Applier {
        Applier {
            provider,
            outcome: Outcome::default(),
        }
    }

    fn unmatched(&mut self, e: &ProviderEvent) {
        if self.outcome.unmatched.len() < UNMATCHED_LISTED {
            self.outcome.unmatched.push(format!(
                "event {}: {} for <{}> matches no recipient who was sent mail",
                e.index, e.kind, e.email
            ));
        } else {
            self.outcome.unmatched_more += 1;
        }
    }

    /// Match one event to its recipient, and record it.
    pub fn one(&mut self, tx: &rusqlite::Connection, e: &ProviderEvent) -> Result<()> {
        self.outcome.events += 1;
        let Some((t, how)) = matched(tx, e)? else {
            self.unmatched(e);
            return Ok(());
        };
        self.record(tx, e, &t, how)
    }

    fn record(
        &mut self,
        tx: &rusqlite::Connection,
        e: &ProviderEvent,
        t: &Target,
        how: Strength,
    ) -> Result<()> {
        let rid = t.recipient_id;
        // Matched by our own ids, the event names the message it is about (a reminder's bounce
        // is the reminder's) and is never dated before it.
        let send = match how {
            Strength::CertstatId | Strength::MessageId => t.send.as_ref(),
            _ => None,
        };
        let detail = stored_detail(self.provider, e, how, send);
        let key = dedup_key(self.provider, e, rid);
        // Never before the send it is about (the log is read in time order).
        let sent_at = send.map(|s| &s.last_at).or(t.sent_at.as_ref());
        let at = super::clamp_time(
            clock::parse(&e.at),
            sent_at.map(String::as_str),
            clock::now(),
        );
        let new = NewEvent {
            recipient_id: rid,
            kind: e.kind,
            at: &at,
            source: "provider",
            detail,
            dedup_key: Some(key),
        };
        if db::events::record(tx, &new)? {
            self.outcome.applied += 1;
        } else {
            self.outcome.already += 1;
        }
        Ok(())
    }
}

/// The detail recorded for a provider event matched by `how` (to the message `send`, when
/// matched by our own ids).
pub(super) fn stored_detail(
    provider: Provider,
    e: &ProviderEvent,
    how: Strength,
    send: Option<&SendRef>,
) -> Value {
    let mut detail = e.detail.clone();
    let origin = detail.origin_mut();
    origin.matched = is(how.as_str().to_string());
    if let Some(s) = send {
        origin.send_id = is(s.send_id.clone());
        origin.notice = Field::or_absent(s.notice.clone());
    }
    origin.provider = is(provider.as_str().to_string());
    origin.provider_message_id = Field::or_absent(e.provider_message_id.clone());
    detail.to_value()
}

/// The dedup key of a provider event for recipient `rid`: the provider's event id, else a
/// SHA-256 over the event's content (its detail's JSON text included, so that text must stay
/// what it was for files imported before).
pub(super) fn dedup_key(provider: Provider, e: &ProviderEvent, rid: i64) -> String {
    match &e.event_id {
        Some(id) => format!("{}:{id}:{}", provider.as_str(), e.kind),
        None => {
            let detail = e.detail.to_value();
            let text = format!("{}\n{}\n{}\n{}\n{}", e.kind, e.email, e.at, detail, rid);
            format!(
                "{}:{}",
                provider.as_str(),
                hex::encode(Sha256::digest(text.as_bytes()))
            )
        }
    }
}

/// The recipient an event is about, by the one matcher bounce mail goes through: our
/// `X-Certstat-Id`, our Message-ID, the provider's message id, then the address among
/// recipients who were sent mail.
fn matched(tx: &rusqlite::Connection, e: &ProviderEvent) -> Result<Option<(Target, Strength)>> {
    let keys = Keys {
        certstat_ids: e.certstat_id.as_deref().into_iter().collect(),
        message_ids: e.message_id.as_deref().into_iter().collect(),
        provider_message_id: e
            .provider_message_id
            .as_deref()
            .map(|p| (p, e.email.as_str())),
        ..Keys::default()
    };
    if let Some(found) = matcher::keyed(tx, &keys)? {
        return Ok(Some(found));
    }
    Ok(matcher::by_address(tx, &[&e.email], None)?.map(|t| (t, Strength::Address)))
}

/// Match and record every event of a provider's payloads, read as a stream from `input`
/// (`label` names it in errors), in one transaction. When it holds no events at all, nothing
/// is written and the outcome says so (`events` 0).
pub fn import(
    conn: &rusqlite::Connection,
    label: &str,
    input: impl Read,
    provider: Provider,
) -> Result<Outcome> {
    db::write_then(conn, |tx| {
        let mut applier = Applier::new(provider);
        let mut events = Vec::new();
        for_each_document(input, |index, doc| {
            events.clear();
            events_of(provider, &doc, index, &mut events)?;
            for e in &events {
                applier.one(tx, e)?;
            }
            Ok(())
        })
        .with_context(|| label.to_string())?;
        let end = if applier.outcome.events == 0 {
            End::Rollback
        } else {
            End::Commit
        };
        Ok((applier.outcome, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_are_streamed_from_arrays_lines_and_concatenations() {
        let seen = |text: &str| {
            let mut out = Vec::new();
            for_each_document(text.as_bytes(), |i, v| {
                out.push((i, v["n"].as_i64().unwrap_or(-1)));
                Ok(())
            })
            .map(|_| out)
        };
        let want = vec![(1, 1), (2, 2), (3, 3)];
        assert_eq!(seen("[{\"n\":1},\n{\"n\":2},{\"n\":3}]").unwrap(), want);
        assert_eq!(
            seen("\u{feff}{\"n\":1}\n{\"n\":2}\n\n{\"n\":3}\n").unwrap(),
            want
        );
        assert_eq!(seen("[{\"n\":1}]\n[{\"n\":2},{\"n\":3}]").unwrap(), want);
        assert_eq!(seen("{\n  \"n\": 1\n}\n").unwrap(), vec![(1, 1)]);
        assert_eq!(seen("  \n").unwrap(), vec![]);
        // Errors name the line of the file, also after documents spanning lines.
        let err = seen("{\"n\":1}\n{\n\"n\":\n2,,}\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 4, column 3:"), "{err}");
        let err = seen("[{\"n\":1},\n{\"n\":2}\n").unwrap_err().to_string();
        assert!(err.contains("line 3") || err.contains("line 2"), "{err}");
        // A callback's error stops the stream and comes back as it was.
        let err = for_each_document("[{},{},{}]".as_bytes(), |i, _| {
            if i == 2 { bail!("stop at 2") } else { Ok(()) }
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stop at 2");
    }

    #[test]
    fn detects_each_shape() {
        let sg = r#"[{"email":"a@x.org","event":"delivered","sg_event_id":"e1","timestamp":1700000000}]"#;
        assert_eq!(detect(sg).unwrap(), Some(Provider::Sendgrid));
        let pm = r#"{"RecordType":"Delivery","Recipient":"a@x.org"}"#;
        assert_eq!(detect(pm).unwrap(), Some(Provider::Postmark));
        let mg = r#"{"signature":{},"event-data":{"event":"delivered","recipient":"a@x.org"}}"#;
        assert_eq!(detect(mg).unwrap(), Some(Provider::Mailgun));
        let ses = r#"{"Type":"Notification","Message":"{}"}"#;
        assert_eq!(detect(ses).unwrap(), Some(Provider::Ses));
        let own =
            r#"{"certificate":"C","email":"a@x.org","kind":"opened","at":"2026-01-01T00:00:00Z"}"#;
        assert_eq!(detect(own).unwrap(), None);
    }

    #[test]
    fn ses_bounce_inside_sns() {
        let inner = json!({
            "notificationType": "Bounce",
            "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                       "bouncedRecipients": [{"emailAddress": "a@x.org", "status": "5.1.1",
                                              "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                       "timestamp": "2026-01-02T03:04:05.000Z"},
            "mail": {"messageId": "ses-1", "timestamp": "2026-01-02T03:04:00.000Z",
                     "headers": [{"name": "X-Certstat-Id", "value": "abc"}]}
        });
        let sns = json!({"Type": "Notification", "MessageId": "m1", "Message": inner.to_string()});
        let evs = parse(Provider::Ses, &sns.to_string()).unwrap();
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].kind, EventKind::Bounced);
        assert_eq!(evs[0].detail.to_value()["hard"], true);
        assert_eq!(evs[0].certstat_id.as_deref(), Some("abc"));
        assert_eq!(evs[0].at, "2026-01-02T03:04:05Z");
    }
}
