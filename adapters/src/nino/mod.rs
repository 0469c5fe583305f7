//! NINO, the real-estate tax administration: it learns of a household's needy or low-income
//! status, which entitles its members to tax relief. REST/JSON behind an API gateway with OAuth2
//! client credentials (an RS256 client assertion, as the state API gateway asks for): a tax
//! system that only records the status needs no more than one JSON resource per status. Every
//! delivery carries an `Idempotency-Key` header; NINO answers a key it accepted before with
//! `already_received`. Contract: `schemas/nino/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::NinoClient;
pub use config::NinoConfig;

#[cfg(test)]
mod tests;
