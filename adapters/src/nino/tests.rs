//! The NINO adapter against a mock tax administration built from `schemas/nino/` examples.

use gateway_domain::{SinkError, SourceError, StatusSink, System};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NinoClient, NinoConfig};
use crate::compliance::{Contract, ctx, mount_token, test_oauth, test_transport};
use crate::rest_sink_compliance::{RestPartner, rest_partner_tests};
use crate::sink_compliance::{decision, key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("nino");
const PATH: &str = "/nino/v1/relief-statuses";

fn config(server: &MockServer, transport: TransportConfig) -> NinoConfig {
    NinoConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport }
}

struct NinoContract;

impl RestPartner for NinoContract {
    type Client = NinoClient;

    const CONTRACT: Contract = CONTRACT;
    const PATH: &'static str = PATH;
    const TOKEN: &'static str = "Bearer c2ltdWxhdGVkLW5pbm8tdG9rZW4tMDE";
    const REQUEST: (&'static str, &'static str) = ("relief-status", "relief-status");
    const ACCEPTED: (&'static str, &'static str) = ("relief-status-created", "relief-status-receipt");
    const DUPLICATE: (&'static str, &'static str) = ("relief-status-already-received", "relief-status-receipt");
    const REFUSAL: (&'static str, &'static str) = ("error-unknown-taxpayer", "error");
    const REFUSAL_TYPE: &'static str = "application/json";
    const REFUSAL_CODE: &'static str = "unknown_taxpayer";
    const PARTNER_REF: &'static str = "NINO-000000042";
    const ACCEPTED_OUTCOME: &'static str = "\"created\"";
    const STATUS_POINTER: &'static str = "/householdStatus";
    const END_POINTER: &'static str = "/validity/to";
    const NEEDY: &'static str = "needy";
    const LOW_INCOME: &'static str = "low_income";

    fn client(server: &MockServer, transport: TransportConfig) -> NinoClient {
        NinoClient::new(&config(server, transport)).unwrap()
    }
}

rest_partner_tests!(NinoContract);

#[tokio::test]
async fn a_token_refused_twice_or_a_refused_client_is_for_now_not_for_good() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    Mock::given(method("POST")).and(path(PATH)).respond_with(ResponseTemplate::new(401)).expect(2).mount(&server).await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let error = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap_err();
    assert!(!error.is_permanent(), "{error:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let error = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap_err();
    assert!(matches!(error, SinkError::Transient(SourceError::Rejected { .. })), "{error:?}");
}
