//! Referrals the social service sends service providers through DigiSoc, the execution reports
//! providers enter there, and the ports that carry both. Nothing here knows DigiSoc's wire.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::decision::{DecisionError, is_decision_ref};
use crate::{IdempotencyKey, Month, PersonCode, Receipt, RequestContext, SinkError, SourceError, System};

/// The social services a referral may be for (Cabinet Regulation No. 138 and the municipality's
/// binding regulations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    /// Home care ("aprūpe mājās"), at one of three levels.
    HomeCare,
    /// A day-care centre.
    DayCare,
    /// Social rehabilitation.
    SocialRehabilitation,
    /// Respite care ("atelpas brīža pakalpojums").
    RespiteCare,
    /// The care service for a disabled child aged 5-18.
    DisabledChildCare,
}

impl ServiceType {
    pub const ALL: &'static [ServiceType] = &[
        ServiceType::HomeCare,
        ServiceType::DayCare,
        ServiceType::SocialRehabilitation,
        ServiceType::RespiteCare,
        ServiceType::DisabledChildCare,
    ];

    /// The key used on the wire, in files and in reports.
    pub fn key(self) -> &'static str {
        match self {
            ServiceType::HomeCare => "home_care",
            ServiceType::DayCare => "day_care",
            ServiceType::SocialRehabilitation => "social_rehabilitation",
            ServiceType::RespiteCare => "respite_care",
            ServiceType::DisabledChildCare => "disabled_child_care",
        }
    }

    pub fn from_key(key: &str) -> Option<ServiceType> {
        ServiceType::ALL.iter().copied().find(|s| s.key() == key)
    }

    /// The kind of volume a referral for this service states.
    pub fn volume_kind(self) -> &'static str {
        match self {
            ServiceType::HomeCare => "home_care_level",
            ServiceType::DayCare => "days_per_month",
            ServiceType::SocialRehabilitation => "amount_cents",
            ServiceType::RespiteCare => "days",
            ServiceType::DisabledChildCare => "hours_per_month",
        }
    }
}

impl std::fmt::Display for ServiceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// How much of a service a referral grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Volume {
    /// Home care: level 1 (1-2 visits a week), 2 (3-5) or 3 (6-7).
    HomeCareLevel {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3))]
        level: u8,
    },
    /// Hours a month (the care service for a disabled child).
    HoursPerMonth {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 744))]
        hours: u32,
    },
    /// Days a month (day care).
    DaysPerMonth {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 31))]
        days: u32,
    },
    /// Days over the referral's whole period (respite care).
    Days {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 366))]
        days: u32,
    },
    /// A budget in euro cents over the referral's whole period (social rehabilitation).
    AmountCents {
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
        cents: i64,
    },
}

impl Volume {
    pub fn kind(self) -> &'static str {
        match self {
            Volume::HomeCareLevel { .. } => "home_care_level",
            Volume::HoursPerMonth { .. } => "hours_per_month",
            Volume::DaysPerMonth { .. } => "days_per_month",
            Volume::Days { .. } => "days",
            Volume::AmountCents { .. } => "amount_cents",
        }
    }
}

/// Whether a referral stands or was withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralState {
    #[default]
    Active,
    /// Withdrawn from `cancelled_from` on (a new version of the referral).
    Cancelled,
}

/// One referral, at one version: amendments and cancellations are later versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The case system's referral number, e.g. `TUK-NOS-2026-000123`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::DecisionRef))]
    pub referral_ref: String,
    /// 1 for the first; each amendment or cancellation increments it.
    #[cfg_attr(feature = "openapi", schema(format = Int64, minimum = 1, maximum = 4_294_967_295_u32))]
    pub version: u32,
    /// The decision that granted the service.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::DecisionRef))]
    pub decision_ref: String,
    /// The case (household) the client belongs to: per-household limits count over it.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::DecisionRef))]
    pub case_ref: String,
    pub person: PersonCode,
    pub service: ServiceType,
    /// The provider's registration number in the Register of Enterprises (11 digits).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{11}$"))]
    pub provider: String,
    /// A natural-person carer of the provider, for the care service for a disabled child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::openapi::DecisionRef>))]
    pub carer: Option<String>,
    /// Care service for a disabled child: whether it is granted for the parents' employment
    /// (80 hours a month) or not (40).
    #[serde(default)]
    pub for_parents_employment: bool,
    pub volume: Volume,
    #[serde(with = "crate::iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::ReferralDate))]
    pub valid_from: Date,
    #[serde(with = "crate::iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::openapi::ReferralDate))]
    pub valid_to: Date,
    #[serde(default)]
    pub state: ReferralState,
}

/// The dates a referral may start or end on.
const REFERRAL_DATES: std::ops::RangeInclusive<Date> =
    time::macros::date!(2020 - 01 - 01)..=time::macros::date!(2099 - 12 - 31);

