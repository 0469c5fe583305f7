//! Load benchmark of the income check with the gateway, the simulators and the load each in a
//! process of its own, and beside it the floor: the same number of bare HTTP exchanges per check,
//! with the same body sizes, through a minimal hyper server and reqwest client.
//!
//! `cargo bench --bench load [-- checks=2000 concurrency=32 rate=300 seconds=10]`
//!
//! 1. `gateway simulate` starts every simulator (Tukums county, seed 0) in one process; the
//!    benchmark sets each one's latency over its admin route.
//! 2. `gateway serve` runs in another, on a configuration pointing at them (SQLite store, info
//!    logs to a file, every registry's quota at 10 000 a second, every other setting default).
//! 3. This process drives checks closed-loop (a fixed number at once) and open-loop (a fixed
//!    arrival rate, latency counted from the planned start), and reads the gateway's CPU time
//!    (utime + stime) and peak RSS (VmHWM) from /proc.
//!
//! The gateway's overhead per check is its wall time here minus the `registries` duration of
//! the answer's `Server-Timing` header: the critical path of the registry calls it made, timed
//! on the wire. The floor replays the calls per check and body bytes the gateway reported.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use futures::StreamExt;
use gateway_mocks::{Population, TUKUMS_PERSONS};
use http_body_util::{BodyExt, Full};
use support::{Process, Simulated, gateway_binary, percentile, spawn_reading, start_simulators};

mod support;

/// Every registry's quota in the benchmark: far above what the load needs.
const QUOTA: u32 = 10_000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match args.first().map(String::as_str) {
        Some("floor-registry") => runtime.block_on(floor::registry(number(&args, 1)?)),
        Some("floor-gateway") => runtime.block_on(floor::gateway(floor::Plan {
            registry: args.get(1).context("the registry's address")?.parse()?,
            calls_per_check: args.get(2).context("calls per check")?.parse()?,
            sent: number(&args, 3)?,
            answer: number(&args, 4)?,
        })),
        _ => runtime.block_on(run(Settings::from_args(&args)?)),
    }
}

fn number(args: &[String], index: usize) -> anyhow::Result<usize> {
    Ok(args.get(index).context("a missing argument")?.parse()?)
}

struct Settings {
    checks: usize,
    concurrency: usize,
    rate: f64,
    seconds: f64,
}

impl Settings {
    fn from_args(args: &[String]) -> anyhow::Result<Self> {
        let mut settings = Settings { checks: 2_000, concurrency: 32, rate: 300.0, seconds: 10.0 };
        for arg in args.iter().filter(|a| !a.starts_with("--")) {
            let (key, value) = arg.split_once('=').with_context(|| format!("write KEY=VALUE, not {arg}"))?;
            match key {
                "checks" => settings.checks = value.parse()?,
                "concurrency" => settings.concurrency = value.parse()?,
                "rate" => settings.rate = value.parse()?,
                "seconds" => settings.seconds = value.parse()?,
                _ => bail!("unknown setting {key} (checks, concurrency, rate, seconds)"),
            }
        }
        Ok(settings)
    }
}

async fn set_latency(
    client: &reqwest::Client,
    simulated: &Simulated,
    default_ms: u64,
    vsaa_ms: u64,
) -> anyhow::Result<()> {
    for (key, url) in &simulated.urls {
        let latency_ms = if key == "vsaa" { vsaa_ms } else { default_ms };
        let response = client
            .put(format!("{url}/__admin/faults"))
            .json(&serde_json::json!({ "latency_ms": latency_ms }))
            .send()
            .await?;
        anyhow::ensure!(response.status().is_success(), "{key}'s admin route answered {}", response.status());
    }
    Ok(())
}

