//! RFC 3464 `message/delivery-status` and RFC 5965 `message/feedback-report`
//! field groups.

use super::reason::{Evidence, classify, detect_command};
use super::text::{self, Context};
use super::util::{clean_address, field_lines, find_reply_code, find_status, squeeze};
use super::{Action, Reason, RecipientReport};

/// One per-recipient field group.
#[derive(Debug, Default, Clone)]
struct Group {
    final_recipient: Option<String>,
    original_recipient: Option<String>,
    action: Option<String>,
    status: Option<String>,
    diagnostic: Vec<String>,
    remote_mta: Option<String>,
    last_attempt: bool,
    /// The diagnostic came from a local program (`X-Unix;`).
    mailer_error: bool,
}

impl Group {
    fn has_address(&self) -> bool {
        self.final_recipient.is_some() || self.original_recipient.is_some()
    }
}

/// Strip a `type;` prefix (`smtp;`, `dns;`, `rfc822;`, `X-Postfix;`).
fn strip_type(value: &str) -> &str {
    let v = value.trim();
    if let Some(pos) = v.find(';') {
        let kind = v[..pos].trim();
        if !kind.is_empty()
            && kind.len() < 20
            && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return v[pos + 1..].trim();
        }
    }
    v
}

fn groups(dsn: &str) -> (Vec<Group>, Option<String>) {
    let mut out: Vec<Group> = Vec::new();
    let mut cur: Option<Group> = None;
    let mut reporting_mta = None;
    for item in field_lines(dsn) {
        let Some((name, value)) = item else {
            if let Some(g) = cur.take() {
                out.push(g);
            }
            continue;
        };
        match name.as_str() {
            "final-recipient" | "original-recipient" | "x-actual-recipient" => {
                let is_final = name != "original-recipient";
                let need_new = match &cur {
                    None => true,
                    Some(g) => {
                        (is_final && g.final_recipient.is_some() && name == "final-recipient")
                            || (!is_final && g.original_recipient.is_some())
                    }
                };
                if need_new {
                    if let Some(g) = cur.take() {
                        out.push(g);
                    }
                    cur = Some(Group::default());
                }
                let g = cur.get_or_insert_with(Group::default);
                let addr = clean_address(&value);
                if name == "original-recipient" {
                    g.original_recipient = addr;
                } else if name == "final-recipient" || g.final_recipient.is_none() {
                    g.final_recipient = addr;
                }
            }
            "action" | "status" | "diagnostic-code" | "remote-mta" | "last-attempt-date"
            | "will-retry-until" => {
                let g = cur.get_or_insert_with(Group::default);
                match name.as_str() {
                    "action" => g.action = Some(value),
                    "status" => g.status = Some(value),
                    "diagnostic-code" => {
                        if value
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("x-unix")
                        {
                            g.mailer_error = true;
                        }
                        g.diagnostic.push(strip_type(&value).to_string())
                    }
                    "remote-mta" => g.remote_mta = Some(strip_type(&value).to_string()),
                    _ => g.last_attempt = true,
                }
            }
            "reporting-mta" if cur.is_none() => {
                reporting_mta = Some(strip_type(&value).to_string())
            }
            "" => {
                // A stray non-field line, e.g. an unfolded diagnostic
                // continuation without leading whitespace.
                if let Some(g) = cur.as_mut()
                    && !g.diagnostic.is_empty()
                {
                    g.diagnostic.push(value);
                }
            }
            _ => {}
        }
    }
    if let Some(g) = cur.take() {
        out.push(g);
    }
    (out, reporting_mta)
}

