//! The incoming registries beyond PMLP and VSAA (NVA, UGFA, VDEĀVK, the Land Registry and the
//! cadastre, VID, LAD, CSDD, VTUA, UR, VIIS and NPAIS) end to end: statuses, incomes, assets,
//! vehicles and holdings compared with the synthetic population, and each registry stopped in
//! turn.

use std::collections::BTreeSet;

use futures::StreamExt;
use gateway_domain::{
    AssetKind, GapReason, GapTopic, HoldingRole, HouseholdRecord, IncomeKind, Month, Period, PersonCode, StatusDetail,
    StatusKind, System, VehicleKind, VehicleRole,
};
use gateway_mocks::{FaultConfig, Population};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, OffsetDateTime};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::income_checks::{reported_incomes, true_incomes, true_incomes_but};

/// Person, kind, special care, from, to, record id, system, and the detail as JSON.
type StatusRow = (String, StatusKind, bool, Date, Option<Date>, String, System, String);

/// Person, system, record id, registration number, kind, make, year, role.
type VehicleRow = (String, System, String, String, VehicleKind, String, u16, VehicleRole);

/// Person, record id, company number and name, role, share (held, total), since.
type HoldingRow = (String, String, String, String, HoldingRole, Option<(u32, u32)>, Date);

fn detail_json(detail: &Option<StatusDetail>) -> String {
    serde_json::to_string(detail).unwrap()
}

/// What the record must say about vehicles and machinery, straight from the population.
fn true_vehicles(population: &Population, members: &[PersonCode], missing: Option<System>) -> BTreeSet<VehicleRow> {
    members
        .iter()
        .flat_map(|m| {
            let csdd = population.csdd_vehicles(m).into_iter().map(|v| (System::Csdd, v));
            let vtua = population.vtua_machines(m).into_iter().map(|v| (System::Vtua, v));
            csdd.chain(vtua).filter(|(system, _)| Some(*system) != missing).map(move |(system, v)| {
                (m.as_str().to_owned(), system, v.record_id, v.registration_number, v.kind, v.make, v.year, v.role)
            })
        })
        .collect()
}

fn reported_vehicles(record: &HouseholdRecord) -> BTreeSet<VehicleRow> {
    record
        .vehicles
        .iter()
        .map(|v| {
            (
                v.person.as_str().to_owned(),
                v.provenance.system,
                v.provenance.record_id.clone(),
                v.registration_number.clone(),
                v.kind,
                v.make.clone(),
                v.year,
                v.role,
            )
        })
        .collect()
}

/// What the record must say about company holdings, straight from the population.
fn true_holdings(population: &Population, members: &[PersonCode]) -> BTreeSet<HoldingRow> {
    members
        .iter()
        .flat_map(|m| {
            population.ur_holdings(m).into_iter().map(move |h| {
                let company = h.company;
                (
                    m.as_str().to_owned(),
                    h.record_id,
                    company.registration_number,
                    company.name,
                    h.role,
                    h.share,
                    h.since,
                )
            })
        })
        .collect()
}

fn reported_holdings(record: &HouseholdRecord) -> BTreeSet<HoldingRow> {
    record
        .holdings
        .iter()
        .map(|h| {
            assert_eq!(h.provenance.system, System::Ur);
            (
                h.person.as_str().to_owned(),
                h.provenance.record_id.clone(),
                h.company.registration_number.clone(),
                h.company.name.clone(),
                h.role,
                h.share.map(|s| (s.numerator(), s.denominator())),
                h.since,
            )
        })
        .collect()
}

/// Person, cadastral number, folio, kind, share (numerator, denominator), area, cadastral value,
/// share value, and the record ids of the Land Registry and the cadastre.
type AssetRow = (String, String, String, AssetKind, (u32, u32), Option<u64>, Option<i64>, Option<i64>, Vec<String>);

/// `value × n / d` rounded half away from zero, computed here on its own so that the
/// gateway's rounding is checked, not repeated (cadastral values are never negative).
fn share_of(value: i64, n: u32, d: u32) -> i64 {
    let (value, n, d) = (i128::from(value), i128::from(n), i128::from(d));
    ((2 * value * n + d) / (2 * d)) as i64
}

