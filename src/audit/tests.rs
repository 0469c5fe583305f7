//! The chain against tampering (edit, delete, reorder, truncate), batches from many writers,
//! and two gateway instances extending one chain on one PostgreSQL.

use gateway_domain::{PersonCode, Purpose, RequestContext, RequestId};

use super::chain::{self, AuditKey, Break, Entry, Linked};
use super::{Asker, AuditLog, Scope};
use crate::store::tests::stores;
use crate::store::{Backend, Store, StoreConfig};

fn key() -> AuditKey {
    AuditKey::new(b"an audit key of thirty-two bytes!!")
}

fn entries(count: usize) -> Vec<Entry> {
    let person = PersonCode::parse("121282-11210").unwrap();
    (0..count)
        .map(|i| Entry {
            at_ms: 1_000 + i as i64,
            request_id: format!("req-{i}"),
            caller: "anna".into(),
            institution: "tukums".into(),
            officer: "anna".into(),
            purpose: "means_test".into(),
            legal_basis: "art. 33".into(),
            case_ref: "LIETA-1".into(),
            system: "vsaa".into(),
            topic: "incomes".into(),
            event: "asked".into(),
            outcome: "pending".into(),
            person_hash: key().person_hash(person.as_str()),
            co_resident: "applicant".into(),
        })
        .collect()
}

async fn rows(store: &Store) -> Vec<Linked> {
    store.audit_entries(0, 1_000_000).await.unwrap()
}

async fn verify(store: &Store, expect_head: Option<&str>) -> Result<chain::Verified, Break> {
    let start = store.audit_start().await.unwrap();
    let head = store.audit_head().await.unwrap();
    chain::verify(&key(), start, rows(store).await, head, expect_head)
}

async fn execute(store: &Store, sql: &str) {
    match &store.backend {
        Backend::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop).unwrap(),
        Backend::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop).unwrap(),
    }
}

