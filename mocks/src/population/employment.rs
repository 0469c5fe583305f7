//! What the State Revenue Service (VID) knows about the population: the pay each employer
//! reported for a person, month by month, after tax, and the employment relationships the
//! employers registered (workplaces).
//!
//! Pay counts once, as VID's: VSAA's insured income is the contribution base of the same pay.
//! So for every month in which VSAA has an insured income for a person, VID has employment
//! income from one or two employers that sums to exactly that amount, and none in other
//! months.
//!
//! Who works where: each of VSAA's insured-income streams (one job, as the population draws
//! it) is one relationship with a main employer. About one in eight Latvian employees has more
//! than one job at a time (the share of employees with several employers at once that is
//! commonly quoted from VID's register of employees). So a job's months within the window fall
//! into runs of 6 to 36 months, and in one run in eight (`SECOND_JOB_SHARE`) the person has a
//! second job beside it with another employer: in any month of the window about one earner in
//! eight has two employers. A second job pays a part-time share of the month's pay (15 % to
//! 45 %, rounded down to the cent); the remainder goes to the first employer, the main one.
//!
//! Relationships start on or up to two weeks before the first day of their first paid month
//! (pay for the first days is paid with the first full month) and end on the last day of their
//! last paid month, or are open when their pay runs to the end of the window.
//!
//! Employers: a pool of synthetic employers of the county, one for every 50 residents (about
//! 900 for Tukums county's 45 959: the order of the county's companies and associations with
//! employees, most of them small), with 11-digit registration numbers in the ranges the
//! Register of Enterprises gives companies (`4000`, `4010`, `4020`) and associations (`5000`),
//! and names made of a place of the county and a trade ("SIA Kurzemes Koks"). A few employers
//! employ many: an employer is drawn with a weight that falls with its position in the pool.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that the persons, households, VSAA incomes, the registers and the fund of a seed
//! stay what they were before VID existed.

use std::collections::{HashMap, HashSet};

use gateway_domain::{IncomeKind, Money, Month, Organisation, Period, PersonCode, StatusDetail, StatusKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

use super::incomes::{WINDOW_END, WINDOW_START};
use super::{Population, TrueIncome, TrueStatus, mix};

/// Salt of VID's own random stream.
const EMPLOYMENT_SALT: u64 = 0x5649_4445_4d50_4c4f;

/// Share of the runs of a job's months that have a second job beside them.
const SECOND_JOB_SHARE: f64 = 0.125;

/// How long a run of a job's months is, in months.
const SECOND_JOB_RUN_MONTHS: std::ops::RangeInclusive<i32> = 6..=36;

/// The share of the month's pay a second job pays, in basis points.
const SECOND_JOB_BASIS_POINTS: std::ops::RangeInclusive<i64> = 1_500..=4_500;

/// Residents per employer in the pool.
const RESIDENTS_PER_EMPLOYER: usize = 50;

/// The longest a relationship starts before its first paid month, in days.
const EARLY_START_DAYS: i64 = 14;

/// Places of the county (genitive, as company names have them).
const PLACES: &[&str] = &[
    "Tukuma",
    "Kandavas",
    "Engures",
    "Jaunpils",
    "Kurzemes",
    "Zemgales",
    "Irlavas",
    "Sēmes",
    "Džūkstes",
    "Lestenes",
    "Smārdes",
    "Slampes",
    "Zantes",
    "Zemītes",
    "Matkules",
    "Vānes",
    "Pūres",
    "Degoles",
    "Lapmežciema",
    "Milzkalnes",
    "Jaunsātu",
    "Cēres",
    "Tumes",
    "Abavas",
];

/// Trades, as the second word of a company name.
const TRADES: &[&str] = &[
    "Koks",
    "Maiznīca",
    "Piens",
    "Būve",
    "Transports",
    "Mežs",
    "Dārzs",
    "Serviss",
    "Elektro",
    "Metāls",
    "Logi",
    "Mēbeles",
    "Lauki",
    "Grauds",
    "Medus",
    "Zivis",
    "Auto",
    "Ceļi",
    "Siltums",
    "Ūdens",
    "Aptieka",
    "Veikals",
    "Viesnīca",
    "Kafejnīca",
    "Skaistums",
    "Drukātava",
    "Projekti",
    "Grāmatvedība",
    "Loģistika",
    "Tekstils",
    "Keramika",
    "Ainava",
    "Enerģija",
    "Apkope",
    "Tehnika",
    "Agro",
    "Celtnieks",
    "Mājas",
    "Veselība",
    "Sports",
];

/// Registration-number prefixes of companies, and of associations.
const COMPANY_PREFIXES: &[&str] = &["4000", "4010", "4020"];
const ASSOCIATION_PREFIX: &str = "5000";
/// Share of the pool that are associations and foundations rather than companies.
const ASSOCIATION_SHARE: f64 = 0.08;
/// Share of the companies that are joint-stock companies (AS) rather than limited ones (SIA).
const JOINT_STOCK_SHARE: f64 = 0.05;

/// One employment relationship of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relationship {
    /// Position of the employer in the pool.
    employer: usize,
    first_paid: Month,
    last_paid: Month,
    start: Date,
    /// `None` when the pay runs to the window's end.
    end: Option<Date>,
    /// For a second job, its share of the month's pay in basis points; `None` for the main one.
    second: Option<i64>,
}

