//! JPA's part of the status-notification contract (`schemas/jpa/`); the messages themselves
//! are the shared ones of `crate::status_notification`.

/// Where notifications are posted.
pub(super) const PATH: &str = "/jpa/v1/status-notifications";
/// What every problem `type` of JPA's starts with; the rest is its code.
pub(super) const PROBLEM_PREFIX: &str = "urn:lv:jpa:problem:";