/// Read every recipient group of a delivery-status body. `human` is the
/// human-readable part, consulted when the DSN's own diagnostic says little.
pub fn read_dsn(dsn: &str, human: &text::Body<'_>, ctx: &Context) -> Vec<RecipientReport> {
    let (groups, _reporting) = groups(dsn);
    let plain = text::plain_diagnostics(human, ctx);
    let mut out: Vec<RecipientReport> = Vec::new();
    // Addresses the human-readable text names, for groups whose recipient is not an Internet
    // address (`Final-Recipient: X400; c=US;…` beside "SMTP=ana@example.net" in the text).
    let mut spare = plain
        .iter()
        .map(|(a, _)| a.clone())
        .chain(ctx.original_to.iter().cloned());
    for g in groups.into_iter().filter(Group::has_address) {
        let mut address = g
            .final_recipient
            .clone()
            .filter(|a| a.contains('@'))
            .or_else(|| g.original_recipient.clone().filter(|a| a.contains('@')))
            .unwrap_or_default();
        if address.is_empty() {
            match spare.find(|a| !out.iter().any(|r| &r.address == a)) {
                Some(a) => address = a,
                None => continue,
            }
        }
        if out
            .iter()
            .any(|r| r.address == address && r.original_address == g.original_recipient)
        {
            continue;
        }
        out.push(group_report(&g, address, &plain));
    }
    out
}

/// The group's status: its `Status` field, else (or when that is a generic `x.0.0` of the
/// same class) a code in its diagnostic `diag`.
fn group_status(g: &Group, diag: &str) -> Option<String> {
    let status = g.status.as_deref().and_then(find_status);
    let diag_status = find_status(diag);
    match (status, diag_status) {
        // A generic `x.0.0` status says less than a code in the diagnostic.
        (Some(s), Some(d))
            if s.ends_with(".0.0") && s.as_bytes().first() == d.as_bytes().first() =>
        {
            Some(d)
        }
        (None, d) => d,
        (s, _) => s,
    }
}

/// The group's `Action` field, else what its status says.
fn group_action(g: &Group, status: Option<&str>) -> Action {
    g.action
        .as_deref()
        .and_then(Action::parse)
        .unwrap_or(match status {
            Some(s) if s.starts_with('2') => Action::Delivered,
            Some(s) if s.starts_with('4') && !g.last_attempt => Action::Delayed,
            _ => Action::Failed,
        })
}

/// What the human-readable part says about `address`: its own diagnostic, or the only one.
fn human_diagnostic(plain: &[(String, Option<String>)], address: &str) -> Option<String> {
    plain
        .iter()
        .find(|(a, _)| *a == address)
        .or(if plain.len() == 1 {
            plain.first()
        } else {
            None
        })
        .and_then(|(_, d)| d.clone())
}

/// The report of one recipient group, for `address`.
fn group_report(g: &Group, address: String, plain: &[(String, Option<String>)]) -> RecipientReport {
    let diag = squeeze(&g.diagnostic.join(" "));
    let status = group_status(g, &diag);
    let reply_code = find_reply_code(&diag);
    let action = group_action(g, status.as_deref());
    let human_diag = human_diagnostic(plain, &address);
    let mut reason = decide(
        &diag,
        human_diag.as_deref(),
        status.as_deref(),
        reply_code.as_deref(),
        action,
    );
    if g.mailer_error && !matches!(reason, Reason::Delivered | Reason::MailboxFull) {
        reason = Reason::MailerError;
    }
    let diagnostic = if diag.is_empty() {
        human_diag.clone()
    } else {
        Some(diag)
    };
    let reply_code = reply_code.or_else(|| human_diag.as_deref().and_then(find_reply_code));
    let mut r = RecipientReport::new(address, action, status, reply_code, diagnostic, reason);
    r.original_address = g.original_recipient.clone();
    r.remote_mta = g.remote_mta.clone().filter(|s| !s.is_empty());
    r
}

