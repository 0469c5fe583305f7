//! Logging: structured, to stderr, filtered by `RUST_LOG` (default given by the command), as
//! text for people or as one JSON object a line for a log collector (`[log] format`).
//! Log lines carry request ids and counts, never personal codes, names or amounts.

use std::path::Path;

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Text for a terminal: time, level, the request's span (its id), message and fields.
    #[default]
    Pretty,
    /// One JSON object a line: `timestamp`, `level`, `target`, `fields` (with `message`),
    /// `span` and `spans` (the request's span carries `request_id`).
    Json,
}

/// The `[log]` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// `pretty` (default) or `json`.
    #[serde(default)]
    pub format: LogFormat,
}

impl LogFormat {
    /// The format a configuration file (with its environment overrides) asks for, read before
    /// the rest of it so that the logs of a command start in it; the default when the file
    /// cannot be read or gives no valid `[log]` (reading the whole file reports that).
    pub fn of_file(path: &Path) -> Self {
        crate::config::Config::figment(path).extract_inner::<LogFormat>("log.format").unwrap_or_default()
    }
}

/// Installs the subscriber once per process; later calls change nothing.
pub fn init(default_filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_read_from_the_log_section_and_defaults_to_pretty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gateway.toml");
        std::fs::write(&file, "[log]\nformat = \"json\"\n").unwrap();
        assert_eq!(LogFormat::of_file(&file), LogFormat::Json);
        std::fs::write(&file, "[server]\nbind = \"127.0.0.1:1\"\n").unwrap();
        assert_eq!(LogFormat::of_file(&file), LogFormat::Pretty);
        assert_eq!(LogFormat::of_file(&dir.path().join("missing.toml")), LogFormat::Pretty);
    }
}
