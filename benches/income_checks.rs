//! Load benchmark of the verified income check: the API, both adapters and the simulators on
//! loopback, over the Tukums-scale population. Prints latency percentiles of sequential checks
//! and the throughput of concurrent ones.
//!
//! `cargo bench --bench income_checks [-- CHECKS CONCURRENCY]` (defaults 500 and 32).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use gateway_mocks::{Population, Simulators, TUKUMS_PERSONS};
use registry_gateway::auth::Role;
use registry_gateway::auth::issuer::DemoIssuer;
use registry_gateway::config::IncomeCheckConfig;
use registry_gateway::startup::{simulator_config, spawn_server};

// Shared with the load benchmark, which uses all of it.
#[allow(dead_code)]
mod support;

use support::percentile;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let checks: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let concurrency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(32);

    let population = Arc::new(Population::generate(0, TUKUMS_PERSONS));
    let simulators = Simulators::start_all(population.clone()).await;
    let mut config = simulator_config(&simulators, SocketAddr::from(([127, 0, 0, 1], 0)), IncomeCheckConfig::default());
    // One caller makes every check: its rate limit is not what is measured.
    config.server.per_caller_per_second = 1_000_000;
    config.server.per_caller_burst = 1_000_000;
    // Callers are authenticated: the demo's stand-in identity provider issues the caseworker's token.
    let issuer = DemoIssuer::generate();
    config.auth = Some(issuer.auth_config());
    let token = issuer.token("bench", &[Role::Caseworker], Duration::from_secs(3600));
    // The benchmark measures the gateway, not a registry's quota.
    for (_, transport) in config.registries.transports_mut() {
        transport.quota.per_second = 100_000;
    }
    let server = spawn_server(&config).await?;
    let url = format!("{}/v1/income-checks", server.url());
    let client = reqwest::Client::new();
    let applicants: Vec<String> =
        population.households().iter().cycle().take(checks).map(|h| h.members[0].as_str().to_owned()).collect();
    let members: usize = population.households().iter().cycle().take(checks).map(|h| h.members.len()).sum();

    let check = |applicant: String| {
        let client = client.clone();
        let url = url.clone();
        let token = token.clone();
        async move {
            let body = serde_json::json!({"applicant": applicant, "purpose": "means_test", "officer": "bench"});
            let started = Instant::now();
            let response = client.post(&url).bearer_auth(&token).json(&body).send().await.expect("the API answers");
            let status = response.status();
            let record: serde_json::Value = response.json().await.expect("a JSON answer");
            assert!(status.is_success(), "the check answered {status}: {}", record["type"]);
            assert_eq!(record["complete"], true, "gaps: {}", record["gaps"]);
            started.elapsed()
        }
    };

    // Warm-up: connections, token.
    for applicant in applicants.iter().take(20) {
        check(applicant.clone()).await;
    }

    let mut latencies = Vec::with_capacity(checks);
    for applicant in &applicants {
        latencies.push(check(applicant.clone()).await);
    }
    latencies.sort();
    println!(
        "sequential: {checks} checks ({members} members): p50 {:?}, p95 {:?}, p99 {:?}, max {:?}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies[latencies.len() - 1]
    );

    let started = Instant::now();
    let mut latencies: Vec<Duration> =
        futures::stream::iter(applicants.clone()).map(check).buffer_unordered(concurrency).collect().await;
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "concurrent ({concurrency} at once): {checks} checks in {elapsed:?} = {:.0} checks/s; p50 {:?}, p95 {:?}, p99 {:?}",
        checks as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
    );
    println!("registries configured: {}", config.registries.build_each().len());
    Ok(())
}
