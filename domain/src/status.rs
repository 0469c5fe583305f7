//! Statuses a registry holds about a person that change what a household is entitled to:
//! registered unemployment (NVA) and disability (VDEĀVK), each with its validity dates.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{PersonCode, Provenance};

/// What a status is. The wire code of each kind belongs to the adapter that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// Registered unemployed at NVA.
    Unemployed,
    /// Registered job seeker at NVA (employed, studying or otherwise not unemployed).
    JobSeeker,
    /// Disability group I, the most severe.
    #[serde(rename = "disability_group_i")]
    DisabilityGroupI,
    /// Disability group II.
    #[serde(rename = "disability_group_ii")]
    DisabilityGroupII,
    /// Disability group III.
    #[serde(rename = "disability_group_iii")]
    DisabilityGroupIII,
    /// Disability of a child under 18 (groups are given to adults only).
    ChildDisability,
}

impl StatusKind {
    /// Whether the kind is a disability, as VDEĀVK determines it.
    pub fn is_disability(self) -> bool {
        matches!(
            self,
            StatusKind::DisabilityGroupI
                | StatusKind::DisabilityGroupII
                | StatusKind::DisabilityGroupIII
                | StatusKind::ChildDisability
        )
    }
}

/// One status of one person, valid from one day to another (or indefinitely).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFact {
    pub person: PersonCode,
    pub kind: StatusKind,
    /// VDEĀVK found that the person needs special care (only ever true for a disability).
    pub special_care: bool,
    #[serde(with = "crate::iso_date")]
    pub valid_from: Date,
    /// The last day the status holds; `None` when it is indefinite.
    #[serde(with = "crate::iso_date::option")]
    pub valid_to: Option<Date>,
    pub provenance: Provenance,
}

impl StatusFact {
    /// Whether the status holds on any day from `first` to `last` inclusive.
    pub fn overlaps(&self, first: Date, last: Date) -> bool {
        self.valid_from <= last && self.valid_to.is_none_or(|to| to >= first)
    }
}
