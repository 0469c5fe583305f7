//! VSAA, the State Social Insurance Agency: a person's incomes by month and kind (pensions,
//! benefits, insured salary income). SOAP 1.1 / XML with a WS-Security UsernameToken.
//! Contract: `schemas/vsaa/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::VsaaClient;
pub use config::VsaaConfig;

#[cfg(test)]
mod tests;
