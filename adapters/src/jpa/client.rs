//! The JPA client: one write, posting a status notification behind a bearer token.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;

use super::{JpaConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{ClientAssertion, HttpCall, HttpTransport, Protocol, TransportError};

/// Delivers status decisions to the Legal Aid Administration.
#[derive(Debug)]
pub struct JpaClient {
    url: String,
    http: HttpTransport,
    auth: ClientAssertion,
}

impl JpaClient {
    pub fn new(config: &JpaConfig) -> Result<Self, TransportError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let auth = ClientAssertion::for_gateway(&base_url, config.token_url.as_deref(), &config.oauth)?;
        Ok(Self {
            url: format!("{base_url}{}", wire::PATH),
            http: HttpTransport::new(System::Jpa, Protocol::Rest, &config.transport)?,
            auth,
        })
    }
}

impl Adapter for JpaClient {
    const SYSTEM: System = System::Jpa;
    type Config = JpaConfig;

    fn build(config: &JpaConfig) -> Result<Self, TransportError> {
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
impl StatusSink for JpaClient {
    fn system(&self) -> System {
        System::Jpa
    }

    /// Posts the notification; when the token is refused (it may have been revoked early) a
    /// fresh one is fetched and the notification posted once more. A refused token means JPA
    /// did not take it, and the key makes a second post harmless anyway.
    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let notification = mapping::notification(decision);
        for attempt in 0..2 {
            let token = self.auth.bearer(&self.http, ctx).await.map_err(SinkError::Transient)?;
            let call = HttpCall::write(Method::POST, &self.url, ctx)
                .header("authorization", &format!("Bearer {}", token.expose_secret()))?
                .header(wire::IDEMPOTENCY_KEY_HEADER, key.as_str())?
                .json(&notification)?;
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
