//! `gateway check-config FILE`: every problem of a configuration, each with its key, without
//! starting anything: no store is opened and nothing is asked over the network (key files,
//! rules files and certificates are read; a JWKS at a URL is not fetched).
//!
//! The file is read as `serve` reads it (environment overrides included). Its shape is checked
//! by deserialising it into [`Config`] again and again: each error names its key (figment keeps
//! the path), and the key is then set aside (an unknown or invalid one removed, a missing one
//! filled with a stand-in whose own consequences are not reported) until the whole file reads.
//! Then each section's own validation runs (`StatusSyncConfig::validate` and
//! `Config::validate` until they pass, the adapters' builds one section at a time, the signing
//! key, the identity provider's keys, TLS, the rules files) and the URLs and quotas are
//! checked.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use figment::error::Kind;
use figment::value::{Dict, Tag, Value};
use gateway_adapters::{PartnersConfig, RegistriesConfig, TransportError};
use gateway_domain::System;

use crate::auth::{KeySet, KeySetError};
use crate::config::{Config, ConfigError};
use crate::status_sync::{PARTNERS, StatusSyncConfig, StatusSyncConfigError};
use crate::tls::TlsError;

/// Rounds of reading the file before giving up on its shape (each sets one key aside).
const MAX_ROUNDS: usize = 500;

/// One problem: the key it is about (`registries.pmlp.base_url`; a file-wide one names the
/// file) and what is wrong with it. Never quotes a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl Problem {
    fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self { key: key.into(), message: one_line(&message.into()) }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Every problem of the configuration file at `path`; none when it is fit to serve.
pub fn check_file(path: &Path) -> Vec<Problem> {
    let file = path.display().to_string();
    if let Err(error) = std::fs::read_to_string(path) {
        return vec![Problem::new(file, format!("cannot read the file: {error}"))];
    }
    match Config::figment(path).extract::<Value>() {
        Ok(value) => check_value(value),
        // A file that is not TOML: figment's message says where.
        Err(error) => error.into_iter().map(|e| Problem::new(file.clone(), e.kind.to_string())).collect(),
    }
}

/// Every problem of a configuration given as TOML text (no environment overrides).
pub fn check_toml(text: &str) -> Vec<Problem> {
    use figment::providers::{Format, Toml};
    match figment::Figment::from(Toml::string(text)).extract::<Value>() {
        Ok(value) => check_value(value),
        Err(error) => error.into_iter().map(|e| Problem::new("(file)", e.kind.to_string())).collect(),
    }
}

fn check_value(value: Value) -> Vec<Problem> {
    let mut check = Check::default();
    let mut value = value;
    if let Some(config) = check.read(&mut value) {
        check.semantics(&config, &value);
    }
    let mut seen = BTreeSet::new();
    let stand_ins = &check.stand_ins;
    check
        .problems
        .into_iter()
        .filter(|(p, of_shape)| *of_shape || !stand_ins.iter().any(|s| is_at_or_under(&p.key, s)))
        .map(|(p, _)| p)
        .filter(|p| seen.insert(p.to_string()))
        .collect()
}

#[derive(Default)]
struct Check {
    /// Each problem, and whether it is of the file's shape (found reading it, always kept;
    /// the others, found checking the sections, are dropped at and under stand-ins).
    problems: Vec<(Problem, bool)>,
    /// Keys filled with a stand-in: what follows from the stand-in is not reported.
    stand_ins: Vec<String>,
    /// Keys removed after their problem was reported: their absence is not reported again.
    removed: BTreeSet<String>,
}

/// What a missing key is filled with, tried in turn until one has the key's type.
fn stand_in(attempt: usize) -> Option<Value> {
    let tag = Tag::Default;
    Some(match attempt {
        0 => Value::String(tag, String::new()),
        1 => Value::Dict(tag, Dict::new()),
        2 => Value::Num(tag, figment::value::Num::U8(0)),
        3 => Value::Bool(tag, false),
        4 => Value::Array(tag, Vec::new()),
        _ => return None,
    })
}

