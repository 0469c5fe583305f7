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
    /// State Employment Agency: unemployed status, unemployment benefit, stipends.
    Nva,
    /// State Medical Commission for the Assessment of Health Condition and Working Ability: disability.
    Vdeavk,
    /// Land Registry (Zemesgrāmata): ownership of real estate.
    LandRegistry,
    /// State Land Service (VZD) cadastre: properties and their cadastral values.
    Cadastre,
    /// Welfare Ministry's SPOLIS: state co-financing in, monitoring records out.
    Spolis,
    /// Orphans' court information system.
    Baris,
    /// Municipal housing register.
    Bridzis,
    /// Property-tax administration.
    Nino,
}

impl System {
    /// Every system with an adapter and a simulator, in a fixed order.
    pub const ALL: &'static [System] = &[
        System::Pmlp,
        System::Vsaa,
        System::Nva,
        System::Vdeavk,
        System::LandRegistry,
        System::Cadastre,
        System::Spolis,
        System::Baris,
        System::Bridzis,
        System::Nino,
    ];

    /// The short lowercase name used in config keys, logs and URLs.
    pub fn key(self) -> &'static str {
        match self {
            System::Pmlp => "pmlp",
            System::Vsaa => "vsaa",
            System::Nva => "nva",
            System::Vdeavk => "vdeavk",
            System::LandRegistry => "land_registry",
            System::Cadastre => "cadastre",
            System::Spolis => "spolis",
            System::Baris => "baris",
            System::Bridzis => "bridzis",
            System::Nino => "nino",
        }
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
