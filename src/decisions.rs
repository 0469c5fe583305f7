//! Intake of status decisions, shared by `POST /v1/status-decisions` and
//! `gateway decisions import`: reading a decision field by field so that every error names its
//! field as a JSON pointer (and never repeats the value), and importing an NDJSON file whole or
//! not at all.

use std::io::{BufRead, BufReader};
use std::path::Path;

use gateway_domain::{HouseholdStatus, PersonCode, StatusDecision, System};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};
use time::Date;

use crate::store::{IntakeOutcome, Store, StoreError};

/// Decisions one request may carry at most; larger sets go through `gateway decisions import`.
pub const MAX_BATCH: usize = 1_000;

const FIELDS: &[&str] = &["decision_ref", "version", "status", "members", "valid_from", "valid_to"];

/// A field that is missing or not valid. `detail` never repeats the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct FieldError {
    /// A JSON pointer into the request body (or the NDJSON line).
    pub field: String,
    pub detail: String,
}

fn invalid(field: String, detail: &str) -> FieldError {
    FieldError { field, detail: detail.to_owned() }
}

fn string<'a>(object: &'a Map<String, Value>, base: &str, name: &str) -> Result<&'a str, FieldError> {
    match object.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(invalid(format!("{base}/{name}"), "must be a string")),
        None => Err(invalid(format!("{base}/{name}"), "is required")),
    }
}

fn date(raw: &str, field: String) -> Result<Date, FieldError> {
    gateway_domain::parse_iso_date(raw).ok_or_else(|| invalid(field, "must be a calendar date YYYY-MM-DD"))
}

/// Reads one decision from JSON; `base` is its pointer in the body (`""` for a lone decision,
/// `/decisions/3` in a batch).
pub fn parse_decision(value: &Value, base: &str) -> Result<StatusDecision, FieldError> {
    let Value::Object(object) = value else {
        return Err(invalid(base.to_owned(), "a decision is a JSON object"));
    };
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        // The key is the client's own text, not personal data, but keep it short.
        let name: String = unknown.chars().take(40).collect();
        return Err(invalid(format!("{base}/{name}"), "is not a field of a decision"));
    }
    let decision_ref = string(object, base, "decision_ref")?.to_owned();
    let version = match object.get("version") {
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| invalid(format!("{base}/version"), "must be a whole number from 1"))?,
        Some(_) => return Err(invalid(format!("{base}/version"), "must be a whole number from 1")),
        None => return Err(invalid(format!("{base}/version"), "is required")),
    };
    let status = match string(object, base, "status")? {
        "needy" => HouseholdStatus::Needy,
        "low_income" => HouseholdStatus::LowIncome,
        "ended" => HouseholdStatus::Ended,
        _ => return Err(invalid(format!("{base}/status"), "is one of needy, low_income, ended")),
    };
    let members = match object.get("members") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(raw) => PersonCode::parse(raw)
                    .map_err(|e| FieldError { field: format!("{base}/members/{i}"), detail: e.to_string() }),
                _ => Err(invalid(format!("{base}/members/{i}"), "must be a personal code as a string")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(invalid(format!("{base}/members"), "must be an array of personal codes")),
        None => return Err(invalid(format!("{base}/members"), "is required")),
    };
    let valid_from = date(string(object, base, "valid_from")?, format!("{base}/valid_from"))?;
    let valid_to = match object.get("valid_to") {
        None | Some(Value::Null) => None,
        Some(Value::String(raw)) => Some(date(raw, format!("{base}/valid_to"))?),
        Some(_) => return Err(invalid(format!("{base}/valid_to"), "must be a calendar date YYYY-MM-DD or null")),
    };
    let decision = StatusDecision { decision_ref, version, status, members, valid_from, valid_to };
    decision.validate().map_err(|e| FieldError { field: format!("{base}{}", e.field), detail: e.reason })?;
    Ok(decision)
}

/// Reads a request body: one decision, or `{"decisions": [...]}` with 1 to [`MAX_BATCH`].
/// Returns the decisions and whether the body was a batch.
pub fn parse_body(body: &Value) -> Result<(Vec<StatusDecision>, bool), FieldError> {
    parse_batch(body, "decisions", parse_decision)
}

