//! Reading bounce, delivery-status, feedback and auto-reply messages.
