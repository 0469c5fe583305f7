//! Mutual TLS to a registry: a server that demands a client certificate from the test's own
//! CA (certificates made by rcgen in the test), reached with the configured CA bundle and
//! client identity; without the identity, or with one from another CA, the call fails.

use std::sync::Arc;

use gateway_domain::System;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use reqwest::Method;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::compliance::ctx;

struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    Ca { cert: params.self_signed(&key).unwrap(), key }
}

/// A certificate for `names` signed by `ca`, and its key.
fn leaf(ca: &Ca, names: &[&str], usage: ExtendedKeyUsagePurpose) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.extended_key_usages = vec![usage];
    (params.signed_by(&key, &ca.cert, &ca.key).unwrap(), key)
}

/// A registry on 127.0.0.1 over TLS that accepts only clients with a certificate from `ca`,
/// and answers every request it can read `200 ok`.
async fn registry(ca: &Ca) -> std::net::SocketAddr {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert.der().clone()).unwrap();
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
    let (cert, key) = leaf(ca, &["localhost", "127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth);
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    address
}

fn transport(dir: &std::path::Path, ca: &Ca, identity: Option<(&str, &rcgen::Certificate, &KeyPair)>) -> HttpTransport {
    let bundle = dir.join(format!("ca-{}.pem", rand::random::<u32>()));
    std::fs::write(&bundle, ca.cert.pem()).unwrap();
    let client_identity = identity.map(|(name, cert, key)| {
        let path = dir.join(format!("{name}.pem"));
        std::fs::write(&path, format!("{}{}", cert.pem(), key.serialize_pem())).unwrap();
        path
    });
    let config = TransportConfig {
        ca_bundle: Some(bundle),
        client_identity,
        retry: resilience::RetryConfig { max_attempts: 1, base_backoff_ms: 10, max_backoff_ms: 20 },
        ..TransportConfig::default()
    };
    HttpTransport::new(System::Vsaa, Protocol::Rest, &config).unwrap()
}

#[tokio::test]
async fn a_registry_demanding_a_client_certificate_answers_only_the_one_its_ca_signed() {
    let dir = tempfile_dir();
    let registry_ca = ca("registry test CA");
    let address = registry(&registry_ca).await;
    let url = format!("https://127.0.0.1:{}/", address.port());
    let (client, client_key) = leaf(&registry_ca, &["tukums-social-service"], ExtendedKeyUsagePurpose::ClientAuth);

    let with_identity = transport(&dir, &registry_ca, Some(("client", &client, &client_key)));
    let reply =
        with_identity.execute(HttpCall::read(Method::GET, url.clone(), &ctx())).await.expect("mutual TLS holds");
    assert_eq!(reply.body, "ok");

    let without = transport(&dir, &registry_ca, None);
    assert!(without.execute(HttpCall::read(Method::GET, url.clone(), &ctx())).await.is_err(), "no client certificate");

    let stranger_ca = ca("another CA");
    let (stranger, stranger_key) = leaf(&stranger_ca, &["tukums-social-service"], ExtendedKeyUsagePurpose::ClientAuth);
    let foreign = transport(&dir, &registry_ca, Some(("stranger", &stranger, &stranger_key)));
    assert!(
        foreign.execute(HttpCall::read(Method::GET, url.clone(), &ctx())).await.is_err(),
        "a certificate of another CA"
    );

    // And the gateway checks the registry too: a server certificate from a CA it was not given.
    let other_bundle = transport(&dir, &stranger_ca, Some(("client-again", &client, &client_key)));
    assert!(other_bundle.execute(HttpCall::read(Method::GET, url, &ctx())).await.is_err(), "an untrusted server");
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gateway-mtls-{}-{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
