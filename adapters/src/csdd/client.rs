//! The CSDD client: one read, the road vehicles registered to a person.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{CsddConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks CSDD which road vehicles are registered to a person.
#[derive(Debug)]
pub struct CsddClient {
    api: BearerJson,
}

impl CsddClient {
    pub fn new(config: &CsddConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Csdd,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(CsddClient: Csdd, CsddConfig, api, Person);

#[async_trait]
impl PersonSource for CsddClient {
    fn system(&self) -> System {
        System::Csdd
    }

    /// Vehicles are assets, so a failure leaves what the household owns unknown, not its incomes.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Assets]
    }

    /// The register's state now: the period asked about does not narrow it.
    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let body = wire::VehicleQuery { person_code: query.person.as_str() };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, answer, ctx)
    }
}
