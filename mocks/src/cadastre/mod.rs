//! The VZD cadastre simulator: REST/JSON as `schemas/cadastre/VERSION.md` defines it, behind
//! the simulated API gateway, serving the population's properties by cadastral number.
//!
//! Operations: `POST /oauth2/token` and `GET /vzd/cadastre/v1/properties/{cadastralNumber}`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use gateway_domain::AssetKind;
use serde::Serialize;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::Population;
use crate::rest::gateway::ApiGateway;
use crate::rest::json;
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of a property; the cadastral number follows it.
pub(crate) const PROPERTIES_PATH: &str = "/vzd/cadastre/v1/properties/";
/// A valid answer of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/cadastre/examples/property.json");

/// `property.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Property<'a> {
    cadastral_number: &'a str,
    kind: &'static str,
    area: u64,
    cadastral_value: String,
}

/// The cadastre simulator.
pub(crate) struct CadastreSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl CadastreSimulator {
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        Self { population, gateway: ApiGateway::new(credentials, base_url, "/oauth2/token", "urn:lv:vzd:problem:") }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        let Some(number) = request.url.path().strip_prefix(PROPERTIES_PATH) else {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        };
        if request.method.as_str() != "GET" {
            return Err(self.gateway.method_not_allowed("GET"));
        }
        self.gateway.admit(request)?;
        if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.gateway.problem(400, "invalid-request", "A cadastral number is 11 digits"));
        }
        let property = self
            .population
            .property(number)
            .ok_or_else(|| self.gateway.problem(404, "not-found", "No such property"))?;
        Ok(json(&Property {
            cadastral_number: &property.cadastral_number,
            kind: match property.kind {
                AssetKind::Land => "land",
                AssetKind::Building => "building",
                AssetKind::Apartment => "apartment",
            },
            area: property.area_m2,
            cadastral_value: property.value.to_decimal_string(),
        }))
    }
}

impl Respond for CadastreSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!("Cadastre simulator answered a request.");
        answer
    }
}

impl Simulator for CadastreSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(CadastreSimulator::new(on.population(), on.credentials, on.url), SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.cadastre", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
