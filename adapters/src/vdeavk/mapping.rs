//! VDEĀVK wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, Period, PersonCode, Provenance, RequestContext, SourceError, StatusFact, StatusKind, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};
use crate::transport::SoapFault;

/// VDEĀVK's group codes.
fn kind(code: &str) -> Option<StatusKind> {
    Some(match code {
        "I" => StatusKind::DisabilityGroupI,
        "II" => StatusKind::DisabilityGroupII,
        "III" => StatusKind::DisabilityGroupIII,
        "CHILD" => StatusKind::ChildDisability,
        _ => return None,
    })
}

/// `xs:boolean` allows `true`, `false`, `1` and `0`.
fn boolean(raw: &str) -> Result<bool, SourceError> {
    match raw.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(malformed("SpecialCare is not a boolean")),
    }
}

/// The determinations in an answer, each checked against the contract and the period.
pub(super) fn statuses(
    asked: &PersonCode,
    period: Period,
    wire: wire::GetDeterminationsResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let (first, last) = (period.from().first_day(), period.to().last_day());
    wire.determination
        .into_iter()
        .map(|d| {
            let status = StatusFact {
                person: asked.clone(),
                kind: kind(d.group.trim()).ok_or_else(|| malformed("a disability group is unknown"))?,
                special_care: boolean(&d.special_care)?,
                valid_from: answer::date(d.valid_from.trim())?,
                valid_to: d.valid_to.as_deref().map(|to| answer::date(to.trim())).transpose()?,
                detail: None,
                provenance: Provenance {
                    system: System::Vdeavk,
                    record_id: d.record_id,
                    fetched_at,
                    request_id: ctx.request_id,
                },
            };
            Ok(Fact::Status(answer::within(status, first, last, "a determination")?))
        })
        .collect()
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    answer::person_fault(fault, "VDEĀVK")
}
