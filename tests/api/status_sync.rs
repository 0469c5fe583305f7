//! Delivery in-process, against test sinks, on both stores: transient failures and 429 storms
//! end with everything delivered once the partner recovers; a permanent rejection lands in dead
//! letters with its reason; every decision is accepted exactly once.

use std::sync::Arc;

use gateway_adapters::Partners;
use gateway_domain::{PersonCode, StatusSink, System};
use gateway_mocks::{FaultConfig, Simulators};
use registry_gateway::startup::partner_simulator_config;
use registry_gateway::status_sync::{Progress, REASON_REJECTED, StatusSync, StatusSyncConfig};
use registry_gateway::store::{DeadLetterFilter, Store, StoreConfig};

use crate::helpers::shared_population;
use crate::sync_helpers::{decision, fast_sync_config, household_decision, status_partners, stores};
use crate::sync_partners::{PartnerFaults, REJECTION_CODE, TestSink};

const PARTNERS: &[System] = &[System::Baris, System::Nino];

async fn seed(store: &Store, n: usize) {
    let decisions: Vec<_> = (0..n).map(decision).collect();
    store.store_messages(&decisions, PARTNERS).await.unwrap();
}

fn sync_over(store: &Store, sinks: &[TestSink], max_attempts: u32) -> StatusSync {
    let sinks: Vec<Arc<dyn StatusSink>> = sinks.iter().map(|s| Arc::new(s.clone()) as Arc<dyn StatusSink>).collect();
    let config = registry_gateway::status_sync::StatusSyncConfig { max_attempts, ..fast_sync_config(PARTNERS) };
    StatusSync::new(store.clone(), sinks, config)
}

#[tokio::test]
async fn after_5xx_and_429_storms_everything_is_delivered_exactly_once() {
    for (store, _dir) in stores().await {
        seed(&store, 300).await;
        let sinks: Vec<_> = PARTNERS.iter().map(|p| TestSink::new(*p)).collect();
        for sink in &sinks {
            sink.set_faults(PartnerFaults { server_error_percent: 50, throttle_percent: 40, ..Default::default() });
        }
        let sync = sync_over(&store, &sinks, 30);
        let storm = sync.run_once(Progress::Hidden).await;
        let during = storm.total();
        assert!(during.retried > 0, "the storm made deliveries fail: {storm:?}");
        assert_eq!(during.dead_lettered, 0);
        for sink in &sinks {
            sink.set_faults(PartnerFaults::default());
        }
        // Retries wait their backoff (at most 200 ms here), then the next run finds them due.
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let after = sync.run_once(Progress::Hidden).await;
        assert_eq!(during.delivered + after.total().delivered, 600, "{storm:?} {after:?}");
        assert_eq!(after.total().left_for_later, 0);
        for sink in &sinks {
            sink.ledger(|l| {
                assert_eq!(l.accepted.len(), 300, "{store:?}");
                assert!(l.accepted.values().all(|n| *n == 1), "accepted exactly once");
            });
            assert_eq!(store.outbox_counts(sink_system(sink)).await.unwrap().delivered, 300);
        }
    }
}

fn sink_system(sink: &TestSink) -> System {
    StatusSink::system(sink)
}

#[tokio::test]
async fn a_permanent_rejection_lands_in_dead_letters_with_its_reason() {
    for (store, _dir) in stores().await {
        seed(&store, 20).await;
        let sinks: Vec<_> = PARTNERS.iter().map(|p| TestSink::new(*p)).collect();
        let rejected = decision(7).decision_ref;
        sinks[0].set_faults(PartnerFaults { reject_refs: [rejected.clone()].into(), ..Default::default() });
        let report = sync_over(&store, &sinks, 8).run_once(Progress::Hidden).await;
        let baris = &report.partners[0];
        assert_eq!((baris.delivered, baris.dead_lettered, baris.retried), (19, 1, 0), "{report:?}");
        assert_eq!(report.partners[1].delivered, 20);
        let letters = store.dead_letters(&DeadLetterFilter::default()).await.unwrap();
        assert_eq!(letters.len(), 1, "{store:?}");
        let letter = &letters[0];
        assert_eq!((letter.partner.as_str(), letter.decision_ref.as_str()), ("baris", rejected.as_str()));
        assert_eq!(letter.reason, REASON_REJECTED);
        assert_eq!(letter.last_error.as_deref(), Some(format!("rejected:{REJECTION_CODE}").as_str()));
        assert_eq!(letter.attempts, 1, "a rejection is not retried");
        // An operator fixes the cause and retries: the next run delivers it.
        sinks[0].set_faults(PartnerFaults::default());
        let filter = DeadLetterFilter { partner: Some(System::Baris), decision_ref: Some(rejected) };
        assert_eq!(store.retry_dead_letters(&filter).await.unwrap(), 1);
        let report = sync_over(&store, &sinks, 8).run_once(Progress::Hidden).await;
        assert_eq!(report.partners[0].delivered, 1);
        sinks[0].ledger(|l| assert_eq!(l.accepted.len(), 20));
    }
}

