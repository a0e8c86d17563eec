//! The statistics page for a terminal: tables laid out to the terminal width (side by side
//! from 120 columns), the shares pie chart with its legend, and colour only when wanted.

use owo_colors::OwoColorize;

use super::{Stats, pie};
use crate::model::{Status, sanitize_cell};
use crate::output::Printer;

/// Columns from which two blocks are put side by side.
pub const WIDE: usize = 120;
const GAP: usize = 2;
/// The width of the shares block (chart, legend, note).
const SHARES_WIDTH: usize = 50;

/// The visible width of a line: ANSI colour sequences take no room.
pub fn visible_width(line: &str) -> usize {
    let mut n = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            n += 1;
        }
    }
    n
}

/// Two blocks of lines next to each other, the left one padded to its widest line (or to
/// `min_width`).
pub fn side_by_side(left: &str, right: &str, min_width: usize) -> String {
    let l: Vec<&str> = left.lines().collect();
    let r: Vec<&str> = right.lines().collect();
    let w = l
        .iter()
        .map(|s| visible_width(s))
        .max()
        .unwrap_or(0)
        .max(min_width);
    let mut out = String::new();
    for i in 0..l.len().max(r.len()) {
        let a = l.get(i).copied().unwrap_or("");
        let b = r.get(i).copied().unwrap_or("");
        if b.is_empty() {
            out.push_str(a.trim_end());
        } else {
            out.push_str(a);
            out.push_str(&" ".repeat(w - visible_width(a) + GAP));
            out.push_str(b);
        }
        out.push('\n');
    }
    out
}

fn heading(text: &str, color: bool) -> String {
    if color {
        text.bold().to_string()
    } else {
        text.to_string()
    }
}

fn pct(p: f64) -> String {
    format!("{p:.1}%")
}

/// The evidence behind a status count, e.g. `30 confirmed, 90 by settle window`.
pub fn evidence(stats: &Stats, status: Status) -> String {
    let e = &stats.evidence;
    match status {
        Status::Delivered if stats.statuses.delivered > 0 => {
            format!(
                "{} confirmed, {} by settle window",
                e.delivered_confirmed, e.delivered_settle
            )
        }
        Status::Pending if e.pending_unconfirmed > 0 || e.pending_delayed > 0 => {
            let mut parts = Vec::new();
            if e.pending_unconfirmed > 0 {
                parts.push(format!("{} unconfirmed", e.pending_unconfirmed));
            }
            if e.pending_delayed > 0 {
                parts.push(format!("{} delayed (server retrying)", e.pending_delayed));
            }
            parts.join(", ")
        }
        Status::Bounced if stats.statuses.bounced > 0 => {
            format!("{} hard, {} soft", e.bounced_hard, e.bounced_soft)
        }
        _ => String::new(),
    }
}

/// The tables; in a wide layout, `width` is the whole width and the second table of each
/// pair gets what the first leaves.
fn tables(p: &Printer, stats: &Stats, fixed: Option<usize>, wide: bool) -> [String; 4] {
    // Without a width (not a terminal), the tables keep their natural width: nothing wraps.
    let width = fixed.unwrap_or(0);
    let sized = |mut t: comfy_table::Table, w: usize| {
        if fixed.is_some() {
            t.set_width(w as u16);
        }
        t
    };
    let half = (width.saturating_sub(GAP)) / 2;
    let overview = sized(overview_table(p, stats), if wide { half } else { width }).to_string();
    let left = overview.lines().map(visible_width).max().unwrap_or(0);
    let statuses = sized(
        status_table(p, stats),
        if wide {
            width.saturating_sub(left + GAP)
        } else {
            width
        },
    );
    let boxes = sized(boxes_table(p, stats), width);
    let email = sized(
        email_table(p, stats),
        if wide {
            width.saturating_sub(SHARES_WIDTH + GAP)
        } else {
            width
        },
    );
    [
        overview,
        statuses.to_string(),
        boxes.to_string(),
        email.to_string(),
    ]
}

fn overview_table(p: &Printer, stats: &Stats) -> comfy_table::Table {
    let c = &stats.certificate;
    let created = c.created_at.get(..10).unwrap_or(&c.created_at);
    let mut overview = p.table(&["Certificate", &sanitize_cell(&c.name)]);
    overview.add_row(vec!["Issuer".to_string(), sanitize_cell(&c.issuer)]);
    overview.add_row(vec!["Created".to_string(), created.to_string()]);
    overview.add_row(vec![
        "Total recipients".to_string(),
        stats.recipients.to_string(),
    ]);
    // Revoked or expired certificates keep their status: counted here, apart.
    for (label, f) in [("Revoked", stats.revoked), ("Expired", stats.expired)] {
        overview.add_row(vec![
            label.to_string(),
            format!("{} ({})", f.count, pct(f.percent)),
        ]);
    }
    overview
}

