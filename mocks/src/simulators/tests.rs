//! Tests of starting and stopping the simulators together, and of the gateway configuration
//! they contribute.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, TcpListener};

use gateway_domain::System;
use jsonwebtoken::{DecodingKey, EncodingKey};

use crate::test_support::test_population;
use crate::{SimulatorCredentials, Simulators};

#[tokio::test]
async fn every_system_gets_its_own_simulator_and_url() {
    let simulators = Simulators::start_all(test_population()).await;
    let urls: Vec<String> = System::ALL.iter().map(|&s| simulators.url(s)).collect();
    for url in &urls {
        assert!(url.starts_with("http://127.0.0.1:"));
        assert!(!url.ends_with('/'));
    }
    let distinct: std::collections::HashSet<&String> = urls.iter().collect();
    assert_eq!(distinct.len(), urls.len());
    assert_eq!(simulators.population().persons().len(), test_population().persons().len());
}

#[tokio::test]
async fn a_stopped_simulator_refuses_connections_and_the_others_keep_answering() {
    let mut simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    let pmlp = simulators.url(System::Pmlp);
    let vsaa = format!("{}/vsaa/income/v1", simulators.url(System::Vsaa));
    assert_eq!(client.get(&vsaa).send().await.expect("answers").status(), 405);

    simulators.stop(System::Vsaa);
    assert_eq!(simulators.url(System::Vsaa), vsaa.trim_end_matches("/vsaa/income/v1"));
    let error = reqwest::Client::new().get(&vsaa).send().await.expect_err("a stopped simulator does not answer");
    assert!(error.is_connect(), "expected connection refused");
    assert_eq!(client.get(format!("{pmlp}/oauth2/token")).send().await.expect("answers").status(), 405);

    // Stopping twice is harmless.
    simulators.stop(System::Vsaa);
    assert_eq!(simulators.received_requests(System::Vsaa).await, 1);
}

#[tokio::test]
async fn simulators_start_on_the_ports_asked_for() {
    let free_port = || {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("an address").port()
    };
    let ports = HashMap::from([(System::Pmlp, free_port())]);
    let simulators = Simulators::start_all_on(test_population(), IpAddr::V4(Ipv4Addr::LOCALHOST), &ports)
        .await
        .expect("the simulators start");
    assert_eq!(simulators.url(System::Pmlp), format!("http://127.0.0.1:{}", ports[&System::Pmlp]));
    assert!(simulators.url(System::Vsaa).starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn a_wildcard_address_is_reached_through_the_loopback() {
    let simulators = Simulators::start_all_on(test_population(), IpAddr::V4(Ipv4Addr::UNSPECIFIED), &HashMap::new())
        .await
        .expect("the simulators start");
    let url = simulators.url(System::Vsaa);
    assert!(url.starts_with("http://127.0.0.1:"));
    let status = reqwest::get(format!("{url}/vsaa/income/v1")).await.expect("answers").status();
    assert_eq!(status, 405);
}

#[tokio::test]
async fn a_taken_port_fails_the_start() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("an address").port();
    let ports = HashMap::from([(System::Vsaa, port)]);
    let started = Simulators::start_all_on(test_population(), IpAddr::V4(Ipv4Addr::LOCALHOST), &ports).await;
    assert!(started.is_err());
}

#[test]
fn the_default_credentials_hold_a_usable_key_pair_and_do_not_print_it() {
    let credentials = SimulatorCredentials::default();
    assert!(EncodingKey::from_rsa_pem(credentials.client_key_pem.as_bytes()).is_ok());
    assert!(DecodingKey::from_rsa_pem(credentials.client_public_key_pem.as_bytes()).is_ok());
    let printed = format!("{credentials:?}");
    assert!(!printed.contains("PRIVATE KEY"));
    assert!(!printed.contains(&credentials.vsaa_password));
}

/// Each table of a TOML document with its keys' values: as much TOML as the gateway's
/// configuration uses (tables, basic strings, multi-line basic strings, comments). A table or
/// key given twice is an error in TOML, and here.
fn tables(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut tables: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut table: Option<String> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            assert!(tables.insert(name.to_owned(), BTreeMap::new()).is_none(), "[{name}] is defined twice");
            table = Some(name.to_owned());
            continue;
        }
        let (key, value) = line.split_once(" = ").unwrap_or_else(|| panic!("not a key and value: {line}"));
        let value = if value == "\"\"\"" {
            // The newline right after the opening quotes is not part of the string.
            let mut content = String::new();
            for line in lines.by_ref() {
                if line == "\"\"\"" {
                    break;
                }
                content.push_str(line);
                content.push('\n');
            }
            content
        } else {
            let quoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).expect("a basic string");
            quoted.replace("\\\"", "\"").replace("\\\\", "\\")
        };
        let name = table.clone().expect("every key is in a table");
        let keys = tables.entry(name.clone()).or_default();
        assert!(keys.insert(key.to_owned(), value).is_none(), "{key} is set twice in [{name}]");
    }
    tables
}

#[tokio::test]
async fn the_configuration_points_each_adapter_at_its_simulator() {
    let simulators = Simulators::start_all(test_population()).await;
    let tables = tables(&simulators.config_toml());
    let adapters: Vec<(&String, &String)> = tables
        .iter()
        .filter(|(name, _)| !name.ends_with(".oauth"))
        .map(|(name, keys)| (name, keys.get("base_url").unwrap_or_else(|| panic!("[{name}] has a base_url"))))
        .collect();
    for (name, _) in &adapters {
        assert!(name.starts_with("registries.") || name.starts_with("partners."), "[{name}] is an adapter's");
    }
    for &system in System::ALL {
        let url = simulators.url(system);
        assert!(adapters.iter().any(|(_, base)| **base == url), "an adapter points at the {system} simulator");
    }
    let urls: Vec<String> = System::ALL.iter().map(|&system| simulators.url(system)).collect();
    for (name, base) in &adapters {
        assert!(urls.contains(base), "[{name}] points at a simulator");
    }
    for name in tables.keys().filter(|name| name.ends_with(".oauth")) {
        let adapter = name.trim_end_matches(".oauth");
        assert!(tables.contains_key(adapter), "[{name}] belongs to [{adapter}]");
        assert!(tables[name].contains_key("client_id") && tables[name].contains_key("client_key_pem"), "[{name}]");
    }
}
