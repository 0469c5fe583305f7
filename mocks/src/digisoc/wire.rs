//! DigiSoc's JSON messages as `schemas/digisoc/` defines them, written for the simulator from
//! the schema (not from the adapter's wire types), so that a round trip tests the adapter.

use gateway_domain::ExecutionReport;
use serde::{Deserialize, Serialize};

/// `referral.schema.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReferralIn {
    pub(super) referral_ref: String,
    pub(super) version: u32,
    pub(super) decision_ref: String,
    pub(super) case_ref: String,
    pub(super) person: String,
    pub(super) service: String,
    pub(super) provider: String,
    #[serde(default)]
    pub(super) carer: Option<String>,
    pub(super) for_parents_employment: bool,
    pub(super) volume: VolumeIn,
    pub(super) valid_from: String,
    pub(super) valid_to: String,
    pub(super) state: String,
}

/// `referral.schema.json#/$defs/volume`.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum VolumeIn {
    HomeCareLevel { level: u8 },
    HoursPerMonth { hours: u32 },
    DaysPerMonth { days: u32 },
    Days { days: u32 },
    AmountCents { cents: i64 },
}

/// `referral-receipt.schema.json`.
#[derive(Serialize)]
pub(super) struct ReceiptOut<'a> {
    pub(super) receipt_id: &'a str,
    pub(super) idempotency_key: &'a str,
    pub(super) result: &'static str,
    pub(super) referral_ref: &'a str,
    pub(super) version: u32,
    pub(super) received_at: &'a str,
}

/// `execution-reports.schema.json`.
#[derive(Serialize)]
pub(super) struct PageOut<'a> {
    pub(super) reports: Vec<ReportOut<'a>>,
    pub(super) next_cursor: String,
    pub(super) more: bool,
}

/// `execution-reports.schema.json#/$defs/report`.
#[derive(Serialize)]
pub(super) struct ReportOut<'a> {
    report_id: &'a str,
    revision: u32,
    referral_ref: &'a str,
    provider: &'a str,
    person: &'a str,
    service: &'static str,
    month: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    visits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<u32>,
    amount_cents: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    carer: Option<&'a str>,
}

impl<'a> From<&'a ExecutionReport> for ReportOut<'a> {
    fn from(report: &'a ExecutionReport) -> Self {
        Self {
            report_id: &report.report_id,
            revision: report.revision,
            referral_ref: &report.referral_ref,
            provider: &report.provider,
            person: report.person.as_str(),
            service: report.service.key(),
            month: report.month.to_string(),
            visits: report.visits,
            hours: report.hours,
            days: report.days,
            amount_cents: report.amount_cents,
            carer: report.carer.as_deref(),
        }
    }
}
