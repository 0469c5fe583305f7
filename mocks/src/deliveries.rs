//! What a partner simulator keeps of the status deliveries it received: the idempotency keys
//! it accepted, so that a repeated delivery is acknowledged as a duplicate and changes nothing,
//! and counters per key and per decision version, so that tests can prove exactly-once
//! delivery as the partner sees it.
//!
//! Each partner simulator reads its own wire format into a [`Message`]; what happens to it
//! then is the same for all of them ([`Ledger::receive`]): a message that does not read, names
//! a person the population does not know or comes with a key used for another message is
//! refused and counted so; anything else is accepted once and acknowledged as a duplicate after.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use gateway_domain::PersonCode;
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

use crate::population::Population;

const TIMESTAMP: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// The longest idempotency key a partner keeps; longer ones are invalid requests.
const MAX_KEY_LEN: usize = 128;

/// Whether `key` can be an idempotency key: 1 to 128 visible ASCII characters.
pub(crate) fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// One delivery as the ledger keeps it: its key, its decision version and a fingerprint of the rest.
#[derive(Debug, Clone)]
struct Delivery {
    key: String,
    decision_ref: String,
    version: u32,
    /// Everything else the message said, so that a key reused for another message is noticed.
    fingerprint: u64,
}

impl Delivery {
    /// A delivery whose fingerprint covers `parts`, the message's content in a fixed order.
    fn new(key: &str, decision_ref: &str, version: u32, parts: &[&str]) -> Self {
        let mut hasher = DefaultHasher::new();
        decision_ref.hash(&mut hasher);
        version.hash(&mut hasher);
        parts.hash(&mut hasher);
        Self { key: key.to_owned(), decision_ref: decision_ref.to_owned(), version, fingerprint: hasher.finish() }
    }
}

/// A status delivery as a partner read it from its wire format.
#[derive(Debug)]
pub(crate) struct Message<'m> {
    /// The decision reference and version, whatever the partner calls them.
    pub(crate) decision_ref: &'m str,
    pub(crate) version: u32,
    /// Everything else the message says but its members, in a fixed order.
    pub(crate) content: Vec<&'m str>,
    /// The members, applicant first.
    pub(crate) members: Vec<PersonCode>,
}

/// A delivery the partner took: new, or a repetition of one it had accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Received {
    pub(crate) accepted: Accepted,
    pub(crate) duplicate: bool,
}

/// Why the partner refused a delivery with a usable key; each is counted as a rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused<E> {
    /// The message did not read: the partner's own refusal.
    Invalid(E),
    /// The member at this position (0-based) is not known to the population.
    UnknownMember(usize),
    /// The key was accepted before with another message.
    KeyReused,
}

/// The partner's record of an accepted delivery, which a duplicate is answered with again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub(crate) receipt_id: String,
    /// When it was accepted, UTC, `YYYY-MM-DDThh:mm:ssZ`.
    pub(crate) received_at: String,
}

/// What the partner does with a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A new key: recorded.
    Accepted(Accepted),
    /// A key accepted before with the same message: nothing changes.
    Duplicate(Accepted),
    /// A key accepted before with another message: refused, nothing changes.
    KeyReused,
}

#[derive(Debug, Default)]
struct LedgerState {
    by_key: HashMap<String, (u64, Accepted)>,
    accepted: HashMap<String, u32>,
    duplicates: HashMap<String, u32>,
    rejected: HashMap<String, u32>,
    decisions: HashMap<(String, u32), u32>,
    next_receipt: u64,
}

/// A partner's deliveries and counters; clones share them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    state: Arc<Mutex<LedgerState>>,
}

impl Ledger {
    fn state(&self) -> std::sync::MutexGuard<'_, LedgerState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records `delivery` unless its key was accepted before; one lock, so that two deliveries
    /// of one key racing each other are one acceptance and one duplicate.
    fn record(&self, delivery: &Delivery, receipt_prefix: &str) -> Outcome {
        let mut state = self.state();
        if let Some((fingerprint, accepted)) = state.by_key.get(&delivery.key) {
            if *fingerprint != delivery.fingerprint {
                return Outcome::KeyReused;
            }
            let accepted = accepted.clone();
            *state.duplicates.entry(delivery.key.clone()).or_default() += 1;
            return Outcome::Duplicate(accepted);
        }
        state.next_receipt += 1;
        let accepted = Accepted {
            receipt_id: format!("{receipt_prefix}-{:09}", state.next_receipt),
            received_at: OffsetDateTime::now_utc().format(TIMESTAMP).unwrap_or_default(),
        };
        state.by_key.insert(delivery.key.clone(), (delivery.fingerprint, accepted.clone()));
        *state.accepted.entry(delivery.key.clone()).or_default() += 1;
        *state.decisions.entry((delivery.decision_ref.clone(), delivery.version)).or_default() += 1;
        Outcome::Accepted(accepted)
    }

