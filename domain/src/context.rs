//! Who asks, why, and until when: carried by every call to a registry.

use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Identifies one request to the gateway across logs, registries and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestId(Uuid);

impl RequestId {
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why personal data is being asked for; registries log it against their permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Assessing a household's right to needy or low-income status.
    MeansTest,
    /// Assessing a right to a social service or benefit.
    SocialAssistance,
    /// Reviewing a status already granted.
    StatusReview,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::MeansTest => "means_test",
            Purpose::SocialAssistance => "social_assistance",
            Purpose::StatusReview => "status_review",
        }
    }
}

/// The context of one call to a registry.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: RequestId,
    pub purpose: Purpose,
    /// The law and article that allow the request.
    pub legal_basis: String,
    /// The case officer's user id in the case system (not a personal code).
    pub officer: String,
    /// When the whole request must be answered.
    pub deadline: Instant,
}
