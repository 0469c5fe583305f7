//! What the REST/JSON simulators share: the simulated API gateway in front of them (an OAuth2
//! token endpoint with client assertions, a bearer token, `X-Request-Id` and `X-Purpose` on
//! every call) and RFC 9457 problem answers.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::http::HeaderValue;
use wiremock::{Request, ResponseTemplate};

use crate::credentials::SimulatorCredentials;
use crate::pmlp::token::TokenIssuer;

/// The media type of JSON bodies.
pub(crate) const JSON: &str = "application/json";
const PROBLEM_JSON: &str = "application/problem+json";

/// The simulated API gateway of one REST simulator.
pub(crate) struct ApiGateway {
    tokens: TokenIssuer,
    token_path: String,
    problem_prefix: &'static str,
}

impl ApiGateway {
    /// A gateway whose token endpoint is `{base_url}{token_path}`; problem types start with
    /// `problem_prefix` (e.g. `urn:lv:nva:problem:`).
    pub(crate) fn new(
        credentials: &SimulatorCredentials,
        base_url: &str,
        token_path: &str,
        problem_prefix: &'static str,
    ) -> Self {
        // The issuer checks the audience against `{base}/oauth2/token`; a token endpoint under
        // another path gets a base that makes that URL come out right.
        let base = format!("{base_url}{}", token_path.strip_suffix("/oauth2/token").unwrap_or_default());
        Self {
            tokens: TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, &base),
            token_path: token_path.to_owned(),
            problem_prefix,
        }
    }

    /// Answers a token request, if that is what `request` is.
    pub(crate) fn token(&self, request: &Request) -> Option<ResponseTemplate> {
        (request.url.path() == self.token_path).then(|| {
            if request.method.as_str() == "POST" {
                self.tokens.respond(request)
            } else {
                self.problem(405, "method-not-allowed", "Method not allowed")
            }
        })
    }

    /// The gateway's checks: a live token, who asks and why.
    pub(crate) fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        let token = header(request, "authorization").and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        if !token.is_some_and(|token| self.tokens.is_valid(token)) {
            return Err(self
                .problem(401, "unauthorized", "A valid access token is required")
                .insert_header("www-authenticate", HeaderValue::from_static("Bearer error=\"invalid_token\"")));
        }
        for name in ["x-request-id", "x-purpose"] {
            if header(request, name).is_none_or(str::is_empty) {
                return Err(self.problem(400, "invalid-request", "X-Request-Id and X-Purpose are required"));
            }
        }
        Ok(())
    }

    /// A problem answer of this simulator.
    pub(crate) fn problem(&self, status: u16, kind: &str, title: &str) -> ResponseTemplate {
        #[derive(Serialize)]
        struct Problem<'a> {
            #[serde(rename = "type")]
            problem_type: String,
            title: &'a str,
            status: u16,
        }
        let body = Problem { problem_type: format!("{}{kind}", self.problem_prefix), title, status };
        ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), PROBLEM_JSON)
    }

    /// A JSON request body, refused with a 415 or 400 problem when it is not one.
    pub(crate) fn json_body<T: DeserializeOwned>(&self, request: &Request) -> Result<T, ResponseTemplate> {
        if !has_json_body(request) {
            return Err(self.problem(415, "unsupported-media-type", "The body must be application/json"));
        }
        let value: serde_json::Value =
            serde_json::from_slice(&request.body).map_err(|_| self.problem(400, "invalid-request", "Invalid body"))?;
        if !value.is_object() {
            return Err(self.problem(400, "invalid-request", "Invalid body"));
        }
        serde_json::from_value(value).map_err(|_| self.problem(400, "invalid-request", "Invalid body"))
    }
}

/// A 200 answer with a JSON body.
pub(crate) fn json<T: Serialize>(body: &T) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(serde_json::to_vec(body).unwrap_or_default(), JSON)
}

/// Whether the request says its body is JSON (`Content-Type: application/json`, parameters allowed).
pub(crate) fn has_json_body(request: &Request) -> bool {
    header(request, "content-type")
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(JSON))
}

/// The header's value; `None` when absent, not text, or sent more than once.
pub(crate) fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}
