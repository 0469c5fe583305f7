//! `gateway check-config FILE`: the shipped example passes; a file with several problems gets
//! every one of them, each with its key, and exit code 1. Nothing is started.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `gateway check-config FILE` from the repository (where the example's relative key
/// paths point), without the environment's configuration overrides.
fn check_config(file: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gateway"));
    command.arg("check-config").arg(file).current_dir(MANIFEST_DIR).stdin(Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("GATEWAY_") && name.contains("__") {
            command.env_remove(name);
        }
    }
    command.output().expect("the gateway runs")
}

fn example() -> String {
    std::fs::read_to_string(Path::new(MANIFEST_DIR).join("config/gateway.example.toml")).unwrap()
}

/// `text` with the first `key = ...` line of `[section]` replaced by `line`.
fn set_in_section(text: &str, section: &str, key: &str, line: &str) -> String {
    let header = format!("[{section}]");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = lines.iter().position(|l| l.trim() == header).unwrap_or_else(|| panic!("no {header}"));
    let index = lines[start + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| l.trim_start().starts_with(&format!("{key} ")) || l.trim_start().starts_with(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key} in {header}"));
    lines[start + 1 + index] = line.to_owned();
    lines.join("\n") + "\n"
}

#[test]
fn the_shipped_example_passes() {
    let output = check_config(&Path::new(MANIFEST_DIR).join("config/gateway.example.toml"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.trim(), "ok");
}

#[test]
fn every_problem_is_reported_with_its_key_and_the_exit_code_is_1() {
    let dir = tempfile::tempdir().unwrap();
    let missing_key = dir.path().join("no-such-key.pem");
    let mut text = example();
    // An unknown key, a key file that is not there, a URL that is not one, a quota of nothing.
    text = set_in_section(&text, "server", "bind", "bind = \"127.0.0.1:8080\"\nlisten_backlog = 128");
    text = set_in_section(
        &text,
        "registries.nva.oauth",
        "client_key_file",
        &format!("client_key_file = \"{}\"", missing_key.display()),
    );
    text = set_in_section(&text, "registries.cadastre", "base_url", "base_url = \"cadastre.example:18086\"");
    text = set_in_section(&text, "registries.vsaa.transport.quota", "per_second", "per_second = 0");
    let file = dir.path().join("gateway.toml");
    std::fs::write(&file, text).unwrap();

    let output = check_config(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    for key in [
        "server.listen_backlog: unknown key",
        "registries.nva.oauth.client_key_file: cannot read",
        "registries.cadastre.base_url: ",
        "registries.vsaa.transport.quota.per_second: must be at least 1",
    ] {
        assert!(lines.iter().any(|line| line.starts_with(key)), "{key} in:\n{stdout}");
    }
    assert_eq!(lines.len(), 4, "only those four:\n{stdout}");
    assert!(!stdout.contains("ok\n") && !stdout.contains("simulated-password"), "{stdout}");
}

#[test]
fn a_missing_section_a_bad_schedule_and_a_purpose_asking_a_partner_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gateway.toml");
    std::fs::write(
        &file,
        "[server]\nbind = \"127.0.0.1:8080\"\nmax_connections = 0\n\n[status_sync]\nschedule = \"nightly\"\n\n\
         [purposes.means_test]\nlegal_basis = \"Social Services and Social Assistance Law, art. 33\"\n\
         registries = [\"vsaa\", \"baris\"]\n",
    )
    .unwrap();
    let output = check_config(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for key in [
        "registries: missing",
        "server.max_connections: ",
        "status_sync.schedule: ",
        "purposes.means_test.registries: baris",
    ] {
        assert!(stdout.lines().any(|line| line.starts_with(key)), "{key} in:\n{stdout}");
    }
}

#[test]
fn a_file_that_is_not_toml_or_not_there_is_one_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, "[server\nbind = 1\n").unwrap();
    let output = check_config(&file);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
    let output = check_config(&dir.path().join("absent.toml"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("absent.toml: cannot read"));
}
