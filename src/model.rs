//! The domain: the five statuses, event kinds, and how a recipient's status follows from
//! their event log.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod detail;

pub use detail::{BounceClass, EventDetail};

/// certstat's own export columns; `import` recognises them and leaves them out of the fields.
pub const EXPORT_COLUMNS: &[&str] = &[
    "email",
    "name",
    "status",
    "status_at",
    "detail",
    "unconfirmed",
    "revoked",
    "expired",
    "created_at",
    "sent_at",
    "delivered_at",
    "bounced_at",
    "opened_at",
    "clicked_at",
    "claimed_at",
    "opens",
    "clicks",
    "downloads",
    "shares_linkedin",
    "shares_facebook",
    "shares_x",
    "linkedin_added",
];

/// Exactly one per recipient, derived from the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotSent,
    Pending,
    Delivered,
    Bounced,
    Claimed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotSent,
        Status::Pending,
        Status::Delivered,
        Status::Bounced,
        Status::Claimed,
    ];

    /// The stored and JSON form: `not_sent` … `claimed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotSent => "not_sent",
            Status::Pending => "pending",
            Status::Delivered => "delivered",
            Status::Bounced => "bounced",
            Status::Claimed => "claimed",
        }
    }

    /// The human form: `Not Sent` … `Claimed`.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotSent => "Not Sent",
            Status::Pending => "Pending",
            Status::Delivered => "Delivered",
            Status::Bounced => "Bounced",
            Status::Claimed => "Claimed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The stored form (every row read), before the forms a person types.
        if let Some(st) = Status::ALL.into_iter().find(|st| st.as_str() == s) {
            return Ok(st);
        }
        let key: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().replace('_', "") == key)
            .ok_or_else(|| {
                format!(
                    "unknown status '{s}' (use not_sent, pending, delivered, bounced or claimed, in any case, with _, - or a space)"
                )
            })
    }
}

/// The `--status` value parser: any case and separator (`Bounced`, `not sent`, `not-sent`,
/// `not_sent`); completions and `--help` offer the snake_case keys.
#[derive(Debug, Clone, Copy)]
pub struct StatusParser;

impl clap::builder::TypedValueParser for StatusParser {
    type Value = Status;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Status, clap::Error> {
        let text = value.to_string_lossy();
        text.parse().map_err(|e: String| {
            let option = arg
                .map(|a| format!(" for '--{}'", a.get_id()))
                .unwrap_or_default();
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{text}'{option}: {e}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Status::ALL
                .into_iter()
                .map(|s| clap::builder::PossibleValue::new(s.as_str())),
        ))
    }
}

macro_rules! event_kinds {
    ($($variant:ident => $name:literal,)*) => {
        /// What happened to a recipient. New features are new kinds, never new tables.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventKind { $($variant,)* }

        impl EventKind {
            pub const ALL: &[EventKind] = &[$(EventKind::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $name,)* }
            }
        }

        impl FromStr for EventKind {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(EventKind::$variant),)*
                    _ => Err(format!(
                        "unknown event kind '{s}' (one of: {})",
                        [$($name),*].join(", ")
                    )),
                }
            }
        }
    };
}

event_kinds! {
    SendAttempt => "send_attempt",
    Sent => "sent",
    SendFailed => "send_failed",
    Delivered => "delivered",
    Delayed => "delayed",
    Bounced => "bounced",
    Complained => "complained",
    AutoReply => "auto_reply",
    Opened => "opened",
    Clicked => "clicked",
    Claimed => "claimed",
    Downloaded => "downloaded",
    Shared => "shared",
    LinkedinAdded => "linkedin_added",
    ClaimFailed => "claim_failed",
    Edited => "edited",
    Revoked => "revoked",
    Unrevoked => "unrevoked",
    RemindAttempt => "remind_attempt",
    Reminded => "reminded",
    Unsubscribed => "unsubscribed",
    LinkRequested => "link_requested",
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the event log as status derivation sees it.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub at: String,
    pub source: String,
    pub detail: Value,
}

