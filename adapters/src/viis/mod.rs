//! VIIS, the State Education Information System: a person's enrolments in education (the
//! institution, the level of the programme and whether the studies are full-time), each with
//! its first and last day. An enrolment is a status of the person asked about; the income
//! check reports it beside their incomes, for the caseworker to weigh (a full-time learner of
//! working age, a stipend that does not count).
//!
//! REST/JSON behind the state API gateway with OAuth2 client credentials and an RS256 client
//! assertion, like UGFA: one JSON call answers a person's enrolments over a range of days.
//! Contract: `schemas/viis/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::ViisClient;
pub use config::ViisConfig;

#[cfg(test)]
mod tests;
