//! The ALDIS client: one write, posting a status notification behind a bearer token.

use super::mapping;
use crate::status_notification::{NotificationClient, NotificationPartner};
use crate::transport::JsonDelivery;

/// The protected-user system as a partner of status notifications.
#[derive(Debug)]
pub struct Aldis;

impl NotificationPartner for Aldis {
    const DELIVERY: JsonDelivery = mapping::DELIVERY;
}

/// Delivers status decisions to ALDIS.
pub type AldisClient = NotificationClient<Aldis>;
