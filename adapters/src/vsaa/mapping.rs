//! VSAA wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Period, PersonCode, Provenance, RequestContext, SourceError, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};
use crate::transport::SoapFault;

/// VSAA's income kind codes.
fn income_kind(code: &str) -> Option<IncomeKind> {
    Some(match code {
        "OLD_AGE_PENSION" => IncomeKind::OldAgePension,
        "DISABILITY_PENSION" => IncomeKind::DisabilityPension,
        "SURVIVOR_PENSION" => IncomeKind::SurvivorPension,
        "SERVICE_PENSION" => IncomeKind::ServicePension,
        "UNEMPLOYMENT_BENEFIT" => IncomeKind::UnemploymentBenefit,
        "SICKNESS_BENEFIT" => IncomeKind::SicknessBenefit,
        "MATERNITY_BENEFIT" => IncomeKind::MaternityBenefit,
        "PATERNITY_BENEFIT" => IncomeKind::PaternityBenefit,
        "PARENTAL_BENEFIT" => IncomeKind::ParentalBenefit,
        "FAMILY_STATE_BENEFIT" => IncomeKind::FamilyStateBenefit,
        "CHILD_CARE_BENEFIT" => IncomeKind::ChildCareBenefit,
        "DISABILITY_CARE_ALLOWANCE" => IncomeKind::DisabilityCareAllowance,
        "INSURED_INCOME" => IncomeKind::InsuredIncome,
        _ => return None,
    })
}

/// The incomes in an answer, each checked against the contract and the period asked for.
pub(super) fn incomes(
    asked: &PersonCode,
    period: Period,
    wire: wire::GetPersonIncomesResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    wire.income
        .into_iter()
        .map(|income| {
            let month = answer::month_within(&income.month, period, "an income")?;
            let kind = income_kind(income.kind.trim()).ok_or_else(|| malformed("an income kind is unknown"))?;
            let amount = answer::amount(&income.amount)?;
            Ok(Fact::Income(IncomeRecord {
                person: asked.clone(),
                month,
                kind,
                amount,
                employer: None,
                scheme: None,
                provenance: Provenance {
                    system: System::Vsaa,
                    record_id: income.record_id,
                    fetched_at,
                    request_id: ctx.request_id,
                },
            }))
        })
        .collect()
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    answer::person_fault(fault, "VSAA")
}
