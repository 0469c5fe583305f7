//! JPA, the Legal Aid Administration: it learns of a household's needy or low-income status,
//! which entitles its members to state-ensured legal aid. REST/JSON behind the state API
//! gateway with OAuth2 client credentials (an RS256 client assertion), as NINO: JPA is a state
//! institution whose services are published through the API Manager, and one JSON resource per
//! notification is its simplest contract. Every delivery carries an `Idempotency-Key` header;
//! JPA answers a key it registered before with `ALREADY_REGISTERED`. Contract: `schemas/jpa/`
//! (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::{Jpa, JpaClient};
pub use config::JpaConfig;

#[cfg(test)]
mod tests;
