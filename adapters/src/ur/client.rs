//! The UR client: one read, a person's current roles in companies.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use reqwest::Method;

use super::{UrConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{BearerJson, TransportError};

/// Asks the Register of Enterprises in which companies a person holds shares or sits on the board.
#[derive(Debug)]
pub struct UrClient {
    api: BearerJson,
}

impl UrClient {
    pub fn new(config: &UrConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            System::Ur,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api })
    }
}

adapter!(UrClient: Ur, UrConfig, api, Person);

#[async_trait]
impl PersonSource for UrClient {
    fn system(&self) -> System {
        System::Ur
    }

    /// Holdings are assets: a failure leaves what the person owns unknown, never their incomes.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Assets]
    }

    /// The register answers the roles it records now, whatever months the check is about.
    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let body = wire::PersonRolesQuery { person_code: query.person.as_str() };
        let answer = self.api.read(Method::POST, wire::SEARCH_PATH, Some(&body), ctx).await?;
        mapping::facts(&query.person, answer, ctx)
    }
}