/// A recipient's derived state: what `recipients list` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub status: Status,
    /// When the recipient entered that status (RFC 3339).
    pub at: String,
    /// Why: bounce reason, last error, how delivery is known, …
    pub detail: String,
    /// Pending because a send was interrupted before its outcome was recorded.
    pub unconfirmed: bool,
    pub revoked: bool,
}

impl Event {
    /// The detail, read as its kind's type.
    pub fn typed(&self) -> EventDetail {
        EventDetail::read(self.kind, &self.detail)
    }
}

/// The detail stored for a `bounced` or `delayed` event, read as one.
fn failure(detail: &Value) -> detail::Failure {
    match EventDetail::read(EventKind::Bounced, detail) {
        EventDetail::Bounced(f) => f,
        _ => detail::Failure::default(),
    }
}

/// A bounce event's one-line explanation: `5.1.1 user unknown`.
pub fn bounce_detail(detail: &Value) -> String {
    failure(detail).summary()
}

/// How a Bounced recipient's detail starts when the failure is hard (do not retry).
pub const HARD_BOUNCE: &str = "hard bounce: ";
/// How a Bounced recipient's detail starts when the failure is soft (retrying may work).
pub const SOFT_BOUNCE: &str = "soft bounce: ";
/// How a Pending recipient's detail starts when a failure notice names them but could not be
/// classified: they stay out of the settle window until someone looks.
pub const NEEDS_REVIEW: &str = "needs review: ";

/// Whether a Bounced recipient's failure is hard (from their status detail).
pub fn is_hard_bounce(detail: &str) -> bool {
    !detail.starts_with(SOFT_BOUNCE)
}

/// Classify a `bounced` event's detail (see [`detail::Failure::class`]).
pub fn bounce_class(detail: &Value) -> BounceClass {
    failure(detail).class()
}

/// A bounce's one-line explanation with the server's own words when they are known.
fn bounce_words(f: &detail::Failure) -> String {
    let why = f.summary();
    match f.diagnostic.text() {
        Some(words) if !why.contains(words) => format!("{why} ({})", sanitize_cell(words)),
        _ => why,
    }
}

/// [`apply`] of a `send_failed`: back to Not Sent with the error, unless it was the failed
/// re-send of an unconfirmed message (which does not tell whether the earlier one arrived).
/// A changed address: the recipient is Not Sent again (a new address was never mailed).
fn apply_edited(
    d: &mut Derived,
    e: &Event,
    edit: &detail::Edit,
    set: impl Fn(&mut Derived, Status, &str, String),
) {
    if edit.new_email.text().is_some() {
        let old = edit.old_email.text().unwrap_or_default();
        set(
            d,
            Status::NotSent,
            &e.at,
            format!("address changed from {old}"),
        );
        d.at = e.at.clone();
    }
}

/// A hand-over mark: Pending and unconfirmed until the message's outcome is recorded.
fn apply_send_attempt(
    d: &mut Derived,
    e: &Event,
    set: impl Fn(&mut Derived, Status, &str, String),
) {
    if matches!(
        d.status,
        Status::NotSent | Status::Bounced | Status::Pending
    ) {
        set(
            d,
            Status::Pending,
            &e.at,
            "unconfirmed: the send was interrupted before its outcome was recorded".into(),
        );
        d.unconfirmed = true;
    }
}

fn apply_send_failed(
    d: &mut Derived,
    e: &Event,
    f: &detail::SendFailure,
    set: impl Fn(&mut Derived, Status, &str, String),
) {
    if !(d.status == Status::Pending && d.unconfirmed || d.status == Status::NotSent) {
        return;
    }
    let err = f.error.text().unwrap_or("unknown error");
    // The recipient stays unconfirmed until an outcome is known.
    if f.unconfirmed_before.on() {
        set(
            d,
            Status::Pending,
            &e.at,
            format!("unconfirmed: an earlier send was interrupted, and the re-send failed: {err}"),
        );
        d.unconfirmed = true;
    } else {
        set(d, Status::NotSent, &e.at, format!("last error: {err}"));
    }
}

