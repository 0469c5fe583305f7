//! One adapter per external registry, over a shared transport (`transport/`). Each adapter
//! folder holds the same files: `mod.rs` (which system, which protocol, which schema),
//! `config.rs`, `wire.rs` (private wire types), `client.rs`, `mapping.rs` (the only place that
//! builds domain types) and `tests.rs`. This file is the explicit list of systems.
#![forbid(unsafe_code)]

use std::sync::Arc;

use gateway_domain::{PersonSource, PopulationRegister, System};
use serde::Deserialize;

pub mod baris;
pub mod bridzis;
pub mod nino;
pub mod pmlp;
pub mod spolis;
pub mod transport;
pub mod vsaa;

#[cfg(test)]
mod compliance;
#[cfg(test)]
mod sink_compliance;

pub use transport::TransportError;

/// Settings of every registry, one section per system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistriesConfig {
    pub pmlp: pmlp::PmlpConfig,
    pub vsaa: vsaa::VsaaConfig,
}

/// The registries the income check asks, built from their settings.
#[derive(Clone)]
pub struct Registries {
    /// Who a person is and who lives with them.
    pub population: Arc<dyn PopulationRegister>,
    /// Every system that reports facts about one person (incomes, statuses, assets).
    pub person_sources: Vec<Arc<dyn PersonSource>>,
    /// Each system's circuit breaker, for `/readyz`.
    pub breakers: Vec<(System, transport::resilience::Breaker)>,
}

impl Registries {
    pub fn build(config: &RegistriesConfig) -> Result<Self, TransportError> {
        let pmlp = pmlp::PmlpClient::new(&config.pmlp)?;
        let vsaa = vsaa::VsaaClient::new(&config.vsaa)?;
        Ok(Self {
            breakers: vec![(System::Pmlp, pmlp.breaker()), (System::Vsaa, vsaa.breaker())],
            population: Arc::new(pmlp),
            person_sources: vec![Arc::new(vsaa)],
        })
    }
}
