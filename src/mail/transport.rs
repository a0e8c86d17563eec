//! What every transport answers for one message ([`Try`]), and the [`Transport`] trait the
//! send engine hands messages to: SMTP ([`super::smtp`]) and the outbox ([`super::outbox`]).

use super::compose::Outgoing;

/// What one try to hand over a message gave.
#[derive(Debug, Clone)]
pub enum Try {
    /// Accepted; the server's reply (`250 2.0.0 Ok: queued as …`).
    Accepted(String),
    /// Refused for good, for this recipient, at RCPT or DATA: a bounce.
    Refused {
        status: String,
        reason: String,
        phase: &'static str,
        /// The address or domain does not exist or is disabled: do not retry. Otherwise
        /// (mailbox full, too large, …) retrying later may work.
        hard: bool,
    },
    /// Not accepted, may work later (4xx, network trouble before the message was complete).
    Temporary(String),
    /// The server could not be reached or would not talk now (connection refused, 421 greeting).
    Unreachable(String),
    /// Perhaps accepted, perhaps not: the connection broke after the whole message was sent.
    Unknown(String),
    /// Not accepted, and no other message will be either (login refused, TLS missing, sender
    /// refused, outbox not writable): stop the run.
    Fatal(String),
}

pub trait Transport: Send {
    /// `smtp` or `outbox`: the event source.
    fn name(&self) -> &'static str;
    /// Hand `m` over. `next`, when given, is the message the caller will hand over next: a
    /// transport may start its transaction early (SMTP writes its envelope right behind `m`'s
    /// data). The next call must then be for `next`.
    fn try_send(&mut self, m: &Outgoing, next: Option<&Outgoing>) -> Try;
    /// Close connections politely.
    fn close(&mut self) {}
}