/// [`apply`] of a `delivered`: with its evidence; a second one keeps the first one's time.
fn apply_delivered(
    d: &mut Derived,
    e: &Event,
    delivery: &detail::Delivery,
    set: impl Fn(&mut Derived, Status, &str, String),
) {
    if !matches!(
        d.status,
        Status::NotSent | Status::Pending | Status::Delivered
    ) {
        return;
    }
    let how = match delivery.evidence.text() {
        Some("settle") => "no bounce within the settle window".to_string(),
        Some(other) => format!("confirmed: {other}"),
        None => format!("confirmed by {}", e.source),
    };
    let keep_at = d.status == Status::Delivered;
    let at = if keep_at { d.at.clone() } else { e.at.clone() };
    set(d, Status::Delivered, &at, how);
}

/// The [`apply`] step for a `bounced` event: every final failure makes Bounced (hard or soft);
/// an unclassifiable one keeps the recipient Pending "needs review"; a sender-side rejection
/// changes nothing.
fn apply_bounce(
    d: &mut Derived,
    e: &Event,
    f: &detail::Failure,
    set: impl Fn(&mut Derived, Status, &str, String),
) {
    let why = bounce_words(f);
    match f.class() {
        BounceClass::Hard => set(d, Status::Bounced, &e.at, format!("{HARD_BOUNCE}{why}")),
        BounceClass::Soft => set(d, Status::Bounced, &e.at, format!("{SOFT_BOUNCE}{why}")),
        BounceClass::NeedsReview if matches!(d.status, Status::NotSent | Status::Pending) => {
            set(d, Status::Pending, &e.at, format!("{NEEDS_REVIEW}{why}"))
        }
        BounceClass::NeedsReview | BounceClass::SenderSide => {}
    }
}

/// Fold a recipient's events (in any order) into their status.
///
/// Events are applied in time order (ties by id). The rules are DESIGN.md's table: a send
/// attempt makes Pending (unconfirmed until its outcome), a hard bounce makes Bounced, positive
/// evidence makes Delivered, a claim is final, an address change starts over at Not Sent.
pub fn derive(created_at: &str, events: &[Event]) -> Derived {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    let mut d = Derived {
        status: Status::NotSent,
        at: created_at.to_string(),
        detail: String::new(),
        unconfirmed: false,
        revoked: false,
    };
    for e in sorted {
        apply(&mut d, e);
    }
    d
}

/// The event that decided a recipient's current status and detail: the last one whose fold
/// step changed them (`None` while nothing has, e.g. a recipient never sent).
pub fn deciding_event<'e>(created_at: &str, events: &'e [Event]) -> Option<&'e Event> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    let mut d = Derived {
        status: Status::NotSent,
        at: created_at.to_string(),
        detail: String::new(),
        unconfirmed: false,
        revoked: false,
    };
    let mut decided = None;
    for e in sorted {
        let before = (d.status, d.detail.clone());
        apply(&mut d, e);
        if (d.status, &d.detail) != (before.0, &before.1) {
            decided = Some(e);
        }
    }
    decided
}

/// Where an event's evidence came from, in a word: `smtp` (the SMTP reply to our send),
/// `outbox` (the message was written to the outbox), `dsn` (a bounce file), `imap` (a bounce fetched over IMAP), `provider` (an ESP's webhook
/// log), `settle` (no failure within the settle window), `web` (the recipient's own visit),
/// `cli` (an operator's command).
pub fn evidence_kind(e: &Event) -> &'static str {
    evidence_of(e, &e.typed())
}

/// [`evidence_kind`] of `e`, whose detail is `detail`.
fn evidence_of(e: &Event, detail: &EventDetail) -> &'static str {
    match e.source.as_str() {
        "dsn" => "dsn",
        "imap" => "imap",
        "provider" => "provider",
        "web" => "web",
        _ if detail.evidence() == Some("settle") => "settle",
        "outbox" => "outbox",
        "smtp" => "smtp",
        _ if matches!(e.kind, EventKind::Sent | EventKind::Bounced)
            && !detail.origin().send_id.is_absent() =>
        {
            "smtp"
        }
        _ => "cli",
    }
}

/// What the mail system or the recipient said, in its own words, when an event holds them.
pub fn event_words(e: &Event) -> Option<String> {
    e.typed().words().map(str::to_string)
}

