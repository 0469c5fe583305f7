//! End-to-end tests of the service: the API, the adapters and the simulators, through the real
//! wire formats, compared with the synthetic population.

mod co_financing;
mod helpers;
mod income_checks;
mod incoming;
mod problems;
mod resilience;
