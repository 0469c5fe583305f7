//! The Land Registry (Zemesgrāmata) simulator: `GetPersonOwnerships` over SOAP 1.1 as
//! `schemas/land_registry/VERSION.md` defines it, serving the population's real estate with
//! each owner's share as the folio writes it.
//!
//! `POST /zemesgramata/ownership/v1` with a WS-Security UsernameToken and a `RequestHeader`.
//! Failures are SOAP faults with HTTP 500: `NOT_AUTHORISED`, `INVALID_REQUEST`, `PERSON_NOT_FOUND`.

use std::sync::Arc;

use gateway_domain::{AssetKind, PersonCode};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::simulators::{Handle, Mount, Simulator};
use crate::soap::query::SoapQuery;
use crate::soap::{Fault, SoapRequest, SoapService, leaf};

/// The path of the ownership service.
pub(crate) const OWNERSHIP_PATH: &str = "/zemesgramata/ownership/v1";
const SERVICE: SoapService = SoapService {
    path: OWNERSHIP_PATH,
    namespace: "urn:lv:zemesgramata:ownership:v1",
    prefix: "zg",
    action: "urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships",
    operation: "GetPersonOwnershipsRequest",
};
/// The answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/land_registry/examples/get-person-ownerships-response.xml");

/// The Land Registry simulator.
pub(crate) struct LandRegistrySimulator {
    query: SoapQuery,
}

impl LandRegistrySimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials) -> Self {
        Self { query: SoapQuery::new(&SERVICE, "Land Registry", population, credentials) }
    }
}

/// The real estate the folios name the person an owner of, with each share.
fn answer(population: &Population, request: &SoapRequest) -> Result<Vec<u8>, Fault> {
    let code = request.one("PersonCode").ok_or_else(|| Fault::invalid("PersonCode is required"))?;
    let code = PersonCode::parse(code).map_err(|_| Fault::invalid("PersonCode is not a valid personal code"))?;
    if population.person(&code).is_none() {
        return Err(Fault::new("PERSON_NOT_FOUND", "No person with this personal code"));
    }
    let assets = population.assets(&code);
    Ok(SERVICE.answer(|w| {
        w.create_element("zg:GetPersonOwnershipsResponse").write_inner_content(|w| {
            leaf(w, "zg:PersonCode", code.as_str())?;
            for asset in &assets {
                let kind = match asset.kind {
                    AssetKind::Land => "LAND",
                    AssetKind::Building => "BUILDING",
                    AssetKind::Apartment => "APARTMENT",
                };
                w.create_element("zg:Ownership").write_inner_content(|w| {
                    leaf(w, "zg:RecordId", &asset.record_id)?;
                    leaf(w, "zg:FolioNumber", &asset.folio_number)?;
                    leaf(w, "zg:CadastralNumber", &asset.cadastral_number)?;
                    leaf(w, "zg:PropertyKind", kind)?;
                    w.create_element("zg:Share").write_inner_content(|w| {
                        leaf(w, "zg:Numerator", &asset.numerator.to_string())?;
                        leaf(w, "zg:Denominator", &asset.denominator.to_string())
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    }))
}

impl Respond for LandRegistrySimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.query.respond(request, answer)
    }
}

impl Simulator for LandRegistrySimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(LandRegistrySimulator::new(on.population(), on.credentials), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        SoapQuery::config_toml("registries.land_registry", url, credentials)
    }
}

#[cfg(test)]
mod tests;