/// Where exactly an event came from: the file or IMAP message (`via`), the provider, the send
/// transport, the settle window.
pub fn event_origin(e: &Event) -> String {
    let detail = e.typed();
    let origin = detail.origin();
    match evidence_of(e, &detail) {
        "dsn" | "imap" => origin.via.text().unwrap_or(&e.source).to_string(),
        "provider" => origin.provider.text().unwrap_or("provider").to_string(),
        "settle" => {
            let (window, sent_at) = match &detail {
                EventDetail::Delivered(d) => (d.settle.text(), d.sent_at.text()),
                _ => (None, None),
            };
            format!(
                "no failure within {} of the send{}",
                window.unwrap_or("the settle window"),
                sent_at.map(|t| format!(" at {t}")).unwrap_or_default()
            )
        }
        "smtp" | "outbox" => match (detail.transport(), detail.phase()) {
            (Some(t), _) => format!("{t} transport"),
            (None, Some(p)) => format!("SMTP reply at {p}"),
            _ => "SMTP reply".into(),
        },
        _ => e.source.clone(),
    }
}

/// The message an event is about, when it names one by its send id (a bounce matched by VERP
/// or `X-Certstat-Id`): what it was and when it was sent, from the recipient's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    pub send_id: String,
    /// "the first email", "the reminder", "the expiry notice", "the links mailed again".
    pub what: &'static str,
    /// When the server accepted it, else when it was handed over.
    pub at: String,
}

pub fn sent_message(e: &Event, timeline: &[Event]) -> Option<SentMessage> {
    let send_id = e.typed().origin().send_id.text()?.to_string();
    let same: Vec<(&Event, EventDetail)> = timeline
        .iter()
        .filter(|t| t.id != e.id)
        .map(|t| (t, t.typed()))
        .filter(|(_, d)| d.origin().send_id.text() == Some(&send_id))
        .collect();
    let (first, first_detail) = same.iter().min_by_key(|(t, _)| t.id)?;
    let what = match (first.kind, first_detail.origin().notice.text()) {
        (EventKind::RemindAttempt | EventKind::Reminded, Some("expiry")) => "the expiry notice",
        (EventKind::RemindAttempt | EventKind::Reminded, _) => "the reminder",
        (EventKind::LinkRequested, _) => "the links mailed again",
        _ => "the first email",
    };
    let accepted = same
        .iter()
        .map(|(t, _)| t)
        .find(|t| matches!(t.kind, EventKind::Sent | EventKind::Reminded));
    Some(SentMessage {
        send_id,
        what,
        at: accepted.unwrap_or(first).at.clone(),
    })
}

