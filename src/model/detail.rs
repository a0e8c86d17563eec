//! What an event's `detail` holds, one type per kind ([`EventDetail`]): the code that records
//! an event and the code that reads it back share it.
//!
//! A detail is stored as a JSON object in the `events` table. Its text matters: a provider
//! event without an event id is deduplicated by a hash over it (`refresh/providers.rs`), so
//! a type serialises its fields in the order they were always written, leaves out the fields
//! its writer leaves out and writes `null` where its writer does ([`Field`]).
//!
//! Reading never fails: a field of an unexpected type reads as missing, fields this version
//! does not know are passed over, and a detail that is not an object reads as an empty one.

use std::fmt;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::EventKind;

/// A field of a stored detail: left out, `null`, or a value. Writers of one kind differ in
/// which fields they write as `null` and which they leave out; the stored text keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Field<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }

    /// A field its writer always writes: `null` when there is no value.
    pub fn or_null(v: Option<T>) -> Field<T> {
        v.map_or(Field::Null, Field::Value)
    }

    /// A field its writer writes only when it has a value.
    pub fn or_absent(v: Option<T>) -> Field<T> {
        v.map_or(Field::Absent, Field::Value)
    }
}

impl Field<String> {
    /// The text, when there is some (an empty string counts as none).
    pub fn text(&self) -> Option<&str> {
        self.get().map(String::as_str).filter(|s| !s.is_empty())
    }
}

impl Field<bool> {
    /// The flag, `false` unless it is stored as `true`.
    pub fn on(&self) -> bool {
        self.get() == Some(&true)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(v) => v.serialize(s),
            Field::Absent | Field::Null => s.serialize_none(),
        }
    }
}

/// The parts of a [`Visitor`] that pass over values of other types (maps and lists are read
/// to their end and dropped).
macro_rules! lenient_visitor {
    ($name:ident, $t:ty, $what:literal, { $($body:tt)* }) => {
        struct $name;

        impl<'de> Visitor<'de> for $name {
            type Value = Field<$t>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str($what)
            }

            $($body)*

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Field::Null)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Field::Null)
            }
        }

        impl<'de> Deserialize<'de> for Field<$t> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($name)
            }
        }
    };
}

lenient_visitor!(TextVisitor, String, "text", {
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Value(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Field::Value(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Value(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Field::Value(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Field::Null, |n| Field::Value(n.to_string())))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
});

lenient_visitor!(FlagVisitor, bool, "true or false", {
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Value(v))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
});

lenient_visitor!(CountVisitor, i64, "a whole number", {
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Value(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Field::Null, Field::Value))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
});

/// A struct of [`Field`]s, each left out of the stored text while absent, and the
/// [`Origin`] fields after them.
macro_rules! detail {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $f:ident: $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(skip_serializing_if = "Field::is_absent")]
                pub $f: Field<$t>,
            )*
            #[serde(flatten)]
            pub origin: Origin,
        }
    };
}

/// How an event was tied to its recipient and where it came from: written after a kind's
/// own fields, in this order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Origin {
    /// The key the event was matched to its recipient by (`verp`, `certstat_id`, …).
    #[serde(rename = "match", skip_serializing_if = "Field::is_absent")]
    pub matched: Field<String>,
    /// The message it is about.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub send_id: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub message_id: Field<String>,
    /// `reminder` or `expiry` when the message it is about was a follow-up.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub notice: Field<String>,
    /// For an expiry notice: how long before expiry it was sent, and when that is.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub expiring: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub expires_at: Field<String>,
    /// The provider whose file it came from.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub provider: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub provider_message_id: Field<String>,
    /// The bounce file or IMAP message it came from.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub via: Field<String>,
}

/// What every event of a run's messages says of them: nothing for a first email; the notice
/// for a follow-up, and for an expiry notice its window and the expiry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeKeys {
    pub notice: Option<String>,
    pub expiring: Option<String>,
    pub expires_at: Option<String>,
}

impl NoticeKeys {
    /// Mark an event's origin with it.
    pub fn mark(&self, origin: &mut Origin) {
        origin.notice = Field::or_absent(self.notice.clone());
        origin.expiring = Field::or_absent(self.expiring.clone());
        origin.expires_at = Field::or_absent(self.expires_at.clone());
    }
}

