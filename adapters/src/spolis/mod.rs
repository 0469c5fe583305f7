//! LM SPOLIS, the Welfare Ministry's social policy monitoring system, which the gateway talks
//! to in two directions, each with its own contract under `schemas/spolis/`: monitoring
//! records of the statuses the social service decides go out (`monitoring`), and the state's
//! co-financing of benefits comes in.

pub mod monitoring;
