//! LAD, the Rural Support Service: the agricultural and rural support it paid a farmer, by
//! month and scheme (the single area payment or its successor, redistributive and young
//! farmers' support, less-favoured areas, organic farming, ...). Each payment is the person's
//! income for the month it was paid in, named by its scheme, and counts in the means test.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like UGFA: one JSON call answers a person's payments for a range of months.
//! Contract: `schemas/lad/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::LadClient;
pub use config::LadConfig;

#[cfg(test)]
mod tests;