/// One step of [`derive`]: the state after `e`, for a recipient whose state was `d` after all
/// their events that come before `e` in time order (ties by id). Applied to a recipient's stored
/// state and an event that comes after all their others, it gives what a full [`derive`] gives.
pub fn apply(d: &mut Derived, e: &Event) {
    let set = |d: &mut Derived, status: Status, at: &str, detail: String| {
        if d.status != status {
            d.at = at.to_string();
        }
        d.status = status;
        d.detail = detail;
        d.unconfirmed = false;
    };
    match (e.kind, e.typed()) {
        (EventKind::Revoked, _) => d.revoked = true,
        (EventKind::Unrevoked, _) => d.revoked = false,
        _ if d.status == Status::Claimed => {}
        (_, EventDetail::Claimed(_)) => set(d, Status::Claimed, &e.at, String::new()),
        (_, EventDetail::Edited(edit)) => apply_edited(d, e, &edit, set),
        (_, EventDetail::SendAttempt(_)) => apply_send_attempt(d, e, set),
        (_, EventDetail::Sent(m)) => {
            if matches!(
                d.status,
                Status::NotSent | Status::Pending | Status::Bounced
            ) {
                let via = m.transport.text().unwrap_or(&e.source);
                set(d, Status::Pending, &e.at, format!("accepted by {via}"));
            }
        }
        (_, EventDetail::SendFailed(f)) => apply_send_failed(d, e, &f, set),
        (_, EventDetail::Bounced(f)) => apply_bounce(d, e, &f, set),
        (_, EventDetail::Delayed(f)) => {
            if matches!(d.status, Status::NotSent | Status::Pending) {
                let why = f.delay_summary();
                let why = match f.diagnostic.text() {
                    Some(words) if !why.contains(words) => {
                        format!("{why} ({})", sanitize_cell(words))
                    }
                    _ => why,
                };
                set(d, Status::Pending, &e.at, format!("delayed: {why}"));
            }
        }
        (_, EventDetail::Delivered(delivery)) => apply_delivered(d, e, &delivery, set),
        (
            _,
            detail @ (EventDetail::Opened(_)
            | EventDetail::Clicked(_)
            | EventDetail::Complained(_)
            | EventDetail::AutoReply(_)),
        ) => {
            if d.status == Status::Pending && !d.unconfirmed && !detail.machine() {
                set(
                    d,
                    Status::Delivered,
                    &e.at,
                    format!("confirmed: {}", e.kind),
                );
            }
        }
        (
            _,
            EventDetail::Downloaded(_)
            | EventDetail::Shared(_)
            | EventDetail::LinkedinAdded(_)
            | EventDetail::ClaimFailed(_)
            | EventDetail::RemindAttempt(_)
            | EventDetail::Reminded(_)
            | EventDetail::Unsubscribed(_)
            | EventDetail::LinkRequested(_)
            | EventDetail::Revoked(_)
            | EventDetail::Unrevoked(_),
        ) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A send_failed that follows the attempt of a re-send of an unconfirmed message keeps the
    /// recipient unconfirmed; one without the mark returns them to Not Sent.
    #[test]
    fn a_failed_resend_of_an_unconfirmed_message_stays_unconfirmed() {
        let ev = |id: i64, kind: EventKind, detail: Value| Event {
            id,
            kind,
            at: format!("2026-01-01T00:00:0{id}Z"),
            source: "smtp".into(),
            detail,
        };
        let mut events = vec![
            ev(
                1,
                EventKind::SendAttempt,
                serde_json::json!({"send_id": "a"}),
            ),
            ev(
                2,
                EventKind::SendAttempt,
                serde_json::json!({"send_id": "b"}),
            ),
            ev(
                3,
                EventKind::SendFailed,
                serde_json::json!({"error": "x", "unconfirmed_before": true}),
            ),
        ];
        let d = derive("2026-01-01T00:00:00Z", &events);
        assert_eq!((d.status, d.unconfirmed), (Status::Pending, true));
        events[2].detail = serde_json::json!({"error": "x"});
        let d = derive("2026-01-01T00:00:00Z", &events);
        assert_eq!((d.status, d.unconfirmed), (Status::NotSent, false));
    }
    use serde_json::json;

    #[test]
    fn email_hash_is_fnv1a_64_of_the_key() {
        // The published FNV-1a test vectors: the stored values must never change.
        assert_eq!(email_hash(""), 0xcbf2_9ce4_8422_2325_u64 as i64);
        assert_eq!(email_hash("a"), 0xaf63_dc4c_8601_ec8c_u64 as i64);
        assert_eq!(email_hash("foobar"), 0x8594_4171_f739_67e8_u64 as i64);
        assert_eq!(
            email_hash(&email_key(" Ana@Example.ORG ")),
            email_hash("ana@example.org")
        );
    }

    fn ev(id: i64, kind: EventKind, at: &str, detail: Value) -> Event {
        Event {
            id,
            kind,
            at: at.into(),
            source: "test".into(),
            detail,
        }
    }

    const T0: &str = "2026-01-01T00:00:00Z";

    #[test]
    fn new_recipient_is_not_sent() {
        let d = derive(T0, &[]);
        assert_eq!(d.status, Status::NotSent);
        assert_eq!(d.at, T0);
    }

    #[test]
    fn interrupted_send_is_pending_unconfirmed() {
        let d = derive(
            T0,
            &[ev(
                1,
                EventKind::SendAttempt,
                "2026-01-01T00:00:01Z",
                json!({}),
            )],
        );
        assert_eq!(d.status, Status::Pending);
        assert!(d.unconfirmed);
        let d = derive(
            T0,
            &[
                ev(1, EventKind::SendAttempt, "2026-01-01T00:00:01Z", json!({})),
                ev(2, EventKind::Sent, "2026-01-01T00:00:01Z", json!({})),
            ],
        );
        assert_eq!(d.status, Status::Pending);
        assert!(!d.unconfirmed);
    }

    #[test]
    fn temporary_failure_goes_back_to_not_sent_with_the_error() {
        let d = derive(
            T0,
            &[
                ev(1, EventKind::SendAttempt, "2026-01-01T00:00:01Z", json!({})),
                ev(
                    2,
                    EventKind::SendFailed,
                    "2026-01-01T00:00:02Z",
                    json!({"error": "421 try later"}),
                ),
            ],
        );
        assert_eq!(d.status, Status::NotSent);
        assert!(d.detail.contains("421 try later"));
    }

    #[test]
    fn late_hard_bounce_beats_delivery_but_not_claim() {
        let sent = ev(1, EventKind::Sent, "2026-01-01T00:00:01Z", json!({}));
        let delivered = ev(
            2,
            EventKind::Delivered,
            "2026-01-01T01:00:01Z",
            json!({"evidence": "settle"}),
        );
        let bounce = ev(
            3,
            EventKind::Bounced,
            "2026-01-02T00:00:00Z",
            json!({"status": "5.1.1", "reason": "user unknown", "hard": true}),
        );
        let d = derive(T0, &[sent.clone(), delivered.clone(), bounce.clone()]);
        assert_eq!(d.status, Status::Bounced);
        assert_eq!(d.detail, "hard bounce: 5.1.1 user unknown");
        let claim = ev(4, EventKind::Claimed, "2026-01-01T12:00:00Z", json!({}));
        let d = derive(T0, &[sent, delivered, bounce, claim]);
        assert_eq!(d.status, Status::Claimed, "claimed is final");
    }

    /// The status a recipient has after one send and one bounce event with this detail.
    fn after_bounce(detail: Value) -> Derived {
        derive(
            T0,
            &[
                ev(1, EventKind::Sent, "2026-01-01T00:00:01Z", json!({})),
                ev(2, EventKind::Bounced, "2026-01-01T00:00:05Z", detail),
            ],
        )
    }

    #[test]
    fn every_final_failure_is_bounced_with_its_hard_or_soft_flag() {
        for (detail, hard) in [
            (
                json!({"status": "4.2.2", "reason": "mailbox full", "hard": false}),
                false,
            ),
            (
                json!({"status": "4.4.7", "reason": "expired", "hard": false,
                    "diagnostic": "delivery temporarily suspended"}),
                false,
            ),
            (
                json!({"status": "5.2.1", "reason": "suspend", "hard": false}),
                false,
            ),
            (
                json!({"status": "5.1.1", "reason": "user unknown", "hard": true}),
                true,
            ),
            (json!({"status": "5.1.1"}), true),
        ] {
            let d = after_bounce(detail.clone());
            assert_eq!(d.status, Status::Bounced, "{detail}");
            assert_eq!(is_hard_bounce(&d.detail), hard, "{detail} -> {}", d.detail);
            let reason = detail["reason"].as_str().unwrap_or("5.1.1");
            assert!(d.detail.contains(reason), "{}", d.detail);
        }
        let d = after_bounce(
            json!({"status": "4.4.7", "reason": "expired", "hard": false,
                                    "diagnostic": "connect to mx: Connection timed out"}),
        );
        assert_eq!(
            d.detail,
            "soft bounce: 4.4.7 expired (connect to mx: Connection timed out)"
        );
    }

    #[test]
    fn unclassifiable_failure_needs_review_and_sender_side_changes_nothing() {
        for detail in [
            json!({"status": null, "reason": "undefined", "hard": false, "needs_review": true,
                   "diagnostic": "Automatically rejected mail"}),
            json!({"reason": "undefined", "hard": false}),
        ] {
            let d = after_bounce(detail.clone());
            assert_eq!(d.status, Status::Pending, "{detail}");
            assert!(d.detail.starts_with(NEEDS_REVIEW), "{}", d.detail);
        }
        let d = after_bounce(
            json!({"status": "5.7.1", "reason": "blocked", "hard": false,
                                    "sender_side": true}),
        );
        assert_eq!(d.status, Status::Pending);
        assert_eq!(d.detail, "accepted by test");
    }

    #[test]
    fn a_delay_keeps_pending_and_never_says_expired() {
        for (detail, want) in [
            (
                json!({"status": "4.4.1", "reason": "expired", "hard": false,
                       "diagnostic": "Connection refused"}),
                "delayed: 4.4.1 (Connection refused)",
            ),
            (
                json!({"status": "4.4.1", "reason": null, "diagnostic": "Connection refused"}),
                "delayed: 4.4.1 (Connection refused)",
            ),
            (
                json!({"status": "4.2.2", "reason": "mailboxfull"}),
                "delayed: 4.2.2 mailboxfull",
            ),
            (json!({}), "delayed: still trying"),
        ] {
            let d = derive(
                T0,
                &[
                    ev(1, EventKind::Sent, "2026-01-01T00:00:01Z", json!({})),
                    ev(
                        2,
                        EventKind::Delayed,
                        "2026-01-01T00:00:05Z",
                        detail.clone(),
                    ),
                ],
            );
            assert_eq!(d.status, Status::Pending, "{detail}");
            assert_eq!(d.detail, want, "{detail}");
            assert!(!d.detail.contains("expired"), "{}", d.detail);
        }
    }

    #[test]
    fn events_apply_in_time_order_not_insertion_order() {
        let d = derive(
            T0,
            &[
                ev(
                    1,
                    EventKind::Bounced,
                    "2026-01-03T00:00:00Z",
                    json!({"status": "5.1.1", "hard": true}),
                ),
                ev(2, EventKind::Sent, "2026-01-01T00:00:00Z", json!({})),
            ],
        );
        assert_eq!(d.status, Status::Bounced);
    }

    #[test]
    fn address_change_starts_over() {
        let d = derive(
            T0,
            &[
                ev(
                    1,
                    EventKind::Bounced,
                    "2026-01-01T00:00:01Z",
                    json!({"status": "5.1.1", "hard": true}),
                ),
                ev(
                    2,
                    EventKind::Edited,
                    "2026-01-02T00:00:00Z",
                    json!({"old_email": "a@x.org", "new_email": "b@x.org"}),
                ),
            ],
        );
        assert_eq!(d.status, Status::NotSent);
        assert!(d.detail.contains("a@x.org"));
    }

    #[test]
    fn machine_opens_are_no_evidence() {
        let sent = ev(1, EventKind::Sent, "2026-01-01T00:00:01Z", json!({}));
        let machine = ev(
            2,
            EventKind::Opened,
            "2026-01-01T00:00:02Z",
            json!({"machine": true}),
        );
        assert_eq!(derive(T0, &[sent.clone(), machine]).status, Status::Pending);
        let human = ev(
            3,
            EventKind::Opened,
            "2026-01-01T00:00:03Z",
            json!({"machine": false}),
        );
        assert_eq!(derive(T0, &[sent, human]).status, Status::Delivered);
    }

    #[test]
    fn status_parses_from_cli_and_storage_forms() {
        assert_eq!("not-sent".parse::<Status>().unwrap(), Status::NotSent);
        assert_eq!("not_sent".parse::<Status>().unwrap(), Status::NotSent);
        assert_eq!("Claimed".parse::<Status>().unwrap(), Status::Claimed);
        assert!("lost".parse::<Status>().is_err());
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>().unwrap(), *kind);
        }
    }
}