#[tokio::test]
async fn an_untouched_chain_holds_and_each_kind_of_tampering_is_named() {
    for (store, _dir) in stores().await {
        store.append_audit(&key(), &entries(4)).await.unwrap();
        store.append_audit(&key(), &entries(4)).await.unwrap();
        let verified = verify(&store, None).await.expect("an untouched chain holds");
        assert_eq!((verified.entries, verified.head_seq), (8, 8));
        let head = verified.head_hash;
        assert!(verify(&store, Some(&head)).await.is_ok());

        // Edited: an entry's outcome changed.
        execute(&store, "UPDATE audit_log SET outcome = 'ok' WHERE seq = 3").await;
        assert_eq!(verify(&store, None).await, Err(Break::Edited { seq: 3 }));
        execute(&store, "UPDATE audit_log SET outcome = 'pending' WHERE seq = 3").await;
        assert!(verify(&store, None).await.is_ok(), "put back, it holds again");

        // Reordered: two entries' places swapped.
        execute(&store, "UPDATE audit_log SET seq = 100 WHERE seq = 5").await;
        execute(&store, "UPDATE audit_log SET seq = 5 WHERE seq = 6").await;
        execute(&store, "UPDATE audit_log SET seq = 6 WHERE seq = 100").await;
        assert!(matches!(verify(&store, None).await, Err(Break::Edited { seq: 5 })), "a moved entry is caught");
        execute(&store, "UPDATE audit_log SET seq = 100 WHERE seq = 5").await;
        execute(&store, "UPDATE audit_log SET seq = 5 WHERE seq = 6").await;
        execute(&store, "UPDATE audit_log SET seq = 6 WHERE seq = 100").await;
        assert!(verify(&store, None).await.is_ok());

        // Deleted: an entry in the middle removed.
        let all = rows(&store).await;
        execute(&store, "DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(verify(&store, None).await, Err(Break::Deleted { after: 3, seq: 5 }));
        restore(&store, &all[3]).await;
        assert!(verify(&store, None).await.is_ok());

        // Truncated: the last entries removed, and the head moved back to hide it.
        execute(&store, "DELETE FROM audit_log WHERE seq > 6").await;
        assert_eq!(verify(&store, None).await, Err(Break::TailMismatch { last: 6, head: 8 }));
        let (seq6, hash6) = (all[5].seq, all[5].hash.clone());
        execute(&store, &format!("UPDATE audit_head SET seq = {seq6}, hash = '{hash6}' WHERE id = 1")).await;
        assert!(verify(&store, None).await.is_ok(), "without a kept head, a consistent truncation looks whole");
        assert_eq!(verify(&store, Some(&head)).await, Err(Break::Truncated), "the kept head catches it");
    }
}

async fn restore(store: &Store, row: &Linked) {
    let e = &row.entry;
    let sql = format!(
        "INSERT INTO audit_log VALUES ({}, {}, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')",
        row.seq,
        e.at_ms,
        e.request_id,
        e.caller,
        e.institution,
        e.officer,
        e.purpose,
        e.legal_basis,
        e.case_ref,
        e.system,
        e.topic,
        e.event,
        e.outcome,
        e.person_hash,
        e.co_resident,
        row.prev_hash,
        row.hash
    );
    execute(store, &sql).await;
}

#[tokio::test]
async fn pruning_leaves_a_checkpoint_the_rest_verifies_from() {
    for (store, _dir) in stores().await {
        store.append_audit(&key(), &entries(10)).await.unwrap();
        // Entries are at 1000..1009 ms: those before 1004 go.
        assert_eq!(store.audit_prune(1_004).await.unwrap(), 4);
        let verified = verify(&store, None).await.expect("the rest verifies from the checkpoint");
        assert_eq!((verified.from_seq, verified.entries, verified.head_seq), (4, 6, 10));
        store.append_audit(&key(), &entries(1)).await.unwrap();
        assert!(verify(&store, None).await.is_ok(), "and the chain goes on after it");
    }
}

fn scope_parts() -> (Asker, RequestContext) {
    let ctx = RequestContext {
        request_id: RequestId::new(),
        purpose: Purpose::MeansTest,
        legal_basis: "art. 33".into(),
        officer: "anna".into(),
        deadline: std::time::Instant::now() + std::time::Duration::from_secs(5),
    };
    (Asker { caller: "anna".into(), institution: None, case_ref: Some("LIETA-7".into()) }, ctx)
}

/// Many writers at once through each of two logs on one store (or two stores on one
/// PostgreSQL): every entry lands once, in one chain that holds.
async fn writers_extend_one_chain(first: Store, second: Store) {
    let logs = [AuditLog::start(first.clone(), key()), AuditLog::start(second, key())];
    let (asker, ctx) = scope_parts();
    let person = PersonCode::parse("121282-11210").unwrap();
    let writes = (0..200).map(|i| {
        let log = &logs[i % 2];
        let scope = Scope::new(log, &asker, &ctx);
        let entries = (0..3)
            .map(|_| scope.entry(gateway_domain::System::Vsaa, "incomes", "asked", "pending", &person, "applicant"))
            .collect();
        async move { log.record(entries).await }
    });
    for result in futures::future::join_all(writes).await {
        result.expect("every batch commits");
    }
    let verified = verify(&first, None).await.expect("one chain that holds");
    assert_eq!(verified.entries, 600);
    let found = first.audit_find(&key().person_hash(person.as_str()), 0, i64::MAX).await.unwrap();
    assert_eq!(found.len(), 600);
    assert!(found.iter().all(|row| row.entry.case_ref == "LIETA-7" && row.entry.person_hash != person.as_str()));
}

#[tokio::test]
async fn concurrent_writers_extend_one_chain_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&StoreConfig::sqlite(dir.path())).await.unwrap();
    writers_extend_one_chain(store.clone(), store).await;
}

#[tokio::test]
async fn two_instances_on_one_postgresql_extend_one_chain() {
    let Ok(url) = std::env::var(crate::store::tests::POSTGRES_URL_VAR) else {
        assert!(std::env::var_os("CI").is_none(), "under CI the PostgreSQL test must run");
        eprintln!("note: GATEWAY_TEST_POSTGRES_URL is not set; the two-instance audit test is skipped");
        return;
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url).await.expect("PostgreSQL answers");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    admin.close().await;
    let config = StoreConfig { url: Some(url), schema: Some(schema), ..StoreConfig::default() };
    let first = Store::create(&config).await.expect("the first instance creates the store");
    let second = Store::open(&config).await.expect("a second instance opens the same schema");
    writers_extend_one_chain(first, second).await;
}

#[tokio::test]
async fn a_closed_store_refuses_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&StoreConfig::sqlite(dir.path())).await.unwrap();
    let log = AuditLog::start(store.clone(), key());
    store.close().await;
    assert!(log.record(entries(1)).await.is_err());
}

#[test]
fn without_a_configured_key_every_writer_of_one_process_hashes_alike() {
    let config = super::AuditConfig::default();
    let (first, second) = (config.key().unwrap(), config.key().unwrap());
    assert_eq!(first.person_hash("12128211210"), second.person_hash("12128211210"));
}
