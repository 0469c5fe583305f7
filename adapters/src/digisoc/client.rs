//! The DigiSoc client: one write, posting a referral version, and one read, a page of
//! execution reports, both behind a bearer token over one transport (one breaker).

use async_trait::async_trait;
use gateway_domain::{
    IdempotencyKey, Receipt, Referral, ReferralChannel, ReportPage, RequestContext, SinkError, SourceError, System,
};
use reqwest::Method;

use super::{DigisocConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, HttpCall, HttpReply, TransportError};

/// Delivers referrals to DigiSoc and reads the execution reports providers entered there.
#[derive(Debug)]
pub struct DigisocClient {
    api: BearerJson,
}

impl DigisocClient {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(config: &DigisocConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Digisoc,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }

    /// Sends `call` with the purpose, through the shared bearer-token send (a refused token
    /// is renewed once).
    async fn send(&self, call: HttpCall, ctx: &RequestContext) -> Result<HttpReply, SourceError> {
        self.api.send(call.header(wire::PURPOSE_HEADER, ctx.purpose.code())?, ctx).await
    }
}

adapter!(DigisocClient: Digisoc, DigisocConfig, api, Referrals);

#[async_trait]
impl ReferralChannel for DigisocClient {
    fn system(&self) -> System {
        System::Digisoc
    }

    /// Posts the referral version once (the transport never repeats a write; the outbox does,
    /// with the same key).
    async fn deliver(
        &self,
        referral: &Referral,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let call = HttpCall::write(Method::POST, self.api.url(wire::REFERRALS_PATH), ctx)
            .header(wire::IDEMPOTENCY_KEY_HEADER, key.as_str())?
            .json(&mapping::referral(referral))?;
        let reply = self.send(call, ctx).await.map_err(SinkError::Transient)?;
        mapping::receipt(&reply, referral, key)
    }

    /// Reads the reports recorded after `cursor`; `limit` is taken as 1 to 500.
    async fn reports(&self, cursor: Option<&str>, limit: u32, ctx: &RequestContext) -> Result<ReportPage, SourceError> {
        let limit = limit.clamp(1, wire::MAX_PAGE);
        let query = serde_urlencoded::to_string(wire::ReportsQuery { after: cursor, limit })
            .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        let call = HttpCall::read(Method::GET, format!("{}?{query}", self.api.url(wire::REPORTS_PATH)), ctx);
        let reply = self.send(call, ctx).await?;
        mapping::report_page(&reply, limit)
    }
}
