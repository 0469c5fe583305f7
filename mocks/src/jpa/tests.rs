//! The JPA simulator passes the partner-simulator suite over HTTP behind its token endpoint,
//! its answers checked against `schemas/jpa/`.

use gateway_domain::System;

use crate::partner_suite;
use crate::rest::notification_fixture::{NotificationContract, NotificationFixture};

struct Contract;

impl NotificationContract for Contract {
    const SYSTEM: System = System::Jpa;
    const FOLDER: &'static str = "jpa";
    const PATH: &'static str = "/jpa/v1/status-notifications";
    const OTHER_PATH: &'static str = "/jpa/v2/status-notifications";
    const PROBLEM_PREFIX: &'static str = "urn:lv:jpa:problem:";
}

#[tokio::test]
async fn jpa_passes_the_partner_suite() {
    partner_suite::run::<NotificationFixture<Contract>>().await;
}
