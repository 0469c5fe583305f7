//! The Land Registry (Zemesgrāmata), kept by the Court Administration: the real estate a
//! person owns, each ownership with its folio number, the property's cadastral number and kind,
//! and the owner's share as an exact fraction. The property's area and value come from the
//! cadastre (`crate::cadastre`), which the income check asks afterwards.
//!
//! SOAP 1.1 / XML with a WS-Security UsernameToken, like VSAA and VDEĀVK: the land register's
//! data service for institutions is one of the older SOAP services of the justice sector, a
//! folio's ownership part is a document-shaped answer that XML carries as written, and a SOAP
//! client fault carries the service's own codes. Contract: `schemas/land_registry/` (see its
//! VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::LandRegistryClient;
pub use config::LandRegistryConfig;

#[cfg(test)]
mod tests;
