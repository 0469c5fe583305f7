//! VIIS wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    EducationLevel, Fact, PersonCode, Provenance, RequestContext, SourceError, StatusDetail, StatusFact, StatusKind,
    System,
};
use time::{Date, OffsetDateTime};

use super::wire;
use crate::answer::{self, malformed};

/// VIIS's level codes.
fn level(code: &str) -> Option<EducationLevel> {
    Some(match code {
        "pre_school" => EducationLevel::PreSchool,
        "basic" => EducationLevel::Basic,
        "general_secondary" => EducationLevel::Secondary,
        "vocational" => EducationLevel::Vocational,
        "higher" => EducationLevel::Higher,
        _ => return None,
    })
}

/// The enrolments in an answer as the asked person's statuses, each checked against the
/// contract; those that hold on none of the days `first..=last` are left out.
pub(super) fn facts(
    asked: &PersonCode,
    first: Date,
    last: Date,
    wire: wire::Enrolments,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut facts = Vec::with_capacity(wire.enrolments.len());
    for enrolment in wire.enrolments {
        if enrolment.record_id.trim().is_empty() {
            return Err(malformed("an enrolment has no record id"));
        }
        let level = level(enrolment.level_code.trim()).ok_or_else(|| malformed("a level code is unknown"))?;
        let (valid_from, valid_to) =
            answer::validity(&enrolment.valid_from, enrolment.valid_to.as_deref(), "an enrolment")?;
        let status = StatusFact {
            person: asked.clone(),
            kind: StatusKind::Enrolled,
            special_care: false,
            valid_from,
            valid_to,
            detail: Some(StatusDetail::Enrolment {
                institution: answer::organisation(
                    &enrolment.institution.registration_number,
                    &enrolment.institution.name,
                    "an institution",
                )?,
                level,
                full_time: enrolment.full_time,
            }),
            provenance: Provenance {
                system: System::Viis,
                record_id: enrolment.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        };
        answer::keep_overlapping(&mut facts, status, first, last);
    }
    Ok(facts)
}
