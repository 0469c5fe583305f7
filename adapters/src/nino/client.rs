//! The NINO client: one write, posting a relief status behind a bearer token.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;

use super::{NinoConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{ClientAssertion, HttpCall, HttpTransport, Protocol, TransportError};

/// Delivers status decisions to the real-estate tax administration.
#[derive(Debug)]
pub struct NinoClient {
    url: String,
    http: HttpTransport,
    auth: ClientAssertion,
}

impl NinoClient {
    pub fn new(config: &NinoConfig) -> Result<Self, TransportError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let auth = ClientAssertion::for_gateway(&base_url, config.token_url.as_deref(), &config.oauth)?;
        Ok(Self {
            url: format!("{base_url}{}", wire::PATH),
            http: HttpTransport::new(System::Nino, Protocol::Rest, &config.transport)?,
            auth,
        })
    }
}

impl Adapter for NinoClient {
    const SYSTEM: System = System::Nino;
    type Config = NinoConfig;

    fn build(config: &NinoConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    fn role(self) -> Role {
        Role::Partner(Arc::new(self))
    }
}

#[async_trait]
impl StatusSink for NinoClient {
    fn system(&self) -> System {
        System::Nino
    }

    /// Posts the status; when the token is refused (it may have been revoked early) a fresh
    /// one is fetched and the status posted once more. A refused token means NINO did not
    /// take the status, and the key makes a second post harmless anyway.
    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let status = mapping::relief_status(decision);
        for attempt in 0..2 {
            let token = self.auth.bearer(&self.http, ctx).await.map_err(SinkError::Transient)?;
            let call = HttpCall::write(Method::POST, &self.url, ctx)
                .header("authorization", &format!("Bearer {}", token.expose_secret()))?
                .header(wire::IDEMPOTENCY_KEY_HEADER, key.as_str())?
                .json(&status)?;
            let reply = self.http.execute(call).await.map_err(SinkError::Transient)?;
            if reply.status == StatusCode::UNAUTHORIZED && attempt == 0 {
                self.auth.invalidate().await;
                continue;
            }
            return mapping::receipt(&reply, key);
        }
        Err(mapping::credentials_refused(StatusCode::UNAUTHORIZED))
    }
}
