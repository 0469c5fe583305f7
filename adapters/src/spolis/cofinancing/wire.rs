//! SPOLIS's co-financing JSON messages, as `schemas/spolis/cofinancing/` defines them. Private
//! to the adapter.

use serde::Deserialize;

/// The path of a statement; `{municipality}/{month}` follows it.
pub(super) const CONFIRMATIONS_PATH: &str = "/spolis/cofinancing/v1/confirmations/";
/// The co-financing API's own token endpoint, under its path prefix.
pub(super) const TOKEN_PATH: &str = "/spolis/cofinancing/oauth2/token";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Confirmations {
    pub municipality: String,
    pub month: String,
    pub confirmations: Vec<Confirmation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Confirmation {
    pub record_id: String,
    pub benefit: String,
    pub households: u32,
    pub paid_amount: String,
    pub co_financed_amount: String,
}
