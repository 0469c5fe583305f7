//! The suite every partner adapter passes: an accepted delivery, a duplicate acknowledgement,
//! a permanent refusal, and each way a delivery fails for now, mapped to `Receipt` and
//! `SinkError`. A delivery is a write, so the suite also checks that the transport sent it
//! exactly once whatever the answer, with retries switched on: repeating it is the outbox's
//! decision, not the transport's. The suite serves every kind of delivery: status decisions to
//! a [`StatusSink`] and referrals to a [`ReferralChannel`] ([`Sink`]). An adapter joins by
//! implementing [`SinkFixture`].

use std::time::Duration;

use async_trait::async_trait;
use gateway_domain::{
    HouseholdStatus, IdempotencyKey, PersonCode, Receipt, Referral, ReferralChannel, ReferralState, ServiceType,
    SinkError, SourceError, StatusDecision, StatusSink, System, Volume,
};
use time::macros::date;
use wiremock::{MockServer, ResponseTemplate};

use crate::compliance::{TEST_TIMEOUT, ctx, test_transport};
use crate::transport::TransportConfig;
use crate::transport::resilience::RetryConfig;

/// The decision every schema example describes.
pub(crate) fn decision() -> StatusDecision {
    StatusDecision {
        decision_ref: "TUK-2026-000123".into(),
        version: 2,
        status: HouseholdStatus::Needy,
        members: vec![PersonCode::parse("121282-11210").unwrap(), PersonCode::parse("32579318462").unwrap()],
        valid_from: date!(2026 - 11 - 01),
        valid_to: Some(date!(2027 - 04 - 30)),
    }
}

/// The key the examples carry for `partner`.
pub(crate) fn key(partner: System) -> IdempotencyKey {
    let decision = decision();
    IdempotencyKey::derive(&decision.decision_ref, decision.version, partner)
}

/// The referral the DigiSoc schema examples describe.
pub(crate) fn referral() -> Referral {
    Referral {
        referral_ref: "TUK-NOS-2026-000123".into(),
        version: 1,
        decision_ref: "TUK-2026-000456".into(),
        case_ref: "TUK-LIETA-2026-000077".into(),
        person: PersonCode::parse("121282-11210").unwrap(),
        service: ServiceType::HomeCare,
        provider: "40003012345".into(),
        carer: None,
        for_parents_employment: false,
        volume: Volume::HomeCareLevel { level: 2 },
        valid_from: date!(2026 - 06 - 01),
        valid_to: date!(2026 - 11 - 30),
        state: ReferralState::Active,
    }
}

/// The key the DigiSoc examples carry.
pub(crate) fn referral_key() -> IdempotencyKey {
    let referral = referral();
    IdempotencyKey::derive(&referral.referral_ref, referral.version, System::Digisoc)
}

/// What a partner adapter delivers to: status decisions or referrals. The suite delivers each
/// the message its schema examples describe, with the key they carry.
#[derive(Clone, Copy)]
pub(crate) enum Sink<'a> {
    Status(&'a dyn StatusSink),
    Referrals(&'a dyn ReferralChannel),
}

impl Sink<'_> {
    pub(crate) fn system(self) -> System {
        match self {
            Sink::Status(sink) => sink.system(),
            Sink::Referrals(channel) => channel.system(),
        }
    }

    /// Delivers the examples' message once.
    pub(crate) async fn deliver_example(self) -> Result<Receipt, SinkError> {
        match self {
            Sink::Status(sink) => sink.deliver(&decision(), &key(sink.system()), &ctx()).await,
            Sink::Referrals(channel) => channel.deliver(&referral(), &referral_key(), &ctx()).await,
        }
    }
}

/// The test transport with retries switched on, so that a retried write would show.
pub(crate) fn delivery_transport() -> TransportConfig {
    TransportConfig {
        retry: RetryConfig { max_attempts: 3, base_backoff_ms: 1, max_backoff_ms: 5 },
        ..test_transport()
    }
}

