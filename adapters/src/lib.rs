//! One adapter per external registry, over a shared transport (`transport/`). Each adapter
//! folder holds the same files: `mod.rs` (which system, which protocol, which schema),
//! `config.rs`, `wire.rs` (private wire types), `client.rs`, `mapping.rs` (the only place that
//! builds domain types) and `tests.rs`. This file is the explicit list of systems.
#![forbid(unsafe_code)]

use std::sync::Arc;

use gateway_domain::{Cadastre, CoFinancingSource, PersonSource, PopulationRegister, System};
use serde::Deserialize;

pub mod cadastre;
pub mod land_registry;
pub mod nva;
pub mod pmlp;
pub mod spolis;
pub mod transport;
pub mod vdeavk;
pub mod vsaa;

#[cfg(test)]
mod compliance;

pub use transport::TransportError;

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
