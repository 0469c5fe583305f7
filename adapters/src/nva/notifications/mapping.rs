//! How NVA's answers to notifications read as receipts and refusals: the shared
//! notification's, in NVA's path and problem types.

use gateway_domain::System;

use super::wire;
use crate::status_notification;
use crate::transport::JsonDelivery;

pub(super) const DELIVERY: JsonDelivery =
    status_notification::delivery(System::Nva, "NVA", wire::PATH, wire::PROBLEM_PREFIX);
