//! The SOAP envelope reader every SOAP adapter uses: any answer is a body, a fault or a
//! `Malformed` error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Answer {
    #[serde(rename = "Record", default)]
    records: Vec<Record>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Record {
    #[serde(rename = "PersonCode", default)]
    person_code: Option<String>,
    #[serde(rename = "AmountCents", default)]
    amount_cents: Option<i64>,
}

fuzz_target!(|text: &str| {
    let _ = gateway_adapters::transport::parse_envelope::<Answer>(text);
});
