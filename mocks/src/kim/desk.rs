//! What the KIM simulator keeps, and what tests read through it: the status decisions it
//! accepted (each version once, in the order accepted) with the [`Ledger`]'s counters per
//! idempotency key, and the kits it issues under them, the population's truth.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use gateway_domain::{HouseholdStatus, Month, StatusDecision};
use time::Duration;

use crate::deliveries::Ledger;
use crate::population::{KitEntitlement, Population, TrueKitIssue};

/// The KIM simulator's desk: its decisions, counters and kits. Clones share them.
#[derive(Clone, Default)]
pub struct KimDesk {
    ledger: Ledger,
    population: Option<Arc<Population>>,
    decisions: Arc<Mutex<Vec<StatusDecision>>>,
}

impl std::fmt::Debug for KimDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KimDesk").field("decisions", &self.decisions().len()).finish_non_exhaustive()
    }
}

impl KimDesk {
    /// A desk over the ledger the simulator's notifications are taken through.
    pub(super) fn new(population: Arc<Population>, ledger: Ledger) -> Self {
        Self { ledger, population: Some(population), decisions: Arc::default() }
    }

    fn decisions(&self) -> MutexGuard<'_, Vec<StatusDecision>> {
        self.decisions.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The ledger the simulator takes notifications through.
    pub(crate) fn ledger(&self) -> Ledger {
        self.ledger.clone()
    }

    /// Keeps a decision version the ledger accepted for the first time.
    pub(super) fn keep(&self, decision: StatusDecision) {
        self.decisions().push(decision);
    }

    /// Every decision version accepted, each once, in the order accepted.
    pub fn accepted(&self) -> Vec<StatusDecision> {
        self.decisions().clone()
    }

    /// Times each idempotency key was accepted: exactly-once delivery is every key at 1.
    pub fn accepted_keys(&self) -> HashMap<String, u32> {
        self.ledger.accepted()
    }

    /// What each decision entitles to, by its latest version accepted: a needy or low-income
    /// status for its days; an ending stops the status granted before it the day before it
    /// takes effect. In the order the decisions were first accepted.
    pub fn entitlements(&self) -> Vec<KitEntitlement> {
        let decisions = self.decisions();
        let mut order: Vec<&str> = Vec::new();
        for decision in decisions.iter() {
            if !order.contains(&decision.decision_ref.as_str()) {
                order.push(&decision.decision_ref);
            }
        }
        order
            .into_iter()
            .filter_map(|reference| {
                let versions = decisions.iter().filter(|d| d.decision_ref == reference);
                let latest = versions.clone().max_by_key(|d| d.version)?;
                let granted = versions.filter(|d| d.status != HouseholdStatus::Ended).max_by_key(|d| d.version)?;
                let valid_to = match latest.status {
                    HouseholdStatus::Ended => {
                        let end = latest.valid_from - Duration::days(1);
                        Some(granted.valid_to.map_or(end, |to| to.min(end)))
                    }
                    _ => latest.valid_to,
                };
                let status_of = if latest.status == HouseholdStatus::Ended { granted } else { latest };
                Some(KitEntitlement {
                    decision_ref: reference.to_owned(),
                    members: status_of.members.clone(),
                    valid_from: status_of.valid_from,
                    valid_to,
                })
            })
            .collect()
    }

    /// Every kit issued in `month`, in the order KIM serves them: decision by decision as
    /// first accepted, each decision's kits in the population's order.
    pub fn kits(&self, month: Month) -> Vec<TrueKitIssue> {
        let Some(population) = &self.population else { return Vec::new() };
        self.entitlements().iter().flat_map(|entitlement| population.food_aid_kits(entitlement, month)).collect()
    }
}
