//! Runs `certstat::bounce::analyze` over the sisimai-derived corpus in
//! `tests/fixtures/bounces/` and compares with `expected.tsv`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use certstat::bounce::{Action, Analysis, MessageKind, analyze};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounces")
}

#[derive(Debug)]
struct Row {
    file: String,
    index: usize,
    reason: String,
    hard: bool,
    feedback_type: String,
}

fn expected_rows() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.tsv")).expect("expected.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 8, "short row: {l}");
            Row {
                file: c[0].to_string(),
                index: c[2].parse().expect("index"),
                reason: c[5].to_string(),
                hard: c[6] == "true",
                feedback_type: c[7].to_string(),
            }
        })
        .collect()
}

/// `lhost-postfix-01.eml` -> `lhost-postfix`.
fn family(file: &str) -> String {
    let stem = file.trim_end_matches(".eml");
    match stem.rfind('-') {
        Some(p) if stem[p + 1..].chars().all(|c| c.is_ascii_digit()) => stem[..p].to_string(),
        _ => stem.to_string(),
    }
}

/// Does our analysis agree with one expected row on kind (+ hard flag), and
/// on the reason?
fn judge(a: &Analysis, row: &Row) -> (bool, bool) {
    let rec = if row.index == 0 {
        None
    } else {
        a.recipients.get(row.index - 1)
    };
    match row.reason.as_str() {
        "vacation" => {
            let ok = a.kind == MessageKind::AutoReply;
            (ok, ok)
        }
        "none" => {
            let ok = a.kind == MessageKind::NotBounce;
            (ok, ok)
        }
        "feedback" => {
            let ok = matches!(&a.kind, MessageKind::Feedback { feedback_type } if *feedback_type == row.feedback_type);
            (ok, ok)
        }
        "delivered" => {
            let ok =
                a.kind == MessageKind::Bounce && rec.is_some_and(|r| r.action == Action::Delivered);
            (
                ok,
                ok && rec.is_some_and(|r| r.reason.as_str() == "delivered"),
            )
        }
        reason => {
            let Some(r) = rec.filter(|_| a.kind == MessageKind::Bounce) else {
                return (false, false);
            };
            let kind_ok = r.action != Action::Delivered && r.hard == row.hard;
            (kind_ok, r.reason.as_str() == reason)
        }
    }
}

#[derive(Default)]
struct Tally {
    rows: usize,
    kind: usize,
    reason: usize,
}

#[test]
fn corpus_agreement() {
    let rows = expected_rows();
    assert!(rows.len() > 400, "expected.tsv has {} rows", rows.len());
    let mut cache: BTreeMap<String, Analysis> = BTreeMap::new();
    let mut families: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut misses = Vec::new();
    for row in &rows {
        let a = cache.entry(row.file.clone()).or_insert_with(|| {
            let raw = std::fs::read(corpus_dir().join(&row.file)).expect("fixture file");
            analyze(&raw)
        });
        let (kind_ok, reason_ok) = judge(a, row);
        let t = families.entry(family(&row.file)).or_default();
        for t in [t, &mut total] {
            t.rows += 1;
            t.kind += usize::from(kind_ok);
            t.reason += usize::from(reason_ok);
        }
        if !kind_ok || !reason_ok {
            let got = if row.index == 0 {
                None
            } else {
                a.recipients.get(row.index - 1)
            };
            misses.push(format!(
                "{:<30} #{} want {:<15} hard={:<5} got {:?} {}",
                row.file,
                row.index,
                row.reason,
                row.hard,
                a.kind,
                got.map(|r| format!(
                    "{} hard={} {:?} {} [{}]",
                    r.reason,
                    r.hard,
                    r.action,
                    r.address,
                    r.diagnostic
                        .as_deref()
                        .unwrap_or("")
                        .chars()
                        .take(110)
                        .collect::<String>()
                ))
                .unwrap_or_else(|| format!("(no record; {} recipients)", a.recipients.len()))
            ));
        }
    }

    let pct = |n: usize, d: usize| {
        if d == 0 {
            100.0
        } else {
            100.0 * n as f64 / d as f64
        }
    };
    println!(
        "\n{:<26} {:>5} {:>12} {:>12}",
        "family", "rows", "kind+hard", "reason"
    );
    for (fam, t) in &families {
        println!(
            "{:<26} {:>5} {:>5} {:>5.1}% {:>5} {:>5.1}%",
            fam,
            t.rows,
            t.kind,
            pct(t.kind, t.rows),
            t.reason,
            pct(t.reason, t.rows)
        );
    }
    let kind_pct = pct(total.kind, total.rows);
    let reason_pct = pct(total.reason, total.rows);
    println!(
        "{:<26} {:>5} {:>5} {:>5.1}% {:>5} {:>5.1}%",
        "TOTAL", total.rows, total.kind, kind_pct, total.reason, reason_pct
    );
    println!("\nDisagreements ({}):", misses.len());
    for m in &misses {
        println!("  {m}");
    }

    for fam in ["rfc3834", "is-not-bounce"] {
        let t = &families[fam];
        assert_eq!(
            t.kind, t.rows,
            "every {fam} file must be recognised exactly"
        );
    }
    assert!(kind_pct >= 95.0, "kind+hard agreement {kind_pct:.1}% < 95%");
    assert!(
        reason_pct >= MIN_REASON_PCT,
        "reason agreement {reason_pct:.1}% < {MIN_REASON_PCT}%"
    );
}

