//! What the Minors' Support Information System (NPAIS) knows about the population: the
//! orphans' courts' placements of minors in out-of-family care, with a foster family, with a
//! guardian or in a childcare institution, each from one day to another.
//!
//! Who: about 5 000 of Latvia's some 350 000 minors live in out-of-family care on any day,
//! some 1.5 % (the Welfare Ministry's yearly figures on out-of-family care); about half of
//! them with guardians (mostly grandparents or other relatives), a quarter in foster families
//! and the rest in institutions. So 4 % of the population's minors are placed at some age,
//! and a placement runs until the day before the 18th birthday (for 55 % of them: a guardian
//! or a foster family mostly keeps the child until adulthood) or for half a year to six years
//! (the child returns to the family or is adopted). Of the children whose time in an
//! institution ends before 18, 40 % move straight to a foster family or a guardian, as the
//! deinstitutionalisation of care intends. First placements are drawn half with guardians,
//! a fifth with foster families and three tenths in institutions, so that on a day the
//! shares come out near the ministry's.
//!
//! Institutions are synthetic: the county's own care centre and family-type homes
//! (registration numbers starting with `90000`) and one run by an association (`4000`). The
//! population is complete from 2020 to 2030: a placement that holds on no day of those years is
//! not kept, and one that lasts beyond 2030 has no last day yet.
//!
//! Drawn after everything else, VIIS's enrolments included, from a random stream of its own
//! (seeded from the population's seed), so that everything drawn before stays what it was.

use std::collections::HashMap;

use gateway_domain::{CareForm, Month, Organisation, PersonCode, StatusDetail, StatusKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

use super::incomes::{WINDOW_END, WINDOW_START};
use super::{Population, SyntheticPerson, TrueStatus, mix};

/// Salt of NPAIS's own random stream.
const CARE_SALT: u64 = 0x4e50_4149_5343_4152;

/// Share of minors placed in out-of-family care at some age.
const PLACED_SHARE: f64 = 0.04;
/// Shares of the forms of a first placement; the rest are institutions.
const GUARDIANSHIP_SHARE: f64 = 0.5;
const FOSTER_FAMILY_SHARE: f64 = 0.2;
/// Share of placements that last until the day before the 18th birthday.
const UNTIL_ADULTHOOD_SHARE: f64 = 0.55;
/// Share of institutional placements ending before 18 that a family placement follows.
const FAMILY_AFTER_INSTITUTION_SHARE: f64 = 0.4;
/// Bounds of a shorter placement's length, in days.
const SHORTEST_DAYS: i64 = 180;
const LONGEST_DAYS: i64 = 6 * 365;
const ADULT_AGE: i32 = 18;

/// Synthetic care institutions: (registration number, name).
const INSTITUTIONS: &[(&str, &str)] = &[
    ("90000200018", "Tukuma novada bērnu aprūpes centrs \"Saulstari\""),
    ("90000200021", "Kandavas ģimeniskas vides māja \"Ozoliņi\""),
    ("40008200034", "Biedrība \"Bērnu mājas Rūķīši\""),
];

/// One placement as drawn.
struct Spell {
    form: CareForm,
    institution: Option<&'static (&'static str, &'static str)>,
    from: Date,
    to: Date,
}

/// NPAIS's placements, by person index, each child's sorted by first day.
#[derive(Debug, Default)]
pub(crate) struct Care {
    placements: HashMap<usize, Vec<TrueStatus>>,
}

impl Care {
    pub(crate) fn draw(population: &Population) -> Care {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, CARE_SALT));
        let mut care = Care::default();
        let (window_first, window_last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        for person in &population.persons {
            let Some(eve_of_adulthood) = eve_of_adulthood(person) else { continue };
            // Only a minor at some time of the window can have a placement in it.
            if eve_of_adulthood < window_first || !rng.random_bool(PLACED_SHARE) {
                continue;
            }
            let statuses: Vec<TrueStatus> = draw_spells(&mut rng, person.birth_date, eve_of_adulthood)
                .into_iter()
                .filter(|spell| spell.from <= window_last && spell.to >= window_first)
                .enumerate()
                .map(|(n, spell)| TrueStatus {
                    record_id: format!("npais-{:06}-{:02}", person.index + 1, n + 1),
                    kind: StatusKind::InOutOfFamilyCare,
                    special_care: false,
                    valid_from: spell.from,
                    valid_to: (spell.to <= window_last).then_some(spell.to),
                    detail: Some(StatusDetail::Placement {
                        form: spell.form,
                        institution: spell.institution.map(|&(number, name)| Organisation {
                            registration_number: number.to_owned(),
                            name: name.to_owned(),
                        }),
                    }),
                })
                .collect();
            if !statuses.is_empty() {
                care.placements.insert(person.index, statuses);
            }
        }
        care
    }
}