/// Whether `raw` is a provider's registration number: 11 digits.
pub fn is_registration_number(raw: &str) -> bool {
    raw.len() == 11 && raw.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `raw` names a carer or a report: 1-64 letters, digits and `-_.`.
fn is_identifier(raw: &str) -> bool {
    is_decision_ref(raw)
}

impl Referral {
    /// The system every referral is delivered to.
    pub const RECIPIENT: System = System::Digisoc;

    /// Checks what types alone cannot. The field is a JSON pointer; no personal data.
    pub fn validate(&self) -> Result<(), DecisionError> {
        let error = |field: &str, reason: &str| Err(DecisionError { field: field.into(), reason: reason.into() });
        for (field, value) in [
            ("/referral_ref", &self.referral_ref),
            ("/decision_ref", &self.decision_ref),
            ("/case_ref", &self.case_ref),
        ] {
            if !is_decision_ref(value) {
                return error(field, crate::DECISION_REF_RULE);
            }
        }
        if self.version == 0 {
            return error("/version", "versions start at 1");
        }
        if !is_registration_number(&self.provider) {
            return error("/provider", "a registration number is 11 digits");
        }
        if self.carer.as_deref().is_some_and(|c| !is_identifier(c)) {
            return error("/carer", crate::DECISION_REF_RULE);
        }
        if self.volume.kind() != self.service.volume_kind() {
            return error("/volume/kind", "this service's volume is of another kind (see the contract)");
        }
        match self.volume {
            Volume::HomeCareLevel { level } if !(1..=3).contains(&level) => {
                return error("/volume/level", "home-care levels are 1, 2 and 3");
            }
            Volume::HoursPerMonth { hours } if hours == 0 || hours > 744 => {
                return error("/volume/hours", "1 to 744 hours a month");
            }
            Volume::DaysPerMonth { days } if days == 0 || days > 31 => {
                return error("/volume/days", "1 to 31 days a month");
            }
            Volume::Days { days } if days == 0 || days > 366 => return error("/volume/days", "1 to 366 days"),
            Volume::AmountCents { cents } if cents <= 0 || cents > 100_000_000 => {
                return error("/volume/cents", "a positive amount of at most 1 000 000 euro");
            }
            _ => {}
        }
        if !REFERRAL_DATES.contains(&self.valid_from) || !REFERRAL_DATES.contains(&self.valid_to) {
            return error("/valid_from", "a referral's dates lie between 2020-01-01 and 2099-12-31");
        }
        if self.valid_to < self.valid_from {
            return error("/valid_to", "valid_to must not be before valid_from");
        }
        Ok(())
    }

    /// Whether the referral covers any day of `month`.
    pub fn covers(&self, month: Month) -> bool {
        self.valid_from <= month.last_day() && self.valid_to >= month.first_day()
    }
}

/// What a provider entered for one client, referral and month. A correction is a new revision
/// of the same report id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionReport {
    pub report_id: String,
    pub revision: u32,
    /// The referral as the provider names it; it may name none the gateway sent.
    pub referral_ref: String,
    pub provider: String,
    pub person: PersonCode,
    pub service: ServiceType,
    pub month: Month,
    /// Home-care visits delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u32>,
    /// Hours delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// Days delivered (day care, respite care).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The cost of what was delivered, in euro cents.
    pub amount_cents: i64,
    /// The carer who delivered it, for the care service for a disabled child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carer: Option<String>,
}

impl ExecutionReport {
    /// Checks what a provider could get wrong: identifiers, amounts.
    pub fn validate(&self) -> Result<(), DecisionError> {
        let error = |field: &str, reason: &str| Err(DecisionError { field: field.into(), reason: reason.into() });
        if !is_identifier(&self.report_id) {
            return error("/report_id", crate::DECISION_REF_RULE);
        }
        if !is_identifier(&self.referral_ref) {
            return error("/referral_ref", crate::DECISION_REF_RULE);
        }
        if self.revision == 0 {
            return error("/revision", "revisions start at 1");
        }
        if !is_registration_number(&self.provider) {
            return error("/provider", "a registration number is 11 digits");
        }
        if self.amount_cents < 0 {
            return error("/amount_cents", "an amount is not negative");
        }
        Ok(())
    }
}

/// One page of execution reports, in the order DigiSoc recorded them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPage {
    pub reports: Vec<ExecutionReport>,
    /// Where the next page starts; stored with this page's reports.
    pub next_cursor: String,
    /// Whether more pages follow now.
    pub more: bool,
}

/// The service-provider platform: referrals go out to it, execution reports come back.
#[async_trait]
pub trait ReferralChannel: Send + Sync {
    fn system(&self) -> System;

    /// Delivers one referral version; the key makes a repeat a no-op there.
    async fn deliver(
        &self,
        referral: &Referral,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError>;

    /// The reports recorded after `cursor` (from the beginning when `None`), at most `limit`.
    async fn reports(&self, cursor: Option<&str>, limit: u32, ctx: &RequestContext) -> Result<ReportPage, SourceError>;
}
