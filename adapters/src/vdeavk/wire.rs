//! VDEĀVK's XML messages, as `schemas/vdeavk/disability.xsd` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

use crate::transport::SoapOperation;

/// The operation: the service's path, namespace and `SOAPAction`.
pub(super) const OPERATION: SoapOperation = SoapOperation {
    path: "/vdeavk/disability/v1",
    namespace: "urn:lv:vdeavk:disability:v1",
    action: "urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations",
};

#[derive(Serialize)]
#[serde(rename = "GetDisabilityDeterminationsRequest", rename_all = "PascalCase")]
pub(super) struct GetDeterminationsRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub person_code: &'a str,
    pub from_date: String,
    pub to_date: String,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "GetDisabilityDeterminationsResponse")]
    pub response: GetDeterminationsResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetDeterminationsResponse {
    pub person_code: String,
    #[serde(default)]
    pub determination: Vec<Determination>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Determination {
    pub record_id: String,
    pub group: String,
    pub special_care: String,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
}
