//! What the Rural Support Service (LAD) knows about the population: the farmers among the
//! adults, the hectares each declares, and the support LAD pays them, by scheme and month.
//!
//! Who: LAD paid the single area payment (from 2023 the basic income support) to about 50 000
//! applicants in 2023, some 3 % of Latvia's about 1.5 million adults; Tukums county is rural,
//! so somewhat more of its adults farm: about 5 %, drawn by where a person lives (our shares,
//! before the age factor: one in four adults on a rural homestead, one in twenty in a parish
//! village, one in a hundred in the towns of Tukums and Kandava) and by age (farmers are older
//! than the population: few under 30, most from 45). Most farm through the whole window; some
//! take up farming later and some give it up.
//!
//! How much land: LAD's applicants share about 2 million hectares of farmland, some 40 ha
//! each on average, most of them small farms and a few large ones holding much of the land.
//! Drawn in hundredths of a hectare, as the single application declares them: 45 % from 1 to
//! 10 ha, 30 % from 10 to 30 ha, 15 % from 30 to 100 ha and 10 % from 100 to 500 ha. The land is
//! the same every year.
//!
//! The schemes and their rates (LAD's published rates; a later year keeps the last one known):
//! - single area payment `VPM` to claim year 2022: 76.80 euro/ha (2018, after the linear
//!   reduction); from 2023 the basic income support `ISIP`: 87.70 euro/ha (2023, kept in
//!   2024), about 80 euro/ha from 2025. 70 % is paid as an advance from mid-October (about
//!   three in four farmers get it in October, the others in November), the balance the
//!   following March to May (LAD had paid 99 % of 2023's direct payments by the end of May
//!   2024);
//! - redistributive support (from 2023; `PPIA` is our code): 53.25 euro/ha for the hectares
//!   from 3.01 to 30 and 12.52 euro/ha from 30.01 to 100, paid whole from December to March;
//! - young farmers `JAL`: 49.26 euro/ha to 2022, 34.96 euro/ha from 2023, for at most 90 ha
//!   (our limit), in the five claim years from setting up, for a farmer set up at 40 or
//!   younger (our share: half of those who could), paid whole from December to March;
//! - less-favoured areas `ADSI`: 35, 45 or 50 euro/ha by the area's category (2018, kept),
//!   for the 70 % of farms we put in such areas; 85 % as an advance in October or November,
//!   the balance the following March to May;
//! - organic farming `BLA`: LAD's 2025 rates run from 43 to 518 euro/ha by crop; a farm is
//!   paid one rate by its main use (ours: 110 euro/ha for meadows and pastures, 160 for field
//!   crops, 518 for vegetables and fruit), for the one farm in ten we make organic (Latvia
//!   counts some 4 000 certified organic farms, under a tenth of LAD's applicants; a rural
//!   county somewhat more); 85 % as an advance in November (LAD begins organic advances on
//!   1 November), the balance the following March to May.
//!
//! Amounts are hectares times the rate, rounded down to the cent; an advance is its share of
//! that amount, rounded down, and the balance the rest. A scheme is paid once per person and
//! month. LAD pays gross: support is income of the holding, taxed later through the
//! person's return, so the amount paid is the amount received. The coupled, eco-scheme and
//! small-farmer payments are left out.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that the persons, households, incomes, registers and the fund's payments of a
//! seed stay what they were before LAD existed.

use std::collections::HashMap;

use gateway_domain::{IncomeKind, Money, Month, Period, PersonCode, SupportScheme};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::incomes::{WINDOW_END, WINDOW_START};
use super::{Population, REFERENCE_DATE, SyntheticPerson, TrueIncome, mix};

/// Salt of LAD's own random stream.
const RURAL_SUPPORT_SALT: u64 = 0x4c41_445f_5255_5241;

/// Share of the adults who farm, by where they live (before the age factor).
const HOMESTEAD_FARMER_SHARE: f64 = 0.25;
const VILLAGE_FARMER_SHARE: f64 = 0.05;
const TOWN_FARMER_SHARE: f64 = 0.01;

