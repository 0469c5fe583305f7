//! UGFA, the Maintenance Guarantee Fund Administration: the maintenance the fund paid for a
//! child, by month, when the parent living apart does not pay it. The payments are the
//! child's income (the fund pays them for the child to the parent the child lives with), so
//! the adapter reports them under the person asked about, and a parent asked about has none.
//! They count in the means test.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like NVA: one JSON call answers a child's payments for a range of months.
//! Contract: `schemas/ugfa/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::UgfaClient;
pub use config::UgfaConfig;

#[cfg(test)]
mod tests;
