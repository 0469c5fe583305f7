//! What the tests of every REST/JSON partner adapter check, driven by the partner's contract
//! alone: the [`SinkFixture`] the sink suite runs, the schema examples, the request body
//! against the example request, an open-ended status, a refused token renewed once, how
//! refusals of the credentials and of the message read, and a receipt about another delivery.
//! A REST partner's contracts differ in names and example files, not in shape, so an adapter
//! joins by implementing [`RestPartner`] and naming its tests.

use std::marker::PhantomData;

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, IdempotencyKey, SinkError, SourceError, StatusDecision, StatusSink};
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::compliance::{Contract, ctx, half, json_reply, mount_token, test_transport};
use crate::sink_compliance::{Sink, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const TOKEN_PATH: &str = "/oauth2/token";

/// A REST partner's delivery resource and the examples its contract gives for it.
pub(crate) trait RestPartner: Send + Sync + 'static {
    type Client: StatusSink + 'static;

    const CONTRACT: Contract;
    /// The path deliveries are posted to.
    const PATH: &'static str;
    /// The bearer token of the token example, as the `Authorization` header carries it.
    const TOKEN: &'static str;
    /// The example request, the accepted and duplicate answers and a refusal, each with the
    /// schema it follows. The defaults are the status notification's
    /// (`crate::status_notification`).
    const REQUEST: (&'static str, &'static str) = ("status-notification", "status-notification");
    const ACCEPTED: (&'static str, &'static str) = ("notification-registered", "notification-receipt");
    const DUPLICATE: (&'static str, &'static str) = ("notification-already-registered", "notification-receipt");
    const REFUSAL: (&'static str, &'static str) = ("problem-unknown-person", "problem");
    /// The media type of refusals.
    const REFUSAL_TYPE: &'static str = "application/problem+json";
    /// The code the refusal example carries.
    const REFUSAL_CODE: &'static str = "unknown-person";
    /// The partner's reference in both answers.
    const PARTNER_REF: &'static str;
    /// The accepted answer's outcome as its JSON writes it (quoted), which a malformed answer replaces.
    const ACCEPTED_OUTCOME: &'static str = "\"REGISTERED\"";
    /// The JSON pointers of the status and of the period's end in the request, and the words
    /// for a needy and a low-income status.
    const STATUS_POINTER: &'static str = "/status";
    const END_POINTER: &'static str = "/period/end";
    const NEEDY: &'static str = "NEEDY";
    const LOW_INCOME: &'static str = "LOW_INCOME";

    fn client(server: &MockServer, transport: TransportConfig) -> Self::Client;
}

/// The partner's adapter against a fresh mock partner behind its token endpoint.
pub(crate) struct RestFixture<P: RestPartner> {
    client: P::Client,
    partner: PhantomData<P>,
}

fn example(contract: Contract, name: &str) -> Value {
    serde_json::from_str(&contract.example_json(name)).unwrap()
}

#[async_trait]
impl<P: RestPartner> SinkFixture for RestFixture<P> {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        mount_token(server, TOKEN_PATH, P::CONTRACT).await;
        Self { client: P::client(server, transport), partner: PhantomData }
    }

    fn sink(&self) -> Sink<'_> {
        Sink::Status(&self.client)
    }

    fn delivery_path(&self) -> &'static str {
        P::PATH
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path(P::PATH))
            .and(header("Authorization", P::TOKEN))
            .and(header("Idempotency-Key", key(self.client.system()).as_str()))
            .and(header_exists("X-Request-Id"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        json_reply(201, P::CONTRACT.example_json(P::ACCEPTED.0))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json_reply(200, P::CONTRACT.example_json(P::DUPLICATE.0))
    }

    fn partner_ref(&self) -> &'static str {
        P::PARTNER_REF
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        let body = P::CONTRACT.example_json(P::REFUSAL.0);
        (ResponseTemplate::new(422).set_body_raw(body, P::REFUSAL_TYPE), P::REFUSAL_CODE)
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(201, half(&P::CONTRACT.example_json(P::ACCEPTED.0)))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(201, P::CONTRACT.example_json(P::ACCEPTED.0).replace(P::ACCEPTED_OUTCOME, "\"MAYBE\""))
    }
}

