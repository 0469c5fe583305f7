//! The NPAIS simulator's answers follow `schemas/npais/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{CareForm, StatusDetail, System};
use serde_json::{Value, json};
use time::macros::date;

use crate::test_support::{assert_valid_json, fetch_token, test_population, unknown_code};
use crate::{FaultConfig, Simulators};

const SEARCH: &str = "/npais/v1/placements/search";

async fn ask(client: &reqwest::Client, url: &str, bearer: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(bearer)
        .header("x-request-id", "r-1")
        .header("x-purpose", "means_test")
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn placements_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Npais);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let (first, last) = (date!(2020 - 01 - 01), date!(2030 - 12 - 31));
    let placed: Vec<_> = population
        .persons()
        .iter()
        .filter(|p| !population.placements(&p.code, first, last).is_empty())
        .map(|p| p.code.clone())
        .collect();
    assert!(placed.len() >= 5, "some children are placed ({})", placed.len());
    let institutional = |code: &gateway_domain::PersonCode| {
        population
            .placements(code, first, last)
            .iter()
            .any(|s| matches!(&s.detail, Some(StatusDetail::Placement { form: CareForm::Institution, .. })))
    };
    let in_institution = placed.iter().find(|code| institutional(code)).expect("someone is in an institution");
    let adult = population.persons().iter().find(|p| p.age_on(first) >= 40).unwrap().code.clone();
    let search = format!("{base}{SEARCH}");
    for code in placed.iter().take(5).chain([in_institution, &adult, &unknown_code(&population)]) {
        let body = json!({ "personCode": code.as_str(), "fromDate": "2020-01-01", "toDate": "2030-12-31" });
        assert_valid_json("npais/placement-query.schema.json", &body);
        let (status, answer) = ask(&client, &search, &bearer, &body).await;
        if population.person(code).is_none() {
            assert_eq!(status, 404);
            assert_valid_json("npais/problem.schema.json", &answer);
            assert_eq!(answer["type"], "urn:lv:npais:problem:not-found");
            continue;
        }
        assert_eq!(status, 200);
        assert_valid_json("npais/placements.schema.json", &answer);
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
                    assert_eq!(wire["institution"]["registrationNumber"], institution.registration_number.as_str());
                    assert_eq!(wire["institution"]["name"], institution.name.as_str());
                }
                None => assert!(wire.get("institution").is_none(), "only institutional care names one"),
            }
            assert_eq!(wire["validFrom"], status.valid_from.to_string().as_str());
            assert_eq!(wire["validTo"], status.valid_to.map_or(Value::Null, |to| to.to_string().into()));
        }
    }
    let refused = client.post(&search).json(&json!({})).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

#[tokio::test]
async fn a_query_off_the_schema_is_an_invalid_request_problem() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Npais);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let code = population.persons()[0].code.as_str();
    for body in [
        json!({ "personCode": code, "fromDate": "2026-12-31", "toDate": "2026-01-01" }),
        json!({ "personCode": code, "fromDate": "2026-1-1", "toDate": "2026-12-31" }),
        json!({ "personCode": "1234", "fromDate": "2026-01-01", "toDate": "2026-12-31" }),
        json!({ "personCode": code, "fromMonth": "2026-01" }),
    ] {
        let (status, problem) = ask(&client, &format!("{base}{SEARCH}"), &bearer, &body).await;
        assert_eq!((status, problem["type"].as_str()), (400, Some("urn:lv:npais:problem:invalid-request")), "{body}");
        assert_valid_json("npais/problem.schema.json", &problem);
    }
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Npais);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let body = json!({ "personCode": "32579318462", "fromDate": "2026-08-01", "toDate": "2026-10-31" });
    simulators.faults(System::Npais).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let response = client.post(format!("{base}{SEARCH}")).bearer_auth(&bearer).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 503);
    simulators.faults(System::Npais).set(FaultConfig::default());
    let (status, problem) = ask(&client, &format!("{base}/npais/v2/placements/search"), &bearer, &body).await;
    assert_eq!((status, problem["type"].as_str()), (404, Some("urn:lv:npais:problem:no-such-operation")));
    let response = client.get(format!("{base}{SEARCH}")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(simulators.faults(System::Npais).total_requests() >= 4, "every request is counted");
}
