//! BARIS, the orphans' court information system: it learns of a household's needy or
//! low-income status, and when it ends, to weigh it in its own cases. SOAP 1.1 / XML with a
//! WS-Security UsernameToken: BARIS is a state system whose exchange with other state systems
//! grew up on the state's SOAP services, where both sides validate messages against one XSD.
//! Every delivery carries an `IdempotencyKey` header block; BARIS answers a key it accepted
//! before with the outcome `DUPLICATE`. Contract: `schemas/baris/` (see its VERSION.md).

mod client;
mod config;
mod mapping;
mod wire;

pub use client::BarisClient;
pub use config::BarisConfig;

#[cfg(test)]
mod tests;
