//! The VTUA client: one SOAP operation, `GetPersonMachinery`, as a person source of assets.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};

use super::{VtuaConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{SoapAccount, SoapSource, TransportError};

/// Asks VTUA which tractors and machines are registered to a person.
#[derive(Debug)]
pub struct VtuaClient {
    soap: SoapSource,
}

impl VtuaClient {
    pub fn new(config: &VtuaConfig) -> Result<Self, TransportError> {
        let account = SoapAccount::new(&config.institution, &config.username, &config.password);
        let soap = SoapSource::new(System::Vtua, &config.base_url, wire::OPERATION, account, &config.transport)?;
        Ok(Self { soap })
    }
}

adapter!(VtuaClient: Vtua, VtuaConfig, soap, Person);

#[async_trait]
impl PersonSource for VtuaClient {
    fn system(&self) -> System {
        System::Vtua
    }

    /// Machinery is an asset, so a failure leaves what the household owns unknown, not its incomes.
    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Assets]
    }

    /// The register's state now: the period asked about does not narrow it.
    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request =
            wire::GetPersonMachineryRequest { ns: wire::OPERATION.namespace, person_code: query.person.as_str() };
        let body: wire::ResponseBody = self.soap.ask(&request, mapping::fault, ctx).await?;
        mapping::facts(&query.person, body.response, ctx)
    }
}
