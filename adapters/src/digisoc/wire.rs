//! DigiSoc's JSON messages, as `schemas/digisoc/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const REFERRALS_PATH: &str = "/digisoc/v1/referrals";
pub(super) const REPORTS_PATH: &str = "/digisoc/v1/execution-reports";
pub(super) const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
pub(super) const PURPOSE_HEADER: &str = "x-purpose";
pub(super) const RESULT_CREATED: &str = "created";
pub(super) const RESULT_ALREADY_RECEIVED: &str = "already_received";
/// The most reports one page holds.
pub(super) const MAX_PAGE: u32 = 500;
/// The longest cursor DigiSoc issues.
pub(super) const MAX_CURSOR_LEN: usize = 256;

/// `referral.schema.json`.
#[derive(Serialize)]
pub(super) struct Referral<'a> {
    pub referral_ref: &'a str,
    pub version: u32,
    pub decision_ref: &'a str,
    pub case_ref: &'a str,
    pub person: &'a str,
    pub service: &'static str,
    pub provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carer: Option<&'a str>,
    pub for_parents_employment: bool,
    pub volume: Volume,
    pub valid_from: String,
    pub valid_to: String,
    pub state: &'static str,
}

/// `referral.schema.json#/$defs/volume`.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Volume {
    HomeCareLevel { level: u8 },
    HoursPerMonth { hours: u32 },
    DaysPerMonth { days: u32 },
    Days { days: u32 },
    AmountCents { cents: i64 },
}

/// `referral-receipt.schema.json`.
#[derive(Deserialize)]
pub(super) struct ReferralReceipt {
    pub receipt_id: String,
    pub idempotency_key: String,
    pub result: String,
    pub referral_ref: String,
    pub version: u32,
}

/// The query of `GET /digisoc/v1/execution-reports`.
#[derive(Serialize)]
pub(super) struct ReportsQuery<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<&'a str>,
    pub limit: u32,
}

/// `execution-reports.schema.json`.
#[derive(Deserialize)]
pub(super) struct ReportPage {
    pub reports: Vec<Report>,
    pub next_cursor: String,
    pub more: bool,
}

/// `execution-reports.schema.json#/$defs/report`. Amounts and counts are integers: a JSON
/// number with a fraction does not read.
#[derive(Deserialize)]
pub(super) struct Report {
    pub report_id: String,
    pub revision: u32,
    pub referral_ref: String,
    pub provider: String,
    pub person: String,
    pub service: String,
    pub month: String,
    #[serde(default)]
    pub visits: Option<u32>,
    #[serde(default)]
    pub hours: Option<u32>,
    #[serde(default)]
    pub days: Option<u32>,
    pub amount_cents: i64,
    #[serde(default)]
    pub carer: Option<String>,
}

/// `problem.schema.json`: only the code, the last segment of `type`, matters to the gateway.
#[derive(Deserialize)]
pub(super) struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
}
