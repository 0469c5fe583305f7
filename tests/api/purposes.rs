//! Purposes and their data access profiles: what a purpose does not permit is not asked and
//! shows as a `not_permitted` gap; a purpose without a profile is refused.

use std::collections::HashMap;

use gateway_domain::{GapTopic, Purpose, System};
use registry_gateway::purposes::Profile;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn a_purpose_asks_only_what_its_profile_permits() {
    let app = spawn_app_with(|config| {
        let review = Profile {
            legal_basis: "Social Services and Social Assistance Law, art. 33 (review)".into(),
            registries: vec![System::Pmlp, System::Vdeavk],
            topics: vec![GapTopic::HouseholdMembers, GapTopic::Person, GapTopic::Statuses],
            named_members: false,
        };
        let means_test = Profile { legal_basis: "art. 33".into(), ..review.clone() };
        let means_test = Profile {
            registries: System::ALL.to_vec(),
            topics: vec![
                GapTopic::HouseholdMembers,
                GapTopic::Person,
                GapTopic::Incomes,
                GapTopic::Statuses,
                GapTopic::Assets,
            ],
            named_members: true,
            ..means_test
        };
        config.purposes = Some(HashMap::from([(Purpose::StatusReview, review), (Purpose::MeansTest, means_test)]));
    })
    .await;
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).unwrap();
    let applicant = household.members[0].as_str();

    let response = app.post_check(&json!({ "applicant": applicant, "purpose": "status_review" })).await;
    assert_eq!(response.status(), 200);
    let record: Value = response.json().await.unwrap();
    for system in [System::Vsaa, System::Nva, System::LandRegistry] {
        assert_eq!(app.simulators.received_requests(system).await, 0, "{system} is outside the profile");
    }
    assert!(app.simulators.received_requests(System::Vdeavk).await > 0, "VDEĀVK is inside it");
    let gaps = record["gaps"].as_array().unwrap();
    for member in &household.members {
        for (system, topic) in [("vsaa", "incomes"), ("nva", "statuses"), ("land_registry", "assets")] {
            assert!(
                gaps.iter().any(|g| g["system"] == system
                    && g["topic"] == topic
                    && g["reason"] == "not_permitted"
                    && g["person"] == member.as_str()),
                "{system} {topic} is a not_permitted gap"
            );
        }
    }
    assert_eq!(record["complete"], false);
    assert_eq!(record["average_monthly_cents"], Value::Null, "incomes not asked are unknown, not zero");

    // The means test may ask the Land Registry, but not the cadastre's values: ownerships
    // come, their values are gaps.
    let owner =
        app.population.households().iter().find(|h| !app.population.assets(&h.members[0]).is_empty()).unwrap().members
            [0]
        .clone();
    let before = app.simulators.received_requests(System::Cadastre).await;
    let response = app
        .post_check(&json!({ "applicant": owner.as_str(), "members": [owner.as_str()], "purpose": "means_test" }))
        .await;
    assert_eq!(response.status(), 200);
    let record: Value = response.json().await.unwrap();
    assert!(!record["assets"].as_array().unwrap().is_empty());
    assert_eq!(app.simulators.received_requests(System::Cadastre).await, before, "the cadastre is not asked");
    assert!(
        record["gaps"].as_array().unwrap().iter().any(|g| g["system"] == "cadastre" && g["reason"] == "not_permitted")
    );

    // A purpose without a profile, and naming members where the profile forbids it: 422.
    let refused = app.post_check(&json!({ "applicant": applicant, "purpose": "social_assistance" })).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:purpose-not-permitted");
    let named =
        app.post_check(&json!({ "applicant": applicant, "members": [applicant], "purpose": "status_review" })).await;
    assert_eq!(named.status(), 422);
    let problem: Value = named.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:named-members-not-permitted");
}
