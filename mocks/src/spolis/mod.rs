//! Simulators of LM SPOLIS, the Welfare Ministry's social policy monitoring system. One
//! simulator server answers both directions, each contract under its own path prefix:
//! monitoring records the gateway submits under `/spolis/monitoring/` (`monitoring`).

pub(crate) mod monitoring;
