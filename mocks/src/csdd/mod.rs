//! The CSDD Road Traffic Safety Directorate simulator: REST/JSON as `schemas/csdd/VERSION.md`
//! defines it, behind the simulated API gateway, serving the road vehicles the population's
//! vehicle register holds for each person.
//!
//! Operations: `POST /oauth2/token` and `POST /csdd/v1/vehicles/search`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{PersonCode, VehicleKind, VehicleRole};
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueVehicle};
use crate::rest::gateway::ApiGateway;
use crate::rest::json;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the one operation.
pub(crate) const SEARCH_PATH: &str = "/csdd/v1/vehicles/search";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/csdd/examples/vehicles.json");

/// `vehicle-query.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Query {
    person_code: String,
}

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
pub(crate) struct CsddSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl CsddSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:csdd:problem:") }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        if request.url.path() != SEARCH_PATH {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        }
        if request.method.as_str() != "POST" {
            return Err(self.gateway.method_not_allowed("POST"));
        }
        self.gateway.admit(request)?;
        let query: Query = self.gateway.json_body(request, "the body must be a vehicle query")?;
        let code = PersonCode::parse(&query.person_code)
            .map_err(|_| self.gateway.problem(400, "invalid-request", "personCode is not valid"))?;
        if self.population.person(&code).is_none() {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        }
        let vehicles = self.population.csdd_vehicles(&code).into_iter().filter_map(vehicle).collect();
        Ok(json(&Vehicles { person_code: code.as_str(), vehicles }))
    }
}

impl Respond for CsddSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("CSDD simulator answered a request.");
        answer
    }
}

impl Simulator for CsddSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(CsddSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.csdd", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
