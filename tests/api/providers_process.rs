//! The `gateway` process with DigiSoc: `gateway sync` killed with SIGKILL while delivering 2 000
//! referrals, then run again, delivers every referral exactly once; `gateway reports pull`
//! killed midway, then run again, stores every report revision exactly once.

use std::time::{Duration, Instant};

use gateway_domain::{Referral, System};
use gateway_mocks::{FaultConfig, Simulators};
use registry_gateway::store::{Store, StoreConfig};

use crate::helpers::shared_population;
use crate::provider_plan::{CLIENTS, plan};
use crate::sync_helpers::{ProcessConfig, report_of};

fn store_config(dir: &std::path::Path) -> StoreConfig {
    StoreConfig { data_dir: dir.join("data"), ..StoreConfig::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_while_delivering_referrals_delivers_each_exactly_once_after_a_restart() {
    let _heavy = crate::helpers::heavy().await;
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    // 400 a second: about five seconds for 2 000, so that the kill lands in the middle.
    let extra = "quota_margin_ms = 50\n\n[status_sync.partners.digisoc]\nper_second = 400\n";
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 100, extra);
    let plan = plan(&population);
    let opened = Store::open(&store_config(dir.path())).await.unwrap();
    opened.store_messages(&plan.referrals, &[Referral::RECIPIENT]).await.unwrap();
    opened.close().await;

    let desk = simulators.digisoc();
    let mut first = config.command(&["sync"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while desk.accepted_versions().len() < CLIENTS / 4 {
        assert!(started.elapsed() < Duration::from_secs(40), "the first run delivers too slowly");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let at_kill = desk.accepted_versions().len();
    assert!(at_kill < CLIENTS, "the kill came after the run had finished");

    let second = tokio::task::spawn_blocking(move || config.run(&["sync"])).await.unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let report = report_of(&second);
    let digisoc = report["partners"].as_array().unwrap().iter().find(|p| p["partner"] == "digisoc").unwrap();
    assert_eq!(digisoc["left_for_later"], 0, "{report}");
    let accepted = desk.accepted_versions();
    assert_eq!(accepted.len(), CLIENTS, "every referral reached DigiSoc");
    assert!(accepted.values().all(|n| *n == 1), "a referral was accepted twice");
    let repeats: u32 = desk.duplicates().values().sum();
    assert!(repeats <= 100, "{repeats} repeats");
    eprintln!("SIGKILL referrals: {CLIENTS} delivered with a kill at {at_kill}; {repeats} repeated deliveries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_killed_midway_stores_every_report_revision_exactly_once_after_a_rerun() {
    let _heavy = crate::helpers::heavy().await;
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    // Small pages, each answered after 10 ms: a pull of the whole feed takes seconds.
    let extra = "\n[providers]\npage_size = 10\n";
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 100, extra);
    simulators.faults(System::Digisoc).set(FaultConfig { latency_ms: 10, ..FaultConfig::default() });
    let plan = plan(&population);
    let desk = simulators.digisoc();
    for report in &plan.reports {
        desk.report(report.clone());
    }

    let mut first = config.command(&["reports", "pull"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let faults = simulators.faults(System::Digisoc);
    let started = Instant::now();
    while faults.total_requests() < 40 {
        assert!(started.elapsed() < Duration::from_secs(40), "the first pull reads too slowly");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let opened = Store::open(&store_config(dir.path())).await.unwrap();
    let at_kill = opened.report_revisions().await.unwrap() as usize;
    opened.close().await;
    assert!(at_kill > 0 && at_kill < plan.revisions, "the kill landed midway ({at_kill})");

    simulators.faults(System::Digisoc).set(FaultConfig::default());
    let second = tokio::task::spawn_blocking(move || config.run(&["reports", "pull"])).await.unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let summary = report_of(&second);
    let opened = Store::open(&store_config(dir.path())).await.unwrap();
    assert_eq!(opened.report_revisions().await.unwrap() as usize, plan.revisions, "{summary}");
    assert_eq!(summary["stored"].as_u64().unwrap() as usize + at_kill, plan.revisions, "nothing stored twice");
    opened.close().await;
}
