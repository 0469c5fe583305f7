//! The VSAA State Social Insurance Agency simulator: `GetPersonIncomes` over SOAP 1.1 as
//! `schemas/vsaa/VERSION.md` defines it, serving the synthetic population's incomes.
//!
//! `POST /vsaa/income/v1` with a WS-Security UsernameToken and a `RequestHeader` naming who
//! asks and why. Failures are SOAP faults with HTTP 500 and a `ServiceFault` detail:
//! `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERIOD_TOO_LONG`, `PERSON_NOT_FOUND`.

mod response;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator};
use crate::soap::query::{SoapQuery, person_and_months};
use crate::soap::{Fault, SoapRequest, SoapService};

/// The path of the income service.
pub(crate) const INCOME_PATH: &str = "/vsaa/income/v1";
const SERVICE: SoapService = SoapService {
    path: INCOME_PATH,
    namespace: "urn:lv:vsaa:income:v1",
    prefix: "inc",
    action: "urn:lv:vsaa:income:v1:GetPersonIncomes",
    operation: "GetPersonIncomesRequest",
};
/// The answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/vsaa/examples/get-person-incomes-response.xml");

/// The VSAA simulator.
pub(crate) struct VsaaSimulator {
    query: SoapQuery,
}

impl VsaaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        Self { query: SoapQuery::new(&SERVICE, "VSAA", population, credentials) }
    }
}

/// The incomes VSAA paid the person in the months asked about.
fn answer(population: &Population, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
    let (code, period) = person_and_months(request)?;
    if population.person(&code).is_none() {
        return Err(Fault::new("PERSON_NOT_FOUND", "No insured person with this personal code"));
    }
    let incomes = population.incomes(&code, period);
    Ok(response::incomes(&SERVICE, code.as_str(), &incomes))
}

impl Respond for VsaaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.query.respond(request, answer)
    }
}

impl Simulator for VsaaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VsaaSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        SoapQuery::config_toml("registries.vsaa", url, credentials)
    }
}
