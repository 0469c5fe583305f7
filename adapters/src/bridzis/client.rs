//! The BRIDZIS client: one write, posting a status notice.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};

use super::{BridzisConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{HttpCall, HttpTransport, Protocol, TransportError};

/// Delivers status decisions to the housing register.
#[derive(Debug)]
pub struct BridzisClient {
    url: String,
    api_key: SecretString,
    http: HttpTransport,
}

impl BridzisClient {
    pub fn new(config: &BridzisConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            api_key: config.api_key.clone(),
            http: HttpTransport::new(System::Bridzis, Protocol::Rest, &config.transport)?,
        })
    }
}

adapter!(BridzisClient: Bridzis, BridzisConfig, http, Partner);

#[async_trait]
impl StatusSink for BridzisClient {
    fn system(&self) -> System {
        System::Bridzis
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let call = HttpCall::write(Method::POST, &self.url, ctx)
            .header(wire::API_KEY_HEADER, self.api_key.expose_secret())?
            .header(wire::IDEMPOTENCY_KEY_HEADER, key.as_str())?
            .json(&mapping::notice(decision))?;
        let reply = self.http.execute(call).await.map_err(SinkError::Transient)?;
        mapping::receipt(&reply, key)
    }
}