/// The day before the 18th birthday, the last day a placement can hold.
fn eve_of_adulthood(person: &SyntheticPerson) -> Option<Date> {
    let birth = person.birth_date;
    // Born on 29 February: of age on 1 March.
    let adult = birth
        .replace_year(birth.year() + ADULT_AGE)
        .or_else(|_| Date::from_calendar_date(birth.year() + ADULT_AGE, time::Month::March, 1))
        .ok()?;
    adult.previous_day()
}

/// A placement's form, and its institution for institutional care.
fn draw_form(rng: &mut ChaCha8Rng) -> (CareForm, Option<&'static (&'static str, &'static str)>) {
    let draw = rng.random::<f64>();
    let institution = &INSTITUTIONS[rng.random_range(0..INSTITUTIONS.len())];
    if draw < GUARDIANSHIP_SHARE {
        (CareForm::Guardianship, None)
    } else if draw < GUARDIANSHIP_SHARE + FOSTER_FAMILY_SHARE {
        (CareForm::FosterFamily, None)
    } else {
        (CareForm::Institution, Some(institution))
    }
}

/// The last day of a placement starting on `from`: the eve of adulthood, or some months to
/// years later, whichever comes first.
fn draw_end(rng: &mut ChaCha8Rng, from: Date, eve_of_adulthood: Date) -> Date {
    let until_adulthood = rng.random_bool(UNTIL_ADULTHOOD_SHARE);
    let length = Duration::days(rng.random_range(SHORTEST_DAYS..=LONGEST_DAYS));
    if until_adulthood { eve_of_adulthood } else { (from + length).min(eve_of_adulthood) }
}

/// One child's placements, one after another: a first one at some day of their minority and,
/// after an institution, perhaps a family placement from the next day.
fn draw_spells(rng: &mut ChaCha8Rng, birth: Date, eve_of_adulthood: Date) -> Vec<Spell> {
    let minority = (eve_of_adulthood - birth).whole_days();
    let from = birth + Duration::days(rng.random_range(0..=minority));
    let (form, institution) = draw_form(rng);
    let to = draw_end(rng, from, eve_of_adulthood);
    let mut spells = vec![Spell { form, institution, from, to }];
    let moves_on = rng.random_bool(FAMILY_AFTER_INSTITUTION_SHARE);
    let to_guardian = rng.random_bool(GUARDIANSHIP_SHARE);
    let next_to = draw_end(rng, to, eve_of_adulthood);
    if form == CareForm::Institution && to < eve_of_adulthood && moves_on {
        let form = if to_guardian { CareForm::Guardianship } else { CareForm::FosterFamily };
        let from = to.next_day().unwrap_or(to);
        spells.push(Spell { form, institution: None, from, to: next_to.max(from) });
    }
    spells
}

