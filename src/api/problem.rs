//! The one table of API errors: each code has an HTTP status, a stable `type` URI and a title,
//! and every error body is RFC 9457 problem+json with the same fields. Internal detail is
//! logged (without personal data), never returned.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gateway_domain::{GapReason, RequestId, System};
use serde::Serialize;

/// The prefix of every problem `type`; the code follows it.
pub const PROBLEM_TYPE_PREFIX: &str = "urn:registry-gateway:problem:";

/// Seconds a client is told to wait before trying a write again after the store failed.
const STORE_RETRY_AFTER_SECS: u64 = 5;

/// Everything the API can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A field is present but not valid; `detail` never repeats the value.
    #[error("invalid field {field}")]
    InvalidField { field: String, detail: String },
    /// The body is not JSON of the expected shape.
    #[error("invalid body")]
    InvalidBody { detail: String },
    /// A path or query parameter is not valid; `detail` never repeats the value.
    #[error("invalid parameter {parameter}")]
    InvalidParameter { parameter: &'static str, detail: String },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("unknown applicant")]
    UnknownApplicant,
    #[error("not found")]
    NotFound,
    /// The decision version was stored before with different content; `field` points at it.
    #[error("decision conflict")]
    DecisionConflict { field: String },
    /// The referral version was stored before with different content; `field` points at it.
    #[error("referral conflict")]
    ReferralConflict { field: String },
    /// SPOLIS has no co-financing confirmations for the municipality and month asked.
    #[error("no co-financing confirmations")]
    NoCoFinancing,
    /// A registry the answer depends on entirely failed (an income check turns such failures
    /// into gaps instead; an answer with nothing else in it cannot).
    #[error("registry {system} failed: {reason:?}")]
    RegistryFailed { system: System, reason: GapReason },
    /// A registry the answer depends on entirely did not answer before the deadline.
    #[error("registry {system} timed out")]
    RegistryTimeout { system: System },
    /// The system the answer needs is not configured on this gateway.
    #[error("system {system} not configured")]
    NotConfigured { system: System },
    /// The store could not keep or read what was asked (disk full, store file gone, locked);
    /// nothing was acknowledged. Retry later.
    #[error("store unavailable")]
    StoreUnavailable,
    /// The audit log could not record the questions, so none was asked. Retry later.
    #[error("audit log unavailable")]
    AuditUnavailable,
    /// The caller made more requests than its rate allows; retry after the `Retry-After` seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The gateway is at its limit of work in hand; retry after the `Retry-After` seconds.
    #[error("overloaded")]
    Overloaded { retry_after_secs: u64 },
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is larger than `server.max_body_bytes`.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The request line's target is longer than `server.max_uri_bytes`.
    #[error("uri too long")]
    UriTooLong,
    /// The request did not arrive whole, or was not answered, within `server.request_timeout_ms`.
    #[error("request timeout")]
    RequestTimeout,
    /// No valid bearer token; `detail` says what was wrong with it, never quoting it.
    #[error("unauthenticated")]
    Unauthenticated { detail: String },
    /// The caller's roles do not include one this operation needs.
    #[error("forbidden")]
    Forbidden { detail: String },
    /// The body names an officer other than the authenticated caller, who may not act for others.
    #[error("officer is not the caller")]
    OfficerNotCaller,
    /// No data access profile is configured for the request's purpose.
    #[error("purpose not permitted")]
    PurposeNotPermitted,
    /// The purpose's profile does not let the caller name members itself.
    #[error("named members not permitted")]
    NamedMembersNotPermitted,
    /// The assessment rules have no levels (or minimum wage) for the period asked.
    #[error("no assessment rule")]
    NoAssessmentRule { detail: String },
    #[error("internal error")]
    Internal,
}

impl From<crate::assessment::AssessmentError> for ApiError {
    fn from(error: crate::assessment::AssessmentError) -> Self {
        // Names months and rules only.
        ApiError::NoAssessmentRule { detail: error.to_string() }
    }
}

impl From<crate::income_check::HouseholdError> for ApiError {
    fn from(error: crate::income_check::HouseholdError) -> Self {
        match error {
            crate::income_check::HouseholdError::UnknownApplicant => ApiError::UnknownApplicant,
            crate::income_check::HouseholdError::AuditUnavailable => ApiError::AuditUnavailable,
        }
    }
}

impl From<crate::decisions::FieldError> for ApiError {
    fn from(error: crate::decisions::FieldError) -> Self {
        ApiError::InvalidField { field: error.field, detail: error.detail }
    }
}

