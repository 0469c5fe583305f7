//! What the State Education Information System (VIIS) knows about the population: every
//! enrolment in a pre-school, general, vocational or higher education programme, with its
//! institution, level, mode of study and first and last day.
//!
//! Who and when, following each person's birthday (a child starts a stage in the calendar
//! year of the birthday named, on 1 September):
//! - pre-school from the year the child turns 5 (compulsory for 5- and 6-year-olds) to the
//!   end of August of the year they turn 7: 96 % (Eurostat puts Latvia's participation in
//!   early childhood education from 4 to the start of compulsory school at about 95 %);
//! - basic school, grades 1-9, from the year the child turns 7 to the end of June of the year
//!   they turn 16, ages 7-15: 99 % (compulsory; the Central Statistical Bureau's enrolment
//!   counts cover nearly every child of that age; the rest learn at home or abroad);
//! - then, for 92 % of those (the Bureau's share of 16-18-year-olds in education is about
//!   90 %), three years of general secondary school or, for 38 % of them, four years of
//!   vocational secondary education (the ministry reports about 39 % of basic-school leavers
//!   choosing vocational education, against its target of half);
//! - then higher education for 68 % of general-secondary and 25 % of vocational graduates, a
//!   bachelor's programme of three or four years (a quarter start one to three years after
//!   leaving school), after which 40 % go on to a two-year master's; 72 % study full-time (the
//!   Bureau counts about 75 000 students in higher education, roughly seven in ten full-time,
//!   one in four in a master's programme). Of the general-secondary graduates who do not enter
//!   higher education, 10 % take a two-year post-secondary vocational programme (95 % of
//!   vocational learners are full-time). Together about 30 % of the county's 19-24-year-olds
//!   are enrolled on a day of the school year, most of them at 19-21 (Eurostat: about 40 % of
//!   Latvia's 20-24-year-olds are in education, which counts short courses too).
//!
//! Institutions are synthetic, of the county for the school stages (municipal schools'
//! registration numbers start with `90000`), the state's vocational schools (`90001`) and
//! universities and colleges outside it (`90002` for the state's, `4000` for a private
//! college). The population is complete from 2020 to 2030: an enrolment that holds on no day
//! of those years is not kept, and one that lasts beyond 2030 has no last day yet.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that the persons, households, incomes, registers and the fund's payments of a
//! seed stay what they were before VIIS existed.

use std::collections::HashMap;

use gateway_domain::{EducationLevel, Month, Organisation, PersonCode, StatusDetail, StatusKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Month as CalendarMonth};

use super::incomes::{WINDOW_END, WINDOW_START};
use super::{Population, SyntheticPerson, TrueStatus, mix};

/// Salt of VIIS's own random stream.
const EDUCATION_SALT: u64 = 0x5649_4953_4544_5543;

/// Share of children in pre-school education at 5 and 6.
const PRE_SCHOOL_SHARE: f64 = 0.96;
/// Share of children in basic school.
const BASIC_SHARE: f64 = 0.99;
/// Share of basic-school leavers who go on to secondary education.
const UPPER_SECONDARY_SHARE: f64 = 0.92;
/// Share of those who choose vocational secondary education.
const VOCATIONAL_SHARE: f64 = 0.38;
/// Shares of general-secondary and vocational graduates who enter higher education.
const HIGHER_AFTER_GENERAL_SHARE: f64 = 0.68;
const HIGHER_AFTER_VOCATIONAL_SHARE: f64 = 0.25;
/// Share of general-secondary graduates outside higher education who take a post-secondary
/// vocational programme.
const POST_SECONDARY_SHARE: f64 = 0.1;
/// Share of those entering higher education who start one to three years after leaving
/// school (working or abroad first).
const LATE_START_SHARE: f64 = 0.25;
/// Share of bachelors who go on to a master's programme.
const MASTER_SHARE: f64 = 0.4;
/// Shares of full-time learners in higher and in vocational education; schools are full-time.
const HIGHER_FULL_TIME_SHARE: f64 = 0.72;
const VOCATIONAL_FULL_TIME_SHARE: f64 = 0.95;

/// The ages (the birthday's calendar year) at which the school stages start.
const PRE_SCHOOL_AGE: i32 = 5;
const BASIC_AGE: i32 = 7;
const UPPER_SECONDARY_AGE: i32 = 16;

