//! The cadastre client: one read, a property by its cadastral number.

use async_trait::async_trait;
use gateway_domain::{CadastralProperty, Cadastre, RequestContext, SourceError, System};
use reqwest::Method;

use super::{CadastreConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks the VZD cadastre about a property.
#[derive(Debug)]
pub struct CadastreClient {
    api: BearerJson,
}

impl CadastreClient {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(config: &CadastreConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Cadastre,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(CadastreClient: Cadastre, CadastreConfig, api, Cadastre);

#[async_trait]
impl Cadastre for CadastreClient {
    async fn property(&self, cadastral_number: &str, ctx: &RequestContext) -> Result<CadastralProperty, SourceError> {
        // The number goes into the URL: anything but its 11 digits could change the path.
        if !mapping::is_cadastral_number(cadastral_number) {
            return Err(SourceError::Rejected { code: "invalid-cadastral-number".into() });
        }
        let path = format!("{}{cadastral_number}", wire::PROPERTIES_PATH);
        let answer: wire::Property = self.api.read::<(), _>(Method::GET, &path, None, ctx).await?;
        mapping::property(cadastral_number, answer, ctx)
    }
}
