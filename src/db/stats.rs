//! The aggregate queries behind `certstat stats`. Every figure is defined in
//! `src/stats/stats.schema.json`; this module only counts.

use anyhow::Result;
use rusqlite::Connection;

/// The event kinds that prove a message was handed to a mail system for a recipient.
pub const SENT_KINDS: &[&str] = &[
    "sent",
    "delivered",
    "delayed",
    "bounced",
    "complained",
    "auto_reply",
    "opened",
    "clicked",
];

/// The raw counts of one certificate, before percentages.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Figures {
    /// Recipients per status, in `Status::ALL` order (from the status cache, which
    /// `db::events::record` keeps equal to `model::derive` over the event log).
    pub statuses: [u64; 5],
    /// Pending recipients whose last send was interrupted before its outcome was recorded.
    pub pending_unconfirmed: u64,
    /// Delivered recipients with positive evidence of delivery since they became Delivered.
    pub delivered_confirmed: u64,
    pub sent: u64,
    pub opened: u64,
    pub clicked: u64,
    pub opened_machine: u64,
    pub clicked_machine: u64,
    pub shared_or_downloaded: u64,
    pub linkedin_added: u64,
    pub shares_linkedin: u64,
    pub shares_facebook: u64,
    pub shares_x: u64,
    pub shares_other: u64,
}

const MACHINE: &str = "json_type(detail, '$.machine') IS 'true'";

/// Count everything `stats` shows for one certificate, in one read transaction so the figures
/// agree with each other even while `send`, `refresh` or `serve` write.
pub fn figures(conn: &Connection, certificate_id: i64) -> Result<Figures> {
    // A deferred transaction gives a consistent snapshot (WAL) across the queries below.
    conn.execute_batch("BEGIN")?;
    let result = figures_in_snapshot(conn, certificate_id);
    conn.execute_batch("COMMIT")?;
    result
}

fn figures_in_snapshot(conn: &Connection, id: i64) -> Result<Figures> {
    let mut f = Figures {
        statuses: crate::db::certs::status_counts(conn, id)?,
        ..Figures::default()
    };

    f.pending_unconfirmed = conn.prepare_cached(
        "SELECT count(*) FROM recipients WHERE certificate_id=?1 AND status='pending' AND unconfirmed",
    )?
    .query_row([id], |r| r.get(0))?;

    let sent_kinds = SENT_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT coalesce(sum(s),0), coalesce(sum(oh),0), coalesce(sum(ch),0), coalesce(sum(om),0), \
                coalesce(sum(cm),0), coalesce(sum(sd),0), coalesce(sum(li),0) FROM ( \
           SELECT recipient_id, \
             max(kind IN ({sent_kinds})) AS s, \
             max(kind IN ('opened','clicked') AND NOT {MACHINE}) AS oh, \
             max(kind = 'clicked' AND NOT {MACHINE}) AS ch, \
             max(kind IN ('opened','clicked') AND {MACHINE}) AS om, \
             max(kind = 'clicked' AND {MACHINE}) AS cm, \
             max(kind IN ('shared','downloaded')) AS sd, \
             max(kind = 'linkedin_added') AS li \
           FROM events WHERE certificate_id=?1 AND kind IN ({sent_kinds},'shared','downloaded','linkedin_added') \
           GROUP BY recipient_id)"
    );
    conn.prepare_cached(&sql)?.query_row([id], |r| {
        f.sent = r.get(0)?;
        f.opened = r.get(1)?;
        f.clicked = r.get(2)?;
        f.opened_machine = r.get(3)?;
        f.clicked_machine = r.get(4)?;
        f.shared_or_downloaded = r.get(5)?;
        f.linkedin_added = r.get(6)?;
        Ok(())
    })?;

    // Delivered recipients with positive evidence (a delivery report that is not the settle
    // window, or a human open, click, complaint or auto-reply) at or after the moment they
    // became Delivered.
    f.delivered_confirmed = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM recipients r WHERE r.certificate_id=?1 AND r.status='delivered' \
             AND EXISTS (SELECT 1 FROM events WHERE recipient_id=r.id AND at >= r.status_at AND ( \
               (kind='delivered' AND json_extract(detail,'$.evidence') IS NOT 'settle') \
               OR (kind IN ('opened','clicked','complained','auto_reply') AND NOT {MACHINE})))"
        ))?
        .query_row([id], |r| r.get(0))?;

    let mut stmt = conn.prepare_cached(
        "SELECT json_extract(detail,'$.network'), count(*) FROM events \
         WHERE certificate_id=?1 AND kind='shared' GROUP BY 1",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let network: Option<String> = r.get(0).ok().flatten();
        let n: u64 = r.get(1)?;
        match network.as_deref() {
            Some("linkedin") => f.shares_linkedin += n,
            Some("facebook") => f.shares_facebook += n,
            Some("x") => f.shares_x += n,
            _ => f.shares_other += n,
        }
    }
    Ok(f)
}
