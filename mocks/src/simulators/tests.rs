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

/// The tables the gateway's adapter for `system` reads its simulator from.
fn adapter_tables(system: System) -> &'static [&'static str] {
    match system {
        System::Pmlp => &["registries.pmlp"],
        System::Vsaa => &["registries.vsaa"],
        System::Nva => &["registries.nva"],
        System::Vdeavk => &["registries.vdeavk"],
        System::LandRegistry => &["registries.land_registry"],
        System::Cadastre => &["registries.cadastre"],
        System::Spolis => &["registries.spolis_cofinancing", "partners.spolis"],
        System::Baris => &["partners.baris"],
        System::Bridzis => &["partners.bridzis"],
        System::Nino => &["partners.nino"],
    }
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
    for &system in System::ALL {
        for &name in adapter_tables(system) {
            let url = tables.get(name).and_then(|keys| keys.get("base_url"));
            assert_eq!(url, Some(&simulators.url(system)), "[{name}] points at the {system} simulator");
        }
    }
    let named: usize = System::ALL.iter().map(|&system| adapter_tables(system).len()).sum();
    let oauth = tables.keys().filter(|name| name.ends_with(".oauth")).count();
    assert_eq!(tables.len(), named + oauth, "no table beside the adapters' and their OAuth clients'");
}

#[tokio::test]
async fn the_configuration_has_the_tables_the_gateway_writes_for_the_simulators() {
    let simulators = Simulators::start_all(test_population()).await;
    let written = tables(&simulators.config_toml());
    let expected = tables(&gateway_simulator_config(&simulators));
    // Differences are named by table and key only: the values hold keys and passwords.
    let mut differences: Vec<String> = Vec::new();
    for name in written.keys().chain(expected.keys()) {
        let (ours, theirs) = (written.get(name), expected.get(name));
        let keys = ours.into_iter().chain(theirs).flat_map(BTreeMap::keys);
        for key in keys {
            if ours.and_then(|t| t.get(key)) != theirs.and_then(|t| t.get(key)) {
                differences.push(format!("[{name}] {key}"));
            }
        }
    }
    differences.dedup();
    assert!(differences.is_empty(), "tables differ: {differences:?}");
    assert_eq!(written.len(), expected.len());
}

/// The configuration the gateway's `simulator_config_toml` (in `src/startup.rs`) writes for the
/// simulators, header comment aside: the tables [`Simulators::config_toml`] must give.
fn gateway_simulator_config(simulators: &Simulators) -> String {
    let c = simulators.credentials();
    let url = |system| simulators.url(system);
    let key = c.client_key_pem.trim_end();
    format!(
        r#"[registries.pmlp]
base_url = "{pmlp}"
permission = "{permission}"
[registries.pmlp.oauth]
client_id = "{client_id}"
client_key_pem = """
{key}
"""

[registries.vsaa]
base_url = "{vsaa}"
institution = "{institution}"
username = "{vsaa_username}"
password = "{vsaa_password}"

[registries.nva]
base_url = "{nva}"
[registries.nva.oauth]
client_id = "{client_id}"
client_key_pem = """
{key}
"""

[registries.vdeavk]
base_url = "{vdeavk}"
institution = "{institution}"
username = "{vsaa_username}"
password = "{vsaa_password}"

[registries.land_registry]
base_url = "{land_registry}"
institution = "{institution}"
username = "{vsaa_username}"
password = "{vsaa_password}"

[registries.cadastre]
base_url = "{cadastre}"
[registries.cadastre.oauth]
client_id = "{client_id}"
client_key_pem = """
{key}
"""

[registries.spolis_cofinancing]
base_url = "{spolis}"
[registries.spolis_cofinancing.oauth]
client_id = "{client_id}"
client_key_pem = """
{key}
"""

[partners.baris]
base_url = "{baris}"
institution = "{institution}"
username = "{baris_username}"
password = "{baris_password}"

[partners.bridzis]
base_url = "{bridzis}"
api_key = "{bridzis_api_key}"

[partners.nino]
base_url = "{nino}"
[partners.nino.oauth]
client_id = "{client_id}"
client_key_pem = """
{key}
"""

[partners.spolis]
base_url = "{spolis}"
institution = "{institution}"
municipality_code = "{municipality_code}"
username = "{spolis_username}"
password = "{spolis_password}"
"#,
        pmlp = url(System::Pmlp),
        vsaa = url(System::Vsaa),
        nva = url(System::Nva),
        vdeavk = url(System::Vdeavk),
        land_registry = url(System::LandRegistry),
        cadastre = url(System::Cadastre),
        baris = url(System::Baris),
        bridzis = url(System::Bridzis),
        nino = url(System::Nino),
        spolis = url(System::Spolis),
        permission = c.dagr_permission,
        client_id = c.client_id,
        institution = c.institution,
        vsaa_username = c.vsaa_username,
        vsaa_password = c.vsaa_password,
        baris_username = c.baris_username,
        baris_password = c.baris_password,
        bridzis_api_key = c.bridzis_api_key,
        municipality_code = c.municipality_code,
        spolis_username = c.spolis_monitoring_username,
        spolis_password = c.spolis_monitoring_password,
    )
}
