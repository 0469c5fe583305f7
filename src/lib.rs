//! registry-gateway: the service between a municipal social service's case system and the
//! state registries. It wires the adapters (`gateway-adapters`) into the jobs the case system
//! asks for and exposes them over HTTP.
#![forbid(unsafe_code)]

pub mod api;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod config;
pub mod config_check;
pub mod console;
pub mod decisions;
#[cfg(feature = "simulators")]
pub mod demo;
pub mod group_commit;
pub mod income_check;
pub mod json;
pub mod metrics;
pub mod providers;
pub mod purposes;
pub mod server;
pub mod shutdown;
pub mod signing;
pub mod startup;
pub mod status_sync;
pub mod store;
pub mod telemetry;
pub mod tls;
