//! Status decisions the case system makes and the partner registries must learn of, and the
//! port that delivers them.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::{PersonCode, RequestContext, SourceError, System};

/// Members a decision may name at most.
pub const MAX_DECISION_MEMBERS: usize = 20;

/// A household's status as the social service decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    /// Needy ("trūcīga"): income under the needy threshold.
    Needy,
    /// Low-income ("maznodrošināta"): income under the municipality's low-income threshold.
    LowIncome,
    /// A status granted earlier ends.
    Ended,
}

/// One decision, at one version. A later version of the same reference replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusDecision {
    /// The case system's decision number, e.g. `TUK-2026-000123`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::DecisionRef))]
    pub decision_ref: String,
    /// 1 for the first decision; each amendment increments it.
    #[cfg_attr(feature = "openapi", schema(format = Int64, minimum = 1, maximum = 4_294_967_295_u32))]
    pub version: u32,
    pub status: HouseholdStatus,
    /// The household's members; the first is the applicant.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub members: Vec<PersonCode>,
    #[serde(with = "crate::iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::DecisionDate))]
    pub valid_from: Date,
    #[serde(default, with = "crate::iso_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::DecisionDate>))]
    pub valid_to: Option<Date>,
}

/// Why a decision cannot be accepted; the field is a JSON pointer. Messages carry no personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct DecisionError {
    pub field: String,
    pub reason: String,
}

/// What a decision reference may be, in words for problem details.
pub const DECISION_REF_RULE: &str = "1-64 characters: letters, digits and - _ . (not only dots)";

/// The dates a decision's validity may start or end on.
const DECISION_DATES: std::ops::RangeInclusive<time::Date> =
    time::macros::date!(2000 - 01 - 01)..=time::macros::date!(2099 - 12 - 31);

/// Whether `raw` is a decision reference: 1-64 letters, digits, `-`, `_` and `.`, not only
/// dots. It names a resource in a URL path, so no `/` and no `.` or `..`.
pub fn is_decision_ref(raw: &str) -> bool {
    (1..=64).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && !raw.bytes().all(|b| b == b'.')
}

impl StatusDecision {
    /// Checks what types alone cannot: reference shape, version, members, dates.
    pub fn validate(&self) -> Result<(), DecisionError> {
        let error = |field: &str, reason: &str| Err(DecisionError { field: field.into(), reason: reason.into() });
        if !is_decision_ref(&self.decision_ref) {
            return error("/decision_ref", DECISION_REF_RULE);
        }
        if self.version == 0 {
            return error("/version", "versions start at 1");
        }
        if self.members.is_empty() || self.members.len() > MAX_DECISION_MEMBERS {
            return error("/members", "a decision names 1 to 20 members");
        }
        for (i, member) in self.members.iter().enumerate() {
            if self.members[..i].contains(member) {
                return error(&format!("/members/{i}"), "a member is named twice");
            }
        }
        if !DECISION_DATES.contains(&self.valid_from) {
            return error("/valid_from", "a decision date lies between 2000-01-01 and 2099-12-31");
        }
        if self.valid_to.is_some_and(|to| !DECISION_DATES.contains(&to)) {
            return error("/valid_to", "a decision date lies between 2000-01-01 and 2099-12-31");
        }
        if self.valid_to.is_some_and(|to| to < self.valid_from) {
            return error("/valid_to", "valid_to must not be before valid_from");
        }
        Ok(())
    }
}

/// The key a partner deduplicates deliveries by: the same decision version sent to the same
/// partner always carries the same key, so a repeated delivery is recognised as one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn derive(decision_ref: &str, version: u32, partner: System) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(decision_ref.as_bytes());
        hasher.update([0]);
        hasher.update(version.to_be_bytes());
        hasher.update(partner.key().as_bytes());
        Self(hex::encode(&hasher.finalize()[..16]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a partner confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub partner: System,
    /// The partner's own reference of the accepted message.
    pub partner_ref: String,
    /// The partner had already accepted this key; nothing changed there.
    pub duplicate: bool,
}

/// How a delivery failed: for good, or for now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinkError {
    /// The partner refused the message; sending it again cannot help.
    #[error("the partner rejected the message with code {code}")]
    Rejected { code: String },
    /// The partner could not take it now; a later attempt may succeed.
    #[error("delivery failed for now: {0}")]
    Transient(SourceError),
}

impl SinkError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SinkError::Rejected { .. })
    }

    /// Whether the message never left the gateway (its circuit breaker was open): not an attempt.
    pub fn is_shed(&self) -> bool {
        matches!(self, SinkError::Transient(source) if source.is_shed())
    }
}

impl From<SourceError> for SinkError {
    fn from(error: SourceError) -> Self {
        match error {
            SourceError::Rejected { code } => SinkError::Rejected { code },
            SourceError::NotFound => SinkError::Rejected { code: "not-found".into() },
            other => SinkError::Transient(other),
        }
    }
}

/// A partner registry that must learn of status decisions.
#[async_trait]
pub trait StatusSink: Send + Sync {
    fn system(&self) -> System;

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError>;
}
