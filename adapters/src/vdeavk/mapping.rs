//! VDEĀVK wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    Fact, Period, PersonCode, Provenance, RequestContext, SourceError, StatusFact, StatusKind, System,
};
use time::{Date, OffsetDateTime, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::SoapFault;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

fn date(raw: &str) -> Result<Date, SourceError> {
    Date::parse(raw.trim(), DATE).map_err(|_| malformed("a date is not YYYY-MM-DD"))
}

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
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let (first, last) = (period.from().first_day(), period.to().last_day());
    wire.determination
        .into_iter()
        .map(|d| {
            let status = StatusFact {
                person: asked.clone(),
                kind: kind(d.group.trim()).ok_or_else(|| malformed("a disability group is unknown"))?,
                special_care: boolean(&d.special_care)?,
                valid_from: date(&d.valid_from)?,
                valid_to: d.valid_to.as_deref().map(date).transpose()?,
                detail: None,
                provenance: Provenance {
                    system: System::Vdeavk,
                    record_id: d.record_id,
                    fetched_at,
                    request_id: ctx.request_id,
                },
            };
            if status.valid_to.is_some_and(|to| to < status.valid_from) || !status.overlaps(first, last) {
                return Err(malformed("a determination lies outside the period asked for"));
            }
            Ok(Fact::Status(status))
        })
        .collect()
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    match fault.code.as_str() {
        "PERSON_NOT_FOUND" => SourceError::NotFound,
        "SERVICE_UNAVAILABLE" => {
            SourceError::Unavailable { detail: "VDEĀVK reported SERVICE_UNAVAILABLE".into(), retry_after: None }
        }
        _ => SourceError::Rejected { code: fault.code },
    }
}
