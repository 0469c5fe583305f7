//! Store tests, each run against SQLite and, when `GATEWAY_TEST_POSTGRES_URL` names a server,
//! PostgreSQL (each test in a schema of its own). Without that variable the PostgreSQL half is
//! skipped with a note, except under CI, where it fails.

use gateway_domain::{HouseholdStatus, PersonCode, StatusDecision, System};
use time::macros::date;

use super::*;

/// The variable naming the PostgreSQL server the tests may use.
pub(crate) const POSTGRES_URL_VAR: &str = "GATEWAY_TEST_POSTGRES_URL";

/// A fresh store of each backend available; the temp dir keeps the SQLite file alive.
pub(crate) async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let sqlite = Store::create(&StoreConfig::sqlite(dir.path())).await.expect("SQLite opens");
    let mut stores = vec![(sqlite, Some(dir))];
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) => stores.push((postgres_store(&url).await, None)),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} is not set: under CI the PostgreSQL half of the store tests must run")
        }
        Err(_) => eprintln!("note: {POSTGRES_URL_VAR} is not set; the PostgreSQL half of this test is skipped"),
    }
    stores
}

/// A store in a new schema of the server at `url`.
pub(crate) async fn postgres_store(url: &str) -> Store {
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(url).await.expect("PostgreSQL at GATEWAY_TEST_POSTGRES_URL answers");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.expect("a schema");
    admin.close().await;
    let config = StoreConfig { url: Some(url.to_owned()), schema: Some(schema), ..StoreConfig::default() };
    Store::create(&config).await.expect("PostgreSQL opens")
}

fn decision(reference: &str, version: u32) -> StatusDecision {
    StatusDecision {
        decision_ref: reference.into(),
        version,
        status: HouseholdStatus::Needy,
        members: vec![PersonCode::parse("121282-11210").unwrap()],
        valid_from: date!(2026 - 11 - 01),
        valid_to: None,
    }
}

const PARTNERS: &[System] = &[System::Baris, System::Nino];

#[tokio::test]
async fn reposting_a_decision_version_changes_nothing() {
    for (store, _dir) in stores().await {
        let d = decision("TUK-1", 1);
        assert_eq!(
            store.store_messages(std::slice::from_ref(&d), PARTNERS).await.unwrap(),
            vec![IntakeOutcome::Stored]
        );
        assert_eq!(
            store.store_messages(std::slice::from_ref(&d), PARTNERS).await.unwrap(),
            vec![IntakeOutcome::Unchanged]
        );
        for partner in PARTNERS {
            let counts = store.outbox_counts(*partner).await.unwrap();
            assert_eq!(counts, OutboxCounts { pending: 1, ..OutboxCounts::default() }, "{store:?}");
        }
        assert_eq!(store.outbox_counts(System::Spolis).await.unwrap(), OutboxCounts::default());
    }
}

#[tokio::test]
async fn a_changed_version_is_a_conflict_and_its_batch_stores_nothing() {
    for (store, _dir) in stores().await {
        store.store_messages(&[decision("TUK-1", 1)], PARTNERS).await.unwrap();
        let mut changed = decision("TUK-1", 1);
        changed.status = HouseholdStatus::Ended;
        let outcomes = store.store_messages(&[decision("TUK-2", 1), changed], PARTNERS).await.unwrap();
        assert_eq!(outcomes, vec![IntakeOutcome::Stored, IntakeOutcome::Conflict]);
        assert_eq!(store.outbox_counts(System::Baris).await.unwrap().pending, 1, "TUK-2 was rolled back: {store:?}");
    }
}