tokio::task_local! {
    /// The id of the request being answered, for problem bodies and log lines.
    pub(crate) static REQUEST_ID: RequestId;
}

/// The request id of the request this task answers, when there is one.
pub(crate) fn current_request_id() -> Option<RequestId> {
    REQUEST_ID.try_with(|id| *id).ok()
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        // The store's messages name files and SQL states, never decision content.
        tracing::error!(request_id = ?current_request_id().map(|id| id.to_string()), error = %error, "The store failed.");
        if error.is_unavailable() { ApiError::StoreUnavailable } else { ApiError::Internal }
    }
}

impl ApiError {
    /// A registry the answer depends on entirely did not give it: its deadline passed, or it
    /// failed (the reason from the gap table, nothing it said).
    pub fn from_registry(system: System, error: &gateway_domain::SourceError) -> Self {
        match error {
            gateway_domain::SourceError::Timeout => ApiError::RegistryTimeout { system },
            other => ApiError::RegistryFailed { system, reason: other.gap_reason() },
        }
    }

    /// A `month` query or path parameter, `YYYY-MM`; the problem never repeats the value.
    pub fn month_parameter(raw: &str) -> Result<gateway_domain::Month, Self> {
        gateway_domain::Month::parse(raw)
            .map_err(|_| ApiError::InvalidParameter { parameter: "month", detail: "a month is written YYYY-MM".into() })
    }
}

