//! The LAD Rural Support Service simulator: REST/JSON as `schemas/lad/VERSION.md` defines it,
//! behind the simulated API gateway, serving the support the population's farmers are paid,
//! by month and scheme.
//!
//! Operations: `POST /oauth2/token` and `POST /lad/v1/support-payments/search`.

use serde::Serialize;

use crate::population::{Population, SyntheticPerson, TrueIncome};
use crate::rest::person_source::{Asked, MonthsQuery, PersonRegistry, PersonSource, Refusals};

/// `support-payments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SupportPayments<'a> {
    person_code: &'a str,
    payments: Vec<Payment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    record_id: String,
    month: String,
    scheme_code: String,
    scheme_name: String,
    amount: String,
}

impl From<TrueIncome> for Payment {
    fn from(income: TrueIncome) -> Self {
        let (scheme_code, scheme_name) = income.scheme.map(|s| (s.code, s.name)).unwrap_or_default();
        Payment {
            record_id: income.record_id,
            month: income.month.to_string(),
            scheme_code,
            scheme_name,
            amount: income.amount.to_decimal_string(),
        }
    }
}

/// The LAD simulator.
pub(crate) type LadSimulator = PersonSource<Lad>;

/// LAD's search in its own words.
pub(crate) struct Lad;

impl PersonRegistry for Lad {
    const NAME: &'static str = "LAD";
    const PATH: &'static str = "/lad/v1/support-payments/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/lad/examples/support-payments.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:lad:problem:";
    const TABLE: &'static str = "registries.lad";
    const SHAPE: &'static str = "the body must be a support-payment query";
    const REFUSALS: Refusals = Refusals::Detailed;

    /// `support-query.schema.json`.
    type Query = MonthsQuery;

    fn answer(population: &Population, person: &SyntheticPerson, period: Asked<Self>) -> impl Serialize {
        let payments = population.lad_incomes(&person.code, period).into_iter().map(Payment::from).collect();
        SupportPayments { person_code: person.code.as_str(), payments }
    }
}

#[cfg(test)]
mod tests;