#[tokio::test]
async fn attempts_used_up_become_dead_letters() {
    for (store, _dir) in stores().await {
        seed(&store, 5).await;
        let sinks: Vec<_> = PARTNERS.iter().map(|p| TestSink::new(*p)).collect();
        sinks[1].set_faults(PartnerFaults { server_error_percent: 100, ..Default::default() });
        let sync = sync_over(&store, &sinks, 3);
        let mut dead = 0;
        // Three attempts each, with backoff between: one run may leave some for later.
        for _ in 0..20 {
            dead += sync.run_once(Progress::Hidden).await.partners[1].dead_lettered;
            if dead == 5 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(dead, 5, "{store:?}");
        let letters = store.dead_letters(&DeadLetterFilter { partner: Some(System::Nino), decision_ref: None }).await;
        let letters = letters.unwrap();
        assert!(letters.iter().all(|l| l.reason == "attempts-exhausted" && l.attempts == 3), "{letters:?}");
        assert_eq!(letters[0].last_error.as_deref(), Some("unavailable"));
    }
}

#[tokio::test]
async fn the_quota_holds_in_process() {
    let _heavy = crate::helpers::heavy().await;
    for (store, _dir) in stores().await {
        seed(&store, 120).await;
        let sinks = vec![TestSink::new(System::Baris), TestSink::new(System::Nino)];
        let mut config = fast_sync_config(PARTNERS);
        config.quota_margin_ms = 100;
        for partner in config.partners.values_mut() {
            partner.per_second = 50;
        }
        let dyn_sinks: Vec<Arc<dyn StatusSink>> =
            sinks.iter().map(|s| Arc::new(s.clone()) as Arc<dyn StatusSink>).collect();
        let report = StatusSync::new(store.clone(), dyn_sinks, config).run_once(Progress::Hidden).await;
        assert_eq!(report.total().delivered, 240, "{report:?}");
        for sink in &sinks {
            let max = sink.ledger(|l| l.max_per_second());
            assert!((25..=50).contains(&max), "{max} per second against a quota of 50 ({store:?})");
        }
    }
}

/// The same through the real partner adapters to the partner simulators: storms of 5xx and 429
/// on every partner, then recovery, and a decision naming a person unknown to the population,
/// which each partner refuses for good.
#[tokio::test]
async fn through_the_partner_simulators_storms_end_delivered_once_and_refusals_in_dead_letters() {
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let mut partner_config = partner_simulator_config(&simulators);
    // The breakers would rightly open in the storm and stay open past the recovery; this test
    // is about the outbox's own retries.
    for (_, transport) in partner_config.transports_mut() {
        transport.breaker.failure_threshold = 10_000;
    }
    let sinks = Partners::build(&partner_config).unwrap().sinks;
    let partners = status_partners();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&StoreConfig::sqlite(dir.path())).await.unwrap();
    let mut decisions: Vec<_> = (0..60).map(|i| household_decision(&population, i)).collect();
    let stranger = PersonCode::parse("32999999999").unwrap();
    assert!(population.person(&stranger).is_none());
    decisions[13].members.push(stranger);
    store.store_messages(&decisions, &partners).await.unwrap();

    let storm =
        FaultConfig { server_error_percent: 50, throttle_percent: 30, retry_after_secs: 0, ..FaultConfig::default() };
    for &partner in &partners {
        simulators.faults(partner).set(storm.clone());
    }
    let config = StatusSyncConfig { max_attempts: 40, ..fast_sync_config(&partners) };
    let sync = StatusSync::new(store.clone(), sinks, config);
    let during = sync.run_once(Progress::Hidden).await.total();
    assert!(during.retried > 0, "the storm made deliveries fail");
    for &partner in &partners {
        simulators.faults(partner).set(FaultConfig::default());
    }
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    let after = sync.run_once(Progress::Hidden).await;
    assert_eq!(after.total().left_for_later, 0, "{after:?}");
    for &partner in &partners {
        let accepted = simulators.accepted_decisions(partner);
        assert_eq!(accepted.len(), 59, "{partner}: every decision but the refused one");
        assert!(accepted.values().all(|n| *n == 1), "{partner}: accepted exactly once");
        assert!(!accepted.contains_key(&(decisions[13].decision_ref.clone(), 1)));
    }
    let letters = store.dead_letters(&DeadLetterFilter::default()).await.unwrap();
    assert_eq!(letters.len(), partners.len(), "one refusal per partner: {letters:?}");
    for letter in &letters {
        assert_eq!(
            (letter.decision_ref.as_str(), letter.reason.as_str()),
            (decisions[13].decision_ref.as_str(), REASON_REJECTED)
        );
        let code = letter.last_error.as_deref().unwrap_or_default();
        assert!(code.starts_with("rejected:"), "{code}");
        assert!(!code.contains("32999999999"), "no personal code in the reason");
    }
}
