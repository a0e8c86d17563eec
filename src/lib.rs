//! certstat: issue certificates by email and track what became of each one.

pub mod bounce;
pub mod render;
