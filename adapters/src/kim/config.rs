//! Settings of the KIM adapter.

use crate::status_notification::NotificationConfig;

/// How to reach KIM; notifications go to `{base_url}/kim/v1/status-notifications` and the kits
/// issued are read from `{base_url}/kim/v1/kit-issues`.
pub type KimConfig = NotificationConfig;
