//! TLS for the API (`[server.tls]`): the gateway's certificate and key, and optionally the CA
//! whose client certificates a caller must present (mutual TLS) before any request is read.
//! A connection that fails the handshake never reaches the router.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::Deserialize;
use tokio_rustls::TlsAcceptor;

/// The `[server.tls]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The gateway's certificate chain (PEM), leaf first.
    pub cert_file: PathBuf,
    /// Its private key (PEM, PKCS#8 or SEC1 or PKCS#1).
    pub key_file: PathBuf,
    /// The CA (PEM) whose client certificates callers must present; absent: no client
    /// certificate is asked for, and bearer tokens alone say who calls.
    #[serde(default)]
    pub client_ca_file: Option<PathBuf>,
}

/// Why the TLS settings cannot be used. Names files, never key material.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("server.tls: cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("server.tls: {0}")]
    Invalid(String),
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let read = |reason: String| TlsError::Read { path: path.display().to_string(), reason };
    let certificates: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| read(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| read(e.to_string()))?;
    if certificates.is_empty() {
        return Err(read("no certificate in it".into()));
    }
    Ok(certificates)
}

impl TlsConfig {
    /// The acceptor that serves connections with these settings.
    pub fn acceptor(&self) -> Result<TlsAcceptor, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = certificates(&self.cert_file)?;
        let key = PrivateKeyDer::from_pem_file(&self.key_file)
            .map_err(|e| TlsError::Read { path: self.key_file.display().to_string(), reason: e.to_string() })?;
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Invalid(e.to_string()))?;
        let builder = match &self.client_ca_file {
            None => builder.with_no_client_auth(),
            Some(path) => {
                let mut roots = rustls::RootCertStore::empty();
                for certificate in certificates(path)? {
                    roots.add(certificate).map_err(|e| TlsError::Invalid(e.to_string()))?;
                }
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                    .build()
                    .map_err(|e| TlsError::Invalid(e.to_string()))?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder.with_single_cert(chain, key).map_err(|e| TlsError::Invalid(e.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}
