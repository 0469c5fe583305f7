//! The Land Registry client: one SOAP operation, `GetPersonOwnerships`, as a person source of
//! ownerships.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};

use super::{LandRegistryConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{SoapAccount, SoapSource, TransportError};

/// Asks the Land Registry what real estate a person owns.
#[derive(Debug)]
pub struct LandRegistryClient {
    soap: SoapSource,
}

impl LandRegistryClient {
    /// Builds the client from its settings; nothing is sent until the first call.
    pub fn new(config: &LandRegistryConfig) -> Result<Self, TransportError> {
        let account = SoapAccount::new(&config.institution, &config.username, &config.password);
        let soap =
            SoapSource::new(System::LandRegistry, &config.base_url, wire::OPERATION, account, &config.transport)?;
        Ok(Self { soap })
    }
}

adapter!(LandRegistryClient: LandRegistry, LandRegistryConfig, soap, Ownerships);

#[async_trait]
impl PersonSource for LandRegistryClient {
    fn system(&self) -> System {
        System::LandRegistry
    }

    /// Without the Land Registry nobody's real estate is known; the cadastre is then not
    /// asked at all, so its topic never needs a gap from here.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Assets]
    }

    /// Ownership is what the folios say today: the register answers for the current state,
    /// whatever the period of the check.
    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetOwnershipsRequest { ns: wire::OPERATION.namespace, person_code: query.person.as_str() };
        let body: wire::ResponseBody = self.soap.ask(&request, mapping::fault, ctx).await?;
        mapping::ownerships(&query.person, body.response, ctx)
    }
}
