//! Income streams: what VSAA pays or registers for a person, month by month.
//!
//! A person's incomes are a handful of streams (a salary from one month to another, a pension
//! from the month after the 65th birthday, ...). The amount for a month is computed on demand,
//! so any month can be asked for without storing months. Pensions and benefits are the same
//! every month; insured income (salary) moves within ±15 % of its base, by a hash of the seed,
//! the person and the month. Streams are complete from 2020-01 to 2030-12; earlier months are
//! not modelled.

use gateway_domain::{IncomeKind, Money, Month};
use rand::Rng;
use time::Date;
use time::macros::date;

use super::Sex;

/// The first month the population's incomes are complete for.
pub(crate) const WINDOW_START: Date = date!(2020 - 01 - 01);
/// The last month the population's incomes are complete for.
pub(crate) const WINDOW_END: Date = date!(2030 - 12 - 01);

fn month(date: Date) -> Month {
    Month::of(date)
}

/// The net monthly wage of someone on the minimum wage, in cents.
const MINIMUM_NET_WAGE: i64 = 60_000;
/// The child-care benefit for a parent without insured income, in cents.
const CHILD_CARE_BENEFIT: i64 = 17_100;
/// The disability care allowance, in cents.
const DISABILITY_CARE_ALLOWANCE: i64 = 21_343;
/// How far a salary moves from its base from month to month, in basis points.
const SALARY_SPREAD_BP: u64 = 1_500;

/// One stream of income of one kind, from `first` to `last` inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IncomeStream {
    pub(crate) kind: IncomeKind,
    pub(crate) amount: StreamAmount,
    pub(crate) first: Month,
    pub(crate) last: Option<Month>,
}

/// How a stream's monthly amount comes about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StreamAmount {
    /// The same amount every month, in cents.
    Fixed(i64),
    /// A salary around a base in cents.
    Salary(i64),
    /// The family state benefit, for the children born in these months.
    PerChild(Vec<Month>),
}

impl IncomeStream {
    fn new(kind: IncomeKind, amount: StreamAmount, first: Month, last: Option<Month>) -> Self {
        Self { kind, amount, first, last }
    }

    fn covers(&self, month: Month) -> bool {
        self.first <= month && self.last.is_none_or(|last| month <= last)
    }

    /// The amount paid in `month`, if any. `salt` makes salaries differ between persons and
    /// seeds.
    pub(crate) fn amount_in(&self, month: Month, salt: u64) -> Option<Money> {
        if !self.covers(month) {
            return None;
        }
        let cents = match &self.amount {
            StreamAmount::Fixed(cents) => *cents,
            StreamAmount::Salary(base) => {
                let key = (month.year() as u64) * 12 + u64::from(month.number());
                let spread = super::mix(salt, key) % (2 * SALARY_SPREAD_BP + 1);
                let basis_points = spread as i64 - SALARY_SPREAD_BP as i64;
                base + base * basis_points / 10_000
            }
            StreamAmount::PerChild(births) => {
                let eligible = births.iter().filter(|birth| family_benefit_due(**birth, month)).count();
                family_benefit(eligible)
            }
        };
        (cents > 0).then(|| Money::from_cents(cents))
    }
}

/// The family state benefit is paid from the month after the first birthday to the month of
/// the sixteenth.
fn family_benefit_due(birth: Month, month: Month) -> bool {
    birth.plus(13) <= month && month <= birth.plus(16 * 12)
}

/// The family state benefit for a family with `children` eligible children: 25 euro a child
/// plus the supplement for two, three and more children.
fn family_benefit(children: usize) -> i64 {
    match children {
        0 => 0,
        1 => 2_500,
        2 => 10_000,
        3 => 30_000,
        n => n as i64 * 12_500,
    }
}

/// The two-digit code of a kind in VSAA record ids, in the order of the wire enumeration.
pub(crate) fn kind_number(kind: IncomeKind) -> u8 {
    match kind {
        IncomeKind::OldAgePension => 1,
        IncomeKind::DisabilityPension => 2,
        IncomeKind::SurvivorPension => 3,
        IncomeKind::ServicePension => 4,
        IncomeKind::UnemploymentBenefit => 5,
        IncomeKind::SicknessBenefit => 6,
        IncomeKind::MaternityBenefit => 7,
        IncomeKind::PaternityBenefit => 8,
        IncomeKind::ParentalBenefit => 9,
        IncomeKind::FamilyStateBenefit => 10,
        IncomeKind::ChildCareBenefit => 11,
        IncomeKind::DisabilityCareAllowance => 12,
        IncomeKind::InsuredIncome => 13,
        // Other registries' kinds never appear in VSAA streams.
        IncomeKind::TrainingStipend
        | IncomeKind::PublicWorksAllowance
        | IncomeKind::MaintenancePayment
        | IncomeKind::EmploymentIncome
        | IncomeKind::AgriculturalSupport => 0,
    }
}

