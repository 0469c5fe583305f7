//! The indicative assessment of a verified household: counted income per month and its
//! average, the household's needy, low-income and GMI levels, the indicative status and GMI
//! benefit, and every step as a line a caseworker can read. The decision stays the
//! caseworker's; this saves the arithmetic and shows it.
//!
//! Rounding, stated once: every amount is integer euro cents. Monthly totals are exact sums.
//! The average is the period's total divided by its months, rounded half away from zero to the
//! cent, and shown; the levels are compared with the *unrounded* average (total ≤ months × level,
//! in integers), so rounding can never move a household across a level. The GMI benefit is the
//! GMI level minus the rounded average, never below zero.

mod declared;
mod rules;

use std::collections::BTreeMap;

use gateway_domain::{HouseholdRecord, IncomeKind, Money, Month, Period, PersonCode, System, age_on};
use serde::Serialize;
use time::Date;

pub use declared::{DeclaredIncome, DeclaredOutcome, DeclaredVerdict, check_declared};
pub use rules::{Level, Levels, NoRule, Rules, RulesError, SHIPPED_RULES, Tolerance};

/// Age from which earnings count in full.
const ADULT_AGE: u8 = 18;

/// One member as the assessment sees them.
#[derive(Debug, Clone)]
pub struct AssessedMember {
    /// How explanations name the member (never a personal code).
    pub label: String,
    pub birth_date: Option<Date>,
    pub incomes: Vec<(Month, IncomeKind, Money)>,
}

/// What is assessed.
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    pub period: Period,
    pub members: Vec<AssessedMember>,
    /// Why some income is unknown (a registry's gap); any makes the status inconclusive.
    pub unknown: Vec<String>,
    /// Property found, for the caseworker to assess beside the income.
    pub assets: Vec<AssetNote>,
}

/// A property found, as the assessment lists it: real estate (by cadastral number), a vehicle
/// or machine (by registration number) or a company holding (by the company's number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetNote {
    pub member: String,
    /// The register that records it.
    pub register: System,
    /// The register's key of it: cadastral number, registration number, company number.
    pub identifier: String,
    pub kind: String,
    /// The member's share of a property's cadastral value; `None` for what has no value on
    /// record (vehicles, holdings) or when the cadastre did not answer.
    #[serde(rename = "share_value_cents")]
    pub share_value: Option<Money>,
}

/// The indicative status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicativeStatus {
    Needy,
    LowIncome,
    NotNeedy,
    /// An income is unknown; no status can be indicated.
    Inconclusive,
}

/// The household's levels for its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HouseholdLevels {
    pub persons: usize,
    /// The month whose levels apply (the month after the period).
    pub in_force_for: Month,
    #[serde(rename = "needy_cents")]
    pub needy: Money,
    #[serde(rename = "low_income_cents")]
    pub low_income: Option<Money>,
    #[serde(rename = "gmi_cents")]
    pub gmi: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountedMonth {
    pub month: Month,
    #[serde(rename = "amount_cents")]
    pub amount: Money,
}

/// The assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub period: Period,
    pub levels: HouseholdLevels,
    /// Counted income per month; `None` when inconclusive.
    pub counted_monthly: Option<Vec<CountedMonth>>,
    #[serde(rename = "counted_total_cents")]
    pub counted_total: Option<Money>,
    #[serde(rename = "average_monthly_cents")]
    pub average_monthly: Option<Money>,
    pub status: IndicativeStatus,
    #[serde(rename = "gmi_benefit_cents")]
    pub gmi_benefit: Option<Money>,
    /// Why the status is inconclusive, or why it can only be needy or not.
    pub reasons: Vec<String>,
    /// Property for the caseworker to assess (several properties, or any beyond a dwelling).
    pub assets_to_assess: Vec<AssetNote>,
    pub explanation: Vec<String>,
}

/// Why no assessment can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    #[error(transparent)]
    NoRule(#[from] NoRule),
    #[error("a household has at least one member")]
    NoMembers,
}

fn euro(amount: Money) -> String {
    amount.to_decimal_string()
}

/// A unit enum's wire name (`old_age_pension`, `incomes`, `land`).
fn wire_name<T: Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The same name in words, for explanations.
fn kind_name(kind: IncomeKind) -> String {
    wire_name(kind).replace('_', " ")
}

/// What one member's incomes of one month add to the household's.
struct MemberMonth {
    counted: Money,
    lines: Vec<String>,
    uncertain: Option<String>,
}

