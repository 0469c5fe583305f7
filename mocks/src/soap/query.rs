//! The one query flow of the SOAP 1.1 registry simulators (VSAA, VID, VTUA, VDEĀVK, the Land
//! Registry), each answering from the population in its own words.
//!
//! A query passes the checks of every SOAP service under the service account the institution
//! holds for the state's registries; the registry's own reading of the operation then writes
//! the answer or refuses with a fault. The readings several registries share (a period of
//! months) are here too.

use std::sync::Arc;

use gateway_domain::{MAX_PERIOD_MONTHS, Month, MonthError, Period, PersonCode};
use wiremock::{Request, ResponseTemplate};

use super::{Fault, ServiceAccount, SoapRequest, SoapService};
use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::Table;

/// A registry's query operation over the population.
pub(crate) struct SoapQuery {
    service: &'static SoapService,
    /// The registry's name in log lines.
    name: &'static str,
    population: Arc<Population>,
    account: ServiceAccount,
}

impl SoapQuery {
    /// The registry `name` serving `service` from `population`, accepting the state
    /// registries' service account of `credentials`.
    pub(crate) fn new(
        service: &'static SoapService,
        name: &'static str,
        population: Arc<Population>,
        credentials: &SimulatorCredentials,
    ) -> Self {
        let (username, password) = credentials.registry_account();
        Self { service, name, population, account: ServiceAccount::new(username, password) }
    }

    /// Answers one request: after the checks every service makes, `answer` reads the
    /// operation and writes the answer from the population, or refuses with a fault.
    pub(crate) fn respond(
        &self,
        request: &Request,
        answer: impl FnOnce(&Population, &SoapRequest) -> Result<Vec<u8>, Fault>,
    ) -> ResponseTemplate {
        let response = self.service.route(request, |parsed| {
            self.service.admit(request, parsed, &self.account)?;
            answer(&self.population, parsed)
        });
        let operation = if request.url.path() == self.service.path {
            self.service.operation.strip_suffix("Request").unwrap_or(self.service.operation)
        } else {
            "unknown"
        };
        tracing::debug!(operation, "{} simulator answered a request.", self.name);
        response
    }

    /// The registry's table `name` of the gateway's configuration: its URL, the institution
    /// and the state registries' service account.
    pub(crate) fn config_toml(name: &'static str, url: &str, credentials: &SimulatorCredentials) -> String {
        let (username, password) = credentials.registry_account();
        Table::new(name, url).service_account(credentials, username, password).finish()
    }
}

/// The person and the months a query asks about, in `PersonCode`, `FromMonth` and `ToMonth`:
/// at most [`MAX_PERIOD_MONTHS`] months, else `PERIOD_TOO_LONG`.
pub(crate) fn person_and_months(request: &SoapRequest) -> Result<(PersonCode, Period), Fault> {
    let (Some(code), Some(from), Some(to)) =
        (request.one("PersonCode"), request.one("FromMonth"), request.one("ToMonth"))
    else {
        return Err(Fault::invalid("PersonCode, FromMonth and ToMonth are required"));
    };
    let code = super::person_code(code)?;
    let invalid_month = || Fault::invalid("FromMonth and ToMonth are months, YYYY-MM");
    let from = year_month(from).ok_or_else(invalid_month)?;
    let to = year_month(to).ok_or_else(invalid_month)?;
    let period = Period::new(from, to).map_err(|error| match error {
        MonthError::TooLong(_) => Fault::new("PERIOD_TOO_LONG", period_too_long_reason()),
        _ => Fault::invalid("ToMonth must not be before FromMonth"),
    })?;
    Ok((code, period))
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
