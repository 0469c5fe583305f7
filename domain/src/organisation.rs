//! An organisation a fact names: an employer, a school, a care institution, a company. Kept by
//! its registration number in the Register of Enterprises (or, for a public body, the number
//! the Treasury knows it by) and its name as the reporting register writes it.

use serde::{Deserialize, Serialize};

/// An organisation as a register names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Organisation {
    /// The 11-digit registration number (`40003032949`).
    pub registration_number: String,
    pub name: String,
}
