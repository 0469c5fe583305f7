//! The UGFA Maintenance Guarantee Fund Administration simulator: REST/JSON as
//! `schemas/ugfa/VERSION.md` defines it, behind the simulated API gateway, serving the
//! maintenance the population's fund pays per child and month.
//!
//! Operations: `POST /oauth2/token` and `POST /ugfa/v1/maintenance-payments/search`.

use serde::Serialize;

use crate::population::{Population, SyntheticPerson};
use crate::rest::person_source::{Asked, MonthsQuery, PersonRegistry, PersonSource, Refusals};

/// The age from which the fund pays its higher minimum.
const OLDER_CHILD_AGE: u16 = 7;

/// `maintenance-payments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MaintenancePayments<'a> {
    person_code: &'a str,
    payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    record_id: String,
    month: String,
    age_group: &'static str,
    amount: String,
}

/// The UGFA simulator.
pub(crate) type UgfaSimulator = PersonSource<Ugfa>;

/// UGFA's search in its own words.
pub(crate) struct Ugfa;

impl PersonRegistry for Ugfa {
    const NAME: &'static str = "UGFA";
    const PATH: &'static str = "/ugfa/v1/maintenance-payments/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/ugfa/examples/maintenance-payments.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:ugfa:problem:";
    const TABLE: &'static str = "registries.ugfa";
    const SHAPE: &'static str = "the body must be a maintenance query";
    const REFUSALS: Refusals = Refusals::Titled;

    /// `maintenance-query.schema.json`.
    type Query = MonthsQuery;

    fn answer(population: &Population, person: &SyntheticPerson, period: Asked<Self>) -> impl Serialize {
        let payments = population
            .ugfa_incomes(&person.code, period)
            .into_iter()
            .map(|income| Payment {
                record_id: income.record_id,
                month: income.month.to_string(),
                age_group: if person.age_on(income.month.first_day()) < OLDER_CHILD_AGE {
                    "under_7"
                } else {
                    "from_7_to_18"
                },
                amount: income.amount.to_decimal_string(),
            })
            .collect();
        MaintenancePayments { person_code: person.code.as_str(), payments }
    }
}

#[cfg(test)]
mod tests;