impl Check {
    fn report(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push((Problem::new(key, message), false));
    }

    fn report_shape(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push((Problem::new(key, message), true));
    }

    fn quiet(&self, key: &str) -> bool {
        self.removed.contains(key) || self.stand_ins.iter().any(|s| is_at_or_under(key, s))
    }

    /// Reads `value` into a configuration, reporting and setting aside each key that stops it.
    fn read(&mut self, value: &mut Value) -> Option<Config> {
        let mut attempts: std::collections::HashMap<Vec<String>, usize> = Default::default();
        for _ in 0..MAX_ROUNDS {
            // Read as `Config::load` reads (figment's own deserializer, strict about types).
            let figment = figment::Figment::from(figment::providers::Serialized::defaults(&*value));
            let error = match figment.extract::<Config>() {
                Ok(config) => return Some(config),
                Err(error) => error,
            };
            let path = error.path.clone();
            match &error.kind {
                Kind::UnknownField(_, expected) => {
                    let key = key_of(&path);
                    if !self.quiet(&key) {
                        self.report_shape(
                            key.clone(),
                            format!("unknown key; expected one of: {}", expected.join(", ")),
                        );
                    }
                    self.removed.insert(key);
                    remove(value, &path)?;
                }
                Kind::MissingField(name) => {
                    let mut path = path.clone();
                    path.push(name.to_string());
                    let key = key_of(&path);
                    if !self.quiet(&key) {
                        self.report_shape(key.clone(), "missing; it is required");
                    }
                    self.stand_ins.push(key);
                    attempts.insert(path.clone(), 0);
                    set(value, &path, stand_in(0)?)?;
                }
                kind => {
                    let key = key_of(&path);
                    if let Some(attempt) = attempts.get_mut(&path) {
                        // A stand-in of the wrong type: the next one.
                        *attempt += 1;
                        set(value, &path, stand_in(*attempt)?)?;
                        continue;
                    }
                    if path.is_empty() {
                        self.report_shape("(file)", kind.to_string());
                        return None;
                    }
                    if !self.quiet(&key) {
                        let message = match kind {
                            // A secret's value is never quoted, even one of the wrong type.
                            Kind::InvalidType(_, expected) | Kind::InvalidValue(_, expected) if secret(&path) => {
                                format!("invalid value, expected {expected}")
                            }
                            Kind::UnknownVariant(found, expected) => {
                                format!("unknown name `{found}`; expected one of: {}", expected.join(", "))
                            }
                            other => other.to_string(),
                        };
                        self.report_shape(key.clone(), message);
                    }
                    // An element of a list: the list goes (its other elements are not read).
                    let cut = path.iter().position(|segment| segment.parse::<usize>().is_ok()).unwrap_or(path.len());
                    let cut = cut.max(1);
                    self.removed.insert(key_of(&path[..cut]));
                    remove(value, &path[..cut])?;
                }
            }
        }
        self.report_shape("(file)", "too many problems to read on");
        None
    }

    fn semantics(&mut self, config: &Config, value: &Value) {
        self.status_sync(&config.status_sync);
        self.sections(config);
        self.adapters("registries", config.registries.build_each(), value);
        if let Some(partners) = &config.partners {
            self.adapters("partners", partners.build_each(), value);
        }
        self.urls(value, &mut Vec::new());
        self.transports(value);
        self.files(config, value);
        self.purposes(config, value);
        if config.income_check.deadline_ms == 0 {
            self.report("income_check.deadline_ms", "must be at least 1");
        }
        if config.providers.page_size == 0 || config.providers.page_size > 500 {
            self.report("providers.page_size", "must be from 1 to 500");
        }
        if config.store.max_connections == 0 {
            self.report("store.max_connections", "must be at least 1");
        }
        if let Some(url) = &config.store.url {
            self.store_url(url);
        }
        if let Some(case_system) = &config.case_system {
            if case_system.max_attempts == 0 {
                self.report("case_system.max_attempts", "must be at least 1");
            }
            if let Err(error) = crate::status_sync::case_system::CaseSystemPush::new(case_system.clone()) {
                self.report("case_system", format!("the client cannot be built: {error}"));
            }
        }
    }

