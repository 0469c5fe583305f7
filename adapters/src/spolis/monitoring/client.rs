//! The SPOLIS monitoring client: one SOAP operation, `SubmitMonitoringRecord`, sent as a write.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};

use super::{SpolisMonitoringConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{HttpTransport, Protocol, SoapAccount, TransportError};

/// Submits monitoring records of status decisions to SPOLIS.
#[derive(Debug)]
pub struct SpolisMonitoringClient {
    url: String,
    account: SoapAccount,
    municipality_code: String,
    http: HttpTransport,
}

impl SpolisMonitoringClient {
    pub fn new(config: &SpolisMonitoringConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            account: SoapAccount {
                institution: config.institution.clone(),
                username: config.username.clone(),
                password: config.password.clone(),
            },
            municipality_code: config.municipality_code.clone(),
            http: HttpTransport::new(System::Spolis, Protocol::Soap, &config.transport)?,
        })
    }
}

adapter!(SpolisMonitoringClient: Spolis, SpolisMonitoringConfig, http, Partner);

#[async_trait]
impl StatusSink for SpolisMonitoringClient {
    fn system(&self) -> System {
        System::Spolis
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let request = mapping::record(decision, &self.municipality_code);
        let body: wire::ResponseBody =
            wire::DELIVERY.send(&self.http, &self.url, &self.account, key, &request, ctx).await?;
        mapping::receipt(body.response, key)
    }
}
