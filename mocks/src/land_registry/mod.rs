//! The Land Registry (Zemesgrāmata) simulator: `GetPersonOwnerships` over SOAP 1.1 as
//! `schemas/land_registry/VERSION.md` defines it, serving the population's real estate with
//! each owner's share as the folio writes it.
//!
//! `POST /zemesgramata/ownership/v1` with a WS-Security UsernameToken and a `RequestHeader`.
//! Failures are SOAP faults with HTTP 500: `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERSON_NOT_FOUND`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::{AssetKind, PersonCode};
use serde::Deserialize;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::soap::SoapService;

/// The path of the ownership service.
pub(crate) const OWNERSHIP_PATH: &str = "/zemesgramata/ownership/v1";

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "GetPersonOwnershipsRequest")]
    request: Option<OwnershipsRequest>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OwnershipsRequest {
    person_code: String,
}

/// The Land Registry simulator.
pub(crate) struct LandRegistrySimulator {
    population: Arc<Population>,
    service: SoapService,
}

impl LandRegistrySimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        let service = SoapService::new(
            "urn:lv:zemesgramata:ownership:v1",
            "zg",
            "urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships",
            credentials,
        );
        Self { population, service }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if request.url.path() != OWNERSHIP_PATH {
            return Err(ResponseTemplate::new(404));
        }
        let body: Body = self.service.read(request)?;
        let invalid = |reason| self.service.fault("INVALID_REQUEST", reason);
        let asked = body.request.ok_or_else(|| invalid("The body must hold a GetPersonOwnershipsRequest"))?;
        let code =
            PersonCode::parse(&asked.person_code).map_err(|_| invalid("PersonCode is not a valid personal code"))?;
        if self.population.person(&code).is_none() {
            return Err(self.service.fault("PERSON_NOT_FOUND", "No person with this personal code"));
        }
        let s = &self.service;
        let mut inner = format!("<zg:GetPersonOwnershipsResponse>{}", s.leaf("PersonCode", code.as_str()));
        for asset in self.population.assets(&code) {
            let kind = match asset.kind {
                AssetKind::Land => "LAND",
                AssetKind::Building => "BUILDING",
                AssetKind::Apartment => "APARTMENT",
            };
            inner.push_str("<zg:Ownership>");
            inner.push_str(&s.leaf("RecordId", &asset.record_id));
            inner.push_str(&s.leaf("FolioNumber", &asset.folio_number));
            inner.push_str(&s.leaf("CadastralNumber", &asset.cadastral_number));
            inner.push_str(&s.leaf("PropertyKind", kind));
            inner.push_str("<zg:Share>");
            inner.push_str(&s.leaf("Numerator", &asset.numerator.to_string()));
            inner.push_str(&s.leaf("Denominator", &asset.denominator.to_string()));
            inner.push_str("</zg:Share></zg:Ownership>");
        }
        inner.push_str("</zg:GetPersonOwnershipsResponse>");
        Ok(s.answer(&inner))
    }
}

impl Respond for LandRegistrySimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("Land Registry simulator answered a request.");
        answer
    }
}

#[cfg(test)]
mod tests;
