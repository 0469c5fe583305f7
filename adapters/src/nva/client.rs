//! The NVA client: one read, a person's registrations and payments in a period.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{NvaConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks NVA about a person.
#[derive(Debug)]
pub struct NvaClient {
    api: BearerJson,
}

impl NvaClient {
    pub fn new(config: &NvaConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Nva,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(NvaClient: Nva, NvaConfig, api, Person);

#[async_trait]
impl PersonSource for NvaClient {
    fn system(&self) -> System {
        System::Nva
    }

    /// NVA's payments include the public-works allowance, which counts in the means test, so
    /// a failure leaves incomes unknown as well as statuses.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Statuses, GapTopic::Incomes]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let body = wire::PersonStatusQuery {
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, query.period, answer, ctx)
    }
}
