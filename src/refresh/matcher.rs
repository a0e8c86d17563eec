//! Which recipient a bounce message or a provider event is about: one matcher for both, with
//! one order of keys, strongest first (see [`Strength`]). A message or an event carries the
//! keys it has ([`Keys`]); the first key that names a recipient wins; without one, the failed
//! address among recipients who were sent mail.

use anyhow::Result;
use serde::Serialize;

use super::pipeline::Headers;
use crate::bounce::{Analysis, MessageKind, RecipientReport};
use crate::db::inbound::{self, Target};
use crate::db::sends;
use crate::mail::compose::verp_send_id;
use crate::model::email_key;
use crate::tokens::Secret;

/// How strongly a message or event was tied to its recipient, strongest first: the order in
/// which [`keyed`] tries the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// The signed VERP token of the envelope sender the bounce was returned to.
    Verp,
    /// The `X-Certstat-Id` header of the returned original (or a provider's copy of it).
    CertstatId,
    /// The Message-ID of the returned original (or an auto-reply's In-Reply-To).
    MessageId,
    /// The provider's own id for the message, recorded with an earlier event for the same
    /// address.
    ProviderMessageId,
    /// The failed address, among recipients who were sent mail.
    Address,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Verp => "verp",
            Strength::CertstatId => "certstat_id",
            Strength::MessageId => "message_id",
            Strength::ProviderMessageId => "provider_message_id",
            Strength::Address => "address",
        }
    }
}

/// The keys one message or event carries, each list in the order it is tried.
#[derive(Debug, Default)]
pub struct Keys<'a> {
    /// Send ids from VERP tokens whose signature checked.
    pub verp_send_ids: Vec<String>,
    pub certstat_ids: Vec<&'a str>,
    /// Message-IDs without brackets; their local part is the send id.
    pub message_ids: Vec<&'a str>,
    /// A provider's message id, and the address the event is for (it must be the recipient's).
    pub provider_message_id: Option<(&'a str, &'a str)>,
}

/// The keys of a bounce message: VERP tokens in the addresses it was delivered to (checked
/// with `secret`), the returned original's `X-Certstat-Id`s and Message-IDs, and for an
/// auto-reply the ids it replies to.
pub fn mailbox_keys<'a>(
    secret: Option<&Secret>,
    headers: &Headers,
    a: &'a Analysis,
    reply_ids: &'a [String],
) -> Keys<'a> {
    let mut keys = Keys::default();
    if let Some(secret) = secret {
        // Our own reading of the delivery headers too: it keeps addresses in single-label
        // domains (bounces+…@localhost) that a general address finder drops.
        let mut addresses = envelope_addresses(headers);
        addresses.extend(a.to_addresses.iter().cloned());
        for addr in &addresses {
            keys.verp_send_ids
                .extend(verp_candidates(addr).filter_map(|t| verp_send_id(secret, t)));
        }
    }
    keys.certstat_ids = a.certstat_ids.iter().map(String::as_str).collect();
    keys.message_ids = a.original_message_ids.iter().map(String::as_str).collect();
    if a.kind == MessageKind::AutoReply {
        keys.message_ids
            .extend(reply_ids.iter().map(String::as_str));
    }
    keys
}

/// The recipient the strongest key names, in the order of [`Strength`] (the address aside).
pub fn keyed(conn: &rusqlite::Connection, keys: &Keys) -> Result<Option<(Target, Strength)>> {
    for id in &keys.verp_send_ids {
        if let Some(t) = by_send_id(conn, id)? {
            return Ok(Some((t, Strength::Verp)));
        }
    }
    for id in &keys.certstat_ids {
        if let Some(t) = by_send_id(conn, id)? {
            return Ok(Some((t, Strength::CertstatId)));
        }
    }
    for id in &keys.message_ids {
        if let Some(t) = by_send_id(conn, id.split('@').next().unwrap_or_default())? {
            return Ok(Some((t, Strength::MessageId)));
        }
    }
    if let Some((pid, email)) = keys.provider_message_id
        && let Some(rid) = inbound::recipient_of_provider_id(conn, pid)?
        && let Some(t) = inbound::target(conn, rid)?
        && email_key(&t.email) == email_key(email)
    {
        return Ok(Some((t, Strength::ProviderMessageId)));
    }
    Ok(None)
}

/// The recipient of the message with this send id, with that message (a first email, a
/// reminder, an expiry notice): what comes back is about that message.
fn by_send_id(conn: &rusqlite::Connection, send_id: &str) -> Result<Option<Target>> {
    let Some(send) = sends::send_of(conn, send_id)? else {
        return Ok(None);
    };
    Ok(inbound::target(conn, send.recipient_id)?.map(|mut t| {
        t.send = Some(send);
        t
    }))
}