detail! {
    /// A `bounced` or `delayed` event: what the mail system said.
    Failure {
        /// The enhanced status code (`5.1.1`).
        status: String,
        /// The SMTP reply code (`550`).
        reply_code: String,
        reason: String,
        /// Retrying will not help (missing: recorded before the flag existed, counts as hard).
        hard: bool,
        classification: String,
        dropped: bool,
        /// A failure notice that could not be classified.
        needs_review: bool,
        /// The server refused the sender, not the address.
        sender_side: bool,
        /// The server's own words.
        diagnostic: String,
        bounce_type: String,
        remote_mta: String,
        attempt: String,
        /// The SMTP phase a refusal came at.
        phase: String,
        address: String,
    }
}

detail! {
    /// A `delivered` event: how delivery is known.
    Delivery {
        /// `settle`, `dsn`, `provider`, …
        evidence: String,
        status: String,
        response: String,
        remote_mta: String,
        /// For `settle`: the send that nothing came back for, and the window.
        sent_at: String,
        settle: String,
    }
}

detail! {
    /// An `opened` or `clicked` event.
    Engagement {
        /// A mail scanner's or a proxy's, not the recipient's.
        machine: bool,
        user_agent: String,
        url: String,
        /// Repeats folded into the event by serve, and the time of the last one.
        count: i64,
        last: String,
    }
}

detail! {
    /// A `complained` event.
    Complaint {
        feedback_type: String,
        machine: bool,
    }
}

detail! {
    /// An `auto_reply` event.
    AutoReply {
        subject: String,
        /// A provider reports an auto-reply as a bounce of its own type, with a bounce's
        /// fields.
        status: String,
        reason: String,
        hard: bool,
        sender_side: bool,
        diagnostic: String,
        machine: bool,
    }
}

detail! {
    /// A `send_attempt`, `sent`, `remind_attempt` or `reminded` event: the message handed
    /// over, and the server's answer once known.
    Mailing {
        transport: String,
        reply: String,
    }
}

detail! {
    /// A `send_failed` event.
    SendFailure {
        error: String,
        transport: String,
        /// The failed send was the re-send of a message whose outcome was never recorded.
        unconfirmed_before: bool,
    }
}

/// An `edited` event: the address and the name before and after, when they changed, and each
/// changed field under `field:NAME` as `{"old": …, "new": …}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Edit {
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub old_email: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub new_email: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub old_name: Field<String>,
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub new_name: Field<String>,
    #[serde(flatten)]
    pub origin: Origin,
    /// The changed fields (and whatever else the detail holds), by key.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, Value>,
}

impl Edit {
    /// Record that field `name` went from `old` to `new` (`None`: not set).
    pub fn field_changed(&mut self, name: &str, old: Option<&Value>, new: Option<&Value>) {
        let mut change = serde_json::Map::new();
        change.insert("old".into(), old.cloned().unwrap_or(Value::Null));
        change.insert("new".into(), new.cloned().unwrap_or(Value::Null));
        self.fields
            .insert(format!("field:{name}"), Value::Object(change));
    }

    pub fn is_empty(&self) -> bool {
        self.new_email.is_absent() && self.new_name.is_absent() && self.fields.is_empty()
    }
}

detail! {
    /// A `revoked` event.
    Revocation {
        reason: String,
    }
}

detail! {
    /// A `downloaded` event: `pdf` or `png`.
    Download {
        format: String,
    }
}

detail! {
    /// An `unsubscribed` event: by the mail client's one-click request, or the page.
    Unsubscribe {
        one_click: bool,
    }
}

detail! {
    /// A `shared` event.
    Share {
        network: String,
    }
}

detail! {
    /// A `link_requested` event: the links mailed again from the lost-link page.
    LinkRequest {
        mailed: bool,
        error: String,
        transport: String,
        /// The server's reply when it took the message.
        reply: String,
        /// Who asked (the client address the limits count by).
        client: String,
        /// Over the limits: nothing was mailed.
        limited: bool,
        /// The request in the lost-link log (`certstat events lost`).
        request_id: i64,
    }
}

detail! {
    /// A kind whose detail holds nothing certstat reads back.
    Plain {}
}

/// An event's detail, by its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum EventDetail {
    SendAttempt(Mailing),
    Sent(Mailing),
    SendFailed(SendFailure),
    Delivered(Delivery),
    Delayed(Failure),
    Bounced(Failure),
    Complained(Complaint),
    AutoReply(AutoReply),
    Opened(Engagement),
    Clicked(Engagement),
    Claimed(Plain),
    Downloaded(Download),
    Shared(Share),
    LinkedinAdded(Plain),
    ClaimFailed(Plain),
    Edited(Edit),
    Revoked(Revocation),
    Unrevoked(Plain),
    RemindAttempt(Mailing),
    Reminded(Mailing),
    Unsubscribed(Unsubscribe),
    LinkRequested(LinkRequest),
}

