//! Settings of the NVA notifications adapter.

use crate::status_notification::NotificationConfig;

/// How to reach NVA's notification resource; notifications go to
/// `{base_url}/nva/v1/status-notifications`.
pub type NvaNotificationsConfig = NotificationConfig;
