//! VSAA's XML messages, as `schemas/vsaa/income.xsd` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const NAMESPACE: &str = "urn:lv:vsaa:income:v1";
pub(super) const GET_PERSON_INCOMES: &str = "urn:lv:vsaa:income:v1:GetPersonIncomes";
pub(super) const PATH: &str = "/vsaa/income/v1";

#[derive(Serialize)]
#[serde(rename = "GetPersonIncomesRequest", rename_all = "PascalCase")]
pub(super) struct GetPersonIncomesRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub person_code: &'a str,
    pub from_month: String,
    pub to_month: String,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "GetPersonIncomesResponse")]
    pub response: GetPersonIncomesResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetPersonIncomesResponse {
    pub person_code: String,
    #[serde(default)]
    pub income: Vec<Income>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Income {
    pub record_id: String,
    pub month: String,
    pub kind: String,
    pub amount: String,
}