impl Relationship {
    fn pays_in(&self, month: Month) -> bool {
        self.first_paid <= month && month <= self.last_paid
    }
}

/// VID's data: the employers and, by person index, their relationships in record-id order.
#[derive(Debug, Default)]
pub(crate) struct Employment {
    employers: Vec<Organisation>,
    relationships: HashMap<usize, Vec<Relationship>>,
}

impl Employment {
    pub(crate) fn draw(population: &Population) -> Employment {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, EMPLOYMENT_SALT));
        let employers = draw_employers(&mut rng, population.persons.len());
        let mut relationships = HashMap::new();
        let (window_start, window_end) = (Month::of(WINDOW_START), Month::of(WINDOW_END));
        for person in &population.persons {
            let mut drawn = Vec::new();
            let jobs = person.streams.iter().filter(|s| s.kind == IncomeKind::InsuredIncome);
            for job in jobs {
                let (first_paid, last_paid) = (job.first, job.last.unwrap_or(window_end.max(job.first)));
                let main = pick_employer(&mut rng, employers.len(), None);
                drawn.push(relationship(&mut rng, main, first_paid, last_paid, None));
                // The job's months in the window, run by run; a run may have a second job.
                let (mut from, to) = (first_paid.max(window_start), last_paid.min(window_end));
                while from <= to {
                    let last = from.plus(rng.random_range(SECOND_JOB_RUN_MONTHS) - 1).min(to);
                    if rng.random_bool(SECOND_JOB_SHARE) {
                        let share = rng.random_range(SECOND_JOB_BASIS_POINTS);
                        let second = pick_employer(&mut rng, employers.len(), Some(main));
                        drawn.push(relationship(&mut rng, second, from, last, Some(share)));
                    }
                    from = last.next();
                }
            }
            if !drawn.is_empty() {
                drawn.sort_by_key(|r| (r.start, r.first_paid, r.second.is_some()));
                relationships.insert(person.index, drawn);
            }
        }
        Employment { employers, relationships }
    }
}

/// A relationship paid from `first_paid` to `last_paid`.
fn relationship(
    rng: &mut ChaCha8Rng,
    employer: usize,
    first_paid: Month,
    last_paid: Month,
    second: Option<i64>,
) -> Relationship {
    let start = first_paid.first_day() - Duration::days(rng.random_range(0..=EARLY_START_DAYS));
    let end = (last_paid < Month::of(WINDOW_END)).then(|| last_paid.last_day());
    Relationship { employer, first_paid, last_paid, start, end, second }
}

