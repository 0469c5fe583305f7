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

use gateway_domain::{MAX_PERIOD_MONTHS, Month, MonthError, Period};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator, Table};
use crate::soap::{self, Fault, ServiceAccount, SoapRequest, SoapService};

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
    population: Arc<Population>,
    account: ServiceAccount,
}

impl VsaaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
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
            return Err(Fault::new("PERSON_NOT_FOUND", "No insured person with this personal code"));
        }
        let incomes = self.population.incomes(&code, period);
        Ok(response::incomes(&SERVICE, code.as_str(), &incomes))
    }
}

impl Respond for VsaaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = SERVICE.route(request, |parsed| self.answer(request, parsed));
        let operation = if request.url.path() == INCOME_PATH { "GetPersonIncomes" } else { "unknown" };
        tracing::debug!(operation, "VSAA simulator answered a request.");
        response
    }
}

impl Simulator for VsaaSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(VsaaSimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.vsaa", url)
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
