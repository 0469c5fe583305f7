//! The PMLP Population Register simulator: REST/JSON as `schemas/pmlp/VERSION.md` defines it,
//! behind a simulated API gateway (OAuth2 client credentials with a JWT client assertion, an
//! `X-DAGR-Permission` header), serving the synthetic population's persons and dwellings.
//!
//! Operations: `POST /oauth2/token`, `POST /fpr/v1/persons/search`,
//! `POST /fpr/v1/declared-addresses/search` and
//! `GET /fpr/v1/addresses/{addressCode}/declared-persons`. Errors are RFC 9457 problems.

pub(crate) mod token;
mod wire;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use gateway_domain::PersonCode;
use serde::Serialize;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, Respond, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::population::{Population, SyntheticPerson};
use crate::rest::{JSON, has_json_body, header};
use token::{TOKEN_PATH, TokenIssuer};
use wire::{DeclaredAddress, DeclaredPerson, DeclaredPersons, Person, PersonQuery, PersonResponse, Problem};

const PERSONS_SEARCH: &str = "/fpr/v1/persons/search";
const DECLARED_ADDRESSES_SEARCH: &str = "/fpr/v1/declared-addresses/search";
const ADDRESSES_PREFIX: &str = "/fpr/v1/addresses/";
const DECLARED_PERSONS_SUFFIX: &str = "/declared-persons";

const PERMISSION_HEADER: &str = "x-dagr-permission";
const REQUEST_ID_HEADER: &str = "x-request-id";
const PURPOSE_HEADER: &str = "x-purpose";

const PROBLEM_JSON: &str = "application/problem+json";

/// Problem types; an unknown person or address is the only one ending in `not-found`.
const PROBLEM_NOT_FOUND: &str = "urn:lv:pmlp:dagr:problem:not-found";
const PROBLEM_UNAUTHORIZED: &str = "urn:lv:pmlp:dagr:problem:unauthorized";
const PROBLEM_FORBIDDEN: &str = "urn:lv:pmlp:dagr:problem:forbidden";
const PROBLEM_INVALID_REQUEST: &str = "urn:lv:pmlp:dagr:problem:invalid-request";
const PROBLEM_UNSUPPORTED_MEDIA_TYPE: &str = "urn:lv:pmlp:dagr:problem:unsupported-media-type";
const PROBLEM_NO_SUCH_OPERATION: &str = "urn:lv:pmlp:dagr:problem:no-such-operation";
const PROBLEM_METHOD_NOT_ALLOWED: &str = "urn:lv:pmlp:dagr:problem:method-not-allowed";

/// The PMLP simulator; cheap to clone, all clones share one state.
#[derive(Clone)]
pub(crate) struct PmlpSimulator {
    state: Arc<PmlpState>,
}

struct PmlpState {
    population: Arc<Population>,
    dagr_permission: String,
    tokens: TokenIssuer,
}

/// A problem to answer with instead of data.
struct Refusal {
    status: u16,
    problem_type: &'static str,
    title: &'static str,
    detail: Option<&'static str>,
}

impl Refusal {
    fn new(status: u16, problem_type: &'static str, title: &'static str, detail: Option<&'static str>) -> Self {
        Self { status, problem_type, title, detail }
    }

    fn invalid(detail: &'static str) -> Self {
        Self::new(400, PROBLEM_INVALID_REQUEST, "Invalid request", Some(detail))
    }

    fn not_found(title: &'static str) -> Self {
        Self::new(404, PROBLEM_NOT_FOUND, title, None)
    }

    fn into_response(self) -> ResponseTemplate {
        let response = problem(self.status, self.problem_type, self.title, self.detail);
        if self.status == 401 {
            response.insert_header("www-authenticate", HeaderValue::from_static("Bearer error=\"invalid_token\""))
        } else {
            response
        }
    }
}

