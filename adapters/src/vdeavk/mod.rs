//! VDEĀVK, the State Medical Commission for the Assessment of Health Condition and Working
//! Ability: a person's disability determinations (group I, II, III or a child's disability),
//! their validity and whether special care is needed.
//!
//! SOAP 1.1 / XML with a WS-Security UsernameToken, like VSAA: the commission's exchange with
//! social services runs through the older SOAP services of the welfare sector, and a SOAP
//! client fault carries its own codes. Contract: `schemas/vdeavk/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::VdeavkClient;
pub use config::VdeavkConfig;

#[cfg(test)]
mod tests;
