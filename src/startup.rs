//! Wires configuration into a running service; used by `main` and by the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
#[cfg(feature = "simulators")]
use gateway_adapters::PartnersConfig;
use gateway_adapters::{Partners, Registries};
#[cfg(feature = "simulators")]
use gateway_mocks::Simulators;
use tokio::net::TcpListener;

use crate::api::edge::EdgeLimits;
use crate::api::{self, ApiLimits, AppState, DecisionIntake};
use crate::assessment::Rules;
use crate::audit::AuditLog;
use crate::auth::KeySet;
use crate::config::Config;
#[cfg(feature = "simulators")]
use crate::config::{IncomeCheckConfig, ServerConfig};
use crate::income_check::IncomeCheck;
use crate::metrics::Metrics;
use crate::providers::ProviderRules;
use crate::purposes::Profiles;
use crate::signing::Signer;
use crate::status_sync::case_system::CaseSystemPush;
use crate::status_sync::{ReportPull, StatusSync, SyncHistory};
use crate::store::Store;
#[cfg(feature = "simulators")]
use crate::store::StoreConfig;

/// Builds the API from the configuration, on an opened store.
pub async fn build_app(config: &Config, store: Store, partners: &Partners) -> anyhow::Result<Router> {
    build_app_observed(config, store, partners, Metrics::default(), SyncHistory::default()).await
}

/// [`build_app`], counting in `metrics` and showing the sync runs `syncs` keeps (`/metrics`,
/// the console), which a status sync in the same process shares.
pub async fn build_app_observed(
    config: &Config,
    store: Store,
    partners: &Partners,
    metrics: Metrics,
    syncs: SyncHistory,
) -> anyhow::Result<Router> {
    let registries = Registries::build(&config.registries)?;
    let keys = match &config.auth {
        Some(auth) => {
            let keys = KeySet::load(auth).await?;
            keys.spawn_refresh();
            keys
        }
        None => {
            tracing::warn!("No [auth] section: every route but the health probes answers 401.");
            KeySet::none()
        }
    };
    let income_check = IncomeCheck::metered(registries, metrics.clone());
    let state = AppState {
        breakers: income_check.registries().breakers.clone(),
        partner_breakers: partners.breakers.clone(),
        food_aid_kits: partners.kits.clone(),
        cofinancing: income_check.registries().cofinancing.clone(),
        income_check,
        metrics,
        syncs,
        served_over_tls: config.server.tls.is_some(),
        rules: Arc::new(Rules::load(config.assessment.rules_file.as_deref())?),
        audit: AuditLog::start(store.clone(), config.audit.key().map_err(anyhow::Error::msg)?),
        signer: Arc::new(Signer::from_config(&config.signing)?),
        purposes: Arc::new(Profiles::new(config.purposes.as_ref())),
        provider_rules: Arc::new(ProviderRules::load(config.providers.rules_file.as_deref())?),
        deadline: config.income_check.deadline(),
        decisions: DecisionIntake { store, partners: config.status_sync.partner_systems() },
    };
    let limits = ApiLimits {
        edge: EdgeLimits {
            max_uri_bytes: config.server.max_uri_bytes,
            request_timeout: config.server.request_timeout(),
        },
        max_body_bytes: config.server.max_body_bytes,
        per_caller: (config.server.per_caller_per_second, config.server.per_caller_burst),
    };
    // No tower-http trace layer around it: the edge writes each request's lines inside the
    // request's span (its id), and never the query, which may name a person.
    Ok(api::router(state, keys, limits))
}

/// The partners' adapters configured under `[partners]`, with their breakers. Partners without
/// one have no sink; their decisions wait in the outbox and each run reports them.
pub fn build_partners(config: &Config) -> anyhow::Result<Partners> {
    Ok(match partner_settings(config) {
        Some(partners) => Partners::build(&partners)?,
        None => Partners::default(),
    })
}

/// The partners' settings as they are built: a partner's transport quota is raised to its
/// `[status_sync.partners]` quota where it is lower. That quota, counted in the store for all
/// instances together, is what the partner allows; the transport's own token bucket (50 a second
/// unless set) must not hold the outbox below it.
pub fn partner_settings(config: &Config) -> Option<gateway_adapters::PartnersConfig> {
    let mut partners = config.partners.clone()?;
    for (system, transport) in partners.transports_mut() {
        if let Some(sync) = config.status_sync.partners.get(&system) {
            transport.quota.per_second = transport.quota.per_second.max(sync.per_second);
        }
    }
    Some(partners)
}

/// Builds the sync over the partners' sinks and referral channel on an opened store.
pub fn build_status_sync(config: &Config, store: Store, partners: &Partners) -> anyhow::Result<StatusSync> {
    let audit = AuditLog::start(store.clone(), config.audit.key().map_err(anyhow::Error::msg)?);
    let mut sync = StatusSync::new(store, partners.sinks.clone(), config.status_sync.clone())
        .with_audit(audit)
        .with_breakers(partners.breakers.clone());
    if let Some(channel) = &partners.referrals {
        sync = sync.with_referrals(channel.clone()).with_report_pull(ReportPull {
            channel: channel.clone(),
            page_size: config.providers.page_size,
            page_timeout: std::time::Duration::from_millis(config.providers.page_timeout_ms),
        });
    }
    Ok(match &config.case_system {
        Some(case_system) => sync.with_case_system(CaseSystemPush::new(case_system.clone())?),
        None => sync,
    })
}