/// A kind's detail from its stored JSON; whatever cannot be read reads as missing.
fn lenient<T: DeserializeOwned + Default>(v: &Value) -> T {
    T::deserialize(v).unwrap_or_default()
}

impl EventDetail {
    /// The detail of a `kind` event stored as `v`. Never fails: see the module comment.
    pub fn read(kind: EventKind, v: &Value) -> EventDetail {
        use EventDetail as D;
        match kind {
            EventKind::SendAttempt => D::SendAttempt(lenient(v)),
            EventKind::Sent => D::Sent(lenient(v)),
            EventKind::SendFailed => D::SendFailed(lenient(v)),
            EventKind::Delivered => D::Delivered(lenient(v)),
            EventKind::Delayed => D::Delayed(lenient(v)),
            EventKind::Bounced => D::Bounced(lenient(v)),
            EventKind::Complained => D::Complained(lenient(v)),
            EventKind::AutoReply => D::AutoReply(lenient(v)),
            EventKind::Opened => D::Opened(lenient(v)),
            EventKind::Clicked => D::Clicked(lenient(v)),
            EventKind::Claimed => D::Claimed(lenient(v)),
            EventKind::Downloaded => D::Downloaded(lenient(v)),
            EventKind::Shared => D::Shared(lenient(v)),
            EventKind::LinkedinAdded => D::LinkedinAdded(lenient(v)),
            EventKind::ClaimFailed => D::ClaimFailed(lenient(v)),
            EventKind::Edited => D::Edited(lenient(v)),
            EventKind::Revoked => D::Revoked(lenient(v)),
            EventKind::Unrevoked => D::Unrevoked(lenient(v)),
            EventKind::RemindAttempt => D::RemindAttempt(lenient(v)),
            EventKind::Reminded => D::Reminded(lenient(v)),
            EventKind::Unsubscribed => D::Unsubscribed(lenient(v)),
            EventKind::LinkRequested => D::LinkRequested(lenient(v)),
        }
    }

    pub fn kind(&self) -> EventKind {
        use EventDetail as D;
        match self {
            D::SendAttempt(_) => EventKind::SendAttempt,
            D::Sent(_) => EventKind::Sent,
            D::SendFailed(_) => EventKind::SendFailed,
            D::Delivered(_) => EventKind::Delivered,
            D::Delayed(_) => EventKind::Delayed,
            D::Bounced(_) => EventKind::Bounced,
            D::Complained(_) => EventKind::Complained,
            D::AutoReply(_) => EventKind::AutoReply,
            D::Opened(_) => EventKind::Opened,
            D::Clicked(_) => EventKind::Clicked,
            D::Claimed(_) => EventKind::Claimed,
            D::Downloaded(_) => EventKind::Downloaded,
            D::Shared(_) => EventKind::Shared,
            D::LinkedinAdded(_) => EventKind::LinkedinAdded,
            D::ClaimFailed(_) => EventKind::ClaimFailed,
            D::Edited(_) => EventKind::Edited,
            D::Revoked(_) => EventKind::Revoked,
            D::Unrevoked(_) => EventKind::Unrevoked,
            D::RemindAttempt(_) => EventKind::RemindAttempt,
            D::Reminded(_) => EventKind::Reminded,
            D::Unsubscribed(_) => EventKind::Unsubscribed,
            D::LinkRequested(_) => EventKind::LinkRequested,
        }
    }