/// One partner adapter wired to a fresh mock partner.
#[async_trait]
pub(crate) trait SinkFixture: Sized + Send + Sync {
    /// Starts the adapter against `server` with `transport`, with whatever authentication
    /// mocks it needs.
    async fn start(server: &MockServer, transport: TransportConfig) -> Self;
    fn sink(&self) -> Sink<'_>;
    /// The path deliveries are posted to, to count them apart from token requests.
    fn delivery_path(&self) -> &'static str;
    /// Mounts the delivery operation answering with `template`.
    async fn mount(&self, server: &MockServer, template: ResponseTemplate);
    /// The accepted answer, from the schema's example.
    fn accepted(&self) -> ResponseTemplate;
    /// The duplicate acknowledgement, from the schema's example.
    fn duplicate(&self) -> ResponseTemplate;
    /// The partner's reference in both examples.
    fn partner_ref(&self) -> &'static str;
    /// A permanent refusal from the schema's example, and the code it carries.
    fn rejected(&self) -> (ResponseTemplate, &'static str);
    /// The accepted body cut in half, as a dropped connection leaves it.
    fn truncated(&self) -> ResponseTemplate;
    /// A well-formed answer that breaks the contract.
    fn malformed(&self) -> ResponseTemplate;
}

async fn outcome<F: SinkFixture>(template: ResponseTemplate) -> (Result<Receipt, SinkError>, usize) {
    let server = MockServer::start().await;
    let fixture = F::start(&server, delivery_transport()).await;
    fixture.mount(&server, template).await;
    let result = fixture.sink().deliver_example().await;
    let path = fixture.delivery_path();
    let sent = server.received_requests().await.unwrap_or_default().iter().filter(|r| r.url.path() == path).count();
    (result, sent)
}

fn variant(result: &Result<Receipt, SinkError>) -> &'static str {
    match result {
        Ok(Receipt { duplicate: false, .. }) => "accepted",
        Ok(Receipt { duplicate: true, .. }) => "duplicate",
        Err(SinkError::Rejected { .. }) => "rejected",
        Err(SinkError::Transient(SourceError::Unavailable { .. })) => "unavailable",
        Err(SinkError::Transient(SourceError::Timeout)) => "timeout",
        Err(SinkError::Transient(SourceError::RateLimited { .. })) => "rate_limited",
        Err(SinkError::Transient(SourceError::Malformed { .. })) => "malformed",
        Err(SinkError::Transient(_)) => "other transient",
    }
}

/// Runs every case against fresh mocks and reports all mismatches at once.
pub(crate) async fn run<F: SinkFixture>() {
    let probe = F::start(&MockServer::start().await, test_transport()).await;
    let partner = probe.sink().system();
    let (rejection, code) = probe.rejected();
    let cases: Vec<(&str, ResponseTemplate, &str)> = vec![
        ("accepted", probe.accepted(), "accepted"),
        ("duplicate", probe.duplicate(), "duplicate"),
        ("refused", rejection, "rejected"),
        ("server error", ResponseTemplate::new(500).set_body_string("internal error"), "unavailable"),
        ("maintenance", ResponseTemplate::new(503), "unavailable"),
        ("bad gateway", ResponseTemplate::new(502).set_body_string("<html>proxy</html>"), "unavailable"),
        ("throttled", ResponseTemplate::new(429).insert_header("Retry-After", "1"), "rate_limited"),
        ("slow", probe.accepted().set_delay(TEST_TIMEOUT * 4), "timeout"),
        ("truncated", probe.truncated(), "malformed"),
        ("malformed", probe.malformed(), "malformed"),
        ("not the format", ResponseTemplate::new(200).set_body_string("\u{0}garbage"), "malformed"),
    ];
    let mut failures = Vec::new();
    for (name, template, expected) in cases {
        let (result, sent) = outcome::<F>(template).await;
        if variant(&result) != expected {
            failures.push(format!("{name}: expected {expected}, got {} ({result:?})", variant(&result)));
        }
        if sent != 1 {
            failures.push(format!("{name}: the delivery was sent {sent} times, not once"));
        }
        match &result {
            Ok(receipt) => {
                assert_eq!(receipt.partner, partner, "{name}: the receipt names the partner");
                assert_eq!(receipt.partner_ref, probe.partner_ref(), "{name}: the partner's reference is kept");
            }
            Err(SinkError::Rejected { code: got }) => assert_eq!(got, code, "{name}: the partner's code is kept"),
            Err(SinkError::Transient(SourceError::RateLimited { retry_after })) => {
                assert_eq!(*retry_after, Some(Duration::from_secs(1)), "Retry-After is carried");
            }
            Err(_) => {}
        }
        if let Err(error) = &result {
            assert_eq!(error.is_permanent(), expected == "rejected", "{name}: permanence");
        }
    }
    assert!(failures.is_empty(), "{partner}: {failures:#?}");
}