/// Reads a body that is one item or `{"<field>": [...]}` with 1 to [`MAX_BATCH`] items, each
/// read by `parse` with its JSON pointer. Returns the items and whether the body was a batch.
pub fn parse_batch<T>(
    body: &Value,
    field: &str,
    parse: impl Fn(&Value, &str) -> Result<T, FieldError>,
) -> Result<(Vec<T>, bool), FieldError> {
    match body {
        Value::Object(object) if object.contains_key(field) => {
            if object.len() > 1 {
                return Err(invalid(String::new(), &format!("a batch has only the field {field}")));
            }
            let Some(Value::Array(items)) = object.get(field) else {
                return Err(invalid(format!("/{field}"), &format!("must be an array of {field}")));
            };
            if items.is_empty() || items.len() > MAX_BATCH {
                return Err(invalid(format!("/{field}"), &format!("a batch holds 1 to {MAX_BATCH} {field}")));
            }
            let parsed = items
                .iter()
                .enumerate()
                .map(|(i, item)| parse(item, &format!("/{field}/{i}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((parsed, true))
        }
        other => Ok((vec![parse(other, "")?], false)),
    }
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    /// Lines that are not valid decisions (at most [`MAX_REPORTED`] of them listed).
    #[error("{count} line(s) are not valid decisions; nothing was stored")]
    Invalid { count: usize, lines: Vec<(usize, FieldError)> },
    /// A line repeats a stored decision version with different content.
    #[error("line {0} changes a decision version already stored; nothing was stored")]
    Conflict(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Invalid lines listed at most in an [`ImportError::Invalid`].
pub const MAX_REPORTED: usize = 20;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub lines: usize,
    pub stored: usize,
    pub unchanged: usize,
}

/// The longest line an import reads; a decision with 20 members is well under 2 KiB.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One line of a file as read: its text, or that it was longer than [`MAX_LINE_BYTES`].
enum Line {
    Text(Vec<u8>),
    TooLong,
}

/// Reads NDJSON line by line, never holding more than [`MAX_LINE_BYTES`] of a line, and
/// counting the bytes read for progress.
struct Lines<R> {
    reader: R,
}

impl<R: BufRead> Lines<R> {
    /// The next line and the bytes it took, `None` at the end.
    fn next_line(&mut self) -> std::io::Result<Option<(Line, u64)>> {
        let mut line = Vec::new();
        let mut consumed = 0u64;
        let mut too_long = false;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                return Ok(
                    (consumed > 0).then_some((if too_long { Line::TooLong } else { Line::Text(line) }, consumed))
                );
            }
            let (chunk, done) = match buffer.iter().position(|&b| b == b'\n') {
                Some(end) => (&buffer[..end], Some(end + 1)),
                None => (buffer, None),
            };
            if !too_long {
                if line.len() + chunk.len() > MAX_LINE_BYTES {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(chunk);
                }
            }
            let used = done.unwrap_or(buffer.len());
            self.reader.consume(used);
            consumed += used as u64;
            if done.is_some() {
                return Ok(Some((if too_long { Line::TooLong } else { Line::Text(line) }, consumed)));
            }
        }
    }
}

fn parse_line(line: &Line, number: usize) -> Result<Option<StatusDecision>, (usize, FieldError)> {
    let text = match line {
        Line::TooLong => {
            return Err((number, invalid(String::new(), &format!("longer than {MAX_LINE_BYTES} bytes"))));
        }
        Line::Text(text) => text.strip_suffix(b"\r").unwrap_or(text),
    };
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let value: Value = crate::json::parse(text)
        .map_err(|e| (number, invalid(String::new(), &format!("{} (column {})", e.what, e.column))))?;
    parse_decision(&value, "").map(Some).map_err(|e| (number, e))
}

fn progress_bar(length: u64, show: bool, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(length),
        if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:40}] {bytes}/{total_bytes} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_owned());
    bar
}