    /// `StatusSyncConfig::validate` until it passes: each problem is reported and set right in
    /// a copy, so that the next one shows.
    fn status_sync(&mut self, config: &StatusSyncConfig) {
        let mut config = config.clone();
        let defaults = StatusSyncConfig::default();
        for _ in 0..32 {
            let Err(error) = config.validate() else { return };
            match error {
                StatusSyncConfigError::Schedule => {
                    self.report("status_sync.schedule", "not a valid cron expression (sec min hour day month weekday)");
                    config.schedule = defaults.schedule.clone();
                }
                StatusSyncConfigError::Timezone => {
                    self.report("status_sync.timezone", "not a known time zone (an IANA name, e.g. Europe/Riga)");
                    config.timezone = defaults.timezone.clone();
                }
                StatusSyncConfigError::NotAPartner(system) => {
                    let partners: Vec<&str> = PARTNERS.iter().map(|p| p.key()).collect();
                    self.report(
                        format!("status_sync.partners.{}", system.key()),
                        format!("not a partner the outbox delivers to; partners are {}", partners.join(", ")),
                    );
                    config.partners.remove(&system);
                }
                StatusSyncConfigError::Zero(field) => {
                    match field {
                        "max_attempts" => config.max_attempts = defaults.max_attempts,
                        "batch_size" => config.batch_size = defaults.batch_size,
                        "concurrency" => config.concurrency = defaults.concurrency,
                        _ => {
                            for (partner, settings) in config.partners.iter_mut().filter(|(_, s)| s.per_second == 0) {
                                let key = format!("status_sync.partners.{}.per_second", partner.key());
                                let problem =
                                    Problem::new(key, "must be at least 1 (0 requests a second delivers nothing)");
                                self.problems.push((problem, false));
                                settings.per_second = 1;
                            }
                            continue;
                        }
                    }
                    self.report(format!("status_sync.{field}"), "must be at least 1");
                }
                StatusSyncConfigError::Margin => {
                    self.report("status_sync.quota_margin_ms", "must be under 500");
                    config.quota_margin_ms = defaults.quota_margin_ms;
                }
            }
        }
    }

    /// `Config::validate` (the settings that depend on each other) until it passes.
    fn sections(&mut self, config: &Config) {
        let mut config = Config { status_sync: StatusSyncConfig::default(), ..config.clone() };
        for _ in 0..16 {
            match config.validate() {
                Ok(()) => return,
                Err(ConfigError::Key { key, reason }) => {
                    self.report(key, reason);
                    let server = &mut config.server;
                    match key {
                        "server.request_timeout_ms" => {
                            server.request_timeout_ms = config.income_check.deadline_ms.saturating_add(1_000)
                        }
                        "server.per_caller_per_second" => server.per_caller_per_second = 1,
                        "server.per_caller_burst" => server.per_caller_burst = 1,
                        "server.max_connections" => server.max_connections = 1,
                        _ => return,
                    }
                }
                Err(other) => {
                    self.report("(file)", other.to_string());
                    return;
                }
            }
        }
    }

