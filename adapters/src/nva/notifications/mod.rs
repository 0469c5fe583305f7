//! NVA, the State Employment Agency, as a partner: it learns of a household's needy or
//! low-income status, which its services for the unemployed take into account (support
//! measures and priority for those in need). The same system as the registry of `super`, with
//! its own resource: REST/JSON behind the state API gateway with OAuth2 client credentials, in
//! the status-notification shape JPA also takes (`crate::status_notification`). Every delivery
//! carries an `Idempotency-Key` header; NVA answers a key it registered before with
//! `ALREADY_REGISTERED`. Contract: `schemas/nva/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::{NvaNotifications, NvaNotificationsClient};
pub use config::NvaNotificationsConfig;

#[cfg(test)]
mod tests;
