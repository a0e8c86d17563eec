//! Email: templates, composing messages, and the transports that hand them over.

pub mod body;
pub mod compose;
pub mod dkim;
pub mod header;
pub mod outbox;
pub mod smtp;
pub mod template;
pub mod transport;
