//! Wires configuration into a running service; used by `main` and by the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use gateway_adapters::spolis::monitoring::SpolisMonitoringConfig;
use gateway_adapters::transport::resilience::Breaker;
use gateway_adapters::transport::{OAuthConfig, TransportConfig};
use gateway_adapters::{
    Partners, PartnersConfig, Registries, RegistriesConfig, baris::BarisConfig, bridzis::BridzisConfig,
    cadastre::CadastreConfig, land_registry::LandRegistryConfig, nino::NinoConfig, nva::NvaConfig, pmlp::PmlpConfig,
    spolis::cofinancing::SpolisCoFinancingConfig, vdeavk::VdeavkConfig, vsaa::VsaaConfig,
};
use gateway_domain::{StatusSink, System};
use gateway_mocks::Simulators;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::api::{self, AppState, DecisionIntake};
use crate::config::{Config, IncomeCheckConfig, ServerConfig};
use crate::income_check::IncomeCheck;
use crate::status_sync::{StatusSync, StatusSyncConfig};
use crate::store::{Store, StoreConfig};

/// Builds the API from the configuration, on an opened store.
pub fn build_app(config: &Config, store: Store, partner_breakers: Vec<(System, Breaker)>) -> anyhow::Result<Router> {
    let registries = Registries::build(&config.registries)?;
    let state = AppState {
        breakers: registries.breakers.clone(),
        partner_breakers,
        cofinancing: registries.cofinancing.clone(),
        income_check: IncomeCheck::new(registries),
        deadline: config.income_check.deadline(),
        decisions: DecisionIntake { store, partners: config.status_sync.partner_systems() },
    };
    Ok(api::router(state).layer(TraceLayer::new_for_http()))
}

/// The partners' adapters configured under `[partners]`, with their breakers. Partners without
/// one have no sink; their decisions wait in the outbox and each run reports them.
pub fn build_partners(config: &Config) -> anyhow::Result<Partners> {
    Ok(match &config.partners {
        Some(partners) => Partners::build(partners)?,
        None => Partners { sinks: Vec::new(), breakers: Vec::new() },
    })
}

/// Opens the store and builds the sync over the partners' sinks.
pub async fn build_status_sync(config: &Config, sinks: Vec<Arc<dyn StatusSink>>) -> anyhow::Result<StatusSync> {
    let store = Store::open(&config.store).await?;
    Ok(StatusSync::new(store, sinks, config.status_sync.clone()))
}