/// What a person's household means for their incomes.
pub(crate) struct LifeSituation<'a> {
    pub(crate) birth: Date,
    pub(crate) sex: Sex,
    /// Birth dates of the minors whose parent this person is (for birth-related benefits).
    pub(crate) own_children: &'a [Date],
    /// Whether this person receives the family state benefit for `own_children`.
    pub(crate) family_benefit: bool,
    /// Whether this person lost a parent as a child.
    pub(crate) bereaved: bool,
}

/// A span of months with a salary base.
#[derive(Clone, Copy)]
struct Job {
    first: Month,
    last: Month,
    base: i64,
}

/// Draws a person's income streams across their life. At most one stream of each kind covers
/// any month.
pub(crate) fn draw_streams<R: Rng>(rng: &mut R, life: &LifeSituation<'_>) -> Vec<IncomeStream> {
    let born = Month::of(life.birth);
    let turns_65 = born.plus(65 * 12);
    let mut streams = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();

    // About one in seven never has registered income of their own: students, carers at home,
    // people working abroad or informally.
    let registered = rng.random_bool(0.86);
    let career_start = born.plus(12 * rng.random_range(18..=24) + rng.random_range(0..12));
    let career_end = if rng.random_bool(0.2) { born.plus(12 * rng.random_range(66..=72)) } else { turns_65 };
    if registered {
        let base = salary_base(rng);
        jobs.push(Job { first: career_start, last: career_end, base });
        if rng.random_bool(0.3) {
            lose_job(rng, &mut jobs, &mut streams, base);
        }
    }

    // Teenagers' summer jobs: a few months of insured income between 15 and 17.
    if rng.random_bool(0.1) {
        let year = life.birth.year() + rng.random_range(15..=17);
        if let Ok(june) = Month::new(year, 6) {
            let base = rng.random_range(30_000..=60_000);
            jobs.push(Job { first: june, last: june.plus(2), base });
        }
    }

    // Births: maternity and parental benefit for a working mother, who stops working for the
    // time; the child-care benefit for a mother without a job; a paternity benefit for a
    // working father.
    let mut births: Vec<Month> = life.own_children.iter().map(|d| Month::of(*d)).collect();
    births.dedup();
    for &birth in births.iter().filter(|b| b.plus(18) >= month(WINDOW_START)) {
        let job = jobs.iter().find(|job| job.first <= birth && birth <= job.last).copied();
        match (life.sex, job) {
            (Sex::Female, Some(job)) => {
                let maternity = percent(job.base, 80);
                streams.push(IncomeStream::new(
                    IncomeKind::MaternityBenefit,
                    StreamAmount::Fixed(maternity),
                    birth.previous(),
                    Some(birth.next()),
                ));
                let parental = percent(job.base, 60).max(CHILD_CARE_BENEFIT);
                streams.push(IncomeStream::new(
                    IncomeKind::ParentalBenefit,
                    StreamAmount::Fixed(parental),
                    birth.plus(2),
                    Some(birth.plus(13)),
                ));
                carve(&mut jobs, birth.previous(), birth.plus(13));
            }
            (Sex::Female, None) => streams.push(IncomeStream::new(
                IncomeKind::ChildCareBenefit,
                StreamAmount::Fixed(CHILD_CARE_BENEFIT),
                birth,
                Some(birth.plus(17)),
            )),
            (Sex::Male, Some(job)) if rng.random_bool(0.6) => streams.push(IncomeStream::new(
                IncomeKind::PaternityBenefit,
                StreamAmount::Fixed(percent(job.base, 27)),
                birth,
                Some(birth),
            )),
            (Sex::Male, _) => {}
        }
    }

    // A spell of sick leave for some of those who work in the window.
    if rng.random_bool(0.3) {
        let sick_from = random_month(rng, month(WINDOW_START), month(WINDOW_END));
        if let Some(job) = jobs.iter().find(|job| job.first <= sick_from && sick_from <= job.last) {
            let months = rng.random_range(0..=2);
            streams.push(IncomeStream::new(
                IncomeKind::SicknessBenefit,
                StreamAmount::Fixed(percent(job.base, 80)),
                sick_from,
                Some(sick_from.plus(months)),
            ));
        }
    }

    // Disability: a pension until the old-age pension takes over at 65, for some a care
    // allowance too; half of them stop working.
    let adult = born.plus(12 * 25);
    if rng.random_bool(0.07) && adult < turns_65 {
        let from = random_month(
            rng,
            adult.max(month(date!(2010 - 01 - 01))),
            turns_65.previous().min(month(date!(2030 - 06 - 01))),
        );
        if from <= turns_65.previous() {
            let amount = rng.random_range(18_000..=45_000);
            streams.push(IncomeStream::new(
                IncomeKind::DisabilityPension,
                StreamAmount::Fixed(amount),
                from,
                Some(turns_65),
            ));
            if rng.random_bool(0.15) {
                streams.push(IncomeStream::new(
                    IncomeKind::DisabilityCareAllowance,
                    StreamAmount::Fixed(DISABILITY_CARE_ALLOWANCE),
                    from,
                    Some(turns_65),
                ));
            }
            if rng.random_bool(0.5) {
                carve(&mut jobs, from, career_end);
            }
        }
    }

    // Service pensions of former soldiers, police and border guards.
    if life.sex == Sex::Male && rng.random_bool(0.015) {
        let from = born.plus(12 * rng.random_range(45..=55) + rng.random_range(0..12));
        let amount = rng.random_range(50_000..=110_000);
        streams.push(IncomeStream::new(IncomeKind::ServicePension, StreamAmount::Fixed(amount), from, None));
    }

    // Children who lost a parent draw a survivor's pension until they turn 18.
    if life.bereaved {
        let from = random_month(rng, born, Month::of(super::REFERENCE_DATE));
        let amount = rng.random_range(9_000..=26_000);
        streams.push(IncomeStream::new(
            IncomeKind::SurvivorPension,
            StreamAmount::Fixed(amount),
            from,
            Some(born.plus(18 * 12)),
        ));
    }

    // Old-age pension from the month after the 65th birthday, for almost everyone.
    if rng.random_bool(0.97) {
        let amount = if registered { rng.random_range(38_000..=90_000) } else { rng.random_range(35_000..=42_000) };
        streams.push(IncomeStream::new(IncomeKind::OldAgePension, StreamAmount::Fixed(amount), turns_65.next(), None));
    }

    if life.family_benefit && !births.is_empty() {
        let first = births.iter().min().map(|b| b.plus(13));
        let last = births.iter().max().map(|b| b.plus(16 * 12));
        if let (Some(first), Some(last)) = (first, last) {
            streams.push(IncomeStream::new(
                IncomeKind::FamilyStateBenefit,
                StreamAmount::PerChild(births.clone()),
                first,
                Some(last),
            ));
        }
    }

    for job in jobs {
        streams.push(IncomeStream::new(
            IncomeKind::InsuredIncome,
            StreamAmount::Salary(job.base),
            job.first,
            Some(job.last),
        ));
    }
    normalise(streams)
}

