//! The indicative assessment end to end: through the API and the registries' wire formats, it
//! equals an assessment computed here, independently, from the population's truth and the
//! levels the law publishes (`../shared/DOMAIN.md`), not from the gateway's rules file.

use gateway_domain::{IncomeKind, Month, Period, PersonCode};
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::income_checks::true_incomes;

/// 2026's levels in cents (needy, low income, GMI), first person / each other person.
const NEEDY: (i64, i64) = (42_500, 29_800);
const LOW_INCOME: (i64, i64) = (51_000, 35_700);
const GMI: (i64, i64) = (18_700, 13_100);
/// The monthly minimum wage of 2026.
const MINIMUM_WAGE: i64 = 78_000;

fn level((first, other): (i64, i64), persons: i64) -> i64 {
    first + other * (persons - 1)
}

/// Full years on `on`.
fn age(birth: time::Date, on: time::Date) -> i32 {
    on.year() - birth.year() - i32::from((on.month() as u8, on.day()) < (birth.month() as u8, birth.day()))
}

struct Expected {
    counted: Vec<i64>,
    average: i64,
    status: &'static str,
    gmi_benefit: i64,
}

fn expected(app: &crate::helpers::TestApp, members: &[PersonCode], period: Period) -> Expected {
    let incomes = true_incomes(&app.population, members, period);
    let counted: Vec<i64> = period
        .months()
        .map(|month: Month| {
            members
                .iter()
                .map(|member| {
                    let of = |pick: &dyn Fn(IncomeKind) -> bool| -> i64 {
                        incomes
                            .iter()
                            .filter(|(p, m, k, ..)| p == member.as_str() && *m == month && pick(*k))
                            .map(|(_, _, _, amount, ..)| amount.cents())
                            .sum()
                    };
                    // Regulation No. 809: these do not count; a minor's earnings count above the minimum
                    // wage. Pay counts once, as VID's employment income (VSAA's insured income is its
                    // contribution base).
                    let other = of(&|k| {
                        !matches!(
                            k,
                            IncomeKind::FamilyStateBenefit
                                | IncomeKind::DisabilityCareAllowance
                                | IncomeKind::TrainingStipend
                                | IncomeKind::InsuredIncome
                                | IncomeKind::EmploymentIncome
                                | IncomeKind::PublicWorksAllowance
                        )
                    });
                    let earnings =
                        of(&|k| matches!(k, IncomeKind::EmploymentIncome | IncomeKind::PublicWorksAllowance));
                    let birth = app.population.person(member).unwrap().birth_date;
                    let minor = age(birth, month.last_day()) < 18;
                    other + if minor { (earnings - MINIMUM_WAGE).max(0) } else { earnings }
                })
                .sum()
        })
        .collect();
    let total: i64 = counted.iter().sum();
    let persons = members.len() as i64;
    // Half away from zero; totals are never negative.
    let average = (total * 2 + 3) / 6;
    let status = if total <= 3 * level(NEEDY, persons) {
        "needy"
    } else if total <= 3 * level(LOW_INCOME, persons) {
        "low_income"
    } else {
        "not_needy"
    };
    Expected { counted, average, status, gmi_benefit: (level(GMI, persons) - average).max(0) }
}

