//! The State Employment Agency's notification resource: household status notifications over
//! REST/JSON as `schemas/nva/VERSION.md` defines them, behind the same simulated API gateway as
//! its person-status search: the shared notification of [`crate::rest::notification`] in NVA's
//! words.
//!
//! `POST /nva/v1/status-notifications` with a bearer token from `POST /oauth2/token`.

use crate::rest::notification::NotificationPartner;

/// NVA's words for its notification resource.
pub(crate) struct NvaNotifications;

impl NotificationPartner for NvaNotifications {
    const NAME: &'static str = "NVA";
    const PATH: &'static str = "/nva/v1/status-notifications";
    const RECEIPT_PREFIX: &'static str = "NVA";
    const PROBLEM_PREFIX: &'static str = "urn:lv:nva:problem:";
    const TABLE: &'static str = "partners.nva";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/nva/examples/notification-registered.json");
}
