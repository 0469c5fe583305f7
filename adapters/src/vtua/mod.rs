//! VTUA, the State Technical Supervision Agency: the tractors, self-propelled machines and
//! tractor trailers registered to a person now, as owner or holder, with their registration
//! number, kind, make and year of manufacture. They are assets, like CSDD's road vehicles.
//!
//! SOAP 1.1 / XML with a WS-Security UsernameToken, like VSAA: one `GetPersonMachinery` call
//! answers a person's machinery. Contract: `schemas/vtua/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::VtuaClient;
pub use config::VtuaConfig;

#[cfg(test)]
mod tests;
