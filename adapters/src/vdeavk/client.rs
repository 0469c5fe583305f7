//! The VDEĀVK client: one SOAP operation, `GetDisabilityDeterminations`, as a person source of
//! statuses.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};

use super::{VdeavkConfig, mapping, wire};
use crate::adapter::adapter;
use crate::transport::{SoapAccount, SoapSource, TransportError};

/// Asks VDEĀVK for a person's disability determinations.
#[derive(Debug)]
pub struct VdeavkClient {
    soap: SoapSource,
}

impl VdeavkClient {
    pub fn new(config: &VdeavkConfig) -> Result<Self, TransportError> {
        let account = SoapAccount::new(&config.institution, &config.username, &config.password);
        let soap = SoapSource::new(System::Vdeavk, &config.base_url, wire::OPERATION, account, &config.transport)?;
        Ok(Self { soap })
    }
}

adapter!(VdeavkClient: Vdeavk, VdeavkConfig, soap, Person);

#[async_trait]
impl PersonSource for VdeavkClient {
    fn system(&self) -> System {
        System::Vdeavk
    }

    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Statuses]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetDeterminationsRequest {
            ns: wire::OPERATION.namespace,
            person_code: query.person.as_str(),
            from_date: query.period.from().first_day().to_string(),
            to_date: query.period.to().last_day().to_string(),
        };
        let body: wire::ResponseBody = self.soap.ask(&request, mapping::fault, ctx).await?;
        mapping::statuses(&query.person, query.period, body.response, ctx)
    }
}
