//! BRIDZIS, the municipal housing register: it learns of a household's needy or low-income
//! status, which decides housing priority. REST/JSON with an API key (`X-Api-Key`): BRIDZIS is
//! a municipal system on the municipality's own network, not behind the state API gateway or
//! its SOAP services, and one JSON resource per notice is its simplest contract. Every delivery
//! carries an `Idempotency-Key` header; BRIDZIS answers a key it accepted before with a
//! duplicate receipt. Contract: `schemas/bridzis/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::BridzisClient;
pub use config::BridzisConfig;

#[cfg(test)]
mod tests;
