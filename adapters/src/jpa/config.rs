//! Settings of the JPA adapter.

use crate::status_notification::NotificationConfig;

/// How to reach the Legal Aid Administration; notifications go to
/// `{base_url}/jpa/v1/status-notifications`.
pub type JpaConfig = NotificationConfig;
