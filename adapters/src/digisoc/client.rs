//! The DigiSoc client: one write, posting a referral version, and one read, a page of
//! execution reports, both behind a bearer token over one transport (one breaker).

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{
    IdempotencyKey, Receipt, Referral, ReferralChannel, ReportPage, RequestContext, SinkError, SourceError, System,
};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;

use super::{DigisocConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{ClientAssertion, HttpCall, HttpReply, HttpTransport, Protocol, TransportError};

/// Delivers referrals to DigiSoc and reads the execution reports providers entered there.
#[derive(Debug)]
pub struct DigisocClient {
    referrals_url: String,
    reports_url: String,
    http: HttpTransport,
    auth: ClientAssertion,
}

impl DigisocClient {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(config: &DigisocConfig) -> Result<Self, TransportError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let auth = ClientAssertion::for_gateway(&base_url, config.token_url.as_deref(), &config.oauth)?;
        Ok(Self {
            referrals_url: format!("{base_url}{}", wire::REFERRALS_PATH),
            reports_url: format!("{base_url}{}", wire::REPORTS_PATH),
            http: HttpTransport::new(System::Digisoc, Protocol::Rest, &config.transport)?,
            auth,
        })
    }

    /// Sends `call` with a bearer token and the purpose; when the token is refused (it may
    /// have been revoked early) a fresh one is fetched and the call sent once more. A refused
    /// token means DigiSoc did not act on the call, so a second one is harmless either way.
    async fn send(&self, call: HttpCall, ctx: &RequestContext) -> Result<HttpReply, SourceError> {
        let call = call.header(wire::PURPOSE_HEADER, ctx.purpose.code())?;
        let mut renewed = false;
        loop {
            let token = self.auth.bearer(&self.http, ctx).await?;
            let attempt = call.clone().header("authorization", &format!("Bearer {}", token.expose_secret()))?;
            let reply = self.http.execute(attempt).await?;
            if reply.status == StatusCode::UNAUTHORIZED && !renewed {
                renewed = true;
                self.auth.invalidate().await;
                continue;
            }
            return Ok(reply);
        }
    }
}

impl Adapter for DigisocClient {
    const SYSTEM: System = System::Digisoc;
    type Config = DigisocConfig;

    fn build(config: &DigisocConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    fn role(self) -> Role {
        Role::Referrals(Arc::new(self))
    }
}

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
        let call = HttpCall::write(Method::POST, &self.referrals_url, ctx)
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
        let call = HttpCall::read(Method::GET, format!("{}?{query}", self.reports_url), ctx);
        let reply = self.send(call, ctx).await?;
        mapping::report_page(&reply, limit)
    }
}
