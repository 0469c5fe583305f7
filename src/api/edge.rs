//! What every request passes before its handler: a request id (in the task, the logs, the
//! problem bodies and the `x-request-id` answer header), the request target's length limit
//! (414) and the request's time limit (408), each answered as problem+json.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gateway_domain::RequestId;
use tracing::Instrument;

use super::problem::{ApiError, REQUEST_ID};

/// The header that carries the request id back to the caller.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The limits the edge enforces.
#[derive(Debug, Clone, Copy)]
pub struct EdgeLimits {
    pub max_uri_bytes: usize,
    pub request_timeout: Duration,
}

/// Gives the request its id and answers it within the limits. Every log line of the request,
/// this one's own included, is written inside its span, which names the request id.
pub(super) async fn guard(State(limits): State<EdgeLimits>, mut request: Request, next: Next) -> Response {
    let id = RequestId::new();
    request.extensions_mut().insert(id);
    let started = std::time::Instant::now();
    let too_long = request.uri().path_and_query().map_or(0, |p| p.as_str().len()) > limits.max_uri_bytes;
    // The path alone (and not even that when it is too long): a query could carry anything the
    // caller put in it.
    let path = if too_long { "" } else { request.uri().path() };
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), path);
    let mut response = REQUEST_ID
        .scope(
            id,
            async move {
                let response = if too_long {
                    ApiError::UriTooLong.into_response()
                } else {
                    match tokio::time::timeout(limits.request_timeout, next.run(request)).await {
                        Ok(response) => response,
                        Err(_) => ApiError::RequestTimeout.into_response(),
                    }
                };
                tracing::debug!(
                    status = response.status().as_u16(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "Request answered."
                );
                response
            }
            .instrument(span),
        )
        .await;
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// A panic in a handler: a 500 problem naming the request, and a log line naming it too. The
/// panic's message is not logged, as it may quote the request.
pub(super) fn panicked(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_a_500_problem_naming_the_request() {
        let id = RequestId::new();
        let response = REQUEST_ID.scope(id, async { panicked(Box::new("boom")) }).await;
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["type"], "urn:registry-gateway:problem:internal");
        assert_eq!(problem["request_id"], id.to_string());
    }
}