/// The oldest age at which a person is drawn as a farmer.
const OLDEST_FARMER: u16 = 85;

/// The first claim year whose payments reach into the window (its balance is paid in spring
/// 2020), and the last one with a payment in it.
const FIRST_CLAIM_YEAR: i32 = 2019;
const LAST_CLAIM_YEAR: i32 = 2030;
/// The first claim year of the 2023-2027 programming period.
const NEW_PERIOD_YEAR: i32 = 2023;

/// Share of the farmers who farm through the whole window, and of those who give it up.
const THROUGHOUT_SHARE: f64 = 0.8;
const GIVE_UP_SHARE: f64 = 0.12;
/// Share of the farmers who could be paid the young farmers' support who are.
const YOUNG_FARMER_SHARE: f64 = 0.5;
/// The oldest age, in the year of setting up, at which a farmer is a young farmer.
const YOUNG_FARMER_AGE: i32 = 40;
/// The claim years a young farmer is paid for, from setting up.
const YOUNG_FARMER_YEARS: i32 = 5;
/// Share of the farms with land in less-favoured areas, and of the organic ones.
const LFA_SHARE: f64 = 0.7;
const ORGANIC_SHARE: f64 = 0.1;

/// Hundredths of a hectare: the hectares from which, and to which, the redistributive support
/// pays its two rates, and the young farmers' limit.
const REDISTRIBUTIVE_FROM: u32 = 300;
const REDISTRIBUTIVE_BAND: u32 = 3_000;
const REDISTRIBUTIVE_TO: u32 = 10_000;
const YOUNG_FARMER_LIMIT: u32 = 9_000;

/// The farm-size classes in hundredths of a hectare, each with its share in percent.
const AREA_CLASSES: &[(u32, (u32, u32))] =
    &[(45, (100, 1_000)), (30, (1_000, 3_000)), (15, (3_000, 10_000)), (10, (10_000, 50_000))];

/// The organic farming rates by a farm's main use, in cents per hectare, each with its share
/// of the organic farms in percent: meadows and pastures, field crops, vegetables and fruit.
const ORGANIC_RATES: &[(u32, i64)] = &[(70, 11_000), (25, 16_000), (5, 51_800)];

/// A support scheme LAD pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scheme {
    /// The single area payment, to claim year 2022.
    Vpm,
    /// The basic income support for sustainability, from 2023.
    Isip,
    /// The complementary redistributive income support, from 2023.
    Ppia,
    /// The young farmers' support.
    Jal,
    /// The payment for areas facing natural or other specific constraints.
    Adsi,
    /// Organic farming.
    Bla,
}

impl Scheme {
    /// LAD's code of the scheme (ours for the redistributive support).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Scheme::Vpm => "VPM",
            Scheme::Isip => "ISIP",
            Scheme::Ppia => "PPIA",
            Scheme::Jal => "JAL",
            Scheme::Adsi => "ADSI",
            Scheme::Bla => "BLA",
        }
    }

    /// The scheme's name as LAD gives it for `claim_year`.
    pub(crate) fn name(self, claim_year: i32) -> &'static str {
        match self {
            Scheme::Vpm => "Vienotais platības maksājums",
            Scheme::Isip => "Ilgtspēju sekmējošais ienākumu pamatatbalsts",
            Scheme::Ppia => "Ilgtspēju sekmējošais pārdalošais ienākumu papildatbalsts",
            Scheme::Jal if claim_year < NEW_PERIOD_YEAR => "Maksājums gados jaunajiem lauksaimniekiem",
            Scheme::Jal => "Ienākumu papildatbalsts gados jauniem lauksaimniekiem",
            Scheme::Adsi => "Maksājumi apgabaliem, kuros ir dabas vai citi specifiski ierobežojumi",
            Scheme::Bla => "Bioloģiskā lauksaimniecība",
        }
    }
}

/// How a scheme's money for one claim year is paid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    /// An advance of this percentage in the autumn of the claim year (October or November,
    /// or November only), the balance the following March to May.
    Advance { percent: i64, november_only: bool },
    /// All at once, from December of the claim year to the following March.
    Whole,
}

