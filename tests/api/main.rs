//! End-to-end tests of the service: the API, the adapters and the simulators, through the real
//! wire formats, compared with the synthetic population; and the status sync, in-process and as
//! `gateway` processes, against partners that count what they accepted.

mod access;
mod assessment;
mod audit;
mod check_config;
mod co_financing;
mod console;
mod food_aid;
mod helpers;
mod income_checks;
mod incoming;
mod metrics;
mod no_pii;
mod openapi;
mod partners;
mod problems;
mod provider_plan;
mod providers;
mod providers_process;
mod purposes;
mod receipts;
mod reliability;
mod request_ids;
mod resilience;
mod shutdown;
mod status_decisions;
mod status_sync;
mod sync_helpers;
mod sync_partners;
mod sync_process;
mod tls;
mod webhook;