/// The recipient one of `addresses` belongs to (tried in order), among those sent mail: the
/// one on certificate `prefer` first, then the most recently sent.
pub fn by_address(
    conn: &rusqlite::Connection,
    addresses: &[&str],
    prefer: Option<i64>,
) -> Result<Option<Target>> {
    for address in addresses {
        let key = email_key(address);
        if key.is_empty() {
            continue;
        }
        let found = inbound::sent_to_address(conn, &key)?;
        let chosen = match prefer {
            Some(cert) => found
                .iter()
                .find(|t| t.certificate_id == cert)
                .or(found.first())
                .cloned(),
            None => found.into_iter().next(),
        };
        if chosen.is_some() {
            return Ok(chosen);
        }
    }
    Ok(None)
}

/// The recipient of a report's address (or the original address it names).
pub fn by_report(
    conn: &rusqlite::Connection,
    r: &RecipientReport,
    prefer: Option<i64>,
) -> Result<Option<Target>> {
    let mut addresses = vec![r.address.as_str()];
    if let Some(o) = &r.original_address {
        addresses.push(o);
    }
    by_address(conn, &addresses, prefer)
}

/// One report's target: the recipient (None when no key or address names one), how they were
/// matched, and the report about them (None for a failure notice with no reports).
pub type Matched<'a> = (Option<Target>, Strength, Option<&'a RecipientReport>);

/// Which recipient each report of a message is about. A keyed message is about the keyed
/// recipient (with the report naming them), and about the other recipients its reports name
/// by address; otherwise every report is matched by its address.
pub fn targets<'a>(
    conn: &rusqlite::Connection,
    a: &'a Analysis,
    keyed: Option<&(Target, Strength)>,
    prefer: Option<i64>,
) -> Result<Vec<Matched<'a>>> {
    let mut targets: Vec<Matched<'a>> = Vec::new();
    match &a.kind {
        MessageKind::NotBounce => {}
        MessageKind::Bounce | MessageKind::Feedback { .. } => {
            if let Some((t, strength)) = keyed {
                let report = pick_report(&a.recipients, &t.email);
                targets.push((Some(t.clone()), *strength, report));
                // The other recipients the same report names, each with its own reason.
                for r in a.recipients.iter().filter(|r| !report_is(r, report)) {
                    if let Some(other) = by_report(conn, r, prefer)?
                        && other.recipient_id != t.recipient_id
                    {
                        targets.push((Some(other), Strength::Address, Some(r)));
                    }
                }
            } else {
                for r in &a.recipients {
                    targets.push((by_report(conn, r, prefer)?, Strength::Address, Some(r)));
                }
            }
        }
        MessageKind::AutoReply => {
            if let Some((t, strength)) = keyed {
                targets.push((Some(t.clone()), *strength, a.recipients.first()));
            } else if let Some(r) = a.recipients.first() {
                targets.push((by_report(conn, r, prefer)?, Strength::Address, Some(r)));
            }
        }
    }
    if a.kind == MessageKind::Bounce
        && a.recipients.is_empty()
        && let Some((t, strength)) = keyed
    {
        targets.push((Some(t.clone()), *strength, None));
    }
    Ok(targets)
}

/// The report about `email` among a message's reports: the one naming it (as final or original
/// recipient), else the only one. Of several reports none of which names it, none: another
/// recipient's reason is not theirs (the message still counts as a failure notice that needs
/// review).
fn pick_report<'a>(reports: &'a [RecipientReport], email: &str) -> Option<&'a RecipientReport> {
    let key = email_key(email);
    reports
        .iter()
        .find(|r| {
            email_key(&r.address) == key
                || r.original_address.as_deref().map(email_key).as_deref() == Some(&key)
        })
        .or_else(|| (reports.len() == 1).then(|| &reports[0]))
}

fn report_is(r: &RecipientReport, picked: Option<&RecipientReport>) -> bool {
    picked.is_some_and(|p| std::ptr::eq(p, r))
}

/// Every possible VERP token in an address: what follows each `+` or `-` of the local part.
pub(super) fn verp_candidates(address: &str) -> impl Iterator<Item = &str> {
    let local = address.rsplit_once('@').map(|(l, _)| l).unwrap_or("");
    local
        .char_indices()
        .filter(|(_, c)| *c == '+' || *c == '-')
        .map(move |(i, _)| &local[i + 1..])
        .filter(|t| t.contains('-'))
}

