//! The CSDD Road Traffic Safety Directorate simulator: REST/JSON as `schemas/csdd/VERSION.md`
//! defines it, behind the simulated API gateway, serving the road vehicles the population's
//! vehicle register holds for each person.
//!
//! Operations: `POST /oauth2/token` and `POST /csdd/v1/vehicles/search`.

use gateway_domain::{VehicleKind, VehicleRole};
use serde::Serialize;

use crate::population::{Population, SyntheticPerson, TrueVehicle};
use crate::rest::person_source::{PersonQuery, PersonRegistry, PersonSource, Refusals};

/// `vehicles.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Vehicles<'a> {
    person_code: &'a str,
    vehicles: Vec<Vehicle>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Vehicle {
    record_id: String,
    registration_number: String,
    category: &'static str,
    make: String,
    year_of_manufacture: u16,
    role: &'static str,
}

/// The EU category CSDD writes for a kind of the population's road vehicles; `None` for
/// VTUA's machinery, which CSDD does not register.
pub(crate) fn category(kind: VehicleKind) -> Option<&'static str> {
    Some(match kind {
        VehicleKind::PassengerCar => "M1",
        VehicleKind::Bus => "M2",
        VehicleKind::Truck => "N1",
        VehicleKind::Motorcycle => "L3e",
        VehicleKind::Moped => "L1e",
        VehicleKind::Trailer => "O1",
        VehicleKind::Tractor | VehicleKind::SelfPropelledMachine | VehicleKind::TractorTrailer => return None,
    })
}

fn role(role: VehicleRole) -> &'static str {
    match role {
        VehicleRole::Owner => "owner",
        VehicleRole::Holder => "holder",
    }
}

fn vehicle(truth: TrueVehicle) -> Option<Vehicle> {
    Some(Vehicle {
        category: category(truth.kind)?,
        record_id: truth.record_id,
        registration_number: truth.registration_number,
        make: truth.make,
        year_of_manufacture: truth.year,
        role: role(truth.role),
    })
}

/// The CSDD simulator.
pub(crate) type CsddSimulator = PersonSource<Csdd>;

/// CSDD's search in its own words.
pub(crate) struct Csdd;

impl PersonRegistry for Csdd {
    const NAME: &'static str = "CSDD";
    const PATH: &'static str = "/csdd/v1/vehicles/search";
    const SAMPLE: &'static [u8] = include_bytes!("../../../schemas/csdd/examples/vehicles.json");
    const PROBLEM_PREFIX: &'static str = "urn:lv:csdd:problem:";
    const TABLE: &'static str = "registries.csdd";
    const SHAPE: &'static str = "the body must be a vehicle query";
    const REFUSALS: Refusals = Refusals::Titled;

    /// `vehicle-query.schema.json`.
    type Query = PersonQuery;

    fn answer(population: &Population, person: &SyntheticPerson, (): ()) -> impl Serialize {
        let vehicles = population.csdd_vehicles(&person.code).into_iter().filter_map(vehicle).collect();
        Vehicles { person_code: person.code.as_str(), vehicles }
    }
}

#[cfg(test)]
mod tests;
