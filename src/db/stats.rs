//! The aggregate queries behind `certstat stats`. Every figure is defined in
//! `src/stats/stats.schema.json`; this module only counts.

use anyhow::Result;
use rusqlite::Connection;

use crate::db::events::flags;
use crate::model::Status;

/// The raw counts of one certificate, before percentages.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Figures {
    /// Recipients per status, in `Status::ALL` order (from the status cache, which
    /// `db::events::record` keeps equal to `model::derive` over the event log). This and the
    /// recipient counts below come from the status cache and `recipients.activity`
    /// (`db::events::flags`), not from the events.
    pub statuses: [u64; 5],
    /// Pending recipients whose last send was interrupted before its outcome was recorded.
    pub pending_unconfirmed: u64,
    /// Delivered recipients with positive evidence of delivery since they became Delivered.
    pub delivered_confirmed: u64,
    /// Bounced recipients whose failure is soft (retrying later may work); the rest are hard.
    pub bounced_soft: u64,
    /// Pending recipients whose last news is a delay notice (the server is still retrying).
    pub pending_delayed: u64,
    pub sent: u64,
    pub opened: u64,
    pub clicked: u64,
    pub opened_machine: u64,
    pub clicked_machine: u64,
    pub shared_or_downloaded: u64,
    pub linkedin_added: u64,
    /// Recipients whose certificate is revoked.
    pub revoked: u64,
    pub shares_linkedin: u64,
    pub shares_facebook: u64,
    pub shares_x: u64,
    pub shares_other: u64,
}

/// Count everything `stats` shows for one certificate, in one read transaction so the figures
/// agree with each other even while `send`, `refresh` or `serve` write.
pub fn figures(conn: &Connection, certificate_id: i64) -> Result<Figures> {
    super::read(conn, |conn| figures_in_snapshot(conn, certificate_id))
}

/// Recipients of a certificate grouped by everything `stats` and `cert list` count from the
/// recipients table: `f(status, activity flags, unconfirmed, revoked, count)`, each group once.
/// One scan of the certificate's entries in the covering index `recipients_figures`, which holds
/// only the recipients that are not plain Not Sent (migration 6), and a count of all of them in
/// `recipients_certificate`: the difference is the plain Not Sent group. Both in one read
/// transaction (the caller's, or its own), so that they agree.
pub fn for_each_group(
    conn: &Connection,
    certificate_id: i64,
    mut f: impl FnMut(Status, i64, bool, bool, u64),
) -> Result<()> {
    super::read(conn, |conn| {
        let total: u64 = conn
            .prepare_cached(
                "SELECT count(*) FROM recipients INDEXED BY recipients_certificate \
                 WHERE certificate_id=?1",
            )?
            .query_row([certificate_id], |r| r.get(0))?;
        // The WHERE clause repeats the index's, which is what lets SQLite use a partial index.
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT status, activity, unconfirmed, revoked, count(*) FROM recipients \
             INDEXED BY recipients_figures WHERE certificate_id=?1 AND (",
            crate::db::migrations::beyond_plain_not_sent!(),
            ") GROUP BY status, activity, unconfirmed, revoked",
        ))?;
        let mut rows = stmt.query([certificate_id])?;
        let mut counted = 0u64;
        while let Some(r) = rows.next()? {
            let n: u64 = r.get(4)?;
            counted += n;
            let Ok(status) = r.get_ref(0)?.as_str()?.parse::<Status>() else {
                continue;
            };
            f(status, r.get(1)?, r.get(2)?, r.get(3)?, n);
        }
        let plain_not_sent = total.saturating_sub(counted);
        if plain_not_sent > 0 {
            f(Status::NotSent, 0, false, false, plain_not_sent);
        }
        Ok(())
    })
}

fn figures_in_snapshot(conn: &Connection, id: i64) -> Result<Figures> {
    let mut f = Figures::default();
    for_each_group(conn, id, |status, bits, unconfirmed, revoked, n| {
        let i = Status::ALL.iter().position(|s| *s == status).unwrap_or(0);
        f.statuses[i] += n;
        if status == Status::Pending && unconfirmed {
            f.pending_unconfirmed += n;
        }
        if status == Status::Delivered && bits & flags::DELIVERED_CONFIRMED != 0 {
            f.delivered_confirmed += n;
        }
        if revoked {
            f.revoked += n;
        }
        // The funnel is monotone: a claim (or a share, a download, a profile addition, all
        // made on the page a claim opens) proves a person got the message and followed its
        // link, whatever the user agent of their click looked like; a click is an open.
        let human = status == Status::Claimed
            || bits & (flags::SHARED_OR_DOWNLOADED | flags::LINKEDIN_ADDED) != 0;
        let bits = if human {
            bits | flags::SENT | flags::CLICKED | flags::OPENED
        } else if bits & flags::CLICKED != 0 {
            bits | flags::OPENED
        } else {
            bits
        };
        for (flag, count) in [
            (flags::SENT, &mut f.sent),
            (flags::OPENED, &mut f.opened),
            (flags::CLICKED, &mut f.clicked),
            (flags::OPENED_MACHINE, &mut f.opened_machine),
            (flags::CLICKED_MACHINE, &mut f.clicked_machine),
            (flags::SHARED_OR_DOWNLOADED, &mut f.shared_or_downloaded),
            (flags::LINKEDIN_ADDED, &mut f.linkedin_added),
        ] {
            if bits & flag != 0 {
                *count += n;
            }
        }
    })?;

    f.bounced_soft = bounced_soft(conn, id)?;
    f.pending_delayed = pending_delayed(conn, id)?;

    // Shares count events, not recipients: the certificate's `shared` events per network, from
    // the partial index `events_shares` alone (its expression is exactly this one).
    let mut stmt = conn.prepare_cached(
        "SELECT json_extract(detail, '$.network'), count(*) FROM events INDEXED BY events_shares \
         WHERE certificate_id=?1 AND kind='shared' GROUP BY 1",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let n: u64 = r.get(1)?;
        match r.get_ref(0)?.as_str().unwrap_or("") {
            "linkedin" => f.shares_linkedin += n,
            "facebook" => f.shares_facebook += n,
            "x" => f.shares_x += n,
            _ => f.shares_other += n,
        }
    }
    Ok(f)
}

/// Pending recipients of a certificate whose status detail is a delay notice (`delayed: …`).
fn pending_delayed(conn: &Connection, certificate_id: i64) -> Result<u64> {
    Ok(conn
        .prepare_cached(concat!(
            "SELECT count(*) FROM recipients WHERE certificate_id=?1 AND (",
            crate::db::migrations::beyond_plain_not_sent!(),
            ") AND status='pending' AND substr(status_detail, 1, 8) = 'delayed:'",
        ))?
        .query_row([certificate_id], |r| r.get(0))?)
}

/// Bounced recipients of a certificate whose status detail says the failure is soft. The
/// condition repeats `recipients_figures`' so that the partial index finds the Bounced ones.
fn bounced_soft(conn: &Connection, certificate_id: i64) -> Result<u64> {
    let soft = crate::model::SOFT_BOUNCE;
    Ok(conn
        .prepare_cached(concat!(
            "SELECT count(*) FROM recipients WHERE certificate_id=?1 AND (",
            crate::db::migrations::beyond_plain_not_sent!(),
            ") AND status='bounced' AND substr(status_detail, 1, ?2) = ?3",
        ))?
        .query_row(
            rusqlite::params![certificate_id, soft.len() as i64, soft],
            |r| r.get(0),
        )?)
}
