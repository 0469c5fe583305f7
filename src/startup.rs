//! Wires configuration into a running service; used by `main` and by the tests.

use std::net::SocketAddr;

use axum::Router;
use gateway_adapters::transport::{OAuthConfig, TransportConfig};
use gateway_adapters::{
    Registries, RegistriesConfig, cadastre::CadastreConfig, land_registry::LandRegistryConfig, nva::NvaConfig,
    pmlp::PmlpConfig, spolis::cofinancing::SpolisCoFinancingConfig, vdeavk::VdeavkConfig, vsaa::VsaaConfig,
};
use gateway_domain::System;
use gateway_mocks::Simulators;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::api::{self, AppState};
use crate::config::{Config, IncomeCheckConfig, ServerConfig};
use crate::income_check::IncomeCheck;

/// Builds the API from the configuration.
pub fn build_app(config: &Config) -> anyhow::Result<Router> {
    let registries = Registries::build(&config.registries)?;
    let state = AppState {
        breakers: registries.breakers.clone(),
        cofinancing: registries.cofinancing.clone(),
        income_check: IncomeCheck::new(registries),
        deadline: config.income_check.deadline(),
    };
    Ok(api::router(state).layer(TraceLayer::new_for_http()))
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

/// Binds and serves the API in the background until the process ends.
pub async fn spawn_server(config: &Config) -> anyhow::Result<Server> {
    let router = build_app(config)?;
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
    Config { server: ServerConfig { bind }, income_check, registries }
}