/// One payment of a claim year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Payment {
    pub(crate) month: Month,
    pub(crate) scheme: Scheme,
    pub(crate) claim_year: i32,
    pub(crate) amount: Money,
}

/// One farmer's holding as LAD knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Farm {
    /// The hectares declared every year, in hundredths of a hectare.
    pub(crate) area: u32,
    /// The first and last claim years farmed.
    pub(crate) first_year: i32,
    pub(crate) last_year: i32,
    /// The year the farmer set up as a young farmer, when they are paid as one.
    pub(crate) young_from: Option<i32>,
    /// The less-favoured area rate of the land, in cents per hectare.
    pub(crate) lfa_rate: Option<i64>,
    /// The organic farming rate, in cents per hectare.
    pub(crate) organic_rate: Option<i64>,
    /// Decides the month each payment falls in.
    salt: u64,
}

/// `area` hundredths of a hectare at `rate` cents a hectare, rounded down to the cent.
pub(crate) fn per_hectare(area: u32, rate: i64) -> i64 {
    i64::from(area) * rate / 100
}

/// The basic income support's rate for a claim year, in cents per hectare.
fn area_rate(claim_year: i32) -> i64 {
    match claim_year {
        ..NEW_PERIOD_YEAR => 7_680,
        2023 | 2024 => 8_770,
        _ => 8_000,
    }
}

/// The young farmers' rate for a claim year, in cents per hectare.
fn young_farmer_rate(claim_year: i32) -> i64 {
    if claim_year < NEW_PERIOD_YEAR { 4_926 } else { 3_496 }
}

/// The redistributive support for `area`: 53.25 euro/ha from 3.01 to 30 ha, 12.52 from 30.01
/// to 100 ha, in cents.
pub(crate) fn redistributive(area: u32) -> i64 {
    let first = area.clamp(REDISTRIBUTIVE_FROM, REDISTRIBUTIVE_BAND) - REDISTRIBUTIVE_FROM;
    let second = area.clamp(REDISTRIBUTIVE_BAND, REDISTRIBUTIVE_TO) - REDISTRIBUTIVE_BAND;
    (i64::from(first) * 5_325 + i64::from(second) * 1_252) / 100
}

impl Farm {
    /// What LAD pays for `claim_year`, in no particular order; empty in a year not farmed.
    pub(crate) fn payments(&self, claim_year: i32) -> Vec<Payment> {
        if !(self.first_year..=self.last_year).contains(&claim_year) {
            return Vec::new();
        }
        let mut claims: Vec<(Scheme, i64, Schedule)> = Vec::with_capacity(5);
        let basic = if claim_year < NEW_PERIOD_YEAR { Scheme::Vpm } else { Scheme::Isip };
        let direct = Schedule::Advance { percent: 70, november_only: false };
        claims.push((basic, per_hectare(self.area, area_rate(claim_year)), direct));
        if claim_year >= NEW_PERIOD_YEAR {
            claims.push((Scheme::Ppia, redistributive(self.area), Schedule::Whole));
        }
        if let Some(from) = self.young_from
            && (from..from + YOUNG_FARMER_YEARS).contains(&claim_year)
        {
            let area = self.area.min(YOUNG_FARMER_LIMIT);
            claims.push((Scheme::Jal, per_hectare(area, young_farmer_rate(claim_year)), Schedule::Whole));
        }
        if let Some(rate) = self.lfa_rate {
            let schedule = Schedule::Advance { percent: 85, november_only: false };
            claims.push((Scheme::Adsi, per_hectare(self.area, rate), schedule));
        }
        if let Some(rate) = self.organic_rate {
            let schedule = Schedule::Advance { percent: 85, november_only: true };
            claims.push((Scheme::Bla, per_hectare(self.area, rate), schedule));
        }
        let mut payments = Vec::with_capacity(claims.len() * 2);
        for (scheme, total, schedule) in claims {
            let roll = mix(mix(self.salt, claim_year as u64), scheme as u64);
            let autumn = Month::new(claim_year, 10).expect("October is a month");
            let mut pay = |month: Month, amount: i64| {
                if amount > 0 {
                    payments.push(Payment { month, scheme, claim_year, amount: Money::from_cents(amount) });
                }
            };
            match schedule {
                Schedule::Advance { percent, november_only } => {
                    let advance = total * percent / 100;
                    let november = november_only || roll % 4 == 3;
                    pay(autumn.plus(i32::from(november)), advance);
                    // March to May of the following year.
                    pay(autumn.plus(5 + ((roll >> 8) % 3) as i32), total - advance);
                }
                // December to March.
                Schedule::Whole => pay(autumn.plus(2 + ((roll >> 16) % 4) as i32), total),
            }
        }
        payments
    }
}

