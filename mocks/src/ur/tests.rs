//! The UR simulator's answers follow `schemas/ur/` and match the population, behind the
//! shared fault injection.

use gateway_domain::{HoldingRole, PersonCode, System};
use serde_json::json;

use crate::rest::person_source_fixture::{Search, SearchContract};
use crate::test_support::{test_population, unknown_code};

const CONTRACT: SearchContract = SearchContract {
    system: System::Ur,
    folder: "ur",
    path: "/ur/v1/person-roles/search",
    other_path: "/ur/v2/person-roles/search",
    query: "person-roles-query",
    answer: "person-roles",
};

#[tokio::test]
async fn roles_follow_the_schema_and_match_the_population() {
    let population = test_population();
    let search = Search::start(&CONTRACT).await;
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
    let query = |code: &PersonCode| json!({ "personCode": code.as_str() });
    search
        .assert_answers(asked.iter().chain([&nobody, &unknown_code(&population)]), query, |code, answer| {
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
        })
        .await;
    search.assert_invalid([json!({ "personCode": "12128211211" })]).await;
    search.assert_a_token_is_required().await;
}

#[tokio::test]
async fn the_shared_faults_apply_and_other_paths_are_not_served() {
    let body = json!({ "personCode": "12128211210" });
    Search::start(&CONTRACT).await.assert_faults_apply_and_other_paths_are_not_served(&body).await;
}
