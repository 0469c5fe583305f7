//! SPOLIS monitoring: every needy or low-income status the social service grants, changes or
//! ends becomes a monitoring record for the Welfare Ministry (municipality, status, validity,
//! reporting month, person count and persons). SOAP 1.1 / XML with a WS-Security
//! UsernameToken: the record is a ministry-owned document every municipality must produce
//! identically, agreed as an XSD both sides validate against. Every record carries an
//! `IdempotencyKey` header block; SPOLIS answers a key it registered before with
//! `ALREADY_REGISTERED`. Contract: `schemas/spolis/monitoring/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::SpolisMonitoringClient;
pub use config::SpolisMonitoringConfig;

#[cfg(test)]
mod tests;
