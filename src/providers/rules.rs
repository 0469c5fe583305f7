//! The limits of referred services as data: a dated table shipped as
//! `config/provider-rules.toml`, overridable whole from a file.

use std::path::Path;

use figment::Figment;
use figment::providers::{Format, Toml};
use gateway_domain::Month;
use serde::Deserialize;

/// The rules shipped with the gateway.
pub const SHIPPED_RULES: &str = include_str!("../../config/provider-rules.toml");

/// One home-care level's visits a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeCareLevel {
    pub level: u8,
    pub min_visits_per_week: u32,
    pub max_visits_per_week: u32,
}

/// The limits in force from a month on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceLimits {
    pub from: Month,
    pub home_care_levels: Vec<HomeCareLevel>,
    pub disabled_child_care_hours: u32,
    pub disabled_child_care_hours_not_for_employment: u32,
    pub children_per_carer: u32,
    pub respite_care_days_per_year: u32,
    pub social_rehabilitation_cents_per_child: i64,
    pub social_rehabilitation_cents_per_household: i64,
    pub social_rehabilitation_window_months: u32,
}

impl ServiceLimits {
    pub fn home_care(&self, level: u8) -> Option<HomeCareLevel> {
        self.home_care_levels.iter().copied().find(|l| l.level == level)
    }

    /// The hours a month the care service for a disabled child may have.
    pub fn disabled_child_hours(&self, for_parents_employment: bool) -> u32 {
        if for_parents_employment {
            self.disabled_child_care_hours
        } else {
            self.disabled_child_care_hours_not_for_employment
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<ServiceLimits>,
}

/// Why a rules file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProviderRulesError {
    #[error("cannot read the provider rules: {0}")]
    Read(String),
    #[error("the provider rules have no entry")]
    Empty,
    #[error("the provider rules' entries must be in order of their `from` month, each once")]
    Order,
    #[error("the provider rules of {0} must give home-care levels 1, 2 and 3 with min <= max")]
    Levels(Month),
}

/// Every dated entry, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRules {
    entries: Vec<ServiceLimits>,
}

impl ProviderRules {
    /// The shipped table.
    pub fn shipped() -> Self {
        Self::parse(Figment::from(Toml::string(SHIPPED_RULES))).expect("the shipped provider rules are valid")
    }

    /// The shipped table, or `file` in its place.
    pub fn load(file: Option<&Path>) -> Result<Self, ProviderRulesError> {
        match file {
            None => Ok(Self::shipped()),
            Some(path) => Self::parse(Figment::from(Toml::file_exact(path))),
        }
    }

    fn parse(figment: Figment) -> Result<Self, ProviderRulesError> {
        let file: RulesFile = figment.extract().map_err(|e| ProviderRulesError::Read(e.to_string()))?;
        let entries = file.rules;
        if entries.is_empty() {
            return Err(ProviderRulesError::Empty);
        }
        if entries.windows(2).any(|w| w[0].from >= w[1].from) {
            return Err(ProviderRulesError::Order);
        }
        for entry in &entries {
            let complete = (1..=3)
                .all(|level| entry.home_care(level).is_some_and(|l| l.min_visits_per_week <= l.max_visits_per_week));
            if !complete {
                return Err(ProviderRulesError::Levels(entry.from));
            }
        }
        Ok(Self { entries })
    }

    /// The entry in force in `month`; `None` before the first.
    pub fn for_month(&self, month: Month) -> Option<&ServiceLimits> {
        self.entries.iter().rev().find(|entry| entry.from <= month)
    }
}
