//! NVA's part of the status-notification contract (`schemas/nva/`); the messages themselves
//! are the shared ones of `crate::status_notification`.

/// Where notifications are posted.
pub(super) const PATH: &str = "/nva/v1/status-notifications";
/// What every problem `type` of NVA's starts with; the rest is its code.
pub(super) const PROBLEM_PREFIX: &str = "urn:lv:nva:problem:";
