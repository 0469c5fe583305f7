//! VTUA's XML messages, as `schemas/vtua/machinery.xsd` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

use crate::transport::SoapOperation;

/// The operation: the service's path, namespace and `SOAPAction`.
pub(super) const OPERATION: SoapOperation = SoapOperation {
    path: "/vtua/machinery/v1",
    namespace: "urn:lv:vtua:machinery:v1",
    action: "urn:lv:vtua:machinery:v1:GetPersonMachinery",
};

#[derive(Serialize)]
#[serde(rename = "GetPersonMachineryRequest", rename_all = "PascalCase")]
pub(super) struct GetPersonMachineryRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub person_code: &'a str,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "GetPersonMachineryResponse")]
    pub response: GetPersonMachineryResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetPersonMachineryResponse {
    pub person_code: String,
    #[serde(default)]
    pub machine: Vec<Machine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Machine {
    pub record_id: String,
    pub registration_number: String,
    pub kind: String,
    pub make: String,
    /// Text, so that a value off the contract is a malformed answer rather than a parse error.
    pub year_of_manufacture: String,
    pub role: String,
}