#[tokio::test]
async fn the_assessment_of_200_households_equals_one_computed_from_the_population() {
    let app = spawn_app().await;
    let period = Period::new(Month::parse("2026-08").unwrap(), Month::parse("2026-10").unwrap()).unwrap();
    let households = app.population.households();
    let step = (households.len() / 200).max(1);
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for household in households.iter().step_by(step).take(200) {
        let applicant = household.members[0].as_str();
        let response = app
            .post_check(&json!({
                "applicant": applicant, "purpose": "means_test", "officer": "test-officer", "assess": true,
                "period": {"from": "2026-08", "to": "2026-10"},
            }))
            .await;
        assert_eq!(response.status(), 200);
        let record: Value = response.json().await.unwrap();
        assert_eq!(record["complete"], true, "{}", record["gaps"]);
        let assessment = &record["assessment"];
        let want = expected(&app, &household.members, period);
        let counted: Vec<i64> = assessment["counted_monthly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["amount_cents"].as_i64().unwrap())
            .collect();
        assert_eq!(counted, want.counted);
        assert_eq!(assessment["average_monthly_cents"], want.average);
        assert_eq!(assessment["status"], want.status);
        assert_eq!(assessment["gmi_benefit_cents"], want.gmi_benefit);
        assert_eq!(assessment["levels"]["needy_cents"], level(NEEDY, household.members.len() as i64));
        *seen.entry(want.status).or_default() += 1;
    }
    // The sample must exercise more than one outcome to mean anything.
    assert!(seen.len() >= 2, "{seen:?}");
}

#[tokio::test]
async fn the_calculator_assesses_without_asking_a_registry_and_explains_each_step() {
    let app = spawn_app().await;
    let body = json!({
        "period": {"from": "2026-08", "to": "2026-10"},
        "members": [
            {"incomes": [
                {"month": "2026-08", "kind": "old_age_pension", "amount_cents": 42_500},
                {"month": "2026-09", "kind": "old_age_pension", "amount_cents": 42_500},
                {"month": "2026-10", "kind": "old_age_pension", "amount_cents": 42_501},
            ]},
        ],
    });
    let response = app.client.post(format!("{}/v1/assessments", app.server.url())).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let assessment: Value = response.json().await.unwrap();
    // 1275.01 over 3 months shows as 425.00 but is above the needy level of 425.00.
    assert_eq!(
        (assessment["average_monthly_cents"].as_i64(), assessment["status"].as_str()),
        (Some(42_500), Some("low_income"))
    );
    assert!(assessment["explanation"].as_array().unwrap().len() >= 6);
    assert_eq!(app.simulators.received_requests(gateway_domain::System::Vsaa).await, 0);

    let mut bad = body.clone();
    bad["members"][0]["incomes"][0]["month"] = json!("2026-07");
    let response = app.client.post(format!("{}/v1/assessments", app.server.url())).json(&bad).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "/members/0/incomes/0/month");

    let early = json!({"period": {"from": "2023-01", "to": "2023-03"}, "members": [{"incomes": []}]});
    let response = app.client.post(format!("{}/v1/assessments", app.server.url())).json(&early).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:registry-gateway:problem:no-assessment-rule");
}

#[tokio::test]
async fn declared_incomes_are_lined_up_against_the_registries() {
    let app = spawn_app().await;
    let period = Period::new(Month::parse("2026-08").unwrap(), Month::parse("2026-10").unwrap()).unwrap();
    // A household with at least two kinds of income, so one can be declared and one left out.
    let (household, incomes) = app
        .population
        .households()
        .iter()
        .map(|h| (h, true_incomes(&app.population, &h.members[..1], period)))
        .find(|(_, incomes)| incomes.iter().map(|i| i.2).collect::<std::collections::BTreeSet<_>>().len() >= 2)
        .unwrap();
    let applicant = household.members[0].as_str();
    let mut kinds: Vec<IncomeKind> = incomes.iter().map(|i| i.2).collect();
    kinds.dedup();
    let monthly = |kind: IncomeKind| {
        let total: i64 = incomes.iter().filter(|i| i.2 == kind).map(|i| i.3.cents()).sum();
        (total * 2 + 3) / 6
    };
    let absent = [IncomeKind::SurvivorPension, IncomeKind::ServicePension, IncomeKind::PaternityBenefit]
        .into_iter()
        .find(|k| !kinds.contains(k))
        .unwrap();
    let declared = json!([
        {"person": applicant, "kind": kinds[0], "monthly_cents": monthly(kinds[0])},
        {"person": applicant, "kind": absent, "monthly_cents": 5_000},
    ]);
    let response = app
        .post_check(&json!({
            "applicant": applicant, "members": [applicant], "purpose": "means_test", "officer": "test-officer",
            "period": {"from": "2026-08", "to": "2026-10"}, "declared_incomes": declared,
        }))
        .await;
    assert_eq!(response.status(), 200);
    let record: Value = response.json().await.unwrap();
    let outcome = |kind: &str| {
        record["declared_incomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["kind"] == kind)
            .map(|o| o["outcome"].as_str().unwrap().to_owned())
    };
    let name = |kind: IncomeKind| serde_json::to_value(kind).unwrap().as_str().unwrap().to_owned();
    assert_eq!(outcome(&name(kinds[0])).as_deref(), Some("matches"));
    assert_eq!(outcome(&name(absent)).as_deref(), Some("declared_not_found"));
    assert_eq!(outcome(&name(kinds[1])).as_deref(), Some("found_not_declared"));
    assert!(record.get("assessment").is_none(), "only asked for with assess");
}
