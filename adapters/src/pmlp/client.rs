//! The PMLP client: three read operations behind a bearer token.

use async_trait::async_trait;
use gateway_domain::{
    DeclaredAddress, PersonCode, PersonRecord, PopulationRegister, RequestContext, SourceError, System,
};
use reqwest::Method;

use super::{PmlpConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Talks to the Population Register.
#[derive(Debug)]
pub struct PmlpClient {
    rest: BearerJson,
}

impl PmlpClient {
    pub fn new(config: &PmlpConfig) -> Result<Self, TransportError> {
        let rest = BearerJson::new(
            System::Pmlp,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?
        .with_header("x-dagr-permission", &config.permission);
        Ok(Self { rest })
    }
}

adapter!(PmlpClient: Pmlp, PmlpConfig, rest, Population);

#[async_trait]
impl PopulationRegister for PmlpClient {
    async fn person(&self, person: &PersonCode, ctx: &RequestContext) -> Result<PersonRecord, SourceError> {
        let query = wire::PersonQuery { person_code: person.as_str() };
        let answer = self.rest.read(Method::POST, "/fpr/v1/persons/search", Some(&query), ctx).await?;
        mapping::person_answer(person, answer, ctx)
    }

    async fn declared_address(
        &self,
        person: &PersonCode,
        ctx: &RequestContext,
    ) -> Result<DeclaredAddress, SourceError> {
        let query = wire::PersonQuery { person_code: person.as_str() };
        let answer = self.rest.read(Method::POST, "/fpr/v1/declared-addresses/search", Some(&query), ctx).await?;
        mapping::declared_address(person, answer, ctx)
    }

    async fn residents(&self, address_code: &str, ctx: &RequestContext) -> Result<Vec<PersonRecord>, SourceError> {
        // Address codes are digits only; anything else would change the path.
        if address_code.is_empty() || !address_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SourceError::Rejected { code: "invalid-address-code".into() });
        }
        let path = format!("/fpr/v1/addresses/{address_code}/declared-persons");
        let answer = self.rest.read(Method::GET, &path, None::<&wire::PersonQuery>, ctx).await?;
        mapping::residents(address_code, answer, ctx)
    }
}