impl PmlpSimulator {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let state = PmlpState {
            population,
            dagr_permission: credentials.dagr_permission.clone(),
            tokens: TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, base_url),
        };
        Self { state: Arc::new(state) }
    }

    /// Access tokens issued.
    pub(crate) fn tokens_issued(&self) -> usize {
        self.state.tokens.issued()
    }

    fn route(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let method = &request.method;
        if path == TOKEN_PATH {
            return if *method == Method::POST {
                self.state.tokens.respond(request)
            } else {
                method_not_allowed("POST")
            };
        }
        if path == PERSONS_SEARCH || path == DECLARED_ADDRESSES_SEARCH {
            if *method != Method::POST {
                return method_not_allowed("POST");
            }
            let answer = self
                .admit(request)
                .and_then(|()| person_from_body(request))
                .and_then(|code| self.known_person(&code))
                .map(|person| {
                    if path == PERSONS_SEARCH {
                        json(&PersonResponse { person: Person::of(person) })
                    } else {
                        self.declared_address(person)
                    }
                });
            return with_request_id(unwrap_refusal(answer), request);
        }
        if let Some(address_code) = declared_persons_address(path) {
            if *method != Method::GET {
                return method_not_allowed("GET");
            }
            let answer = self.admit(request).and_then(|()| self.declared_persons(address_code));
            return with_request_id(unwrap_refusal(answer), request);
        }
        problem(404, PROBLEM_NO_SUCH_OPERATION, "No such operation", None)
    }

    /// The API gateway's checks: a live token, the permission, who asks and why.
    fn admit(&self, request: &Request) -> Result<(), Refusal> {
        let token = header(request, "authorization").and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        if !token.is_some_and(|token| self.state.tokens.is_valid(token)) {
            return Err(Refusal::new(401, PROBLEM_UNAUTHORIZED, "A valid access token is required", None));
        }
        if header(request, PERMISSION_HEADER) != Some(self.state.dagr_permission.as_str()) {
            return Err(Refusal::new(
                403,
                PROBLEM_FORBIDDEN,
                "No permission for this dataset",
                Some("X-DAGR-Permission is missing or does not name this client's permission"),
            ));
        }
        for (name, detail) in
            [(REQUEST_ID_HEADER, "X-Request-Id is required"), (PURPOSE_HEADER, "X-Purpose is required")]
        {
            if header(request, name).is_none_or(str::is_empty) {
                return Err(Refusal::invalid(detail));
            }
        }
        Ok(())
    }

    fn known_person(&self, code: &PersonCode) -> Result<&SyntheticPerson, Refusal> {
        self.state.population.person(code).ok_or_else(|| Refusal::not_found("No such person"))
    }

    fn declared_address(&self, person: &SyntheticPerson) -> ResponseTemplate {
        let Some(household) = self.state.population.household_at(&person.address_code) else {
            return problem(404, PROBLEM_NOT_FOUND, "No declared address", None);
        };
        json(&DeclaredAddress {
            record_id: format!("dz-{:09}", person.index + 1),
            person_code: person.code.as_str(),
            address_code: &household.address_code,
            address_text: &household.address_text,
            declared_from: wire::wire_date(person.declared_from),
        })
    }

    fn declared_persons(&self, address_code: &str) -> Result<ResponseTemplate, Refusal> {
        if address_code.len() != 9 || !address_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::invalid("an address code has 9 digits"));
        }
        let population = &self.state.population;
        let household = population.household_at(address_code).ok_or_else(|| Refusal::not_found("No such address"))?;
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

/// The personal code of a `person-query.schema.json` body.
fn person_from_body(request: &Request) -> Result<PersonCode, Refusal> {
    if !has_json_body(request) {
        return Err(Refusal::new(
            415,
            PROBLEM_UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            Some("the body must be application/json"),
        ));
    }
    let shape = || Refusal::invalid("the body must be a person query with exactly one personCode");
    // Parsed through a `Value` first: serde would also take a struct from a JSON array.
    let body: serde_json::Value = serde_json::from_slice(&request.body).map_err(|_| shape())?;
    if !body.is_object() {
        return Err(shape());
    }
    let query: PersonQuery = serde_json::from_value(body).map_err(|_| shape())?;
    let code = &query.person_code;
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::invalid("personCode must be 11 digits"));
    }
    PersonCode::parse(code).map_err(|_| Refusal::invalid("personCode is not a valid personal code"))
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

fn json<T: Serialize>(body: &T) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(serde_json::to_vec(body).unwrap_or_default(), JSON)
}

fn problem(status: u16, problem_type: &str, title: &str, detail: Option<&str>) -> ResponseTemplate {
    let body = Problem { problem_type, title, status, detail };
    ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), PROBLEM_JSON)
}

fn method_not_allowed(allow: &'static str) -> ResponseTemplate {
    problem(405, PROBLEM_METHOD_NOT_ALLOWED, "Method not allowed", None)
        .insert_header("allow", HeaderValue::from_static(allow))
}

fn unwrap_refusal(answer: Result<ResponseTemplate, Refusal>) -> ResponseTemplate {
    answer.unwrap_or_else(Refusal::into_response)
}

/// Echoes the caller's request id, as the API gateway does, so that logs can be matched.
fn with_request_id(response: ResponseTemplate, request: &Request) -> ResponseTemplate {
    match request.headers.get(REQUEST_ID_HEADER) {
        Some(id) => response.insert_header(REQUEST_ID_HEADER, id.clone()),
        None => response,
    }
}