async fn start_gateway(dir: &Path, simulated: &Simulated) -> anyhow::Result<(Process, String)> {
    let address = format!("127.0.0.1:{}", support::free_port()?);
    let registries = simulated.sections("registries")?;
    let mut command = Command::new(gateway_binary());
    command
        .args(["serve", "--config"])
        .arg(&simulated.config)
        .env("GATEWAY_SERVER__BIND", &address)
        .env("GATEWAY_SERVER__PER_CALLER_PER_SECOND", "1000000")
        .env("GATEWAY_SERVER__PER_CALLER_BURST", "1000000")
        .env("GATEWAY_STORE__DATA_DIR", dir.join("data"))
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(dir.join("gateway.log"))?);
    for registry in registries {
        command.env(
            format!("GATEWAY_REGISTRIES__{}__TRANSPORT__QUOTA__PER_SECOND", registry.to_uppercase()),
            QUOTA.to_string(),
        );
    }
    let child = command.stdout(Stdio::null()).spawn()?;
    let process = Process { child };
    let url = format!("http://{address}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(response) = client.get(format!("{url}/readyz")).send().await
            && response.status().is_success()
        {
            return Ok((process, url));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the gateway did not become ready; see {}", dir.join("gateway.log").display())
}

/// One check as the load saw it.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    /// From the planned start (open loop) or the send (closed loop) to the last byte.
    latency: Duration,
    /// From the send to the last byte.
    wall: Duration,
    /// The registry calls' critical path (Server-Timing `registries`).
    registries: Duration,
    calls: usize,
    sent: usize,
    received: usize,
    answer: usize,
    ok: bool,
}

impl Sample {
    fn overhead(&self) -> Duration {
        self.wall.saturating_sub(self.registries)
    }
}

/// Reads `registries;dur=…, calls;desc=…` into the sample.
fn read_server_timing(sample: &mut Sample, header: &str) {
    for metric in header.split(',') {
        let mut parts = metric.trim().split(';');
        let name = parts.next().unwrap_or("");
        for parameter in parts {
            let (key, value) = parameter.split_once('=').unwrap_or(("", ""));
            match (name, key) {
                ("registries", "dur") => {
                    sample.registries = Duration::from_secs_f64(value.parse::<f64>().unwrap_or(0.0) / 1000.0)
                }
                ("calls", "desc") => sample.calls = value.parse().unwrap_or(0),
                ("sent", "desc") => sample.sent = value.parse().unwrap_or(0),
                ("received", "desc") => sample.received = value.parse().unwrap_or(0),
                _ => {}
            }
        }
    }
}

#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    url: String,
    token: Arc<str>,
}

impl Target {
    /// Sends one check for `applicant`, as the case system would.
    async fn send(&self, applicant: &str) -> reqwest::Result<reqwest::Response> {
        let body = serde_json::json!({"applicant": applicant, "purpose": "means_test"});
        self.client.post(&self.url).bearer_auth(&*self.token).json(&body).send().await
    }

    async fn check(&self, applicant: &str, planned: Instant) -> Sample {
        let sent = Instant::now();
        let mut sample = Sample::default();
        if let Ok(response) = self.send(applicant).await {
            sample.ok = response.status().is_success();
            if let Some(header) = response.headers().get("server-timing").and_then(|v| v.to_str().ok()) {
                read_server_timing(&mut sample, header);
            }
            sample.answer = response.bytes().await.map_or(0, |b| b.len());
        }
        sample.wall = sent.elapsed();
        sample.latency = planned.elapsed();
        sample
    }

    /// One check that must succeed: the benchmark stops with the problem otherwise.
    async fn probe(&self, applicant: &str) -> anyhow::Result<()> {
        let response = self.send(applicant).await?;
        let status = response.status();
        let text = response.text().await?;
        anyhow::ensure!(status.is_success(), "the check answered {status}: {text}");
        Ok(())
    }
}

struct Run {
    samples: Vec<Sample>,
    elapsed: Duration,
}

async fn closed_loop(target: &Target, applicants: &[String], checks: usize, concurrency: usize) -> Run {
    let started = Instant::now();
    let samples = futures::stream::iter(applicants.iter().cycle().take(checks))
        .map(|applicant| target.check(applicant, Instant::now()))
        .buffer_unordered(concurrency)
        .collect()
        .await;
    Run { samples, elapsed: started.elapsed() }
}

