//! NPAIS, the Minors' Support Information System: a minor's placements in out-of-family care
//! (with a foster family, with a guardian or in a childcare institution), each with its first
//! and last day and, for institutional care, the institution. A placement is a status of the
//! child asked about; the income check reports it beside their incomes, for the caseworker to
//! weigh (a child placed elsewhere is not kept by the household it is declared in).
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like UGFA: one JSON call answers a child's placements over a range of days.
//! Contract: `schemas/npais/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::NpaisClient;
pub use config::NpaisConfig;

#[cfg(test)]
mod tests;