/// Decide a reason from the DSN diagnostic first, then from the
/// human-readable text when the diagnostic alone is inconclusive.
pub(crate) fn decide(
    diag: &str,
    human: Option<&str>,
    status: Option<&str>,
    reply_code: Option<&str>,
    action: Action,
) -> Reason {
    let ev = Evidence {
        diagnostic: diag,
        status,
        reply_code,
        action: Some(action),
        command: detect_command(diag).or_else(|| human.and_then(detect_command)),
    };
    let first = classify(&ev);
    let weak = matches!(first, Reason::OnHold | Reason::Undefined | Reason::Expired);
    if weak && let Some(h) = human {
        let combined = format!("{diag} {h}");
        let ev2 = Evidence {
            diagnostic: &combined,
            ..ev
        };
        let second = classify(&ev2);
        if !matches!(second, Reason::OnHold | Reason::Undefined) {
            return second;
        }
    }
    first
}

/// Feedback-Type and reported recipients of an ARF report.
pub fn read_feedback(report: &str) -> (Option<String>, Vec<String>) {
    let mut ftype = None;
    let mut rcpts = Vec::new();
    for (name, value) in field_lines(report).into_iter().flatten() {
        match name.as_str() {
            "feedback-type" if ftype.is_none() => ftype = Some(value.trim().to_ascii_lowercase()),
            "original-rcpt-to" | "removal-recipient" => {
                if let Some(a) = clean_address(&value)
                    && !rcpts.contains(&a)
                {
                    rcpts.push(a);
                }
            }
            _ => {}
        }
    }
    (ftype, rcpts)
}

/// The recipient of a disposition notification (RFC 8098) that says the message was rejected
/// or deleted unread by an automatic action (Sieve `reject`, Dovecot refusing a delivery over
/// quota), with the human-readable text as the server's words; `None` for any other
/// disposition (displayed, dispatched, processed: a receipt, not a failure).
pub fn read_mdn(report: &str, human: &str) -> Option<RecipientReport> {
    let mut recipient = None;
    let mut original = None;
    let mut disposition = String::new();
    for (name, value) in field_lines(report).into_iter().flatten() {
        match name.as_str() {
            "final-recipient" => recipient = clean_address(&value),
            "original-recipient" => original = clean_address(&value),
            "disposition" => disposition = value.to_ascii_lowercase(),
            _ => {}
        }
    }
    let kind = disposition.rsplit(';').next().unwrap_or("").trim();
    let kind = kind.split(['/', ' ']).next().unwrap_or("");
    let automatic = disposition.trim_start().starts_with("automatic-action");
    if !automatic || !matches!(kind, "deleted" | "denied" | "failed" | "rejected") {
        return None;
    }
    // A "not read" receipt (Outlook's, sent automatically when the message is deleted unread)
    // shares Sieve's `automatic-action/…; deleted`: the message arrived, nothing failed.
    let human_lc = human.to_lowercase();
    let unread = [
        "without being read",
        "deleted without",
        "was not read",
        "ungelesen gelöscht",
        "ohne gelesen",
        "sans avoir été lu",
        "sin leer",
        "sin haber sido leído",
        "senza essere letto",
        "zonder te worden gelezen",
    ]
    .iter()
    .any(|p| human_lc.contains(p));
    if unread {
        return None;
    }
    let address = recipient.or_else(|| original.clone())?;
    // "Your message to <a> was automatically rejected:" then the reason.
    let said = squeeze(human);
    let lower = said.to_ascii_lowercase();
    let reason_text = match lower.find("rejected:") {
        Some(at) => said[at + "rejected:".len()..].trim(),
        None => said.as_str(),
    };
    let mut reason = decide(reason_text, None, None, None, Action::Failed);
    // The recipient's own filter refused it: about this recipient, not the sender.
    if super::is_sender_side(reason) || matches!(reason, Reason::OnHold | Reason::Undefined) {
        reason = Reason::Filtered;
    }
    let diagnostic = Some(reason_text.to_string()).filter(|d| !d.is_empty());
    let mut r = RecipientReport::new(address, Action::Failed, None, None, diagnostic, reason);
    r.original_address = original;
    Some(r)
}