/// What the record must say about assets, straight from the population; `valued` is false
/// when the cadastre is out, which leaves area and values unknown.
fn true_assets(population: &Population, members: &[PersonCode], valued: bool) -> BTreeSet<AssetRow> {
    members
        .iter()
        .flat_map(|m| {
            population.assets(m).into_iter().map(move |a| {
                let mut records = vec![a.record_id.clone()];
                if valued {
                    records.push(a.cadastral_number.clone());
                }
                (
                    m.as_str().to_owned(),
                    a.cadastral_number.clone(),
                    a.folio_number.clone(),
                    a.kind,
                    (a.numerator, a.denominator),
                    valued.then_some(a.area_m2),
                    valued.then_some(a.value.cents()),
                    valued.then(|| share_of(a.value.cents(), a.numerator, a.denominator)),
                    records,
                )
            })
        })
        .collect()
}

fn reported_assets(record: &HouseholdRecord) -> BTreeSet<AssetRow> {
    record
        .assets
        .iter()
        .map(|a| {
            (
                a.person.as_str().to_owned(),
                a.cadastral_number.clone(),
                a.folio_number.clone(),
                a.kind,
                (a.share.numerator(), a.share.denominator()),
                a.area_m2,
                a.cadastral_value.map(|v| v.cents()),
                a.share_value.map(|v| v.cents()),
                a.provenance.iter().map(|p| p.record_id.clone()).collect(),
            )
        })
        .collect()
}

fn true_statuses(population: &Population, members: &[PersonCode], period: Period) -> BTreeSet<StatusRow> {
    let (first, last) = (period.from().first_day(), period.to().last_day());
    members
        .iter()
        .flat_map(|m| {
            let nva = population.nva_statuses(m, first, last).into_iter().map(|s| (s, System::Nva));
            let vdeavk = population.disabilities(m, first, last).into_iter().map(|s| (s, System::Vdeavk));
            let vid = population.workplaces(m, first, last).into_iter().map(|s| (s, System::Vid));
            let viis = population.enrolments(m, first, last).into_iter().map(|s| (s, System::Viis));
            let npais = population.placements(m, first, last).into_iter().map(|s| (s, System::Npais));
            nva.chain(vdeavk).chain(vid).chain(viis).chain(npais).map(move |(s, system)| {
                let detail = detail_json(&s.detail);
                (m.as_str().to_owned(), s.kind, s.special_care, s.valid_from, s.valid_to, s.record_id, system, detail)
            })
        })
        .collect()
}

fn reported_statuses(record: &HouseholdRecord) -> BTreeSet<StatusRow> {
    record
        .statuses
        .iter()
        .map(|s| {
            (
                s.person.as_str().to_owned(),
                s.kind,
                s.special_care,
                s.valid_from,
                s.valid_to,
                s.provenance.record_id.clone(),
                s.provenance.system,
                detail_json(&s.detail),
            )
        })
        .collect()
}

fn last_full_month() -> Month {
    Month::of(OffsetDateTime::now_utc().date()).previous()
}

