//! PMLP, the Population Register (Register of Natural Persons), as published through DAGR:
//! REST/JSON behind the state API gateway, OAuth2 client credentials with an RS256 client
//! assertion and an `X-DAGR-Permission` header. Contract: `schemas/pmlp/` (see its VERSION.md).
//! Gives who a person is, their declared address and who else is declared there.

mod client;
mod config;
mod mapping;
mod wire;

pub use client::PmlpClient;
pub use config::PmlpConfig;

#[cfg(test)]
mod tests;
