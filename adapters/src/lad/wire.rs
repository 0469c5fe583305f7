//! LAD's JSON messages, as `schemas/lad/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/lad/v1/support-payments/search";

/// `support-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SupportQuery<'a> {
    pub person_code: &'a str,
    pub from_month: String,
    pub to_month: String,
}

/// `support-payments.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SupportPayments {
    pub person_code: String,
    pub payments: Vec<Payment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Payment {
    pub record_id: String,
    pub month: String,
    pub scheme_code: String,
    pub scheme_name: String,
    pub amount: String,
}
