//! The one JSON body reader of every endpoint: `application/json` only (415), at most
//! `server.max_body_bytes` (413), valid JSON with no key repeated in any object and at most
//! [`crate::json::MAX_DEPTH`] levels deep (400 `invalid-body`). Errors say where, never what was sent.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde_json::Value;

use super::ApiError;

/// A request body read as JSON.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let json =
            request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection: BytesRejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::InvalidBody { detail: "the body could not be read whole".into() }
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses a body strictly (see [`crate::json`]).
pub fn parse(text: &[u8]) -> Result<Value, ApiError> {
    crate::json::parse(text).map_err(|e| ApiError::InvalidBody { detail: format!("the body is {e}") })
}
