//! The API over TLS, and over mutual TLS: certificates made in the test (rcgen).

use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use registry_gateway::auth::Role;
use registry_gateway::config::TlsConfig;

use crate::helpers::{issuer, spawn_app_with};

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

fn leaf(ca: &Ca, names: &[&str], usage: ExtendedKeyUsagePurpose) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.extended_key_usages = vec![usage];
    (params.signed_by(&key, &ca.cert, &ca.key).unwrap(), key)
}

fn client(trust: &Ca, identity: Option<(&rcgen::Certificate, &KeyPair)>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(trust.cert.pem().as_bytes()).unwrap())
        .timeout(Duration::from_secs(5));
    if let Some((cert, key)) = identity {
        let pem = format!("{}{}", cert.pem(), key.serialize_pem());
        builder = builder.identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap());
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn the_api_over_mutual_tls_serves_only_callers_with_a_certificate_from_its_ca() {
    let dir = tempfile::tempdir().unwrap();
    let server_ca = ca("gateway server CA");
    let client_ca = ca("case system client CA");
    let (server_cert, server_key) = leaf(&server_ca, &["localhost", "127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth);
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let tls = TlsConfig {
        cert_file: write("server.pem", server_cert.pem()),
        key_file: write("server.key", server_key.serialize_pem()),
        client_ca_file: Some(write("clients.pem", client_ca.cert.pem())),
    };
    let app = spawn_app_with(move |config| config.server.tls = Some(tls)).await;
    let url = format!("https://127.0.0.1:{}/v1/deliveries", app.server.addr.port());
    let token = issuer().token("case-system", &[Role::CaseSystem], Duration::from_secs(60));

    let (cert, key) = leaf(&client_ca, &["case-system"], ExtendedKeyUsagePurpose::ClientAuth);
    let ok = client(&server_ca, Some((&cert, &key))).get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(ok.status(), 200, "a certificate from the client CA and a token");
    let no_token = client(&server_ca, Some((&cert, &key))).get(&url).send().await.unwrap();
    assert_eq!(no_token.status(), 401, "the certificate does not replace the token");

    assert!(client(&server_ca, None).get(&url).bearer_auth(&token).send().await.is_err(), "no client certificate");
    let stranger_ca = ca("another CA");
    let (stranger, stranger_key) = leaf(&stranger_ca, &["case-system"], ExtendedKeyUsagePurpose::ClientAuth);
    let foreign = client(&server_ca, Some((&stranger, &stranger_key))).get(&url).bearer_auth(&token).send().await;
    assert!(foreign.is_err(), "a certificate from another CA");
    let plain = reqwest::get(format!("http://127.0.0.1:{}/healthz", app.server.addr.port())).await;
    assert!(plain.map(|r| !r.status().is_success()).unwrap_or(true), "plain HTTP is not served");
}
