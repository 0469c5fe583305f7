//! KIM, the kit module of the EU food and basic material aid programme: it learns of a
//! household's needy or low-income status, which entitles it to food and basic material kits
//! from the programme's partner organisations, and reports the kits they issued. REST/JSON
//! behind the state API gateway with OAuth2 client credentials: status notifications in the
//! shape JPA also takes (`crate::status_notification`), with an `Idempotency-Key`, and the
//! kits issued in a month read back page by page. Contract: `schemas/kim/` (see its
//! VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::KimClient;
pub use config::KimConfig;

#[cfg(test)]
mod tests;
