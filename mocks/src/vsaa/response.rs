//! Writing `GetPersonIncomesResponse` as `schemas/vsaa/` defines it. Text goes through the XML
//! writer, which escapes it.

use gateway_domain::IncomeKind;

use crate::population::TrueIncome;
use crate::soap::{SoapService, leaf};

/// The wire name of an income kind (`IncomeKind` in `income.xsd`); `None` for the kinds VSAA
/// does not pay (other registries' kinds), which its contract has no code for.
pub(super) fn kind_code(kind: IncomeKind) -> Option<&'static str> {
    Some(match kind {
        IncomeKind::OldAgePension => "OLD_AGE_PENSION",
        IncomeKind::DisabilityPension => "DISABILITY_PENSION",
        IncomeKind::SurvivorPension => "SURVIVOR_PENSION",
        IncomeKind::ServicePension => "SERVICE_PENSION",
        IncomeKind::UnemploymentBenefit => "UNEMPLOYMENT_BENEFIT",
        IncomeKind::SicknessBenefit => "SICKNESS_BENEFIT",
        IncomeKind::MaternityBenefit => "MATERNITY_BENEFIT",
        IncomeKind::PaternityBenefit => "PATERNITY_BENEFIT",
        IncomeKind::ParentalBenefit => "PARENTAL_BENEFIT",
        IncomeKind::FamilyStateBenefit => "FAMILY_STATE_BENEFIT",
        IncomeKind::ChildCareBenefit => "CHILD_CARE_BENEFIT",
        IncomeKind::DisabilityCareAllowance => "DISABILITY_CARE_ALLOWANCE",
        IncomeKind::InsuredIncome => "INSURED_INCOME",
        IncomeKind::TrainingStipend
        | IncomeKind::PublicWorksAllowance
        | IncomeKind::MaintenancePayment
        | IncomeKind::EmploymentIncome
        | IncomeKind::AgriculturalSupport => return None,
    })
}

/// A `GetPersonIncomesResponse` with one `Income` per record.
pub(super) fn incomes(service: &SoapService, person_code: &str, incomes: &[TrueIncome]) -> Vec<u8> {
    service.answer(|w| {
        w.create_element("inc:GetPersonIncomesResponse").write_inner_content(|w| {
            leaf(w, "inc:PersonCode", person_code)?;
            // The population gives VSAA only the kinds it pays; anything else is not its to report.
            for (income, kind) in incomes.iter().filter_map(|i| Some((i, kind_code(i.kind)?))) {
                w.create_element("inc:Income").write_inner_content(|w| {
                    leaf(w, "inc:RecordId", &income.record_id)?;
                    leaf(w, "inc:Month", &income.month.to_string())?;
                    leaf(w, "inc:Kind", kind)?;
                    leaf(w, "inc:Amount", &income.amount.to_decimal_string())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}