/// Imports an NDJSON file (one decision per line; blank lines skipped) for `partners`: first
/// every line is checked, then all are stored in one transaction, so a bad file or a conflict
/// stores nothing. `progress` shows a bar per pass on stderr.
pub async fn import_file(
    store: &Store,
    path: &Path,
    partners: &[System],
    progress: bool,
) -> Result<ImportSummary, ImportError> {
    let size = std::fs::metadata(path)?.len();
    // Pass 1: check every line without keeping the decisions, so any file size fits in memory.
    let bar = progress_bar(size, progress, "checking");
    let mut errors = Vec::new();
    let mut count = 0usize;
    let mut lines = 0usize;
    let mut reader = Lines { reader: BufReader::new(std::fs::File::open(path)?) };
    while let Some((line, bytes)) = reader.next_line()? {
        bar.inc(bytes);
        lines += 1;
        if let Err(error) = parse_line(&line, lines) {
            count += 1;
            if errors.len() < MAX_REPORTED {
                errors.push(error);
            }
        }
    }
    bar.finish_and_clear();
    if count > 0 {
        return Err(ImportError::Invalid { count, lines: errors });
    }
    // Pass 2: store.
    let bar = progress_bar(size, progress, "storing");
    let mut intake = store.begin_intake(partners).await?;
    let mut summary = ImportSummary { lines, ..ImportSummary::default() };
    let mut reader = Lines { reader: BufReader::new(std::fs::File::open(path)?) };
    let mut number = 0usize;
    while let Some((line, bytes)) = reader.next_line()? {
        bar.inc(bytes);
        number += 1;
        // The file was checked above; a line that fails now was changed meanwhile.
        let Some(decision) =
            parse_line(&line, number).map_err(|(n, e)| ImportError::Invalid { count: 1, lines: vec![(n, e)] })?
        else {
            continue;
        };
        match intake.add(&decision).await? {
            IntakeOutcome::Stored => summary.stored += 1,
            IntakeOutcome::Unchanged => summary.unchanged += 1,
            IntakeOutcome::Conflict => return Err(ImportError::Conflict(number)),
        }
    }
    intake.commit().await?;
    bar.finish_and_clear();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn good() -> Value {
        json!({"decision_ref": "TUK-2026-000123", "version": 1, "status": "needy",
               "members": ["121282-11210", "32579318462"], "valid_from": "2026-11-01", "valid_to": null})
    }

    fn field_of(body: Value) -> String {
        parse_body(&body).unwrap_err().field
    }

    #[test]
    fn a_lone_decision_and_a_batch_are_read() {
        assert_eq!(parse_body(&good()).unwrap().0.len(), 1);
        let (batch, is_batch) = parse_body(&json!({"decisions": [good(), good()]})).unwrap();
        assert_eq!((batch.len(), is_batch), (2, true));
    }

    #[test]
    fn each_bad_field_is_named_by_its_pointer() {
        let mut bad = good();
        bad["members"][1] = json!("121282-11211");
        assert_eq!(field_of(json!({"decisions": [good(), bad]})), "/decisions/1/members/1");
        let mut bad = good();
        bad["status"] = json!("rich");
        assert_eq!(field_of(bad), "/status");
        let mut bad = good();
        bad["version"] = json!(0);
        assert_eq!(field_of(bad), "/version");
        let mut bad = good();
        bad["valid_to"] = json!("2026-10-01");
        assert_eq!(field_of(bad), "/valid_to");
        let mut bad = good();
        bad["valid_from"] = json!("01.11.2026");
        assert_eq!(field_of(bad), "/valid_from");
        let mut bad = good();
        bad["amount"] = json!(100);
        assert_eq!(field_of(bad), "/amount");
        let mut bad = good();
        bad.as_object_mut().unwrap().remove("decision_ref");
        assert_eq!(field_of(bad), "/decision_ref");
        assert_eq!(field_of(json!({"decisions": []})), "/decisions");
    }

    #[test]
    fn references_dates_and_lines_are_bounded() {
        for bad_ref in ["a/b", "..", ".", "TUK 1", "TUK\n1", &"A".repeat(65)] {
            let mut bad = good();
            bad["decision_ref"] = json!(bad_ref);
            assert_eq!(field_of(bad), "/decision_ref", "{bad_ref:?}");
        }
        let mut fine = good();
        fine["decision_ref"] = json!("TUK-2026.000123_a");
        assert!(parse_body(&fine).is_ok());
        for (field, raw) in [("valid_from", "1899-01-01"), ("valid_from", "2100-01-01"), ("valid_to", "9999-12-31")] {
            let mut bad = good();
            bad[field] = json!(raw);
            assert_eq!(field_of(bad), format!("/{field}"), "{raw}");
        }
        let long = Line::Text(vec![b' '; 10]);
        assert!(matches!(parse_line(&long, 1), Ok(None)));
        assert!(parse_line(&Line::TooLong, 7).unwrap_err().1.detail.contains("longer than"));
        let repeated = Line::Text(br#"{"decision_ref": "A", "decision_ref": "B"}"#.to_vec());
        assert!(parse_line(&repeated, 1).unwrap_err().1.detail.contains("repeats a key"));
    }

    #[test]
    fn a_line_longer_than_the_cap_is_read_past_not_held() {
        let text = format!("{}\nshort\n", "x".repeat(MAX_LINE_BYTES + 10));
        let mut lines = Lines { reader: std::io::BufReader::with_capacity(1024, text.as_bytes()) };
        let (first, bytes) = lines.next_line().unwrap().unwrap();
        assert!(matches!(first, Line::TooLong));
        assert_eq!(bytes as usize, MAX_LINE_BYTES + 11);
        assert!(matches!(lines.next_line().unwrap().unwrap().0, Line::Text(t) if t == b"short"));
        assert!(lines.next_line().unwrap().is_none());
    }

    #[test]
    fn errors_never_repeat_a_personal_code() {
        let mut bad = good();
        bad["members"][0] = json!("121282-11211");
        let error = parse_body(&bad).unwrap_err();
        assert!(!error.to_string().contains("121282"), "{error}");
    }
}