/// LAD's farmers, by person index.
#[derive(Debug, Default)]
pub(crate) struct RuralSupport {
    pub(crate) farms: HashMap<usize, Farm>,
}

/// Where a person lives, which decides how likely they farm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dwelling {
    Homestead,
    Village,
    Town,
}

impl Dwelling {
    /// The kind of the dwelling at `address_text`, in the address register's written form.
    pub(crate) fn of(address_text: &str) -> Dwelling {
        if address_text.starts_with('"') {
            Dwelling::Homestead
        } else if address_text.contains(" pag.,") {
            Dwelling::Village
        } else {
            Dwelling::Town
        }
    }

    fn farmer_share(self) -> f64 {
        match self {
            Dwelling::Homestead => HOMESTEAD_FARMER_SHARE,
            Dwelling::Village => VILLAGE_FARMER_SHARE,
            Dwelling::Town => TOWN_FARMER_SHARE,
        }
    }
}

/// How much likelier than the average adult a person of `age` farms.
fn age_factor(age: u16) -> f64 {
    match age {
        ..30 => 0.3,
        30..45 => 0.8,
        45..65 => 1.35,
        _ => 1.0,
    }
}

impl RuralSupport {
    pub(crate) fn draw(population: &Population) -> RuralSupport {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, RURAL_SUPPORT_SALT));
        let mut support = RuralSupport::default();
        for person in &population.persons {
            let age = person.age_on(REFERENCE_DATE);
            if !(18..=OLDEST_FARMER).contains(&age) {
                continue;
            }
            let household = &population.households[population.household_index[person.index]];
            let share = Dwelling::of(&household.address_text).farmer_share() * age_factor(age);
            if !rng.random_bool(share) {
                continue;
            }
            let salt = rng.random();
            support.farms.insert(person.index, draw_farm(&mut rng, person, salt));
        }
        support
    }
}

/// One of `shares`' items, each as likely as its share in percent.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, shares: &[(u32, T)]) -> T {
    let mut ticket = rng.random_range(0..shares.iter().map(|(share, _)| share).sum::<u32>());
    for &(share, item) in shares {
        if ticket < share {
            return item;
        }
        ticket -= share;
    }
    shares[shares.len() - 1].1
}

/// A farmer's holding: its land, the years farmed and the schemes it qualifies for.
fn draw_farm(rng: &mut ChaCha8Rng, person: &SyntheticPerson, salt: u64) -> Farm {
    let (low, high) = weighted(rng, AREA_CLASSES);
    let area = rng.random_range(low..high);
    let born = person.birth_date.year();
    // The first claim year the person is of age all through.
    let adult = born + 19;
    let first_year = if rng.random_bool(THROUGHOUT_SHARE) {
        FIRST_CLAIM_YEAR.max(adult)
    } else {
        rng.random_range((FIRST_CLAIM_YEAR + 1).max(adult)..=LAST_CLAIM_YEAR - 2)
    };
    let last_year =
        if rng.random_bool(GIVE_UP_SHARE) { rng.random_range(first_year..LAST_CLAIM_YEAR) } else { LAST_CLAIM_YEAR };
    // A farmer set up in the first year farmed, or before the window for those farming through it.
    let set_up = if first_year == FIRST_CLAIM_YEAR { rng.random_range(2015..=FIRST_CLAIM_YEAR) } else { first_year };
    let young_from =
        (rng.random_bool(YOUNG_FARMER_SHARE) && set_up - born <= YOUNG_FARMER_AGE && set_up >= adult).then_some(set_up);
    let lfa_rate = rng.random_bool(LFA_SHARE).then(|| weighted(rng, &[(30, 3_500), (40, 4_500), (30, 5_000)]));
    let organic_rate = rng.random_bool(ORGANIC_SHARE).then(|| weighted(rng, ORGANIC_RATES));
    Farm { area, first_year, last_year, young_from, lfa_rate, organic_rate, salt }
}

