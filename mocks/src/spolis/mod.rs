//! Simulators of LM SPOLIS, the Welfare Ministry's social policy monitoring system. One
//! simulator server answers both directions, each contract under its own path prefix:
//! co-financing confirmations the gateway reads under `/spolis/cofinancing/` (`cofinancing`) and
//! monitoring records the gateway submits under `/spolis/monitoring/` (`monitoring`).

pub(crate) mod cofinancing;
pub(crate) mod monitoring;
