//! `gateway invoices import FILE.csv`: providers' invoice lines, read whole before anything is
//! stored and stored in one transaction, or not at all. Every error names its line and column
//! and never repeats the value.
//!
//! The file is CSV with a header `provider,month,person,service,amount`: the provider's
//! 11-digit registration number, the month `YYYY-MM`, the client's personal code, the service
//! key (`home_care`, `day_care`, `social_rehabilitation`, `respite_care`,
//! `disabled_child_care`) and the amount in euro with at most two decimals (`123.45`).

use std::collections::HashMap;
use std::path::Path;

use gateway_domain::{Money, Month, PersonCode, ServiceType, is_registration_number};

use crate::store::{Invoice, Store, StoreError};

/// The columns, in order.
pub const COLUMNS: [&str; 5] = ["provider", "month", "person", "service", "amount"];

/// Errors listed at most.
pub const MAX_REPORTED: usize = 20;

/// One bad cell or line. `line` counts from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {detail}")]
pub struct CellError {
    pub line: u64,
    pub column: String,
    pub detail: String,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum InvoiceImportError {
    #[error("cannot read the file: {0}")]
    Read(String),
    #[error("{count} problem(s) in the file; nothing was stored")]
    Invalid { count: usize, errors: Vec<CellError> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn cell(line: u64, column: &str, detail: &str) -> CellError {
    CellError { line, column: column.to_owned(), detail: detail.to_owned() }
}

/// Reads every line of `text`; the lines, or every problem found (at most [`MAX_REPORTED`]
/// listed, all counted).
pub fn parse(text: &[u8], source: &str) -> Result<Vec<Invoice>, InvoiceImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(text);
    let mut errors = Vec::new();
    let headers = reader.headers().map_err(|e| InvoiceImportError::Read(e.to_string()))?.clone();
    if headers.iter().collect::<Vec<_>>() != COLUMNS {
        return Err(InvoiceImportError::Invalid {
            count: 1,
            errors: vec![cell(1, "", "the header must be provider,month,person,service,amount")],
        });
    }
    let mut invoices = Vec::new();
    let mut seen: HashMap<(String, Month, PersonCode, ServiceType), u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                // The csv crate's message names positions and quoting, never a cell's content.
                errors.push(cell(line, "", "is not a CSV line"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != COLUMNS.len() {
            errors.push(cell(line, "", "a line has 5 columns"));
            continue;
        }
        let mut problem = |column: &str, detail: &str| errors.push(cell(line, column, detail));
        let provider = record[0].to_owned();
        if !is_registration_number(&provider) {
            problem("provider", "must be an 11-digit registration number");
        }
        let month = Month::parse(&record[1]).map_err(|_| problem("month", "must be a month YYYY-MM")).ok();
        let person = PersonCode::parse(&record[2]).map_err(|e| problem("person", &e.to_string())).ok();
        let service = ServiceType::from_key(&record[3]);
        if service.is_none() {
            problem(
                "service",
                "must be one of home_care, day_care, social_rehabilitation, respite_care, disabled_child_care",
            );
        }
        let amount = match Money::parse_decimal(&record[4]) {
            Ok(amount) if amount.cents() >= 0 => Some(amount),
            _ => {
                problem("amount", "must be an amount in euro, not negative, with at most two decimals");
                None
            }
        };
        let (Some(month), Some(person), Some(service), Some(amount)) = (month, person, service, amount) else {
            continue;
        };
        if !is_registration_number(&provider) {
            continue;
        }
        if let Some(first) = seen.insert((provider.clone(), month, person.clone(), service), line) {
            errors.push(cell(line, "", &format!("repeats the provider, month, person and service of line {first}")));
            continue;
        }
        invoices.push(Invoice {
            provider,
            month,
            person,
            service,
            amount_cents: amount.cents(),
            source: source.to_owned(),
            line,
        });
    }
    if !errors.is_empty() {
        let count = errors.len();
        errors.truncate(MAX_REPORTED);
        return Err(InvoiceImportError::Invalid { count, errors });
    }
    Ok(invoices)
}

/// Reads `path` whole, then stores every line in one transaction. Returns how many.
pub async fn import_file(store: &Store, path: &Path) -> Result<u64, InvoiceImportError> {
    let text = std::fs::read(path).map_err(|e| InvoiceImportError::Read(e.to_string()))?;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let invoices = parse(&text, &source)?;
    Ok(store.import_invoices(&invoices).await?)
}
