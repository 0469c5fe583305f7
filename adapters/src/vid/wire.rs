//! VID's XML messages, as `schemas/vid/employment.xsd` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

use crate::transport::SoapOperation;

/// The operation: the service's path, namespace and `SOAPAction`.
pub(super) const OPERATION: SoapOperation = SoapOperation {
    path: "/vid/employment/v1",
    namespace: "urn:lv:vid:employment:v1",
    action: "urn:lv:vid:employment:v1:GetPersonEmployment",
};

#[derive(Serialize)]
#[serde(rename = "GetPersonEmploymentRequest", rename_all = "PascalCase")]
pub(super) struct GetPersonEmploymentRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub person_code: &'a str,
    pub from_month: String,
    pub to_month: String,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "GetPersonEmploymentResponse")]
    pub response: GetPersonEmploymentResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetPersonEmploymentResponse {
    pub person_code: String,
    #[serde(default)]
    pub income: Vec<Income>,
    #[serde(default)]
    pub employment: Vec<Employment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Employer {
    pub registration_number: String,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Income {
    pub record_id: String,
    pub month: String,
    pub employer: Employer,
    #[serde(default)]
    pub gross: Option<String>,
    #[serde(default)]
    pub tax_withheld: Option<String>,
    pub after_tax: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Employment {
    pub record_id: String,
    pub employer: Employer,
    pub start_date: String,
    #[serde(default)]
    pub end_date: Option<String>,
}
