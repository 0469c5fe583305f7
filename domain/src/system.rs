//! The external systems the gateway talks to: the one list every other list derives from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares [`System`] from one table: each variant with its description and key, in the
/// order of [`System::ALL`].
macro_rules! systems {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $key:literal, )+) => {
        /// An external system, by its customary Latvian abbreviation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum System {
            $( $(#[doc = $doc])+ #[serde(rename = $key)] $variant, )+
        }

        impl System {
            /// Every system with an adapter and a simulator, in a fixed order.
            pub const ALL: &'static [System] = &[$(System::$variant),+];

            /// The short lowercase name used in config keys, logs and URLs.
            pub fn key(self) -> &'static str {
                match self {
                    $(System::$variant => $key,)+
                }
            }
        }
    };
}

systems! {
    /// Population Register (Register of Natural Persons), kept by PMLP.
    Pmlp = "pmlp",
    /// State Social Insurance Agency: pensions, benefits, insured income.
    Vsaa = "vsaa",
    /// State Employment Agency: unemployed status, unemployment benefit, stipends.
    Nva = "nva",
    /// State Medical Commission for the Assessment of Health Condition and Working Ability: disability.
    Vdeavk = "vdeavk",
    /// Land Registry (Zemesgrāmata): ownership of real estate.
    LandRegistry = "land_registry",
    /// State Land Service (VZD) cadastre: properties and their cadastral values.
    Cadastre = "cadastre",
    /// Welfare Ministry's SPOLIS: state co-financing in, monitoring records out.
    Spolis = "spolis",
    /// Orphans' court information system.
    Baris = "baris",
    /// Municipal housing register.
    Bridzis = "bridzis",
    /// Property-tax administration.
    Nino = "nino",
    /// Welfare Ministry's DigiSoc: referrals to service providers out, their execution reports in.
    Digisoc = "digisoc",
    /// Maintenance Guarantee Fund Administration: maintenance the fund paid per child and month.
    Ugfa = "ugfa",
    /// Legal Aid Administration: learns household statuses (state-ensured legal aid).
    Jpa = "jpa",
    /// Register of Enterprises: companies in which a person is a shareholder or board member.
    Ur = "ur",
    /// State Revenue Service: monthly employment income after tax per employer, and workplaces.
    Vid = "vid",
    /// Rural Support Service: agricultural and rural support paid, by scheme and month.
    Lad = "lad",
    /// Road Traffic Safety Directorate: road vehicles registered to a person, as owner or holder.
    Csdd = "csdd",
    /// State Technical Supervision Agency: tractors and self-propelled machinery registered to a person.
    Vtua = "vtua",
    /// State Education Information System: current enrolment in education.
    Viis = "viis",
    /// Minors' support information system: placement of a minor in out-of-family or institutional care.
    Npais = "npais",
    /// Protected-user system of the energy supply: learns which households are needy or low-income (protected users).
    Aldis = "aldis",
    /// EU food and basic material aid kit module: learns household statuses and reports the kits issued.
    Kim = "kim",
}

impl System {
    /// The system whose key is `key`.
    pub fn from_key(key: &str) -> Option<System> {
        System::ALL.iter().copied().find(|system| system.key() == key)
    }
}

/// A name that is not a system's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name} is not a system; systems are {}", System::ALL.iter().map(|s| s.key()).collect::<Vec<_>>().join(", "))]
pub struct UnknownSystem {
    pub name: String,
}

impl std::str::FromStr for System {
    type Err = UnknownSystem;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        System::from_key(key).ok_or_else(|| UnknownSystem { name: key.to_owned() })
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
