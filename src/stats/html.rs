//! `stats --html FILE`: a self-contained report page (inline CSS and SVG, no scripts, nothing
//! fetched), the MiniJinja template `report.html` with HTML auto-escaping. Every number
//! carries `data-figure="<json path>"` so it can be checked against `stats --format json`.

use minijinja::{AutoEscape, Environment, Value, context};
use serde::Serialize;

use super::pie;
use super::{Figure, Stats, text};
use crate::markup::escape_html as escape;
use crate::model::Status;

const TEMPLATE: &str = include_str!("report.html");

/// One row of a table (or one box): what it counts, its JSON key, the count and its percent
/// with one decimal.
#[derive(Serialize)]
struct Row {
    label: &'static str,
    key: &'static str,
    count: u64,
    percent: String,
    /// Status rows: the evidence of that status.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<String>,
    /// Share rows: the colour of the network's slice.
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'static str>,
}

impl Row {
    fn of(label: &'static str, key: &'static str, f: Figure) -> Row {
        Row {
            label,
            key,
            count: f.count,
            percent: format!("{:.1}", f.percent),
            evidence: None,
            color: None,
        }
    }
}

/// The report page.
pub fn report(stats: &Stats, generated_at: &str) -> String {
    let c = &stats.certificate;
    let ctx = context! {
        name => &c.name,
        issuer => &c.issuer,
        created_at => &c.created_at,
        generated_at,
        recipients => stats.recipients,
        statuses => status_rows(stats),
        boxes => engagement_rows(stats),
        shares_total => stats.shares.total,
        pie => Value::from_safe_string(pie::svg(&stats.slices(), 220)),
        slices => share_rows(stats),
        tracked_note => super::TRACKED_NOTE,
        email_sent => stats.email.sent,
        email => email_rows(stats),
        bounced_command => &stats.email.bounced_command,
        bounced_count => stats.email.bounced.count,
    };
    environment()
        .get_template("report.html")
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| panic!("the built-in report template: {e:#}"))
}

/// The template's environment: strict, and values escaped as the rest of certstat's HTML
/// (`markup::escape_html`).
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(|out, state, value| {
        if value.is_safe() || state.auto_escape() == AutoEscape::None {
            return write!(out, "{value}").map_err(minijinja::Error::from);
        }
        out.write_str(&escape(&value.to_string()))
            .map_err(minijinja::Error::from)
    });
    env.add_template("report.html", TEMPLATE)
        .unwrap_or_else(|e| panic!("the built-in report template: {e:#}"));
    env
}

fn status_rows(stats: &Stats) -> Vec<Row> {
    Status::ALL
        .iter()
        .map(|&s| Row {
            evidence: Some(text::evidence(stats, s)),
            ..Row::of(
                s.label(),
                s.as_str(),
                Figure {
                    count: stats.status(s),
                    percent: super::percent(stats.status(s), stats.recipients),
                },
            )
        })
        .collect()
}

fn engagement_rows(stats: &Stats) -> Vec<Row> {
    vec![
        Row::of("Claimed", "claimed", stats.claimed),
        Row::of(
            "Certificates shared or downloaded",
            "shared_or_downloaded",
            stats.shared_or_downloaded,
        ),
        Row::of(
            "Added to LinkedIn profile",
            "linkedin_added",
            stats.linkedin_added,
        ),
    ]
}

fn share_rows(stats: &Stats) -> Vec<Row> {
    stats
        .slices()
        .iter()
        .map(|s| Row {
            color: Some(pie::svg_color(s.key)),
            ..Row::of(s.label, s.key, Figure::of(s.count, stats.shares.total))
        })
        .collect()
}

fn email_rows(stats: &Stats) -> Vec<Row> {
    let e = &stats.email;
    vec![
        Row::of("Opened (a click counts as an open)", "opened", e.opened),
        Row::of("Clicked “Get Certificate”", "clicked", e.clicked),
        Row::of("Bounced", "bounced", e.bounced),
        Row::of(
            "Machine opens (mail scanners, proxies), counted apart",
            "machine_opened",
            e.machine_opened,
        ),
    ]
}
