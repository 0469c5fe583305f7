//! The BARIS client: one SOAP operation, `DeliverHouseholdStatus`, sent as a write.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};
use secrecy::SecretString;

use super::{BarisConfig, mapping, wire};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_write, write_envelope_with_header};

/// Delivers status decisions to the orphans' court information system.
#[derive(Debug)]
pub struct BarisClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl BarisClient {
    pub fn new(config: &BarisConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Baris, Protocol::Soap, &config.transport)?,
        })
    }

    /// The circuit breaker of BARIS calls, for health reporting.
    pub fn breaker(&self) -> Breaker {
        self.http.breaker()
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
        let header = wire::IdempotencyKeyHeader { ns: wire::NAMESPACE, key: key.as_str() };
        let request = mapping::request(decision);
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
            soap_write::<wire::ResponseBody>(&self.http, &self.url, wire::DELIVER_HOUSEHOLD_STATUS, envelope, ctx)
                .await
                .map_err(SinkError::Transient)?;
        match answer {
            Ok(body) => mapping::receipt(body.response, key),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
