//! Amazon SES notifications, read in one place for both rooms that meet them: a notification
//! mailed to the bounce mailbox (`bounce::text`) and a webhook file given to `events import`
//! (`refresh::providers`). Both the notification (`notificationType`) and the event publishing
//! (`eventType`) shapes, bare or inside an SNS envelope (whose `Message` is the notification
//! as a JSON string).

use serde_json::Value;

/// One notification, out of its SNS envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The notification itself.
    pub body: Value,
    /// The SNS envelope's `MessageId`, when there was an envelope.
    pub sns_message_id: Option<String>,
}

/// The SNS envelope's `Message` is a string that is not JSON (what the JSON reader said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageNotJson(pub String);

impl std::fmt::Display for MessageNotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MessageNotJson {}

/// Take a notification out of its SNS envelope (a `Message` string holding JSON, or already
/// an object); a value without an envelope is the notification itself.
pub fn open(v: &Value) -> Result<Notification, MessageNotJson> {
    match v.get("Message") {
        Some(Value::String(text)) => Ok(Notification {
            body: serde_json::from_str(text).map_err(|e| MessageNotJson(e.to_string()))?,
            sns_message_id: text_of(v, "MessageId"),
        }),
        Some(other) => Ok(Notification {
            body: other.clone(),
            sns_message_id: text_of(v, "MessageId"),
        }),
        None => Ok(Notification {
            body: v.clone(),
            sns_message_id: None,
        }),
    }
}

impl Notification {
    /// `Bounce`, `Complaint`, `Delivery`, `DeliveryDelay`, `Open`, `Click` … as written.
    pub fn kind(&self) -> Option<String> {
        text_of(&self.body, "notificationType").or_else(|| text_of(&self.body, "eventType"))
    }

    /// The part that describes the event (`bounce`, `complaint`, `delivery` …).
    pub fn part(&self, name: &str) -> Option<&Value> {
        self.body.get(name)
    }

    /// The original message's description (`mail`: its id, time, destination, headers).
    pub fn mail(&self) -> Option<&Value> {
        self.body.get("mail")
    }

    /// The value of the original message's header `name` (case-insensitive), when SES passed
    /// the headers on.
    pub fn header(&self, name: &str) -> Option<String> {
        self.mail()?
            .get("headers")?
            .as_array()?
            .iter()
            .find(|h| {
                h.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|h| text_of(h, "value"))
    }
}

/// The list `key` of a part (`bouncedRecipients`, `complainedRecipients`, `recipients` …).
pub fn list<'a>(part: &'a Value, key: &str) -> Option<&'a Vec<Value>> {
    part.get(key)?.as_array()
}

/// A string field, when it is a string.
pub fn text_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_notification_is_the_same_bare_in_an_envelope_or_with_its_message_decoded() {
        let inner = json!({
            "notificationType": "Bounce",
            "bounce": {"bouncedRecipients": [{"emailAddress": "a@example.org"}]},
            "mail": {"headers": [{"name": "x-certstat-id", "value": "s1"}]},
        });
        let bare = open(&inner).unwrap();
        let enveloped =
            open(&json!({"Type": "Notification", "MessageId": "m1", "Message": inner.to_string()}))
                .unwrap();
        let decoded = open(&json!({"MessageId": "m1", "Message": inner.clone()})).unwrap();
        assert_eq!(enveloped, decoded);
        for n in [&bare, &enveloped] {
            assert_eq!(n.body, inner);
            assert_eq!(n.kind().as_deref(), Some("Bounce"));
            assert_eq!(n.header("X-Certstat-Id").as_deref(), Some("s1"));
            let b = n.part("bounce").unwrap();
            assert_eq!(list(b, "bouncedRecipients").map(Vec::len), Some(1));
        }
        assert_eq!(bare.sns_message_id, None);
        assert_eq!(enveloped.sns_message_id.as_deref(), Some("m1"));
        assert_eq!(
            open(&json!({"eventType": "Open"}))
                .unwrap()
                .kind()
                .as_deref(),
            Some("Open")
        );
        assert!(open(&json!({"Message": "{not json"})).is_err());
        assert_eq!(open(&json!({"x": 1})).unwrap().kind(), None);
    }
}