/// A job lost in the window: unemployment benefit for some months, and for most a new job
/// later at a somewhat different wage.
fn lose_job<R: Rng>(rng: &mut R, jobs: &mut Vec<Job>, streams: &mut Vec<IncomeStream>, base: i64) {
    let Some(job) = jobs.first().copied() else { return };
    let earliest = job.first.max(month(WINDOW_START));
    let latest = job.last.min(month(WINDOW_END));
    if earliest > latest {
        return;
    }
    let lost = random_month(rng, earliest, latest);
    let benefit_months = rng.random_range(4..=8);
    if rng.random_bool(0.85) {
        let amount = percent(base, rng.random_range(45..=60));
        streams.push(IncomeStream::new(
            IncomeKind::UnemploymentBenefit,
            StreamAmount::Fixed(amount),
            lost.next(),
            Some(lost.plus(benefit_months)),
        ));
    }
    jobs[0].last = lost;
    let back = lost.plus(benefit_months + 1 + rng.random_range(0..6));
    if rng.random_bool(0.7) && back <= job.last {
        let new_base = percent(base, rng.random_range(85..=115));
        jobs.push(Job { first: back, last: job.last, base: new_base });
    }
}

/// Removes `first..=last` from every job, splitting a job that spans the hole.
fn carve(jobs: &mut Vec<Job>, first: Month, last: Month) {
    let mut kept = Vec::with_capacity(jobs.len() + 1);
    for job in jobs.drain(..) {
        if job.last < first || last < job.first {
            kept.push(job);
            continue;
        }
        if job.first < first {
            kept.push(Job { last: first.previous(), ..job });
        }
        if last < job.last {
            kept.push(Job { first: last.next(), ..job });
        }
    }
    *jobs = kept;
}

/// Drops streams that end before the window and makes sure no two streams of one kind
/// overlap, so that VSAA has at most one record per person, month and kind.
fn normalise(mut streams: Vec<IncomeStream>) -> Vec<IncomeStream> {
    streams.retain(|s| s.last.is_none_or(|last| last >= month(WINDOW_START) && last >= s.first));
    streams.sort_by_key(|s| (s.kind, s.first));
    let mut result: Vec<IncomeStream> = Vec::with_capacity(streams.len());
    for stream in streams {
        let overlapped = result
            .last_mut()
            .filter(|previous| previous.kind == stream.kind && previous.last.is_none_or(|last| last >= stream.first));
        if let Some(previous) = overlapped {
            previous.last = Some(stream.first.previous());
            if previous.last.is_some_and(|last| last < previous.first) {
                result.pop();
            }
        }
        result.push(stream);
    }
    result
}

/// A salary base: some on the minimum wage, the rest spread up to 2 500 euro, most of them
/// around 1 000.
fn salary_base<R: Rng>(rng: &mut R) -> i64 {
    if rng.random_bool(0.2) {
        return MINIMUM_NET_WAGE;
    }
    let u: f64 = rng.random();
    let v: f64 = rng.random();
    65_000 + (185_000.0 * u * v) as i64
}

fn percent(cents: i64, percent: i64) -> i64 {
    cents * percent / 100
}

fn random_month<R: Rng>(rng: &mut R, from: Month, to: Month) -> Month {
    let span = from.months_until(to);
    if span <= 0 {
        return from;
    }
    from.plus(rng.random_range(0..=span))
}
