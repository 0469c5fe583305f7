//! The UGFA client: one read, the maintenance the fund paid for a person in a period.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{UgfaConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks UGFA what the fund paid for a person.
#[derive(Debug)]
pub struct UgfaClient {
    api: BearerJson,
}

impl UgfaClient {
    pub fn new(config: &UgfaConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Ugfa,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(UgfaClient: Ugfa, UgfaConfig, api, Person);

#[async_trait]
impl PersonSource for UgfaClient {
    fn system(&self) -> System {
        System::Ugfa
    }

    /// Maintenance counts in the means test, so a failure leaves incomes unknown.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Incomes]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let body = wire::MaintenanceQuery {
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, query.period, answer, ctx)
    }
}
