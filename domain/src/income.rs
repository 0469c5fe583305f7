//! Incomes as registries report them, one record per person, month and kind.

use serde::{Deserialize, Serialize};

use crate::{Money, Month, Organisation, PersonCode, Provenance};

/// What an income is. The wire code of each kind belongs to the adapter that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    OldAgePension,
    DisabilityPension,
    SurvivorPension,
    ServicePension,
    UnemploymentBenefit,
    SicknessBenefit,
    MaternityBenefit,
    PaternityBenefit,
    ParentalBenefit,
    FamilyStateBenefit,
    ChildCareBenefit,
    DisabilityCareAllowance,
    InsuredIncome,
    /// NVA's stipend to a registered unemployed person in vocational training.
    TrainingStipend,
    /// NVA's allowance for temporary paid public works ("algotie pagaidu sabiedriskie darbi").
    PublicWorksAllowance,
    /// Maintenance the Maintenance Guarantee Fund (UGFA) paid for a child whose parent living
    /// apart does not pay it: the child's income, for one month.
    MaintenancePayment,
    /// Pay from one employer for one month, after tax, as the employer reported it to the
    /// State Revenue Service (VID). The record names the employer.
    EmploymentIncome,
    /// Agricultural or rural support the Rural Support Service (LAD) paid in one month under
    /// one scheme. The record names the scheme.
    AgriculturalSupport,
}

impl IncomeKind {
    /// Whether the kind counts as income in the means test (Cabinet Regulation No. 809):
    /// family state benefit, disability care allowances and stipends do not. The public works
    /// allowance is pay for work and counts. VSAA's insured income is the contribution base of
    /// the same pay VID reports per employer as employment income: pay counts once, as VID's.
    /// Agricultural support counts. `config/assessment-rules.toml` holds the same table.
    pub fn counts_in_means_test(self) -> bool {
        !matches!(
            self,
            IncomeKind::FamilyStateBenefit
                | IncomeKind::DisabilityCareAllowance
                | IncomeKind::TrainingStipend
                | IncomeKind::InsuredIncome
        )
    }
}

/// One income of one person for one month, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeRecord {
    pub person: PersonCode,
    pub month: Month,
    pub kind: IncomeKind,
    /// Amount after tax, in euro cents.
    #[serde(rename = "amount_cents")]
    pub amount: Money,
    /// The employer who paid it (VID's employment income).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Organisation>,
    /// The support scheme it was paid under (LAD's agricultural support).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<SupportScheme>,
    pub provenance: Provenance,
}

/// A support scheme, by the paying agency's code and name (LAD's `VPM`, "Vienotais
/// platibas maksajums").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SupportScheme {
    pub code: String,
    pub name: String,
}
