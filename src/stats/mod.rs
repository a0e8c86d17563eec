//! The statistics page: figures of one certificate (`certstat stats CERT`), one summary row
//! per certificate (`certstat stats`), and how they are drawn: a terminal page with a pie
//! chart, an HTML report and an SVG chart. The figures' exact definitions are in
//! `stats.schema.json` (the JSON Schema of `stats --format json`).

pub mod html;
pub mod pie;
pub mod text;

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::db;
use crate::model::{Certificate, Status};

/// The JSON Schema of `certstat stats CERT --format json`.
pub const SCHEMA: &str = include_str!("stats.schema.json");

/// `12.3` from a count and a total; 0.0 for an empty total (never NaN).
pub fn percent(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (count as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Figure {
    pub count: u64,
    pub percent: f64,
}

impl Figure {
    pub fn of(count: u64, total: u64) -> Figure {
        Figure {
            count,
            percent: percent(count, total),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Statuses {
    pub not_sent: u64,
    pub pending: u64,
    pub delivered: u64,
    pub bounced: u64,
    pub claimed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusPercents {
    pub not_sent: f64,
    pub pending: f64,
    pub delivered: f64,
    pub bounced: f64,
    pub claimed: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Delivered recipients with positive evidence of delivery.
    pub delivered_confirmed: u64,
    /// Delivered recipients known only by the settle window.
    pub delivered_settle: u64,
    /// Pending recipients whose send was interrupted before its outcome was recorded.
    pub pending_unconfirmed: u64,
    /// Pending recipients whose last news is a delay notice: the receiving server is retrying.
    pub pending_delayed: u64,
    /// Bounced recipients whose failure is hard (address or domain does not exist: do not retry).
    pub bounced_hard: u64,
    /// Bounced recipients whose failure is soft (full, suspended, expired…: retrying may work).
    pub bounced_soft: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Networks {
    pub linkedin: Figure,
    pub facebook: Figure,
    pub x: Figure,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Shares {
    pub total: u64,
    pub by_network: Networks,
    pub tracked_note: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Email {
    pub sent: u64,
    pub opened: Figure,
    pub clicked: Figure,
    pub bounced: Figure,
    pub machine_opened: Figure,
    pub machine_clicked: Figure,
    pub bounced_command: String,
}

/// Everything `certstat stats CERT` shows; serialises to DESIGN.md's stable object.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub certificate: CertInfo,
    pub recipients: u64,
    pub statuses: Statuses,
    pub status_percent: StatusPercents,
    pub evidence: Evidence,
    pub claimed: Figure,
    pub shared_or_downloaded: Figure,
    pub linkedin_added: Figure,
    /// Recipients whose certificate is revoked (they keep their status), % of recipients.
    pub revoked: Figure,
    /// Recipients whose certificate has expired: all of them once the certificate's expiry
    /// date has passed, else 0 (they keep their status), % of recipients.
    pub expired: Figure,
    pub shares: Shares,
    pub email: Email,
    pub reminders: Reminders,
}

/// What `certstat remind` did and what followed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reminders {
    /// Reminders accepted by the mail system (expiry notices apart).
    pub sent: u64,
    /// Recipients sent at least one reminder.
    pub recipients: u64,
    /// Recipients who claimed after their first reminder, % of `recipients`.
    pub claimed_after: Figure,
    pub expiry_notices: u64,
    pub unsubscribed: u64,
}

impl Reminders {
    pub fn of(f: &db::reminders::Figures) -> Reminders {
        Reminders {
            sent: f.sent,
            recipients: f.recipients,
            claimed_after: Figure::of(f.claimed_after, f.recipients),
            expiry_notices: f.expiry_notices,
            unsubscribed: f.unsubscribed,
        }
    }
}

pub const TRACKED_NOTE: &str =
    "Only shares made with the share buttons of the recipient page are tracked.";

/// A word for a POSIX shell: as is when safe, else single-quoted.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The command that lists a certificate's bounced addresses.
pub fn bounced_command(cert: &Certificate) -> String {
    format!(
        "certstat recipients list {} --status bounced",
        shell_quote(&cert.name)
    )
}

impl Stats {
    /// The statistics from a certificate's counts; `expired` is whether its expiry date has
    /// passed.
    pub fn from_figures(cert: &Certificate, f: &db::stats::Figures, expired: bool) -> Stats {
        let [not_sent, pending, delivered, bounced, claimed] = f.statuses;
        let total: u64 = f.statuses.iter().sum();
        let shares_total = f.shares_linkedin + f.shares_facebook + f.shares_x + f.shares_other;
        Stats {
            certificate: CertInfo {
                id: cert.id,
                name: cert.name.clone(),
                issuer: cert.issuer.clone(),
                created_at: cert.created_at.clone(),
            },
            recipients: total,
            statuses: Statuses {
                not_sent,
                pending,
                delivered,
                bounced,
                claimed,
            },
            status_percent: StatusPercents {
                not_sent: percent(not_sent, total),
                pending: percent(pending, total),
                delivered: percent(delivered, total),
                bounced: percent(bounced, total),
                claimed: percent(claimed, total),
            },
            evidence: Evidence {
                delivered_confirmed: f.delivered_confirmed,
                delivered_settle: delivered.saturating_sub(f.delivered_confirmed),
                pending_unconfirmed: f.pending_unconfirmed,
                pending_delayed: f.pending_delayed,
                bounced_hard: bounced.saturating_sub(f.bounced_soft),
                bounced_soft: f.bounced_soft,
            },
            claimed: Figure::of(claimed, total),
            shared_or_downloaded: Figure::of(f.shared_or_downloaded, total),
            linkedin_added: Figure::of(f.linkedin_added, total),
            revoked: Figure::of(f.revoked, total),
            expired: Figure::of(if expired { total } else { 0 }, total),
            shares: Shares {
                total: shares_total,
                by_network: Networks {
                    linkedin: Figure::of(f.shares_linkedin, shares_total),
                    facebook: Figure::of(f.shares_facebook, shares_total),
                    x: Figure::of(f.shares_x, shares_total),
                    other: (f.shares_other > 0).then(|| Figure::of(f.shares_other, shares_total)),
                },
                tracked_note: TRACKED_NOTE,
            },
            email: Email {
                sent: f.sent,
                opened: Figure::of(f.opened, f.sent),
                clicked: Figure::of(f.clicked, f.sent),
                bounced: Figure::of(bounced, f.sent),
                machine_opened: Figure::of(f.opened_machine, f.sent),
                machine_clicked: Figure::of(f.clicked_machine, f.sent),
                bounced_command: bounced_command(cert),
            },
            reminders: Reminders::default(),
        }
    }

    /// The status count of `s`.
    pub fn status(&self, s: Status) -> u64 {
        match s {
            Status::NotSent => self.statuses.not_sent,
            Status::Pending => self.statuses.pending,
            Status::Delivered => self.statuses.delivered,
            Status::Bounced => self.statuses.bounced,
            Status::Claimed => self.statuses.claimed,
        }
    }

    /// The pie chart's slices: (key, label, count), in a fixed order.
    pub fn slices(&self) -> Vec<pie::Slice> {
        let n = &self.shares.by_network;
        let mut v = vec![
            pie::Slice {
                key: "linkedin",
                label: "LinkedIn",
                count: n.linkedin.count,
            },
            pie::Slice {
                key: "facebook",
                label: "Facebook",
                count: n.facebook.count,
            },
            pie::Slice {
                key: "x",
                label: "X",
                count: n.x.count,
            },
        ];
        if let Some(o) = n.other {
            v.push(pie::Slice {
                key: "other",
                label: "Other",
                count: o.count,
            });
        }
        v
    }
}

/// Compute the statistics of one certificate.
pub fn compute(conn: &Connection, cert: &Certificate) -> Result<Stats> {
    let f = db::stats::figures(conn, cert.id)?;
    let mut s = Stats::from_figures(cert, &f, is_expired(cert));
    s.reminders = Reminders::of(&db::reminders::figures(conn, cert.id)?);
    Ok(s)
}

/// Whether the certificate's expiry date has passed (as `recipients list` flags it).
pub fn is_expired(cert: &Certificate) -> bool {
    cert.expires_at
        .as_deref()
        .and_then(crate::clock::parse)
        .is_some_and(|t| t <= crate::clock::now())
}
