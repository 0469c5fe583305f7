//! The VID client: one SOAP operation, `GetPersonEmployment`, as a person source of incomes
//! and statuses.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};

use super::{VidConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{SoapAccount, SoapSource, TransportError};

/// Asks VID for a person's employment income and workplaces.
#[derive(Debug)]
pub struct VidClient {
    soap: SoapSource,
}

impl VidClient {
    pub fn new(config: &VidConfig) -> Result<Self, TransportError> {
        let account = SoapAccount::new(&config.institution, &config.username, &config.password);
        let soap = SoapSource::new(System::Vid, &config.base_url, wire::OPERATION, account, &config.transport)?;
        Ok(Self { soap })
    }
}

adapter!(VidClient: Vid, VidConfig, soap, Person);

#[async_trait]
impl PersonSource for VidClient {
    fn system(&self) -> System {
        System::Vid
    }

    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Incomes, GapTopic::Statuses]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetPersonEmploymentRequest {
            ns: wire::OPERATION.namespace,
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let body: wire::ResponseBody = self.soap.ask(&request, mapping::fault, ctx).await?;
        mapping::facts(&query.person, query.period, body.response, ctx)
    }
}
