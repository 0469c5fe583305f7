//! DigiSoc, the Welfare Ministry's service-provider platform: the social service sends it
//! referrals of clients to social service providers, and providers enter there what they
//! delivered (execution reports), which the gateway pulls. REST/JSON behind the state API
//! gateway with OAuth2 client credentials (an RS256 client assertion). Every referral version
//! carries an `Idempotency-Key` header; DigiSoc answers a key it accepted before with
//! `already_received`. Reports are read in pages after an opaque cursor, in the order DigiSoc
//! recorded them. Contract: `schemas/digisoc/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::DigisocClient;
pub use config::DigisocConfig;

#[cfg(test)]
mod tests;
