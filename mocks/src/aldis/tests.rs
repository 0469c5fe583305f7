//! The ALDIS simulator passes the partner-simulator suite over HTTP behind its token endpoint,
//! its answers checked against `schemas/aldis/`.

use gateway_domain::System;

use crate::partner_suite;
use crate::rest::notification_fixture::{NotificationContract, NotificationFixture};

struct Contract;

impl NotificationContract for Contract {
    const SYSTEM: System = System::Aldis;
    const FOLDER: &'static str = "aldis";
    const PATH: &'static str = "/aldis/v1/status-notifications";
    const OTHER_PATH: &'static str = "/aldis/v2/status-notifications";
    const PROBLEM_PREFIX: &'static str = "urn:lv:aldis:problem:";
}

#[tokio::test]
async fn aldis_passes_the_partner_suite() {
    partner_suite::run::<NotificationFixture<Contract>>().await;
}
