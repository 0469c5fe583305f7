//! ALDIS's part of the status-notification contract (`schemas/aldis/`); the messages
//! themselves are the shared ones of `crate::status_notification`.

/// Where notifications are posted.
pub(super) const PATH: &str = "/aldis/v1/status-notifications";
/// What every problem `type` of ALDIS's starts with; the rest is its code.
pub(super) const PROBLEM_PREFIX: &str = "urn:lv:aldis:problem:";
