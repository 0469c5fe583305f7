//! PMLP wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{DeclaredAddress, PersonCode, PersonRecord, Provenance, RequestContext, SourceError, System};
use time::{Date, OffsetDateTime, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::answer::malformed;

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn provenance(record_id: String, ctx: &RequestContext) -> Provenance {
    Provenance { system: System::Pmlp, record_id, fetched_at: OffsetDateTime::now_utc(), request_id: ctx.request_id }
}

fn date(raw: &str) -> Result<Date, SourceError> {
    Date::parse(raw, DATE).map_err(|_| malformed("a date is not YYYY-MM-DD"))
}

fn person_code(raw: &str) -> Result<PersonCode, SourceError> {
    PersonCode::parse(raw).map_err(|_| malformed("a personal code is not valid"))
}

pub(super) fn person(wire: wire::Person, ctx: &RequestContext) -> Result<PersonRecord, SourceError> {
    Ok(PersonRecord {
        person_code: person_code(&wire.person_code)?,
        given_name: wire.given_name,
        family_name: wire.family_name,
        birth_date: wire.birth_date.as_deref().map(date).transpose()?,
        provenance: provenance(wire.record_id, ctx),
    })
}

/// The person asked for; an answer about someone else is a broken contract.
pub(super) fn person_answer(
    asked: &PersonCode,
    wire: wire::PersonResponse,
    ctx: &RequestContext,
) -> Result<PersonRecord, SourceError> {
    let record = person(wire.person, ctx)?;
    if &record.person_code != asked {
        return Err(malformed("the answer is about another person"));
    }
    Ok(record)
}

pub(super) fn declared_address(
    asked: &PersonCode,
    wire: wire::DeclaredAddress,
    ctx: &RequestContext,
) -> Result<DeclaredAddress, SourceError> {
    crate::answer::about_asked(asked, &wire.person_code)?;
    Ok(DeclaredAddress {
        address_code: wire.address_code,
        address_text: wire.address_text,
        declared_from: date(&wire.declared_from)?,
        provenance: provenance(wire.record_id, ctx),
    })
}

/// Persons declared at the address who are alive and not excluded from the register.
pub(super) fn residents(
    asked: &str,
    wire: wire::DeclaredPersons,
    ctx: &RequestContext,
) -> Result<Vec<PersonRecord>, SourceError> {
    if wire.address_code != asked {
        return Err(malformed("the answer is about another address"));
    }
    wire.persons
        .into_iter()
        .filter(|p| p.person.status == wire::PersonStatus::Active)
        .map(|p| person(p.person, ctx))
        .collect()
}
