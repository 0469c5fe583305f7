//! Vehicles and machinery a person owns or holds: road vehicles as the Road Traffic Safety
//! Directorate (CSDD) registers them, tractors and other self-propelled machinery as the State
//! Technical Supervision Agency (VTUA) does. One shape serves both; the provenance names the
//! register. They are assets, judged beside incomes and never added to them.

use serde::{Deserialize, Serialize};

use crate::{PersonCode, Provenance};

/// What a vehicle is. The wire code of each kind belongs to the adapter that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleKind {
    /// A passenger car (category M1).
    PassengerCar,
    /// A goods vehicle (categories N1-N3).
    Truck,
    /// A bus or minibus (categories M2, M3).
    Bus,
    /// A motorcycle, tricycle or quadricycle (category L).
    Motorcycle,
    /// A moped (categories L1e, L2e).
    Moped,
    /// A trailer or semi-trailer of a road vehicle (category O).
    Trailer,
    /// A wheeled or tracked tractor (VTUA).
    Tractor,
    /// A self-propelled agricultural, forestry or construction machine (VTUA).
    SelfPropelledMachine,
    /// A tractor's trailer or towed machine (VTUA).
    TractorTrailer,
}

/// How the person stands to the vehicle in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleRole {
    /// The registered owner.
    Owner,
    /// The registered holder ("turētājs"): uses it under a lease or by the owner's leave.
    Holder,
}

/// A vehicle registered to a household member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleRecord {
    pub person: PersonCode,
    /// The registration number as the register writes it (`GR-4512`, `T1234LB`).
    pub registration_number: String,
    pub kind: VehicleKind,
    pub make: String,
    /// The year of manufacture.
    pub year: u16,
    pub role: VehicleRole,
    pub provenance: Provenance,
}
