//! Partners for the status sync tests, pluggable into the helpers: [`TestSink`], an in-memory
//! `StatusSink` for in-process runs, and [`TestPartner`], a small HTTP partner for runs of the
//! `gateway` process. Both deduplicate by idempotency key, count what they accepted and what
//! they received per wall-clock second, and fail on demand. When the partner simulators are in,
//! [`TestPartner`]'s URL and counters can be swapped for theirs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gateway_domain::{
    IdempotencyKey, Receipt, RequestContext, SinkError, SourceError, StatusDecision, StatusSink, System,
};
use rand::Rng;
use serde_json::{Value, json};

/// What a partner does wrong; percents are drawn per request.
#[derive(Debug, Clone, Default)]
pub struct PartnerFaults {
    /// Percent of requests answered as a server error (5xx).
    pub server_error_percent: u8,
    /// Percent of requests throttled (429).
    pub throttle_percent: u8,
    /// Decisions the partner refuses for good, by reference.
    pub reject_refs: HashSet<String>,
}

/// Why the partner refuses a decision in the reject list.
pub const REJECTION_CODE: &str = "household-unknown";

/// What a partner saw; shared by both kinds of partner.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Deliveries accepted per idempotency key: the first applies it, later ones are answered as
    /// duplicates and change nothing. 1 each when nothing was ever sent twice.
    pub accepted: HashMap<String, u32>,
    /// Requests that arrived with a key already accepted.
    pub repeats: u64,
    /// Requests received (faulted or not) per Unix second.
    pub per_second: BTreeMap<u64, u32>,
    pub requests: u64,
}

impl Ledger {
    pub fn max_per_second(&self) -> u32 {
        self.per_second.values().copied().max().unwrap_or(0)
    }
}

enum Verdict {
    Accepted { partner_ref: String, duplicate: bool },
    Rejected,
    ServerError,
    Throttled,
}

#[derive(Default)]
struct Shared {
    ledger: Mutex<Ledger>,
    faults: Mutex<PartnerFaults>,
}

impl Shared {
    fn judge(&self, decision_ref: &str, key: &str) -> Verdict {
        let second = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let mut ledger = self.ledger.lock().unwrap();
        ledger.requests += 1;
        *ledger.per_second.entry(second).or_default() += 1;
        let faults = self.faults.lock().unwrap().clone();
        let draw = |percent: u8| percent > 0 && rand::rng().random_range(0..100u8) < percent;
        if faults.reject_refs.contains(decision_ref) {
            return Verdict::Rejected;
        }
        if draw(faults.server_error_percent) {
            return Verdict::ServerError;
        }
        if draw(faults.throttle_percent) {
            return Verdict::Throttled;
        }
        let count = ledger.accepted.entry(key.to_owned()).or_default();
        *count += 1;
        let duplicate = *count > 1;
        if duplicate {
            ledger.repeats += 1;
        }
        Verdict::Accepted { partner_ref: format!("P-{}", &key[..12]), duplicate }
    }
}

/// An in-memory partner.
#[derive(Clone)]
pub struct TestSink {
    system: System,
    shared: Arc<Shared>,
}

impl TestSink {
    pub fn new(system: System) -> Self {
        Self { system, shared: Arc::default() }
    }

    pub fn set_faults(&self, faults: PartnerFaults) {
        *self.shared.faults.lock().unwrap() = faults;
    }

    pub fn ledger<T>(&self, read: impl FnOnce(&Ledger) -> T) -> T {
        read(&self.shared.ledger.lock().unwrap())
    }
}

#[async_trait]
impl StatusSink for TestSink {
    fn system(&self) -> System {
        self.system
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        _ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        match self.shared.judge(&decision.decision_ref, key.as_str()) {
            Verdict::Accepted { partner_ref, duplicate } => {
                Ok(Receipt { partner: self.system, partner_ref, duplicate })
            }
            Verdict::Rejected => Err(SinkError::Rejected { code: REJECTION_CODE.into() }),
            Verdict::ServerError => Err(SinkError::Transient(SourceError::Unavailable {
                detail: "HTTP status 503".into(),
                retry_after: None,
            })),
            Verdict::Throttled => Err(SinkError::Transient(SourceError::RateLimited { retry_after: None })),
        }
    }
}

/// A partner over HTTP that takes decisions as the gateway's plain JSON partner sends them.
pub struct TestPartner {
    pub url: String,
    shared: Arc<Shared>,
    _server: tokio::task::JoinHandle<()>,
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if key.len() < 12 || body["idempotency_key"] != key.as_str() {
        return (StatusCode::BAD_REQUEST, Json(json!({"code": "missing-idempotency-key"}))).into_response();
    }
    let reference = body["decision"]["decision_ref"].as_str().unwrap_or_default();
    match shared.judge(reference, &key) {
        Verdict::Accepted { partner_ref, duplicate } => {
            (StatusCode::OK, Json(json!({"partner_ref": partner_ref, "duplicate": duplicate}))).into_response()
        }
        Verdict::Rejected => (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"code": REJECTION_CODE}))).into_response(),
        Verdict::ServerError => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Verdict::Throttled => StatusCode::TOO_MANY_REQUESTS.into_response(),
    }
}

impl TestPartner {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let router = axum::Router::new().route("/status", axum::routing::post(receive)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
        let url = format!("http://{}/status", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self { url, shared, _server: server }
    }

    pub fn ledger<T>(&self, read: impl FnOnce(&Ledger) -> T) -> T {
        read(&self.shared.ledger.lock().unwrap())
    }
}
