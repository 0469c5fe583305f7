//! The EU food and basic material aid kits (KIM, the kit module of the Welfare Ministry's aid
//! programme): a household the social service found needy or low-income may receive kits from
//! a partner organisation; KIM learns the household's status and reports the kits issued.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Month, Organisation, PersonCode, Provenance, RequestContext, SourceError};

/// What a kit holds (the programme's four kinds of package).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KitKind {
    /// A food package.
    Food,
    /// A hygiene and household goods package.
    Hygiene,
    /// An individual package for an infant up to two years old.
    Infant,
    /// School supplies for a child in education.
    SchoolSupplies,
}

/// Kits of one kind issued to one household on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitIssue {
    /// The status decision the household received the kits under.
    pub decision_ref: String,
    /// The member who collected the kits.
    pub recipient: PersonCode,
    pub kind: KitKind,
    /// How many kits of the kind were issued.
    pub count: u32,
    #[serde(with = "crate::iso_date")]
    pub issued_on: Date,
    /// The partner organisation that issued them.
    pub distributor: Organisation,
    pub provenance: Provenance,
}

/// KIM's record of the kits issued.
#[async_trait]
pub trait FoodAidKits: Send + Sync {
    /// Every kit issue recorded for a month, in KIM's order.
    async fn kits_issued(&self, month: Month, ctx: &RequestContext) -> Result<Vec<KitIssue>, SourceError>;
}
