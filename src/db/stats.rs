//! The aggregate queries behind `certstat stats`. Every figure is defined in
//! `src/stats/stats.schema.json`; this module only counts.

use std::collections::HashMap;

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

/// `detail.machine` is JSON `true`. The `instr` test first spares parsing the JSON of the many
/// events that cannot match (every writer stores compact JSON, see `db::events::record`).
const MACHINE: &str =
    "(instr(detail, '\"machine\":true') > 0 AND json_type(detail, '$.machine') IS 'true')";

/// Count everything `stats` shows for one certificate, in one read transaction so the figures
/// agree with each other even while `send`, `refresh` or `serve` write.
pub fn figures(conn: &Connection, certificate_id: i64) -> Result<Figures> {
    // A deferred transaction gives a consistent snapshot (WAL) across the queries below.
    conn.execute_batch("BEGIN")?;
    let result = figures_in_snapshot(conn, certificate_id);
    conn.execute_batch("COMMIT")?;
    result
}

// Bits of what a recipient's events show, gathered in one pass over the events.
const SENT: u8 = 1;
const OPENED: u8 = 2;
const CLICKED: u8 = 4;
const OPENED_MACHINE: u8 = 8;
const CLICKED_MACHINE: u8 = 16;
const SHARED_OR_DOWNLOADED: u8 = 32;
const LINKEDIN_ADDED: u8 = 64;
const CONFIRMED: u8 = 128;

fn figures_in_snapshot(conn: &Connection, id: i64) -> Result<Figures> {
    let mut f = Figures::default();

    // The recipients: statuses, unconfirmed sends, and since when each Delivered recipient is
    // Delivered.
    let (lo, hi): (Option<i64>, Option<i64>) = conn
        .prepare_cached("SELECT min(id), max(id) FROM recipients WHERE certificate_id=?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(f);
    };
    f.statuses = crate::db::certs::status_counts(conn, id)?;
    f.pending_unconfirmed = conn
        .prepare_cached(
            "SELECT count(*) FROM recipients WHERE certificate_id=?1 AND status='pending' AND unconfirmed",
        )?
        .query_row([id], |r| r.get(0))?;
    let mut delivered_since: HashMap<i64, Box<str>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, status_at FROM recipients WHERE certificate_id=?1 AND status='delivered'",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            delivered_since.insert(r.get(0)?, r.get_ref(1)?.as_str()?.into());
        }
    }

    // One pass over the events, in storage order (no sort, no temporary b-tree).
    let mut bits = vec![0u8; (hi - lo + 1) as usize];
    let sent_kinds = SENT_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT recipient_id, kind, at, \
           CASE WHEN kind IN ('opened','clicked','complained','auto_reply') THEN {MACHINE} \
                WHEN kind = 'delivered' THEN (instr(detail, '\"settle\"') > 0 \
                  AND json_extract(detail,'$.evidence') IS 'settle') \
                ELSE 0 END, \
           CASE WHEN kind = 'shared' THEN json_extract(detail,'$.network') END \
         FROM events WHERE certificate_id=?1 \
           AND kind IN ({sent_kinds},'shared','downloaded','linkedin_added')"
    ))?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let rid: i64 = r.get(0)?;
        let Some(slot) = rid.checked_sub(lo).and_then(|i| bits.get_mut(i as usize)) else {
            continue;
        };
        let kind = r.get_ref(1)?.as_str()?;
        // For opens, clicks, complaints and auto-replies: from a machine; for deliveries: by
        // the settle window. Either way, not positive evidence of delivery.
        let weak: bool = r.get(3)?;
        let mut b = 0u8;
        if SENT_KINDS.contains(&kind) {
            b |= SENT;
        }
        match kind {
            "opened" => b |= if weak { OPENED_MACHINE } else { OPENED },
            "clicked" => {
                b |= if weak {
                    OPENED_MACHINE | CLICKED_MACHINE
                } else {
                    OPENED | CLICKED
                }
            }
            "downloaded" => b |= SHARED_OR_DOWNLOADED,
            "shared" => {
                b |= SHARED_OR_DOWNLOADED;
                match r.get_ref(4)?.as_str().unwrap_or("") {
                    "linkedin" => f.shares_linkedin += 1,
                    "facebook" => f.shares_facebook += 1,
                    "x" => f.shares_x += 1,
                    _ => f.shares_other += 1,
                }
            }
            "linkedin_added" => b |= LINKEDIN_ADDED,
            _ => {}
        }
        if !weak
            && matches!(
                kind,
                "delivered" | "opened" | "clicked" | "complained" | "auto_reply"
            )
            && *slot & CONFIRMED == 0
            && let Some(since) = delivered_since.get(&rid)
            && r.get_ref(2)?.as_str()? >= &**since
        {
            b |= CONFIRMED;
        }
        *slot |= b;
    }
    let count = |bit: u8| bits.iter().filter(|b| **b & bit != 0).count() as u64;
    f.sent = count(SENT);
    f.opened = count(OPENED);
    f.clicked = count(CLICKED);
    f.opened_machine = count(OPENED_MACHINE);
    f.clicked_machine = count(CLICKED_MACHINE);
    f.shared_or_downloaded = count(SHARED_OR_DOWNLOADED);
    f.linkedin_added = count(LINKEDIN_ADDED);
    f.delivered_confirmed = count(CONFIRMED);
    Ok(f)
}