/// A certificate and its email template and design.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    pub description: String,
    #[serde(skip)]
    pub subject_tpl: Option<String>,
    #[serde(skip)]
    pub body_tpl: Option<String>,
    #[serde(skip)]
    pub html_tpl: Option<String>,
    #[serde(skip)]
    pub design_svg: Option<String>,
    pub expires_at: Option<String>,
    pub created_at: String,
    /// Whether messages carry the open pixel (`cert create|edit --no-open-tracking`).
    pub open_tracking: bool,
    /// The reminders' own subject template (`cert edit --reminder-subject`), else the default.
    #[serde(skip)]
    pub reminder_subject_tpl: Option<String>,
    /// The reminders' own plain-text body template (`cert edit --reminder-body`).
    #[serde(skip)]
    pub reminder_body_tpl: Option<String>,
    /// Where expiry notices send the recipient to renew (`cert edit --renewal-url`).
    pub renewal_url: Option<String>,
    /// The expiry notices' own subject template (`cert edit --expiry-subject`), else the default.
    #[serde(skip)]
    pub expiry_subject_tpl: Option<String>,
    /// The expiry notices' own plain-text body template (`cert edit --expiry-body`).
    #[serde(skip)]
    pub expiry_body_tpl: Option<String>,
    /// The language of its pages, default email and wording (`--language`); `None` is the
    /// configured default.
    pub language: Option<String>,
    /// Whether its recipient pages follow the browser's `Accept-Language`.
    pub follow_browser_language: bool,
}