/// The code of the scheme an income was paid under, which LAD's payments are sorted by.
fn scheme_code(income: &TrueIncome) -> &str {
    income.scheme.as_ref().map_or("", |scheme| scheme.code.as_str())
}

impl Population {
    /// Exactly the support payments LAD serves for this person in the period: kind
    /// `AgriculturalSupport`, the scheme named, no employer, one record per month and scheme,
    /// sorted by month and then scheme code. Empty for a person LAD pays nothing, and for an
    /// unknown one.
    pub fn lad_incomes(&self, code: &PersonCode, period: Period) -> Vec<TrueIncome> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let Some(farm) = self.rural_support.farms.get(&person.index) else { return Vec::new() };
        let in_window = |month: Month| Month::of(WINDOW_START) <= month && month <= Month::of(WINDOW_END);
        let mut found: Vec<TrueIncome> = (period.from().year() - 1..=period.to().year())
            .flat_map(|claim_year| farm.payments(claim_year))
            .filter(|payment| period.contains(payment.month) && in_window(payment.month))
            .map(|payment| TrueIncome {
                record_id: format!("lad-{}-{:06}-{}", payment.month, person.index + 1, payment.scheme.code()),
                month: payment.month,
                kind: IncomeKind::AgriculturalSupport,
                amount: payment.amount,
                employer: None,
                scheme: Some(SupportScheme {
                    code: payment.scheme.code().to_owned(),
                    name: payment.scheme.name(payment.claim_year).to_owned(),
                }),
            })
            .collect();
        found.sort_by(|a, b| (a.month, scheme_code(a)).cmp(&(b.month, scheme_code(b))));
        found
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use gateway_domain::System;

