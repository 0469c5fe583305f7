//! The JPA adapter against a mock Legal Aid Administration built from `schemas/jpa/` examples.

use super::JpaClient;
use crate::rest_sink_compliance::notification_partner_tests;

notification_partner_tests!(
    JpaClient,
    "jpa",
    "/jpa/v1/status-notifications",
    "Bearer c2ltdWxhdGVkLWpwYS10b2tlbi0wMDAx",
    "JPA-000000042"
);
