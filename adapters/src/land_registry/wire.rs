//! The Land Registry's XML messages, as `schemas/land_registry/ownership.xsd` defines them.
//! Private to the adapter.

use serde::{Deserialize, Serialize};

use crate::transport::SoapOperation;

/// The operation: the service's path, namespace and `SOAPAction`.
pub(super) const OPERATION: SoapOperation = SoapOperation {
    path: "/zemesgramata/ownership/v1",
    namespace: "urn:lv:zemesgramata:ownership:v1",
    action: "urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships",
};

#[derive(Serialize)]
#[serde(rename = "GetPersonOwnershipsRequest", rename_all = "PascalCase")]
pub(super) struct GetOwnershipsRequest<'a> {
    #[serde(rename = "@xmlns")]
    pub ns: &'static str,
    pub person_code: &'a str,
}

#[derive(Deserialize)]
pub(super) struct ResponseBody {
    #[serde(rename = "GetPersonOwnershipsResponse")]
    pub response: GetOwnershipsResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetOwnershipsResponse {
    pub person_code: String,
    #[serde(default)]
    pub ownership: Vec<Ownership>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Ownership {
    pub record_id: String,
    pub folio_number: String,
    pub cadastral_number: String,
    pub property_kind: String,
    pub share: Share,
}

/// Kept as text: `xs:positiveInteger` has no upper bound, so the mapping decides what fits.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Share {
    pub numerator: String,
    pub denominator: String,
}