#[tokio::test]
async fn a_newer_version_supersedes_undelivered_older_ones_whatever_the_order() {
    for (store, _dir) in stores().await {
        store.store_messages(&[decision("TUK-1", 1)], PARTNERS).await.unwrap();
        store.store_messages(&[decision("TUK-1", 2)], PARTNERS).await.unwrap();
        // A late copy of an old version arrives after the new one: stored, but never sent.
        store.store_messages(&[decision("TUK-9", 2), decision("TUK-9", 1)], PARTNERS).await.unwrap();
        let counts = store.outbox_counts(System::Baris).await.unwrap();
        assert_eq!((counts.pending, counts.superseded), (2, 2), "{store:?}");
        let claimed = store.claim(System::Baris, "w", 10, now_ms() + 60_000).await.unwrap();
        let versions: Vec<_> = claimed.iter().map(|c| (c.message.reference(), c.message.version())).collect();
        assert_eq!(versions, vec![("TUK-1", 2), ("TUK-9", 2)]);
    }
}

#[tokio::test]
async fn a_claimed_row_is_not_claimed_again_until_its_lease_ends() {
    for (store, _dir) in stores().await {
        let batch: Vec<_> = (0..5).map(|i| decision(&format!("TUK-{i}"), 1)).collect();
        store.store_messages(&batch, PARTNERS).await.unwrap();
        let first = store.claim(System::Baris, "a", 3, now_ms() + 60_000).await.unwrap();
        let second = store.claim(System::Baris, "b", 10, now_ms() + 60_000).await.unwrap();
        assert_eq!((first.len(), second.len()), (3, 2), "{store:?}");
        assert!(store.claim(System::Baris, "c", 10, now_ms() + 60_000).await.unwrap().is_empty());
        // Another partner's rows are its own.
        assert_eq!(store.claim(System::Nino, "d", 10, now_ms() + 60_000).await.unwrap().len(), 5);
        // A lease that ended (its owner died) lets the row be claimed again; the old owner can
        // no longer record it.
        let expired = store.claim(System::Nino, "e", 10, now_ms() - 1).await.unwrap();
        assert!(expired.is_empty(), "d's lease still holds");
        assert!(store.mark_delivered(System::Baris, &first[0], "a", "P-1").await.unwrap());
        assert!(!store.mark_delivered(System::Baris, &second[0], "a", "P-2").await.unwrap(), "not a's row");
        assert_eq!(store.outbox_counts(System::Baris).await.unwrap().delivered, 1);
    }
}

#[tokio::test]
async fn an_expired_lease_is_claimed_by_the_next_worker() {
    for (store, _dir) in stores().await {
        store.store_messages(&[decision("TUK-1", 1)], PARTNERS).await.unwrap();
        let dead_owner = store.claim(System::Baris, "dead", 1, now_ms() - 1).await.unwrap();
        assert_eq!(dead_owner.len(), 1);
        let next = store.claim(System::Baris, "next", 1, now_ms() + 60_000).await.unwrap();
        assert_eq!(next.len(), 1, "{store:?}");
        assert!(!store.mark_delivered(System::Baris, &dead_owner[0], "dead", "P").await.unwrap());
        assert!(store.mark_delivered(System::Baris, &next[0], "next", "P").await.unwrap());
    }
}

#[tokio::test]
async fn retries_wait_for_their_time_and_dead_letters_keep_their_reason() {
    for (store, _dir) in stores().await {
        store.store_messages(&[decision("TUK-1", 1), decision("TUK-2", 1)], PARTNERS).await.unwrap();
        let rows = store.claim(System::Baris, "w", 10, now_ms() + 60_000).await.unwrap();
        let later = now_ms() + 60_000;
        assert!(store.schedule_retry(System::Baris, &rows[0], "w", later, "unavailable").await.unwrap());
        assert!(store.dead_letter(System::Baris, &rows[1], "w", "rejected", "rejected:bad-member").await.unwrap());
        assert!(store.claim(System::Baris, "w2", 10, now_ms() + 60_000).await.unwrap().is_empty());
        assert_eq!(store.next_due(System::Baris).await.unwrap(), Some(later));
        let letters = store.dead_letters(&DeadLetterFilter::default()).await.unwrap();
        assert_eq!(letters.len(), 1, "{store:?}");
        assert_eq!(
            (letters[0].decision_ref.as_str(), letters[0].reason.as_str(), letters[0].last_error.as_deref()),
            ("TUK-2", "rejected", Some("rejected:bad-member"))
        );
        assert_eq!(letters[0].attempts, 1);
        let none = DeadLetterFilter { partner: Some(System::Nino), decision_ref: None };
        assert!(store.dead_letters(&none).await.unwrap().is_empty());
        let revived =
            store.retry_dead_letters(&DeadLetterFilter { partner: Some(System::Baris), decision_ref: None }).await;
        assert_eq!(revived.unwrap(), 1);
        assert!(store.dead_letters(&DeadLetterFilter::default()).await.unwrap().is_empty());
        let again = store.claim(System::Baris, "w3", 10, now_ms() + 60_000).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].message.reference(), again[0].attempts), ("TUK-2", 0));
    }
}

