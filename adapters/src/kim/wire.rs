//! KIM's JSON messages, as `schemas/kim/` defines them: its part of the status-notification
//! contract (the messages are the shared ones of `crate::status_notification`) and the page of
//! kit issues. Private to the adapter.

use serde::Deserialize;

/// Where notifications are posted.
pub(super) const NOTIFICATIONS_PATH: &str = "/kim/v1/status-notifications";
/// Where the kits issued are read, `?month=YYYY-MM&page=N`.
pub(super) const KIT_ISSUES_PATH: &str = "/kim/v1/kit-issues";
/// What every problem `type` of KIM's starts with; the rest is its code.
pub(super) const PROBLEM_PREFIX: &str = "urn:lv:kim:problem:";
/// The most pages one month is read in: KIM serves 100 issues a page, and a county's month
/// is far fewer than 100 000 issues.
pub(super) const MAX_PAGES: u32 = 1_000;

/// `kit-issues.schema.json`: one page of a month's kit issues.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct KitIssuePage {
    pub month: String,
    pub page: u32,
    pub more: bool,
    pub issues: Vec<KitIssue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct KitIssue {
    pub record_id: String,
    pub decision_number: String,
    pub recipient_person_code: String,
    pub kit_kind: String,
    pub count: u32,
    pub issued_on: String,
    pub distributor: Distributor,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Distributor {
    pub registration_number: String,
    pub name: String,
}
