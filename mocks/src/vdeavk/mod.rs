//! The VDEĀVK disability commission simulator: `GetDisabilityDeterminations` over SOAP 1.1 as
//! `schemas/vdeavk/VERSION.md` defines it, serving the population's disability determinations.
//!
//! `POST /vdeavk/disability/v1` with a WS-Security UsernameToken and a `RequestHeader`.
//! Failures are SOAP faults with HTTP 500: `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERSON_NOT_FOUND`.

use std::sync::Arc;

use gateway_domain::{PersonCode, StatusKind};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator};
use crate::soap::query::SoapQuery;
use crate::soap::{self, Fault, SoapRequest, SoapService, leaf};

/// The path of the disability service.
pub(crate) const DISABILITY_PATH: &str = "/vdeavk/disability/v1";
const SERVICE: SoapService = SoapService {
    path: DISABILITY_PATH,
    namespace: "urn:lv:vdeavk:disability:v1",
    prefix: "dis",
    action: "urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations",
    operation: "GetDisabilityDeterminationsRequest",
};
/// The answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/vdeavk/examples/get-disability-determinations-response.xml");

/// The VDEĀVK simulator.
pub(crate) struct VdeavkSimulator {
    query: SoapQuery,
}

impl VdeavkSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        Self { query: SoapQuery::new(&SERVICE, "VDEĀVK", population, credentials) }
    }
}

/// The person's disability determinations valid in the dates asked about.
fn answer(population: &Population, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
    let (Some(code), Some(from), Some(to)) =
        (request.one("PersonCode"), request.one("FromDate"), request.one("ToDate"))
    else {
        return Err(Fault::invalid("PersonCode, FromDate and ToDate are required"));
    };
    let code = PersonCode::parse(code).map_err(|_| Fault::invalid("PersonCode is not a valid personal code"))?;
    let from = soap::date(from).ok_or_else(|| Fault::invalid("FromDate is a date"))?;
    let to = soap::date(to).ok_or_else(|| Fault::invalid("ToDate is a date"))?;
    if to < from {
        return Err(Fault::invalid("ToDate must not be before FromDate"));
    }
    if population.person(&code).is_none() {
        return Err(Fault::new("PERSON_NOT_FOUND", "No determination subject with this personal code"));
    }
    let determinations = population.disabilities(&code, from, to);
    Ok(SERVICE.answer(|w| {
        w.create_element("dis:GetDisabilityDeterminationsResponse").write_inner_content(|w| {
            leaf(w, "dis:PersonCode", code.as_str())?;
            for d in &determinations {
                let group = match d.kind {
                    StatusKind::DisabilityGroupI => "I",
                    StatusKind::DisabilityGroupII => "II",
                    StatusKind::DisabilityGroupIII => "III",
                    _ => "CHILD",
                };
                w.create_element("dis:Determination").write_inner_content(|w| {
                    leaf(w, "dis:RecordId", &d.record_id)?;
                    leaf(w, "dis:Group", group)?;
                    leaf(w, "dis:SpecialCare", if d.special_care { "true" } else { "false" })?;
                    leaf(w, "dis:ValidFrom", &d.valid_from.to_string())?;
                    if let Some(to) = d.valid_to {
                        leaf(w, "dis:ValidTo", &to.to_string())?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    }))
}

impl Respond for VdeavkSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.query.respond(request, answer)
    }
}

impl Simulator for VdeavkSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VdeavkSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        SoapQuery::config_toml("registries.vdeavk", url, credentials)
    }
}

#[cfg(test)]
mod tests;