    use super::*;
    use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population, tukums_population, unknown_code};

    fn period(from: &str, to: &str) -> Period {
        Period::new(Month::parse(from).unwrap(), Month::parse(to).unwrap()).unwrap()
    }

    /// The window in periods of at most 24 months.
    fn windows() -> Vec<Period> {
        (0..6)
            .map(|n| Month::of(WINDOW_START).plus(24 * n))
            .map(|from| Period::new(from, from.plus(23).min(Month::of(WINDOW_END))).unwrap())
            .collect()
    }

    fn dwelling_of(population: &Population, person: &SyntheticPerson) -> Dwelling {
        Dwelling::of(&population.households[population.household_index[person.index]].address_text)
    }

    #[test]
    fn about_one_adult_in_twenty_of_tukums_farms_and_more_of_them_in_the_countryside() {
        let population = tukums_population();
        let adults: Vec<_> = population.persons.iter().filter(|p| p.age_on(REFERENCE_DATE) >= 18).collect();
        let farmers = population.rural_support.farms.len();
        let share = farmers as f64 / adults.len() as f64;
        // About 50 000 applicants of Latvia's about 1.5 million adults, somewhat more in a rural county.
        assert!((0.035..0.075).contains(&share), "share of adults farming {share} ({farmers} of {})", adults.len());
        let share_in = |dwelling: Dwelling| {
            let there: Vec<_> = adults.iter().filter(|p| dwelling_of(population, p) == dwelling).collect();
            let farming = there.iter().filter(|p| population.rural_support.farms.contains_key(&p.index)).count();
            farming as f64 / there.len().max(1) as f64
        };
        let (homestead, village, town) =
            (share_in(Dwelling::Homestead), share_in(Dwelling::Village), share_in(Dwelling::Town));
        assert!(homestead > 3.0 * village && village > 3.0 * town && town > 0.0, "{homestead} {village} {town}");
        let areas: Vec<u32> = population.rural_support.farms.values().map(|farm| farm.area).collect();
        let mean = areas.iter().map(|&a| f64::from(a)).sum::<f64>() / areas.len() as f64 / 100.0;
        assert!((25.0..60.0).contains(&mean), "mean farm {mean} ha");
        let small = areas.iter().filter(|&&a| a < 1_000).count() as f64 / areas.len() as f64;
        assert!((0.35..0.55).contains(&small), "share of farms under 10 ha {small}");
        let farms = population.rural_support.farms.values();
        let organic = farms.clone().filter(|f| f.organic_rate.is_some()).count() as f64 / farmers as f64;
        let lfa = farms.clone().filter(|f| f.lfa_rate.is_some()).count() as f64 / farmers as f64;
        let young = farms.filter(|f| f.young_from.is_some()).count() as f64 / farmers as f64;
        assert!((0.06..0.14).contains(&organic), "organic {organic}");
        assert!((0.6..0.8).contains(&lfa), "less-favoured areas {lfa}");
        assert!((0.05..0.3).contains(&young), "young farmers {young}");
    }

    #[test]
    fn the_same_seed_gives_the_same_payments_and_another_seed_others() {
        let first = Population::generate(TEST_SEED, TEST_PERSONS);
        let second = Population::generate(TEST_SEED, TEST_PERSONS);
        let other = Population::generate(TEST_SEED + 1, TEST_PERSONS);
        let window = period("2025-01", "2026-12");
        let mut paid = 0;
        for person in &first.persons {
            let payments = first.lad_incomes(&person.code, window);
            paid += usize::from(!payments.is_empty());
            assert_eq!(payments, second.lad_incomes(&person.code, window), "{person:?}");
        }
        assert!(paid > 20, "LAD pays someone ({paid})");
        let farmers = |p: &Population| {
            let mut found: Vec<_> = p.rural_support.farms.iter().map(|(i, f)| (*i, f.area)).collect();
            found.sort();
            found
        };
        assert_ne!(farmers(&first), farmers(&other));
    }

    #[test]
    fn the_accessor_serves_one_payment_per_month_and_scheme_in_its_usual_months() {
        let population = test_population();
        let mut schemes = HashSet::new();
        for person in population.persons() {
            let payments: Vec<_> = windows().iter().flat_map(|w| population.lad_incomes(&person.code, *w)).collect();
            let farm = population.rural_support.farms.get(&person.index);
            assert_eq!(payments.is_empty(), farm.is_none(), "{person:?}: paid exactly when farming");
            let mut keys = HashSet::new();
            let mut ids = HashSet::new();
            for window in windows() {
                let listed = population.lad_incomes(&person.code, window);
                let order: Vec<_> = listed.iter().map(|p| (p.month, p.scheme.as_ref().unwrap().code.clone())).collect();
                assert!(order.is_sorted(), "{person:?}: sorted by month, then scheme code");
                assert!(listed.iter().all(|p| window.contains(p.month)));
            }
            for payment in &payments {
                let scheme = payment.scheme.as_ref().expect("every payment names its scheme");
                assert_eq!((payment.kind, &payment.employer), (IncomeKind::AgriculturalSupport, &None));
                assert!(payment.amount.cents() > 0, "{person:?}");
                assert!(person.age_on(payment.month.first_day()) >= 18, "{person:?}: paid as a minor");
                assert!(keys.insert((payment.month, scheme.code.clone())), "{person:?}: twice in one month");
                assert!(ids.insert(payment.record_id.clone()), "{person:?}: record ids are unique");
                assert_eq!(payment.record_id, format!("lad-{}-{:06}-{}", payment.month, person.index + 1, scheme.code),);
                let number = payment.month.number();
                let usual: &[u8] = match scheme.code.as_str() {
                    "VPM" | "ISIP" | "ADSI" => &[10, 11, 3, 4, 5],
                    "BLA" => &[11, 3, 4, 5],
                    "PPIA" | "JAL" => &[12, 1, 2, 3],
                    other => panic!("{other} is not a scheme the simulator pays"),
                };
                assert!(usual.contains(&number), "{} paid in {}", scheme.code, payment.month);
                // The single area payment's last balance, and its successors' first payments.
                match scheme.code.as_str() {
                    "VPM" => assert!(payment.month <= Month::parse("2023-05").unwrap()),
                    "ISIP" => assert!(payment.month >= Month::parse("2023-10").unwrap()),
                    "PPIA" => assert!(payment.month >= Month::parse("2023-12").unwrap()),
                    _ => {}
                }
                schemes.insert((scheme.code.clone(), scheme.name.clone()));
            }
        }
        let codes: HashSet<&str> = schemes.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(codes, HashSet::from(["VPM", "ISIP", "PPIA", "JAL", "ADSI", "BLA"]));
        let jal_names = schemes.iter().filter(|(code, _)| code == "JAL").count();
        assert_eq!(jal_names, 2, "the young farmers' payment was renamed in 2023");
        assert!(population.lad_incomes(&unknown_code(&population), period("2025-01", "2026-12")).is_empty());
    }

    #[test]
    fn a_claim_year_pays_the_hectares_at_each_scheme_s_rate() {
        let population = test_population();
        // The 2025 claim year: advances from October 2025, the rest by May 2026.
        let claim = period("2025-10", "2026-05");
        let mut checked = 0;
        for person in population.persons() {
            let Some(farm) = population.rural_support.farms.get(&person.index) else { continue };
            if !(farm.first_year..=farm.last_year).contains(&2025) {
                continue;
            }
            checked += 1;
            let payments = population.lad_incomes(&person.code, claim);
            let paid = |code: &str| -> Vec<i64> {
                payments.iter().filter(|p| p.scheme.as_ref().unwrap().code == code).map(|p| p.amount.cents()).collect()
            };
            let whole = per_hectare(farm.area, 8_000);
            assert_eq!(paid("ISIP"), [whole * 70 / 100, whole - whole * 70 / 100], "{person:?}");
            assert_eq!(paid("ISIP").iter().sum::<i64>(), i64::from(farm.area) * 80, "{person:?}: 80 euro/ha");
            let redistributed = redistributive(farm.area);
            assert_eq!(paid("PPIA"), if redistributed > 0 { vec![redistributed] } else { vec![] });
            match farm.lfa_rate {
                Some(rate) => assert_eq!(paid("ADSI").iter().sum::<i64>(), per_hectare(farm.area, rate)),
                None => assert!(paid("ADSI").is_empty()),
            }
            match farm.organic_rate {
                Some(rate) => assert_eq!(paid("BLA").iter().sum::<i64>(), per_hectare(farm.area, rate)),
                None => assert!(paid("BLA").is_empty()),
            }
            let young = farm.young_from.is_some_and(|from| (from..from + 5).contains(&2025));
            let expected = if young { vec![per_hectare(farm.area.min(9_000), 3_496)] } else { vec![] };
            assert_eq!(paid("JAL"), expected, "{person:?}");
        }
        assert!(checked > 20, "farmers farm in 2025 ({checked})");
        assert_eq!(redistributive(250), 0, "nothing for the first 3 ha");
        assert_eq!(redistributive(2_460), 115_020, "21.60 ha at 53.25");
        assert_eq!(redistributive(20_000), 2_700 * 5_325 / 100 + 7_000 * 1_252 / 100, "two bands, none over 100 ha");
    }

    #[test]
    fn registry_incomes_name_lad_for_its_payments() {
        let population = test_population();
        let window = period("2025-01", "2026-12");
        let farmers = population.persons().iter().filter(|p| population.rural_support.farms.contains_key(&p.index));
        for person in farmers.take(30) {
            let every = population.registry_incomes(&person.code, window);
            let lad: Vec<_> = every.iter().filter(|(s, _)| *s == System::Lad).map(|(_, i)| i.clone()).collect();
            assert_eq!(lad, population.lad_incomes(&person.code, window), "{person:?}");
            assert!(every.iter().all(|(s, i)| (*s == System::Lad) == (i.kind == IncomeKind::AgriculturalSupport)));
        }
    }
}