/// An employer from a pool of `pool`, the first ones more often, never `not`.
fn pick_employer(rng: &mut ChaCha8Rng, pool: usize, not: Option<usize>) -> usize {
    loop {
        let u: f64 = rng.random();
        let drawn = ((pool as f64) * u * u) as usize;
        let drawn = drawn.min(pool - 1);
        if Some(drawn) != not || pool == 1 {
            return drawn;
        }
    }
}

/// The county's employers: distinct registration numbers and distinct names.
fn draw_employers(rng: &mut ChaCha8Rng, residents: usize) -> Vec<Organisation> {
    let size = (residents / RESIDENTS_PER_EMPLOYER).clamp(8, PLACES.len() * TRADES.len());
    let mut numbers = HashSet::with_capacity(size);
    let mut names = HashSet::with_capacity(size);
    let mut employers = Vec::with_capacity(size);
    while employers.len() < size {
        let association = rng.random_bool(ASSOCIATION_SHARE);
        let prefix = if association {
            ASSOCIATION_PREFIX
        } else {
            COMPANY_PREFIXES[rng.random_range(0..COMPANY_PREFIXES.len())]
        };
        let number = format!("{prefix}{:07}", rng.random_range(0..10_000_000u32));
        let form = if association {
            "Biedrība"
        } else if rng.random_bool(JOINT_STOCK_SHARE) {
            "AS"
        } else {
            "SIA"
        };
        let (place, trade) = (PLACES[rng.random_range(0..PLACES.len())], TRADES[rng.random_range(0..TRADES.len())]);
        // One name per place and trade, whatever the legal form.
        if numbers.contains(&number) || !names.insert((place, trade)) {
            continue;
        }
        numbers.insert(number.clone());
        employers.push(Organisation { registration_number: number, name: format!("{form} {place} {trade}") });
    }
    employers
}

