//! Declared against verified ("reasonable compatibility"): the monthly incomes the applicant
//! declared, per member and kind, lined up against the registries' average over the period.
//! Within the tolerance needs no further proof; outside it the caseworker asks.

use std::collections::{BTreeMap, BTreeSet};

use gateway_domain::{HouseholdRecord, IncomeKind, Money, PersonCode};
use serde::Serialize;

use super::Tolerance;

/// One declared income: a member's monthly amount of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredIncome {
    pub person: PersonCode,
    pub kind: IncomeKind,
    pub monthly: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredVerdict {
    /// Within the tolerance of the registries' figure.
    Matches,
    /// Beyond the tolerance.
    Differs,
    /// Declared, but no registry reports such an income.
    DeclaredNotFound,
    /// Reported by a registry, not declared.
    FoundNotDeclared,
    /// A registry did not answer about this member's incomes: nothing to compare with.
    Unverified,
}

/// The check of one member's income of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredOutcome {
    pub person: PersonCode,
    pub kind: IncomeKind,
    pub outcome: DeclaredVerdict,
    #[serde(rename = "declared_monthly_cents")]
    pub declared: Option<Money>,
    /// The registries' monthly average over the period (rounded half away from zero).
    #[serde(rename = "verified_monthly_cents")]
    pub verified: Option<Money>,
}

/// Lines the declaration up against the record, per member and kind, in a stable order.
pub fn check_declared(
    record: &HouseholdRecord,
    declared: &[DeclaredIncome],
    tolerance: Tolerance,
) -> Vec<DeclaredOutcome> {
    let months = i64::from(record.period.len());
    let mut verified: BTreeMap<(PersonCode, IncomeKind), Money> = BTreeMap::new();
    for income in &record.incomes {
        *verified.entry((income.person.clone(), income.kind)).or_insert(Money::ZERO) += income.amount;
    }
    let verified: BTreeMap<_, Money> =
        verified.into_iter().map(|(key, total)| (key, total.div_round(months))).collect();
    let mut claimed: BTreeMap<(PersonCode, IncomeKind), Money> = BTreeMap::new();
    for d in declared {
        *claimed.entry((d.person.clone(), d.kind)).or_insert(Money::ZERO) += d.monthly;
    }
    let unverified: BTreeSet<&PersonCode> =
        record.gaps.iter().filter(|g| g.topic.leaves_incomes_unknown()).filter_map(|g| g.person.as_ref()).collect();
    let household_unknown = record.gaps.iter().any(|g| g.topic.leaves_incomes_unknown() && g.person.is_none());
    let keys: BTreeSet<&(PersonCode, IncomeKind)> = verified.keys().chain(claimed.keys()).collect();
    keys.into_iter()
        .map(|key| {
            let (person, kind) = key.clone();
            let (found, said) = (verified.get(key).copied(), claimed.get(key).copied());
            let outcome = match (said, found) {
                (_, None) if household_unknown || unverified.contains(&person) => DeclaredVerdict::Unverified,
                (Some(said), Some(found)) if tolerance.accepts(said, found) => DeclaredVerdict::Matches,
                (Some(_), Some(_)) => DeclaredVerdict::Differs,
                (Some(_), None) => DeclaredVerdict::DeclaredNotFound,
                (None, _) => DeclaredVerdict::FoundNotDeclared,
            };
            DeclaredOutcome { person, kind, outcome, declared: said, verified: found }
        })
        .collect()
}