fn member_month(rules: &Rules, member: &AssessedMember, month: Month) -> Result<MemberMonth, AssessmentError> {
    let mut counted = Money::ZERO;
    let mut lines = Vec::new();
    let mut earnings = Money::ZERO;
    let mut by_kind: BTreeMap<IncomeKind, Money> = BTreeMap::new();
    for (_, kind, amount) in member.incomes.iter().filter(|(m, ..)| *m == month) {
        *by_kind.entry(*kind).or_insert(Money::ZERO) += *amount;
    }
    for (kind, amount) in &by_kind {
        if !rules.counts(*kind) {
            lines.push(format!("{}: {} {} does not count", member.label, kind_name(*kind), euro(*amount)));
        } else if rules.is_earnings(*kind) {
            earnings += *amount;
        } else {
            counted += *amount;
            lines.push(format!("{}: {} {}", member.label, kind_name(*kind), euro(*amount)));
        }
    }
    let mut uncertain = None;
    if earnings != Money::ZERO {
        let minor = member.birth_date.map(|birth| age_on(birth, month.last_day()) < i32::from(ADULT_AGE));
        match minor {
            Some(true) => {
                let wage = rules.minimum_wage(month)?;
                let over = Money::from_cents((earnings.cents() - wage.cents()).max(0));
                counted += over;
                lines.push(format!(
                    "{}: a minor in {month}: earnings {}, of which up to the minimum wage {} do not count; {} counted",
                    member.label,
                    euro(earnings),
                    euro(wage),
                    euro(over)
                ));
            }
            Some(false) => {
                counted += earnings;
                lines.push(format!("{}: earnings {}", member.label, euro(earnings)));
            }
            None => {
                counted += earnings;
                uncertain = Some(format!(
                    "{}'s birth date is unknown: their earnings may be a minor's, which count only above the minimum wage",
                    member.label
                ));
                lines.push(format!("{}: earnings {} (birth date unknown)", member.label, euro(earnings)));
            }
        }
    }
    Ok(MemberMonth { counted, lines, uncertain })
}

/// Assesses a household under `rules`.
pub fn assess(input: &AssessmentInput, rules: &Rules) -> Result<Assessment, AssessmentError> {
    if input.members.is_empty() {
        return Err(AssessmentError::NoMembers);
    }
    let period = input.period;
    let in_force_for = period.to().next();
    let table = rules.levels(in_force_for)?;
    let persons = input.members.len();
    let levels = HouseholdLevels {
        persons,
        in_force_for,
        needy: table.needy.for_household(persons),
        low_income: table.low_income.map(|l| l.for_household(persons)),
        gmi: table.gmi.for_household(persons),
    };
    let mut explanation = Vec::new();
    explanation.push(levels_line(table, in_force_for));
    explanation.push(household_line(table, &levels));

    let mut reasons: Vec<String> = input.unknown.clone();
    let mut counted_monthly = Vec::new();
    for month in period.months() {
        let mut total = Money::ZERO;
        let mut lines = Vec::new();
        for member in &input.members {
            let part = member_month(rules, member, month)?;
            total += part.counted;
            lines.extend(part.lines);
            if let Some(reason) = part.uncertain
                && !reasons.contains(&reason)
            {
                reasons.push(reason);
            }
        }
        let detail = if lines.is_empty() { "no incomes".to_owned() } else { lines.join("; ") };
        explanation.push(format!("{month}: counted {} ({detail}).", euro(total)));
        counted_monthly.push(CountedMonth { month, amount: total });
    }
    let assets_to_assess = assets_to_assess(&input.assets);
    if !assets_to_assess.is_empty() {
        explanation.push(format!(
            "Property to assess beside the income: {} (the levels say nothing of it).",
            assets_to_assess.iter().map(|a| format!("{} {}", a.member, a.identifier)).collect::<Vec<_>>().join(", ")
        ));
    }
    if !reasons.is_empty() {
        explanation.push(format!("Status: inconclusive: {}.", reasons.join("; ")));
        return Ok(Assessment {
            period,
            levels,
            counted_monthly: None,
            counted_total: None,
            average_monthly: None,
            status: IndicativeStatus::Inconclusive,
            gmi_benefit: None,
            reasons,
            assets_to_assess,
            explanation,
        });
    }

    let months = i64::from(period.len());
    let total: Money = counted_monthly.iter().map(|m| m.amount).sum();
    let average = total.div_round(months);
    // The comparison is with the unrounded average: total ≤ months × level.
    let at_most = |level: Money| total.cents() <= level.cents().saturating_mul(months);
    explanation.push(format!(
        "Average over {months} months: {} / {months} = {} (rounded half away from zero; the levels are compared with the unrounded average).",
        euro(total),
        euro(average)
    ));
    let status = if at_most(levels.needy) {
        explanation.push(format!("Status: needy: the average is at most the needy level {}.", euro(levels.needy)));
        IndicativeStatus::Needy
    } else {
        match levels.low_income {
            Some(low) if at_most(low) => {
                explanation.push(format!(
                    "Status: low income: above the needy level {}, at most the low-income level {}.",
                    euro(levels.needy),
                    euro(low)
                ));
                IndicativeStatus::LowIncome
            }
            Some(low) => {
                explanation
                    .push(format!("Status: not needy: the average is above the low-income level {}.", euro(low)));
                IndicativeStatus::NotNeedy
            }
            None => {
                let why = format!(
                    "no low-income level is set for {in_force_for}, so the status is only needy or not needy{}",
                    table.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
                );
                explanation.push(format!(
                    "Status: not needy: the average is above the needy level {}; {why}.",
                    euro(levels.needy)
                ));
                reasons.push(why);
                IndicativeStatus::NotNeedy
            }
        }
    };
    let benefit = Money::from_cents((levels.gmi.cents() - average.cents()).max(0));
    explanation.push(format!(
        "GMI benefit: the GMI level {} minus the average {}, not below zero: {}.",
        euro(levels.gmi),
        euro(average),
        euro(benefit)
    ));
    Ok(Assessment {
        period,
        levels,
        counted_monthly: Some(counted_monthly),
        counted_total: Some(total),
        average_monthly: Some(average),
        status,
        gmi_benefit: Some(benefit),
        reasons,
        assets_to_assess,
        explanation,
    })
}

