//! The PMLP Population Register simulator: REST/JSON as `schemas/pmlp/VERSION.md` defines it,
//! behind a simulated API gateway (OAuth2 client credentials with a JWT client assertion, an
//! `X-DAGR-Permission` header), serving the synthetic population's persons and dwellings.
//!
//! Operations: `POST /oauth2/token`, `POST /fpr/v1/persons/search`,
//! `POST /fpr/v1/declared-addresses/search` and
//! `GET /fpr/v1/addresses/{addressCode}/declared-persons`. Errors are RFC 9457 problems.

// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

mod wire;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use gateway_domain::PersonCode;
use wiremock::http::Method;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, SyntheticPerson};
use crate::rest::gateway::ApiGateway;
use crate::rest::token::TOKEN_PATH;
use crate::rest::{json, person_code};
use crate::simulators::{Handle, Mount, Simulator, Table};
use wire::{DeclaredAddress, DeclaredPerson, DeclaredPersons, Person, PersonQuery, PersonResponse};

const PERSONS_SEARCH: &str = "/fpr/v1/persons/search";
const DECLARED_ADDRESSES_SEARCH: &str = "/fpr/v1/declared-addresses/search";
const ADDRESSES_PREFIX: &str = "/fpr/v1/addresses/";
const DECLARED_PERSONS_SUFFIX: &str = "/declared-persons";

const PERMISSION_HEADER: &str = "X-DAGR-Permission";
const REQUEST_ID_HEADER: &str = "x-request-id";

/// Problem types start so; an unknown person or address is the only one ending in `not-found`.
const PROBLEM_PREFIX: &str = "urn:lv:pmlp:dagr:problem:";
/// The person of the schema's examples.
const SAMPLE: &[u8] = include_bytes!("../../../schemas/pmlp/examples/person.json");

/// The PMLP simulator.
pub(crate) struct PmlpSimulator {
    population: Arc<Population>,
    gateway: ApiGateway,
}

impl PmlpSimulator {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let gateway = ApiGateway::new(credentials, base_url, TOKEN_PATH, PROBLEM_PREFIX)
            .with_permission(PERMISSION_HEADER, &credentials.dagr_permission);
        Self { population, gateway }
    }

    fn route(&self, request: &Request) -> ResponseTemplate {
        if let Some(answer) = self.gateway.token(request) {
            return answer;
        }
        let path = request.url.path();
        let method = &request.method;
        if path == PERSONS_SEARCH || path == DECLARED_ADDRESSES_SEARCH {
            if *method != Method::POST {
                return self.gateway.method_not_allowed("POST");
            }
            let answer = self
                .gateway
                .admit(request)
                .and_then(|()| self.person_from_body(request))
                .and_then(|code| self.known_person(&code))
                .map(|person| {
                    if path == PERSONS_SEARCH {
                        json(&PersonResponse { person: Person::of(person) })
                    } else {
                        self.declared_address(person)
                    }
                });
            return with_request_id(answer.unwrap_or_else(|refusal| refusal), request);
        }
        if let Some(address_code) = declared_persons_address(path) {
            if *method != Method::GET {
                return self.gateway.method_not_allowed("GET");
            }
            let answer = self.gateway.admit(request).and_then(|()| self.declared_persons(address_code));
            return with_request_id(answer.unwrap_or_else(|refusal| refusal), request);
        }
        self.gateway.problem(404, "no-such-operation", "No such operation")
    }

    /// The personal code of a `person-query.schema.json` body.
    fn person_from_body(&self, request: &Request) -> Result<PersonCode, ResponseTemplate> {
        let query: PersonQuery =
            self.gateway.json_body(request, "the body must be a person query with exactly one personCode")?;
        person_code(&query.person_code).map_err(|reason| self.gateway.invalid(reason))
    }

    fn known_person(&self, code: &PersonCode) -> Result<&SyntheticPerson, ResponseTemplate> {
        self.population.person(code).ok_or_else(|| self.gateway.problem(404, "not-found", "No such person"))
    }

    fn declared_address(&self, person: &SyntheticPerson) -> ResponseTemplate {
        let Some(household) = self.population.household_at(&person.address_code) else {
            return self.gateway.problem(404, "not-found", "No declared address");
        };
        json(&DeclaredAddress {
            record_id: format!("dz-{:09}", person.index + 1),
            person_code: person.code.as_str(),
            address_code: &household.address_code,
            address_text: &household.address_text,
            declared_from: wire::wire_date(person.declared_from),
        })
    }

    fn declared_persons(&self, address_code: &str) -> Result<ResponseTemplate, ResponseTemplate> {
        if address_code.len() != 9 || !address_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.gateway.invalid("an address code has 9 digits"));
        }
        let population = &self.population;
        let household = population
            .household_at(address_code)
            .ok_or_else(|| self.gateway.problem(404, "not-found", "No such address"))?;
        let persons =
            household.members.iter().filter_map(|code| population.person(code)).map(DeclaredPerson::of).collect();
        Ok(json(&DeclaredPersons { address_code: &household.address_code, persons }))
    }
}

impl Respond for PmlpSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let response = self.route(request);
        tracing::debug!(operation = operation(request.url.path()), "PMLP simulator answered a request.");
        response
    }
}

impl Simulator for PmlpSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = PmlpSimulator::new(on.population(), on.credentials, on.url);
        let issued = simulator.gateway.issued();
        on.serve(simulator, SAMPLE).await;
        Handle::Tokens(issued)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("registries.pmlp", url).value("permission", &credentials.dagr_permission).with_oauth(credentials)
    }
}

/// The operation a path names, for log lines: paths carry address codes, which stay out of logs.
fn operation(path: &str) -> &'static str {
    match path {
        TOKEN_PATH => "token",
        PERSONS_SEARCH => "person",
        DECLARED_ADDRESSES_SEARCH => "declared-address",
        _ if declared_persons_address(path).is_some() => "declared-persons",
        _ => "unknown",
    }
}

/// The address code in `/fpr/v1/addresses/{addressCode}/declared-persons`.
fn declared_persons_address(path: &str) -> Option<&str> {
    let code = path.strip_prefix(ADDRESSES_PREFIX)?.strip_suffix(DECLARED_PERSONS_SUFFIX)?;
    (!code.is_empty() && !code.contains('/')).then_some(code)
}

/// Echoes the caller's request id, as the API gateway does, so that logs can be matched.
fn with_request_id(response: ResponseTemplate, request: &Request) -> ResponseTemplate {
    match request.headers.get(REQUEST_ID_HEADER) {
        Some(id) => response.insert_header(REQUEST_ID_HEADER, id.clone()),
        None => response,
    }
}
