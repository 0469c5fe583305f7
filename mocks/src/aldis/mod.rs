//! The ALDIS protected-user system simulator: status notifications over REST/JSON as
//! `schemas/aldis/VERSION.md` defines them, behind a simulated API gateway (OAuth2 client
//! credentials with a JWT client assertion), checked against the synthetic population: the
//! shared notification simulator of [`crate::rest::notification`] in ALDIS's words.
//!
//! `POST /oauth2/token`, then `POST /aldis/v1/status-notifications`.

use crate::rest::notification::{NotificationPartner, NotificationSimulator};

/// The protected-user system's words for its notification resource.
pub(crate) struct Aldis;

impl NotificationPartner for Aldis {
    const NAME: &'static str = "ALDIS";
    const PATH: &'static str = "/aldis/v1/status-notifications";
    const RECEIPT_PREFIX: &'static str = "ALDIS";
    const PROBLEM_PREFIX: &'static str = "urn:lv:aldis:problem:";
    const TABLE: &'static str = "partners.aldis";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/aldis/examples/notification-registered.json");
}

/// The ALDIS simulator.
pub(crate) type AldisSimulator = NotificationSimulator<Aldis>;

#[cfg(test)]
mod tests;
