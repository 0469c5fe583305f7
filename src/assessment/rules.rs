//! The means test's rules as data: dated levels (needy, low-income, GMI), the monthly minimum
//! wage, which income kinds do not count and which are earnings, and the tolerance of the
//! declared-against-verified check. Shipped as `config/assessment-rules.toml`, overridable whole
//! from a file.

use std::collections::BTreeSet;
use std::path::Path;

use figment::Figment;
use figment::providers::{Format, Toml};
use gateway_domain::{IncomeKind, Money, Month};
use serde::Deserialize;

/// The rules shipped with the gateway.
pub const SHIPPED_RULES: &str = include_str!("../../config/assessment-rules.toml");

/// A level for the first (or only) person and for each further person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub first: i64,
    pub other: i64,
}

impl Level {
    /// The household's level: the first person in full, each other at the `other` amount.
    pub fn for_household(self, persons: usize) -> Money {
        let others = i64::try_from(persons.saturating_sub(1)).unwrap_or(i64::MAX);
        Money::from_cents(self.first + self.other.saturating_mul(others))
    }
}

/// The levels in force from a month on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub from: Month,
    pub needy: Level,
    /// The municipality's low-income level; `None` where it has not set one.
    #[serde(default)]
    pub low_income: Option<Level>,
    pub gmi: Level,
    /// Said beside the levels in every explanation (where a level comes from, what is missing).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinimumWage {
    from: Month,
    monthly: i64,
}

/// How far a declared income may be from the registries' figure and still match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    pub percent: u32,
    pub absolute_cents: i64,
}

impl Tolerance {
    /// Whether `declared` is within the tolerance of `verified`: within the percentage of the
    /// verified amount, or within the absolute amount, whichever is wider (exact in cents).
    pub fn accepts(self, declared: Money, verified: Money) -> bool {
        let difference = (declared.cents() - verified.cents()).abs();
        difference <= self.absolute_cents
            || i128::from(difference) * 100 <= i128::from(verified.cents().abs()) * i128::from(self.percent)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    levels: Vec<Levels>,
    minimum_wage: Vec<MinimumWage>,
    not_counted: Vec<IncomeKind>,
    earnings: Vec<IncomeKind>,
    tolerance: Tolerance,
}

/// The whole rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    levels: Vec<Levels>,
    minimum_wage: Vec<MinimumWage>,
    not_counted: BTreeSet<IncomeKind>,
    earnings: BTreeSet<IncomeKind>,
    pub tolerance: Tolerance,
}

/// Why a rules file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read the assessment rules {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the assessment rules are not valid: {0}")]
    Invalid(String),
}

/// What the rules cannot answer for a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRule {
    #[error("no levels are in force in {0}")]
    Levels(Month),
    #[error("no minimum wage is known for {0}")]
    MinimumWage(Month),
}

impl Rules {
    /// The rules shipped with the gateway.
    pub fn shipped() -> Self {
        // The shipped file is tested to parse; failing here is a bug in the build.
        Self::parse(SHIPPED_RULES).expect("the shipped assessment rules are valid")
    }

