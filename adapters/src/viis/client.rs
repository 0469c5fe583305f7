//! The VIIS client: one read, a person's enrolments on the days of a period.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{ViisConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks VIIS where a person is enrolled.
#[derive(Debug)]
pub struct ViisClient {
    api: BearerJson,
}

impl ViisClient {
    pub fn new(config: &ViisConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Viis,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(ViisClient: Viis, ViisConfig, api, Person);

#[async_trait]
impl PersonSource for ViisClient {
    fn system(&self) -> System {
        System::Viis
    }

    /// An enrolment is a status; incomes are other registries' to report.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Statuses]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let (first, last) = (query.period.from().first_day(), query.period.to().last_day());
        let body = wire::EnrolmentQuery {
            person_code: query.person.as_str(),
            from_date: first.to_string(),
            to_date: last.to_string(),
        };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, first, last, answer, ctx)
    }
}
