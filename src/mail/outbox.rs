//! The outbox: one `.eml` file per message, written whole (a temporary file, synced, then
//! renamed), for a run without an SMTP server.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::compose::Outgoing;
use super::transport::{Transport, Try};

pub struct Outbox {
    pub dir: PathBuf,
}

impl Outbox {
    /// Create the directory and prove it is writable, before anything is recorded.
    pub fn open(dir: PathBuf) -> Result<Outbox> {
        std::fs::create_dir_all(&dir).with_context(|| {
            format!(
                "cannot create the outbox {} (set [outbox] dir to a writable folder, or configure [smtp])",
                dir.display()
            )
        })?;
        let probe = dir.join(format!(".certstat-probe-{}", std::process::id()));
        std::fs::write(&probe, b"")
            .with_context(|| {
                format!(
                    "the outbox {} is not writable (set [outbox] dir to a writable folder, or configure [smtp])",
                    dir.display()
                )
            })?;
        let _ = std::fs::remove_file(probe);
        Ok(Outbox { dir })
    }

    fn write(&self, m: &Outgoing) -> std::io::Result<PathBuf> {
        let stamp = crate::clock::now().format("%Y%m%dT%H%M%S");
        let name = format!("{stamp}-{}.eml", m.send_id);
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let path = self.dir.join(&name);
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&m.bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

impl Transport for Outbox {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn try_send(&mut self, m: &Outgoing, _next: Option<&Outgoing>) -> Try {
        match self.write(m) {
            Ok(path) => Try::Accepted(format!("written to {}", path.display())),
            Err(e) => Try::Fatal(format!(
                "cannot write to the outbox {}: {e}",
                self.dir.display()
            )),
        }
    }
}
