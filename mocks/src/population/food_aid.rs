//! What KIM, the kit module of the EU food and basic material aid programme, records of the
//! kits the programme's partner organisations issue in Tukums county: who issues them, and
//! which kits a household with an accepted needy or low-income status collects in a month.
//!
//! Who issues: a few synthetic partner organisations (associations and a foundation, as the
//! programme's partners are); each household collects at one of them, drawn with the shares
//! below: the county's distribution points are mostly in Tukums town, fewer in Kandava and
//! along the coast, so the first serves about half of the households (Tukums town holds
//! about 40 % of the county's residents, and its point also serves the surrounding parishes).
//!
//! What: as the programme gives them, one food kit a household a month, a hygiene and
//! household goods kit every third month (March, June, September, December), one infant kit
//! a month for each member under 2, and school supplies in August for each member aged 5 to
//! 18, by their age on the day of issue. A household collects its kits in about 85 % of its
//! months: the municipality's agreement with the Society Integration Fund (seed 000, chapter
//! 1.3) has every household with the status entitled, and take-up is high but not complete
//! (some months are missed for illness, travel or distance to the point); the share is our
//! estimate, no published figure gives it. Which months, the day of issue within the part
//! of the month the status is valid, and the record id follow from the decision reference and
//! the month, so the same decision always collects the same kits.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that everything drawn before stays what it was before KIM existed.

use gateway_domain::{KitKind, Month, Organisation, PersonCode, age_on};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

use super::{Population, mix};

/// Salt of the kit module's own random stream.
const FOOD_AID_SALT: u64 = 0x4b49_4d5f_4b49_5453;

/// The partner organisations and the share of households each serves.
const DISTRIBUTORS: [(&str, f64); 3] = [
    ("Biedrība \"Tukuma Atbalsta Punkts\"", 0.5),
    ("Biedrība \"Kandavas Labdarības Centrs\"", 0.3),
    ("Nodibinājums \"Jūrmalciema Palīdzības Fonds\"", 0.2),
];

/// Share of a household's entitled months in which it collects its kits.
pub(crate) const COLLECTED_SHARE: f64 = 0.85;

/// The ages of the members an infant kit, and school supplies, are for.
const INFANT_UNDER: i32 = 2;
const SCHOOL_AGES: std::ops::RangeInclusive<i32> = 5..=18;
/// The month school supplies are issued in.
const SCHOOL_MONTH: u8 = 8;

/// The kit module's part of the population: its distributors and the one each household
/// collects at, by household index.
#[derive(Debug, Default)]
pub(crate) struct FoodAid {
    distributors: Vec<Organisation>,
    by_household: Vec<usize>,
    /// The stream's own seed, which the month-by-month draws are mixed from.
    seed: u64,
}

impl FoodAid {
    pub(crate) fn draw(population: &Population) -> FoodAid {
        let seed = mix(population.seed, FOOD_AID_SALT);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // Associations' registration numbers in the Register of Enterprises start with 40008.
        let distributors = DISTRIBUTORS
            .iter()
            .map(|(name, _)| Organisation {
                registration_number: format!("40008{:06}", rng.random_range(0..1_000_000)),
                name: (*name).to_owned(),
            })
            .collect();
        let by_household = population
            .households
            .iter()
            .map(|_| {
                let mut draw: f64 = rng.random();
                DISTRIBUTORS
                    .iter()
                    .position(|(_, share)| {
                        draw -= share;
                        draw < 0.0
                    })
                    .unwrap_or(DISTRIBUTORS.len() - 1)
            })
            .collect();
        FoodAid { distributors, by_household, seed }
    }
}

/// A household's entitlement to kits, as KIM took it from a status notification: the
/// decision, its members (the applicant first) and the days its status holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitEntitlement {
    pub decision_ref: String,
    pub members: Vec<PersonCode>,
    pub valid_from: Date,
    /// The last day, `None` while open.
    pub valid_to: Option<Date>,
}

/// One kit issue exactly as the KIM simulator serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueKitIssue {
    /// `KIM-{month}-{16 hex digits}-{kind}`, unique per decision, month and kind.
    pub record_id: String,
    pub decision_ref: String,
    /// The applicant, who collects the household's kits.
    pub recipient: PersonCode,
    pub kind: KitKind,
    pub count: u32,
    pub issued_on: Date,
    pub distributor: Organisation,
}

/// FNV-1a of the text: a hash that stays the same across builds and platforms.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

fn kind_code(kind: KitKind) -> &'static str {
    match kind {
        KitKind::Food => "FOOD",
        KitKind::Hygiene => "HYGIENE",
        KitKind::Infant => "INFANT",
        KitKind::SchoolSupplies => "SCHOOL",
    }
}

impl Population {
    /// The partner organisations that issue kits in the county.
    pub fn kit_distributors(&self) -> &[Organisation] {
        &self.food_aid.distributors
    }

