//! Incomes as registries report them, one record per person, month and kind.

use serde::{Deserialize, Serialize};

use crate::{Money, Month, PersonCode, Provenance};

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
}

impl IncomeKind {
    /// Whether the kind counts as income in the means test (Cabinet Regulation No. 809):
    /// family state benefit, disability care allowances and stipends do not. The public works
    /// allowance is pay for work and counts.
    pub fn counts_in_means_test(self) -> bool {
        !matches!(
            self,
            IncomeKind::FamilyStateBenefit | IncomeKind::DisabilityCareAllowance | IncomeKind::TrainingStipend
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
    pub provenance: Provenance,
}
