//! The NINO client: one write, posting a relief status behind a bearer token.

use async_trait::async_trait;
use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System};

use super::{NinoConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Delivers status decisions to the real-estate tax administration.
#[derive(Debug)]
pub struct NinoClient {
    api: BearerJson,
}

impl NinoClient {
    pub fn new(config: &NinoConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Nino,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(NinoClient: Nino, NinoConfig, api, Partner);

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
        let delivery = mapping::DELIVERY;
        let receipt: wire::ReliefStatusReceipt =
            delivery.send(&self.api, key, &mapping::relief_status(decision), ctx).await?;
        delivery.receipt(key, [&receipt.idempotency_key, &receipt.result, &receipt.status_record_id])
    }
}
