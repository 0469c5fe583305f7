//! Purposes and their data access profiles: for each purpose a caller may state, the legal
//! basis it rests on and the registries and topics it may ask. A purpose without a profile is
//! refused; a registry or topic outside the profile is not asked, and its facts show as
//! `not_permitted` gaps.

use std::collections::HashMap;

use gateway_domain::{GapTopic, Purpose, System};
use serde::Deserialize;

/// One purpose's profile: `[purposes.<purpose>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The law and article the purpose rests on; the default legal basis of its requests.
    pub legal_basis: String,
    /// The registries it may ask (default: every one). The Population Register is always
    /// asked: it says who the household is.
    #[serde(default = "every_system")]
    pub registries: Vec<System>,
    /// The topics it may ask about (default: every one). A registry that answers several is
    /// asked only when the profile permits them all.
    #[serde(default = "every_topic")]
    pub topics: Vec<GapTopic>,
    /// Whether the caller may name members itself, beside those declared with the applicant
    /// (default true).
    #[serde(default = "yes")]
    pub named_members: bool,
}

fn every_system() -> Vec<System> {
    System::ALL.to_vec()
}

fn every_topic() -> Vec<GapTopic> {
    GapTopic::ALL.to_vec()
}

fn yes() -> bool {
    true
}

impl Profile {
    fn everything(legal_basis: &str) -> Self {
        Self { legal_basis: legal_basis.into(), registries: every_system(), topics: every_topic(), named_members: true }
    }

    /// Whether `system` may be asked what it answers: `topics`.
    pub fn permits(&self, system: System, topics: &[GapTopic]) -> bool {
        system == System::Pmlp
            || (self.registries.contains(&system) && topics.iter().all(|topic| self.topics.contains(topic)))
    }
}

/// Every configured purpose's profile.
#[derive(Debug, Clone)]
pub struct Profiles(HashMap<Purpose, Profile>);

impl Profiles {
    /// The configured profiles, or without any, the shipped ones: each purpose with its usual
    /// legal basis and every registry.
    pub fn new(configured: Option<&HashMap<Purpose, Profile>>) -> Self {
        match configured {
            Some(profiles) => Self(profiles.clone()),
            None => Self(HashMap::from([
                (
                    Purpose::MeansTest,
                    Profile::everything(
                        "Social Services and Social Assistance Law, art. 33; Cabinet Regulation No. 809 (2020)",
                    ),
                ),
                (
                    Purpose::StatusReview,
                    Profile::everything(
                        "Social Services and Social Assistance Law, art. 33; Cabinet Regulation No. 809 (2020)",
                    ),
                ),
                (Purpose::SocialAssistance, Profile::everything("Social Services and Social Assistance Law, art. 9")),
            ])),
        }
    }

    pub fn get(&self, purpose: Purpose) -> Option<&Profile> {
        self.0.get(&purpose)
    }
}
