//! VSAA wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Money, Month, Period, PersonCode, Provenance, RequestContext, SourceError, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::transport::SoapFault;

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

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
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    wire.income
        .into_iter()
        .map(|income| {
            let month = Month::parse(&income.month).map_err(|_| malformed("an income month is not YYYY-MM"))?;
            if !period.contains(month) {
                return Err(malformed("an income lies outside the period asked for"));
            }
            let kind = income_kind(income.kind.trim()).ok_or_else(|| malformed("an income kind is unknown"))?;
            let amount =
                Money::parse_decimal(&income.amount).map_err(|_| malformed("an amount is not a decimal in euro"))?;
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
    match fault.code.as_str() {
        "PERSON_NOT_FOUND" => SourceError::NotFound,
        "SERVICE_UNAVAILABLE" => {
            SourceError::Unavailable { detail: "VSAA reported SERVICE_UNAVAILABLE".into(), retry_after: None }
        }
        _ => SourceError::Rejected { code: fault.code },
    }
}
