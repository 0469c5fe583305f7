//! The NVA notifications adapter against a mock State Employment Agency built from
//! `schemas/nva/` examples.

use super::NvaNotificationsClient;
use crate::rest_sink_compliance::notification_partner_tests;

notification_partner_tests!(
    NvaNotificationsClient,
    "nva",
    "/nva/v1/status-notifications",
    "Bearer c2ltdWxhdGVkLW52YS10b2tlbi0wMDAx",
    "NVA-000000042"
);