/// Every example validates against its schema, and a request with an unknown status does not.
pub(crate) fn examples_validate<P: RestPartner>() {
    for (name, schema) in [P::REQUEST, P::ACCEPTED, P::DUPLICATE, P::REFUSAL, ("token", "token")] {
        assert!(P::CONTRACT.json_valid(schema, &example(P::CONTRACT, name)), "{name}");
    }
    let mut broken = example(P::CONTRACT, P::REQUEST.0);
    *broken.pointer_mut(P::STATUS_POINTER).expect("the status is in the example") = Value::from("POOR");
    assert!(!P::CONTRACT.json_valid(P::REQUEST.1, &broken));
}

/// Delivers `decision` to a fresh mock partner that accepts it; the body it received.
async fn delivered_body<P: RestPartner>(decision: &StatusDecision) -> Value {
    let server = MockServer::start().await;
    let fixture = RestFixture::<P>::start(&server, test_transport()).await;
    Mock::given(method("POST")).and(path(P::PATH)).respond_with(fixture.accepted()).mount(&server).await;
    let sink = &fixture.client;
    sink.deliver(decision, &key(sink.system()), &ctx()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let posted = requests.iter().find(|r| r.url.path() == P::PATH).expect("the delivery was posted");
    serde_json::from_slice(&posted.body).unwrap()
}

/// The request is the schema example, as JSON and with the key the example carries; the
/// receipt names the partner and keeps its reference.
pub(crate) async fn request_is_the_example<P: RestPartner>() {
    let server = MockServer::start().await;
    let fixture = RestFixture::<P>::start(&server, test_transport()).await;
    let sink = &fixture.client;
    let key = key(sink.system());
    Mock::given(method("POST"))
        .and(path(P::PATH))
        .and(header("Content-Type", "application/json"))
        .and(header("Idempotency-Key", key.as_str()))
        .and(body_json(example(P::CONTRACT, P::REQUEST.0)))
        .respond_with(fixture.accepted())
        .expect(1)
        .mount(&server)
        .await;
    let receipt = sink.deliver(&decision(), &key, &ctx()).await.unwrap();
    assert_eq!(
        (receipt.partner, receipt.partner_ref.as_str(), receipt.duplicate),
        (sink.system(), P::PARTNER_REF, false)
    );
    assert_eq!(example(P::CONTRACT, P::REQUEST.0).pointer(P::STATUS_POINTER), Some(&Value::from(P::NEEDY)));
}

/// An open-ended low-income status leaves the end out and still validates.
pub(crate) async fn open_ended_status<P: RestPartner>() {
    let open = StatusDecision { status: HouseholdStatus::LowIncome, valid_to: None, ..decision() };
    let body = delivered_body::<P>(&open).await;
    assert_eq!(body.pointer(P::STATUS_POINTER), Some(&Value::from(P::LOW_INCOME)));
    assert!(body.pointer(P::END_POINTER).is_none());
    assert!(P::CONTRACT.json_valid(P::REQUEST.1, &body));
}

/// A refused token is renewed once and the delivery posted again; a duplicate answer then
/// reads as one.
pub(crate) async fn a_refused_token_is_renewed_once<P: RestPartner>() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(json_reply(200, P::CONTRACT.example_json("token")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(P::PATH))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(P::PATH))
        .respond_with(json_reply(200, P::CONTRACT.example_json(P::DUPLICATE.0)))
        .mount(&server)
        .await;
    let sink = P::client(&server, test_transport());
    let receipt = sink.deliver(&decision(), &key(sink.system()), &ctx()).await.unwrap();
    assert!(receipt.duplicate);
}

