//! The suppression list (`certstat suppress`) and the sending guardrail.
