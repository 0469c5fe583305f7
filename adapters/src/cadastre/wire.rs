//! The cadastre's JSON messages, as `schemas/cadastre/` defines them. Private to the adapter.

use serde::Deserialize;

/// The path of a property; the cadastral number follows it.
pub(super) const PROPERTIES_PATH: &str = "/vzd/cadastre/v1/properties/";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Property {
    pub cadastral_number: String,
    pub kind: String,
    pub area: u64,
    /// Euro as a decimal string, parsed exactly by the mapping.
    pub cadastral_value: String,
}