impl Population {
    /// Exactly the employment income VID serves for this person in the period: one record per
    /// month and employer, after tax, summing in each month to VSAA's insured income of that
    /// month, sorted by month, then employer registration number. Empty for an unknown person.
    pub fn vid_incomes(&self, code: &PersonCode, period: Period) -> Vec<TrueIncome> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let Some(relationships) = self.employment.relationships.get(&person.index) else { return Vec::new() };
        let mut found = Vec::new();
        for insured in self.incomes(code, period).into_iter().filter(|i| i.kind == IncomeKind::InsuredIncome) {
            let month = insured.month;
            let Some(main) = relationships.iter().find(|r| r.second.is_none() && r.pays_in(month)) else {
                continue;
            };
            let total = insured.amount.cents();
            let mut parts = Vec::with_capacity(2);
            let mut rest = total;
            for second in relationships.iter().filter(|r| r.pays_in(month)) {
                let Some(share) = second.second else { continue };
                let part = total * share / 10_000;
                rest -= part;
                parts.push((second.employer, part));
            }
            parts.insert(0, (main.employer, rest));
            for (employer, cents) in parts.into_iter().filter(|(_, cents)| *cents > 0) {
                let employer = self.employment.employers[employer].clone();
                found.push(TrueIncome {
                    record_id: format!("vid-{month}-{:06}-{}", person.index + 1, employer.registration_number),
                    month,
                    kind: IncomeKind::EmploymentIncome,
                    amount: Money::from_cents(cents),
                    employer: Some(employer),
                    scheme: None,
                });
            }
        }
        found.sort_by(|a, b| {
            let number = |i: &TrueIncome| i.employer.as_ref().map(|e| e.registration_number.clone());
            (a.month, number(a)).cmp(&(b.month, number(b)))
        });
        found
    }

    /// The employment relationships VID serves for this person that hold on any day from
    /// `first` to `last`, in record-id order, each naming its workplace.
    pub fn workplaces(&self, code: &PersonCode, first: Date, last: Date) -> Vec<TrueStatus> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let Some(relationships) = self.employment.relationships.get(&person.index) else { return Vec::new() };
        relationships
            .iter()
            .enumerate()
            .map(|(number, r)| TrueStatus {
                record_id: format!("vid-emp-{:06}-{:02}", person.index + 1, number + 1),
                kind: StatusKind::Employed,
                special_care: false,
                valid_from: r.start,
                valid_to: r.end,
                detail: Some(StatusDetail::Workplace { employer: self.employment.employers[r.employer].clone() }),
            })
            .filter(|status| status.overlaps(first, last))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::test_support::{test_population, unknown_code};

    fn period(from: &str, to: &str) -> Period {
        Period::new(Month::parse(from).expect("month"), Month::parse(to).expect("month")).expect("period")
    }

    fn employer_of(status: &TrueStatus) -> &Organisation {
        match &status.detail {
            Some(StatusDetail::Workplace { employer }) => employer,
            other => panic!("a workplace without its employer: {other:?}"),
        }
    }

    #[test]
    fn vid_pay_sums_to_vsaa_insured_income_in_every_month_and_only_then() {
        let population = test_population();
        let mut months_paid = 0;
        for person in population.persons().iter().step_by(3) {
            for window in [period("2019-01", "2020-12"), period("2024-11", "2026-10"), period("2029-01", "2030-12")] {
                let mut insured: BTreeMap<Month, i64> = BTreeMap::new();
                for income in population.incomes(&person.code, window) {
                    if income.kind == IncomeKind::InsuredIncome {
                        *insured.entry(income.month).or_default() += income.amount.cents();
                    }
                }
                let mut vid: BTreeMap<Month, i64> = BTreeMap::new();
                for income in population.vid_incomes(&person.code, window) {
                    *vid.entry(income.month).or_default() += income.amount.cents();
                }
                months_paid += insured.len();
                assert_eq!(vid, insured, "{person:?}");
            }
        }
        assert!(months_paid > 10_000, "the sample has earners ({months_paid})");
    }

    #[test]
    fn about_one_earner_in_eight_has_two_employers_in_a_month() {
        let population = test_population();
        // Early, middle and late in the window alike.
        for year in [2020, 2025, 2030] {
            let (mut earners, mut with_two) = (0, 0);
            for person in population.persons() {
                let mut per_month: BTreeMap<Month, usize> = BTreeMap::new();
                for income in population.vid_incomes(&person.code, period(&format!("{year}-01"), &format!("{year}-12")))
                {
                    *per_month.entry(income.month).or_default() += 1;
                }
                earners += per_month.len();
                with_two += per_month.values().filter(|&&n| n == 2).count();
                assert!(per_month.values().all(|&n| n <= 2), "at most two employers at a time");
            }
            let share = with_two as f64 / earners as f64;
            assert!(earners > 5_000, "{earners}");
            assert!((0.08..=0.17).contains(&share), "{year}: {share}");
        }
    }

    #[test]
    fn incomes_are_employment_income_named_sorted_and_unique() {
        let population = test_population();
        let window = period("2025-01", "2026-12");
        let mut records = HashSet::new();
        let mut second_parts = 0;
        for person in population.persons().iter().step_by(2) {
            let incomes = population.vid_incomes(&person.code, window);
            let keys: Vec<_> = incomes
                .iter()
                .map(|i| (i.month, i.employer.as_ref().expect("an employer").registration_number.clone()))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(keys, sorted, "sorted by month, then employer, one record each");
            for income in &incomes {
                assert_eq!(income.kind, IncomeKind::EmploymentIncome);
                assert_eq!(income.scheme, None);
                assert!(income.amount.cents() > 0);
                assert!(window.contains(income.month));
                assert!(records.insert(income.record_id.clone()), "record ids are unique");
            }
            // The first employer of a month takes the remainder: it is paid the most.
            for month in window.months() {
                let parts: Vec<i64> = incomes.iter().filter(|i| i.month == month).map(|i| i.amount.cents()).collect();
                if parts.len() == 2 {
                    second_parts += 1;
                    let (high, low) = (parts[0].max(parts[1]), parts[0].min(parts[1]));
                    assert!(low * 10_000 <= (high + low) * 4_500, "a second job pays at most 45 %");
                    assert!(low * 10_000 >= (high + low) * 1_500 - 10_000, "and at least 15 %");
                }
            }
        }
        assert!(second_parts > 100, "{second_parts}");
        assert_eq!(population.vid_incomes(&unknown_code(&population), window), vec![]);
    }

    #[test]
    fn workplaces_cover_every_paid_month_and_overlap_what_was_asked() {
        let population = test_population();
        let (first, last) =
            (Month::parse("2025-01").expect("m").first_day(), Month::parse("2026-12").expect("m").last_day());
        let window = period("2025-01", "2026-12");
        let mut open = 0;
        for person in population.persons().iter().step_by(2) {
            let workplaces = population.workplaces(&person.code, first, last);
            let mut ids: Vec<_> = workplaces.iter().map(|w| w.record_id.clone()).collect();
            assert!(ids.iter().all(|id| id.starts_with("vid-emp-")));
            let count = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), count, "record ids are set and unique");
            for workplace in &workplaces {
                assert_eq!(workplace.kind, StatusKind::Employed);
                assert!(!workplace.special_care);
                assert!(workplace.overlaps(first, last));
                assert!(workplace.valid_to.is_none_or(|to| to >= workplace.valid_from));
                open += usize::from(workplace.valid_to.is_none());
            }
            for income in population.vid_incomes(&person.code, window) {
                let employer = income.employer.as_ref().expect("an employer");
                let covered = workplaces.iter().any(|w| {
                    employer_of(w) == employer
                        && w.valid_from <= income.month.first_day()
                        && w.valid_to.is_none_or(|to| to >= income.month.last_day())
                });
                assert!(covered, "a paid month outside its employment: {person:?}");
            }
            // Outside the period asked for, nothing.
            let before =
                population.workplaces(&person.code, first - Duration::days(40 * 365), first - Duration::days(1));
            assert!(before.iter().all(|w| w.valid_from < first));
        }
        assert!(open > 100, "{open}");
        assert!(population.workplaces(&unknown_code(&population), first, last).is_empty());
    }

    #[test]
    fn employers_are_synthetic_county_employers_with_distinct_numbers_and_names() {
        let population = test_population();
        let employers = &population.employment.employers;
        assert_eq!(employers.len(), population.persons().len() / RESIDENTS_PER_EMPLOYER);
        let numbers: HashSet<_> = employers.iter().map(|e| &e.registration_number).collect();
        let names: HashSet<_> = employers.iter().map(|e| &e.name).collect();
        assert_eq!((numbers.len(), names.len()), (employers.len(), employers.len()));
        for employer in employers {
            let number = &employer.registration_number;
            assert!(number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit()), "{number}");
            assert!(["4000", "4010", "4020", "5000"].contains(&&number[..4]), "{number}");
            let form = employer.name.split(' ').next().unwrap_or_default();
            assert_eq!(form == "Biedrība", number.starts_with("5000"), "{}", employer.name);
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_employment_and_another_seed_another() {
        let a = Population::generate(11, 400);
        let b = Population::generate(11, 400);
        let c = Population::generate(12, 400);
        let window = period("2024-01", "2025-12");
        let (first, last) = (window.from().first_day(), window.to().last_day());
        let mut any = 0;
        for (pa, pb) in a.persons().iter().zip(b.persons()) {
            assert_eq!(a.vid_incomes(&pa.code, window), b.vid_incomes(&pb.code, window));
            assert_eq!(a.workplaces(&pa.code, first, last), b.workplaces(&pb.code, first, last));
            any += a.vid_incomes(&pa.code, window).len();
        }
        assert!(any > 0);
        assert_ne!(a.employment.employers, c.employment.employers);
    }
}
