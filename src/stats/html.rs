//! `stats --html FILE`: a self-contained report page (inline CSS and SVG, no scripts, nothing
//! fetched). Every number carries `data-figure="<json path>"` so it can be checked against
//! `stats --format json`.

use std::fmt::Write as _;

use super::pie::{self, escape};
use super::{Figure, Stats, text};
use crate::model::Status;

const CSS: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330;background:#f7f8fa;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#5a6272;margin:0}
.boxes{display:flex;gap:1rem;flex-wrap:wrap}
.box{flex:1 1 12rem;background:#fff;border:1px solid #dde1e8;border-radius:.6rem;padding:1rem 1.2rem}
.box .n{font-size:2rem;font-weight:700;display:block}.box .p{color:#5a6272}
h1,.meta,.note{overflow-wrap:break-word}
time{white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;background:#fff;border:1px solid #dde1e8;width:100%}
th,td{padding:.4rem .8rem;border-bottom:1px solid #eef0f4;text-align:left;vertical-align:top}
th,td.num{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.shares{display:flex;gap:2rem;align-items:center;flex-wrap:wrap}
.shares .scroll{flex:1 1 14rem}
@media (max-width:30rem){body{margin:1rem auto;padding:0 .5rem}th,td{padding:.35rem .45rem}}
.swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:.2rem;margin-right:.4rem;vertical-align:middle}
.note{color:#5a6272;font-size:.9rem}
code{background:#eef0f4;padding:.15rem .35rem;border-radius:.25rem}
";

fn fig(path: &str, value: impl std::fmt::Display) -> String {
    format!("<span data-figure=\"{path}\">{value}</span>")
}

fn pct(path: &str, p: f64) -> String {
    format!("{}%", fig(path, format!("{p:.1}")))
}

fn figure_box(out: &mut String, title: &str, key: &str, f: Figure) {
    let _ = write!(
        out,
        "<div class=\"box\"><div>{title}</div><span class=\"n\">{}</span><span class=\"p\">{} of recipients</span></div>",
        fig(&format!("{key}.count"), f.count),
        pct(&format!("{key}.percent"), f.percent)
    );
}

/// The report page.
pub fn report(stats: &Stats, generated_at: &str) -> String {
    let c = &stats.certificate;
    let name = escape(&c.name);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Statistics of {name}</title><style>{CSS}</style></head><body>\n"
    );
    let _ = writeln!(
        out,
        "<h1 data-figure=\"certificate.name\">{name}</h1>\
         <p class=\"meta\">Issued by <span data-figure=\"certificate.issuer\">{}</span> · created \
         <time data-figure=\"certificate.created_at\" datetime=\"{created}\">{created}</time> · \
         {} recipients</p><p class=\"meta\">Report generated <time>{}</time></p>",
        escape(&c.issuer),
        fig("recipients", stats.recipients),
        escape(generated_at),
        created = escape(&c.created_at),
    );

    status_table(&mut out, stats);
    engagement(&mut out, stats);
    shares(&mut out, stats);
    email(&mut out, stats);
    out
}

fn status_table(out: &mut String, stats: &Stats) {
    out.push_str("<h2>Status</h2><div class=\"scroll\"><table><thead><tr><th>Status</th><th class=\"num\">Recipients</th><th class=\"num\">%</th><th>Evidence</th></tr></thead><tbody>\n");
    for s in Status::ALL {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            s.label(),
            fig(&format!("statuses.{}", s.as_str()), stats.status(s)),
            pct(
                &format!("status_percent.{}", s.as_str()),
                super::percent(stats.status(s), stats.recipients)
            ),
            escape(&text::evidence(stats, s)),
        );
    }
    out.push_str("</tbody></table></div>\n");
}

fn engagement(out: &mut String, stats: &Stats) {
    out.push_str("<h2>Engagement</h2><div class=\"boxes\">");
    figure_box(out, "Claimed", "claimed", stats.claimed);
    figure_box(
        out,
        "Certificates shared or downloaded",
        "shared_or_downloaded",
        stats.shared_or_downloaded,
    );
    figure_box(
        out,
        "Added to LinkedIn profile",
        "linkedin_added",
        stats.linkedin_added,
    );
    out.push_str("</div>\n");
}

fn shares(out: &mut String, stats: &Stats) {
    let slices = stats.slices();
    let _ = write!(
        out,
        "<h2>Tracked social media shares: {}</h2><div class=\"shares\">{}<div class=\"scroll\"><table><thead><tr><th>Network</th>\
         <th class=\"num\">Shares</th><th class=\"num\">%</th></tr></thead><tbody>",
        fig("shares.total", stats.shares.total),
        pie::svg(&slices, 220)
    );
    for s in &slices {
        let color = pie::svg_color(s.key);
        let f = Figure::of(s.count, stats.shares.total);
        let _ = write!(
            out,
            "<tr><td><span class=\"swatch\" style=\"background:{color}\"></span>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            s.label,
            fig(&format!("shares.by_network.{}.count", s.key), f.count),
            pct(&format!("shares.by_network.{}.percent", s.key), f.percent),
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table></div></div><p class=\"note\">{}</p>",
        escape(super::TRACKED_NOTE)
    );
}

fn email(out: &mut String, stats: &Stats) {
    let e = &stats.email;
    let _ = write!(
        out,
        "<h2>Email statistics</h2><div class=\"scroll\"><table><thead><tr><th></th><th class=\"num\">Recipients</th><th class=\"num\">% of sent</th></tr></thead><tbody>\
         <tr><td>Sent</td><td class=\"num\">{}</td><td></td></tr>",
        fig("email.sent", e.sent)
    );
    for (label, key, f) in [
        ("Opened (a click counts as an open)", "opened", e.opened),
        ("Clicked “Get Certificate”", "clicked", e.clicked),
        ("Bounced", "bounced", e.bounced),
        (
            "Machine opens (mail scanners, proxies), counted apart",
            "machine_opened",
            e.machine_opened,
        ),
    ] {
        let _ = write!(
            out,
            "<tr><td>{label}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            fig(&format!("email.{key}.count"), f.count),
            pct(&format!("email.{key}.percent"), f.percent)
        );
    }
    let _ = write!(
        out,
        "</tbody></table></div><p class=\"note\">List the bounced addresses: <code>{}</code></p>\n</body></html>\n",
        escape(&e.bounced_command)
    );
}