    /// Exactly the kits KIM records as issued in `month` under `entitlement`: none when the
    /// status does not hold on any day of the month or the household missed the month; else
    /// a food kit, a hygiene kit every third month, infant kits and, in August, school
    /// supplies, all on one day by the household's distributor, in that order.
    pub fn food_aid_kits(&self, entitlement: &KitEntitlement, month: Month) -> Vec<TrueKitIssue> {
        let start = month.first_day().max(entitlement.valid_from);
        let end = entitlement.valid_to.map_or(month.last_day(), |to| to.min(month.last_day()));
        let Some(applicant) = entitlement.members.first() else { return Vec::new() };
        if start > end {
            return Vec::new();
        }
        let draw = mix(
            self.food_aid.seed,
            fnv(&entitlement.decision_ref) ^ u64::from(month.number()) << 32 ^ month.year() as u64,
        );
        if (draw % 10_000) as f64 >= COLLECTED_SHARE * 10_000.0 {
            return Vec::new();
        }
        let days = (end - start).whole_days() as u64 + 1;
        let issued_on = start + Duration::days(((draw >> 20) % days) as i64);
        let household = self.by_code.get(applicant).map(|&i| self.household_index[i]);
        let distributor = household
            .and_then(|h| self.food_aid.by_household.get(h))
            .and_then(|&d| self.food_aid.distributors.get(d))
            .or(self.food_aid.distributors.first());
        let Some(distributor) = distributor else { return Vec::new() };
        let ages: Vec<i32> = entitlement
            .members
            .iter()
            .filter_map(|code| self.person(code))
            .map(|p| age_on(p.birth_date, issued_on))
            .collect();
        let infants = ages.iter().filter(|&&age| age < INFANT_UNDER).count() as u32;
        let pupils = ages.iter().filter(|age| SCHOOL_AGES.contains(age)).count() as u32;
        let mut kits = vec![(KitKind::Food, 1)];
        if month.number().is_multiple_of(3) {
            kits.push((KitKind::Hygiene, 1));
        }
        kits.push((KitKind::Infant, infants));
        if month.number() == SCHOOL_MONTH {
            kits.push((KitKind::SchoolSupplies, pupils));
        }
        kits.into_iter()
            .filter(|&(_, count)| count > 0)
            .map(|(kind, count)| TrueKitIssue {
                record_id: format!("KIM-{month}-{:016x}-{}", fnv(&entitlement.decision_ref), kind_code(kind)),
                decision_ref: entitlement.decision_ref.clone(),
                recipient: applicant.clone(),
                kind,
                count,
                issued_on,
                distributor: distributor.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population};

    fn entitlement(population: &Population, household: usize) -> KitEntitlement {
        KitEntitlement {
            decision_ref: format!("TUK-2026-{household:06}"),
            members: population.households()[household].members.clone(),
            valid_from: time::macros::date!(2026 - 01 - 15),
            valid_to: Some(time::macros::date!(2026 - 12 - 31)),
        }
    }

    #[test]
    fn distributors_serve_plausible_shares_of_the_households() {
        let population = test_population();
        let served = &population.food_aid.by_household;
        assert_eq!(served.len(), population.households().len());
        for (index, (_, share)) in DISTRIBUTORS.iter().enumerate() {
            let got = served.iter().filter(|&&d| d == index).count() as f64 / served.len() as f64;
            assert!((got - share).abs() < 0.06, "distributor {index}: {got}");
        }
        for distributor in population.kit_distributors() {
            assert_eq!(distributor.registration_number.len(), 11);
            assert!(distributor.registration_number.starts_with("40008"));
        }
    }

    #[test]
    fn households_collect_in_about_the_collected_share_of_their_months() {
        let population = test_population();
        let months: Vec<Month> = (1..=12).map(|m| Month::new(2026, m).unwrap()).collect();
        let (mut collected, mut asked) = (0, 0);
        for household in 0..300 {
            let entitlement = entitlement(&population, household);
            for &month in &months {
                asked += 1;
                collected += usize::from(!population.food_aid_kits(&entitlement, month).is_empty());
            }
        }
        let share = collected as f64 / asked as f64;
        assert!((share - COLLECTED_SHARE).abs() < 0.05, "{share}");
    }

    #[test]
    fn the_kits_follow_the_rules_within_the_valid_days() {
        let population = test_population();
        for household in 0..200 {
            let entitlement = entitlement(&population, household);
            for number in 1..=12 {
                let month = Month::new(2026, number).unwrap();
                let kits = population.food_aid_kits(&entitlement, month);
                let Some(first) = kits.first() else { continue };
                assert_eq!(first.kind, KitKind::Food);
                assert_eq!(first.count, 1);
                for kit in &kits {
                    assert_eq!(kit.issued_on, first.issued_on, "one day a month");
                    assert!(kit.issued_on >= entitlement.valid_from && Month::of(kit.issued_on) == month);
                    assert_eq!(kit.recipient, entitlement.members[0]);
                    assert!(population.kit_distributors().contains(&kit.distributor));
                    assert!(kit.count > 0);
                }
                let has = |kind| kits.iter().any(|kit| kit.kind == kind);
                assert_eq!(has(KitKind::Hygiene), number.is_multiple_of(3));
                if number != SCHOOL_MONTH {
                    assert!(!has(KitKind::SchoolSupplies));
                }
                let infants = entitlement
                    .members
                    .iter()
                    .filter(|code| age_on(population.person(code).unwrap().birth_date, first.issued_on) < 2)
                    .count() as u32;
                let infant_kits = kits.iter().find(|kit| kit.kind == KitKind::Infant).map_or(0, |kit| kit.count);
                assert_eq!(infant_kits, infants);
            }
        }
    }

    #[test]
    fn no_kits_outside_the_status_and_the_same_kits_for_the_same_seed() {
        let population = test_population();
        let entitlement = entitlement(&population, 3);
        assert!(population.food_aid_kits(&entitlement, Month::new(2025, 12).unwrap()).is_empty());
        assert!(population.food_aid_kits(&entitlement, Month::new(2027, 1).unwrap()).is_empty());
        let again = Population::generate(TEST_SEED, TEST_PERSONS);
        for number in 1..=12 {
            let month = Month::new(2026, number).unwrap();
            assert_eq!(population.food_aid_kits(&entitlement, month), again.food_aid_kits(&entitlement, month));
        }
        assert_eq!(population.kit_distributors(), again.kit_distributors());
    }
}
