//! The BARIS client: one SOAP operation, `DeliverHouseholdStatus`, sent as a write.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};

use super::{BarisConfig, mapping, wire};
use crate::adapter::adapter;
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

adapter!(BarisClient: Baris, BarisConfig, http, Partner);

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
