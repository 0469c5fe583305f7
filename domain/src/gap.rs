//! A fact the gateway could not get: named, typed, never a silent zero.

use serde::{Deserialize, Serialize};

use crate::{PersonCode, SourceError, System};

/// Why a fact is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    NotFound,
    Unavailable,
    Timeout,
    RateLimited,
    Rejected,
    Malformed,
    /// The request's purpose does not permit asking for it: it was not asked.
    NotPermitted,
}

impl GapReason {
    /// The reason as records, problem bodies and logs write it (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            GapReason::NotFound => "not_found",
            GapReason::Unavailable => "unavailable",
            GapReason::Timeout => "timeout",
            GapReason::RateLimited => "rate_limited",
            GapReason::Rejected => "rejected",
            GapReason::Malformed => "malformed",
            GapReason::NotPermitted => "not_permitted",
        }
    }
}

/// What a gap leaves unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapTopic {
    /// Who lives in the household.
    HouseholdMembers,
    /// A person's identity.
    Person,
    /// A person's incomes.
    Incomes,
    /// A person's statuses (registered unemployment, disability, workplaces, enrolment, care).
    Statuses,
    /// What a person owns: real estate, vehicles and machinery, company holdings.
    Assets,
    /// The area and cadastral value of real estate a person owns.
    AssetValues,
    /// A municipality's co-financing confirmations.
    CoFinancing,
}

impl GapTopic {
    /// Every topic.
    pub const ALL: &'static [GapTopic] = &[
        GapTopic::HouseholdMembers,
        GapTopic::Person,
        GapTopic::Incomes,
        GapTopic::Statuses,
        GapTopic::Assets,
        GapTopic::AssetValues,
        GapTopic::CoFinancing,
    ];

    /// The topic as records and the audit log write it (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            GapTopic::HouseholdMembers => "household_members",
            GapTopic::Person => "person",
            GapTopic::Incomes => "incomes",
            GapTopic::Statuses => "statuses",
            GapTopic::Assets => "assets",
            GapTopic::AssetValues => "asset_values",
            GapTopic::CoFinancing => "co_financing",
        }
    }

    /// Whether a gap on this topic makes the household's income totals unknowable. Statuses
    /// and assets are judged beside incomes, never added to them, so their gaps leave the
    /// totals standing (the record is still `complete: false`).
    pub fn leaves_incomes_unknown(self) -> bool {
        matches!(self, GapTopic::HouseholdMembers | GapTopic::Incomes)
    }
}

/// A named hole in a household record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub system: System,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonCode>,
    pub topic: GapTopic,
    pub reason: GapReason,
}

impl Gap {
    pub fn from_error(system: System, person: Option<PersonCode>, topic: GapTopic, error: &SourceError) -> Self {
        Self { system, person, topic, reason: error.gap_reason() }
    }
}