/// A running API server.
pub struct Server {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Cancel it to stop the server gracefully: no new connections, the requests in flight
    /// answered, then `task` ends.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// What its `/metrics` and console report.
    pub metrics: Metrics,
    /// The sync runs its console shows.
    pub syncs: SyncHistory,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `sync`, counting in this server's metrics and keeping its reports for its console.
    pub fn observe(&self, sync: StatusSync) -> StatusSync {
        sync.with_metrics(self.metrics.clone()).with_history(self.syncs.clone())
    }
}

/// Opens the store (creating it on first start) and binds and serves the API in the
/// background until the process ends, with the partners the configuration names (their
/// breakers in `/readyz`, KIM's kits read back).
pub async fn spawn_server(config: &Config) -> anyhow::Result<Server> {
    let store = Store::create(&config.store).await?;
    spawn_server_on(config, store, &build_partners(config)?).await
}

/// Binds and serves the API over `store` in the background until the process ends;
/// `/readyz` reports the partners' breakers beside the registries' own, and
/// `/v1/food-aid-kits` reads KIM when `partners` has it.
pub async fn spawn_server_on(config: &Config, store: Store, partners: &Partners) -> anyhow::Result<Server> {
    let (metrics, syncs) = (Metrics::default(), SyncHistory::default());
    let router = build_app_observed(config, store, partners, metrics.clone(), syncs.clone()).await?;
    let listener = TcpListener::bind(config.server.bind).await?;
    let addr = listener.local_addr()?;
    let tls = config.server.tls.as_ref().map(crate::tls::TlsConfig::acceptor).transpose()?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(crate::server::serve(listener, router, config.server.clone(), tls, shutdown.clone()));
    Ok(Server { addr, task, shutdown, metrics, syncs })
}

#[cfg(feature = "simulators")]
/// A configuration that points every registry and partner at running simulators with their
/// credentials: [`simulator_config_toml`] read back, with the API on `bind` and decisions kept
/// in memory.
pub fn simulator_config(simulators: &Simulators, bind: SocketAddr, income_check: IncomeCheckConfig) -> Config {
    let mut config = Config::from_toml(&simulator_config_toml(simulators))
        // The text is built from the simulators' own values; failing to read it back is a bug here.
        .expect("the simulator configuration is valid");
    config.server = ServerConfig::on(bind);
    config.income_check = income_check;
    config.store = StoreConfig { url: Some("sqlite::memory:".into()), ..StoreConfig::default() };
    config
}

#[cfg(feature = "simulators")]
/// The partners' part of [`simulator_config`].
pub fn partner_simulator_config(simulators: &Simulators) -> PartnersConfig {
    let bind = SocketAddr::from(([127, 0, 0, 1], 0));
    simulator_config(simulators, bind, IncomeCheckConfig::default()).partners.expect("the partners are configured")
}

#[cfg(feature = "simulators")]
/// Every registry and partner at the simulators, as TOML: `gateway simulate --write-config`
/// writes it, the process tests run against it and [`simulator_config`] reads it. Each
/// simulator writes its own sections, with its URL and credentials (the client key is the
/// simulators' synthetic one, given inline).
pub fn simulator_config_toml(simulators: &Simulators) -> String {
    format!(
        "# Points every registry and partner at the simulators `gateway simulate` started.\n\n{}",
        simulators.config_toml()
    )
}

#[cfg(all(test, feature = "simulators"))]
mod tests {
    use std::sync::Arc;

    use gateway_domain::System;
    use gateway_mocks::Population;

    use super::*;

    #[tokio::test]
    async fn the_simulator_configuration_file_loads_and_names_every_simulator() {
        let simulators = Simulators::start_all(Arc::new(Population::generate(1, 50))).await;
        let dir = std::env::temp_dir().join(format!("gateway-sim-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sim.toml");
        std::fs::write(&path, simulator_config_toml(&simulators)).unwrap();
        let config = Config::load(&path).expect("the written configuration loads");
        assert_eq!(config.registries.land_registry.base_url, simulators.url(System::LandRegistry));
        assert_eq!(config.partners.expect("partners").nino.base_url, simulators.url(System::Nino));
        let text = std::fs::read_to_string(&path).unwrap();
        for system in System::ALL {
            assert!(text.contains(&simulators.url(*system)), "{system} is named");
        }
        Registries::build(&config.registries).expect("every registry client builds");
    }

    #[tokio::test]
    async fn a_partners_transport_quota_is_raised_to_what_the_outbox_may_send() {
        let simulators = Simulators::start_all(Arc::new(Population::generate(1, 50))).await;
        let mut config = simulator_config(&simulators, "127.0.0.1:0".parse().unwrap(), Default::default());
        let nino = config.status_sync.partners.get_mut(&System::Nino).expect("NINO is synced");
        nino.per_second = 2_000;
        let bridzis = config.status_sync.partners.get_mut(&System::Bridzis).expect("BRIDZIS is synced");
        bridzis.per_second = 5;
        let transports = |config: &Config| {
            let mut partners = partner_settings(config).expect("partners");
            partners.transports_mut().into_iter().map(|(system, t)| (system, t.quota.per_second)).collect::<Vec<_>>()
        };
        let quotas = transports(&config);
        let of = |system| quotas.iter().find(|(s, _)| *s == system).map(|(_, q)| *q);
        assert_eq!(of(System::Nino), Some(2_000), "raised to the outbox's quota");
        assert_eq!(of(System::Bridzis), Some(50), "a higher transport quota stays");
    }
}
