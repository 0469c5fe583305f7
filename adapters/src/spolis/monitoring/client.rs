//! The SPOLIS monitoring client: one SOAP operation, `SubmitMonitoringRecord`, sent as a write.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use secrecy::SecretString;

use super::{SpolisMonitoringConfig, mapping, wire};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_write, write_envelope_with_header};

/// Submits monitoring records of status decisions to SPOLIS.
#[derive(Debug)]
pub struct SpolisMonitoringClient {
    url: String,
    institution: String,
    municipality_code: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl SpolisMonitoringClient {
    pub fn new(config: &SpolisMonitoringConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            municipality_code: config.municipality_code.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Spolis, Protocol::Soap, &config.transport)?,
        })
    }

    /// The circuit breaker of SPOLIS monitoring calls, for health reporting.
    pub fn breaker(&self) -> Breaker {
        self.http.breaker()
    }
}

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
        let header = wire::IdempotencyKeyHeader { ns: wire::NAMESPACE, key: key.as_str() };
        let request = mapping::record(decision, &self.municipality_code);
        let envelope = write_envelope_with_header(
            wire::NAMESPACE,
            &self.institution,
            &self.username,
            &self.password,
            ctx,
            &header,
            &request,
        )
        .map_err(|_| SinkError::Rejected { code: "request-serialisation".into() })?;
        let answer =
            soap_write::<wire::ResponseBody>(&self.http, &self.url, wire::SUBMIT_MONITORING_RECORD, envelope, ctx)
                .await
                .map_err(SinkError::Transient)?;
        match answer {
            Ok(body) => mapping::receipt(body.response, key),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
