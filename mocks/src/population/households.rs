//! Household shapes: who lives together, how old they are and how they are related.
//!
//! The mix follows the county's make-up: many seniors living alone, couples, families with
//! children, single parents, three generations under one roof and grown children still at
//! home. Every household has 1-6 members.

use rand::Rng;
use time::{Date, Duration};

use super::names::{self, FamilyName};
use super::{REFERENCE_DATE, Sex};

/// The largest household the population holds.
pub(crate) const MAX_HOUSEHOLD: usize = 6;

/// One person of a household before they get a code, a name and incomes.
pub(crate) struct MemberDraft {
    pub(crate) sex: Sex,
    pub(crate) birth: Date,
    pub(crate) family: FamilyName,
}

/// A household before it is placed at a dwelling.
pub(crate) struct HouseholdDraft {
    /// Adults first, then minors, so that cutting the last household short keeps adults.
    pub(crate) members: Vec<MemberDraft>,
    /// The parents of the minors, if they live here.
    pub(crate) mother: Option<usize>,
    pub(crate) father: Option<usize>,
    /// The minors whose parents are `mother` and `father`.
    pub(crate) children: Vec<usize>,
    /// The minors lost a parent and draw a survivor's pension.
    pub(crate) bereaved: bool,
}

impl HouseholdDraft {
    fn new() -> Self {
        Self { members: Vec::new(), mother: None, father: None, children: Vec::new(), bereaved: false }
    }

    fn push(&mut self, sex: Sex, birth: Date, family: FamilyName) -> usize {
        self.members.push(MemberDraft { sex, birth, family });
        self.members.len() - 1
    }

    /// Keeps the first `len` members; used only for the very last household.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.members.truncate(len);
        self.children.retain(|&i| i < len);
        self.mother = self.mother.filter(|&i| i < len);
        self.father = self.father.filter(|&i| i < len);
    }

    /// Who receives the benefits paid for the children: the mother if she lives here.
    pub(crate) fn carer(&self) -> Option<usize> {
        self.mother.or(self.father)
    }
}

/// The shapes, with relative weights tuned so that about a fifth of the population is 65 or
/// older, a fifth is under 18 and households average a little over two persons.
const SHAPES: &[(Shape, u32)] = &[
    (Shape::SingleSenior, 18),
    (Shape::SingleAdult, 15),
    (Shape::SeniorCouple, 9),
    (Shape::Couple, 11),
    (Shape::CoupleWithChildren, 16),
    (Shape::SingleParent, 7),
    (Shape::ThreeGenerations, 5),
    (Shape::ParentsWithGrownChildren, 9),
    (Shape::SeniorWithGrownChild, 4),
    (Shape::Housemates, 3),
];

#[derive(Clone, Copy)]
enum Shape {
    SingleSenior,
    SingleAdult,
    SeniorCouple,
    Couple,
    CoupleWithChildren,
    SingleParent,
    ThreeGenerations,
    ParentsWithGrownChildren,
    SeniorWithGrownChild,
    Housemates,
}

