//! Where a fact came from: which system, which record, when, for which request.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{RequestId, System};

/// Attached to every fact the gateway reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub system: System,
    /// The registry's own identifier of the record the fact came from.
    pub record_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub fetched_at: OffsetDateTime,
    pub request_id: RequestId,
}
