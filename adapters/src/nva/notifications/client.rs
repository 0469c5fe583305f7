//! The NVA notifications client: one write, posting a status notification behind a bearer token.

use super::mapping;
use crate::status_notification::{NotificationClient, NotificationPartner};
use crate::transport::JsonDelivery;

/// The State Employment Agency as a partner of status notifications.
#[derive(Debug)]
pub struct NvaNotifications;

impl NotificationPartner for NvaNotifications {
    const DELIVERY: JsonDelivery = mapping::DELIVERY;
}

/// Delivers status decisions to the State Employment Agency.
pub type NvaNotificationsClient = NotificationClient<NvaNotifications>;
