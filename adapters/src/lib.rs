//! One adapter per external registry, over a shared transport (`transport/`). Each adapter
//! folder holds the same files: `mod.rs` (which system, which protocol, which schema),
//! `config.rs`, `wire.rs` (private wire types), `client.rs` (which also says, in its
//! [`Adapter`] impl, what the gateway uses it for), `mapping.rs` (the only place that builds
//! domain types) and `tests.rs`. This file holds the two lists of adapters, one line each: the
//! registries the income check asks, and the partners the gateway delivers to (status
//! decisions, and referrals to DigiSoc).
#![forbid(unsafe_code)]

use std::sync::Arc;

use gateway_domain::{
    Cadastre, CoFinancingSource, FoodAidKits, PersonSource, PopulationRegister, ReferralChannel, StatusSink, System,
};

pub mod adapter;
pub mod aldis;
mod answer;
pub mod baris;
pub mod bridzis;
pub mod cadastre;
pub mod csdd;
pub mod digisoc;
pub mod jpa;
pub mod kim;
pub mod lad;
pub mod land_registry;
pub mod nino;
pub mod npais;
pub mod nva;
pub mod pmlp;
pub mod spolis;
pub mod status_notification;
pub mod transport;
pub mod ugfa;
pub mod ur;
pub mod vdeavk;
pub mod vid;
pub mod viis;
pub mod vsaa;
pub mod vtua;

#[cfg(test)]
mod compliance;
#[cfg(test)]
mod rest_sink_compliance;
#[cfg(test)]
mod sink_compliance;
#[cfg(test)]
mod soap_sink_compliance;

pub use adapter::{Adapter, Built, Role};
pub use transport::TransportError;

use adapter::adapter_list;
use transport::resilience::Breaker;

adapter_list! {
    /// Settings of every registry, one section per adapter: `[registries.<field>]`.
    pub struct RegistriesConfig {
        pmlp: pmlp::PmlpClient,
        vsaa: vsaa::VsaaClient,
        nva: nva::NvaClient,
        ugfa: ugfa::UgfaClient,
        lad: lad::LadClient,
        vdeavk: vdeavk::VdeavkClient,
        land_registry: land_registry::LandRegistryClient,
        cadastre: cadastre::CadastreClient,
        spolis_cofinancing: spolis::cofinancing::SpolisCoFinancingClient,
        ur: ur::UrClient,
        vid: vid::VidClient,
        csdd: csdd::CsddClient,
        vtua: vtua::VtuaClient,
        viis: viis::ViisClient,
        npais: npais::NpaisClient,
    }
}

adapter_list! {
    /// Settings of every partner the gateway delivers to (status decisions, referrals), one
    /// section per adapter: `[partners.<field>]`.
    pub struct PartnersConfig {
        baris: baris::BarisClient,
        bridzis: bridzis::BridzisClient,
        nino: nino::NinoClient,
        spolis: spolis::monitoring::SpolisMonitoringClient,
        jpa: jpa::JpaClient,
        digisoc: digisoc::DigisocClient,
        aldis: aldis::AldisClient,
        nva: nva::notifications::NvaNotificationsClient,
        kim: kim::KimClient,
    }
}

/// The registries the income check asks, built from their settings.
#[derive(Clone)]
pub struct Registries {
    /// Who a person is and who lives with them.
    pub population: Arc<dyn PopulationRegister>,
    /// Every system that reports incomes or statuses of one person.
    pub person_sources: Vec<Arc<dyn PersonSource>>,
    /// Every system that reports what one person owns; the cadastre is asked about each
    /// property they name.
    pub ownership_sources: Vec<Arc<dyn PersonSource>>,
    /// The cadastre, asked for the properties the sources of ownerships name.
    pub cadastre: Arc<dyn Cadastre>,
    /// SPOLIS's confirmations of the state's co-financing of benefits paid.
    pub cofinancing: Arc<dyn CoFinancingSource>,
    /// Each system's circuit breaker, for `/readyz`.
    pub breakers: Vec<(System, Breaker)>,
}

impl Registries {
    pub fn build(config: &RegistriesConfig) -> Result<Self, TransportError> {
        let (mut population, mut cadastre, mut cofinancing) = (None, None, None);
        let (mut person_sources, mut ownership_sources, mut breakers) = (Vec::new(), Vec::new(), Vec::new());
        for built in config.build_all()? {
            breakers.push((built.system, built.breaker));
            match built.role {
                Role::Population(register) => population = Some(register),
                Role::Person(source) => person_sources.push(source),
                Role::Ownerships(source) => ownership_sources.push(source),
                Role::Cadastre(register) => cadastre = Some(register),
                Role::CoFinancing(source) => cofinancing = Some(source),
                role @ (Role::Partner(_) | Role::Referrals(_) | Role::FoodAid { .. }) => {
                    return Err(TransportError::Misplaced { system: built.system, role: role.name() });
                }
            }
        }
        Ok(Self {
            population: population.ok_or(TransportError::Unlisted("population register"))?,
            person_sources,
            ownership_sources,
            cadastre: cadastre.ok_or(TransportError::Unlisted("cadastre"))?,
            cofinancing: cofinancing.ok_or(TransportError::Unlisted("co-financing source"))?,
            breakers,
        })
    }
}

/// The partners the gateway delivers to, built from their settings.
#[derive(Clone, Default)]
pub struct Partners {
    /// One sink per partner of status decisions, in the list's order; each names its system.
    pub sinks: Vec<Arc<dyn StatusSink>>,
    /// The service-provider platform (DigiSoc) referrals go to and execution reports come
    /// from, when the list has one.
    pub referrals: Option<Arc<dyn ReferralChannel>>,
    /// The food-aid kit module (KIM), which also reports the kits issued, when the list has it.
    pub kits: Option<Arc<dyn FoodAidKits>>,
    /// Each partner's circuit breaker, for `/readyz`.
    pub breakers: Vec<(System, Breaker)>,
}

impl Partners {
    /// One sink per partner of status decisions, and the referral channel. Deliveries are
    /// writes: the transport never repeats them, the outbox does, with the same idempotency key.
    pub fn build(config: &PartnersConfig) -> Result<Self, TransportError> {
        let mut partners = Partners::default();
        for built in config.build_all()? {
            match built.role {
                Role::Partner(sink) => partners.sinks.push(sink),
                Role::Referrals(channel) => partners.referrals = Some(channel),
                Role::FoodAid { sink, kits } => {
                    partners.sinks.push(sink);
                    partners.kits = Some(kits);
                }
                role => return Err(TransportError::Misplaced { system: built.system, role: role.name() }),
            }
            partners.breakers.push((built.system, built.breaker));
        }
        Ok(partners)
    }

    /// The sink of one partner, if it is configured.
    pub fn sink(&self, system: System) -> Option<Arc<dyn StatusSink>> {
        self.sinks.iter().find(|sink| sink.system() == system).cloned()
    }
}
