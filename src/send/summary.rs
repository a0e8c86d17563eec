//! The summary of a run: counts, the recipients with a problem, and its text.

use serde::Serialize;

use super::outcome::{Handed, Outcome};
use crate::db;

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub certificate: String,
    pub transport: String,
    pub dry_run: bool,
    pub selected: u64,
    pub sent: u64,
    pub bounced: u64,
    pub failed: u64,
    pub unconfirmed: u64,
    pub skipped: u64,
    /// Skipped because their address is on the suppression list (also counted in `skipped`).
    pub suppressed: u64,
    /// Queued but left as they were because the run reached its `--time-limit`.
    pub postponed: u64,
    pub stopped: Option<String>,
    /// Whether `stopped` is a stop that is a failure (the guardrail, a refusal aimed at the
    /// sender, a signal), not the time limit.
    #[serde(skip)]
    pub halted: bool,
    /// What the text calls an accepted message ("sent" when empty).
    #[serde(skip)]
    pub verb: &'static str,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    pub email: String,
    pub outcome: &'static str,
    pub detail: String,
}

impl Summary {
    /// A recipient skipped because their address is suppressed: counted, and the reason shown.
    pub fn skip_suppressed(&mut self, email: &str, e: &db::suppression::Entry) {
        self.skipped += 1;
        self.suppressed += 1;
        self.problem(
            email,
            "suppressed",
            &format!(
                "{} (`certstat suppress remove {email}` or --ignore-suppression to mail it)",
                e.reason
            ),
        );
    }

    /// A recipient skipped for a reason worth showing (`outcome` names it): counted and shown.
    pub fn skip(&mut self, email: &str, outcome: &'static str, detail: &str) {
        self.skipped += 1;
        self.problem(email, outcome, detail);
    }

    fn problem(&mut self, email: &str, outcome: &'static str, detail: &str) {
        if self.problems.len() < 1000 {
            self.problems.push(Problem {
                email: email.to_string(),
                outcome,
                detail: detail.to_string(),
            });
        }
    }

    /// The messages that have an outcome so far (what the guardrail counts).
    pub fn outcomes(&self) -> u64 {
        self.sent + self.bounced + self.failed + self.unconfirmed
    }

    /// Count an outcome (recorded already by its sending thread).
    pub fn count(&mut self, m: &Handed, outcome: &Outcome) {
        match outcome {
            Outcome::Sent(_) => self.sent += 1,
            Outcome::Bounced { reason, .. } => {
                self.bounced += 1;
                self.problem(&m.email, "bounced", reason);
            }
            Outcome::Failed(error) | Outcome::NotAttempted(error) if m.unconfirmed_before => {
                self.unconfirmed += 1;
                self.problem(&m.email, "unconfirmed", error);
            }
            Outcome::Failed(error) | Outcome::NotAttempted(error) => {
                self.failed += 1;
                self.problem(&m.email, "failed", error);
            }
            Outcome::Unknown(error) => {
                self.unconfirmed += 1;
                self.problem(&m.email, "unconfirmed", error);
            }
            Outcome::Postponed => self.postponed += 1,
        }
    }

    /// `, unconfirmed N` when there are any.
    fn unconfirmed_part(&self) -> String {
        if self.unconfirmed > 0 {
            format!(", unconfirmed {}", self.unconfirmed)
        } else {
            String::new()
        }
    }

    /// What an interrupted run says when it ends.
    pub fn interrupted(&self) -> String {
        format!(
            "{} sent, {} left Not Sent{}; run the command again to go on",
            self.sent,
            self.failed,
            self.unconfirmed_part()
        )
    }

    /// The error of a run that stopped early (but at its time limit) or left recipients failed
    /// or unconfirmed. It says why on its own, for `-q` prints no summary and a cron job mails
    /// only this line: the stop's reason, else the first failure's error.
    pub fn failure(&self) -> Option<String> {
        let counts = (self.failed > 0 || self.unconfirmed > 0).then(|| {
            format!(
                "{} recipient(s) failed{}",
                self.failed,
                self.unconfirmed_part()
            )
        });
        if let Some(why) = self.stopped.as_deref().filter(|_| self.halted) {
            return Some(match counts {
                Some(c) => format!("the run stopped early ({c}): {why}"),
                None => format!("the run stopped early: {why}"),
            });
        }
        let counts = counts?;
        let first = self
            .problems
            .iter()
            .find(|p| matches!(p.outcome, "failed" | "unconfirmed"));
        Some(match first {
            Some(p) => format!("{counts}; the first, {}: {}", p.email, p.detail),
            None => counts,
        })
    }

    pub fn text(&self) -> String {
        let mut s = if self.dry_run {
            format!(
                "Dry run: {} message(s) would be sent for '{}' via {}; {} skipped. Nothing was sent or recorded.\n",
                self.selected, self.certificate, self.transport, self.skipped
            )
        } else {
            format!(
                "'{}' via {}: {} {}, bounced {}, failed {}, skipped {}{}{}.\n",
                self.certificate,
                self.transport,
                if self.verb.is_empty() {
                    "sent"
                } else {
                    self.verb
                },
                self.sent,
                self.bounced,
                self.failed,
                self.skipped,
                self.unconfirmed_part(),
                if self.postponed > 0 {
                    format!(", postponed {}", self.postponed)
                } else {
                    String::new()
                }
            )
        };
        for p in self.problems.iter().take(20) {
            s.push_str(&format!("  {} {}: {}\n", p.outcome, p.email, p.detail));
        }
        if self.problems.len() > 20 {
            s.push_str(&format!(
                "  … and {} more (`certstat recipients list CERT --status not-sent --status bounced`)\n",
                self.problems.len() - 20
            ));
        }
        if let Some(why) = &self.stopped {
            s.push_str(&format!("Stopped early: {why}\n"));
        }
        if self.failed > 0 {
            s.push_str("Failed recipients are Not Sent again, with the last error: run `certstat send` again to retry them.\n");
        }
        if self.unconfirmed > 0 {
            s.push_str(
                "Unconfirmed recipients may or may not have received the message; they are only re-sent with --resend-unconfirmed.\n",
            );
        }
        s
    }
}