#[tokio::test]
async fn the_quota_of_a_second_is_never_exceeded_by_concurrent_takers() {
    for (store, _dir) in stores().await {
        let second = now_ms() / 1000 + 1000;
        let takers = (0..40).map(|i| {
            let store = store.clone();
            async move { store.take_quota(System::Baris, second, 25, 1 + (i % 3)).await.unwrap() }
        });
        futures::future::join_all(takers).await;
        let used: i64 = on_pool!(store, pool => sqlx::query_scalar(
            "SELECT used FROM partner_quota_windows WHERE partner = 'baris' AND second = $1")
            .bind(second)
            .fetch_one(pool)
            .await
            .unwrap());
        assert!((1..=25).contains(&used), "used {used} of 25 in {store:?}");
        assert!(store.take_quota(System::Nino, second, 25, 1).await.unwrap(), "each partner has its own");
    }
}

#[tokio::test]
async fn a_batch_settles_each_row_whose_lease_held_and_numbers_its_changes_in_order() {
    for (store, _dir) in stores().await {
        let batch: Vec<_> = (0..5).map(|i| decision(&format!("TUK-{i}"), 1)).collect();
        store.store_messages(&batch, PARTNERS).await.unwrap();
        let rows = store.claim(System::Baris, "w", 10, now_ms() + 60_000).await.unwrap();
        assert_eq!(rows.len(), 5);
        let delivered = |i: usize| Settlement::Delivered { partner_ref: format!("P-{i}") };
        let settles = vec![
            Settle::of(&rows[0], "w", delivered(0)),
            // Not w's lease: nothing of it is recorded.
            Settle::of(&rows[1], "someone-else", delivered(1)),
            Settle::of(&rows[2], "w", Settlement::Dead { reason: "rejected".into(), error_code: "rejected:x".into() }),
            Settle::of(&rows[3], "w", Settlement::Retry { next_attempt_at: now_ms() + 60_000, error_code: "e".into() }),
            Settle::of(&rows[4], "w", delivered(4)),
        ];
        assert_eq!(store.settle(System::Baris, &settles).await.unwrap(), vec![true, false, true, true, true]);
        let changes = store.changes_after(0, 100).await.unwrap();
        let seen: Vec<_> = changes
            .iter()
            .map(|c| (c.position, c.decision_ref.as_str(), c.state.as_str(), c.partner_ref.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (1, "TUK-0", "delivered", Some("P-0")),
                (2, "TUK-2", "dead", None),
                (3, "TUK-4", "delivered", Some("P-4"))
            ],
            "{store:?}"
        );
        let counts = store.outbox_counts(System::Baris).await.unwrap();
        assert_eq!((counts.delivered, counts.dead, counts.pending), (2, 1, 2));
        // Settled again, nothing changes: the leases are gone.
        assert_eq!(store.settle(System::Baris, &settles[..1]).await.unwrap(), vec![false]);
        // The counter went on past the batch: the next change takes the next position.
        let dead = DeadLetterFilter { partner: Some(System::Baris), decision_ref: None };
        assert_eq!(store.retry_dead_letters(&dead).await.unwrap(), 1);
        let after = store.changes_after(3, 10).await.unwrap();
        assert_eq!(after.iter().map(|c| (c.position, c.state.as_str())).collect::<Vec<_>>(), vec![(4, "retried")]);
    }
}