    /// Each adapter built on its own from its section (no network: clients, keys, certificates).
    fn adapters(
        &mut self,
        list: &str,
        built: Vec<(&'static str, Result<gateway_adapters::Built, TransportError>)>,
        value: &Value,
    ) {
        for (field, result) in built {
            let Err(error) = result else { continue };
            let section = format!("{list}.{field}");
            let (key, message) = match &error {
                TransportError::Read { path, source } => (
                    find_value(value, &section, &path.display().to_string()).unwrap_or_else(|| section.clone()),
                    format!("cannot read {}: {source}", path.display()),
                ),
                TransportError::Pem { what, source } => {
                    let name = if what.contains("CA") { "ca_bundle" } else { "client_identity" };
                    (format!("{section}.transport.{name}"), format!("{what} is not valid PEM: {source}"))
                }
                TransportError::MissingKey => (
                    format!("{section}.oauth.client_key_file"),
                    "missing: give client_key_file or client_key_pem".to_owned(),
                ),
                TransportError::Key(source) => {
                    let inline = value.find_ref(&format!("{section}.oauth.client_key_pem")).is_some();
                    let name = if inline { "client_key_pem" } else { "client_key_file" };
                    (
                        format!("{section}.oauth.{name}"),
                        format!("not an RSA private key in PEM (PKCS#1 or PKCS#8): {source}"),
                    )
                }
                other => (section.clone(), other.to_string()),
            };
            self.report(key, message);
        }
    }

    /// Every URL the gateway calls or is called back at: absolute, http or https, with a host.
    fn urls(&mut self, value: &Value, path: &mut Vec<String>) {
        let Value::Dict(_, dict) = value else { return };
        for (name, child) in dict {
            path.push(name.clone());
            match child {
                Value::Dict(..) => self.urls(child, path),
                Value::String(_, text)
                    if matches!(name.as_str(), "base_url" | "token_url" | "jwks_url" | "webhook_url") =>
                {
                    if let Err(reason) = http_url(text) {
                        self.report(key_of(path), reason);
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }

    fn store_url(&mut self, url: &str) {
        let ok = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            sqlx::postgres::PgConnectOptions::from_str(url).map(drop).map_err(|e| e.to_string())
        } else if url.starts_with("sqlite:") {
            sqlx::sqlite::SqliteConnectOptions::from_str(url).map(drop).map_err(|e| e.to_string())
        } else {
            Err("not a postgres:// or sqlite: URL".to_owned())
        };
        if let Err(reason) = ok {
            // The URL may carry a password: the reason never quotes it.
            let reason = if reason.contains(url) { "not a valid URL".to_owned() } else { reason };
            self.report("store.url", reason);
        }
    }

    /// The transports' limits that would let no call through: a quota of 0 a second or a burst
    /// of 0, no call in flight, no time for an attempt.
    fn transports(&mut self, value: &Value) {
        for list in ["registries", "partners"] {
            let Some(Value::Dict(_, sections)) = value.find_ref(list) else { continue };
            for (section, settings) in sections {
                let prefix = format!("{list}.{section}.transport");
                let Some(transport) = settings.find_ref("transport") else { continue };
                for (key, what) in [
                    ("quota.per_second", "must be at least 1 (0 requests a second admits none)"),
                    ("quota.burst", "must be at least 1 (a burst of 0 admits no request)"),
                    ("concurrency_limit", "must be at least 1 (0 calls in flight admits none)"),
                    ("timeout_ms", "must be at least 1"),
                    ("connect_timeout_ms", "must be at least 1"),
                ] {
                    if transport.find_ref(key).and_then(|v| v.deserialize::<i64>().ok()) == Some(0) {
                        self.report(format!("{prefix}.{key}"), what);
                    }
                }
            }
        }
    }

    /// The files the configuration names (keys, certificates, rules), read and parsed.
    fn files(&mut self, config: &Config, value: &Value) {
        if config.signing.key_file.is_some() {
            if let Err(error) = crate::signing::Signer::from_config(&config.signing) {
                self.report("signing.key_file", strip(&error.to_string(), "signing.key_file"));
            }
        }
        if config.audit.key.is_some() {
            if let Err(reason) = config.audit.key() {
                self.report("audit.key", strip(&reason, "audit.key"));
            }
        }
        if let Some(Err(error)) = config.auth.as_ref().map(|auth| KeySet::check(auth).map_err(|e| (auth, e))) {
            let (auth, error) = error;
            let key = match &error {
                KeySetError::Source => "auth",
                KeySetError::Leeway => "auth.leeway_secs",
                _ if auth.jwks_file.is_some() => "auth.jwks_file",
                _ => "auth.jwks",
            };
            let message = error.to_string();
            let message = strip(strip(&message, "auth.leeway_secs"), "auth");
            self.report(key, message);
        }
        if let Some(Err(error)) = config.server.tls.as_ref().map(crate::tls::TlsConfig::acceptor) {
            match &error {
                TlsError::Read { path, reason } => {
                    let key = find_value(value, "server.tls", path).unwrap_or_else(|| "server.tls".into());
                    self.report(key, format!("cannot read {path}: {reason}"));
                }
                TlsError::Invalid(reason) => self.report("server.tls", reason.clone()),
            }
        }
        if let Err(error) = crate::assessment::Rules::load(config.assessment.rules_file.as_deref()) {
            self.report("assessment.rules_file", error.to_string());
        }
        if let Err(error) = crate::providers::ProviderRules::load(config.providers.rules_file.as_deref()) {
            self.report("providers.rules_file", error.to_string());
        }
    }

    /// Each purpose's profile names registries the income check asks (those the file names:
    /// the default list is every system), and a legal basis.
    fn purposes(&mut self, config: &Config, value: &Value) {
        let Some(profiles) = &config.purposes else { return };
        let registries: &[System] = RegistriesConfig::SYSTEMS;
        let mut purposes: Vec<_> = profiles.iter().collect();
        purposes.sort_by_key(|(purpose, _)| purpose.code());
        for (purpose, profile) in purposes {
            let key = format!("purposes.{}", purpose.code());
            let named = value.find_ref(&format!("{key}.registries")).is_some();
            for system in profile.registries.iter().filter(|s| named && !registries.contains(s)) {
                let what = if PartnersConfig::SYSTEMS.contains(system) { "a partner" } else { "not a registry" };
                let names: Vec<&str> = registries.iter().map(|s| s.key()).collect();
                self.report(
                    format!("{key}.registries"),
                    format!(
                        "{} is {what}, not one the income check asks; registries are {}",
                        system.key(),
                        names.join(", ")
                    ),
                );
            }
            if profile.legal_basis.trim().is_empty() {
                self.report(format!("{key}.legal_basis"), "must not be empty");
            }
        }
    }
}

/// A message on one line: a TOML parser's excerpt of the file (`1 | [server`, `  ^`) left out.
fn one_line(message: &str) -> String {
    let excerpt = |line: &str| {
        let rest = line.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start();
        rest.starts_with('|') || line.chars().all(|c| c == '^' || c == '-' || c.is_whitespace())
    };
    let lines: Vec<&str> = message.lines().map(str::trim).filter(|line| !line.is_empty() && !excerpt(line)).collect();
    lines.join("; ")
}

/// Whether the key holds a secret (a password, an API key, a key given inline, the audit key).
fn secret(path: &[String]) -> bool {
    path.last().is_some_and(|name| {
        name.contains("password")
            || name.contains("secret")
            || name == "api_key"
            || name == "key"
            || name.ends_with("_pem")
    })
}

/// Whether `key` is `prefix` or a key inside it.
fn is_at_or_under(key: &str, prefix: &str) -> bool {
    key == prefix || key.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// A message without the key it repeats (`signing.key_file: cannot read ...`).
fn strip<'a>(message: &'a str, key: &str) -> &'a str {
    message.strip_prefix(key).and_then(|rest| rest.strip_prefix(": ").or(rest.strip_prefix(' '))).unwrap_or(message)
}

/// The dotted key of a path, list elements as `[i]`.
fn key_of(path: &[String]) -> String {
    let mut key = String::new();
    for segment in path {
        if segment.parse::<usize>().is_ok() && !key.is_empty() {
            key.push_str(&format!("[{segment}]"));
        } else {
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(segment);
        }
    }
    key
}

/// The key under `prefix` whose value is the string `needle` (a file an error names).
fn find_value(value: &Value, prefix: &str, needle: &str) -> Option<String> {
    fn walk(value: &Value, path: &mut Vec<String>, needle: &str) -> Option<String> {
        match value {
            Value::String(_, text) if text == needle => Some(key_of(path)),
            Value::Dict(_, dict) => dict.iter().find_map(|(name, child)| {
                path.push(name.clone());
                let found = walk(child, path, needle);
                path.pop();
                found
            }),
            _ => None,
        }
    }
    let mut path: Vec<String> = prefix.split('.').map(str::to_owned).collect();
    walk(value.find_ref(prefix)?, &mut path, needle)
}

fn http_url(text: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(text).map_err(|e| format!("not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("must be an http or https URL, not {}:", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL names no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; give them in their own keys".into());
    }
    Ok(())
}

/// The value's dictionary at `path`, or `None` when the path does not lead through dictionaries.
fn dict_at<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Dict> {
    let mut current = value;
    for segment in path {
        let Value::Dict(_, dict) = current else { return None };
        current = dict.get_mut(segment)?;
    }
    match current {
        Value::Dict(_, dict) => Some(dict),
        _ => None,
    }
}

fn remove(value: &mut Value, path: &[String]) -> Option<()> {
    let (last, parent) = path.split_last()?;
    dict_at(value, parent)?.remove(last).map(drop)
}

fn set(value: &mut Value, path: &[String], new: Value) -> Option<()> {
    let (last, parent) = path.split_last()?;
    dict_at(value, parent)?.insert(last.clone(), new);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.key.as_str()).collect()
    }

    fn example() -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/gateway.example.toml")).unwrap()
    }