fn levels_line(table: &Levels, month: Month) -> String {
    let low = table
        .low_income
        .map(|l| format!("low income {} / {}", euro(Money::from_cents(l.first)), euro(Money::from_cents(l.other))))
        .unwrap_or_else(|| "low income not set".to_owned());
    format!(
        "Levels in force in {month} (from {}): needy {} / {}, {low}, GMI {} / {} euro a month (first person / each other person){}.",
        table.from,
        euro(Money::from_cents(table.needy.first)),
        euro(Money::from_cents(table.needy.other)),
        euro(Money::from_cents(table.gmi.first)),
        euro(Money::from_cents(table.gmi.other)),
        table.note.as_ref().map(|n| format!("; {n}")).unwrap_or_default()
    )
}

fn household_line(table: &Levels, levels: &HouseholdLevels) -> String {
    let others = levels.persons - 1;
    let sum =
        |l: Level| format!("{} + {others} × {}", euro(Money::from_cents(l.first)), euro(Money::from_cents(l.other)));
    let low = match (table.low_income, levels.low_income) {
        (Some(l), Some(total)) => format!(", low income {} = {}", sum(l), euro(total)),
        _ => String::new(),
    };
    format!(
        "Household of {}: needy {} = {}{low}, GMI {} = {}.",
        levels.persons,
        sum(table.needy),
        euro(levels.needy),
        sum(table.gmi),
        euro(levels.gmi)
    )
}

/// Property worth a caseworker's look: every real estate property of a household that owns
/// more than one, or any that is not a dwelling (land, a non-residential building); and every
/// vehicle, machine and company holding, which the law also says to assess.
fn assets_to_assess(assets: &[AssetNote]) -> Vec<AssetNote> {
    let real_estate = |a: &&AssetNote| a.register == System::LandRegistry;
    let several = assets.iter().filter(real_estate).count() > 1;
    assets
        .iter()
        .filter(|a| !real_estate(a) || several || (!a.kind.contains("apartment") && !a.kind.contains("residential")))
        .cloned()
        .collect()
}

/// The assessment's view of a verified record: members labelled by their place in it.
pub fn input_from_record(record: &HouseholdRecord) -> AssessmentInput {
    let labels: BTreeMap<&str, String> = record
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let role = if m.person_code == record.applicant { " (applicant)" } else { "" };
            (m.person_code.as_str(), format!("member {}{role}", i + 1))
        })
        .collect();
    let label = |code: &str| labels.get(code).cloned().unwrap_or_else(|| "a member".to_owned());
    let members = record
        .members
        .iter()
        .map(|m| AssessedMember {
            label: label(m.person_code.as_str()),
            birth_date: m.birth_date,
            incomes: record
                .incomes
                .iter()
                .filter(|i| i.person == m.person_code)
                .map(|i| (i.month, i.kind, i.amount))
                .collect(),
        })
        .collect();
    let unknown = record
        .gaps
        .iter()
        .filter(|g| g.topic.leaves_incomes_unknown())
        .map(|g| {
            let who = g.person.as_ref().map(|p| label(p.as_str())).unwrap_or_else(|| "the household".to_owned());
            format!(
                "{} did not answer about {who}'s {} ({})",
                g.system,
                wire_name(g.topic).replace('_', " "),
                g.reason.as_str()
            )
        })
        .collect();
    let note = |person: &PersonCode, register, identifier: &str, kind: String, share_value| AssetNote {
        member: label(person.as_str()),
        register,
        identifier: identifier.to_owned(),
        kind,
        share_value,
    };
    let real_estate = record
        .assets
        .iter()
        .map(|a| note(&a.person, System::LandRegistry, &a.cadastral_number, wire_name(a.kind), a.share_value));
    let vehicles = record.vehicles.iter().map(|v| {
        let kind = format!("{} ({}, {})", wire_name(v.kind), v.year, wire_name(v.role));
        note(&v.person, v.provenance.system, &v.registration_number, kind, None)
    });
    let holdings = record.holdings.iter().map(|h| {
        let share = h.share.map(|s| format!(", {s}")).unwrap_or_default();
        note(
            &h.person,
            h.provenance.system,
            &h.company.registration_number,
            format!("{}{share}", wire_name(h.role)),
            None,
        )
    });
    let assets = real_estate.chain(vehicles).chain(holdings).collect();
    AssessmentInput { period: record.period, members, unknown, assets }
}

#[cfg(test)]
mod tests;
