//! Asking a SOAP simulator in its tests: one request over HTTP, whose answer must be SOAP 1.1
//! (`text/xml`) and follow the service's schema, fault or not.

use gateway_domain::System;

use super::TEXT_XML;
use crate::Simulators;
use crate::test_support::{texts, xsd_check};

/// One SOAP operation of a simulator, as its tests call it.
pub(crate) struct SoapCall {
    pub(crate) system: System,
    /// The path of the service.
    pub(crate) path: &'static str,
    /// The `SOAPAction` header, quoted as clients send it.
    pub(crate) action: &'static str,
    /// The schema answers are checked against, below `schemas/`.
    pub(crate) schema: &'static str,
    /// The prefix the service's answers bind to its namespace.
    pub(crate) prefix: &'static str,
}

impl SoapCall {
    /// Posts `body` as the operation's request: its action, as `text/xml`.
    pub(crate) async fn post(&self, simulators: &Simulators, body: String) -> (u16, String) {
        self.post_with(simulators, body, Some(self.action), TEXT_XML).await
    }

    /// Posts `body` with `action` (none for `None`) and `content_type`; the status and the
    /// answer, which is `text/xml` and follows the schema.
    pub(crate) async fn post_with(
        &self,
        simulators: &Simulators,
        body: String,
        action: Option<&str>,
        content_type: &str,
    ) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .post(format!("{}{}", simulators.url(self.system), self.path))
            .header("content-type", content_type)
            .body(body);
        if let Some(action) = action {
            request = request.header("SOAPAction", action);
        }
        let response = request.send().await.expect("the simulator answers");
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(content_type.as_deref(), Some(TEXT_XML));
        let text = response.text().await.expect("a body");
        if let Err(complaint) = xsd_check(self.schema, text.as_bytes()) {
            panic!("the answer does not follow validate.xsd: {complaint}");
        }
        (status, text)
    }

    /// The service's fault code in an answer, empty when it is none.
    pub(crate) fn fault_code(&self, body: &str) -> String {
        texts(body, &format!("{}:Code", self.prefix)).pop().unwrap_or_default()
    }

    /// Only the service is served: a GET to its path is 405, a POST to `other_path` 404.
    pub(crate) async fn assert_only_the_service_is_served(&self, simulators: &Simulators, other_path: &str) {
        let client = reqwest::Client::new();
        let base = simulators.url(self.system);
        let status = client.get(format!("{base}{}", self.path)).send().await.expect("answers").status();
        assert_eq!(status, 405);
        let status = client.post(format!("{base}{other_path}")).send().await.expect("answers").status();
        assert_eq!(status, 404);
    }
}
