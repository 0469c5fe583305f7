//! LM SPOLIS, the Welfare Ministry's social policy monitoring system, which the gateway talks
//! to in two directions, each with its own contract under `schemas/spolis/`: the state's
//! co-financing of the benefits the municipality paid comes in (`cofinancing`), and monitoring
//! records of the statuses the social service decides go out (`monitoring`).

pub mod cofinancing;
pub mod monitoring;
