//! The ports: what the income check asks of registries, and how a registry call fails.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    CadastralProperty, CompanyHolding, GapReason, GapTopic, IncomeRecord, Ownership, Period, PersonCode, Provenance,
    RequestContext, StatusFact, System, VehicleRecord,
};

/// How a call to a registry failed. Messages carry no personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The registry does not know the person or record asked for.
    #[error("the registry has no such record")]
    NotFound,
    /// The registry could not be reached or answered with a server error.
    #[error("the registry is unavailable: {detail}")]
    Unavailable { detail: String, retry_after: Option<Duration> },
    /// The call did not finish within its time.
    #[error("the registry did not answer in time")]
    Timeout,
    /// The registry throttled the caller.
    #[error("the registry throttled the request")]
    RateLimited { retry_after: Option<Duration> },
    /// The registry refused the request (authorisation, validation, a SOAP fault).
    #[error("the registry rejected the request with code {code}")]
    Rejected { code: String },
    /// The answer did not follow the registry's contract.
    #[error("the registry's answer is malformed: {detail}")]
    Malformed { detail: String },
}

/// The detail of the error a call gets when its system's circuit breaker is open: the call
/// never left the gateway.
pub const CIRCUIT_OPEN: &str = "circuit breaker open";

impl SourceError {
    /// Whether the call was shed by the gateway's own circuit breaker, never reaching the system.
    pub fn is_shed(&self) -> bool {
        matches!(self, SourceError::Unavailable { detail, .. } if detail == CIRCUIT_OPEN)
    }

    /// Whether repeating the same read may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SourceError::Unavailable { .. } | SourceError::Timeout | SourceError::RateLimited { .. })
    }

    pub fn gap_reason(&self) -> GapReason {
        match self {
            SourceError::NotFound => GapReason::NotFound,
            SourceError::Unavailable { .. } => GapReason::Unavailable,
            SourceError::Timeout => GapReason::Timeout,
            SourceError::RateLimited { .. } => GapReason::RateLimited,
            SourceError::Rejected { .. } => GapReason::Rejected,
            SourceError::Malformed { .. } => GapReason::Malformed,
        }
    }
}

/// A person as the Population Register knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub person_code: PersonCode,
    pub given_name: String,
    pub family_name: String,
    #[serde(with = "crate::iso_date::option")]
    pub birth_date: Option<Date>,
    pub provenance: Provenance,
}

/// A declared address, identified by its address-register code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredAddress {
    /// The State Address Register (VZD) code of the dwelling.
    pub address_code: String,
    pub address_text: String,
    #[serde(with = "crate::iso_date")]
    pub declared_from: Date,
    pub provenance: Provenance,
}

/// The Population Register: who a person is and who is declared with them.
#[async_trait]
pub trait PopulationRegister: Send + Sync {
    async fn person(&self, person: &PersonCode, ctx: &RequestContext) -> Result<PersonRecord, SourceError>;

    async fn declared_address(&self, person: &PersonCode, ctx: &RequestContext)
    -> Result<DeclaredAddress, SourceError>;

    /// Persons declared at an address.
    async fn residents(&self, address_code: &str, ctx: &RequestContext) -> Result<Vec<PersonRecord>, SourceError>;
}

/// What the income check asks of a person source for one household member.
#[derive(Debug, Clone)]
pub struct PersonQuery {
    pub person: PersonCode,
    pub period: Period,
}

/// One fact about a person, as a person source reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Income(IncomeRecord),
    Status(StatusFact),
    /// Real estate the person owns, as the Land Registry records it (its value comes from the
    /// cadastre, asked afterwards).
    Ownership(Ownership),
    /// A road vehicle (CSDD) or a tractor or machine (VTUA) registered to the person.
    Vehicle(VehicleRecord),
    /// A company in which the person holds capital or sits on the board (UR).
    Holding(CompanyHolding),
}

/// A registry that reports facts about one person at a time (incomes, statuses, assets).
#[async_trait]
pub trait PersonSource: Send + Sync {
    /// The system behind this source; gaps and provenance name it.
    fn system(&self) -> System;

    /// What this source answers, so that a failure becomes a gap on exactly those topics.
    fn topics(&self) -> &'static [GapTopic];

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError>;
}

/// The cadastre: a property's kind, area and cadastral value by its cadastral number.
#[async_trait]
pub trait Cadastre: Send + Sync {
    async fn property(&self, cadastral_number: &str, ctx: &RequestContext) -> Result<CadastralProperty, SourceError>;
}