async fn open_loop(target: &Target, applicants: &[String], rate: f64, seconds: f64) -> Run {
    let checks = (rate * seconds) as usize;
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(checks);
    for (i, applicant) in applicants.iter().cycle().take(checks).enumerate() {
        let planned = started + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(planned.into()).await;
        let (target, applicant) = (target.clone(), applicant.clone());
        tasks.push(tokio::spawn(async move { target.check(&applicant, planned).await }));
    }
    let mut samples = Vec::with_capacity(checks);
    for task in tasks {
        samples.push(task.await.unwrap_or_default());
    }
    Run { samples, elapsed: started.elapsed() }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Prints one line of figures and returns the CPU milliseconds per check.
fn report(name: &str, run: &Run, process: &Process, cpu_before: Duration) -> f64 {
    let cpu = process.cpu().saturating_sub(cpu_before);
    let n = run.samples.len().max(1);
    let failed = run.samples.iter().filter(|s| !s.ok).count();
    let mut latency: Vec<Duration> = run.samples.iter().map(|s| s.latency).collect();
    let mut overhead: Vec<Duration> = run.samples.iter().map(Sample::overhead).collect();
    latency.sort();
    overhead.sort();
    let cpu_ms = cpu.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{name:<34} {n:>6} {:>8.0} {:>7} {:>7} {:>7} {:>8} {:>8} {:>9.3} {:>8.1} {failed:>6}",
        n as f64 / run.elapsed.as_secs_f64(),
        ms(percentile(&latency, 0.50)),
        ms(percentile(&latency, 0.99)),
        ms(latency.last().copied().unwrap_or_default()),
        ms(percentile(&overhead, 0.50)),
        ms(percentile(&overhead, 0.99)),
        cpu_ms,
        process.peak_rss_mib(),
    );
    cpu_ms
}

fn header() {
    println!(
        "{:<34} {:>6} {:>8} {:>7} {:>7} {:>7} {:>8} {:>8} {:>9} {:>8} {:>6}",
        "scenario",
        "checks",
        "checks/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "ovh p50",
        "ovh p99",
        "CPU ms/ck",
        "RSS MiB",
        "failed"
    );
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    println!("Starting the simulators (Tukums county, seed 0) and the gateway, each in its own process…");
    let simulated = start_simulators(dir.path())?;
    let (gateway, url) = start_gateway(dir.path(), &simulated).await?;
    let population = Population::generate(0, TUKUMS_PERSONS);
    let applicants: Vec<String> = population.households().iter().map(|h| h.members[0].as_str().to_owned()).collect();
    drop(population);
    let client = reqwest::Client::new();
    let target = Target {
        client: client.clone(),
        url: format!("{url}/v1/income-checks"),
        token: simulated.token.as_str().into(),
    };
    let Settings { checks, concurrency, rate, seconds } = settings;

    target.probe(&applicants[0]).await?;
    closed_loop(&target, &applicants, 200, concurrency).await;
    header();
    let before = gateway.cpu();
    let simulators_before = simulated.process.cpu();
    let baseline = closed_loop(&target, &applicants, checks, concurrency).await;
    let gateway_cpu = report(&format!("no latency, {concurrency} at once"), &baseline, &gateway, before);
    let n = baseline.samples.len().max(1) as f64;
    let mean = |f: fn(&Sample) -> usize| baseline.samples.iter().map(f).sum::<usize>() as f64 / n;
    let (calls, sent, received, answer) =
        (mean(|s| s.calls), mean(|s| s.sent), mean(|s| s.received), mean(|s| s.answer));
    let simulators_cpu = simulated.process.cpu().saturating_sub(simulators_before).as_secs_f64() * 1000.0 / n;

    // The floor: the same exchanges, nothing else.
    let per_call = |total: f64| (total / calls.max(1.0)).round() as usize;
    let mut registry_command = Command::new(std::env::current_exe()?);
    registry_command.args(["floor-registry", &per_call(received).to_string()]);
    let (registry, registry_port) = floor::spawn(registry_command)?;
    let registry_address = format!("127.0.0.1:{registry_port}");
    let mut floor_gateway_command = Command::new(std::env::current_exe()?);
    floor_gateway_command.args([
        "floor-gateway",
        &registry_address,
        &format!("{calls:.3}"),
        &per_call(sent).to_string(),
        &(answer.round() as usize).to_string(),
    ]);
    let (floor_gateway, floor_port) = floor::spawn(floor_gateway_command)?;
    let floor_target = Target {
        client: client.clone(),
        url: format!("http://127.0.0.1:{floor_port}/v1/income-checks"),
        token: simulated.token.as_str().into(),
    };
    closed_loop(&floor_target, &applicants, 200, concurrency).await;
    let before = floor_gateway.cpu();
    let floor_run = closed_loop(&floor_target, &applicants, checks, concurrency).await;
    let floor_cpu = report(&format!("floor, {concurrency} at once"), &floor_run, &floor_gateway, before);
    drop((floor_gateway, registry));

    // Registry latencies: 20 ms everywhere, 40 ms at VSAA.
    set_latency(&client, &simulated, 20, 40).await?;
    for (name, concurrency, checks) in
        [("20/40 ms latency, 4 at once", 4, checks / 4), ("20/40 ms latency, 100 at once", 100, checks)]
    {
        closed_loop(&target, &applicants, 100, concurrency).await;
        let before = gateway.cpu();
        let run = closed_loop(&target, &applicants, checks, concurrency).await;
        report(name, &run, &gateway, before);
    }
    let before = gateway.cpu();
    let open = open_loop(&target, &applicants, rate, seconds).await;
    report(&format!("20/40 ms latency, open {rate:.0}/s"), &open, &gateway, before);
    set_latency(&client, &simulated, 0, 0).await?;

    println!();
    println!("ideal critical path with latency: 80 ms (PMLP address 20 + residents 20 + VSAA 40)");
    println!(
        "per check: {calls:.1} registry calls, {:.0} B sent and {:.0} B received per call, {answer:.0} B answer",
        sent / calls.max(1.0),
        received / calls.max(1.0)
    );
    println!("simulators' CPU per check (no latency): {simulators_cpu:.3} ms");
    println!(
        "gateway CPU per check {gateway_cpu:.3} ms = {:.2} x the floor's {floor_cpu:.3} ms; peak RSS {:.1} MiB",
        gateway_cpu / floor_cpu.max(1e-9),
        gateway.peak_rss_mib()
    );
    Ok(())
}