/// Refused credentials or endpoints are for now; an invalid message is for good, with the
/// HTTP status as its code when the body names none.
pub(crate) async fn refusals_read_as_the_partner_means_them<P: RestPartner>() {
    for (status, permanent) in [(401, false), (403, false), (404, false), (400, true), (409, true)] {
        let server = MockServer::start().await;
        let fixture = RestFixture::<P>::start(&server, test_transport()).await;
        fixture.mount(&server, ResponseTemplate::new(status)).await;
        let sink = &fixture.client;
        let error = sink.deliver(&decision(), &key(sink.system()), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{status}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: format!("http-{status}") });
        } else {
            assert!(matches!(error, SinkError::Transient(SourceError::Unavailable { .. })), "{status}: {error:?}");
        }
    }
}

/// A receipt that echoes another key is malformed.
pub(crate) async fn a_receipt_for_another_key_is_malformed<P: RestPartner>() {
    let server = MockServer::start().await;
    let fixture = RestFixture::<P>::start(&server, test_transport()).await;
    Mock::given(method("POST")).and(path(P::PATH)).respond_with(fixture.accepted()).mount(&server).await;
    let sink = &fixture.client;
    let other = IdempotencyKey::derive("TUK-2026-000124", 1, sink.system());
    let result = sink.deliver(&decision(), &other, &ctx()).await;
    assert!(matches!(result, Err(SinkError::Transient(SourceError::Malformed { .. }))), "{result:?}");
}

/// Declares the tests every REST partner adapter runs, for the partner type `$partner`.
macro_rules! rest_partner_tests {
    ($partner:ty) => {
        #[tokio::test]
        async fn deliver_passes_the_sink_compliance_suite() {
            $crate::sink_compliance::run::<$crate::rest_sink_compliance::RestFixture<$partner>>().await;
        }

        #[test]
        fn every_example_validates_against_its_schema() {
            $crate::rest_sink_compliance::examples_validate::<$partner>();
        }

        #[tokio::test]
        async fn the_request_is_the_schema_example_and_carries_the_key() {
            $crate::rest_sink_compliance::request_is_the_example::<$partner>().await;
        }

        #[tokio::test]
        async fn an_open_ended_status_leaves_the_end_out() {
            $crate::rest_sink_compliance::open_ended_status::<$partner>().await;
        }

        #[tokio::test]
        async fn a_refused_token_is_renewed_once_and_the_delivery_posted_again() {
            $crate::rest_sink_compliance::a_refused_token_is_renewed_once::<$partner>().await;
        }

        #[tokio::test]
        async fn refused_credentials_are_for_now_and_an_invalid_message_is_for_good() {
            $crate::rest_sink_compliance::refusals_read_as_the_partner_means_them::<$partner>().await;
        }

        #[tokio::test]
        async fn a_receipt_for_another_key_is_malformed() {
            $crate::rest_sink_compliance::a_receipt_for_another_key_is_malformed::<$partner>().await;
        }
    };
}

pub(crate) use rest_partner_tests;

/// Declares a status-notification partner's contract (`crate::status_notification`) and the
/// tests of [`rest_partner_tests`] for it: the client type, its schema folder, the path
/// notifications go to, the token example's bearer and the examples' partner reference.
macro_rules! notification_partner_tests {
    ($client:ty, $folder:literal, $path:literal, $token:literal, $reference:literal) => {
        struct NotificationContract;

        impl $crate::rest_sink_compliance::RestPartner for NotificationContract {
            type Client = $client;

            const CONTRACT: $crate::compliance::Contract = $crate::compliance::Contract::new($folder);
            const PATH: &'static str = $path;
            const TOKEN: &'static str = $token;
            const PARTNER_REF: &'static str = $reference;

            fn client(server: &wiremock::MockServer, transport: $crate::transport::TransportConfig) -> $client {
                let oauth = $crate::compliance::test_oauth();
                let config = $crate::status_notification::NotificationConfig {
                    base_url: server.uri(),
                    token_url: None,
                    oauth,
                    transport,
                };
                <$client>::new(&config).unwrap()
            }
        }

        $crate::rest_sink_compliance::rest_partner_tests!(NotificationContract);
    };
}

pub(crate) use notification_partner_tests;
