//! UGFA's JSON messages, as `schemas/ugfa/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/ugfa/v1/maintenance-payments/search";

/// `maintenance-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MaintenanceQuery<'a> {
    pub person_code: &'a str,
    pub from_month: String,
    pub to_month: String,
}

/// `maintenance-payments.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MaintenancePayments {
    pub person_code: String,
    pub payments: Vec<Payment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Payment {
    pub record_id: String,
    pub month: String,
    pub age_group: String,
    pub amount: String,
}
