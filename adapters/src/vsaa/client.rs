//! The VSAA client: one SOAP operation, `GetPersonIncomes`, as a person source of incomes.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use secrecy::SecretString;

use super::{VsaaConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_call, write_envelope};

/// Asks VSAA for a person's incomes.
#[derive(Debug)]
pub struct VsaaClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl VsaaClient {
    pub fn new(config: &VsaaConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Vsaa, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for VsaaClient {
    const SYSTEM: System = System::Vsaa;
    type Config = VsaaConfig;

    fn build(config: &VsaaConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    fn role(self) -> Role {
        Role::Person(Arc::new(self))
    }
}

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
            ns: wire::NAMESPACE,
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let envelope =
            write_envelope(wire::NAMESPACE, &self.institution, &self.username, &self.password, ctx, &request)
                .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        match soap_call::<wire::ResponseBody>(&self.http, &self.url, wire::GET_PERSON_INCOMES, envelope, ctx).await? {
            Ok(body) => mapping::incomes(&query.person, query.period, body.response, ctx),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
