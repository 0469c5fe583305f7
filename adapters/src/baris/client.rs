//! The BARIS client: one SOAP operation, `DeliverHouseholdStatus`, sent as a write.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};

use super::{BarisConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, SoapAccount, TransportError};

/// Delivers status decisions to the orphans' court information system.
#[derive(Debug)]
pub struct BarisClient {
    url: String,
    account: SoapAccount,
    http: HttpTransport,
}

impl BarisClient {
    pub fn new(config: &BarisConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            account: SoapAccount {
                institution: config.institution.clone(),
                username: config.username.clone(),
                password: config.password.clone(),
            },
            http: HttpTransport::new(System::Baris, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for BarisClient {
    const SYSTEM: System = System::Baris;
    type Config = BarisConfig;

    fn build(config: &BarisConfig) -> Result<Self, TransportError> {
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
impl StatusSink for BarisClient {
    fn system(&self) -> System {
        System::Baris
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let request = mapping::request(decision);
        let body: wire::ResponseBody =
            wire::DELIVERY.send(&self.http, &self.url, &self.account, key, &request, ctx).await?;
        mapping::receipt(body.response, key)
    }
}
