//! CSDD's JSON messages, as `schemas/csdd/` defines them. Private to the adapter.

use serde::{Deserialize, Serialize};

pub(super) const SEARCH_PATH: &str = "/csdd/v1/vehicles/search";

/// `vehicle-query.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VehicleQuery<'a> {
    pub person_code: &'a str,
}

/// `vehicles.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Vehicles {
    pub person_code: String,
    pub vehicles: Vec<Vehicle>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Vehicle {
    pub record_id: String,
    pub registration_number: String,
    pub category: String,
    pub make: String,
    pub year_of_manufacture: u16,
    pub role: String,
}