/// The floor: a hyper server that, for each check it is asked, makes the same number of
/// exchanges with a hyper server standing in for every registry, each with the same body sizes,
/// and answers with the gateway's answer's size.
mod floor {
    use super::*;
    use hyper::body::Incoming;
    use hyper::service::service_fn;
    use hyper::{Request, Response};
    use hyper_util::rt::TokioIo;

    /// Starts a floor process and reads the port it listens on.
    pub fn spawn(command: Command) -> anyhow::Result<(Process, u16)> {
        let mut port = 0;
        let process = spawn_reading(command, |line| {
            port = line.strip_prefix("listening on ").and_then(|p| p.parse().ok()).unwrap_or(0);
            port != 0
        })?;
        Ok((process, port))
    }

    async fn serve<F, Fut>(answer: F) -> anyhow::Result<()>
    where
        F: Fn(Request<Incoming>) -> Fut + Clone + Send + 'static,
        Fut: std::future::Future<Output = Response<Full<Bytes>>> + Send,
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        println!("listening on {port}");
        loop {
            let (stream, _) = listener.accept().await?;
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let answer = answer.clone();
                    async move { Ok::<_, std::convert::Infallible>(answer(request).await) }
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    }

    pub async fn registry(answer_bytes: usize) -> anyhow::Result<()> {
        let body = Bytes::from(vec![b'x'; answer_bytes]);
        serve(move |request: Request<Incoming>| {
            let body = body.clone();
            async move {
                let _ = request.into_body().collect().await;
                Response::new(Full::new(body))
            }
        })
        .await
    }

    #[derive(Clone)]
    pub struct Plan {
        pub registry: SocketAddr,
        pub calls_per_check: f64,
        pub sent: usize,
        pub answer: usize,
    }

    pub async fn gateway(plan: Plan) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let url: Arc<str> = format!("http://{}/registry", plan.registry).into();
        let sent = Bytes::from(vec![b'x'; plan.sent]);
        let answer = Bytes::from(vec![b'x'; plan.answer]);
        let checks = Arc::new(AtomicU64::new(0));
        serve(move |request: Request<Incoming>| {
            let (client, url, sent, answer, checks) =
                (client.clone(), url.clone(), sent.clone(), answer.clone(), checks.clone());
            async move {
                let _ = request.into_body().collect().await;
                // Whole calls per check whose mean is `calls_per_check`.
                let i = checks.fetch_add(1, Ordering::Relaxed) as f64;
                let calls = ((i + 1.0) * plan.calls_per_check).floor() - (i * plan.calls_per_check).floor();
                futures::future::join_all((0..calls as usize).map(|_| {
                    let request = client.post(&*url).body(sent.clone());
                    async move {
                        if let Ok(response) = request.send().await {
                            let _ = response.bytes().await;
                        }
                    }
                }))
                .await;
                Response::new(Full::new(answer))
            }
        })
        .await
    }
}
