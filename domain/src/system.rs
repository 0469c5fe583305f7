//! The external systems the gateway talks to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An external system, by its customary Latvian abbreviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum System {
    /// Population Register (Register of Natural Persons), kept by PMLP.
    Pmlp,
    /// State Social Insurance Agency: pensions, benefits, insured income.
    Vsaa,
}

impl System {
    /// Every system, in a fixed order.
    pub const ALL: &'static [System] = &[System::Pmlp, System::Vsaa];

    /// The short lowercase name used in config keys, logs and URLs.
    pub fn key(self) -> &'static str {
        match self {
            System::Pmlp => "pmlp",
            System::Vsaa => "vsaa",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