impl Certificate {
    /// A certificate not yet saved: no issuer, description, templates, design or expiry.
    pub fn new(name: &str, created_at: &str) -> Certificate {
        Certificate {
            id: 0,
            name: name.trim().to_string(),
            issuer: String::new(),
            description: String::new(),
            subject_tpl: None,
            body_tpl: None,
            html_tpl: None,
            design_svg: None,
            expires_at: None,
            created_at: created_at.to_string(),
            open_tracking: true,
            reminder_subject_tpl: None,
            reminder_body_tpl: None,
            renewal_url: None,
            expiry_subject_tpl: None,
            expiry_body_tpl: None,
            language: None,
            follow_browser_language: false,
        }
    }
}

/// A recipient with their cached derived status.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub certificate_id: i64,
    pub email: String,
    pub name: String,
    pub status: Status,
    pub status_at: String,
    pub detail: String,
    pub unconfirmed: bool,
    pub revoked: bool,
    pub fields: serde_json::Map<String, Value>,
    pub created_at: String,
    #[serde(skip)]
    pub uid: String,
}

/// Normalise an address for uniqueness: trimmed and lower-cased (local part included, as
/// every mainstream mailbox provider treats it case-insensitively); outside ASCII, also
/// composed (NFC: `é` typed as `e` and a combining accent is the same mailbox) and with its
/// domain in its DNS form (`münchen.de` and `xn--mnchen-3ya.de` are one domain, and a
/// bounce names it in the ASCII form).
pub fn email_key(email: &str) -> String {
    let email = email.trim();
    if email.is_ascii() && !email.contains("xn--") && !email.contains("XN--") {
        return email.to_lowercase();
    }
    let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(email);
    let lower = composed.to_lowercase();
    match lower.rsplit_once('@') {
        Some((local, domain)) => match ascii_domain(domain) {
            Some(ascii) => format!("{local}@{ascii}"),
            None => lower,
        },
        None => lower,
    }
}

/// Text folded for searching: compatibility-composed (NFKC, so a name typed with combining
/// accents or full-width letters is found by its ordinary form) and lower-cased in full
/// Unicode (`Ö` finds `ö`, `Σ` finds `σ`).
pub fn search_fold(text: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
        .normalize(text)
        .to_lowercase()
}

/// A domain as DNS has it: the ASCII form of an internationalised domain (punycode), checked
/// by the rules of host names (UTS 46 with STD3 rules: letters, digits, hyphens; no hyphen at
/// either end of a label; `xn--` labels valid punycode; RFC 1035 lengths); None when it is
/// not one.
pub fn ascii_domain(domain: &str) -> Option<String> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Verify,
        )
        .ok()
        .map(|d| d.into_owned())
}

/// The indexed look-up key of a normalised address ([`email_key`]): FNV-1a (64-bit) over its
/// UTF-8 bytes, stored as a signed integer. Specified, so it is the same on every platform and
/// in every version (it is stored in the database); two addresses may share it, so every look-up
/// also compares the full `email_key`.
pub fn email_hash(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// Strip control and bidirectional-override characters, for tables and single-line cells.
pub fn sanitize_cell(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' || c == '\t' || c == '\r' { ' ' } else { c })
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}
