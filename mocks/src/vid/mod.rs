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

use gateway_domain::{MAX_PERIOD_MONTHS, Month, MonthError, Organisation, Period, StatusDetail};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, TrueIncome, TrueStatus};
use crate::simulators::{Handle, Mount, Simulator, Table};
use crate::soap::{self, Fault, ServiceAccount, SoapRequest, SoapService, XmlWriter, leaf};

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
    population: Arc<Population>,
    account: ServiceAccount,
}

impl VidSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        // The state's SOAP registries share the institution's one service account here, as
        // VDEĀVK and the Land Registry do.
        Self { population, account: ServiceAccount::new(&credentials.vsaa_username, &credentials.vsaa_password) }
    }

    fn answer(&self, http: &Request, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
        SERVICE.admit(http, request, &self.account)?;
        let (Some(code), Some(from), Some(to)) =
            (request.one("PersonCode"), request.one("FromMonth"), request.one("ToMonth"))
        else {
            return Err(Fault::invalid("PersonCode, FromMonth and ToMonth are required"));
        };
        let code = soap::person_code(code)?;
        let invalid_month = || Fault::invalid("FromMonth and ToMonth are months, YYYY-MM");
        let from = year_month(from).ok_or_else(invalid_month)?;
        let to = year_month(to).ok_or_else(invalid_month)?;
        let period = Period::new(from, to).map_err(|error| match error {
            MonthError::TooLong(_) => Fault::new("PERIOD_TOO_LONG", period_too_long_reason()),
            _ => Fault::invalid("ToMonth must not be before FromMonth"),
        })?;
        if self.population.person(&code).is_none() {
            return Err(Fault::new("PERSON_NOT_FOUND", "No taxpayer with this personal code"));
        }
        let incomes = self.population.vid_incomes(&code, period);
        let workplaces = self.population.workplaces(&code, period.from().first_day(), period.to().last_day());
        Ok(response(code.as_str(), &incomes, &workplaces))
    }
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
        let response = SERVICE.route(request, |parsed| self.answer(request, parsed));
        let operation = if request.url.path() == EMPLOYMENT_PATH { "GetPersonEmployment" } else { "unknown" };
        tracing::debug!(operation, "VID simulator answered a request.");
        response
    }
}

impl Simulator for VidSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VidSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.vid", url)
            .service_account(credentials, &credentials.vsaa_username, &credentials.vsaa_password)
            .finish()
    }
}

/// The reason for `PERIOD_TOO_LONG`, naming the limit.
fn period_too_long_reason() -> &'static str {
    const _: () = assert!(MAX_PERIOD_MONTHS == 24, "the fault text names the limit");
    "A period may span at most 24 months"
}

/// An `xs:gYearMonth`: `YYYY-MM`, optionally followed by a time zone, which a month ignores.
fn year_month(text: &str) -> Option<Month> {
    let (month, zone) = text.split_at_checked(7)?;
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':'
            && zone.bytes().enumerate().all(|(i, b)| i == 0 || i == 3 || b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    Month::parse(month).ok()
}
