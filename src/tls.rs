//! TLS client connections (rustls with the Mozilla root store; no system OpenSSL), shared by
//! the IMAP source of `refresh` and `verify --jwks https://…`.

use std::net::TcpStream;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};

pub type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// Start TLS with `host` over `tcp`, checking its certificate against the Mozilla roots.
pub fn connect(host: &str, tcp: TcpStream) -> Result<TlsStream> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS setup")?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| anyhow!("'{host}' is not a valid TLS server name ({e})"))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).context("TLS setup")?;
    Ok(rustls::StreamOwned::new(conn, tcp))
}