    /// Takes a delivery that came with `key` as `read` from the wire: refuses it if it did not
    /// read, names a person `population` does not know or reuses a key, counting each refusal;
    /// else records it under receipt numbers starting `receipt_prefix`.
    pub(crate) fn receive<E>(
        &self,
        population: &Population,
        key: &str,
        read: Result<Message<'_>, E>,
        receipt_prefix: &str,
    ) -> Result<Received, Refused<E>> {
        let message = read.map_err(|refusal| {
            self.reject(key);
            Refused::Invalid(refusal)
        })?;
        if let Some(index) = unknown_member(population, &message.members) {
            self.reject(key);
            return Err(Refused::UnknownMember(index));
        }
        let mut parts = message.content;
        parts.extend(message.members.iter().map(PersonCode::as_str));
        match self.record(&Delivery::new(key, message.decision_ref, message.version, &parts), receipt_prefix) {
            Outcome::Accepted(accepted) => Ok(Received { accepted, duplicate: false }),
            Outcome::Duplicate(accepted) => Ok(Received { accepted, duplicate: true }),
            Outcome::KeyReused => {
                self.reject(key);
                Err(Refused::KeyReused)
            }
        }
    }

    /// Counts a permanent refusal of a delivery with `key`.
    fn reject(&self, key: &str) {
        *self.state().rejected.entry(key.to_owned()).or_default() += 1;
    }

    /// Times each idempotency key was accepted.
    pub(crate) fn accepted(&self) -> HashMap<String, u32> {
        self.state().accepted.clone()
    }

    /// Duplicate acknowledgements answered, per idempotency key.
    pub(crate) fn duplicates(&self) -> HashMap<String, u32> {
        self.state().duplicates.clone()
    }

    /// Refusals of a message that carried a usable idempotency key (invalid content, unknown
    /// person, key reused; authorisation aside), per key.
    pub(crate) fn rejected(&self) -> HashMap<String, u32> {
        self.state().rejected.clone()
    }

    /// Times each decision version (reference, version) was accepted, whatever its key: more
    /// than one means the partner took the same decision twice under different keys.
    pub(crate) fn accepted_decisions(&self) -> HashMap<(String, u32), u32> {
        self.state().decisions.clone()
    }
}

/// The position of the first member the population does not know, if any.
fn unknown_member(population: &Population, members: &[PersonCode]) -> Option<usize> {
    members.iter().position(|code| population.person(code).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_accepted_once_then_acknowledged_as_a_duplicate() {
        let ledger = Ledger::default();
        let delivery = Delivery::new("k1", "TUK-1", 1, &["NEEDY"]);
        let Outcome::Accepted(first) = ledger.record(&delivery, "R") else { panic!("accepted") };
        assert_eq!(ledger.record(&delivery, "R"), Outcome::Duplicate(first.clone()));
        assert_eq!(ledger.record(&delivery, "R"), Outcome::Duplicate(first));
        assert_eq!(ledger.accepted(), HashMap::from([("k1".to_owned(), 1)]));
        assert_eq!(ledger.duplicates(), HashMap::from([("k1".to_owned(), 2)]));
        assert_eq!(ledger.accepted_decisions(), HashMap::from([(("TUK-1".to_owned(), 1), 1)]));
    }

    #[test]
    fn a_key_reused_for_another_message_changes_nothing() {
        let ledger = Ledger::default();
        ledger.record(&Delivery::new("k1", "TUK-1", 1, &["NEEDY"]), "R");
        assert_eq!(ledger.record(&Delivery::new("k1", "TUK-1", 1, &["ENDED"]), "R"), Outcome::KeyReused);
        assert_eq!(ledger.accepted().len(), 1);
        assert!(ledger.duplicates().is_empty());
    }

    #[test]
    fn one_decision_under_two_keys_shows_in_the_decision_counter() {
        let ledger = Ledger::default();
        ledger.record(&Delivery::new("k1", "TUK-1", 1, &[]), "R");
        ledger.record(&Delivery::new("k2", "TUK-1", 1, &[]), "R");
        assert_eq!(ledger.accepted_decisions()[&("TUK-1".to_owned(), 1)], 2);
    }

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert!(valid_key("2b9f758fa8fa9122845822d13aca7fad"));
        assert!(!valid_key(""));
        assert!(!valid_key("a b"));
        assert!(!valid_key(&"a".repeat(MAX_KEY_LEN + 1)));
    }
}
