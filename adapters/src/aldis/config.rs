//! Settings of the ALDIS adapter.

use crate::status_notification::NotificationConfig;

/// How to reach ALDIS; notifications go to `{base_url}/aldis/v1/status-notifications`.
pub type AldisConfig = NotificationConfig;
