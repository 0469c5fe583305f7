//! The `gateway` process itself: killed with SIGKILL in the middle of a 10 000-decision sync and
//! started again, every decision is accepted exactly once; two processes sharing PostgreSQL
//! deliver 10 000 decisions with no duplicates and never exceed the partner's per-second quota.
//!
//! The partner is the BARIS simulator, which deduplicates by idempotency key and counts what
//! it accepted per decision version and what it received per second.

use std::time::{Duration, Instant};

use gateway_domain::System;
use gateway_mocks::Simulators;

use crate::helpers::shared_population;
use crate::sync_helpers::{ProcessConfig, baris_report, postgres_schema, report_of};

/// Decision versions BARIS accepted, and how often each.
fn accepted(simulators: &Simulators) -> std::collections::HashMap<(String, u32), u32> {
    simulators.accepted_decisions(System::Baris)
}

fn repeats(simulators: &Simulators) -> u32 {
    simulators.duplicates(System::Baris).values().sum()
}

const DECISIONS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_midway_and_restarted_delivers_every_decision_exactly_once() {
    let _heavy = crate::helpers::heavy().await;
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    // The quota slows the run to about five seconds, so that the kill lands in its middle.
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 2_000, "quota_margin_ms = 50");
    config.import(dir.path(), &population, DECISIONS);

    let mut first = config.command(&["sync"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while accepted(&simulators).len() < DECISIONS / 4 {
        assert!(started.elapsed() < Duration::from_secs(40), "the first run delivers too slowly");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap(); // SIGKILL: no chance to release leases or finish a write.
    first.wait().unwrap();
    let at_kill = accepted(&simulators).len();
    assert!(at_kill < DECISIONS, "the kill came after the run had finished");

    let second = tokio::task::spawn_blocking(move || config.run(&["sync"])).await.unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let report = baris_report(&report_of(&second));
    let elapsed = started.elapsed();
    let accepted = accepted(&simulators);
    // Every decision version accepted exactly once as the partner sees it; only rows in flight
    // at the kill (claimed, sent, not yet recorded) may have gone twice, as duplicates.
    assert_eq!(accepted.len(), DECISIONS, "every decision reached the partner");
    assert!(accepted.values().all(|n| *n == 1), "a decision was accepted twice");
    let repeats = repeats(&simulators);
    assert!(repeats <= 200, "{repeats} repeats");
    eprintln!(
        "SIGKILL test: {DECISIONS} decisions in {:.1} s with a kill at {at_kill}; {repeats} repeated deliveries",
        elapsed.as_secs_f64()
    );
    assert_eq!(report["left_for_later"], 0);
    assert_eq!(report["dead_lettered"], 0);
    assert!(report["delivered"].as_u64().unwrap() as usize + at_kill >= DECISIONS, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_postgres_deliver_everything_once_within_the_quota() {
    let _heavy = crate::helpers::heavy().await;
    let Some((url, schema)) = postgres_schema().await else { return };
    const QUOTA: u32 = 500;
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("url = \"{url}\"\nschema = \"{schema}\"");
    let config = ProcessConfig::write(dir.path(), &simulators, &store, QUOTA, "batch_size = 50");
    config.import(dir.path(), &population, DECISIONS);

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
    let accepted = accepted(&simulators);
    assert_eq!(accepted.len(), DECISIONS);
    assert!(accepted.values().all(|n| *n == 1), "a decision was accepted twice");
    assert_eq!(repeats(&simulators), 0, "no decision was sent twice");
    let counters = simulators.faults(System::Baris);
    assert_eq!(counters.total_requests(), DECISIONS as u64);
    let max = counters.max_requests_in_one_second();
    assert!(max <= QUOTA, "the partner saw {max} requests in one second against a quota of {QUOTA}");
    // Two instances together can go well past the quota: the quota is what held them.
    assert!(max >= QUOTA * 8 / 10, "the instances never reached the quota ({max})");
    eprintln!(
        "two instances: {DECISIONS} decisions in {:.1} s, split {delivered:?}, at most {max} per second",
        elapsed.as_secs_f64()
    );
}

#[tokio::test]
async fn a_bad_import_file_names_its_lines_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let simulators = Simulators::start_all(shared_population()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 20, "");
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
