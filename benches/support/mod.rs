//! What the benchmarks share: the `gateway` binary they drive, its child processes with their
//! CPU time and peak memory, and the simulators started in a process of their own.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;

/// The gateway binary: this build's, or the one `BENCH_GATEWAY` names (e.g. a build with line
/// tables for a profiler).
pub fn gateway_binary() -> PathBuf {
    std::env::var_os("BENCH_GATEWAY").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_gateway")), PathBuf::from)
}

/// A child process, killed when dropped.
pub struct Process {
    pub child: Child,
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time (user + system) so far.
    pub fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        // The fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
        let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
        let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
        // SAFETY: sysconf only reads a constant of the system.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_micros(ticks * 1_000_000 / per_second)
    }

    /// Peak resident set size so far, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        kib / 1024.0
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` and reads its stdout up to the line `until` accepts, handing it every line.
pub fn spawn_reading(mut command: Command, mut each: impl FnMut(&str) -> bool) -> anyhow::Result<Process> {
    let mut child = command.stdout(Stdio::piped()).spawn().context("cannot start a process")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let process = Process { child };
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines.next().context("the process ended before it was ready")??;
        if each(&line) {
            break;
        }
    }
    // Keep reading so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Ok(process)
}

pub struct Simulated {
    pub process: Process,
    pub urls: HashMap<String, String>,
    pub token: String,
    pub config: PathBuf,
}

pub fn start_simulators(dir: &Path) -> anyhow::Result<Simulated> {
    let config = dir.join("simulators.toml");
    let mut command = Command::new(gateway_binary());
    command.args(["simulate", "--base-port", "0", "--write-config"]).arg(&config).env("RUST_LOG", "warn");
    let (mut urls, mut token) = (HashMap::new(), String::new());
    let process = spawn_reading(command, |line| {
        if let Some(value) = line.strip_prefix("export GATEWAY_TOKEN_CASEWORKER=") {
            token = value.to_owned();
        } else if let Some((key, url)) = line.split_once(' ')
            && url.trim().starts_with("http")
        {
            urls.insert(key.to_owned(), url.trim().to_owned());
        }
        line.starts_with("Serving")
    })?;
    Ok(Simulated { process, urls, token, config })
}

impl Simulated {
    /// The names of the configuration's `[<list>.<name>]` sections, e.g. every registry.
    pub fn sections(&self, list: &str) -> anyhow::Result<Vec<String>> {
        let text = std::fs::read_to_string(&self.config)?;
        let prefix = format!("[{list}.");
        Ok(text
            .lines()
            .filter_map(|l| l.strip_prefix(prefix.as_str())?.strip_suffix(']'))
            .filter(|name| !name.contains('.'))
            .map(str::to_owned)
            .collect())
    }
}

/// A port nothing listens on now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The `p` quantile (0 to 1) of durations sorted ascending, nearest rank; zero for none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}