    #[test]
    fn the_example_has_no_problem() {
        // Its key files are named relative to the repository, where the tests run.
        let problems = check_toml(&example());
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_missing_section_a_wrong_type_and_a_missing_field_are_each_reported_once() {
        let problems = check_toml("[server]\nbind = 7\nmax_connections = 0\n[partners.baris]\nbase_url = \"x\"\n");
        let keys = keys(&problems);
        assert!(keys.contains(&"server.bind"), "{problems:?}");
        assert!(keys.contains(&"registries"), "{problems:?}");
        assert!(keys.contains(&"partners.baris.institution"), "{problems:?}");
        assert!(keys.contains(&"partners.bridzis"), "{problems:?}");
        // Nothing about what lies under a missing section: it was not given.
        assert!(!keys.iter().any(|k| k.starts_with("registries.")), "{problems:?}");
        assert!(!keys.iter().any(|k| k.starts_with("partners.bridzis.")), "{problems:?}");
    }

    #[test]
    fn every_bad_setting_of_the_status_sync_and_the_server_is_reported() {
        let text = example()
            .replace("schedule = \"0 0 2 * * *\"", "schedule = \"nightly\"")
            .replace("timezone = \"Europe/Riga\"", "timezone = \"Europe/Atlantis\"")
            .replace("[status_sync.partners.nino]\nper_second = 20", "[status_sync.partners.nino]\nper_second = 0")
            .replace("per_caller_burst = 200", "per_caller_burst = 0")
            + "\n[purposes.status_review]\nlegal_basis = \"x\"\nregistries = [\"baris\"]\n";
        let problems = check_toml(&text);
        let keys = keys(&problems);
        for key in [
            "status_sync.schedule",
            "status_sync.timezone",
            "status_sync.partners.nino.per_second",
            "server.per_caller_burst",
            "purposes.status_review.registries",
        ] {
            assert!(keys.contains(&key), "{key} in {problems:?}");
        }
    }

    #[test]
    fn keys_name_list_elements_and_nested_tables() {
        assert_eq!(key_of(&["a".into(), "b".into(), "2".into()]), "a.b[2]");
        assert!(is_at_or_under("registries.pmlp.base_url", "registries.pmlp"));
        assert!(!is_at_or_under("registries.pmlp2", "registries.pmlp"));
        assert!(http_url("http://127.0.0.1:1").is_ok());
        assert!(http_url("127.0.0.1:18081").is_err());
        assert!(http_url("ftp://host").is_err());
        let problems = check_toml("[registries.vsaa]\npassword = 123456\n");
        let password = problems.iter().find(|p| p.key == "registries.vsaa.password").expect("reported");
        assert!(!password.message.contains("123456"), "{password}");
        assert_eq!(
            one_line("TOML parse error at line 1, column 8\n  |\n1 | [server\n  |        ^\ninvalid table header\n"),
            "TOML parse error at line 1, column 8; invalid table header"
        );
    }
}
