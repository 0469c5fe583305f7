//! A partner that takes status decisions as plain JSON: `POST {json_url}` with the decision and
//! its idempotency key (also in the `Idempotency-Key` header), answered `200`/`201` with
//! `{"partner_ref": "...", "duplicate": false}`; a 4xx answer may name its reason as
//! `{"code": "..."}`. Used for partners configured with `json_url` instead of an adapter.
//! It goes through the shared transport (timeouts, breaker, per-process quota); delivery keeps
//! its own retries, so the call is a non-idempotent write the transport never repeats.

use async_trait::async_trait;
use gateway_adapters::transport::resilience::QuotaConfig;
use gateway_adapters::transport::{HttpCall, HttpTransport, Protocol, TransportConfig, TransportError};
use gateway_domain::{
    IdempotencyKey, Receipt, RequestContext, SinkError, SourceError, StatusDecision, StatusSink, System,
};
use reqwest::Method;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Message<'a> {
    idempotency_key: &'a str,
    decision: &'a StatusDecision,
}

#[derive(Deserialize)]
struct Accepted {
    partner_ref: String,
    #[serde(default)]
    duplicate: bool,
}

#[derive(Deserialize)]
struct Refused {
    code: String,
}

/// A JSON partner at one URL.
pub struct JsonPartner {
    system: System,
    url: String,
    transport: HttpTransport,
}

impl JsonPartner {
    /// `per_second` also caps this process's own rate, below the shared quota.
    pub fn new(system: System, url: &str, per_second: u32) -> Result<Self, TransportError> {
        let config = TransportConfig {
            quota: QuotaConfig { per_second: per_second.max(1), burst: None },
            ..TransportConfig::default()
        };
        Ok(Self { system, url: url.to_owned(), transport: HttpTransport::new(system, Protocol::Rest, &config)? })
    }
}

#[async_trait]
impl StatusSink for JsonPartner {
    fn system(&self) -> System {
        self.system
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let call = HttpCall::write(Method::POST, &self.url, ctx)
            .header("idempotency-key", key.as_str())?
            .json(&Message { idempotency_key: key.as_str(), decision })?;
        let reply = self.transport.execute(call).await?;
        if reply.status.is_success() {
            let accepted: Accepted = serde_json::from_str(&reply.body).map_err(|_| {
                SinkError::Transient(SourceError::Malformed { detail: "the partner's answer is not a receipt".into() })
            })?;
            return Ok(Receipt {
                partner: self.system,
                partner_ref: accepted.partner_ref,
                duplicate: accepted.duplicate,
            });
        }
        if reply.status.is_client_error()
            && let Ok(refused) = serde_json::from_str::<Refused>(&reply.body)
        {
            // The partner's own code, kept short and printable: it goes into dead letters.
            let code: String = refused.code.chars().filter(|c| c.is_ascii_graphic()).take(64).collect();
            return Err(SinkError::Rejected { code });
        }
        Err(gateway_adapters::transport::status_error(reply.status, &reply.headers).into())
    }
}
