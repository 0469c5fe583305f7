//! Draws the synthetic population and prints how long that took and what it looks like:
//! household sizes, ages and income shares. No person is printed.
//!
//! `cargo run --release -p gateway-mocks --example population_summary -- [seed] [persons]`

use std::collections::BTreeMap;
use std::time::Instant;

use gateway_domain::{IncomeKind, Month, Period, PersonCodeFormat};
use gateway_mocks::{Population, REFERENCE_DATE, TUKUMS_PERSONS};

fn main() {
    let mut args = std::env::args().skip(1);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let persons: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(TUKUMS_PERSONS);

    let started = Instant::now();
    let population = Population::generate(seed, persons);
    let elapsed = started.elapsed();
    println!("generated {} persons in {} households in {elapsed:?}", persons, population.households().len());

    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for household in population.households() {
        *sizes.entry(household.members.len()).or_default() += 1;
    }
    println!("household sizes: {sizes:?}");

    let mut bands: BTreeMap<&str, usize> = BTreeMap::new();
    for person in population.persons() {
        let band = match person.age_on(REFERENCE_DATE) {
            0..18 => "0-17",
            18..65 => "18-64",
            _ => "65+",
        };
        *bands.entry(band).or_default() += 1;
    }
    let share = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    for (band, n) in &bands {
        println!("age {band}: {n} ({:.1} %)", share(*n, persons));
    }
    let new_format = population.persons().iter().filter(|p| p.code.format() == PersonCodeFormat::New).count();
    let changed = population.persons().iter().filter(|p| p.former_code.is_some()).count();
    println!("new-format codes: {new_format}, of them changed from an old one: {changed}");

    let Ok(month) = Month::parse("2025-12") else { return };
    let Ok(period) = Period::new(month, month) else { return };
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let (mut adults, mut adults_without, mut seniors, mut seniors_with_pension) = (0, 0, 0, 0);
    for person in population.persons() {
        let incomes = population.incomes(&person.code, period);
        for income in &incomes {
            *kinds.entry(format!("{:?}", income.kind)).or_default() += 1;
        }
        let age = person.age_on(month.last_day());
        if age >= 18 {
            adults += 1;
            if incomes.is_empty() {
                adults_without += 1;
            }
        }
        if age >= 65 {
            seniors += 1;
            if incomes.iter().any(|i| i.kind == IncomeKind::OldAgePension) {
                seniors_with_pension += 1;
            }
        }
    }
    println!("incomes in {month}: {kinds:?}");
    println!("adults without income: {:.1} %", share(adults_without, adults));
    println!("65+ with an old-age pension: {:.1} %", share(seniors_with_pension, seniors));

    let started = Instant::now();
    let Ok(from) = Month::parse("2024-01") else { return };
    let Ok(period) = Period::new(from, from.plus(23)) else { return };
    let records: usize = population.persons().iter().map(|p| population.incomes(&p.code, period).len()).sum();
    println!("{records} income records over 24 months for everyone in {:?}", started.elapsed());
}
