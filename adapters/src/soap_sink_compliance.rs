//! What the tests of every SOAP partner adapter check, driven by the partner's contract alone:
//! the [`SinkFixture`] the sink suite runs, the schema examples, the request envelope against
//! the example request, an open-ended ending, and how the partner's faults read. A SOAP
//! partner's contracts differ in names and example files, not in shape, so an adapter joins by
//! implementing [`SoapPartner`] and naming its tests.

use std::marker::PhantomData;

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, RequestContext, SinkError, StatusDecision, StatusSink};
use wiremock::{MockServer, ResponseTemplate};

use crate::compliance::{Contract, ctx, half, mount_soap, test_transport, texts, xml_reply};
use crate::sink_compliance::{Sink, SinkFixture, decision, key};
use crate::transport::TransportConfig;

/// A SOAP partner's delivery operation and the examples its contract gives for it.
pub(crate) trait SoapPartner: Send + Sync + 'static {
    type Client: StatusSink + 'static;

    const CONTRACT: Contract;
    /// The operation's path and `SOAPAction`.
    const PATH: &'static str;
    const ACTION: &'static str;
    /// The example request, the accepted and duplicate answers and a refusal fault.
    const REQUEST: &'static str;
    const ACCEPTED: &'static str;
    const DUPLICATE: &'static str;
    const FAULT: &'static str;
    /// The code the fault example carries.
    const FAULT_CODE: &'static str;
    /// The partner's reference in both answers.
    const PARTNER_REF: &'static str;
    /// The accepted answer's outcome element text, which a malformed answer replaces.
    const ACCEPTED_OUTCOME: &'static str;
    /// The request elements that follow the decision and the key, not the context.
    const REQUEST_ELEMENTS: &'static [&'static str];

    fn client(server: &MockServer, transport: TransportConfig) -> Self::Client;
}

/// The partner's adapter against a fresh mock partner.
pub(crate) struct SoapFixture<P: SoapPartner> {
    client: P::Client,
    partner: PhantomData<P>,
}

#[async_trait]
impl<P: SoapPartner> SinkFixture for SoapFixture<P> {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        Self { client: P::client(server, transport), partner: PhantomData }
    }

    fn sink(&self) -> Sink<'_> {
        Sink::Status(&self.client)
    }

    fn delivery_path(&self) -> &'static str {
        P::PATH
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_soap(server, P::PATH, P::ACTION, template).await;
    }

    fn accepted(&self) -> ResponseTemplate {
        xml_reply(200, P::CONTRACT.example_xml(P::ACCEPTED))
    }

    fn duplicate(&self) -> ResponseTemplate {
        xml_reply(200, P::CONTRACT.example_xml(P::DUPLICATE))
    }

    fn partner_ref(&self) -> &'static str {
        P::PARTNER_REF
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (xml_reply(500, P::CONTRACT.example_xml(P::FAULT)), P::FAULT_CODE)
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&P::CONTRACT.example_xml(P::ACCEPTED)))
    }

    fn malformed(&self) -> ResponseTemplate {
        let outcome = format!(">{}<", P::ACCEPTED_OUTCOME);
        xml_reply(200, P::CONTRACT.example_xml(P::ACCEPTED).replace(&outcome, ">MAYBE<"))
    }
}

/// Every example validates, and a request with an unknown status does not.
pub(crate) fn examples_validate<P: SoapPartner>() {
    for name in [P::REQUEST, P::ACCEPTED, P::DUPLICATE, P::FAULT] {
        assert!(P::CONTRACT.xsd_valid(&P::CONTRACT.example_xml(name)), "{name}");
    }
    assert!(!P::CONTRACT.xsd_valid(&P::CONTRACT.example_xml(P::REQUEST).replace(">NEEDY<", ">POOR<")));
}

/// Delivers `decision` to a fresh mock partner that accepts it; the request body it received.
async fn delivered_body<P: SoapPartner>(decision: &StatusDecision, context: &RequestContext) -> String {
    let server = MockServer::start().await;
    let fixture = SoapFixture::<P>::start(&server, test_transport()).await;
    fixture.mount(&server, fixture.accepted()).await;
    let sink = &fixture.client;
    sink.deliver(decision, &key(sink.system()), context).await.unwrap();
    String::from_utf8(server.received_requests().await.unwrap()[0].body.clone()).unwrap()
}

/// The request envelope validates, matches the example request in everything the decision
/// and the key decide, and carries who sends it.
pub(crate) async fn request_matches_the_example<P: SoapPartner>() {
    let ctx = ctx();
    let body = delivered_body::<P>(&decision(), &ctx).await;
    assert!(P::CONTRACT.xsd_valid(&body), "the request envelope breaks the schema");
    let example = P::CONTRACT.example_xml(P::REQUEST);
    for element in P::REQUEST_ELEMENTS {
        assert_eq!(texts(&body, element), texts(&example, element), "{element}");
    }
    assert_eq!(texts(&body, "RequestId"), [ctx.request_id.to_string()]);
    assert_eq!(texts(&body, "Officer"), ["caseworker-17"]);
    assert_eq!(texts(&body, "wsse:Username"), ["tukums-social-service"]);
}

/// An ending without an end date leaves `ValidTo` out and still validates.
pub(crate) async fn open_ended_ending<P: SoapPartner>() {
    let ended = StatusDecision { status: HouseholdStatus::Ended, valid_to: None, ..decision() };
    let body = delivered_body::<P>(&ended, &ctx()).await;
    assert!(P::CONTRACT.xsd_valid(&body));
    assert!(texts(&body, "ValidTo").is_empty());
    assert_eq!(texts(&body, "Status"), ["ENDED"]);
}

/// A refused service account and an unavailable service are for now; a reused key is for good.
pub(crate) async fn faults_read_as_the_partner_means_them<P: SoapPartner>() {
    for (code, permanent) in [("NOT_AUTHORISED", false), ("SERVICE_UNAVAILABLE", false), ("KEY_REUSED", true)] {
        let server = MockServer::start().await;
        let fixture = SoapFixture::<P>::start(&server, test_transport()).await;
        fixture.mount(&server, xml_reply(500, P::CONTRACT.example_xml(P::FAULT).replace(P::FAULT_CODE, code))).await;
        let sink = &fixture.client;
        let error = sink.deliver(&decision(), &key(sink.system()), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{code}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: code.into() });
        }
    }
}
