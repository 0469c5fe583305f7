//! The UR simulator's answers follow `schemas/ur/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{HoldingRole, System};
use serde_json::{Value, json};

use crate::test_support::{assert_valid_json, fetch_token, test_population, unknown_code};
use crate::{FaultConfig, Simulators};

const SEARCH: &str = "/ur/v1/person-roles/search";

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
async fn roles_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let base = simulators.url(System::Ur);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let holds = |code, role| population.ur_holdings(code).iter().any(|h| h.role == role);
    // Shareholders, board members without shares, and someone with no company at all.
    let shareholders = population.persons().iter().filter(|p| holds(&p.code, HoldingRole::Shareholder)).take(4);
    let hired = population
        .persons()
        .iter()
        .filter(|p| holds(&p.code, HoldingRole::BoardMember) && !holds(&p.code, HoldingRole::Shareholder))
        .take(2);
    let asked: Vec<_> = shareholders.chain(hired).map(|p| p.code.clone()).collect();
    assert_eq!(asked.len(), 6, "the register knows shareholders and board members without shares");
    let nobody = population.persons().iter().find(|p| population.ur_holdings(&p.code).is_empty()).unwrap().code.clone();
    let search = format!("{base}{SEARCH}");
    for code in asked.iter().chain([&nobody, &unknown_code(&population)]) {
        let body = json!({ "personCode": code.as_str() });
        assert_valid_json("ur/person-roles-query.schema.json", &body);
        let (status, answer) = ask(&client, &search, &bearer, &body).await;
        if population.person(code).is_none() {
            assert_eq!(status, 404);
            assert_valid_json("ur/problem.schema.json", &answer);
            assert_eq!(answer["type"], "urn:lv:ur:problem:not-found");
            continue;
        }
        assert_eq!(status, 200);
        assert_valid_json("ur/person-roles.schema.json", &answer);
        assert_eq!(answer["personCode"], code.as_str());
        let truth = population.ur_holdings(code);
        let wire = answer["roles"].as_array().unwrap();
        assert_eq!(wire.len(), truth.len());
        assert_eq!(truth.is_empty(), code == &nobody);
        for (wire, holding) in wire.iter().zip(&truth) {
            assert_eq!(wire["recordId"], holding.record_id.as_str());
            assert_eq!(wire["company"]["registrationNumber"], holding.company.registration_number.as_str());
            assert_eq!(wire["company"]["name"], holding.company.name.as_str());
            let role = if holding.role == HoldingRole::Shareholder { "shareholder" } else { "board_member" };
            assert_eq!(wire["role"], role);
            assert_eq!(wire["sharesHeld"].as_u64(), holding.share.map(|(held, _)| u64::from(held)));
            assert_eq!(wire["sharesTotal"].as_u64(), holding.share.map(|(_, total)| u64::from(total)));
            assert_eq!(wire["registered"], holding.since.to_string().as_str());
        }
    }
    let (status, problem) = ask(&client, &search, &bearer, &json!({ "personCode": "12128211211" })).await;
    assert_eq!((status, problem["type"].as_str()), (400, Some("urn:lv:ur:problem:invalid-request")));
    assert_valid_json("ur/problem.schema.json", &problem);
    let refused = client.post(&search).json(&json!({})).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no answer");
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Ur);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let body = json!({ "personCode": "12128211210" });
    simulators.faults(System::Ur).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let response = client.post(format!("{base}{SEARCH}")).bearer_auth(&bearer).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 503);
    simulators.faults(System::Ur).set(FaultConfig::default());
    let (status, problem) = ask(&client, &format!("{base}/ur/v2/person-roles/search"), &bearer, &body).await;
    assert_eq!((status, problem["type"].as_str()), (404, Some("urn:lv:ur:problem:no-such-operation")));
    let response = client.get(format!("{base}{SEARCH}")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(simulators.faults(System::Ur).total_requests() >= 4, "every request is counted");
}