/// What the reason agreement reached when this test was written, minus a
/// small margin.
const MIN_REASON_PCT: f64 = 85.0;

/// Split a Unix mbox into messages (on lines starting with "From ").
fn split_mbox(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            out.push(Vec::new());
            continue;
        }
        if let Some(cur) = out.last_mut() {
            cur.extend_from_slice(line);
        }
    }
    out
}

#[test]
fn mailbox_messages_are_bounces_with_recipients() {
    let data = std::fs::read(corpus_dir().join("mailbox/mbox-0")).expect("mbox-0");
    let messages = split_mbox(&data);
    assert!(messages.len() >= 30, "{} messages", messages.len());
    let good = messages
        .iter()
        .filter(|m| {
            let a = analyze(m);
            a.kind == MessageKind::Bounce
                && !a.recipients.is_empty()
                && a.recipients.iter().all(|r| r.address.contains('@'))
        })
        .count();
    println!(
        "mbox-0: {good}/{} messages read as bounces with recipients",
        messages.len()
    );
    assert!(
        good * 100 >= messages.len() * MIN_MBOX_PCT,
        "{good}/{}",
        messages.len()
    );
}

const MIN_MBOX_PCT: usize = 90;

/// A message's line breaks rewritten as `eol` (from LF, CRLF or CR-only).
fn with_line_endings(raw: &[u8], eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(eol);
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(eol),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// What of an analysis must not depend on the line endings.
fn essence(a: &Analysis) -> String {
    let rs: Vec<String> = a
        .recipients
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?} {:?} {}",
                r.address, r.action, r.status, r.reason, r.hard
            )
        })
        .collect();
    format!("{:?} {rs:?}", a.kind)
}

/// Every corpus message reads the same with LF, CRLF and CR-only line endings.
#[test]
fn every_corpus_message_reads_alike_with_lf_crlf_and_cr_line_endings() {
    let mut files: Vec<String> = expected_rows().into_iter().map(|r| r.file).collect();
    files.dedup();
    let mut differ = Vec::new();
    for f in &files {
        let raw = std::fs::read(corpus_dir().join(f)).expect("fixture file");
        let lf = essence(&analyze(&with_line_endings(&raw, b"\n")));
        for eol in [&b"\r\n"[..], b"\r"] {
            let other = essence(&analyze(&with_line_endings(&raw, eol)));
            if other != lf {
                differ.push(format!("{f} {eol:?}:\n  LF: {lf}\n  other: {other}"));
            }
        }
    }
    assert!(files.len() > 300, "{} files", files.len());
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
