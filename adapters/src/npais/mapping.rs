//! NPAIS wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    CareForm, Fact, PersonCode, Provenance, RequestContext, SourceError, StatusDetail, StatusFact, StatusKind, System,
};
use time::{Date, OffsetDateTime};

use super::wire;
use crate::answer::{self, malformed};

/// NPAIS's forms of care.
fn form(code: &str) -> Option<CareForm> {
    Some(match code {
        "foster_family" => CareForm::FosterFamily,
        "guardianship" => CareForm::Guardianship,
        "institution" => CareForm::Institution,
        _ => return None,
    })
}

/// The placements in an answer as the asked person's statuses, each checked against the
/// contract; those that hold on none of the days `first..=last` are left out.
pub(super) fn facts(
    asked: &PersonCode,
    first: Date,
    last: Date,
    wire: wire::Placements,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut facts = Vec::with_capacity(wire.placements.len());
    for placement in wire.placements {
        if placement.record_id.trim().is_empty() {
            return Err(malformed("a placement has no record id"));
        }
        let form = form(placement.form.trim()).ok_or_else(|| malformed("a form of care is unknown"))?;
        // The institution is named for institutional care, and only for it.
        let institution = match (form, placement.institution) {
            (CareForm::Institution, Some(named)) => {
                Some(answer::organisation(&named.registration_number, &named.name, "an institution")?)
            }
            (CareForm::Institution, None) => return Err(malformed("an institutional placement names no institution")),
            (_, Some(_)) => return Err(malformed("a family placement names an institution")),
            (_, None) => None,
        };
        let (valid_from, valid_to) =
            answer::validity(&placement.valid_from, placement.valid_to.as_deref(), "a placement")?;
        let status = StatusFact {
            person: asked.clone(),
            kind: StatusKind::InOutOfFamilyCare,
            special_care: false,
            valid_from,
            valid_to,
            detail: Some(StatusDetail::Placement { form, institution }),
            provenance: Provenance {
                system: System::Npais,
                record_id: placement.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        };
        answer::keep_overlapping(&mut facts, status, first, last);
    }
    Ok(facts)
}
