//! Simulators of LM SPOLIS, the Welfare Ministry's social policy monitoring system. One
//! simulator server answers both directions, each contract under its own path prefix:
//! co-financing confirmations the gateway reads under `/spolis/cofinancing/` (`cofinancing`).

pub(crate) mod cofinancing;
