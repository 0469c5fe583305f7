//! The normalised model of the registry gateway and its ports (the traits adapters
//! implement). Nothing here knows about HTTP, XML or any registry's wire format.
#![forbid(unsafe_code)]

mod asset;
mod cofinancing;
mod company;
mod context;
mod dates;
mod decision;
mod food_aid;
mod gap;
mod household;
mod income;
mod money;
mod month;
#[cfg(feature = "openapi")]
pub mod openapi;
mod organisation;
mod person_code;
mod provenance;
mod referral;
mod source;
mod status;
mod system;
mod text;
mod vehicle;

pub use asset::{AssetKind, AssetRecord, CadastralProperty, Ownership, Share, ShareError};
pub use cofinancing::{
    CO_FINANCING_PERCENT, CoFinancedBenefit, CoFinancingConfirmation, CoFinancingSource, CoFinancingStatement,
    MunicipalityKey, MunicipalityKeyError, co_financed_share,
};
pub use company::{CompanyHolding, HoldingRole};
pub use context::{Purpose, RequestContext, RequestId};
pub use dates::{age_on, iso_date, parse_iso_date};
pub use decision::{
    DECISION_REF_RULE, DecisionError, HouseholdStatus, IdempotencyKey, MAX_DECISION_MEMBERS, Receipt, SinkError,
    StatusDecision, StatusSink, is_decision_ref,
};
pub use food_aid::{FoodAidKits, KitIssue, KitKind};
pub use gap::{Gap, GapReason, GapTopic};
pub use household::{HouseholdFacts, HouseholdRecord, Member, Membership, MonthlyTotal};
pub use income::{IncomeKind, IncomeRecord, SupportScheme};
pub use money::{Money, MoneyError};
pub use month::{MAX_PERIOD_MONTHS, Month, MonthError, Period};
pub use organisation::Organisation;
pub use person_code::{PersonCode, PersonCodeError, PersonCodeFormat, old_format_check_digit};
pub use provenance::Provenance;
pub use referral::{
    ExecutionReport, Referral, ReferralChannel, ReferralState, ReportPage, ServiceType, Volume, is_registration_number,
};
pub use source::{
    CIRCUIT_OPEN, Cadastre, DeclaredAddress, Fact, PersonQuery, PersonRecord, PersonSource, PopulationRegister,
    SourceError,
};
pub use status::{CareForm, EducationLevel, StatusDetail, StatusFact, StatusKind};
pub use system::{System, UnknownSystem};
pub use text::{CaseRef, LegalBasis, Officer, TextError, free_text};
pub use vehicle::{VehicleKind, VehicleRecord, VehicleRole};

#[cfg(test)]
mod tests;
