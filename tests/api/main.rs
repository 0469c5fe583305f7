//! End-to-end tests of the service: the API, the adapters and the simulators, through the real
//! wire formats, compared with the synthetic population.

mod helpers;
mod income_checks;
mod incoming;
mod partners;
mod problems;
mod resilience;
