//! VID, the State Revenue Service: a person's employment income by month and employer, after
//! tax, and the employment relationships employers registered (workplaces). SOAP 1.1 / XML with
//! a WS-Security UsernameToken. Contract: `schemas/vid/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::VidClient;
pub use config::VidConfig;

#[cfg(test)]
mod tests;
