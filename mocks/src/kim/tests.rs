//! The KIM simulator passes the partner-simulator suite behind its token endpoint, and serves
//! the kits the population's truth says for the statuses it accepted, its answers checked
//! against `schemas/kim/`.

use gateway_domain::{Month, System};
use serde_json::{Value, json};

use crate::Simulators;
use crate::partner_suite;
use crate::rest::notification_fixture::{NotificationContract, NotificationFixture};
use crate::test_support::{EXAMPLE_REQUEST_ID, assert_valid_json, fetch_token, test_population};

struct Contract;

impl NotificationContract for Contract {
    const SYSTEM: System = System::Kim;
    const FOLDER: &'static str = "kim";
    const PATH: &'static str = "/kim/v1/status-notifications";
    const OTHER_PATH: &'static str = "/kim/v2/status-notifications";
    const PROBLEM_PREFIX: &'static str = "urn:lv:kim:problem:";
}

#[tokio::test]
async fn kim_passes_the_partner_suite() {
    partner_suite::run::<NotificationFixture<Contract>>().await;
}

/// A household with a child aged 5 to 18 in August 2026, and its members' codes.
fn household_with_a_pupil(simulators: &Simulators) -> Vec<String> {
    let population = simulators.population();
    let on = time::macros::date!(2026 - 08 - 15);
    let household = population
        .households()
        .iter()
        .find(|h| {
            h.members.iter().any(|code| {
                let age = gateway_domain::age_on(population.person(code).unwrap().birth_date, on);
                (6..=17).contains(&age)
            })
        })
        .expect("a household with a pupil");
    household.members.iter().map(|code| code.as_str().to_owned()).collect()
}

async fn get(client: &reqwest::Client, url: &str, bearer: &str) -> (u16, Value) {
    let response = client
        .get(url)
        .bearer_auth(bearer)
        .header("X-Request-Id", EXAMPLE_REQUEST_ID)
        .header("X-Purpose", "income-check")
        .send()
        .await
        .expect("the simulator answers");
    (response.status().as_u16(), response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn the_kits_of_an_accepted_status_are_served_as_the_population_says() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Kim);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    let members = household_with_a_pupil(&simulators);
    let persons: Vec<Value> =
        members.iter().enumerate().map(|(i, code)| json!({ "personCode": code, "applicant": i == 0 })).collect();
    let notification = json!({
        "decisionNumber": "TUK-2026-000777",
        "decisionVersion": 1,
        "status": "NEEDY",
        "period": { "start": "2026-03-10", "end": "2026-12-31" },
        "persons": persons,
    });
    let response = client
        .post(format!("{base}/kim/v1/status-notifications"))
        .bearer_auth(&bearer)
        .header("X-Request-Id", EXAMPLE_REQUEST_ID)
        .header("Idempotency-Key", "kim-kits-1")
        .json(&notification)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let desk = simulators.kim();
    assert_eq!(desk.accepted().len(), 1);
    assert_eq!(desk.accepted()[0].members.len(), members.len());

    let (mut served, mut issued) = (0, 0);
    for number in 1..=12 {
        let month = Month::new(2026, number).unwrap();
        let (status, page) = get(&client, &format!("{base}/kim/v1/kit-issues?month={month}&page=1"), &bearer).await;
        assert_eq!(status, 200);
        assert_valid_json("kim/kit-issues.schema.json", &page);
        assert_eq!(page["more"], json!(false));
        let truth = desk.kits(month);
        let issues = page["issues"].as_array().unwrap();
        assert_eq!(issues.len(), truth.len(), "{month}");
        for (wire, kit) in issues.iter().zip(&truth) {
            assert_eq!(wire["recordId"], json!(kit.record_id));
            assert_eq!(wire["recipientPersonCode"], json!(members[0]));
            assert_eq!(wire["count"], json!(kit.count));
            assert_eq!(wire["issuedOn"], json!(kit.issued_on.to_string()));
            assert_eq!(wire["distributor"]["registrationNumber"], json!(kit.distributor.registration_number));
        }
        if number < 3 {
            assert!(truth.is_empty(), "no kits before the status holds");
        }
        served += usize::from(!truth.is_empty());
        issued += truth.len();
    }
    assert!(served >= 5, "a household collects in most of its months: {served}");
    assert!(issued > served, "hygiene, infant or school kits come beside the food kits");
}

#[tokio::test]
async fn a_read_off_the_contract_is_a_problem_and_a_page_past_the_end_is_empty() {
    let simulators = Simulators::start_all(test_population()).await;
    let base = simulators.url(System::Kim);
    let client = reqwest::Client::new();
    let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
    for query in ["month=2026-13&page=1", "month=2026-11&page=0", "page=1"] {
        let (status, body) = get(&client, &format!("{base}/kim/v1/kit-issues?{query}"), &bearer).await;
        assert_eq!(status, 400, "{query}");
        assert_valid_json("kim/problem.schema.json", &body);
        assert_eq!(body["type"], json!("urn:lv:kim:problem:invalid-request"));
    }
    let (status, body) = get(&client, &format!("{base}/kim/v1/kit-issues?month=2026-11&page=1"), "not-a-token").await;
    assert_eq!((status, body["type"].clone()), (401, json!("urn:lv:kim:problem:unauthorized")));
    let (status, page) = get(&client, &format!("{base}/kim/v1/kit-issues?month=2026-11&page=7"), &bearer).await;
    assert_eq!(status, 200);
    assert_eq!((page["issues"].clone(), page["more"].clone()), (json!([]), json!(false)));
}
