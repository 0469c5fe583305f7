//! The SPOLIS co-financing client: one read, the confirmations of a municipality and month.

use async_trait::async_trait;
use gateway_domain::{
    CoFinancingSource, CoFinancingStatement, Month, MunicipalityKey, RequestContext, SourceError, System,
};
use reqwest::Method;

use super::{SpolisCoFinancingConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks SPOLIS what the state co-finances.
#[derive(Debug)]
pub struct SpolisCoFinancingClient {
    api: BearerJson,
}

impl SpolisCoFinancingClient {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(config: &SpolisCoFinancingConfig) -> Result<Self, TransportError> {
        let token_url = config
            .token_url
            .clone()
            .unwrap_or_else(|| format!("{}{}", config.base_url.trim_end_matches('/'), wire::TOKEN_PATH));
        let api =
            BearerJson::new(System::Spolis, &config.base_url, Some(&token_url), &config.oauth, &config.transport)?;
        Ok(Self { api })
    }
}

adapter!(SpolisCoFinancingClient: Spolis, SpolisCoFinancingConfig, api, CoFinancing);

#[async_trait]
impl CoFinancingSource for SpolisCoFinancingClient {
    async fn confirmations(
        &self,
        municipality: &str,
        month: Month,
        ctx: &RequestContext,
    ) -> Result<CoFinancingStatement, SourceError> {
        // The key goes into the URL: anything but its letters and hyphens could change the path.
        if MunicipalityKey::parse(municipality).is_err() {
            return Err(SourceError::Rejected { code: "invalid-municipality".into() });
        }
        let path = format!("{}{municipality}/{month}", wire::CONFIRMATIONS_PATH);
        let answer: wire::Confirmations = self.api.read::<(), _>(Method::GET, &path, None, ctx).await?;
        mapping::statement(municipality, month, answer, ctx)
    }
}
