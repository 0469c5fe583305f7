//! Simulators of LM SPOLIS, the Welfare Ministry's social policy monitoring system. One
//! simulator server answers both directions, each contract under its own path prefix:
//! co-financing confirmations the gateway reads under `/spolis/cofinancing/` (`cofinancing`) and
//! monitoring records the gateway submits under `/spolis/monitoring/` (`monitoring`).

pub(crate) mod cofinancing;
pub(crate) mod monitoring;

use cofinancing::SpolisCoFinancingSimulator;
use monitoring::SpolisMonitoringSimulator;

use crate::credentials::SimulatorCredentials;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// Both SPOLIS contracts on one server.
pub(crate) struct SpolisSimulator;

impl Simulator for SpolisSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let cofinancing = SpolisCoFinancingSimulator::new(on.population(), on.credentials, on.url);
        on.serve_under(cofinancing::PATH_PREFIX, cofinancing, cofinancing::SAMPLE).await;
        let monitoring = SpolisMonitoringSimulator::new(on.population(), on.credentials);
        let ledger = monitoring.ledger();
        on.serve_under(monitoring::PATH_PREFIX, monitoring, monitoring::SAMPLE).await;
        Handle::Partner(ledger)
    }

    /// The co-financing registry the gateway reads, and the monitoring partner it delivers to.
    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        let registry = Table::new("registries.spolis_cofinancing", url).with_oauth(credentials);
        let partner = Table::new("partners.spolis", url)
            .service_account(
                credentials,
                &credentials.spolis_monitoring_username,
                &credentials.spolis_monitoring_password,
            )
            .value("municipality_code", &credentials.municipality_code)
            .finish();
        format!("{registry}\n{partner}")
    }
}
