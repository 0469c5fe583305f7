//! Tests of the synthetic population: determinism, valid codes, plausible households and
//! incomes, and the shape of what the VSAA simulator will serve.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use gateway_domain::{IncomeKind, Month, Period, PersonCode, PersonCodeFormat};
use time::macros::date;

use super::incomes::{StreamAmount, WINDOW_END, WINDOW_START};
use super::names::FAMILY_NAMES;
use super::*;
use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population, tukums_population, unknown_code};

fn month(text: &str) -> Month {
    Month::parse(text).expect("a test month is valid")
}

fn period(from: &str, to: &str) -> Period {
    Period::new(month(from), month(to)).expect("a test period is valid")
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn the_same_seed_gives_the_same_population() {
    let first = Population::generate(TEST_SEED, TEST_PERSONS);
    let second = Population::generate(TEST_SEED, TEST_PERSONS);
    assert!(first.persons() == second.persons(), "persons differ between two draws from one seed");
    assert!(first.households() == second.households(), "households differ between two draws from one seed");
    let window = period("2025-01", "2026-12");
    for person in first.persons().iter().step_by(37) {
        assert!(first.incomes(&person.code, window) == second.incomes(&person.code, window));
    }
}

#[test]
fn different_seeds_give_different_populations() {
    let first = Population::generate(1, 500);
    let second = Population::generate(2, 500);
    let first_codes: HashSet<&PersonCode> = first.persons().iter().map(|p| &p.code).collect();
    let shared = second.persons().iter().filter(|p| first_codes.contains(&p.code)).count();
    assert!(shared < 5, "two seeds share {shared} of 500 codes");
    assert!(first.households() != second.households());
}

#[test]
fn a_population_has_exactly_the_number_of_persons_asked_for() {
    for persons in [0, 1, 2, 7, 13, 250] {
        let population = Population::generate(3, persons);
        assert_eq!(population.persons().len(), persons);
        let members: usize = population.households().iter().map(|h| h.members.len()).sum();
        assert_eq!(members, persons);
    }
}

#[test]
fn a_test_population_is_drawn_quickly_even_unoptimised() {
    let started = Instant::now();
    let population = Population::generate(11, TEST_PERSONS);
    assert_eq!(population.persons().len(), TEST_PERSONS);
    assert!(started.elapsed() < Duration::from_secs(3), "drawing {TEST_PERSONS} persons took {:?}", started.elapsed());
}

#[test]
fn every_code_is_valid_unique_and_in_the_format_of_its_birth_date() {
    let population = tukums_population();
    let mut seen: HashSet<&str> = HashSet::new();
    let (mut old, mut new, mut changed, mut born_before) = (0, 0, 0, 0);
    for person in population.persons() {
        let reparsed = PersonCode::parse(person.code.as_str()).expect("every issued code parses");
        assert!(reparsed == person.code);
        assert!(seen.insert(person.code.as_str()), "a code was issued twice");
        let born_new = person.birth_date >= date!(2017 - 07 - 01);
        if !born_new {
            born_before += 1;
        }
        match person.code.format() {
            PersonCodeFormat::Old => {
                old += 1;
                assert!(!born_new, "someone born after 2017-07-01 has an old-format code");
                assert!(
                    person.code.birth_date() == Some(person.birth_date),
                    "an old-format code with a wrong birth date"
                );
                assert!(person.former_code.is_none());
            }
            PersonCodeFormat::New => {
                new += 1;
                let digits = person.code.as_str().as_bytes();
                assert_eq!(digits[0], b'3');
                assert!((b'2'..=b'9').contains(&digits[1]));
                if let Some(former) = &person.former_code {
                    changed += 1;
                    assert_eq!(former.format(), PersonCodeFormat::Old);
                    assert!(former.birth_date() == Some(person.birth_date), "a former code with a wrong birth date");
                    assert!(seen.insert(former.as_str()), "a former code was issued twice");
                } else {
                    assert!(born_new, "someone born before 2017-07-01 has a new-format code but no former one");
                }
            }
        }
    }
    assert!(old > 0 && new > 0);
    let changed_share = share(changed, born_before);
    assert!((0.03..0.07).contains(&changed_share), "{changed_share:.3} changed their code");
}

#[test]
fn lookups_by_code_and_address_agree_with_the_lists() {
    let population = test_population();
    for (index, person) in population.persons().iter().enumerate() {
        let found = population.person(&person.code).expect("every person is found by code");
        assert_eq!(found.record_id, person.record_id);
        assert_eq!(person.record_id, format!("fpr-{:09}", index + 1));
        let household = population.household_of(&person.code).expect("every person has a household");
        assert_eq!(household.address_code, person.address_code);
        assert!(household.members.contains(&person.code));
        let at = population.household_at(&person.address_code).expect("the dwelling is found");
        assert!(at == household);
    }
    let unknown = unknown_code(&population);
    assert!(population.person(&unknown).is_none());
    assert!(population.household_of(&unknown).is_none());
    assert!(population.household_at("000000000").is_none());
    assert!(population.incomes(&unknown, period("2025-01", "2025-12")).is_empty());
}

#[test]
fn households_have_one_to_six_members_at_distinct_dwellings() {
    let population = tukums_population();
    let mut codes = HashSet::new();
    let mut texts = HashSet::new();
    let mut members = HashSet::new();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for household in population.households() {
        assert!((1..=6).contains(&household.members.len()));
        *sizes.entry(household.members.len()).or_default() += 1;
        assert_eq!(household.address_code.len(), 9);
        assert!(household.address_code.bytes().all(|b| b.is_ascii_digit()));
        assert!(codes.insert(household.address_code.as_str()), "two households share an address code");
        assert!(texts.insert(household.address_text.as_str()), "two households share an address");
        assert!(household.address_text.contains("Tukuma nov., LV-3"));
        for code in &household.members {
            assert!(members.insert(code.clone()), "a person is declared in two households");
        }
    }
    assert_eq!(members.len(), population.persons().len());
    let households = population.households().len();
    let mean = population.persons().len() as f64 / households as f64;
    assert!((2.0..2.6).contains(&mean), "mean household size {mean:.2}");
    let singles = share(sizes[&1], households);
    assert!((0.25..0.45).contains(&singles), "{singles:.2} of households are singles");
    assert!(sizes.get(&6).copied().unwrap_or(0) > 0 && sizes.get(&5).copied().unwrap_or(0) > 0);
    let places =
        ["Tukums,", "Kandava,", "Engures pag.", "Smārdes pag.", "Jaunpils pag.", "Zantes pag.", "Slampes pag."];
    for place in places {
        assert!(population.households().iter().any(|h| h.address_text.contains(place)), "nobody lives in {place}");
    }
}

#[test]
fn ages_and_declarations_are_plausible() {
    let population = tukums_population();
    let persons = population.persons();
    let mut bands = [0usize; 3];
    for person in persons {
        let age = person.age_on(REFERENCE_DATE);
        assert!(age <= 100, "someone is {age}");
        bands[match age {
            0..18 => 0,
            18..65 => 1,
            _ => 2,
        }] += 1;
        assert!(person.declared_from >= person.birth_date);
        assert!(person.declared_from <= REFERENCE_DATE);
    }
    let minors = share(bands[0], persons.len());
    let seniors = share(bands[2], persons.len());
    assert!((0.14..0.25).contains(&minors), "{minors:.3} are minors");
    assert!((0.17..0.27).contains(&seniors), "{seniors:.3} are 65 or older");
    // Every household has an adult in it.
    for household in population.households() {
        let adult =
            household.members.iter().filter_map(|code| population.person(code)).any(|p| p.age_on(REFERENCE_DATE) >= 18);
        assert!(adult, "a household of minors only");
    }
}

#[test]
fn family_names_take_the_form_of_the_bearers_sex() {
    let population = test_population();
    for person in population.persons() {
        let pair = FAMILY_NAMES
            .iter()
            .find(|pair| pair.male == person.family_name || pair.female == person.family_name)
            .expect("every family name is from the list");
        let expected = pair.for_sex(person.sex);
        assert!(person.family_name == expected, "a family name in the wrong form");
    }
    let female_forms = population
        .persons()
        .iter()
        .filter(|p| p.sex == Sex::Female)
        .filter(|p| p.family_name.ends_with('a') || p.family_name.ends_with('e'))
        .count();
    let females = population.persons().iter().filter(|p| p.sex == Sex::Female).count();
    assert_eq!(female_forms, females, "a woman's family name ends in -a or -e");
}

#[test]
fn income_shares_are_plausible_at_the_default_scale() {
    let population = tukums_population();
    let december = period("2025-12", "2025-12");
    let (mut adults, mut adults_without, mut seniors, mut pensioners) = (0, 0, 0, 0);
    let (mut working_age, mut earners) = (0, 0);
    let mut kinds: HashMap<IncomeKind, usize> = HashMap::new();
    for person in population.persons() {
        let incomes = population.incomes(&person.code, december);
        for income in &incomes {
            *kinds.entry(income.kind).or_default() += 1;
        }
        let age = person.age_on(date!(2025 - 12 - 31));
        let has = |kind| incomes.iter().any(|i| i.kind == kind);
        if age >= 18 {
            adults += 1;
            adults_without += usize::from(incomes.is_empty());
        }
        if age >= 65 {
            seniors += 1;
            pensioners += usize::from(has(IncomeKind::OldAgePension));
        }
        if (25..60).contains(&age) {
            working_age += 1;
            earners += usize::from(has(IncomeKind::InsuredIncome));
        }
    }
    let with_pension = share(pensioners, seniors);
    assert!(with_pension > 0.9, "{with_pension:.3} of those 65+ have an old-age pension");
    let without = share(adults_without, adults);
    assert!((0.05..0.20).contains(&without), "{without:.3} of adults have no income");
    let earning = share(earners, working_age);
    assert!((0.6..0.9).contains(&earning), "{earning:.3} of those 25-59 have insured income");
    for kind in [
        IncomeKind::OldAgePension,
        IncomeKind::DisabilityPension,
        IncomeKind::SurvivorPension,
        IncomeKind::UnemploymentBenefit,
        IncomeKind::SicknessBenefit,
        IncomeKind::ParentalBenefit,
        IncomeKind::FamilyStateBenefit,
        IncomeKind::InsuredIncome,
    ] {
        assert!(kinds.get(&kind).copied().unwrap_or(0) > 10, "hardly anyone has {kind:?}");
    }
    assert!(kinds[&IncomeKind::UnemploymentBenefit] < kinds[&IncomeKind::InsuredIncome] / 10);
}

#[test]
fn every_household_with_young_children_draws_the_family_benefit() {
    let population = tukums_population();
    let december = period("2025-12", "2025-12");
    let (mut families, mut drawing) = (0, 0);
    for household in population.households() {
        let members: Vec<&SyntheticPerson> = household.members.iter().filter_map(|c| population.person(c)).collect();
        let has_child_1_to_15 = members.iter().any(|p| (1..16).contains(&p.age_on(date!(2025 - 11 - 01))));
        let has_parent = members.iter().any(|p| (18..65).contains(&p.age_on(REFERENCE_DATE)));
        if !(has_child_1_to_15 && has_parent) {
            continue;
        }
        families += 1;
        let benefit = members
            .iter()
            .any(|p| population.incomes(&p.code, december).iter().any(|i| i.kind == IncomeKind::FamilyStateBenefit));
        drawing += usize::from(benefit);
    }
    let drawing_share = share(drawing, families);
    assert!(drawing_share > 0.95, "{drawing_share:.3} of families with children draw the family benefit");
}

#[test]
fn incomes_are_sorted_and_unique_per_month_and_kind() {
    let population = test_population();
    let windows = [period("2020-01", "2021-12"), period("2024-03", "2026-02"), period("2029-01", "2030-12")];
    for person in population.persons() {
        for window in windows {
            let incomes = population.incomes(&person.code, window);
            let keys: Vec<(Month, IncomeKind)> = incomes.iter().map(|i| (i.month, i.kind)).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            assert!(keys == sorted, "incomes are not sorted or not unique per month and kind");
            let ids: HashSet<&str> = incomes.iter().map(|i| i.record_id.as_str()).collect();
            assert_eq!(ids.len(), incomes.len(), "record ids repeat");
            for income in &incomes {
                assert!(window.contains(income.month));
                assert!(income.amount.cents() > 0);
                let prefix = format!("vsaa-{}-", income.month);
                assert!(income.record_id.starts_with(&prefix));
            }
        }
    }
}

#[test]
fn a_record_id_is_stable_across_periods() {
    let population = test_population();
    let short = period("2025-06", "2025-06");
    let long = period("2024-01", "2025-12");
    for person in population.persons().iter().step_by(13) {
        let in_long: HashMap<(Month, IncomeKind), String> =
            population.incomes(&person.code, long).into_iter().map(|i| ((i.month, i.kind), i.record_id)).collect();
        for income in population.incomes(&person.code, short) {
            assert_eq!(in_long.get(&(income.month, income.kind)), Some(&income.record_id));
        }
    }
}

#[test]
fn salaries_vary_within_fifteen_percent_and_other_incomes_stay_fixed() {
    let population = test_population();
    let window = period("2024-01", "2025-12");
    let mut varied = 0;
    for person in population.persons() {
        for stream in &person.streams {
            let incomes: Vec<i64> = population
                .incomes(&person.code, window)
                .iter()
                .filter(|i| {
                    i.kind == stream.kind && stream.first <= i.month && stream.last.is_none_or(|l| i.month <= l)
                })
                .map(|i| i.amount.cents())
                .collect();
            match &stream.amount {
                StreamAmount::Salary(base) => {
                    for cents in &incomes {
                        assert!((cents - base).abs() * 100 <= base * 15, "a salary moved more than 15 %");
                    }
                    if incomes.iter().collect::<HashSet<_>>().len() > 1 {
                        varied += 1;
                    }
                }
                StreamAmount::Fixed(cents) => assert!(incomes.iter().all(|c| c == cents)),
                StreamAmount::PerChild(_) => assert!(incomes.iter().all(|c| c % 2_500 == 0)),
            }
        }
    }
    assert!(varied > 100, "salaries hardly vary");
}

#[test]
fn incomes_are_available_from_2020_to_2030_and_change_over_time() {
    let population = tukums_population();
    let first = Period::new(Month::of(WINDOW_START), Month::of(WINDOW_START).plus(2)).expect("valid");
    let last = Period::new(Month::of(WINDOW_END).plus(-2), Month::of(WINDOW_END)).expect("valid");
    let (mut at_start, mut at_end, mut differing) = (0, 0, 0);
    for person in population.persons().iter().step_by(7) {
        let early = population.incomes(&person.code, first);
        let late = population.incomes(&person.code, last);
        at_start += usize::from(!early.is_empty());
        at_end += usize::from(!late.is_empty());
        let kinds = |incomes: &[TrueIncome]| incomes.iter().map(|i| i.kind).collect::<HashSet<_>>();
        differing += usize::from(kinds(&early) != kinds(&late));
    }
    let sampled = population.persons().len().div_ceil(7);
    assert!(share(at_start, sampled) > 0.5, "few incomes in 2020-01");
    assert!(share(at_end, sampled) > 0.5, "few incomes in 2030-12");
    assert!(share(differing, sampled) > 0.15, "incomes hardly change between 2020 and 2030");
}

#[test]
fn streams_of_one_kind_never_overlap() {
    let population = tukums_population();
    for person in population.persons() {
        for pair in person.streams.windows(2) {
            assert!((pair[0].kind, pair[0].first) <= (pair[1].kind, pair[1].first), "streams out of order");
            if pair[0].kind == pair[1].kind {
                let last = pair[0].last.expect("an earlier stream of a kind ends");
                assert!(last < pair[1].first, "two streams of one kind overlap");
            }
        }
    }
}

#[test]
fn the_registers_hold_plausible_shares_of_tukums() {
    let population = tukums_population();
    let on = REFERENCE_DATE;
    let working_age: Vec<_> = population.persons().iter().filter(|p| (18..64).contains(&p.age_on(on))).collect();
    let unemployed = working_age
        .iter()
        .filter(|p| {
            population.nva_statuses(&p.code, on, on).iter().any(|s| s.kind == gateway_domain::StatusKind::Unemployed)
        })
        .count();
    let unemployment = share(unemployed, working_age.len());
    assert!((0.02..0.10).contains(&unemployment), "registered unemployment {unemployment}");
    let disabled = population.persons().iter().filter(|p| !population.disabilities(&p.code, on, on).is_empty()).count();
    let disability = share(disabled, population.persons().len());
    assert!((0.04..0.16).contains(&disability), "disability {disability}");
    let owning =
        population.households().iter().filter(|h| h.members.iter().any(|m| !population.assets(m).is_empty())).count();
    assert!((0.6..0.9).contains(&share(owning, population.households().len())), "owning households");
    let shared = population.properties().iter().filter(|p| p.owners.len() > 1).count();
    let elsewhere = population.properties().iter().filter(|p| p.municipality != HOME_MUNICIPALITY).count();
    assert!(shared > 1_000 && elsewhere > 200, "shared {shared}, elsewhere {elsewhere}");
    let kinds: HashSet<_> = population.properties().iter().map(|p| p.kind).collect();
    assert_eq!(kinds.len(), 3, "land, buildings and apartments");
    let stipends = population
        .persons()
        .iter()
        .filter(|p| !population.nva_incomes(&p.code, period("2025-01", "2026-12")).is_empty())
        .count();
    assert!(stipends > 300, "NVA pays someone ({stipends})");
}

#[test]
fn every_vsaa_unemployment_benefit_month_is_a_month_of_nva_registration() {
    let population = test_population();
    let window = period("2025-01", "2026-12");
    for person in population.persons() {
        for income in population.incomes(&person.code, window) {
            if income.kind == IncomeKind::UnemploymentBenefit {
                let (first, last) = (income.month.first_day(), income.month.last_day());
                assert!(!population.nva_statuses(&person.code, first, last).is_empty(), "{person:?}");
            }
        }
    }
}

#[test]
fn co_financing_is_thirty_percent_of_what_was_paid_and_only_for_the_home_municipality() {
    let population = test_population();
    let confirmations = population.cofinancing(HOME_MUNICIPALITY, month("2025-03")).unwrap();
    assert_eq!(confirmations.len(), 2);
    for c in &confirmations {
        assert_eq!(c.co_financed, gateway_domain::co_financed_share(c.paid));
        assert!(c.households > 0 && c.paid.cents() > 0);
    }
    assert_eq!(population.cofinancing(HOME_MUNICIPALITY, month("2025-03")), Some(confirmations));
    assert_eq!(population.cofinancing("talsi", month("2025-03")), None);
    assert_eq!(population.cofinancing(HOME_MUNICIPALITY, month("2019-12")), None);
}

#[test]
fn the_fund_pays_for_about_six_percent_of_tukums_minors_in_a_month() {
    let population = tukums_population();
    let january = period("2026-01", "2026-01");
    let minors: Vec<_> = population.persons().iter().filter(|p| p.age_on(REFERENCE_DATE) < 18).collect();
    let paid = minors.iter().filter(|p| !population.ugfa_incomes(&p.code, january).is_empty()).count();
    let share = share(paid, minors.len());
    // UGFA pays for about 20 000 of Latvia's about 350 000 children.
    assert!((0.045..0.075).contains(&share), "share of minors paid for {share} ({paid} of {})", minors.len());
}

#[test]
fn the_fund_pays_the_guaranteed_minimum_for_children_of_one_parent_only() {
    let population = tukums_population();
    // Periods are at most 24 months long.
    let windows: Vec<Period> = (0..6)
        .map(|n| Month::of(WINDOW_START).plus(24 * n))
        .map(|from| Period::new(from, from.plus(23).min(Month::of(WINDOW_END))).unwrap())
        .collect();
    let mut paid_for = 0;
    for person in population.persons() {
        let payments: Vec<_> = windows.iter().flat_map(|w| population.ugfa_incomes(&person.code, *w)).collect();
        if payments.is_empty() {
            continue;
        }
        paid_for += 1;
        assert!(person.one_parent_at_home, "{person:?}: the fund pays for a child living with one parent");
        let survivor =
            |w: &Period| population.incomes(&person.code, *w).iter().any(|i| i.kind == IncomeKind::SurvivorPension);
        assert!(!windows.iter().any(survivor), "{person:?}: not for a child who lost a parent");
        for payment in &payments {
            let age = person.age_on(payment.month.first_day());
            assert!(age < 18, "{person:?}: paid at {age}");
            let wage = match payment.month.year() {
                2020 => 43_000,
                2021 | 2022 => 50_000,
                2023 => 62_000,
                2024 => 70_000,
                2025 => 74_000,
                _ => 78_000,
            };
            let expected = if age < 7 { wage / 4 } else { wage * 3 / 10 };
            assert_eq!(payment.amount.cents(), expected, "{person:?} in {}", payment.month);
            assert_eq!(payment.kind, IncomeKind::MaintenancePayment);
            assert!(payment.record_id.starts_with(&format!("ugfa-{}-", payment.month)));
        }
        let months: HashSet<_> = payments.iter().map(|p| p.month).collect();
        assert_eq!(months.len(), payments.len(), "one payment per month");
    }
    assert!(paid_for > 500, "the fund pays for someone ({paid_for})");
}

#[test]
fn registry_incomes_are_each_registry_s_incomes_with_its_system() {
    use gateway_domain::System;
    let population = test_population();
    let window = period("2025-01", "2026-12");
    for person in population.persons().iter().take(400) {
        let every = population.registry_incomes(&person.code, window);
        let code = &person.code;
        let sources = [
            (System::Vsaa, population.incomes(code, window)),
            (System::Nva, population.nva_incomes(code, window)),
            (System::Ugfa, population.ugfa_incomes(code, window)),
            (System::Vid, population.vid_incomes(code, window)),
            (System::Lad, population.lad_incomes(code, window)),
        ];
        for (system, own) in &sources {
            let reported: Vec<&TrueIncome> = every.iter().filter(|(s, _)| s == system).map(|(_, i)| i).collect();
            assert_eq!(reported, own.iter().collect::<Vec<_>>(), "{system} {person:?}");
        }
        assert_eq!(every.len(), sources.iter().map(|(_, own)| own.len()).sum::<usize>(), "{person:?}");
    }
}