    /// The rules in `path`, or the shipped ones when there is none.
    pub fn load(path: Option<&Path>) -> Result<Self, RulesError> {
        match path {
            None => Ok(Self::shipped()),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| RulesError::Read(path.display().to_string(), e))?;
                Self::parse(&text)
            }
        }
    }

    pub fn parse(text: &str) -> Result<Self, RulesError> {
        let file: RulesFile =
            Figment::new().merge(Toml::string(text)).extract().map_err(|e| RulesError::Invalid(e.to_string()))?;
        let mut levels = file.levels;
        levels.sort_by_key(|l| l.from);
        let mut minimum_wage = file.minimum_wage;
        minimum_wage.sort_by_key(|w| w.from);
        let months: Vec<Month> = levels.iter().map(|l| l.from).collect();
        if months.windows(2).any(|w| w[0] == w[1]) {
            return Err(RulesError::Invalid("two levels entries start in the same month".into()));
        }
        let amounts = levels.iter().flat_map(|l| [Some(l.needy), l.low_income, Some(l.gmi)]).flatten();
        if amounts.clone().any(|l| l.first < 0 || l.other < 0) || minimum_wage.iter().any(|w| w.monthly < 0) {
            return Err(RulesError::Invalid("levels and wages are amounts of at least 0 cents".into()));
        }
        if levels.iter().any(|l| l.low_income.is_some_and(|low| low.first < l.needy.first || low.other < l.needy.other))
        {
            return Err(RulesError::Invalid("a low-income level lies below the needy level".into()));
        }
        if file.tolerance.absolute_cents < 0 {
            return Err(RulesError::Invalid("tolerance.absolute_cents is at least 0".into()));
        }
        Ok(Self {
            levels,
            minimum_wage,
            not_counted: file.not_counted.into_iter().collect(),
            earnings: file.earnings.into_iter().collect(),
            tolerance: file.tolerance,
        })
    }

    /// The levels in force in `month`.
    pub fn levels(&self, month: Month) -> Result<&Levels, NoRule> {
        self.levels.iter().rev().find(|l| l.from <= month).ok_or(NoRule::Levels(month))
    }

    /// The monthly minimum wage in `month`.
    pub fn minimum_wage(&self, month: Month) -> Result<Money, NoRule> {
        self.minimum_wage
            .iter()
            .rev()
            .find(|w| w.from <= month)
            .map(|w| Money::from_cents(w.monthly))
            .ok_or(NoRule::MinimumWage(month))
    }

    pub fn counts(&self, kind: IncomeKind) -> bool {
        !self.not_counted.contains(&kind)
    }

    pub fn is_earnings(&self, kind: IncomeKind) -> bool {
        self.earnings.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(raw: &str) -> Month {
        Month::parse(raw).unwrap()
    }

    #[test]
    fn the_shipped_rules_give_each_years_levels() {
        let rules = Rules::shipped();
        assert_eq!(rules.levels(month("2024-06")).unwrap().needy, Level { first: 34_300, other: 24_000 });
        assert_eq!(rules.levels(month("2025-12")).unwrap().low_income, None);
        assert_eq!(rules.levels(month("2026-11")).unwrap().gmi, Level { first: 18_700, other: 13_100 });
        assert_eq!(rules.levels(month("2023-12")), Err(NoRule::Levels(month("2023-12"))));
        assert_eq!(rules.minimum_wage(month("2025-03")).unwrap(), Money::from_cents(74_000));
        assert!(!rules.counts(IncomeKind::FamilyStateBenefit) && rules.counts(IncomeKind::OldAgePension));
        assert!(!rules.counts(IncomeKind::InsuredIncome) && rules.counts(IncomeKind::AgriculturalSupport));
        assert!(rules.is_earnings(IncomeKind::EmploymentIncome) && !rules.is_earnings(IncomeKind::OldAgePension));
        assert_eq!(Level { first: 42_500, other: 29_800 }.for_household(4), Money::from_cents(42_500 + 3 * 29_800));
    }

    #[test]
    fn a_rules_file_with_contradictions_is_refused() {
        let broken = SHIPPED_RULES.replace("low_income = { first = 41100", "low_income = { first = 100");
        assert!(matches!(Rules::parse(&broken), Err(RulesError::Invalid(_))));
        let doubled = SHIPPED_RULES.replace("from = \"2025-01\"\nneedy", "from = \"2024-01\"\nneedy");
        assert!(matches!(Rules::parse(&doubled), Err(RulesError::Invalid(_))));
        assert!(matches!(Rules::parse("levels = 1"), Err(RulesError::Invalid(_))));
    }

    #[test]
    fn the_tolerance_is_the_wider_of_a_share_and_an_amount() {
        let tolerance = Tolerance { percent: 10, absolute_cents: 2_000 };
        let euro = Money::from_cents;
        assert!(tolerance.accepts(euro(110_000), euro(100_000)), "10 % of 1000.00");
        assert!(!tolerance.accepts(euro(110_001), euro(100_000)));
        assert!(tolerance.accepts(euro(12_000), euro(10_000)), "20.00 when 10 % is less");
        assert!(!tolerance.accepts(euro(12_001), euro(10_000)));
    }
}
