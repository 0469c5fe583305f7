//! The `gateway` process itself: killed with SIGKILL in the middle of a 10 000-decision sync and
//! started again, every decision is accepted exactly once; two processes sharing PostgreSQL
//! deliver 10 000 decisions with no duplicates and never exceed the partner's per-second quota.
//!
//! The partner is [`TestPartner`]; with the partner simulators in, their URL and counters can
//! take its place.

use std::time::{Duration, Instant};

use crate::partners::TestPartner;
use crate::sync_helpers::{ProcessConfig, baris_report, postgres_schema, report_of};

const DECISIONS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_midway_and_restarted_delivers_every_decision_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let partner = TestPartner::start().await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    // The quota slows the run to about five seconds, so that the kill lands in its middle.
    let config = ProcessConfig::write(dir.path(), &store, &partner.url, 2_000, "quota_margin_ms = 50");
    config.import(dir.path(), DECISIONS);

    let mut first = config.command(&["sync"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while partner.ledger(|l| l.accepted.len()) < DECISIONS / 4 {
        assert!(started.elapsed() < Duration::from_secs(40), "the first run delivers too slowly");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap(); // SIGKILL: no chance to release leases or finish a write.
    first.wait().unwrap();
    let at_kill = partner.ledger(|l| l.accepted.len());
    assert!(at_kill < DECISIONS, "the kill came after the run had finished");

    let second = tokio::task::spawn_blocking(move || config.run(&["sync"])).await.unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let report = baris_report(&report_of(&second));
    let elapsed = started.elapsed();
    partner.ledger(|l| {
        // The partner applies a key once and answers a repeat as a duplicate: every decision
        // is accepted exactly once when every key arrived and only repeats came on top.
        assert_eq!(l.accepted.len(), DECISIONS, "every decision reached the partner");
        let deliveries: u64 = l.accepted.values().map(|n| u64::from(*n)).sum();
        assert_eq!(deliveries - DECISIONS as u64, l.repeats);
        // Only rows in flight at the kill (claimed, sent, not yet recorded) may go twice.
        assert!(l.repeats <= 200, "{} repeats", l.repeats);
        eprintln!(
            "SIGKILL test: {DECISIONS} decisions in {:.1} s with a kill at {at_kill}; {} repeated deliveries",
            elapsed.as_secs_f64(),
            l.repeats
        );
    });
    assert_eq!(report["left_for_later"], 0);
    assert_eq!(report["dead_lettered"], 0);
    assert!(report["delivered"].as_u64().unwrap() as usize + at_kill >= DECISIONS, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_postgres_deliver_everything_once_within_the_quota() {
    let Some((url, schema)) = postgres_schema().await else { return };
    const QUOTA: u32 = 500;
    let dir = tempfile::tempdir().unwrap();
    let partner = TestPartner::start().await;
    let store = format!("url = \"{url}\"\nschema = \"{schema}\"");
    let config = ProcessConfig::write(dir.path(), &store, &partner.url, QUOTA, "batch_size = 50");
    config.import(dir.path(), DECISIONS);

    let started = Instant::now();
    let a = config.command(&["sync"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let b = config.command(&["sync"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let (a, b) = tokio::task::spawn_blocking(move || (a.wait_with_output().unwrap(), b.wait_with_output().unwrap()))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(a.status.success() && b.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let (a, b) = (baris_report(&report_of(&a)), baris_report(&report_of(&b)));
    let delivered = [a["delivered"].as_u64().unwrap(), b["delivered"].as_u64().unwrap()];
    assert_eq!(delivered[0] + delivered[1], DECISIONS as u64);
    assert!(delivered.iter().all(|d| *d > 0), "both instances delivered: {delivered:?}");
    partner.ledger(|l| {
        assert_eq!(l.accepted.len(), DECISIONS);
        assert_eq!(l.repeats, 0, "no decision was sent twice");
        assert_eq!(l.requests, DECISIONS as u64);
        let max = l.max_per_second();
        assert!(max <= QUOTA, "the partner saw {max} requests in one second against a quota of {QUOTA}");
        // Two instances together can go well past the quota: the quota is what held them.
        assert!(max >= QUOTA * 8 / 10, "the instances never reached the quota ({max})");
        eprintln!(
            "two instances: {DECISIONS} decisions in {:.1} s, split {delivered:?}, at most {max} per second",
            elapsed.as_secs_f64()
        );
    });
}

#[test]
fn a_bad_import_file_names_its_lines_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    let config = ProcessConfig::write(dir.path(), &store, "http://127.0.0.1:9/status", 20, "");
    let mut lines: Vec<String> =
        (0..5).map(|i| serde_json::to_string(&crate::sync_helpers::decision(i)).unwrap()).collect();
    lines[3] = lines[3].replace("\"needy\"", "\"rich\"").replace("\"low_income\"", "\"rich\"");
    lines.push("{not json".into());
    let file = dir.path().join("bad.ndjson");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let output = config.run(&["decisions", "import", file.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 4: /status"), "{stderr}");
    assert!(stderr.contains("line 6: /"), "{stderr}");
    assert!(!stderr.contains("32000000"), "no personal code in errors: {stderr}");
    let listed = config.run(&["deadletters", "list", "--json"]);
    assert!(listed.status.success());
    // Nothing stored: a sync finds nothing to deliver.
    let sync = config.run(&["sync"]);
    assert_eq!(baris_report(&report_of(&sync))["left_for_later"], 0);
}
