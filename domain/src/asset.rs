//! Real estate a person owns: the Land Registry's ownership (folio, share) joined with the
//! cadastre's property (kind, area, cadastral value). The join happens in the service; this
//! module holds the types and the one rounding of a share's value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Money, PersonCode, Provenance};

/// What a property is, as the Land Registry folio and the cadastre record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// A land property (with or without buildings on it).
    Land,
    /// A building property on someone else's land.
    Building,
    /// An apartment property.
    Apartment,
}

/// An owner's share of a property as an exact fraction, e.g. 1/2 or 3/8. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawShare")]
pub struct Share {
    numerator: u32,
    denominator: u32,
}

#[derive(Deserialize)]
struct RawShare {
    numerator: u32,
    denominator: u32,
}

/// Why two numbers are not a share.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a share is a fraction n/d with 0 < n <= d")]
pub struct ShareError;

impl TryFrom<RawShare> for Share {
    type Error = ShareError;
    fn try_from(raw: RawShare) -> Result<Self, ShareError> {
        Share::new(raw.numerator, raw.denominator)
    }
}

impl Share {
    /// A share as written in the folio; it is kept as written (2/4 stays 2/4), as the
    /// register's own record is what a caseworker compares it with.
    pub fn new(numerator: u32, denominator: u32) -> Result<Self, ShareError> {
        if numerator == 0 || denominator == 0 || numerator > denominator {
            return Err(ShareError);
        }
        Ok(Self { numerator, denominator })
    }

    pub fn numerator(self) -> u32 {
        self.numerator
    }

    pub fn denominator(self) -> u32 {
        self.denominator
    }

    /// This share of `value`: `value × numerator / denominator` computed exactly and rounded
    /// once, half away from zero, to the cent. Rounding happens here and nowhere else, so that
    /// a household's share values are each off by at most half a cent.
    pub fn of(self, value: Money) -> Money {
        let product = i128::from(value.cents()) * i128::from(self.numerator);
        let d = i128::from(self.denominator);
        let q = product / d;
        let r = product % d;
        let adjusted = if 2 * r.abs() >= d { q + product.signum() } else { q };
        // |share| <= |value|, so the result always fits.
        Money::from_cents(adjusted as i64)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// A person's ownership of a property, as the Land Registry records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ownership {
    pub person: PersonCode,
    pub kind: AssetKind,
    /// The property's cadastral number (11 digits), the key into the cadastre.
    pub cadastral_number: String,
    /// The Land Registry folio ("nodalījums") the property is recorded in.
    pub folio_number: String,
    pub share: Share,
    pub provenance: Provenance,
}

/// A property as the cadastre records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadastralProperty {
    pub cadastral_number: String,
    pub kind: AssetKind,
    /// Area in square metres.
    pub area_m2: u64,
    /// The cadastral value of the whole property, in cents.
    pub value: Money,
    pub provenance: Provenance,
}

/// A property a household member owns, with their share and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRecord {
    pub person: PersonCode,
    pub kind: AssetKind,
    pub cadastral_number: String,
    pub folio_number: String,
    pub share: Share,
    /// Area in square metres; `None` when the cadastre did not answer.
    pub area_m2: Option<u64>,
    /// The whole property's cadastral value; `None` when the cadastre did not answer.
    #[serde(rename = "cadastral_value_cents")]
    pub cadastral_value: Option<Money>,
    /// The member's share of the cadastral value, rounded once (see [`Share::of`]).
    #[serde(rename = "share_value_cents")]
    pub share_value: Option<Money>,
    /// The Land Registry's record, then the cadastre's when it answered.
    pub provenance: Vec<Provenance>,
}

impl AssetRecord {
    /// Joins an ownership with its property; without a property the value stays unknown.
    pub fn merge(ownership: Ownership, property: Option<&CadastralProperty>) -> Self {
        let mut provenance = vec![ownership.provenance];
        if let Some(p) = property {
            provenance.push(p.provenance.clone());
        }
        Self {
            person: ownership.person,
            kind: ownership.kind,
            cadastral_number: ownership.cadastral_number,
            folio_number: ownership.folio_number,
            share: ownership.share,
            area_m2: property.map(|p| p.area_m2),
            cadastral_value: property.map(|p| p.value),
            share_value: property.map(|p| ownership.share.of(p.value)),
            provenance,
        }
    }
}