/// Synthetic institutions, by the stage they teach: (registration number, name).
const PRE_SCHOOLS: &[(&str, &str)] = &[
    ("90000100014", "Tukuma pirmsskolas izglītības iestāde \"Zīlīte\""),
    ("90000100027", "Tukuma pirmsskolas izglītības iestāde \"Lāčuks\""),
    ("90000100030", "Tukuma pirmsskolas izglītības iestāde \"Saulespuķe\""),
    ("90000100043", "Kandavas pirmsskolas izglītības iestāde \"Pīlādzītis\""),
    ("90000100056", "Engures pirmsskolas izglītības iestāde \"Ābelīte\""),
];
const BASIC_SCHOOLS: &[(&str, &str)] = &[
    ("90000100113", "Tukuma Dzirnavu pamatskola"),
    ("90000100126", "Tukuma Ozolu pamatskola"),
    ("90000100139", "Kandavas Lielā pamatskola"),
    ("90000100142", "Smārdes pamatskola"),
    ("90000100155", "Jaunpils pamatskola"),
];
const SECONDARY_SCHOOLS: &[(&str, &str)] = &[
    ("90000100210", "Tukuma Liepu ģimnāzija"),
    ("90000100223", "Tukuma Priežu vidusskola"),
    ("90000100236", "Kandavas Upes vidusskola"),
];
const VOCATIONAL_SCHOOLS: &[(&str, &str)] = &[
    ("90001200015", "Tukuma tehnikums"),
    ("90001200028", "Kandavas lauku tehnikums"),
    ("90001200031", "Rīgas Pilsētbūves koledža"),
];
const HIGHER_SCHOOLS: &[(&str, &str)] = &[
    ("90002300011", "Rīgas Valsts universitāte"),
    ("90002300024", "Zemgales Tehnoloģiju universitāte"),
    ("90002300037", "Vidzemes Mākslu akadēmija"),
    ("40008300040", "Baltijas Biznesa koledža"),
];

/// One enrolment as drawn: a stage from 1 September of one year to a last day.
struct Stage {
    level: EducationLevel,
    institution: &'static (&'static str, &'static str),
    full_time: bool,
    from: Date,
    to: Date,
}

/// VIIS's enrolments, by person index, each person's sorted by first day.
#[derive(Debug, Default)]
pub(crate) struct Education {
    enrolments: HashMap<usize, Vec<TrueStatus>>,
}

impl Education {
    pub(crate) fn draw(population: &Population) -> Education {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, EDUCATION_SALT));
        let mut education = Education::default();
        let (window_first, window_last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        for person in &population.persons {
            // Nobody born before this leaves a mark on 2020-2030: even a master's ends by 26.
            if person.birth_date.year() < window_first.year() - 27 {
                continue;
            }
            let statuses: Vec<TrueStatus> = draw_stages(&mut rng, person)
                .into_iter()
                .filter(|stage| stage.from <= window_last && stage.to >= window_first)
                .enumerate()
                .map(|(n, stage)| TrueStatus {
                    record_id: format!("viis-{:06}-{:02}", person.index + 1, n + 1),
                    kind: StatusKind::Enrolled,
                    special_care: false,
                    valid_from: stage.from,
                    valid_to: (stage.to <= window_last).then_some(stage.to),
                    detail: Some(StatusDetail::Enrolment {
                        institution: Organisation {
                            registration_number: stage.institution.0.to_owned(),
                            name: stage.institution.1.to_owned(),
                        },
                        level: stage.level,
                        full_time: stage.full_time,
                    }),
                })
                .collect();
            if !statuses.is_empty() {
                education.enrolments.insert(person.index, statuses);
            }
        }
        education
    }
}

/// 1 September of `year`.
fn term_start(year: i32) -> Date {
    Date::from_calendar_date(year, CalendarMonth::September, 1).expect("1 September exists")
}

/// The last day of June of `year`, when the school year ends.
fn year_end(year: i32) -> Date {
    Date::from_calendar_date(year, CalendarMonth::June, 30).expect("30 June exists")
}

