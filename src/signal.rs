//! SIGINT and SIGTERM as a stop request that long-running commands check between units of work
//! (a batch of rows, a message), so that they stop cleanly: what is done is committed (or, for
//! an all-or-nothing import, rolled back), the summary is printed, and the exit status is
//! 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
//!
//! Only a command that checks the flag installs the handlers ([`install`]); a second signal
//! while stopping ends the process at once, as without handlers.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};

struct Flags {
    stopping: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Catch SIGINT and SIGTERM from now on (idempotent).
pub fn install() -> std::io::Result<()> {
    if FLAGS.get().is_some() {
        return Ok(());
    }
    let flags = Flags {
        stopping: Arc::new(AtomicBool::new(false)),
        signal: Arc::new(AtomicUsize::new(0)),
    };
    for sig in [SIGINT, SIGTERM] {
        // The second signal finds `stopping` set and gets the default action (termination).
        signal_hook::flag::register_conditional_default(sig, Arc::clone(&flags.stopping))?;
        signal_hook::flag::register_usize(sig, Arc::clone(&flags.signal), sig as usize)?;
        signal_hook::flag::register(sig, Arc::clone(&flags.stopping))?;
    }
    let _ = FLAGS.set(flags);
    Ok(())
}

/// The signal that asked to stop, if one did.
pub fn requested() -> Option<i32> {
    let flags = FLAGS.get()?;
    if !flags.stopping.load(Ordering::SeqCst) {
        return None;
    }
    match flags.signal.load(Ordering::SeqCst) {
        0 => Some(SIGINT),
        s => Some(s as i32),
    }
}

/// A command stopped by a signal, after finishing cleanly: `main` exits with [`Self::code`].
#[derive(Debug, thiserror::Error)]
#[error("stopped by {}: {what}", name(*.signal))]
pub struct Stopped {
    pub signal: i32,
    /// What was kept or undone ("nothing was imported").
    pub what: String,
}

impl Stopped {
    /// 128 + the signal, as a shell reports a process ended by it.
    pub fn code(&self) -> u8 {
        (128 + self.signal).clamp(0, 255) as u8
    }
}

/// The error to return when [`requested`] says so.
pub fn check(what: impl FnOnce() -> String) -> Result<(), Stopped> {
    match requested() {
        Some(signal) => Err(Stopped {
            signal,
            what: what(),
        }),
        None => Ok(()),
    }
}

fn name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT (Ctrl-C)",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// The exit status for an error that is (or wraps) [`Stopped`].
pub fn exit_code(err: &anyhow::Error) -> Option<u8> {
    err.chain()
        .find_map(|e| e.downcast_ref::<Stopped>())
        .map(Stopped::code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_shell_convention() {
        let s = Stopped {
            signal: SIGINT,
            what: "x".into(),
        };
        assert_eq!(s.code(), 130);
        let t = Stopped {
            signal: SIGTERM,
            what: "nothing was imported".into(),
        };
        assert_eq!(t.code(), 143);
        assert_eq!(t.to_string(), "stopped by SIGTERM: nothing was imported");
        let wrapped = anyhow::Error::new(t).context("importing");
        assert_eq!(exit_code(&wrapped), Some(143));
        assert_eq!(exit_code(&anyhow::anyhow!("other")), None);
    }
}
