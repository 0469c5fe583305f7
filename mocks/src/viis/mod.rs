//! The VIIS State Education Information System simulator: REST/JSON as
//! `schemas/viis/VERSION.md` defines it, behind the simulated API gateway, serving the
//! population's enrolments in education.
//!
//! Operations: `POST /oauth2/token` and `POST /viis/v1/enrolments/search`.

use gateway_domain::{EducationLevel, StatusDetail};
use serde::Serialize;

use crate::population::{Population, SyntheticPerson, TrueStatus};
use crate::rest::person_source::{Asked, DatesQuery, PersonRegistry, PersonSource, Refusals};

/// `enrolments.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Enrolments<'a> {
    person_code: &'a str,
    enrolments: Vec<Enrolment>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Enrolment {
    record_id: String,
    institution: Institution,
    level_code: &'static str,
    full_time: bool,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Institution {
    registration_number: String,
    name: String,
}

/// The contract's code of a level.
fn level_code(level: EducationLevel) -> &'static str {
    match level {
        EducationLevel::PreSchool => "pre_school",
        EducationLevel::Basic => "basic",
        EducationLevel::Secondary => "general_secondary",
        EducationLevel::Vocational => "vocational",
        EducationLevel::Higher => "higher",
    }
}

/// One of the population's enrolments as the contract writes it; `None` for a status that is
/// not an enrolment.
fn enrolment(status: TrueStatus) -> Option<Enrolment> {
    let Some(StatusDetail::Enrolment { institution, level, full_time }) = status.detail else { return None };
    Some(Enrolment {
        record_id: status.record_id,
        institution: Institution { registration_number: institution.registration_number, name: institution.name },
        level_code: level_code(level),
        full_time,
        valid_from: status.valid_from.to_string(),
        valid_to: status.valid_to.map(|to| to.to_string()),
    })
}

/// The VIIS simulator.
pub(crate) type ViisSimulator = PersonSource<Viis>;

/// VIIS's search in its own words.
pub(crate) struct Viis;

impl PersonRegistry for Viis {
    const NAME: &'static str = "VIIS";
    const PATH: &'static str = "/viis/v1/enrolments/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/viis/examples/enrolments.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:viis:problem:";
    const TABLE: &'static str = "registries.viis";
    const SHAPE: &'static str = "the body must be an enrolment query";
    const REFUSALS: Refusals = Refusals::Detailed;

    /// `enrolment-query.schema.json`.
    type Query = DatesQuery;

    fn answer(population: &Population, person: &SyntheticPerson, (first, last): Asked<Self>) -> impl Serialize {
        let enrolments = population.enrolments(&person.code, first, last).into_iter().filter_map(enrolment).collect();
        Enrolments { person_code: person.code.as_str(), enrolments }
    }
}

#[cfg(test)]
mod tests;