impl ApiError {
    /// `(status, code, title)`: the table.
    fn describe(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::InvalidField { .. } => {
                (StatusCode::BAD_REQUEST, "invalid-field", "A field of the request is not valid")
            }
            ApiError::InvalidBody { .. } => {
                (StatusCode::BAD_REQUEST, "invalid-body", "The request body is not valid JSON for this operation")
            }
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "The request body must be application/json",
            ),
            ApiError::UnknownApplicant => {
                (StatusCode::NOT_FOUND, "unknown-applicant", "The Population Register does not know the applicant")
            }
            ApiError::InvalidParameter { .. } => {
                (StatusCode::BAD_REQUEST, "invalid-parameter", "A parameter of the request is not valid")
            }
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not-found", "No such resource"),
            ApiError::DecisionConflict { .. } => (
                StatusCode::CONFLICT,
                "decision-conflict",
                "This decision version was stored before with different content; amendments take a new version",
            ),
            ApiError::ReferralConflict { .. } => (
                StatusCode::CONFLICT,
                "referral-conflict",
                "This referral version was stored before with different content; amendments take a new version",
            ),
            ApiError::NoCoFinancing => (
                StatusCode::NOT_FOUND,
                "no-co-financing",
                "SPOLIS has no co-financing confirmations for that municipality and month",
            ),
            ApiError::RegistryFailed { .. } => {
                (StatusCode::BAD_GATEWAY, "registry-failed", "A registry the answer depends on failed")
            }
            ApiError::RegistryTimeout { .. } => (
                StatusCode::GATEWAY_TIMEOUT,
                "registry-timeout",
                "A registry the answer depends on did not answer in time",
            ),
            ApiError::NotConfigured { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "not-configured",
                "The system this answer needs is not configured on this gateway",
            ),
            ApiError::StoreUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                "The store cannot keep or read data now; nothing was stored. Retry later",
            ),
            ApiError::AuditUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "audit-unavailable",
                "The audit log cannot record the questions now, so no registry was asked. Retry later",
            ),
            ApiError::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "This caller made more requests than its rate allows; retry after Retry-After seconds",
            ),
            ApiError::Overloaded { .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "The gateway has more work than it can answer in time; retry after Retry-After seconds",
            ),
            ApiError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "This resource does not answer that method")
            }
            ApiError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "The request body is larger than allowed")
            }
            ApiError::UriTooLong => {
                (StatusCode::URI_TOO_LONG, "uri-too-long", "The request target is longer than allowed")
            }
            ApiError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request-timeout",
                "The request did not arrive or could not be answered in time",
            ),
            ApiError::Unauthenticated { .. } => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "This operation needs a valid bearer token from the configured identity provider",
            ),
            ApiError::Forbidden { .. } => {
                (StatusCode::FORBIDDEN, "forbidden", "The caller's roles do not allow this operation")
            }
            ApiError::OfficerNotCaller => (
                StatusCode::FORBIDDEN,
                "officer-not-caller",
                "The officer named is not the authenticated caller, and only the case system may act for another",
            ),
            ApiError::PurposeNotPermitted => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "purpose-not-permitted",
                "No data access profile is configured for this purpose",
            ),
            ApiError::NamedMembersNotPermitted => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "named-members-not-permitted",
                "This purpose asks only about the persons declared with the applicant; name no members",
            ),
            ApiError::NoAssessmentRule { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "no-assessment-rule",
                "The assessment rules have no levels for that period",
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "The gateway failed; the request id names it in the logs",
            ),
        }
    }

    pub fn code(&self) -> &'static str {
        self.describe().1
    }

    /// One error of each kind: the table of problem types the OpenAPI document names.
    pub(crate) fn kinds() -> Vec<ApiError> {
        let text = String::new;
        vec![
            ApiError::InvalidField { field: text(), detail: text() },
            ApiError::InvalidBody { detail: text() },
            ApiError::InvalidParameter { parameter: "", detail: text() },
            ApiError::UnsupportedMediaType,
            ApiError::UnknownApplicant,
            ApiError::NotFound,
            ApiError::DecisionConflict { field: text() },
            ApiError::ReferralConflict { field: text() },
            ApiError::NoCoFinancing,
            ApiError::RegistryFailed { system: System::Spolis, reason: GapReason::Unavailable },
            ApiError::RegistryTimeout { system: System::Spolis },
            ApiError::NotConfigured { system: System::Kim },
            ApiError::StoreUnavailable,
            ApiError::AuditUnavailable,
            ApiError::TooManyRequests { retry_after_secs: 1 },
            ApiError::Overloaded { retry_after_secs: 1 },
            ApiError::MethodNotAllowed,
            ApiError::PayloadTooLarge,
            ApiError::UriTooLong,
            ApiError::RequestTimeout,
            ApiError::Unauthenticated { detail: text() },
            ApiError::Forbidden { detail: text() },
            ApiError::OfficerNotCaller,
            ApiError::PurposeNotPermitted,
            ApiError::NamedMembersNotPermitted,
            ApiError::NoAssessmentRule { detail: text() },
            ApiError::Internal,
        ]
    }
}

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:registry-gateway:problem:` and the code: stable, for programs to act on.
    #[serde(rename = "type")]
    #[schema(example = "urn:registry-gateway:problem:invalid-field")]
    pub kind: String,
    /// The code's summary in English; the same for every problem of a type.
    pub title: &'static str,
    /// The HTTP status of the answer.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What was wrong in this request, never quoting what was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The field at fault, as a JSON pointer into the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The path or query parameter at fault, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<&'static str>,
    /// The id the gateway's logs name this request by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl From<&ApiError> for Problem {
    fn from(error: &ApiError) -> Self {
        let (status, code, title) = error.describe();
        let (detail, field, parameter) = match error {
            ApiError::InvalidField { field, detail } => (Some(detail.clone()), Some(field.clone()), None),
            ApiError::InvalidBody { detail }
            | ApiError::NoAssessmentRule { detail }
            | ApiError::Unauthenticated { detail }
            | ApiError::Forbidden { detail } => (Some(detail.clone()), None, None),
            ApiError::DecisionConflict { field } | ApiError::ReferralConflict { field } => {
                (None, Some(field.clone()), None)
            }
            ApiError::InvalidParameter { parameter, detail } => (Some(detail.clone()), None, Some(*parameter)),
            // The system and a reason from a fixed list: nothing the caller sent.
            ApiError::RegistryFailed { system, reason } => (Some(format!("{system}: {}", reason.as_str())), None, None),
            ApiError::RegistryTimeout { system } => (Some(format!("{system}: timeout")), None, None),
            ApiError::NotConfigured { system } => (Some(format!("{system} is not configured")), None, None),
            _ => (None, None, None),
        };
        Problem {
            kind: format!("{PROBLEM_TYPE_PREFIX}{code}"),
            title,
            status: status.as_u16(),
            detail,
            field,
            parameter,
            request_id: current_request_id().map(|id| id.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem::from(&self);
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(
                request_id = problem.request_id.as_deref(),
                code = self.code(),
                status = problem.status,
                "Request failed."
            );
        } else {
            tracing::info!(
                request_id = problem.request_id.as_deref(),
                code = self.code(),
                status = problem.status,
                "Request answered with a problem."
            );
        }
        let retry_after = match &self {
            ApiError::Overloaded { retry_after_secs } | ApiError::TooManyRequests { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            ApiError::StoreUnavailable | ApiError::AuditUnavailable => Some(STORE_RETRY_AFTER_SECS),
            _ => None,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(self, ApiError::Unauthenticated { .. }) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
