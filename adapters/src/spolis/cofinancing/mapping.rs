//! SPOLIS co-financing wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    CoFinancedBenefit, CoFinancingConfirmation, CoFinancingStatement, Money, Month, Provenance, RequestContext,
    SourceError, System, co_financed_share,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::malformed;

/// SPOLIS's benefit codes.
fn benefit(code: &str) -> Option<CoFinancedBenefit> {
    Some(match code {
        "gmi" => CoFinancedBenefit::GuaranteedMinimumIncome,
        "housing_benefit" => CoFinancedBenefit::HousingBenefit,
        _ => return None,
    })
}

fn amount(raw: &str) -> Result<Money, SourceError> {
    let amount = Money::parse_decimal(raw).map_err(|_| malformed("an amount is not a decimal in euro"))?;
    if amount < Money::ZERO {
        return Err(malformed("an amount is negative"));
    }
    Ok(amount)
}

/// The statement in an answer, checked against the contract and what was asked.
pub(super) fn statement(
    municipality: &str,
    month: Month,
    wire: wire::Confirmations,
    ctx: &RequestContext,
) -> Result<CoFinancingStatement, SourceError> {
    if wire.municipality.trim() != municipality {
        return Err(malformed("the answer is about another municipality"));
    }
    if Month::parse(&wire.month).ok() != Some(month) {
        return Err(malformed("the answer is about another month"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let mut confirmations: Vec<CoFinancingConfirmation> = Vec::with_capacity(wire.confirmations.len());
    for c in wire.confirmations {
        let benefit = benefit(c.benefit.trim()).ok_or_else(|| malformed("a benefit is unknown"))?;
        if confirmations.iter().any(|seen| seen.benefit == benefit) {
            return Err(malformed("a benefit is confirmed twice"));
        }
        let paid = amount(&c.paid_amount)?;
        let co_financed = amount(&c.co_financed_amount)?;
        // The rate is the law's, not SPOLIS's to vary: another figure means the answer (or the
        // rate) changed under the contract, which a person must look at.
        if co_financed != co_financed_share(paid) {
            return Err(malformed("a co-financed amount is not 30 % of the amount paid"));
        }
        confirmations.push(CoFinancingConfirmation {
            benefit,
            households: c.households,
            paid,
            co_financed,
            provenance: Provenance {
                system: System::Spolis,
                record_id: c.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        });
    }
    confirmations.sort_by_key(|c| c.benefit);
    Ok(CoFinancingStatement { municipality: municipality.to_owned(), month, confirmations })
}
