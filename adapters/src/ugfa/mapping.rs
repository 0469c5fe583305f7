//! UGFA wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    Fact, IncomeKind, IncomeRecord, Period, PersonCode, Provenance, RequestContext, SourceError, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};

/// UGFA's age groups, each paid its own guaranteed minimum.
const AGE_GROUPS: &[&str] = &["under_7", "from_7_to_18"];

/// The payments in an answer as the asked person's incomes, each checked against the contract
/// and the period.
pub(super) fn facts(
    asked: &PersonCode,
    period: Period,
    wire: wire::MaintenancePayments,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut months = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.payments.len());
    for payment in wire.payments {
        let month = answer::month_within(&payment.month, period, "a payment")?;
        // The fund pays once per child and month; a second payment would be counted twice.
        if !months.insert(month) {
            return Err(malformed("two payments for one month"));
        }
        if !AGE_GROUPS.contains(&payment.age_group.trim()) {
            return Err(malformed("an age group is unknown"));
        }
        let amount = answer::payment(&payment.amount)?;
        if payment.record_id.is_empty() {
            return Err(malformed("a payment has no record id"));
        }
        facts.push(Fact::Income(IncomeRecord {
            person: asked.clone(),
            month,
            kind: IncomeKind::MaintenancePayment,
            amount,
            employer: None,
            scheme: None,
            provenance: Provenance {
                system: System::Ugfa,
                record_id: payment.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        }));
    }
    Ok(facts)
}
