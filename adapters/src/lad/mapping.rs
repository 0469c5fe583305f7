//! LAD wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Period, PersonCode, Provenance, RequestContext, SourceError, SupportScheme, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};

/// The payments in an answer as the asked person's incomes, each checked against the contract
/// and the period. A scheme code the adapter has not seen is kept as LAD gives it: LAD's
/// schemes change with every programming period, and the payment is income all the same.
pub(super) fn facts(
    asked: &PersonCode,
    period: Period,
    wire: wire::SupportPayments,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut paid = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.payments.len());
    for payment in wire.payments {
        let month = answer::month_within(&payment.month, period, "a payment")?;
        let code = payment.scheme_code.trim();
        let name = payment.scheme_name.trim();
        if code.is_empty() || name.is_empty() {
            return Err(malformed("a payment names no scheme"));
        }
        // LAD pays a scheme once per person and month; a second payment would be counted twice.
        if !paid.insert((month, code.to_owned())) {
            return Err(malformed("two payments under one scheme in one month"));
        }
        let amount = answer::payment(&payment.amount)?;
        if payment.record_id.is_empty() {
            return Err(malformed("a payment has no record id"));
        }
        facts.push(Fact::Income(IncomeRecord {
            person: asked.clone(),
            month,
            kind: IncomeKind::AgriculturalSupport,
            amount,
            employer: None,
            scheme: Some(SupportScheme { code: code.to_owned(), name: name.to_owned() }),
            provenance: Provenance {
                system: System::Lad,
                record_id: payment.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        }));
    }
    Ok(facts)
}
