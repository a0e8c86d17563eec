//! Parse every message of a Maildir (new/ and cur/) with mail-parser and nothing else; print
//! how many parsed and how long it took. The floor for `certstat refresh` in BENCHMARKS.md.

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: parse-baseline MAILDIR");
    let start = Instant::now();
    let (mut n, mut parts) = (0usize, 0usize);
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let raw = std::fs::read(e.path()).expect("read");
            if let Some(m) = mail_parser::MessageParser::default().parse(&raw[..]) {
                parts += m.parts.len();
                n += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{n} messages ({parts} parts) in {secs:.3} s: {:.0} msg/s", n as f64 / secs);
}
