//! UR, the Register of Enterprises: the companies in which a person is a shareholder
//! ("dalībnieks", with the shares held of the company's shares) or a board member ("valdes
//! loceklis"), as the register records them now. They are assets, judged beside incomes and
//! never added to them.
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like UGFA: one JSON call answers all of a person's current roles.
//! Contract: `schemas/ur/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::UrClient;
pub use config::UrConfig;

#[cfg(test)]
mod tests;
