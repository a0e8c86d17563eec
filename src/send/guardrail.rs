//! The guardrail: what came back for a run's messages so far (refusals at SMTP time, and the
//! bounces and complaints `refresh` or `events import` recorded meanwhile) stops the run when
//! hard bounces exceed the allowed share after [`GUARDRAIL_AFTER`] outcomes, or at the first
//! complaint.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::db;
use crate::model::{BounceClass, bounce_class};

/// The outcomes a run has before the hard-bounce share can stop it.
pub const GUARDRAIL_AFTER: u64 = 50;

/// The log is read at most this often.
const EVERY: Duration = Duration::from_millis(500);

/// The largest share of hard bounces, and where it was set (for the stop message).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub percent: f64,
    /// `--max-hard-bounces`, `[guardrail] max_hard_bounces` or `the default`.
    pub source: &'static str,
}

impl Limit {
    /// The flag's value, else the config key's, else the default.
    pub fn of(flag: Option<f64>, config: &crate::config::Config) -> Limit {
        match (flag, &config.guardrail.max_hard_bounces) {
            (Some(percent), _) => Limit {
                percent,
                source: "--max-hard-bounces",
            },
            (None, Some(_)) => Limit {
                percent: config.max_hard_bounces(),
                source: "[guardrail] max_hard_bounces",
            },
            (None, None) => Limit {
                percent: crate::config::DEFAULT_MAX_HARD_BOUNCES,
                source: "the default",
            },
        }
    }
}

pub struct Guardrail {
    max: Limit,
    certificate_id: i64,
    since: String,
    /// The recipients this run has queued.
    recipients: HashSet<i64>,
    checked: Option<Instant>,
}

impl Guardrail {
    /// A guardrail for a run of `certificate_id` starting now.
    pub fn new(max: Limit, certificate_id: i64) -> Guardrail {
        Guardrail {
            max,
            certificate_id,
            since: crate::clock::now_stamp(),
            recipients: HashSet::new(),
            checked: None,
        }
    }

    /// The run has queued this recipient: their bounces and complaints count.
    pub fn watch(&mut self, recipient_id: i64) {
        self.recipients.insert(recipient_id);
    }

    /// Why the run must stop, if it must, after `outcomes` outcomes.
    pub fn check(&mut self, conn: &rusqlite::Connection, outcomes: u64) -> Result<Option<String>> {
        if self.checked.is_some_and(|t| t.elapsed() < EVERY) {
            return Ok(None);
        }
        self.checked = Some(Instant::now());
        let (mut hard, mut complaints) = (HashSet::new(), 0u64);
        for (id, kind, detail) in
            db::reminders::feedback_since(conn, self.certificate_id, &self.since)?
        {
            if !self.recipients.contains(&id) {
                continue;
            }
            if kind == "complained" {
                complaints += 1;
            } else if bounce_class(&detail) == BounceClass::Hard {
                hard.insert(id);
            }
        }
        if complaints > 0 {
            return Ok(Some(format!(
                "guardrail: {complaints} spam complaint(s) arrived for this run's messages; \
                 mailing on would hurt the sender's reputation (see `certstat events list CERT \
                 --kind complained`)"
            )));
        }
        let hard = hard.len() as u64;
        let share = 100.0 * hard as f64 / outcomes.max(1) as f64;
        if outcomes >= GUARDRAIL_AFTER && share > self.max.percent {
            return Ok(Some(format!(
                "guardrail: {hard} of this run's {outcomes} messages hard-bounced ({share:.1}%, \
                 more than the {}% {} allows); the rest stay as they were: check the \
                 addresses (`certstat recipients list CERT --status bounced`), then run again",
                self.max.percent, self.max.source
            )));
        }
        Ok(None)
    }
}