fn status_table(p: &Printer, stats: &Stats) -> comfy_table::Table {
    let mut statuses = p.table(&["Status", "Recipients", "%", "Evidence"]);
    for s in Status::ALL {
        let n = stats.status(s);
        statuses.add_row(vec![
            s.label().to_string(),
            n.to_string(),
            pct(super::percent(n, stats.recipients)),
            evidence(stats, s),
        ]);
    }
    statuses
}

fn boxes_table(p: &Printer, stats: &Stats) -> comfy_table::Table {
    let mut boxes = p.table(&[
        "Claimed",
        "Shared or downloaded",
        "Added to LinkedIn profile",
    ]);
    let figs = [
        stats.claimed,
        stats.shared_or_downloaded,
        stats.linkedin_added,
    ];
    boxes.add_row(figs.iter().map(|f| f.count.to_string()).collect::<Vec<_>>());
    boxes.add_row(figs.iter().map(|f| pct(f.percent)).collect::<Vec<_>>());
    boxes
}

fn email_table(p: &Printer, stats: &Stats) -> comfy_table::Table {
    let e = &stats.email;
    let mut email = p.table(&["Email", "Recipients", "% of sent"]);
    email.add_row(vec!["Sent".to_string(), e.sent.to_string(), String::new()]);
    for (label, f) in [
        ("Opened (a click counts as an open)", e.opened),
        ("Clicked \"Get Certificate\"", e.clicked),
        ("Bounced", e.bounced),
        ("Machine opens, counted apart", e.machine_opened),
    ] {
        email.add_row(vec![label.to_string(), f.count.to_string(), pct(f.percent)]);
    }
    email
}

fn shares_block(stats: &Stats, color: bool) -> String {
    let slices = stats.slices();
    let chart = pie::terminal_chart(&slices, 9, color);
    let mut legend = vec![String::new(), String::new()];
    legend.extend(pie::legend(&slices, color));
    legend.push(String::new());
    legend.push(format!("{} tracked shares", stats.shares.total));
    let mut out = side_by_side(&chart.join("\n"), &legend.join("\n"), 0);
    // The note, wrapped to stay beside the email table on wide terminals.
    out.push_str("Only shares made with the share buttons of the\nrecipient page are tracked.\n");
    out
}

/// The whole page, `width` columns wide (side by side from [`WIDE`]); with no width, stacked
/// and unwrapped.
pub fn page(p: &Printer, stats: &Stats, width: Option<usize>) -> String {
    let color = p.color;
    let wide = width.is_some_and(|w| w >= WIDE);
    let [overview, statuses, boxes, email] = tables(p, stats, width, wide);
    let mut out = String::new();
    let title = format!(
        "Statistics of \"{}\"",
        sanitize_cell(&stats.certificate.name)
    );
    out.push_str(&heading(&title, color));
    out.push_str("\n\n");
    if wide {
        out.push_str(&side_by_side(&overview, &statuses, 0));
    } else {
        out.push_str(&overview);
        out.push('\n');
        out.push_str(&statuses);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&boxes);
    out.push_str("\n\n");

    let shares_title = heading("Tracked social media shares", color);
    let email_title = heading("Email statistics", color);
    let shares = format!("{shares_title}\n{}", shares_block(stats, color));
    // How to list the bounced addresses, only when there are some.
    let bounced = if stats.email.bounced.count > 0 {
        format!(
            "List the bounced addresses:\n  {}\n",
            stats.email.bounced_command
        )
    } else {
        String::new()
    };
    let r = &stats.reminders;
    let reminders = if r.sent + r.expiry_notices + r.unsubscribed > 0 {
        format!(
            "Reminders: {} sent to {} recipient(s); {} claimed after one ({:.1}%); {} expiry \
             notice(s); {} unsubscribed\n",
            r.sent,
            r.recipients,
            r.claimed_after.count,
            r.claimed_after.percent,
            r.expiry_notices,
            r.unsubscribed
        )
    } else {
        String::new()
    };
    let email = format!("{email_title}\n{email}\n{bounced}{reminders}");
    if wide {
        out.push_str(&side_by_side(&shares, &email, SHARES_WIDTH));
    } else {
        out.push_str(&shares);
        out.push('\n');
        out.push_str(&email);
    }
    out
}
