//! Stopping with SIGTERM: `gateway sync` stops claiming, finishes the deliveries in flight,
//! releases the rows it claimed but did not send, reports and exits 0, and the next run
//! delivers the rest at once (no lease had to run out) with every decision accepted exactly
//! once; `gateway serve` stops accepting connections, answers the request in flight and exits 0.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use gateway_domain::System;
use gateway_mocks::{FaultConfig, Simulators};

use crate::helpers::shared_population;
use crate::sync_helpers::{ProcessConfig, baris_report, report_of};

/// Sends SIGTERM to the process, as a service manager stopping it would.
pub fn terminate(child: &Child) {
    let status = std::process::Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(status.success(), "kill -TERM failed");
}

/// A port free on loopback now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits for the process to end, at most `limit`.
async fn wait_for_exit(child: Child, limit: Duration) -> std::process::Output {
    let waited = tokio::time::timeout(limit, tokio::task::spawn_blocking(move || child.wait_with_output()));
    waited.await.expect("the process ended in time").unwrap().unwrap()
}

const DECISIONS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_stopped_by_sigterm_releases_what_it_claimed_and_the_next_run_delivers_the_rest_once() {
    let _heavy = crate::helpers::heavy().await;
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    // The quota slows the run to about five seconds, so that the signal lands in its middle.
    // Leases last ten minutes: a row left claimed would not come back within this test.
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 1_000, "quota_margin_ms = 50\nlease_secs = 600");
    config.import(dir.path(), &population, DECISIONS);

    let first = config.command(&["sync"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while simulators.accepted_decisions(System::Baris).len() < DECISIONS / 4 {
        assert!(started.elapsed() < Duration::from_secs(40), "the first run delivers too slowly");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    terminate(&first);
    let signalled = Instant::now();
    let first = wait_for_exit(first, Duration::from_secs(30)).await;
    let stopped_in = signalled.elapsed();
    assert!(first.status.success(), "exit {:?}: {}", first.status, String::from_utf8_lossy(&first.stderr));
    let first_report = report_of(&first);
    assert_eq!(first_report["interrupted"], true, "{first_report}");
    let first_baris = baris_report(&first_report);
    let at_stop = simulators.accepted_decisions(System::Baris).len();
    assert!(at_stop < DECISIONS, "the signal came after the run had finished");
    // Everything the partner accepted was recorded as delivered: nothing in flight was dropped.
    assert_eq!(first_baris["delivered"].as_u64().unwrap() as usize, at_stop, "{first_baris}");
    assert_eq!(first_baris["left_for_later"].as_u64().unwrap() as usize, DECISIONS - at_stop, "{first_baris}");
    let released = first_baris["released"].as_u64().expect("the report counts released rows");

    let second_started = Instant::now();
    let second = tokio::task::spawn_blocking(move || config.run(&["sync"])).await.unwrap();
    let second_took = second_started.elapsed();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let second_baris = baris_report(&report_of(&second));
    // With ten-minute leases, a row the first run had left claimed could not be delivered now.
    assert_eq!(second_baris["delivered"].as_u64().unwrap() as usize, DECISIONS - at_stop, "{second_baris}");
    assert_eq!(second_baris["left_for_later"], 0, "{second_baris}");
    assert_eq!(second_baris["dead_lettered"], 0, "{second_baris}");
    // Promptly: far within the lease a row left claimed would have had to wait out (how fast
    // the deliveries themselves go depends on the machine's load).
    assert!(
        second_took < Duration::from_secs(120),
        "the second run took {second_took:?} for {} decisions",
        DECISIONS - at_stop
    );

    let accepted = simulators.accepted_decisions(System::Baris);
    assert_eq!(accepted.len(), DECISIONS, "every decision reached the partner");
    assert!(accepted.values().all(|n| *n == 1), "a decision was accepted twice");
    let repeats: u32 = simulators.duplicates(System::Baris).values().sum();
    assert_eq!(repeats, 0, "nothing was sent twice: in-flight deliveries were finished and recorded");
    eprintln!(
        "SIGTERM test: stopped at {at_stop} of {DECISIONS} in {stopped_in:?} ({released} released); \
         the rest in {second_took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stopped_by_sigterm_answers_the_request_in_flight_refuses_new_ones_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let population = shared_population();
    let simulators = Simulators::start_all(population.clone()).await;
    let store = format!("data_dir = \"{}\"", dir.path().join("data").display());
    let config = ProcessConfig::write(dir.path(), &simulators, &store, 20, "");
    let port = free_port();
    let mut text = std::fs::read_to_string(&config.path).unwrap();
    text.push_str(&format!("\n[server]\nbind = \"127.0.0.1:{port}\"\n"));
    std::fs::write(&config.path, text).unwrap();
    let url = format!("http://127.0.0.1:{port}");

    let server = config.command(&["serve"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let client = crate::helpers::authorized_client();
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("{url}/healthz")).send().await {
            if response.status().is_success() {
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(30), "serve did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // VSAA answers slowly: the check is in flight for a while after VSAA was asked.
    simulators.faults(System::Vsaa).set(FaultConfig { latency_ms: 3_000, ..FaultConfig::default() });
    let household = population.households().iter().find(|h| h.members.len() >= 2).unwrap().clone();
    let body = serde_json::json!({
        "applicant": household.members[0].as_str(), "purpose": "means_test", "officer": "test-officer",
    });
    let check = tokio::spawn({
        let client = client.clone();
        let url = url.clone();
        async move { client.post(format!("{url}/v1/income-checks")).json(&body).send().await }
    });
    let asked = Instant::now();
    while simulators.faults(System::Vsaa).total_requests() == 0 {
        assert!(asked.elapsed() < Duration::from_secs(10), "VSAA was never asked");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    terminate(&server);

    // The listener closes at once: a new connection is refused while the check is still going.
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut refused = false;
    for _ in 0..50 {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "serve still accepted connections after SIGTERM");
    assert!(!check.is_finished(), "the check ended before the listener closed; VSAA's delay is too short");

    let response = check.await.unwrap().expect("the request in flight is answered");
    assert_eq!(response.status(), 200);
    let request_id = response.headers().get("x-request-id").cloned();
    let record: serde_json::Value = response.json().await.expect("a whole record");
    assert!(request_id.is_some());
    let gaps = record["gaps"].as_array().unwrap();
    assert!(gaps.iter().all(|gap| gap["system"] != "vsaa"), "VSAA's answer was waited for: {gaps:?}");
    let output = wait_for_exit(server, Duration::from_secs(30)).await;
    assert!(output.status.success(), "exit {:?}: {}", output.status, String::from_utf8_lossy(&output.stderr));
}