/// A running API server.
pub struct Server {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Opens the store and binds and serves the API in the background until the process ends.
pub async fn spawn_server(config: &Config) -> anyhow::Result<Server> {
    let store = Store::open(&config.store).await?;
    spawn_server_on(config, store, Vec::new()).await
}

/// Binds and serves the API over `store` in the background until the process ends;
/// `/readyz` reports `partner_breakers` beside the registries' own.
pub async fn spawn_server_on(
    config: &Config,
    store: Store,
    partner_breakers: Vec<(System, Breaker)>,
) -> anyhow::Result<Server> {
    let router = build_app(config, store, partner_breakers)?;
    let listener = TcpListener::bind(config.server.bind).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(Server { addr, task })
}

/// A configuration that points every registry at running simulators with their credentials.
pub fn simulator_config(simulators: &Simulators, bind: SocketAddr, income_check: IncomeCheckConfig) -> Config {
    let credentials = simulators.credentials();
    let oauth = || OAuthConfig {
        client_id: credentials.client_id.clone(),
        client_key_file: None,
        client_key_pem: Some(SecretString::from(credentials.client_key_pem.clone())),
        key_id: None,
        scope: None,
    };
    let registries = RegistriesConfig {
        pmlp: PmlpConfig {
            base_url: simulators.url(System::Pmlp),
            permission: credentials.dagr_permission.clone(),
            token_url: None,
            oauth: oauth(),
            transport: TransportConfig::default(),
        },
        vsaa: VsaaConfig {
            base_url: simulators.url(System::Vsaa),
            institution: credentials.institution.clone(),
            username: credentials.vsaa_username.clone(),
            password: SecretString::from(credentials.vsaa_password.clone()),
            transport: TransportConfig::default(),
        },
        nva: NvaConfig {
            base_url: simulators.url(System::Nva),
            token_url: None,
            oauth: oauth(),
            transport: TransportConfig::default(),
        },
        vdeavk: VdeavkConfig {
            base_url: simulators.url(System::Vdeavk),
            institution: credentials.institution.clone(),
            username: credentials.vsaa_username.clone(),
            password: SecretString::from(credentials.vsaa_password.clone()),
            transport: TransportConfig::default(),
        },
        land_registry: LandRegistryConfig {
            base_url: simulators.url(System::LandRegistry),
            institution: credentials.institution.clone(),
            username: credentials.vsaa_username.clone(),
            password: SecretString::from(credentials.vsaa_password.clone()),
            transport: TransportConfig::default(),
        },
        cadastre: CadastreConfig {
            base_url: simulators.url(System::Cadastre),
            token_url: None,
            oauth: oauth(),
            transport: TransportConfig::default(),
        },
        spolis_cofinancing: SpolisCoFinancingConfig {
            base_url: simulators.url(System::Spolis),
            token_url: None,
            oauth: oauth(),
            transport: TransportConfig::default(),
        },
    };
    Config {
        server: ServerConfig { bind },
        income_check,
        registries,
        partners: Some(partner_simulator_config(simulators)),
        // The demo and tests keep decisions in memory unless they say otherwise.
        store: StoreConfig { url: Some("sqlite::memory:".into()), ..StoreConfig::default() },
        status_sync: StatusSyncConfig::default(),
    }
}

/// A configuration that points every partner at running simulators with their credentials.
pub fn partner_simulator_config(simulators: &Simulators) -> PartnersConfig {
    let credentials = simulators.credentials();
    PartnersConfig {
        baris: BarisConfig {
            base_url: simulators.url(System::Baris),
            institution: credentials.institution.clone(),
            username: credentials.baris_username.clone(),
            password: SecretString::from(credentials.baris_password.clone()),
            transport: TransportConfig::default(),
        },
        bridzis: BridzisConfig {
            base_url: simulators.url(System::Bridzis),
            api_key: SecretString::from(credentials.bridzis_api_key.clone()),
            transport: TransportConfig::default(),
        },
        nino: NinoConfig {
            base_url: simulators.url(System::Nino),
            token_url: None,
            oauth: OAuthConfig {
                client_id: credentials.client_id.clone(),
                client_key_file: None,
                client_key_pem: Some(SecretString::from(credentials.client_key_pem.clone())),
                key_id: None,
                scope: None,
            },
            transport: TransportConfig::default(),
        },
        spolis: SpolisMonitoringConfig {
            base_url: simulators.url(System::Spolis),
            institution: credentials.institution.clone(),
            municipality_code: credentials.municipality_code.clone(),
            username: credentials.spolis_monitoring_username.clone(),
            password: SecretString::from(credentials.spolis_monitoring_password.clone()),
            transport: TransportConfig::default(),
        },
    }
}

/// The same configuration as [`simulator_config`] (registries and partners), as TOML for a
/// `gateway` process: `gateway simulate --write-config` writes it, and the process tests run
/// against it. The client key is referred to by `client_key_file`.
pub fn simulator_config_toml(simulators: &Simulators, client_key_file: &std::path::Path) -> String {
    let c = simulators.credentials();
    let url = |system| simulators.url(system);
    let key = client_key_file.display();
    format!(
        r#"# Points every registry and partner at the simulators `gateway simulate` started.

[registries.pmlp]
base_url = "{pmlp}"
permission = "{permission}"
[registries.pmlp.oauth]
client_id = "{client_id}"
client_key_file = "{key}"

[registries.vsaa]
base_url = "{vsaa}"
institution = "{institution}"
username = "{vsaa_username}"
password = "{vsaa_password}"

[registries.nva]
base_url = "{nva}"
[registries.nva.oauth]
client_id = "{client_id}"
client_key_file = "{key}"

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
client_key_file = "{key}"

[registries.spolis_cofinancing]
base_url = "{spolis}"
[registries.spolis_cofinancing.oauth]
client_id = "{client_id}"
client_key_file = "{key}"

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
client_key_file = "{key}"

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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use gateway_mocks::Population;

    use super::*;

    #[tokio::test]
    async fn the_simulator_configuration_file_loads_and_names_every_simulator() {
        let simulators = Simulators::start_all(Arc::new(Population::generate(1, 50))).await;
        let dir = std::env::temp_dir().join(format!("gateway-sim-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sim.toml");
        let key = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("mocks/keys/simulated-client.key.pem");
        std::fs::write(&path, simulator_config_toml(&simulators, &key)).unwrap();
        let config = Config::load(&path).expect("the written configuration loads");
        assert_eq!(config.registries.land_registry.base_url, simulators.url(System::LandRegistry));
        assert_eq!(config.partners.expect("partners").nino.base_url, simulators.url(System::Nino));
        let text = std::fs::read_to_string(&path).unwrap();
        for system in System::ALL {
            assert!(text.contains(&simulators.url(*system)), "{system} is named");
        }
        Registries::build(&config.registries).expect("every registry client builds");
    }
}
