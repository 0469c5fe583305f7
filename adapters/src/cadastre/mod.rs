//! The VZD cadastre, kept by the State Land Service: a property by its cadastral number, with
//! its kind (land, building, apartment), area and cadastral value. The income check asks it for
//! every property the Land Registry names and values each owner's share.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like PMLP and NVA: VZD publishes cadastre data through the API Manager, a
//! property is a resource addressed by its cadastral number (which names no person, so it may
//! travel in the URL), and one GET answers it. The cadastral value travels as a decimal string
//! in euro and is parsed exactly into cents. Contract: `schemas/cadastre/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::CadastreClient;
pub use config::CadastreConfig;

#[cfg(test)]
mod tests;