impl Population {
    /// Exactly the placements in out-of-family care NPAIS serves for this person that hold on
    /// any day from `first` to `last`, sorted by first day. Empty for a person never placed
    /// then (every adult, most children), and for an unknown one.
    pub fn placements(&self, code: &PersonCode, first: Date, last: Date) -> Vec<TrueStatus> {
        let Some(person) = self.person(code) else { return Vec::new() };
        self.care
            .placements
            .get(&person.index)
            .map_or_else(Vec::new, |all| all.iter().filter(|status| status.overlaps(first, last)).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::population::REFERENCE_DATE;
    use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population, tukums_population, unknown_code};

    fn form_of(status: &TrueStatus) -> CareForm {
        match &status.detail {
            Some(StatusDetail::Placement { form, .. }) => *form,
            other => panic!("a placement without its detail: {other:?}"),
        }
    }

    #[test]
    fn placement_shares_are_plausible_for_tukums() {
        let population = tukums_population();
        let day = REFERENCE_DATE;
        let minors: Vec<_> = population.persons().iter().filter(|p| p.age_on(day) < 18).collect();
        let placed: Vec<CareForm> =
            minors.iter().filter_map(|p| population.placements(&p.code, day, day).first().map(form_of)).collect();
        let share = placed.len() as f64 / minors.len() as f64;
        assert!(
            (0.01..=0.02).contains(&share),
            "share of minors in care {share} ({} of {})",
            placed.len(),
            minors.len()
        );
        let of_placed = |form| placed.iter().filter(|&&f| f == form).count() as f64 / placed.len() as f64;
        let (guardians, foster, institutions) =
            (of_placed(CareForm::Guardianship), of_placed(CareForm::FosterFamily), of_placed(CareForm::Institution));
        assert!((0.4..=0.65).contains(&guardians), "with guardians {guardians}");
        assert!((0.15..=0.35).contains(&foster), "in foster families {foster}");
        assert!((0.12..=0.35).contains(&institutions), "in institutions {institutions}");
        let adults = population.persons().iter().filter(|p| p.age_on(day) >= 18);
        assert!(
            adults.into_iter().all(|p| population.placements(&p.code, day, day).is_empty()),
            "adults are not placed"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_placements_and_another_seed_others() {
        let (first, last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        let all = |population: &Population| -> Vec<Vec<TrueStatus>> {
            population.persons().iter().map(|p| population.placements(&p.code, first, last)).collect()
        };
        let again = Population::generate(TEST_SEED, TEST_PERSONS);
        assert_eq!(all(&test_population()), all(&again));
        let other = Population::generate(TEST_SEED + 1, TEST_PERSONS);
        assert_ne!(all(&test_population()), all(&other));
    }

    #[test]
    fn placements_are_spells_of_a_minority_one_after_another() {
        let population = tukums_population();
        let (first, last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        let mut placed = 0;
        for person in population.persons() {
            let all = population.placements(&person.code, first, last);
            placed += usize::from(!all.is_empty());
            let eve = eve_of_adulthood(person).unwrap();
            for (n, status) in all.iter().enumerate() {
                assert_eq!((status.kind, status.special_care), (StatusKind::InOutOfFamilyCare, false));
                assert_eq!(status.record_id, format!("npais-{:06}-{:02}", person.index + 1, n + 1));
                assert!(status.overlaps(first, last), "{person:?}: within 2020-2030");
                assert!(status.valid_from >= person.birth_date, "{person:?}: placed after birth");
                let to = status.valid_to.unwrap_or(eve);
                assert!(status.valid_from <= to && to <= eve, "{person:?}: ends at 18 at the latest");
                assert!(status.valid_to.is_some() || eve > last, "{person:?}: open only past 2030");
                let Some(StatusDetail::Placement { form, institution }) = &status.detail else { unreachable!() };
                assert_eq!(institution.is_some(), *form == CareForm::Institution, "{person:?}");
                if let Some(institution) = institution {
                    let number = &institution.registration_number;
                    assert!(number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit()), "{number}");
                }
                if let Some(next) = all.get(n + 1) {
                    assert_eq!(*form, CareForm::Institution, "only an institution is followed by a placement");
                    assert_eq!(status.valid_to.and_then(Date::next_day), Some(next.valid_from), "from the next day");
                }
            }
            let day = date!(2027 - 03 - 15);
            let on_day: Vec<_> = all.iter().filter(|s| s.overlaps(day, day)).cloned().collect();
            assert_eq!(population.placements(&person.code, day, day), on_day);
        }
        assert!(placed > 200, "some children are placed ({placed})");
        assert_eq!(population.placements(&unknown_code(population), first, last), vec![]);
    }
}
