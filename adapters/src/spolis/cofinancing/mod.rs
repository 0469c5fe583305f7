//! SPOLIS co-financing: for a municipality and a month, the confirmations of what the state
//! co-finances (30 %) of the guaranteed minimum income benefit and the housing benefit the
//! municipality paid, with the households paid and the amounts.
//!
//! REST/JSON with OAuth2 client credentials and an RS256 client assertion, like PMLP and NVA:
//! SPOLIS is a newer web system of the ministry, a statement for a municipality and month is a
//! resource one GET reads (it names no person, so its key may travel in the URL), and the
//! ministry's API authorises institutions the same way as the state API gateway. Amounts are
//! decimal strings in euro, parsed exactly into cents. Contract: `schemas/spolis/cofinancing/`
//! (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::SpolisCoFinancingClient;
pub use config::SpolisCoFinancingConfig;

#[cfg(test)]
mod tests;
