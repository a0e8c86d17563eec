//! `certstat preview CERT [EMAIL] [--eml]`: one recipient's message exactly as `send` would
//! build it (a fresh send id each time; nothing is recorded).

use anyhow::Result;
use clap::Args;

use super::Ctx;
use crate::db;
use crate::mail::compose::Composer;
use crate::model::{Recipient, Status};

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Certificate name (case-insensitive) or id
    pub cert: String,
    /// The recipient [default: the first one, or a sample recipient when there are none]
    pub email: Option<String>,
    /// Print the raw message (RFC 5322, CRLF line ends): the bytes that would be sent
    #[arg(long)]
    pub eml: bool,
    /// The reminder `certstat remind` would send instead of the first email
    #[arg(long)]
    pub reminder: bool,
    /// The expiry notice `certstat remind --expiring` would send
    #[arg(long, conflicts_with = "reminder")]
    pub expiry: bool,
}

fn sample(cert_id: i64) -> Recipient {
    Recipient {
        id: 0,
        certificate_id: cert_id,
        email: "ana.example@example.org".into(),
        name: "Ana Example".into(),
        status: Status::NotSent,
        status_at: String::new(),
        detail: String::new(),
        unconfirmed: false,
        revoked: false,
        fields: Default::default(),
        created_at: String::new(),
        uid: "0".repeat(32),
    }
}

pub fn run(ctx: &mut Ctx, a: PreviewArgs) -> Result<()> {
    let cert = db::certs::find(&ctx.conn, &a.cert)?;
    let recipient = match &a.email {
        Some(e) => db::recipients::get(&ctx.conn, cert.id, e)?,
        None => {
            let mut first = None;
            db::recipients::for_each(&ctx.conn, cert.id, &Default::default(), |r| {
                if first.is_none() {
                    first = Some(r);
                }
                Ok(())
            })?;
            match first {
                Some(r) => r,
                None => {
                    ctx.printer
                        .info("(no recipients yet: previewing with a sample recipient)");
                    sample(cert.id)
                }
            }
        }
    };
    let composer = if a.reminder || a.expiry {
        super::remind::composer(ctx, &cert, a.expiry)?
    } else {
        Composer::new(&cert, &ctx.config, ctx.secret()?)?
    };
    for w in &composer.warnings {
        ctx.printer.warn(w);
    }
    let missing = composer.missing_fields(&recipient)?;
    if !missing.is_empty() && recipient.id != 0 {
        anyhow::bail!(
            "{} has no field(s) {} that the templates use: `send` would refuse to start",
            recipient.email,
            missing
                .iter()
                .map(|m| format!("'{m}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let gaps = crate::render::coverage::undrawable_names([(
        recipient.email.as_str(),
        recipient.name.as_str(),
    )]);
    for (email, chars) in &gaps {
        ctx.printer.warn(format!(
            "<{email}>: {}; the certificate would show empty boxes",
            crate::render::coverage::describe(chars)
        ));
    }
    let m = composer.compose(&recipient)?;
    if a.eml {
        let mut out = ctx.printer.stdout();
        out.write_all(&m.bytes)?;
        out.flush()?;
        return Ok(());
    }
    let parts = composer.render(&recipient)?;
    let raw = String::from_utf8_lossy(&m.bytes);
    let headers = raw
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let envelope_from = m.envelope.from().map(|a| a.to_string()).unwrap_or_default();
    let text = format!(
        "Envelope: MAIL FROM:<{envelope_from}> RCPT TO:<{}>\n{headers}\n\n--- text/plain ---\n{}\n--- text/html ---\n{}\n",
        recipient.email,
        parts.text.trim_end(),
        parts.html.trim_end()
    );
    ctx.printer.text(&crate::terminal::escape_controls(&text))
}
