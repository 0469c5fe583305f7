//! The VID State Revenue Service simulator: `GetPersonEmployment` over SOAP 1.1 as
//! `schemas/vid/VERSION.md` defines it, serving the population's employment income per
//! employer and its workplaces.
//!
//! `POST /vid/employment/v1` with a WS-Security UsernameToken and a `RequestHeader` naming who
//! asks and why. Failures are SOAP faults with HTTP 500 and a `ServiceFault` detail:
//! `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERIOD_TOO_LONG`, `PERSON_NOT_FOUND`.

#[cfg(test)]
mod tests;

use std::sync::Arc;

use gateway_domain::{Organisation, StatusDetail};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueIncome, TrueStatus};
use crate::simulators::{Handle, Mount, Simulator};
use crate::soap::query::{SoapQuery, person_and_months};
use crate::soap::{Fault, SoapRequest, SoapService, XmlWriter, leaf};

/// The path of the employment service.
pub(crate) const EMPLOYMENT_PATH: &str = "/vid/employment/v1";
const SERVICE: SoapService = SoapService {
    path: EMPLOYMENT_PATH,
    namespace: "urn:lv:vid:employment:v1",
    prefix: "emp",
    action: "urn:lv:vid:employment:v1:GetPersonEmployment",
    operation: "GetPersonEmploymentRequest",
};
/// The answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/vid/examples/get-person-employment-response.xml");

/// The VID simulator.
pub(crate) struct VidSimulator {
    query: SoapQuery,
}

impl VidSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        Self { query: SoapQuery::new(&SERVICE, "VID", population, credentials) }
    }
}

/// The person's employment income and workplaces in the months asked about.
fn answer(population: &Population, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
    let (code, period) = person_and_months(request)?;
    if population.person(&code).is_none() {
        return Err(Fault::new("PERSON_NOT_FOUND", "No taxpayer with this personal code"));
    }
    let incomes = population.vid_incomes(&code, period);
    let workplaces = population.workplaces(&code, period.from().first_day(), period.to().last_day());
    Ok(response(code.as_str(), &incomes, &workplaces))
}

/// A `GetPersonEmploymentResponse`: the incomes, then the employment relationships.
fn response(person_code: &str, incomes: &[TrueIncome], workplaces: &[TrueStatus]) -> Vec<u8> {
    SERVICE.answer(|w| {
        w.create_element("emp:GetPersonEmploymentResponse").write_inner_content(|w| {
            leaf(w, "emp:PersonCode", person_code)?;
            for income in incomes {
                // The population gives VID employment income only, each with its employer.
                let Some(employer) = &income.employer else { continue };
                w.create_element("emp:Income").write_inner_content(|w| {
                    leaf(w, "emp:RecordId", &income.record_id)?;
                    leaf(w, "emp:Month", &income.month.to_string())?;
                    employer_element(w, employer)?;
                    leaf(w, "emp:AfterTax", &income.amount.to_decimal_string())
                })?;
            }
            for workplace in workplaces {
                let Some(StatusDetail::Workplace { employer }) = &workplace.detail else { continue };
                w.create_element("emp:Employment").write_inner_content(|w| {
                    leaf(w, "emp:RecordId", &workplace.record_id)?;
                    employer_element(w, employer)?;
                    leaf(w, "emp:StartDate", &workplace.valid_from.to_string())?;
                    if let Some(end) = workplace.valid_to {
                        leaf(w, "emp:EndDate", &end.to_string())?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

fn employer_element(w: &mut XmlWriter, employer: &Organisation) -> std::io::Result<()> {
    w.create_element("emp:Employer").write_inner_content(|w| {
        leaf(w, "emp:RegistrationNumber", &employer.registration_number)?;
        leaf(w, "emp:Name", &employer.name)
    })?;
    Ok(())
}

impl Respond for VidSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.query.respond(request, answer)
    }
}

impl Simulator for VidSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VidSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        SoapQuery::config_toml("registries.vid", url, credentials)
    }
}
