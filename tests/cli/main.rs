//! The one integration test binary: a module per command or area.

mod common;

mod basics;
mod bounce_corpus;
mod generated;
mod import;
mod render;
mod send;
mod events;
mod stats;
mod serve;
mod refresh;
mod credentials;
