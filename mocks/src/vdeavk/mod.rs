//! The VDEĀVK disability commission simulator: `GetDisabilityDeterminations` over SOAP 1.1 as
//! `schemas/vdeavk/VERSION.md` defines it, serving the population's disability determinations.
//!
//! `POST /vdeavk/disability/v1` with a WS-Security UsernameToken and a `RequestHeader`.
//! Failures are SOAP faults with HTTP 500: `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERSON_NOT_FOUND`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{PersonCode, StatusKind};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::soap::SoapService;

/// The path of the disability service.
pub(crate) const DISABILITY_PATH: &str = "/vdeavk/disability/v1";

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "GetDisabilityDeterminationsRequest")]
    request: Option<DeterminationsRequest>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeterminationsRequest {
    person_code: String,
    from_date: String,
    to_date: String,
}

/// The VDEĀVK simulator.
pub(crate) struct VdeavkSimulator {
    population: Arc<Population>,
    service: SoapService,
}

impl VdeavkSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let service = SoapService::new(
            "urn:lv:vdeavk:disability:v1",
            "dis",
            "urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations",
            credentials,
        );
        Self { population, service }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if request.url.path() != DISABILITY_PATH {
            return Err(ResponseTemplate::new(404));
        }
        let body: Body = self.service.read(request)?;
        let invalid = |reason| self.service.fault("INVALID_REQUEST", reason);
        let asked = body.request.ok_or_else(|| invalid("The body must hold a GetDisabilityDeterminationsRequest"))?;
        let code =
            PersonCode::parse(&asked.person_code).map_err(|_| invalid("PersonCode is not a valid personal code"))?;
        let format = format_description!("[year]-[month]-[day]");
        let from = Date::parse(asked.from_date.trim(), format).map_err(|_| invalid("FromDate is a date"))?;
        let to = Date::parse(asked.to_date.trim(), format).map_err(|_| invalid("ToDate is a date"))?;
        if to < from {
            return Err(invalid("ToDate must not be before FromDate"));
        }
        if self.population.person(&code).is_none() {
            return Err(self.service.fault("PERSON_NOT_FOUND", "No determination subject with this personal code"));
        }
        let s = &self.service;
        let mut inner = format!("<dis:GetDisabilityDeterminationsResponse>{}", s.leaf("PersonCode", code.as_str()));
        for d in self.population.disabilities(&code, from, to) {
            let group = match d.kind {
                StatusKind::DisabilityGroupI => "I",
                StatusKind::DisabilityGroupII => "II",
                StatusKind::DisabilityGroupIII => "III",
                _ => "CHILD",
            };
            inner.push_str("<dis:Determination>");
            inner.push_str(&s.leaf("RecordId", &d.record_id));
            inner.push_str(&s.leaf("Group", group));
            inner.push_str(&s.leaf("SpecialCare", if d.special_care { "true" } else { "false" }));
            inner.push_str(&s.leaf("ValidFrom", &d.valid_from.to_string()));
            if let Some(to) = d.valid_to {
                inner.push_str(&s.leaf("ValidTo", &to.to_string()));
            }
            inner.push_str("</dis:Determination>");
        }
        inner.push_str("</dis:GetDisabilityDeterminationsResponse>");
        Ok(s.answer(&inner))
    }
}

impl Respond for VdeavkSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("VDEĀVK simulator answered a request.");
        answer
    }
}

#[cfg(test)]
mod tests;
