//! VIIS wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{
    EducationLevel, Fact, Organisation, PersonCode, Provenance, RequestContext, SourceError, StatusDetail, StatusFact,
    StatusKind, System, parse_iso_date,
};
use time::{Date, OffsetDateTime};

use super::wire;

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

fn date(raw: &str) -> Result<Date, SourceError> {
    parse_iso_date(raw.trim()).ok_or_else(|| malformed("a date is not YYYY-MM-DD"))
}

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

/// An institution as the contract names it: an 11-digit registration number and a name.
fn institution(wire: wire::Institution) -> Result<Organisation, SourceError> {
    let number = wire.registration_number.trim();
    if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("a registration number is not 11 digits"));
    }
    let name = wire.name.trim();
    if name.is_empty() {
        return Err(malformed("an institution has no name"));
    }
    Ok(Organisation { registration_number: number.to_owned(), name: name.to_owned() })
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
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let mut facts = Vec::with_capacity(wire.enrolments.len());
    for enrolment in wire.enrolments {
        if enrolment.record_id.trim().is_empty() {
            return Err(malformed("an enrolment has no record id"));
        }
        let level = level(enrolment.level_code.trim()).ok_or_else(|| malformed("a level code is unknown"))?;
        let valid_from = date(&enrolment.valid_from)?;
        let valid_to = enrolment.valid_to.as_deref().map(date).transpose()?;
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(malformed("an enrolment ends before it starts"));
        }
        let status = StatusFact {
            person: asked.clone(),
            kind: StatusKind::Enrolled,
            special_care: false,
            valid_from,
            valid_to,
            detail: Some(StatusDetail::Enrolment {
                institution: institution(enrolment.institution)?,
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
        if status.overlaps(first, last) {
            facts.push(Fact::Status(status));
        }
    }
    Ok(facts)
}
