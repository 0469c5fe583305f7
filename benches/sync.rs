//! Benchmark of the nightly status sync at the partners' quotas: N decisions imported into a
//! fresh SQLite store, then `gateway sync` delivers each to every partner simulator, each at a
//! quota of 2 000 requests a second. Prints the wall time against the quota-bound ideal
//! (N / quota: the partners are served side by side), the deliveries, and the sync process's CPU
//! time and peak RSS (from wait4).
//!
//! `cargo bench --bench sync [-- sizes=1000,10000,100000 quota=2000 partners=all]`
//! (`partners=baris,nino` limits the sync to those).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use gateway_mocks::{Population, TUKUMS_PERSONS};
use support::{gateway_binary, start_simulators};

// Shared with the load benchmark, which uses all of it.
#[allow(dead_code)]
mod support;

struct Settings {
    sizes: Vec<usize>,
    quota: u32,
    partners: Option<Vec<String>>,
}

fn settings() -> anyhow::Result<Settings> {
    let mut settings = Settings { sizes: vec![1_000, 10_000, 100_000], quota: 2_000, partners: None };
    for arg in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        let (key, value) = arg.split_once('=').with_context(|| format!("write KEY=VALUE, not {arg}"))?;
        match key {
            "sizes" => settings.sizes = value.split(',').map(str::parse).collect::<Result<_, _>>()?,
            "quota" => settings.quota = value.parse()?,
            "partners" if value == "all" => settings.partners = None,
            "partners" => settings.partners = Some(value.split(',').map(str::to_owned).collect()),
            _ => bail!("unknown setting {key} (sizes, quota, partners)"),
        }
    }
    Ok(settings)
}

/// N decisions, one per household (round the population again when N is larger), as NDJSON.
fn write_decisions(path: &Path, population: &Population, n: usize) -> anyhow::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (i, household) in population.households().iter().cycle().take(n).enumerate() {
        let members: Vec<&str> = household.members.iter().map(|m| m.as_str()).collect();
        let decision = serde_json::json!({
            "decision_ref": format!("BENCH-{i:07}"),
            "version": 1,
            "status": if i % 3 == 0 { "low_income" } else { "needy" },
            "members": members,
            "valid_from": "2026-12-01",
            "valid_to": "2027-05-31",
        });
        writeln!(file, "{decision}")?;
    }
    file.flush()?;
    Ok(())
}

/// What `wait4` reports of a finished child.
struct Usage {
    success: bool,
    cpu: Duration,
    peak_rss_mib: f64,
}

fn wait_with_usage(child: std::process::Child) -> anyhow::Result<Usage> {
    let pid = i32::try_from(child.id())?;
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child and writes into the two locals above.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    anyhow::ensure!(waited == pid, "wait4 failed: {}", std::io::Error::last_os_error());
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Ok(Usage {
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // ru_maxrss is in KiB on Linux.
        peak_rss_mib: usage.ru_maxrss as f64 / 1024.0,
    })
}

fn main() -> anyhow::Result<()> {
    let Settings { sizes, quota, partners } = settings()?;
    let dir = tempfile::tempdir()?;
    println!("Starting the simulators (Tukums county, seed 0) in their own process…");
    let simulated = start_simulators(dir.path())?;
    let partners = match partners {
        Some(chosen) => chosen,
        None => simulated.sections("partners")?.into_iter().filter(|p| p != "digisoc").collect(),
    };
    let population = Population::generate(0, TUKUMS_PERSONS);
    println!(
        "partners: {} at {quota} requests/s each; concurrency and batch size as configured by default",
        partners.join(", ")
    );
    println!(
        "{:>8} {:>11} {:>9} {:>9} {:>10} {:>12} {:>9} {:>8}",
        "decisions", "deliveries", "ideal s", "wall s", "of quota", "per partner/s", "CPU s", "RSS MiB"
    );
    for n in sizes {
        let run = dir.path().join(format!("run-{n}"));
        std::fs::create_dir_all(&run)?;
        let decisions = run.join("decisions.ndjson");
        write_decisions(&decisions, &population, n)?;
        let gateway = |args: &[&str]| {
            let mut command = Command::new(gateway_binary());
            command
                .args(args)
                .arg("--config")
                .arg(&simulated.config)
                .env("GATEWAY_STORE__DATA_DIR", run.join("data"))
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null());
            if let Ok(concurrency) = std::env::var("BENCH_SYNC_CONCURRENCY") {
                command.env("GATEWAY_STATUS_SYNC__CONCURRENCY", concurrency);
            }
            for partner in &partners {
                let key = partner.to_uppercase();
                command.env(format!("GATEWAY_STATUS_SYNC__PARTNERS__{key}__PER_SECOND"), quota.to_string());
            }
            command
        };
        let init = gateway(&["store", "init"]).output()?;
        anyhow::ensure!(
            init.status.success(),
            "the store cannot be created: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let imported = gateway(&["decisions", "import"]).arg(&decisions).output()?;
        anyhow::ensure!(imported.status.success(), "the import failed: {}", String::from_utf8_lossy(&imported.stderr));

        let started = Instant::now();
        let mut child = gateway(&["sync"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
        let mut report = String::new();
        if let Some(mut pipe) = child.stdout.take() {
            std::io::Read::read_to_string(&mut pipe, &mut report)?;
        }
        let usage = wait_with_usage(child)?;
        let wall = started.elapsed();
        anyhow::ensure!(usage.success, "the sync ended unclean: {report}");
        let report: serde_json::Value = serde_json::from_str(&report).context("the sync's report is JSON")?;
        let delivered = count_delivered(&report);
        let ideal = Duration::from_secs_f64(n as f64 / f64::from(quota));
        let per_partner = delivered as f64 / partners.len().max(1) as f64 / wall.as_secs_f64();
        println!(
            "{n:>8} {delivered:>11} {:>9.2} {:>9.2} {:>9.1}% {:>12.0} {:>9.2} {:>8.1}",
            ideal.as_secs_f64(),
            wall.as_secs_f64(),
            100.0 * ideal.as_secs_f64() / wall.as_secs_f64(),
            per_partner,
            usage.cpu.as_secs_f64(),
            usage.peak_rss_mib,
        );
        anyhow::ensure!(delivered == n * partners.len(), "expected {} deliveries: {report}", n * partners.len());
    }
    println!("ideal: decisions / quota (every partner is served at once, each at its own quota)");
    Ok(())
}

/// The deliveries the report counts as delivered, over every partner.
fn count_delivered(report: &serde_json::Value) -> usize {
    report["partners"]
        .as_array()
        .map(|partners| partners.iter().filter_map(|p| p["delivered"].as_u64()).sum::<u64>() as usize)
        .unwrap_or(0)
}