    /// The stored form: the kind's fields as a JSON object.
    pub fn to_value(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => tagged.remove("detail").unwrap_or_default(),
            _ => Value::Object(Default::default()),
        }
    }

    pub fn origin(&self) -> &Origin {
        self.parts().0
    }

    pub fn origin_mut(&mut self) -> &mut Origin {
        use EventDetail as D;
        match self {
            D::SendAttempt(m) | D::Sent(m) | D::RemindAttempt(m) | D::Reminded(m) => &mut m.origin,
            D::SendFailed(f) => &mut f.origin,
            D::Delivered(d) => &mut d.origin,
            D::Delayed(f) | D::Bounced(f) => &mut f.origin,
            D::Complained(c) => &mut c.origin,
            D::AutoReply(a) => &mut a.origin,
            D::Opened(e) | D::Clicked(e) => &mut e.origin,
            D::Shared(s) => &mut s.origin,
            D::Downloaded(d) => &mut d.origin,
            D::Unsubscribed(u) => &mut u.origin,
            D::Edited(e) => &mut e.origin,
            D::Revoked(r) => &mut r.origin,
            D::LinkRequested(l) => &mut l.origin,
            D::Claimed(p) | D::LinkedinAdded(p) | D::ClaimFailed(p) | D::Unrevoked(p) => {
                &mut p.origin
            }
        }
    }

    /// The origin, and the kind's [`Words`].
    fn parts(&self) -> (&Origin, Words<'_>) {
        use EventDetail as D;
        let none = Words::default();
        match self {
            D::SendAttempt(m) | D::Sent(m) | D::RemindAttempt(m) | D::Reminded(m) => (
                &m.origin,
                Words {
                    reply: m.reply.text(),
                    transport: m.transport.text(),
                    ..none
                },
            ),
            D::SendFailed(f) => (
                &f.origin,
                Words {
                    error: f.error.text(),
                    transport: f.transport.text(),
                    ..none
                },
            ),
            D::Delivered(d) => (
                &d.origin,
                Words {
                    response: d.response.text(),
                    ..none
                },
            ),
            D::Delayed(f) | D::Bounced(f) => (
                &f.origin,
                Words {
                    diagnostic: f.diagnostic.text(),
                    reason: f.reason.text(),
                    phase: f.phase.text(),
                    ..none
                },
            ),
            D::Complained(c) => (&c.origin, none),
            D::AutoReply(a) => (
                &a.origin,
                Words {
                    subject: a.subject.text(),
                    diagnostic: a.diagnostic.text(),
                    reason: a.reason.text(),
                    ..none
                },
            ),
            D::Opened(e) | D::Clicked(e) => (&e.origin, none),
            D::Shared(s) => (&s.origin, none),
            D::Downloaded(d) => (&d.origin, none),
            D::Unsubscribed(u) => (&u.origin, none),
            D::Edited(e) => (&e.origin, none),
            D::Revoked(r) => (
                &r.origin,
                Words {
                    reason: r.reason.text(),
                    ..none
                },
            ),
            D::LinkRequested(l) => (
                &l.origin,
                Words {
                    error: l.error.text(),
                    ..none
                },
            ),
            D::Claimed(p) | D::LinkedinAdded(p) | D::ClaimFailed(p) | D::Unrevoked(p) => {
                (&p.origin, none)
            }
        }
    }

    /// What the mail system or the recipient said, in its own words, when the event holds
    /// them: the diagnostic, the server's reply or response, the reason, the error, the
    /// subject (the first there is).
    pub fn words(&self) -> Option<&str> {
        let w = self.parts().1;
        w.diagnostic
            .or(w.reply)
            .or(w.response)
            .or(w.reason)
            .or(w.error)
            .or(w.subject)
    }

    /// The transport that handed a message over, or that failed to.
    pub fn transport(&self) -> Option<&str> {
        self.parts().1.transport
    }

    /// The SMTP phase a refusal came at.
    pub fn phase(&self) -> Option<&str> {
        self.parts().1.phase
    }

    /// How delivery is known, for a `delivered` event.
    pub fn evidence(&self) -> Option<&str> {
        match self {
            EventDetail::Delivered(d) => d.evidence.text(),
            _ => None,
        }
    }

    /// Whether an open, click, complaint or auto-reply was a machine's.
    pub fn machine(&self) -> bool {
        match self {
            EventDetail::Opened(e) | EventDetail::Clicked(e) => e.machine.on(),
            EventDetail::Complained(c) => c.machine.on(),
            EventDetail::AutoReply(a) => a.machine.on(),
            _ => false,
        }
    }
}

/// The texts of a detail that say what happened, where a kind has them.
#[derive(Default, Clone, Copy)]
struct Words<'a> {
    diagnostic: Option<&'a str>,
    reply: Option<&'a str>,
    response: Option<&'a str>,
    reason: Option<&'a str>,
    error: Option<&'a str>,
    subject: Option<&'a str>,
    transport: Option<&'a str>,
    phase: Option<&'a str>,
}

impl Engagement {
    /// Whether a stored open's or click's detail is a machine's, read without building the
    /// rest (serve records and folds these on its hot path).
    pub fn is_machine(stored: &Value) -> bool {
        stored.get("machine").and_then(Value::as_bool) == Some(true)
    }

    /// How many requests a stored open or click stands for (serve folds repeats into one).
    pub fn count_of(stored: &Value) -> i64 {
        stored.get("count").and_then(Value::as_i64).unwrap_or(1)
    }
}

impl Delivery {
    /// Whether a stored `delivered` detail is the settle window's (no evidence of its own).
    pub fn is_settle(stored: &Value) -> bool {
        stored.get("evidence").and_then(Value::as_str) == Some("settle")
    }
}

