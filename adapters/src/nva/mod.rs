//! NVA, the State Employment Agency: whether a person is registered unemployed or a job seeker
//! (with validity dates) and what NVA itself pays them by month (training stipends, the
//! public-works allowance). The unemployment benefit is VSAA's and comes from the VSAA adapter.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like PMLP: NVA's newer services are published through the API Manager, and one
//! JSON call answers both statuses and payments for a range of months. Contract:
//! `schemas/nva/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
pub mod notifications;
mod wire;

pub use client::NvaClient;
pub use config::NvaConfig;

#[cfg(test)]
mod tests;
