//! The VTUA State Technical Supervision Agency simulator: `GetPersonMachinery` over SOAP 1.1
//! as `schemas/vtua/VERSION.md` defines it, serving the tractors, self-propelled machines and
//! tractor trailers the population's machinery register holds for each person.
//!
//! `POST /vtua/machinery/v1` with a WS-Security UsernameToken and a `RequestHeader`.
//! Failures are SOAP faults with HTTP 500: `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERSON_NOT_FOUND`.

use std::sync::Arc;

use gateway_domain::{VehicleKind, VehicleRole};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator};
use crate::soap::query::SoapQuery;
use crate::soap::{self, Fault, SoapRequest, SoapService, leaf};

/// The path of the machinery service.
pub(crate) const MACHINERY_PATH: &str = "/vtua/machinery/v1";
const SERVICE: SoapService = SoapService {
    path: MACHINERY_PATH,
    namespace: "urn:lv:vtua:machinery:v1",
    prefix: "mach",
    action: "urn:lv:vtua:machinery:v1:GetPersonMachinery",
    operation: "GetPersonMachineryRequest",
};
/// The answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/vtua/examples/get-person-machinery-response.xml");

/// The wire name of a kind of the population's machinery (`MachineKind` in `machinery.xsd`);
/// `None` for CSDD's road vehicles, which VTUA does not register.
pub(crate) fn kind_code(kind: VehicleKind) -> Option<&'static str> {
    Some(match kind {
        VehicleKind::Tractor => "TRACTOR",
        VehicleKind::SelfPropelledMachine => "SELF_PROPELLED_MACHINE",
        VehicleKind::TractorTrailer => "TRAILER",
        VehicleKind::PassengerCar
        | VehicleKind::Truck
        | VehicleKind::Bus
        | VehicleKind::Motorcycle
        | VehicleKind::Moped
        | VehicleKind::Trailer => return None,
    })
}

fn role_code(role: VehicleRole) -> &'static str {
    match role {
        VehicleRole::Owner => "OWNER",
        VehicleRole::Holder => "HOLDER",
    }
}

/// The VTUA simulator.
pub(crate) struct VtuaSimulator {
    query: SoapQuery,
}

impl VtuaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        Self { query: SoapQuery::new(&SERVICE, "VTUA", population, credentials) }
    }
}

/// The tractors and machines the register holds for the person.
fn answer(population: &Population, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
    let Some(code) = request.one("PersonCode") else {
        return Err(Fault::invalid("PersonCode is required"));
    };
    let code = soap::person_code(code)?;
    if population.person(&code).is_none() {
        return Err(Fault::new("PERSON_NOT_FOUND", "No person with this personal code"));
    }
    let machines = population.vtua_machines(&code);
    Ok(SERVICE.answer(|w| {
        w.create_element("mach:GetPersonMachineryResponse").write_inner_content(|w| {
            leaf(w, "mach:PersonCode", code.as_str())?;
            // The population gives VTUA machinery only; a road vehicle is not its to report.
            for (machine, kind) in machines.iter().filter_map(|m| Some((m, kind_code(m.kind)?))) {
                w.create_element("mach:Machine").write_inner_content(|w| {
                    leaf(w, "mach:RecordId", &machine.record_id)?;
                    leaf(w, "mach:RegistrationNumber", &machine.registration_number)?;
                    leaf(w, "mach:Kind", kind)?;
                    leaf(w, "mach:Make", &machine.make)?;
                    leaf(w, "mach:YearOfManufacture", &machine.year.to_string())?;
                    leaf(w, "mach:Role", role_code(machine.role))
                })?;
            }
            Ok(())
        })?;
        Ok(())
    }))
}

impl Respond for VtuaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.query.respond(request, answer)
    }
}

impl Simulator for VtuaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VtuaSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        SoapQuery::config_toml("registries.vtua", url, credentials)
    }
}

#[cfg(test)]
mod tests;
