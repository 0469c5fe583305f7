//! The LAD client: one read, the support the service paid a person in a period.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{LadConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks LAD what it paid a person.
#[derive(Debug)]
pub struct LadClient {
    api: BearerJson,
}

impl LadClient {
    pub fn new(config: &LadConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Lad,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(LadClient: Lad, LadConfig, api, Person);

#[async_trait]
impl PersonSource for LadClient {
    fn system(&self) -> System {
        System::Lad
    }

    /// Agricultural support counts in the means test, so a failure leaves incomes unknown.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Incomes]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let body = wire::SupportQuery {
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, query.period, answer, ctx)
    }
}
