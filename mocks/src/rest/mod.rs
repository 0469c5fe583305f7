//! What the REST/JSON simulators share: the token endpoint ([`token`]), the simulated API
//! gateway's admission in front of the registries ([`gateway`]), the one delivery flow of the
//! REST partners ([`delivery`]), the status notification several of them take
//! ([`notification`]), the one search of the registries that answer about one person
//! ([`person_source`]), and reading JSON bodies and headers.

pub(crate) mod delivery;
pub(crate) mod gateway;
pub(crate) mod notification;
#[cfg(test)]
pub(crate) mod notification_fixture;
pub(crate) mod person_source;
#[cfg(test)]
pub(crate) mod person_source_fixture;
pub(crate) mod token;

use gateway_domain::PersonCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::{Request, ResponseTemplate};

/// The media type of JSON bodies.
pub(crate) const JSON: &str = "application/json";
/// The media type of RFC 9457 problem answers.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

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

/// A JSON object read as `T`; `None` when the body is not JSON, not an object, or not a `T`.
pub(crate) fn json_object<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    // Parsed through a `Value` first: serde would also take a struct from a JSON array.
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !value.is_object() {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// Why a request body is not the JSON object asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// The request does not say its body is JSON.
    NotJson,
    /// The body is not the object the contract defines.
    Shape,
}

/// The JSON object a request carries: its content type first, then its shape.
pub(crate) fn json_body<T: DeserializeOwned>(request: &Request) -> Result<T, BodyError> {
    if !has_json_body(request) {
        return Err(BodyError::NotJson);
    }
    json_object(&request.body).ok_or(BodyError::Shape)
}

/// A `personCode` as the REST contracts write it: 11 digits, and a valid personal code. The
/// refusal is the reason, in the contracts' field name.
pub(crate) fn person_code(code: &str) -> Result<PersonCode, &'static str> {
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err("personCode must be 11 digits");
    }
    PersonCode::parse(code).map_err(|_| "personCode is not a valid personal code")
}

/// The header's value; `None` when absent, not text, or sent more than once.
pub(crate) fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}
