//! The JPA client: one write, posting a status notification behind a bearer token.

use super::mapping;
use crate::status_notification::{NotificationClient, NotificationPartner};
use crate::transport::JsonDelivery;

/// The Legal Aid Administration as a partner of status notifications.
#[derive(Debug)]
pub struct Jpa;

impl NotificationPartner for Jpa {
    const DELIVERY: JsonDelivery = mapping::DELIVERY;
}

/// Delivers status decisions to the Legal Aid Administration.
pub type JpaClient = NotificationClient<Jpa>;
