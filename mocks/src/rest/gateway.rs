//! The simulated API gateway in front of the REST registries (PMLP, NVA, the cadastre, SPOLIS
//! co-financing): its token endpoint, the checks it makes of every data call (a live bearer
//! token, the dataset permission where the registry grants one, `X-Request-Id` and
//! `X-Purpose`), and RFC 9457 problem answers.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::http::HeaderValue;
use wiremock::{Request, ResponseTemplate};

use super::token::{IssuedTokens, TOKEN_PATH, TokenIssuer};
use super::{BodyError, PROBLEM_JSON, header};
use crate::credentials::SimulatorCredentials;

/// `problem.schema.json` (RFC 9457), the same for every registry behind the gateway.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    problem_type: String,
    title: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
}

/// A header every data call must carry with one value: the permission a dataset was granted under.
struct Permission {
    header: &'static str,
    value: String,
}

/// The simulated API gateway of one REST simulator.
pub(crate) struct ApiGateway {
    tokens: TokenIssuer,
    token_path: String,
    problem_prefix: &'static str,
    permission: Option<Permission>,
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
        let base = format!("{base_url}{}", token_path.strip_suffix(TOKEN_PATH).unwrap_or_default());
        Self {
            tokens: TokenIssuer::new(&credentials.client_id, &credentials.client_public_key_pem, &base),
            token_path: token_path.to_owned(),
            problem_prefix,
            permission: None,
        }
    }

    /// The same gateway, also demanding that every data call name `value` in `header`.
    pub(crate) fn with_permission(mut self, header: &'static str, value: &str) -> Self {
        self.permission = Some(Permission { header, value: value.to_owned() });
        self
    }

    /// The count of access tokens this gateway has issued.
    pub(crate) fn issued(&self) -> IssuedTokens {
        self.tokens.issued()
    }

    /// Whether `request` is for the token endpoint.
    pub(crate) fn is_token_request(&self, request: &Request) -> bool {
        request.url.path() == self.token_path
    }

    /// Answers a token request, if that is what `request` is.
    pub(crate) fn token(&self, request: &Request) -> Option<ResponseTemplate> {
        self.is_token_request(request).then(|| {
            if request.method.as_str() == "POST" {
                self.tokens.respond(request)
            } else {
                self.method_not_allowed("POST")
            }
        })
    }

    /// The gateway's first check: a live token, which is all it asks of a delivery.
    pub(crate) fn admit_token(&self, request: &Request) -> Result<(), ResponseTemplate> {
        if !self.tokens.admits(request) {
            return Err(self
                .problem(401, "unauthorized", "A valid access token is required")
                .insert_header("www-authenticate", HeaderValue::from_static("Bearer error=\"invalid_token\"")));
        }
        Ok(())
    }

    /// The gateway's checks: a live token, the permission, who asks and why.
    pub(crate) fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        self.admit_token(request)?;
        if let Some(permission) = &self.permission
            && header(request, permission.header) != Some(permission.value.as_str())
        {
            let detail = format!("{} is missing or does not name this client's permission", permission.header);
            return Err(self.problem_with_detail(403, "forbidden", "No permission for this dataset", &detail));
        }
        for (name, detail) in [("x-request-id", "X-Request-Id is required"), ("x-purpose", "X-Purpose is required")] {
            if header(request, name).is_none_or(str::is_empty) {
                return Err(self.invalid(detail));
            }
        }
        Ok(())
    }

    /// A problem answer of this simulator.
    pub(crate) fn problem(&self, status: u16, kind: &str, title: &str) -> ResponseTemplate {
        self.answer(status, kind, title, None)
    }

    /// A problem answer with a detail saying what in the request was wrong.
    pub(crate) fn problem_with_detail(&self, status: u16, kind: &str, title: &str, detail: &str) -> ResponseTemplate {
        self.answer(status, kind, title, Some(detail))
    }

    /// A 400 `invalid-request` problem with `detail`.
    pub(crate) fn invalid(&self, detail: &str) -> ResponseTemplate {
        self.problem_with_detail(400, "invalid-request", "Invalid request", detail)
    }

    /// A 405 problem naming the method allowed.
    pub(crate) fn method_not_allowed(&self, allow: &'static str) -> ResponseTemplate {
        self.problem(405, "method-not-allowed", "Method not allowed")
            .insert_header("allow", HeaderValue::from_static(allow))
    }

    /// A JSON request body, refused with a 415 or 400 problem when it is not one; `shape` says
    /// what the body must be.
    pub(crate) fn json_body<T: DeserializeOwned>(&self, request: &Request, shape: &str) -> Result<T, ResponseTemplate> {
        super::json_body(request).map_err(|error| match error {
            BodyError::NotJson => self.problem_with_detail(
                415,
                "unsupported-media-type",
                "Unsupported media type",
                "the body must be application/json",
            ),
            BodyError::Shape => self.invalid(shape),
        })
    }

    fn answer(&self, status: u16, kind: &str, title: &str, detail: Option<&str>) -> ResponseTemplate {
        let body = Problem { problem_type: format!("{}{kind}", self.problem_prefix), title, status, detail };
        ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), PROBLEM_JSON)
    }
}
