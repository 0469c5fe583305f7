//! CSDD wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    Fact, PersonCode, Provenance, RequestContext, SourceError, System, VehicleKind, VehicleRecord, VehicleRole,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};

/// The earliest year of manufacture the contract admits.
const FIRST_YEAR: u16 = 1900;

/// The kind of an EU vehicle category as CSDD writes it.
fn kind(category: &str) -> Option<VehicleKind> {
    Some(match category {
        "M1" => VehicleKind::PassengerCar,
        "M2" | "M3" => VehicleKind::Bus,
        "N1" | "N2" | "N3" => VehicleKind::Truck,
        "L1e" | "L2e" => VehicleKind::Moped,
        "L3e" | "L4e" | "L5e" | "L6e" | "L7e" => VehicleKind::Motorcycle,
        "O1" | "O2" | "O3" | "O4" => VehicleKind::Trailer,
        _ => return None,
    })
}

fn role(code: &str) -> Option<VehicleRole> {
    match code {
        "owner" => Some(VehicleRole::Owner),
        "holder" => Some(VehicleRole::Holder),
        _ => None,
    }
}

/// `AB-1234`: two capital letters, a hyphen, one to four digits without a leading zero.
fn is_registration_number(text: &str) -> bool {
    let Some((letters, digits)) = text.split_once('-') else { return false };
    letters.len() == 2
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && (1..=4).contains(&digits.len())
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The vehicles in an answer as the asked person's, each checked against the contract.
pub(super) fn facts(asked: &PersonCode, wire: wire::Vehicles, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let this_year = u16::try_from(fetched_at.year()).unwrap_or(u16::MAX);
    let mut numbers = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.vehicles.len());
    for vehicle in wire.vehicles {
        if vehicle.record_id.is_empty() {
            return Err(malformed("a vehicle has no record id"));
        }
        if !is_registration_number(&vehicle.registration_number) {
            return Err(malformed("a registration number is not of the form AB-1234"));
        }
        // One registration per vehicle and person: a second would count the vehicle twice.
        if !numbers.insert(vehicle.registration_number.clone()) {
            return Err(malformed("a registration number is listed twice"));
        }
        let kind = kind(vehicle.category.trim()).ok_or_else(|| malformed("a vehicle category is unknown"))?;
        let role = role(vehicle.role.trim()).ok_or_else(|| malformed("a vehicle role is unknown"))?;
        let make = vehicle.make.trim();
        if make.is_empty() {
            return Err(malformed("a vehicle has no make"));
        }
        // A model year may run one year ahead of the calendar.
        if !(FIRST_YEAR..=this_year.saturating_add(1)).contains(&vehicle.year_of_manufacture) {
            return Err(malformed("a year of manufacture is not plausible"));
        }
        facts.push(Fact::Vehicle(VehicleRecord {
            person: asked.clone(),
            registration_number: vehicle.registration_number,
            kind,
            make: make.to_owned(),
            year: vehicle.year_of_manufacture,
            role,
            provenance: Provenance {
                system: System::Csdd,
                record_id: vehicle.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        }));
    }
    Ok(facts)
}
