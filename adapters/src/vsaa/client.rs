//! The VSAA client: one SOAP operation, `GetPersonIncomes`, as a person source of incomes.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};

use super::{VsaaConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{SoapAccount, SoapSource, TransportError};

/// Asks VSAA for a person's incomes.
#[derive(Debug)]
pub struct VsaaClient {
    soap: SoapSource,
}

impl VsaaClient {
    pub fn new(config: &VsaaConfig) -> Result<Self, TransportError> {
        let account = SoapAccount::new(&config.institution, &config.username, &config.password);
        let soap = SoapSource::new(System::Vsaa, &config.base_url, wire::OPERATION, account, &config.transport)?;
        Ok(Self { soap })
    }
}

adapter!(VsaaClient: Vsaa, VsaaConfig, soap, Person);

#[async_trait]
impl PersonSource for VsaaClient {
    fn system(&self) -> System {
        System::Vsaa
    }

    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Incomes]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetPersonIncomesRequest {
            ns: wire::OPERATION.namespace,
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let body: wire::ResponseBody = self.soap.ask(&request, mapping::fault, ctx).await?;
        mapping::incomes(&query.person, query.period, body.response, ctx)
    }
}
