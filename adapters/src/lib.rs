//! One adapter per external registry, over a shared transport (`transport/`). Each adapter
//! folder holds the same files: `mod.rs` (which system, which protocol, which schema),
//! `config.rs`, `wire.rs` (private wire types), `client.rs`, `mapping.rs` (the only place that
//! builds domain types) and `tests.rs`. This file is the explicit list of systems: the
//! registries the income check asks, and the partners status decisions are delivered to.
#![forbid(unsafe_code)]

use std::sync::Arc;

use gateway_domain::{Cadastre, CoFinancingSource, PersonSource, PopulationRegister, StatusSink, System};
use serde::Deserialize;

pub mod baris;
pub mod bridzis;
pub mod cadastre;
pub mod land_registry;
pub mod nino;
pub mod nva;
pub mod pmlp;
pub mod spolis;
pub mod transport;
pub mod vdeavk;
pub mod vsaa;

#[cfg(test)]
mod compliance;
#[cfg(test)]
mod sink_compliance;
#[cfg(test)]
mod soap_sink_compliance;

pub use transport::TransportError;

use spolis::monitoring::SpolisMonitoringClient;

/// Settings of every registry, one section per system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistriesConfig {
    pub pmlp: pmlp::PmlpConfig,
    pub vsaa: vsaa::VsaaConfig,
    pub nva: nva::NvaConfig,
    pub vdeavk: vdeavk::VdeavkConfig,
    pub land_registry: land_registry::LandRegistryConfig,
    pub cadastre: cadastre::CadastreConfig,
    pub spolis_cofinancing: spolis::cofinancing::SpolisCoFinancingConfig,
}

/// The registries the income check asks, built from their settings.
#[derive(Clone)]
pub struct Registries {
    /// Who a person is and who lives with them.
    pub population: Arc<dyn PopulationRegister>,
    /// Every system that reports facts about one person (incomes, statuses, assets).
    pub person_sources: Vec<Arc<dyn PersonSource>>,
    /// The cadastre, asked for the properties the Land Registry names.
    pub cadastre: Arc<dyn Cadastre>,
    /// SPOLIS's confirmations of the state's co-financing of benefits paid.
    pub cofinancing: Arc<dyn CoFinancingSource>,
    /// Each system's circuit breaker, for `/readyz`.
    pub breakers: Vec<(System, transport::resilience::Breaker)>,
}

impl Registries {
    pub fn build(config: &RegistriesConfig) -> Result<Self, TransportError> {
        let pmlp = pmlp::PmlpClient::new(&config.pmlp)?;
        let vsaa = vsaa::VsaaClient::new(&config.vsaa)?;
        let nva = nva::NvaClient::new(&config.nva)?;
        let vdeavk = vdeavk::VdeavkClient::new(&config.vdeavk)?;
        let land_registry = land_registry::LandRegistryClient::new(&config.land_registry)?;
        let cadastre = cadastre::CadastreClient::new(&config.cadastre)?;
        let cofinancing = spolis::cofinancing::SpolisCoFinancingClient::new(&config.spolis_cofinancing)?;
        Ok(Self {
            breakers: vec![
                (System::Pmlp, pmlp.breaker()),
                (System::Vsaa, vsaa.breaker()),
                (System::Nva, nva.breaker()),
                (System::Vdeavk, vdeavk.breaker()),
                (System::LandRegistry, land_registry.breaker()),
                (System::Cadastre, cadastre.breaker()),
                (System::Spolis, cofinancing.breaker()),
            ],
            population: Arc::new(pmlp),
            person_sources: vec![Arc::new(vsaa), Arc::new(nva), Arc::new(vdeavk), Arc::new(land_registry)],
            cadastre: Arc::new(cadastre),
            cofinancing: Arc::new(cofinancing),
        })
    }
}

/// Settings of every partner that must learn of status decisions, one section per system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnersConfig {
    /// The orphans' court information system (SOAP).
    pub baris: baris::BarisConfig,
    /// The municipal housing register (REST).
    pub bridzis: bridzis::BridzisConfig,
    /// The real-estate tax administration (REST).
    pub nino: nino::NinoConfig,
    /// The Welfare Ministry's monitoring records (SOAP); `[partners.spolis]` in the file.
    pub spolis: spolis::monitoring::SpolisMonitoringConfig,
}

/// The partners status decisions are delivered to, built from their settings.
#[derive(Clone)]
pub struct Partners {
    /// One sink per partner, in a fixed order; each names its system.
    pub sinks: Vec<Arc<dyn StatusSink>>,
    /// Each partner's circuit breaker, for `/readyz`.
    pub breakers: Vec<(System, transport::resilience::Breaker)>,
}

impl Partners {
    /// One sink per partner. Deliveries are writes: the transport never repeats them, the
    /// outbox does, with the same idempotency key.
    pub fn build(config: &PartnersConfig) -> Result<Self, TransportError> {
        Ok(Self::from_parts(vec![
            partner(baris::BarisClient::new(&config.baris)?, baris::BarisClient::breaker),
            partner(bridzis::BridzisClient::new(&config.bridzis)?, bridzis::BridzisClient::breaker),
            partner(nino::NinoClient::new(&config.nino)?, nino::NinoClient::breaker),
            partner(SpolisMonitoringClient::new(&config.spolis)?, SpolisMonitoringClient::breaker),
        ]))
    }

    /// The sink of one partner, if it is configured.
    pub fn sink(&self, system: System) -> Option<Arc<dyn StatusSink>> {
        self.sinks.iter().find(|sink| sink.system() == system).cloned()
    }

    fn from_parts(parts: Vec<(Arc<dyn StatusSink>, transport::resilience::Breaker)>) -> Self {
        let breakers = parts.iter().map(|(sink, breaker)| (sink.system(), breaker.clone())).collect();
        Self { sinks: parts.into_iter().map(|(sink, _)| sink).collect(), breakers }
    }
}

fn partner<S: StatusSink + 'static>(
    sink: S,
    breaker: fn(&S) -> transport::resilience::Breaker,
) -> (Arc<dyn StatusSink>, transport::resilience::Breaker) {
    let breaker = breaker(&sink);
    (Arc::new(sink), breaker)
}
