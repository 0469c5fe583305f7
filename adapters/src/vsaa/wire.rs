//! VSAA's XML messages, as `schemas/vsaa/income.xsd` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

use crate::transport::SoapOperation;

/// The operation: the service's path, namespace and `SOAPAction`.
pub(super) const OPERATION: SoapOperation = SoapOperation {
    path: "/vsaa/income/v1",
    namespace: "urn:lv:vsaa:income:v1",
    action: "urn:lv:vsaa:income:v1:GetPersonIncomes",
};

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