/// Addresses in the headers that say where a message was delivered.
fn envelope_addresses(headers: &Headers) -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "X-Original-To",
        "Delivered-To",
        "Envelope-To",
        "X-Envelope-To",
        "To",
    ] {
        for v in headers.values(name) {
            for word in v.split([',', ' ', '<', '>', '"', ';']) {
                let w = word.trim();
                if w.contains('@') && (w.contains('+') || w.contains('-')) {
                    out.push(w.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// Message-IDs an auto-reply refers to (In-Reply-To, References), without brackets.
pub(super) fn reply_ids_in(headers: &Headers) -> Vec<String> {
    let mut ids = Vec::new();
    for name in ["In-Reply-To", "References"] {
        for v in headers.values(name) {
            for part in v.split('<').skip(1) {
                if let Some((id, _)) = part.split_once('>') {
                    ids.push(id.trim().to_string());
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verp_candidates_cover_plus_and_dash_separators() {
        let c: Vec<&str> = verp_candidates("bounces+abc-123@example.org").collect();
        assert_eq!(c, vec!["abc-123"]);
        let c: Vec<&str> = verp_candidates("b+x-abc-123@example.org").collect();
        assert!(c.contains(&"abc-123"), "{c:?}");
        assert_eq!(verp_candidates("plain@example.org").count(), 0);
    }

    /// Five recipients who were each sent mail, each named by one kind of key: recipient `n`
    /// carries send id `s{n}` (and Message-ID `s{n}@host`) or provider id `p{n}`.
    fn sent_five() -> (rusqlite::Connection, Vec<i64>) {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let now = "2026-01-01T00:00:00Z";
        let cert =
            crate::db::certs::insert(&conn, &crate::model::Certificate::new("C", now)).unwrap();
        let mut ids = Vec::new();
        for n in 0..5 {
            let email = format!("r{n}@example.org");
            let fields = serde_json::Map::new();
            let rid =
                crate::db::recipients::insert(&conn, cert, &email, "R", &fields, now).unwrap();
            let detail = serde_json::json!({"send_id": format!("s{n}"),
                                            "provider_message_id": format!("p{n}")});
            let sent = crate::db::events::NewEvent {
                recipient_id: rid,
                kind: crate::model::EventKind::Sent,
                at: now,
                source: "smtp",
                detail,
                dedup_key: None,
            };
            crate::db::events::record(&conn, &sent).unwrap();
            ids.push(rid);
        }
        (conn, ids)
    }

    #[test]
    fn the_strongest_key_present_wins_whatever_else_the_message_carries() {
        let (conn, ids) = sent_five();
        let verp = vec!["s0".to_string()];
        let mid = ["s2@certstat.example"];
        let pid = Some(("p3", "r3@example.org"));
        // Every subset of the four keys (each naming another recipient): the strongest wins.
        for mask in 1u8..16 {
            let keys = Keys {
                verp_send_ids: if mask & 1 != 0 { verp.clone() } else { vec![] },
                certstat_ids: if mask & 2 != 0 { vec!["s1"] } else { vec![] },
                message_ids: if mask & 4 != 0 { mid.to_vec() } else { vec![] },
                provider_message_id: if mask & 8 != 0 { pid } else { None },
            };
            let (want_recipient, want_strength) = match mask.trailing_zeros() {
                0 => (ids[0], Strength::Verp),
                1 => (ids[1], Strength::CertstatId),
                2 => (ids[2], Strength::MessageId),
                _ => (ids[3], Strength::ProviderMessageId),
            };
            let (t, strength) = keyed(&conn, &keys).unwrap().expect("matched");
            assert_eq!(
                (t.recipient_id, strength),
                (want_recipient, want_strength),
                "{mask:04b}"
            );
            assert!(t.sent_at.is_some());
        }
        // A key that names no one gives way to the next; none at all is no match.
        let unknown = Keys {
            verp_send_ids: vec!["nobody".into()],
            certstat_ids: vec!["nobody"],
            message_ids: vec!["nobody@x", "s2@x"],
            ..Keys::default()
        };
        let (t, strength) = keyed(&conn, &unknown).unwrap().unwrap();
        assert_eq!((t.recipient_id, strength), (ids[2], Strength::MessageId));
        assert!(keyed(&conn, &Keys::default()).unwrap().is_none());
        // A provider id counts only for the address it was recorded for.
        let elsewhere = Keys {
            provider_message_id: Some(("p3", "r4@example.org")),
            ..Keys::default()
        };
        assert!(keyed(&conn, &elsewhere).unwrap().is_none());
        // The address, the last resort: in any case, and the original address after the final one.
        let t = by_address(&conn, &["nobody@example.org", "R4@Example.org"], None).unwrap();
        assert_eq!(t.map(|t| t.recipient_id), Some(ids[4]));
        assert!(
            by_address(&conn, &["", "nobody@example.org"], None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn every_strength_is_stored_by_its_name() {
        for s in [
            Strength::Verp,
            Strength::CertstatId,
            Strength::MessageId,
            Strength::ProviderMessageId,
            Strength::Address,
        ] {
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
    }
}
