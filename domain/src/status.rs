//! Statuses a registry holds about a person that change what a household is entitled to or
//! who counts in it: registered unemployment (NVA), disability (VDEĀVK), a current workplace
//! (VID), enrolment in education (VIIS) and a minor's placement in care (NPAIS), each with its
//! validity dates and, where the kind needs one, the detail that names the organisation.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Organisation, PersonCode, Provenance};

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
    /// In an employment relationship the employer registered with VID; the detail names the
    /// workplace.
    Employed,
    /// Enrolled in an educational institution (VIIS); the detail names it, the level and
    /// whether the studies are full-time.
    Enrolled,
    /// A minor placed in out-of-family care (NPAIS): a foster family, a guardian or an
    /// institution; the detail names the form and the institution, if any.
    InOutOfFamilyCare,
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
    /// What the kind needs said besides its dates (a workplace, an enrolment, a placement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<StatusDetail>,
    pub provenance: Provenance,
}

/// The particulars of a status, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StatusDetail {
    /// An `Employed` status's workplace.
    Workplace { employer: Organisation },
    /// An `Enrolled` status's institution, level and mode.
    Enrolment { institution: Organisation, level: EducationLevel, full_time: bool },
    /// An `InOutOfFamilyCare` status's form of care, and the institution for institutional care.
    Placement {
        form: CareForm,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        institution: Option<Organisation>,
    },
}

/// A level of education as VIIS records enrolments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// Pre-school education (from 5, compulsory).
    PreSchool,
    /// Basic education, grades 1-9.
    Basic,
    /// General secondary education, grades 10-12.
    Secondary,
    /// Vocational education.
    Vocational,
    /// Higher education (college or university).
    Higher,
}

/// A form of out-of-family care (Law on the Protection of the Rights of the Child, art. 27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareForm {
    /// With a foster family.
    FosterFamily,
    /// With a guardian.
    Guardianship,
    /// In a childcare institution.
    Institution,
}

impl StatusFact {
    /// Whether the status holds on any day from `first` to `last` inclusive.
    pub fn overlaps(&self, first: Date, last: Date) -> bool {
        self.valid_from <= last && self.valid_to.is_none_or(|to| to >= first)
    }
}
