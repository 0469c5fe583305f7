//! `GET /v1/co-financing/{municipality}/{month}` end to end: SPOLIS's confirmations through the
//! wire, compared with the synthetic population to the cent, and its problems.

use gateway_domain::{Month, System};
use gateway_mocks::HOME_MUNICIPALITY;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use time::OffsetDateTime;

use crate::helpers::{TestApp, spawn_app};

async fn get(app: &TestApp, key: &str) -> (u16, Value) {
    app.get_json(&format!("/v1/co-financing/{key}")).await
}

/// The benefit as the API writes it, from SPOLIS's code in the population.
fn benefit(code: &str) -> &'static str {
    match code {
        "gmi" => "guaranteed_minimum_income",
        _ => "housing_benefit",
    }
}

#[tokio::test]
async fn confirmations_of_past_months_match_the_population_to_the_cent() {
    let app = spawn_app().await;
    let last = Month::of(OffsetDateTime::now_utc().date()).previous();
    let mut rng = ChaCha8Rng::seed_from_u64(2028);
    let months: Vec<Month> = (0..12).map(|_| last.plus(-rng.random_range(0..36))).collect();
    for month in months {
        let (status, body) = get(&app, &format!("{HOME_MUNICIPALITY}/{month}?officer=test-officer")).await;
        assert_eq!(status, 200, "{body}");
        let truth = app.population.cofinancing(HOME_MUNICIPALITY, month).expect("the population covers the month");
        assert_eq!(
            (body["municipality"].as_str(), body["month"].as_str()),
            (Some(HOME_MUNICIPALITY), Some(&*month.to_string()))
        );
        let reported = body["confirmations"].as_array().unwrap();
        assert_eq!(reported.len(), truth.len());
        for expected in &truth {
            let found = reported
                .iter()
                .find(|c| c["benefit"] == benefit(expected.benefit))
                .unwrap_or_else(|| panic!("{} confirmed", expected.benefit));
            assert_eq!(found["households"], expected.households);
            assert_eq!(found["paid_cents"], expected.paid.cents());
            assert_eq!(found["co_financed_cents"], expected.co_financed.cents());
            assert_eq!(found["provenance"]["system"], "spolis");
            assert_eq!(found["provenance"]["record_id"], expected.record_id.as_str());
        }
        let paid: i64 = truth.iter().map(|c| c.paid.cents()).sum();
        let co_financed: i64 = truth.iter().map(|c| c.co_financed.cents()).sum();
        assert_eq!(
            (body["totals"]["paid_cents"].as_i64(), body["totals"]["co_financed_cents"].as_i64()),
            (Some(paid), Some(co_financed))
        );
        // Each part is rounded once; the total of the parts is within a cent per part of 30 %.
        assert!((co_financed * 100 - paid * 30).abs() <= 50 * truth.len() as i64);
    }
}

#[tokio::test]
async fn a_bad_month_or_municipality_is_a_400_naming_the_parameter_and_asks_nobody() {
    let app = spawn_app().await;
    let this_month = Month::of(OffsetDateTime::now_utc().date());
    for (key, parameter) in [
        ("tukums/2025-13".to_owned(), "month"),
        ("tukums/2025-1".to_owned(), "month"),
        (format!("tukums/{this_month}"), "month"),
        (format!("tukums/{}", this_month.plus(3)), "month"),
        ("Tukums/2025-06".to_owned(), "municipality"),
        ("tukums_county/2025-06".to_owned(), "municipality"),
        ("tukums/2025-06?officer=".to_owned(), "officer"),
        ("tukums/2025-06?fishing=1".to_owned(), "officer"),
    ] {
        let (status, body) = get(&app, &key).await;
        assert_eq!(status, 400, "{key}");
        assert_eq!(body["type"], "urn:registry-gateway:problem:invalid-parameter", "{key}");
        assert_eq!(body["parameter"], parameter, "{key}");
    }
    assert_eq!(app.simulators.received_requests(System::Spolis).await, 0, "nothing was asked");
}

#[tokio::test]
async fn an_unknown_municipality_is_a_404_and_a_stopped_spolis_a_502() {
    let mut app = spawn_app().await;
    let (status, body) = get(&app, "talsi/2025-06").await;
    assert_eq!((status, body["type"].as_str()), (404, Some("urn:registry-gateway:problem:no-co-financing")));

    app.simulators.stop(System::Spolis);
    let (status, body) = get(&app, "tukums/2025-06").await;
    assert_eq!((status, body["type"].as_str()), (502, Some("urn:registry-gateway:problem:registry-failed")));
    assert_eq!(body["detail"], "spolis: unavailable");
}
