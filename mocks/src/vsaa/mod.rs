//! The VSAA State Social Insurance Agency simulator: `GetPersonIncomes` over SOAP 1.1 as
//! `schemas/vsaa/VERSION.md` defines it, serving the synthetic population's incomes.
//!
//! `POST /vsaa/income/v1` with a WS-Security UsernameToken and a `RequestHeader` naming who
//! asks and why. Failures are SOAP faults with HTTP 500 and a `ServiceFault` detail:
//! `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERIOD_TOO_LONG`, `PERSON_NOT_FOUND`.

mod request;
mod response;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use gateway_domain::{MAX_PERIOD_MONTHS, Month, MonthError, Period, PersonCode};
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use request::{IncomeRequest, NotAnEnvelope};
use response::FaultCode;

/// The path of the income service.
pub(crate) const INCOME_PATH: &str = "/vsaa/income/v1";
/// The `SOAPAction` of `GetPersonIncomes`; clients may send it with or without quotes.
const SOAP_ACTION: &str = "urn:lv:vsaa:income:v1:GetPersonIncomes";
const TEXT_XML: &str = "text/xml; charset=utf-8";

/// The VSAA simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct VsaaSimulator {
    state: Arc<VsaaState>,
}

struct VsaaState {
    population: Arc<Population>,
    username: String,
    password: String,
}

/// A fault to answer with.
struct Fault {
    code: FaultCode,
    reason: &'static str,
}

impl Fault {
    fn new(code: FaultCode, reason: &'static str) -> Self {
        Self { code, reason }
    }
}

impl VsaaSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let state = VsaaState {
            population,
            username: credentials.vsaa_username.clone(),
            password: credentials.vsaa_password.clone(),
        };
        Self { state: Arc::new(state) }
    }

    fn route(&self, request: &Request) -> ResponseTemplate {
        if request.url.path() != INCOME_PATH {
            return ResponseTemplate::new(404);
        }
        if request.method != Method::POST {
            return ResponseTemplate::new(405).insert_header("allow", HeaderValue::from_static("POST"));
        }
        let parsed = match request::parse(&request.body) {
            Ok(parsed) => parsed,
            Err(NotAnEnvelope::Xml) => {
                return fault(Fault::new(FaultCode::InvalidRequest, "The request is not well-formed XML"), None);
            }
            Err(NotAnEnvelope::Root) => {
                return fault(Fault::new(FaultCode::InvalidRequest, "The request is not a SOAP 1.1 envelope"), None);
            }
        };
        let request_id = parsed.header.request_id.clone().filter(|id| !id.is_empty());
        match self.answer(request, &parsed) {
            Ok(body) => ResponseTemplate::new(200).set_body_raw(body, TEXT_XML),
            Err(refusal) => fault(refusal, request_id.as_deref()),
        }
    }

    fn answer(&self, http: &Request, request: &IncomeRequest) -> Result<Vec<u8>, Fault> {
        let authorised = request.username.as_deref() == Some(self.state.username.as_str())
            && request.password.as_deref() == Some(self.state.password.as_str());
        if !authorised {
            return Err(Fault::new(FaultCode::NotAuthorised, "The service account is not authorised"));
        }
        if !request.header.is_complete() {
            return Err(Fault::new(
                FaultCode::InvalidRequest,
                "RequestHeader with Institution, Officer, Purpose, LegalBasis and RequestId is required",
            ));
        }
        let content_type = header(http, "content-type").unwrap_or_default();
        if !content_type.split(';').next().is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/xml")) {
            return Err(Fault::new(FaultCode::InvalidRequest, "SOAP 1.1 requests are sent as text/xml"));
        }
        let action = header(http, "soapaction").map(|value| value.trim().trim_matches('"'));
        if action != Some(SOAP_ACTION) {
            return Err(Fault::new(FaultCode::InvalidRequest, "SOAPAction must name GetPersonIncomes"));
        }
        if !request.has_operation {
            return Err(Fault::new(FaultCode::InvalidRequest, "The body must hold a GetPersonIncomesRequest"));
        }
        let (Some(code), Some(from), Some(to)) = (&request.person_code, &request.from_month, &request.to_month) else {
            return Err(Fault::new(FaultCode::InvalidRequest, "PersonCode, FromMonth and ToMonth are required"));
        };
        let invalid_code = || Fault::new(FaultCode::InvalidRequest, "PersonCode is not a valid personal code");
        if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid_code());
        }
        let code = PersonCode::parse(code).map_err(|_| invalid_code())?;
        let invalid_month = || Fault::new(FaultCode::InvalidRequest, "FromMonth and ToMonth are months, YYYY-MM");
        let from = year_month(from).ok_or_else(invalid_month)?;
        let to = year_month(to).ok_or_else(invalid_month)?;
        let period = Period::new(from, to).map_err(|error| match error {
            MonthError::TooLong(_) => Fault::new(FaultCode::PeriodTooLong, period_too_long_reason()),
            _ => Fault::new(FaultCode::InvalidRequest, "ToMonth must not be before FromMonth"),
        })?;
        let population = &self.state.population;
        if population.person(&code).is_none() {
            return Err(Fault::new(FaultCode::PersonNotFound, "No insured person with this personal code"));
        }
        let incomes = population.incomes(&code, period);
        Ok(response::incomes(code.as_str(), &incomes))
    }
}

impl Respond for VsaaSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request);
        let operation = if request.url.path() == INCOME_PATH { "GetPersonIncomes" } else { "unknown" };
        tracing::debug!(operation, "VSAA simulator answered a request.");
        response
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

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

/// SOAP 1.1 faults travel with HTTP 500.
fn fault(fault: Fault, request_id: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(500).set_body_raw(response::fault(fault.code, fault.reason, request_id), TEXT_XML)
}
