//! Simulators of the external registries the gateway talks to, and the synthetic population
//! of Tukums county they serve.
//!
//! [`Simulators::start_all`] starts one simulator per [`System`](gateway_domain::System) over
//! a [`Population`]; each speaks its registry's wire contract from `schemas/<system>/`, built
//! from the schema and not from the adapters, so that a round trip really tests an adapter.
#![forbid(unsafe_code)]

mod aldis;
mod baris;
mod bridzis;
mod cadastre;
mod credentials;
mod csdd;
mod deliveries;
mod digisoc;
pub mod faults;
mod jpa;
mod kim;
mod lad;
mod land_registry;
mod nino;
mod npais;
mod nva;
mod pmlp;
pub mod population;
mod rest;
mod simulators;
mod soap;
mod spolis;
mod ugfa;
mod ur;
mod vdeavk;
mod vid;
mod viis;
mod vsaa;
mod vtua;

#[cfg(test)]
mod partner_suite;
#[cfg(test)]
mod test_support;

pub use credentials::SimulatorCredentials;
pub use digisoc::DigisocDesk;
pub use faults::{FaultConfig, FaultStatus, Faults, LastRequestIds};
pub use kim::KimDesk;
pub use population::{
    HOME_MUNICIPALITY, KitEntitlement, Population, REFERENCE_DATE, SyntheticHousehold, SyntheticPerson, TUKUMS_PERSONS,
    TrueAsset, TrueCoFinancing, TrueHolding, TrueIncome, TrueKitIssue, TrueProperty, TrueStatus, TrueVehicle,
};
pub use simulators::Simulators;
