//! The NPAIS Minors' Support Information System simulator: REST/JSON as
//! `schemas/npais/VERSION.md` defines it, behind the simulated API gateway, serving the
//! population's placements of minors in out-of-family care.
//!
//! Operations: `POST /oauth2/token` and `POST /npais/v1/placements/search`.

use gateway_domain::{CareForm, StatusDetail};
use serde::Serialize;

use crate::population::{Population, SyntheticPerson, TrueStatus};
use crate::rest::person_source::{Asked, DatesQuery, PersonRegistry, PersonSource, Refusals};

/// `placements.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Placements<'a> {
    person_code: &'a str,
    placements: Vec<Placement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Placement {
    record_id: String,
    form: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    institution: Option<Institution>,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Institution {
    registration_number: String,
    name: String,
}

/// The contract's code of a form of care.
fn form_code(form: CareForm) -> &'static str {
    match form {
        CareForm::FosterFamily => "foster_family",
        CareForm::Guardianship => "guardianship",
        CareForm::Institution => "institution",
    }
}

/// One of the population's placements as the contract writes it; `None` for a status that is
/// not a placement.
fn placement(status: TrueStatus) -> Option<Placement> {
    let Some(StatusDetail::Placement { form, institution }) = status.detail else { return None };
    Some(Placement {
        record_id: status.record_id,
        form: form_code(form),
        institution: institution
            .map(|named| Institution { registration_number: named.registration_number, name: named.name }),
        valid_from: status.valid_from.to_string(),
        valid_to: status.valid_to.map(|to| to.to_string()),
    })
}

/// The NPAIS simulator.
pub(crate) type NpaisSimulator = PersonSource<Npais>;

/// NPAIS's search in its own words.
pub(crate) struct Npais;

impl PersonRegistry for Npais {
    const NAME: &'static str = "NPAIS";
    const PATH: &'static str = "/npais/v1/placements/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/npais/examples/placements.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:npais:problem:";
    const TABLE: &'static str = "registries.npais";
    const SHAPE: &'static str = "the body must be a placement query";
    const REFUSALS: Refusals = Refusals::Detailed;

    /// `placement-query.schema.json`.
    type Query = DatesQuery;

    fn answer(population: &Population, person: &SyntheticPerson, (first, last): Asked<Self>) -> impl Serialize {
        let placements = population.placements(&person.code, first, last).into_iter().filter_map(placement).collect();
        Placements { person_code: person.code.as_str(), placements }
    }
}

#[cfg(test)]
mod tests;
