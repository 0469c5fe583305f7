//! Companies in which a person holds capital or sits on the board, as the Register of
//! Enterprises (UR) records them: an asset beside real estate and vehicles.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Organisation, PersonCode, Provenance, Share};

/// How the person stands to the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldingRole {
    /// A shareholder ("dalībnieks"), with a share of the capital.
    Shareholder,
    /// A member of the board ("valdes loceklis").
    BoardMember,
}

/// One role of one member in one company. A member who is both shareholder and board member
/// has two holdings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyHolding {
    pub person: PersonCode,
    pub company: Organisation,
    pub role: HoldingRole,
    /// A shareholder's share of the capital as the register writes it (shares held of all
    /// shares); `None` for a board member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
    /// The day the register recorded the role.
    #[serde(with = "crate::iso_date")]
    pub since: Date,
    pub provenance: Provenance,
}
