//! The parts of `certstat send` below the command: what is recorded when a message is handed
//! over to a connection.

pub mod handover;