#[tokio::test]
async fn every_status_and_asset_of_200_random_households_matches_the_population() {
    let app = spawn_app().await;
    let population = app.population.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let cases: Vec<_> = population
        .households()
        .choose_multiple(&mut rng, 200)
        .cloned()
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| {
            let to = last_full_month().plus(-rng.random_range(0..12));
            let period = Period::new(to.plus(-rng.random_range(0..12)), to).unwrap();
            let applicant = h.members.choose(&mut rng).unwrap().clone();
            (h, applicant, period)
        })
        .collect();
    assert_eq!(cases.len(), 200);
    let results: Vec<_> = futures::stream::iter(cases)
        .map(|(household, applicant, period)| {
            let app = &app;
            async move { (household, app.check(applicant.as_str(), Some(period)).await, period) }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let (mut unemployed, mut disabled, mut assets, mut shared, mut maintained) = (0, 0, 0, 0, 0);
    let (mut employed, mut enrolled, mut placed, mut paid_support, mut employers) = (0, 0, 0, 0, 0);
    let (mut vehicles, mut machines, mut holdings) = (0, 0, 0);
    for (household, record, period) in results {
        assert!(record.complete, "gaps: {:?}", record.gaps);
        let expected = true_statuses(&population, &household.members, period);
        assert_eq!(reported_statuses(&record), expected);
        let incomes = true_incomes(&population, &household.members, period);
        assert_eq!(reported_incomes(&record), incomes);
        maintained += incomes.iter().filter(|i| i.2 == IncomeKind::MaintenancePayment).count();
        paid_support += incomes.iter().filter(|i| i.2 == IncomeKind::AgriculturalSupport).count();
        employers += incomes.iter().filter(|i| i.2 == IncomeKind::EmploymentIncome && i.5.is_some()).count();
        employed += expected.iter().filter(|s| s.1 == StatusKind::Employed).count();
        enrolled += expected.iter().filter(|s| s.1 == StatusKind::Enrolled).count();
        placed += expected.iter().filter(|s| s.1 == StatusKind::InOutOfFamilyCare).count();
        let expected_vehicles = true_vehicles(&population, &household.members, None);
        assert_eq!(reported_vehicles(&record), expected_vehicles);
        vehicles += expected_vehicles.iter().filter(|v| v.1 == System::Csdd).count();
        machines += expected_vehicles.iter().filter(|v| v.1 == System::Vtua).count();
        let expected_holdings = true_holdings(&population, &household.members);
        assert_eq!(reported_holdings(&record), expected_holdings);
        holdings += expected_holdings.len();
        assert!(record.statuses.iter().all(|s| s.provenance.request_id == record.request_id));
        unemployed += expected.iter().filter(|s| s.1 == StatusKind::Unemployed).count();
        disabled += expected.iter().filter(|s| s.1.is_disability()).count();
        let expected_assets = true_assets(&population, &household.members, true);
        assert_eq!(reported_assets(&record), expected_assets);
        assert_eq!(record.assets.len(), expected_assets.len(), "one asset per member and property");
        for asset in &record.assets {
            let systems: Vec<System> = asset.provenance.iter().map(|p| p.system).collect();
            assert_eq!(systems, [System::LandRegistry, System::Cadastre]);
            assert!(asset.provenance.iter().all(|p| p.request_id == record.request_id));
        }
        assets += expected_assets.len();
        shared += expected_assets.iter().filter(|a| a.4.1 > 1).count();
    }
    assert!(unemployed > 5 && disabled > 5, "the sample exercised statuses ({unemployed}, {disabled})");
    assert!(maintained > 5, "the sample exercised UGFA's maintenance ({maintained})");
    assert!(assets > 50 && shared > 10, "the sample exercised assets ({assets}, {shared} shared)");
    assert!(employers > 50 && employed > 20, "the sample exercised VID ({employers} pay, {employed} workplaces)");
    assert!(paid_support > 2, "the sample exercised LAD ({paid_support})");
    assert!(enrolled > 20 && placed > 0, "the sample exercised VIIS and NPAIS ({enrolled}, {placed})");
    assert!(vehicles > 50 && machines > 2, "the sample exercised CSDD and VTUA ({vehicles}, {machines})");
    assert!(holdings > 5, "the sample exercised UR ({holdings})");
}

/// A household where every new registry has something to say, so that a stopped one shows:
/// an unemployed member, a disabled one, and a property two members share, beside a member
/// who owns nothing (whom a cadastre gap must not name).
fn rich_household(app: &TestApp, period: Period) -> Vec<PersonCode> {
    let population = &app.population;
    let (first, last) = (period.from().first_day(), period.to().last_day());
    population
        .households()
        .iter()
        .find(|h| {
            let owned: Vec<String> =
                h.members.iter().flat_map(|m| population.assets(m)).map(|a| a.cadastral_number).collect();
            let distinct: BTreeSet<&String> = owned.iter().collect();
            h.members.iter().any(|m| !population.nva_statuses(m, first, last).is_empty())
                && h.members.iter().any(|m| !population.disabilities(m, first, last).is_empty())
                && distinct.len() < owned.len()
                && h.members.iter().any(|m| population.assets(m).is_empty())
        })
        .expect("a household with an unemployed, a disabled, two co-owners and a member owning nothing")
        .members
        .clone()
}

/// A household where `system` knows something of a member, beside a member with VSAA's
/// incomes and one who owns real estate, so that a stopped `system` shows and nothing else may
/// go missing.
fn household_known_to(app: &TestApp, system: System, period: Period) -> Vec<PersonCode> {
    let population = &app.population;
    population
        .households()
        .iter()
        .find(|h| {
            h.members.iter().any(|m| population.knows(system, m, period))
                && h.members.iter().any(|m| !population.incomes(m, period).is_empty())
                && h.members.iter().any(|m| !population.assets(m).is_empty())
        })
        .unwrap_or_else(|| panic!("a household {system} knows of, with an income from VSAA and real estate"))
        .members
        .clone()
}

#[tokio::test]
async fn with_any_one_incoming_registry_stopped_the_record_names_exactly_that_gap() {
    let period = Period::last_full_months(OffsetDateTime::now_utc().date(), 3);
    for (stopped, topics) in [
        (System::Nva, vec![GapTopic::Incomes, GapTopic::Statuses]),
        (System::Ugfa, vec![GapTopic::Incomes]),
        (System::Vdeavk, vec![GapTopic::Statuses]),
        (System::LandRegistry, vec![GapTopic::Assets]),
        (System::Cadastre, vec![GapTopic::AssetValues]),
        (System::Vid, vec![GapTopic::Incomes, GapTopic::Statuses]),
        (System::Lad, vec![GapTopic::Incomes]),
        (System::Csdd, vec![GapTopic::Assets]),
        (System::Vtua, vec![GapTopic::Assets]),
        (System::Ur, vec![GapTopic::Assets]),
        (System::Viis, vec![GapTopic::Statuses]),
        (System::Npais, vec![GapTopic::Statuses]),
    ] {
        let mut app = spawn_app().await;
        let members = match stopped {
            System::Nva | System::Vdeavk | System::LandRegistry | System::Cadastre => rich_household(&app, period),
            other => household_known_to(&app, other, period),
        };
        app.simulators.stop(stopped);
        let record = app.check(members[0].as_str(), Some(period)).await;
        assert!(!record.complete, "{stopped}");
        let gaps: BTreeSet<_> = record.gaps.iter().map(|g| (g.system, g.person.clone().unwrap(), g.topic)).collect();
        // The cadastre is asked about properties, so only their owners lack something.
        let affected = members.iter().filter(|m| stopped != System::Cadastre || !app.population.assets(m).is_empty());
        let expected: BTreeSet<_> =
            affected.flat_map(|m| topics.iter().map(move |t| (stopped, m.clone(), *t))).collect();
        assert_eq!(gaps, expected, "{stopped}");
        assert_eq!(record.gaps.len(), expected.len(), "one gap per member and topic ({stopped})");
        assert!(record.gaps.iter().all(|g| g.reason == GapReason::Unavailable), "{stopped}");
        let assets = match stopped {
            System::LandRegistry => BTreeSet::new(),
            System::Cadastre => true_assets(&app.population, &members, false),
            _ => true_assets(&app.population, &members, true),
        };
        assert!(stopped == System::LandRegistry || !assets.is_empty());
        if stopped != System::Cadastre {
            // Co-owners' shared property is asked about once; the other request is the token.
            let properties: BTreeSet<&String> = assets.iter().map(|a| &a.1).collect();
            let asked = app.simulators.received_requests(System::Cadastre).await;
            assert_eq!(asked, if properties.is_empty() { 0 } else { properties.len() + 1 }, "{stopped}");
        }
        assert_eq!(reported_assets(&record), assets, "{stopped}");
        // Everything the other registries know is still there.
        let statuses: BTreeSet<_> =
            true_statuses(&app.population, &members, period).into_iter().filter(|s| s.6 != stopped).collect();
        assert_eq!(reported_statuses(&record), statuses, "{stopped}");
        let incomes = true_incomes_but(&app.population, &members, period, Some(stopped));
        assert_eq!(reported_incomes(&record), incomes, "{stopped}");
        assert_eq!(reported_vehicles(&record), true_vehicles(&app.population, &members, Some(stopped)), "{stopped}");
        let holdings = if stopped == System::Ur { BTreeSet::new() } else { true_holdings(&app.population, &members) };
        assert_eq!(reported_holdings(&record), holdings, "{stopped}");
        assert_eq!(record.members.len(), members.len());
        let unknown = topics.contains(&GapTopic::Incomes);
        assert_eq!(record.monthly_totals.is_some(), !unknown, "an incomes gap leaves totals unknown ({stopped})");
        assert_eq!(record.average_monthly.is_some(), !unknown, "{stopped}");
    }
}

#[tokio::test]
async fn a_slow_registry_does_not_hold_up_the_cadastre() {
    let app = spawn_app_with(|config| {
        config.income_check.deadline_ms = 2_000;
        config.registries.vsaa.transport.timeout_ms = 30_000;
    })
    .await;
    app.simulators.faults(System::Vsaa).set(FaultConfig { latency_ms: 10_000, ..FaultConfig::default() });
    let period = Period::last_full_months(OffsetDateTime::now_utc().date(), 3);
    let members = rich_household(&app, period);
    let record = app.check(members[0].as_str(), Some(period)).await;
    // VSAA ran out of time; the cadastre, asked once the Land Registry answered, did not.
    assert!(
        record.gaps.iter().all(|g| (g.system, g.reason) == (System::Vsaa, GapReason::Timeout)),
        "{:?}",
        record.gaps
    );
    assert_eq!(record.gaps.len(), members.len());
    assert_eq!(reported_assets(&record), true_assets(&app.population, &members, true));
}
