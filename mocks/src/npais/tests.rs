//! The NPAIS simulator's answers follow `schemas/npais/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{CareForm, PersonCode, StatusDetail, System};
use serde_json::{Value, json};
use time::macros::date;

use crate::rest::person_source_fixture::{Search, SearchContract, dates_queries_off_the_schema};
use crate::test_support::{test_population, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Npais,
    folder: "npais",
    path: "/npais/v1/placements/search",
    other_path: "/npais/v2/placements/search",
    query: "placement-query",
    answer: "placements",
};

#[tokio::test]
async fn placements_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let (first, last) = (date!(2020 - 01 - 01), date!(2030 - 12 - 31));
    let placed: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| !population.placements(&p.code, first, last).is_empty())
        .map(|p| p.code.clone())
        .collect();
    assert!(placed.len() >= 5, "some children are placed ({})", placed.len());
    let institutional = |code: &PersonCode| {
        population
            .placements(code, first, last)
            .iter()
            .any(|s| matches!(&s.detail, Some(StatusDetail::Placement { form: CareForm::Institution, .. })))
    };
    let in_institution = placed.iter().find(|code| institutional(code)).expect("someone is in an institution");
    let adult = population.persons().iter().find(|p| p.age_on(first) >= 40).unwrap().code.clone();
    let query =
        |code: &PersonCode| json!({ "personCode": code.as_str(), "fromDate": "2020-01-01", "toDate": "2030-12-31" });
    search
        .assert_answers(
            placed.iter().take(5).chain([in_institution, &adult, &unknown_code(&population)]),
            query,
            |code, answer| {
                let truth = population.placements(code, first, last);
                let wire = answer["placements"].as_array().unwrap();
                assert_eq!(wire.len(), truth.len());
                assert_eq!(truth.is_empty(), code == &adult, "a 40-year-old is never placed");
                for (wire, status) in wire.iter().zip(&truth) {
                    let Some(StatusDetail::Placement { form, institution }) = &status.detail else {
                        panic!("a placement has its detail")
                    };
                    let form = match form {
                        CareForm::FosterFamily => "foster_family",
                        CareForm::Guardianship => "guardianship",
                        CareForm::Institution => "institution",
                    };
                    assert_eq!(wire["recordId"], status.record_id.as_str());
                    assert_eq!(wire["form"], form);
                    match institution {
                        Some(institution) => {
                            assert_eq!(
                                wire["institution"]["registrationNumber"],
                                institution.registration_number.as_str()
                            );
                            assert_eq!(wire["institution"]["name"], institution.name.as_str());
                        }
                        None => assert!(wire.get("institution").is_none(), "only institutional care names one"),
                    }
                    assert_eq!(wire["validFrom"], status.valid_from.to_string().as_str());
                    assert_eq!(wire["validTo"], status.valid_to.map_or(Value::Null, |to| to.to_string().into()));
                }
            },
        )
        .await;
    search.assert_a_token_is_required().await;
}

#[tokio::test]
async fn a_query_off_the_schema_is_an_invalid_request_problem() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
    let code = population.persons()[0].code.as_str();
    search.assert_invalid(dates_queries_off_the_schema(code)).await;
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "32579318462", "fromDate": "2026-08-01", "toDate": "2026-10-31" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
