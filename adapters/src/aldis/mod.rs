//! ALDIS, the protected-user data system of the energy supply: it learns which households the
//! municipality granted needy or low-income status, whose members are then protected users
//! (a lower price of electricity and gas). REST/JSON behind the state API gateway with OAuth2
//! client credentials (an RS256 client assertion), in the status-notification shape JPA also
//! takes (`crate::status_notification`): ALDIS is a state system whose services are published
//! through the API Manager. Every delivery carries an `Idempotency-Key` header; ALDIS answers
//! a key it registered before with `ALREADY_REGISTERED`. Contract: `schemas/aldis/` (see its
//! VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::{Aldis, AldisClient};
pub use config::AldisConfig;

#[cfg(test)]
mod tests;