fn pick<R: Rng>(rng: &mut R, table: &'static [(&'static str, &'static str)]) -> &'static (&'static str, &'static str) {
    &table[rng.random_range(0..table.len())]
}

/// The stages of one person's education, in order, whether or not they fall in the window.
fn draw_stages(rng: &mut ChaCha8Rng, person: &SyntheticPerson) -> Vec<Stage> {
    let born = person.birth_date.year();
    let mut stages = Vec::new();
    let school = |level, institution, from: i32, to: i32| Stage {
        level,
        institution,
        full_time: true,
        from: term_start(from),
        to: year_end(to),
    };
    let pre_school = rng.random_bool(PRE_SCHOOL_SHARE);
    let pre_school_at = pick(rng, PRE_SCHOOLS);
    if pre_school {
        // Kindergartens teach through the summer, until school starts.
        stages.push(Stage {
            level: EducationLevel::PreSchool,
            institution: pre_school_at,
            full_time: true,
            from: term_start(born + PRE_SCHOOL_AGE),
            to: Date::from_calendar_date(born + BASIC_AGE, CalendarMonth::August, 31).expect("31 August exists"),
        });
    }
    let basic = rng.random_bool(BASIC_SHARE);
    let basic_at = pick(rng, BASIC_SCHOOLS);
    if !basic {
        return stages;
    }
    let upper = born + UPPER_SECONDARY_AGE;
    stages.push(school(EducationLevel::Basic, basic_at, born + BASIC_AGE, upper));
    let goes_on = rng.random_bool(UPPER_SECONDARY_SHARE);
    let vocational = rng.random_bool(VOCATIONAL_SHARE);
    let (general_at, vocational_at) = (pick(rng, SECONDARY_SCHOOLS), pick(rng, VOCATIONAL_SCHOOLS));
    if !goes_on {
        return stages;
    }
    let graduated = if vocational {
        let full_time = rng.random_bool(VOCATIONAL_FULL_TIME_SHARE);
        stages.push(Stage { full_time, ..school(EducationLevel::Vocational, vocational_at, upper, upper + 4) });
        upper + 4
    } else {
        stages.push(school(EducationLevel::Secondary, general_at, upper, upper + 3));
        upper + 3
    };
    let higher_share = if vocational { HIGHER_AFTER_VOCATIONAL_SHARE } else { HIGHER_AFTER_GENERAL_SHARE };
    let higher = rng.random_bool(higher_share);
    let delay = if rng.random_bool(LATE_START_SHARE) { rng.random_range(1..=3) } else { 0 };
    let bachelor_years = rng.random_range(3..=4);
    let (bachelor_at, master_at) = (pick(rng, HIGHER_SCHOOLS), pick(rng, HIGHER_SCHOOLS));
    let (bachelor_full_time, master_full_time) =
        (rng.random_bool(HIGHER_FULL_TIME_SHARE), rng.random_bool(HIGHER_FULL_TIME_SHARE));
    let master = rng.random_bool(MASTER_SHARE);
    let post_secondary = rng.random_bool(POST_SECONDARY_SHARE);
    let post_secondary_at = pick(rng, VOCATIONAL_SCHOOLS);
    let post_secondary_full_time = rng.random_bool(VOCATIONAL_FULL_TIME_SHARE);
    if higher {
        let bachelor_end = graduated + delay + bachelor_years;
        stages.push(Stage {
            full_time: bachelor_full_time,
            ..school(EducationLevel::Higher, bachelor_at, graduated + delay, bachelor_end)
        });
        if master {
            stages.push(Stage {
                full_time: master_full_time,
                ..school(EducationLevel::Higher, master_at, bachelor_end, bachelor_end + 2)
            });
        }
    } else if !vocational && post_secondary {
        stages.push(Stage {
            full_time: post_secondary_full_time,
            ..school(EducationLevel::Vocational, post_secondary_at, graduated, graduated + 2)
        });
    }
    stages
}

impl Population {
    /// Exactly the enrolments VIIS serves for this person that hold on any day from `first` to
    /// `last`, sorted by first day. Empty for a person enrolled nowhere then, and for an
    /// unknown one.
    pub fn enrolments(&self, code: &PersonCode, first: Date, last: Date) -> Vec<TrueStatus> {
        let Some(person) = self.person(code) else { return Vec::new() };
        self.education
            .enrolments
            .get(&person.index)
            .map_or_else(Vec::new, |all| all.iter().filter(|status| status.overlaps(first, last)).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population, tukums_population, unknown_code};

    /// A day of the school year, when every stage is in session.
    const TERM_DAY: Date = date!(2026 - 10 - 01);

    fn level_on(population: &Population, person: &SyntheticPerson, day: Date) -> Vec<EducationLevel> {
        population
            .enrolments(&person.code, day, day)
            .iter()
            .map(|status| match &status.detail {
                Some(StatusDetail::Enrolment { level, .. }) => *level,
                other => panic!("{person:?}: an enrolment without its detail: {other:?}"),
            })
            .collect()
    }

    fn share_enrolled(population: &Population, ages: std::ops::RangeInclusive<u16>, counts: &[EducationLevel]) -> f64 {
        let persons: Vec<_> = population.persons().iter().filter(|p| ages.contains(&p.age_on(TERM_DAY))).collect();
        let enrolled =
            persons.iter().filter(|p| level_on(population, p, TERM_DAY).iter().any(|l| counts.contains(l))).count();
        enrolled as f64 / persons.len().max(1) as f64
    }

    #[test]
    fn enrolment_shares_are_plausible_for_tukums() {
        use EducationLevel::*;
        let population = tukums_population();
        let pre_school = share_enrolled(population, 5..=6, &[PreSchool, Basic]);
        assert!((0.9..=1.0).contains(&pre_school), "5-6 in pre-school or school: {pre_school}");
        let school = share_enrolled(population, 7..=15, &[Basic, Secondary, Vocational]);
        assert!((0.95..=1.0).contains(&school), "7-15 at school: {school}");
        let upper = share_enrolled(population, 16..=18, &[Secondary, Vocational]);
        assert!((0.75..=0.95).contains(&upper), "16-18 in secondary or vocational: {upper}");
        let vocational = share_enrolled(population, 16..=18, &[Vocational]) / upper;
        assert!((0.3..=0.5).contains(&vocational), "vocational share of 16-18 learners: {vocational}");
        let young_adults = share_enrolled(population, 19..=24, &[Higher, Vocational]);
        assert!((0.25..=0.5).contains(&young_adults), "19-24 in higher or vocational: {young_adults}");
        let adults = share_enrolled(population, 30..=90, &[PreSchool, Basic, Secondary, Vocational, Higher]);
        assert_eq!(adults, 0.0, "nobody over 30 is enrolled");
    }

    #[test]
    fn the_same_seed_gives_the_same_enrolments_and_another_seed_others() {
        let (first, last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        let all = |population: &Population| -> Vec<Vec<TrueStatus>> {
            population.persons().iter().map(|p| population.enrolments(&p.code, first, last)).collect()
        };
        let again = Population::generate(TEST_SEED, TEST_PERSONS);
        assert_eq!(all(&test_population()), all(&again));
        let other = Population::generate(TEST_SEED + 1, TEST_PERSONS);
        assert_ne!(all(&test_population()), all(&other));
    }

    #[test]
    fn enrolments_follow_the_birthday_one_stage_after_another() {
        let population = test_population();
        let (first, last) = (WINDOW_START, Month::of(WINDOW_END).last_day());
        let mut enrolled = 0;
        for person in population.persons() {
            let all = population.enrolments(&person.code, first, last);
            enrolled += usize::from(!all.is_empty());
            for (n, status) in all.iter().enumerate() {
                assert_eq!((status.kind, status.special_care), (StatusKind::Enrolled, false));
                assert_eq!(status.record_id, format!("viis-{:06}-{:02}", person.index + 1, n + 1));
                assert!(status.overlaps(first, last), "{person:?}: within 2020-2030");
                assert!(status.valid_to.is_none_or(|to| to > status.valid_from && to <= last));
                assert_eq!(status.valid_from.day(), 1, "a stage starts on 1 September");
                let Some(StatusDetail::Enrolment { institution, level, full_time }) = &status.detail else {
                    panic!("{person:?}: an enrolment names its institution")
                };
                let number = &institution.registration_number;
                assert!(number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit()), "{number}");
                let start_age = status.valid_from.year() - person.birth_date.year();
                match level {
                    EducationLevel::PreSchool => assert_eq!(start_age, PRE_SCHOOL_AGE),
                    EducationLevel::Basic => assert_eq!(start_age, BASIC_AGE),
                    EducationLevel::Secondary => assert_eq!(start_age, UPPER_SECONDARY_AGE),
                    EducationLevel::Vocational => assert!([16, 19].contains(&start_age), "{start_age}"),
                    EducationLevel::Higher => assert!((19..=27).contains(&start_age), "{start_age}"),
                }
                if matches!(level, EducationLevel::PreSchool | EducationLevel::Basic | EducationLevel::Secondary) {
                    assert!(number.starts_with("90000") && *full_time, "a municipal school, full-time");
                }
                if let Some(next) = all.get(n + 1) {
                    let to = status.valid_to.expect("only the last stage may be open");
                    assert!(to < next.valid_from, "{person:?}: one stage after another");
                }
            }
            // Asking for one day gives exactly the stages that hold on it.
            let day = date!(2027 - 03 - 15);
            let on_day: Vec<_> = all.iter().filter(|s| s.overlaps(day, day)).cloned().collect();
            assert_eq!(population.enrolments(&person.code, day, day), on_day);
        }
        assert!(enrolled > TEST_PERSONS / 10, "some are enrolled ({enrolled})");
        assert_eq!(population.enrolments(&unknown_code(&population), first, last), vec![]);
    }
}
