//! The one integration test binary: a module per command or area.

mod common;
mod coverage;

mod basics;
mod bounce_corpus;
mod catalogue;
mod credentials;
mod credentials_di;
mod events;
mod generated;
mod help;
mod import;
mod ob3;
mod ops;
mod publish;
mod quiet;
mod refresh;
mod reliability;
mod remind;
mod reminder_bounces;
mod render;
mod send;
mod serve;
mod stats;
mod suppress;
mod tables;
mod tty;