/// Draws one household.
pub(crate) fn draft<R: Rng>(rng: &mut R) -> HouseholdDraft {
    let total: u32 = SHAPES.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.random_range(0..total);
    let mut shape = Shape::SingleAdult;
    for (candidate, weight) in SHAPES {
        if ticket < *weight {
            shape = *candidate;
            break;
        }
        ticket -= weight;
    }
    let mut household = HouseholdDraft::new();
    match shape {
        Shape::SingleSenior => {
            // Women outlive men, so most seniors living alone are women.
            let sex = if rng.random_bool(0.7) { Sex::Female } else { Sex::Male };
            let age = senior_age(rng);
            household.push(sex, birth_for_age(rng, age), names::family_name(rng));
        }
        Shape::SingleAdult => {
            let sex = any_sex(rng);
            let age = rng.random_range(19..=64);
            household.push(sex, birth_for_age(rng, age), names::family_name(rng));
        }
        Shape::SeniorCouple => {
            let age = senior_age(rng).min(90);
            push_couple(rng, &mut household, age);
        }
        Shape::Couple => {
            let age = rng.random_range(22..=64);
            push_couple(rng, &mut household, age);
        }
        Shape::CoupleWithChildren => {
            let mother_age = rng.random_range(23..=50);
            let (mother, family) = push_couple(rng, &mut household, mother_age);
            push_children(rng, &mut household, mother, family, MAX_HOUSEHOLD - 2);
        }
        Shape::SingleParent => {
            let sex = if rng.random_bool(0.85) { Sex::Female } else { Sex::Male };
            let age = rng.random_range(21..=52);
            let family = names::family_name(rng);
            let parent = household.push(sex, birth_for_age(rng, age), family);
            match sex {
                Sex::Female => household.mother = Some(parent),
                Sex::Male => household.father = Some(parent),
            }
            household.bereaved = rng.random_bool(0.2);
            push_children(rng, &mut household, parent, family, 3);
        }
        Shape::ThreeGenerations => {
            let mother_age = rng.random_range(24..=45);
            let grandparent_age = mother_age + rng.random_range(22..=35);
            let grand_family = names::family_name(rng);
            household.push(Sex::Female, birth_for_age(rng, grandparent_age), grand_family);
            if rng.random_bool(0.4) {
                let age = grandparent_age + rng.random_range(0..=4);
                household.push(Sex::Male, birth_for_age(rng, age), grand_family);
            }
            let (mother, family) = if rng.random_bool(0.7) {
                push_couple(rng, &mut household, mother_age)
            } else {
                // A single mother living with her parents keeps their family name.
                let mother = household.push(Sex::Female, birth_for_age(rng, mother_age), grand_family);
                household.mother = Some(mother);
                (mother, grand_family)
            };
            let room = MAX_HOUSEHOLD - household.members.len();
            push_children(rng, &mut household, mother, family, room.min(3));
        }
        Shape::ParentsWithGrownChildren => {
            let child_age = rng.random_range(18..=34);
            let mother_age = (child_age + rng.random_range(20..=36)).min(80);
            let (_, family) = push_couple(rng, &mut household, mother_age);
            let grown = if rng.random_bool(0.25) { 2 } else { 1 };
            for k in 0..grown {
                let sex = any_sex(rng);
                let age = if k == 0 { child_age } else { (child_age + rng.random_range(1..=5)).min(mother_age - 18) };
                household.push(sex, birth_for_age(rng, age), family);
            }
        }
        Shape::SeniorWithGrownChild => {
            let senior = senior_age(rng).max(70);
            let family = names::family_name(rng);
            household.push(Sex::Female, birth_for_age(rng, senior), family);
            let child_age = senior - rng.random_range(22..=35);
            household.push(any_sex(rng), birth_for_age(rng, child_age), family);
        }
        Shape::Housemates => {
            for _ in 0..2 {
                let age = rng.random_range(19..=60);
                household.push(any_sex(rng), birth_for_age(rng, age), names::family_name(rng));
            }
        }
    }
    household
}

/// Pushes a woman of `age` and her partner; returns the woman and the family name the
/// couple's children take.
fn push_couple<R: Rng>(rng: &mut R, household: &mut HouseholdDraft, age: u16) -> (usize, FamilyName) {
    let family = names::family_name(rng);
    // Most wives take their husband's name; some keep their own.
    let wife_family = if rng.random_bool(0.85) { family } else { names::family_name(rng) };
    let husband_age = (age + rng.random_range(0..=6)).saturating_sub(1).max(18);
    let husband = household.push(Sex::Male, birth_for_age(rng, husband_age), family);
    let wife = household.push(Sex::Female, birth_for_age(rng, age), wife_family);
    household.father = Some(husband);
    household.mother = Some(wife);
    (wife, family)
}

/// Pushes 1-`max` minors born to `mother`, at least 15 months apart except twins.
fn push_children<R: Rng>(rng: &mut R, household: &mut HouseholdDraft, mother: usize, family: FamilyName, max: usize) {
    let wanted = match rng.random_range(0..100) {
        0..45 => 1,
        45..83 => 2,
        83..96 => 3,
        _ => 4,
    }
    .min(max);
    let mother_birth = household.members[mother].birth;
    let mother_age = u16::try_from(gateway_domain::age_on(mother_birth, REFERENCE_DATE)).unwrap_or(0);
    let oldest_max = mother_age.saturating_sub(19).min(17);
    let oldest_min = (2 * (wanted as u16 - 1)).min(oldest_max);
    let oldest_age = rng.random_range(oldest_min..=oldest_max);
    let mut birth = birth_for_age(rng, oldest_age);
    for _ in 0..wanted {
        if birth > REFERENCE_DATE {
            break;
        }
        let sex = any_sex(rng);
        let index = household.push(sex, birth, family);
        household.children.push(index);
        if !rng.random_bool(0.02) {
            birth += Duration::days(rng.random_range(460..=1600));
        }
    }
}

fn any_sex<R: Rng>(rng: &mut R) -> Sex {
    if rng.random_bool(0.5) { Sex::Male } else { Sex::Female }
}

/// An age of 65 or more, most often under 80.
fn senior_age<R: Rng>(rng: &mut R) -> u16 {
    let u: f64 = rng.random();
    65 + (u * u * 32.0) as u16
}

/// A birth date such that the person is `age` years old on the reference date.
pub(crate) fn birth_for_age<R: Rng>(rng: &mut R, age: u16) -> Date {
    let year = REFERENCE_DATE.year() - i32::from(age);
    // The reference date is 1 January, which every year has.
    let latest = REFERENCE_DATE.replace_year(year).unwrap_or(REFERENCE_DATE);
    latest - Duration::days(rng.random_range(0..365))
}
