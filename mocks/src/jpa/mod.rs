//! The JPA Legal Aid Administration simulator: status notifications over REST/JSON as
//! `schemas/jpa/VERSION.md` defines them, behind a simulated API gateway (OAuth2 client
//! credentials with a JWT client assertion), checked against the synthetic population: the
//! shared notification simulator of [`crate::rest::notification`] in JPA's words.
//!
//! `POST /oauth2/token`, then `POST /jpa/v1/status-notifications`.

use crate::rest::notification::{NotificationPartner, NotificationSimulator};

/// The Legal Aid Administration's words for its notification resource.
pub(crate) struct Jpa;

impl NotificationPartner for Jpa {
    const NAME: &'static str = "JPA";
    const PATH: &'static str = "/jpa/v1/status-notifications";
    const RECEIPT_PREFIX: &'static str = "JPA";
    const PROBLEM_PREFIX: &'static str = "urn:lv:jpa:problem:";
    const TABLE: &'static str = "partners.jpa";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/jpa/examples/notification-registered.json");
}

/// The JPA simulator.
pub(crate) type JpaSimulator = NotificationSimulator<Jpa>;

#[cfg(test)]
mod tests;
