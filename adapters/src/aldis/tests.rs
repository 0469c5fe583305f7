//! The ALDIS adapter against a mock protected-user system built from `schemas/aldis/` examples.

use super::AldisClient;
use crate::rest_sink_compliance::notification_partner_tests;

notification_partner_tests!(
    AldisClient,
    "aldis",
    "/aldis/v1/status-notifications",
    "Bearer c2ltdWxhdGVkLWFsZGlzLXRva2VuLTAwMQ",
    "ALDIS-000000042"
);
