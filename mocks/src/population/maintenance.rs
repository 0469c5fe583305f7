//! What the Maintenance Guarantee Fund Administration (UGFA) knows about the population: the
//! maintenance the fund pays, month by month, for a child whose parent living apart does not
//! pay it.
//!
//! Who: only minors living with one parent while the other is alive (not the children drawing a
//! survivor's pension), about one in four of the population's minors. Of those, a share is
//! drawn such that about 6 % of all minors receive the fund's maintenance in a month: UGFA
//! reports about 20 000 children a year paid for, out of about 350 000 children in Latvia.
//!
//! How much: the guaranteed minimum, by the child's age on the first day of the month: 25 % of
//! the year's minimum monthly wage under 7, 30 % from 7 to 18 (the Cabinet's regulation on
//! the minimum maintenance). Minimum wages: 430 euro in 2020, 500 in 2021-2022, 620 in 2023,
//! 700 in 2024, 740 in 2025, 780 from 2026 (later years are not yet set and kept at 780).
//! So 195.00 and 234.00 euro a month in 2026. The fund pays up to 18 and, while in education,
//! to 21; the population has no enrolment, so its payments end with the month before the 18th
//! birthday. Maintenance is not taxed, so the amount paid is the amount received.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that the persons, households, VSAA incomes and the other registers of a seed stay
//! what they were before the fund existed.

use std::collections::HashMap;

use gateway_domain::{IncomeKind, Money, Month, Period, PersonCode, age_on};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::incomes::{WINDOW_END, WINDOW_START};
use super::{Population, SyntheticPerson, TrueIncome, mix};

/// Salt of the fund's own random stream.
const FUND_SALT: u64 = 0x5547_4641_4655_4e44;

/// Share of the minors living with one parent for whom the fund pays at some time. With the
/// spells below, about 6 % of all minors receive its maintenance in any one month.
const PAID_FOR_SHARE: f64 = 0.4;

/// Share of the spells that last until the child turns 18; the others end when the parent
/// living apart starts paying, or the fund's claim is settled otherwise.
const UNTIL_ADULTHOOD_SHARE: f64 = 0.7;

/// The age from which the higher minimum applies, and the age the fund pays to.
const OLDER_CHILD_AGE: i32 = 7;
const ADULT_AGE: i32 = 18;

/// The monthly minimum wage of a year, in cents: what the guaranteed minimum is a share of.
fn minimum_wage(year: i32) -> i64 {
    match year {
        ..=2020 => 43_000,
        2021 | 2022 => 50_000,
        2023 => 62_000,
        2024 => 70_000,
        2025 => 74_000,
        _ => 78_000,
    }
}

/// The guaranteed minimum the fund pays for a child born on `birth` for `month`: 25 % of the
/// minimum wage under 7, 30 % from 7, by the age on the month's first day; `None` from 18.
pub(crate) fn guaranteed_minimum(birth: time::Date, month: Month) -> Option<Money> {
    let age = age_on(birth, month.first_day());
    if !(0..ADULT_AGE).contains(&age) {
        return None;
    }
    let percent = if age < OLDER_CHILD_AGE { 25 } else { 30 };
    Some(Money::from_cents(minimum_wage(month.year()) * percent / 100))
}

/// The months the fund pays for one child, first to last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spell {
    first: Month,
    last: Month,
}

/// The fund's payments, by person index.
#[derive(Debug, Default)]
pub(crate) struct Fund {
    spells: HashMap<usize, Spell>,
}

impl Fund {
    pub(crate) fn draw(population: &Population) -> Fund {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, FUND_SALT));
        let mut fund = Fund::default();
        for person in population.persons.iter().filter(|p| p.one_parent_at_home) {
            if !rng.random_bool(PAID_FOR_SHARE) {
                continue;
            }
            if let Some(spell) = draw_spell(&mut rng, person) {
                fund.spells.insert(person.index, spell);
            }
        }
        fund
    }
}

/// When the fund pays for `child`: from some month after birth (the parents separated, the
/// bailiff could not recover the maintenance), until 18 or for some years, within the window.
fn draw_spell(rng: &mut ChaCha8Rng, child: &SyntheticPerson) -> Option<Spell> {
    let born = Month::of(child.birth_date);
    let adult = child.birth_date.replace_year(child.birth_date.year() + ADULT_AGE).ok()?;
    // The last month whose first day the child is still under 18.
    let last_as_minor = Month::of(adult).plus(if adult.day() == 1 { -1 } else { 0 });
    let earliest = born.next().max(Month::of(WINDOW_START).plus(-60));
    if earliest > last_as_minor {
        return None;
    }
    // Parents mostly part while the child is young, and a claim once made runs for years.
    let first = earliest.plus(rng.random_range(0..=earliest.months_until(last_as_minor) / 2));
    let last = if rng.random_bool(UNTIL_ADULTHOOD_SHARE) {
        last_as_minor
    } else {
        first.plus(rng.random_range(12..=96)).min(last_as_minor)
    };
    let (first, last) = (first.max(Month::of(WINDOW_START)), last.min(Month::of(WINDOW_END)));
    (first <= last).then_some(Spell { first, last })
}

impl Population {
    /// Exactly the maintenance payments UGFA serves for this person in the period: one per
    /// month the fund pays for them as a child, sorted by month. Empty for a person the fund
    /// pays nothing for, and for an unknown one.
    pub fn ugfa_incomes(&self, code: &PersonCode, period: Period) -> Vec<TrueIncome> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let Some(spell) = self.fund.spells.get(&person.index) else { return Vec::new() };
        period
            .months()
            .filter(|month| spell.first <= *month && *month <= spell.last)
            .filter_map(|month| {
                Some(TrueIncome {
                    record_id: format!("ugfa-{month}-{:06}", person.index + 1),
                    month,
                    kind: IncomeKind::MaintenancePayment,
                    amount: guaranteed_minimum(person.birth_date, month)?,
                    employer: None,
                    scheme: None,
                })
            })
            .collect()
    }
}
