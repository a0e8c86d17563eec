//! The one integration test binary: a module per command or area.

mod common;
mod coverage;

mod basics;
mod bounce_corpus;
mod credentials;
mod credentials_di;
mod events;
mod generated;
mod import;
mod ops;
mod publish;
mod refresh;
mod remind;
mod render;
mod send;
mod serve;
mod stats;
mod suppress;
