//! State co-financing of municipal benefits, as SPOLIS confirms it per municipality and month.
//! The state co-finances 30 % of the guaranteed minimum income (GMI) benefit and of the
//! housing benefit a municipality paid.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{Money, Month, Provenance, RequestContext, SourceError};

/// The share of a paid benefit the state co-finances, in percent.
pub const CO_FINANCING_PERCENT: i64 = 30;

/// The co-financed part of `paid`: 30 % computed exactly in cents and rounded once, half away
/// from zero (12 345 cents paid give 3 703.5, so 3 704 cents).
pub fn co_financed_share(paid: Money) -> Money {
    let product = i128::from(paid.cents()) * i128::from(CO_FINANCING_PERCENT);
    let q = product / 100;
    let r = product % 100;
    let adjusted = if 2 * r.abs() >= 100 { q + product.signum() } else { q };
    Money::from_cents(adjusted as i64)
}

/// A benefit the state co-finances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoFinancedBenefit {
    /// The guaranteed minimum income benefit.
    GuaranteedMinimumIncome,
    /// The housing benefit.
    HousingBenefit,
}

/// One benefit's confirmation for one municipality and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoFinancingConfirmation {
    pub benefit: CoFinancedBenefit,
    /// Households the municipality paid the benefit to.
    pub households: u32,
    /// What the municipality paid, in cents.
    #[serde(rename = "paid_cents")]
    pub paid: Money,
    /// What the state co-finances, in cents.
    #[serde(rename = "co_financed_cents")]
    pub co_financed: Money,
    pub provenance: Provenance,
}

/// Everything SPOLIS confirmed for one municipality and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoFinancingStatement {
    pub municipality: String,
    pub month: Month,
    pub confirmations: Vec<CoFinancingConfirmation>,
}

/// A municipality's key, e.g. `tukums`: lowercase words of `a`-`z` joined by hyphens, at most
/// 40 characters. It goes into registry URLs, so nothing else can pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MunicipalityKey(String);

/// Why a text is not a municipality key. Never repeats the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a municipality is its lowercase key, e.g. tukums")]
pub struct MunicipalityKeyError;

impl MunicipalityKey {
    pub fn parse(raw: &str) -> Result<Self, MunicipalityKeyError> {
        let shaped = (1..=40).contains(&raw.len())
            && raw.split('-').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()));
        if shaped { Ok(Self(raw.to_owned())) } else { Err(MunicipalityKeyError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MunicipalityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where co-financing confirmations come from.
#[async_trait]
pub trait CoFinancingSource: Send + Sync {
    /// The confirmations for `municipality` (its lowercase key, e.g. `tukums`) in `month`.
    async fn confirmations(
        &self,
        municipality: &str,
        month: Month,
        ctx: &RequestContext,
    ) -> Result<CoFinancingStatement, SourceError>;
}
