//! Sending, below the `send` and `remind` commands: who is mailed ([`policy`]), what is checked
//! first ([`checks`]), the crash-safe engine ([`engine`]) with its threads ([`worker`]), the
//! hand-over of one message ([`deliver`]: pace, retries, deferral), what is recorded before and
//! after ([`handover`], [`outcome`]), the guardrail and the run's [`summary`].

pub mod checks;
mod deliver;
pub mod engine;
pub mod guardrail;
pub mod handover;
pub mod outcome;
pub mod policy;
pub mod summary;
mod worker;

pub use engine::{Mailing, Run};
pub use summary::Summary;