/// What a bounce event means for a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceClass {
    /// The mail system gave up; retrying will not help.
    Hard,
    /// The mail system gave up; retrying later may work (full, suspended, expired, …).
    Soft,
    /// A failure notice naming the recipient that could not be classified.
    NeedsReview,
    /// The receiving server refused us, not the address: a run warning, no status change.
    SenderSide,
}

impl Failure {
    /// The one-line explanation: `5.1.1 user unknown`.
    pub fn summary(&self) -> String {
        let status = self.status.text();
        let reason = self.reason.text();
        match (status, reason) {
            (Some(s), Some(r)) if r.starts_with(s) => r.to_string(),
            (Some(s), Some(r)) => format!("{s} {r}"),
            (Some(s), None) => s.to_string(),
            (None, Some(r)) => r.to_string(),
            (None, None) => "bounced".to_string(),
        }
    }

    /// The one-line explanation of a delay (`4.4.1`, `4.2.2 mailboxfull`): never "expired",
    /// since the mail system is still trying; "still trying" when it says nothing else.
    pub fn delay_summary(&self) -> String {
        let status = self.status.text();
        let reason = self.reason.text().filter(|r| *r != "expired");
        match (status, reason) {
            (Some(s), Some(r)) if r.starts_with(s) => r.to_string(),
            (Some(s), Some(r)) => format!("{s} {r}"),
            (Some(s), None) => s.to_string(),
            (None, Some(r)) => r.to_string(),
            (None, None) => "still trying".to_string(),
        }
    }

    /// What a `bounced` event with this detail means. Events recorded before the flags
    /// existed count as hard when `hard` is missing, as before.
    pub fn class(&self) -> BounceClass {
        if self.sender_side.on() {
            BounceClass::SenderSide
        } else if self.needs_review.on()
            || (self.reason.text() == Some("undefined") && self.status.text().is_none())
        {
            BounceClass::NeedsReview
        } else if self.hard.get().copied().unwrap_or(true) {
            BounceClass::Hard
        } else {
            BounceClass::Soft
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every kind reads whatever is stored: not an object, fields of other types, unknown
    /// fields, nothing at all.
    #[test]
    fn any_stored_detail_reads() {
        let odd = [
            json!(null),
            json!("text"),
            json!([1, 2]),
            json!(7),
            json!({}),
            json!({"status": {"a": [1]}, "hard": "yes", "machine": 1, "count": "x",
                   "send_id": ["s"], "new_field": {"x": 1}}),
        ];
        for kind in EventKind::ALL {
            for v in &odd {
                let d = EventDetail::read(*kind, v);
                assert_eq!(d.kind(), *kind);
                assert_eq!(d.origin().send_id.text(), None);
                assert_eq!(d.words(), None, "{kind} {v}");
            }
        }
        let f = match EventDetail::read(EventKind::Bounced, &odd[5]) {
            EventDetail::Bounced(f) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(f.status, Field::Null);
        assert_eq!(
            f.class(),
            BounceClass::Hard,
            "an unreadable `hard` counts as missing"
        );
    }

    #[test]
    fn numbers_read_as_text_and_empty_text_as_none() {
        let d = EventDetail::read(
            EventKind::Bounced,
            &json!({"status": "", "reply_code": 550, "reason": "user unknown"}),
        );
        let EventDetail::Bounced(f) = d else { panic!() };
        assert_eq!(f.reply_code.text(), Some("550"));
        assert_eq!(f.status.text(), None);
        assert_eq!(f.summary(), "user unknown");
    }

    /// Written back, a detail is the text it was read from: the order of its fields, the
    /// `null`s and the fields left out.
    #[test]
    fn details_written_are_the_text_read() {
        for (kind, text) in [
            (
                EventKind::Bounced,
                r#"{"status":null,"reason":"HardBounce","hard":true,"sender_side":false,"diagnostic":null,"match":"address","provider":"postmark"}"#,
            ),
            (
                EventKind::Delayed,
                r#"{"status":"4.7.1","reason":"421 later","attempt":"3"}"#,
            ),
            (
                EventKind::Delivered,
                r#"{"evidence":"settle","sent_at":"2026-01-01T00:00:00Z","settle":"1h"}"#,
            ),
            (
                EventKind::Opened,
                r#"{"machine":false,"user_agent":null,"url":null}"#,
            ),
            (EventKind::Complained, r#"{"feedback_type":"abuse"}"#),
            (
                EventKind::Edited,
                r#"{"old_email":"a@x.org","new_email":"b@x.org","field:team":{"old":null,"new":"Blue"}}"#,
            ),
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            let d = EventDetail::read(kind, &v);
            assert_eq!(d.to_value().to_string(), text);
        }
    }
}
