//! CSDD, the Road Traffic Safety Directorate: the road vehicles registered to a person now,
//! as owner or as holder (a leased car's user), with their registration number, category,
//! make and year of manufacture. They are assets: the means test weighs them beside incomes.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like UGFA: one JSON call answers a person's vehicles.
//! Contract: `schemas/csdd/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::CsddClient;
pub use config::CsddConfig;

#[cfg(test)]
mod tests;
