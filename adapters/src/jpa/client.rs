//! The JPA client: one write, posting a status notification behind a bearer token.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use reqwest::Method;

use super::{JpaConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{BearerJson, HttpCall, TransportError};

/// Delivers status decisions to the Legal Aid Administration.
#[derive(Debug)]
pub struct JpaClient {
    api: BearerJson,
}

impl JpaClient {
    pub fn new(config: &JpaConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Jpa,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

impl Adapter for JpaClient {
    const SYSTEM: System = System::Jpa;
    type Config = JpaConfig;

    fn build(config: &JpaConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.api.breaker()
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
        let call = HttpCall::write(Method::POST, self.api.url(wire::PATH), ctx)
            .header(wire::IDEMPOTENCY_KEY_HEADER, key.as_str())?
            .json(&mapping::notification(decision))?;
        let reply = self.api.send(call, ctx).await.map_err(SinkError::Transient)?;
        mapping::receipt(&reply, key)
    }
}
