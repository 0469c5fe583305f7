//! Micro-benchmarks of the SOAP wire: writing one request envelope (WS-Security header, request
//! header, body) and reading one response envelope, VSAA's income answer from its schema
//! examples.
//!
//! `cargo bench -p gateway-adapters --bench soap`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gateway_adapters::transport::{parse_envelope, write_envelope};
use gateway_domain::{Purpose, RequestContext, RequestId};
use secrecy::SecretString;
use serde::Serialize;

const RESPONSE: &str = include_str!("../../schemas/vsaa/examples/get-person-incomes-response.xml");

#[derive(Serialize)]
#[serde(rename = "GetPersonIncomesRequest", rename_all = "PascalCase")]
struct Request<'a> {
    #[serde(rename = "@xmlns")]
    ns: &'a str,
    person_code: &'a str,
    from_month: &'a str,
    to_month: &'a str,
}

fn benches(c: &mut Criterion) {
    let ctx = RequestContext {
        request_id: RequestId::new(),
        purpose: Purpose::MeansTest,
        legal_basis: "Social Services and Social Assistance Law, art. 33".into(),
        officer: "caseworker-17".into(),
        deadline: Instant::now() + Duration::from_secs(3600),
    };
    let password = SecretString::from("simulated-password");
    let ns = "urn:lv:vsaa:income:v1";
    let body = Request { ns, person_code: "121282-11210", from_month: "2026-08", to_month: "2026-10" };
    c.bench_function("write a SOAP request envelope (VSAA incomes)", |b| {
        b.iter(|| write_envelope(ns, "90000000001", "tukums-social-service", &password, &ctx, black_box(&body)))
    });
    c.bench_function("read a SOAP response envelope (VSAA incomes, 3 months)", |b| {
        b.iter(|| parse_envelope::<serde::de::IgnoredAny>(black_box(RESPONSE)))
    });
}

criterion_group!(soap, benches);
criterion_main!(soap);
