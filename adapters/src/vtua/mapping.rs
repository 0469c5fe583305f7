//! VTUA wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    Fact, PersonCode, Provenance, RequestContext, SourceError, System, VehicleKind, VehicleRecord, VehicleRole,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};
use crate::transport::SoapFault;

/// The earliest year of manufacture the contract admits.
const FIRST_YEAR: u16 = 1900;

/// VTUA's machine kinds.
fn kind(code: &str) -> Option<VehicleKind> {
    Some(match code {
        "TRACTOR" => VehicleKind::Tractor,
        "SELF_PROPELLED_MACHINE" => VehicleKind::SelfPropelledMachine,
        "TRAILER" => VehicleKind::TractorTrailer,
        _ => return None,
    })
}

fn role(code: &str) -> Option<VehicleRole> {
    match code {
        "OWNER" => Some(VehicleRole::Owner),
        "HOLDER" => Some(VehicleRole::Holder),
        _ => None,
    }
}

/// `T1234LB`: `T`, four digits, two capital letters.
fn is_registration_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[0] == b'T'
        && bytes[1..5].iter().all(u8::is_ascii_digit)
        && bytes[5..].iter().all(u8::is_ascii_uppercase)
}

/// The machines in an answer as the asked person's, each checked against the contract.
pub(super) fn facts(
    asked: &PersonCode,
    wire: wire::GetPersonMachineryResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let this_year = u16::try_from(fetched_at.year()).unwrap_or(u16::MAX);
    let mut numbers = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.machine.len());
    for machine in wire.machine {
        let record_id = machine.record_id.trim();
        if record_id.is_empty() {
            return Err(malformed("a machine has no record id"));
        }
        let number = machine.registration_number.trim();
        if !is_registration_number(number) {
            return Err(malformed("a registration number is not of the form T1234LB"));
        }
        // One registration per machine and person: a second would count the machine twice.
        if !numbers.insert(number.to_owned()) {
            return Err(malformed("a registration number is listed twice"));
        }
        let kind = kind(machine.kind.trim()).ok_or_else(|| malformed("a machine kind is unknown"))?;
        let role = role(machine.role.trim()).ok_or_else(|| malformed("a machine role is unknown"))?;
        let make = machine.make.trim();
        if make.is_empty() {
            return Err(malformed("a machine has no make"));
        }
        let year: u16 =
            machine.year_of_manufacture.trim().parse().map_err(|_| malformed("a year of manufacture is not a year"))?;
        // A model year may run one year ahead of the calendar.
        if !(FIRST_YEAR..=this_year.saturating_add(1)).contains(&year) {
            return Err(malformed("a year of manufacture is not plausible"));
        }
        facts.push(Fact::Vehicle(VehicleRecord {
            person: asked.clone(),
            registration_number: number.to_owned(),
            kind,
            make: make.to_owned(),
            year,
            role,
            provenance: Provenance {
                system: System::Vtua,
                record_id: record_id.to_owned(),
                fetched_at,
                request_id: ctx.request_id,
            },
        }));
    }
    Ok(facts)
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    answer::person_fault(fault, "VTUA")
}
