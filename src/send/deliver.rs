//! Handing one message to a transport: pacing (`--rate`), retries of temporary failures with
//! backoff, and putting aside a domain that keeps failing temporarily.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::outcome::Outcome;
use crate::mail::compose::Outgoing;
use crate::mail::transport::{Transport, Try};

/// Messages per second, shared by the sending threads.
pub struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    /// At most `rate` messages per second.
    pub fn new(rate: f64) -> Pacer {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / rate),
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let at = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval;
            at
        };
        let now = Instant::now();
        if at > now {
            std::thread::sleep(at - now);
        }
    }
}

/// Backoff before retries of temporary failures: base, 4×base, 16×base (base 1 s, or
/// `CERTSTAT_SEND_BACKOFF_MS`).
pub fn backoff() -> Vec<Duration> {
    let base = std::env::var("CERTSTAT_SEND_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000u64);
    [1, 4, 16]
        .iter()
        .map(|m| Duration::from_millis(base * m))
        .collect()
}

/// After this many recipients of one domain in a row fail temporarily after every retry, the
/// run puts the domain aside: its other recipients are left Not Sent without being tried
/// (each would cost the whole backoff again), and the rest of the run goes on.
const DEFER_DOMAIN_AFTER: u32 = 3;

/// The domain of an address, lower-cased (what deferral is counted by).
fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_ascii_lowercase()
}

/// What the threads of one run share: whether it stops and why, the pace, the retry delays,
/// and the domains' temporary failures.
pub struct Shared {
    stop: AtomicBool,
    why: Mutex<Option<String>>,
    pub pacer: Option<Pacer>,
    delays: Vec<Duration>,
    /// Per recipient domain: how many recipients in a row ended with a temporary failure
    /// after every retry, and the last error.
    domains: Mutex<HashMap<String, (u32, String)>>,
    /// `--time-limit`: after it, nothing more is handed over that is not marked already.
    deadline: Option<Instant>,
    time_up: AtomicBool,
}

impl Shared {
    pub fn new(pacer: Option<Pacer>, delays: Vec<Duration>, deadline: Option<Instant>) -> Shared {
        Shared {
            stop: AtomicBool::new(false),
            why: Mutex::new(None),
            pacer,
            delays,
            domains: Mutex::new(HashMap::new()),
            deadline,
            time_up: AtomicBool::new(false),
        }
    }

    /// Whether the time limit has passed (and from now on, that it has).
    pub fn check_deadline(&self) -> bool {
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.time_up.store(true, Ordering::SeqCst);
        }
        self.time_up()
    }

    /// Whether the run reached its time limit.
    pub fn time_up(&self) -> bool {
        self.time_up.load(Ordering::SeqCst)
    }

    /// Whether waiting `delay` from now would end after the time limit.
    fn past_deadline_after(&self, delay: Duration) -> bool {
        self.deadline.is_some_and(|d| Instant::now() + delay >= d)
    }

    /// Whether the run is stopping.
    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Why the run stopped, when it did.
    pub fn why(&self) -> Option<String> {
        self.why.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Stop the run for `why` (the first reason given is kept).
    pub fn halt(&self, why: String) {
        let mut w = self.why.lock().unwrap_or_else(|e| e.into_inner());
        if w.is_none() {
            *w = Some(why);
        }
        self.stop.store(true, Ordering::SeqCst);
    }

    /// The outcome of a message not handed over because the run stopped.
    pub fn not_attempted(&self) -> Outcome {
        Outcome::NotAttempted(format!(
            "not sent: the run stopped ({})",
            self.why().unwrap_or_default()
        ))
    }

    /// The reason `domain` is put aside, when it is.
    fn deferred(&self, domain: &str) -> Option<String> {
        let domains = self.domains.lock().unwrap_or_else(|e| e.into_inner());
        domains
            .get(domain)
            .filter(|(n, _)| *n >= DEFER_DOMAIN_AFTER)
            .map(|(n, last)| {
                format!(
                    "not tried: {domain} answered with temporary failures for {n} recipients in a \
                     row ({last}); put aside for this run, run send again later"
                )
            })
    }

    /// Count an outcome for its domain: a temporary failure adds one, anything else clears.
    fn count_domain(&self, domain: &str, temporary_failure: Option<&str>) {
        let mut domains = self.domains.lock().unwrap_or_else(|e| e.into_inner());
        match temporary_failure {
            Some(e) => {
                let entry = domains.entry(domain.to_owned()).or_default();
                entry.0 += 1;
                entry.1 = e.to_owned();
            }
            None => {
                domains.remove(domain);
            }
        }
    }
}

/// Hand one message over, retrying temporary failures with backoff. `next`: the message this
/// thread hands over after it, which the transport may start on early.
pub fn deliver(
    t: &mut dyn Transport,
    m: &Outgoing,
    next: Option<&Outgoing>,
    shared: &Shared,
) -> Outcome {
    if shared.stopping() {
        return shared.not_attempted();
    }
    let domain = domain_of(&m.email);
    if let Some(why) = shared.deferred(&domain) {
        return Outcome::Failed(why);
    }
    if let Some(p) = &shared.pacer {
        p.wait();
    }
    let outcome = try_with_backoff(t, m, next, shared);
    let temporary = match &outcome {
        Outcome::Failed(e) if !shared.stopping() => Some(e.as_str()),
        _ => None,
    };
    shared.count_domain(&domain, temporary);
    outcome
}

/// [`deliver`]'s tries: temporary failures retried after each of `shared.delays`.
fn try_with_backoff(
    t: &mut dyn Transport,
    m: &Outgoing,
    next: Option<&Outgoing>,
    shared: &Shared,
) -> Outcome {
    let mut tries = 0;
    loop {
        match t.try_send(m, next) {
            Try::Accepted(reply) => return Outcome::Sent(reply),
            Try::Refused {
                status,
                reason,
                phase,
                hard,
            } => {
                return Outcome::Bounced {
                    status,
                    reason,
                    phase,
                    hard,
                };
            }
            Try::Unknown(e) => return Outcome::Unknown(e),
            Try::Fatal(e) => {
                shared.halt(e.clone());
                return Outcome::Failed(e);
            }
            Try::Unreachable(e) if tries >= shared.delays.len() => {
                shared.halt(e.clone());
                return Outcome::Failed(e);
            }
            Try::Temporary(e) if tries >= shared.delays.len() => return Outcome::Failed(e),
            Try::Temporary(e) | Try::Unreachable(e)
                if shared.past_deadline_after(shared.delays[tries]) =>
            {
                // No retry after the time limit: the next run tries again.
                return Outcome::Failed(e);
            }
            Try::Temporary(_) | Try::Unreachable(_) => {
                if shared.stopping() {
                    return Outcome::NotAttempted("not sent: the run stopped".into());
                }
                std::thread::sleep(shared.delays[tries]);
                tries += 1;
            }
        }
    }
}
