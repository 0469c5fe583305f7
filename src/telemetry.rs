//! Logging: structured, to stderr, filtered by `RUST_LOG` (default given by the command).
//! Log lines carry request ids and counts, never personal codes, names or amounts.

use tracing_subscriber::EnvFilter;

pub fn init(default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
