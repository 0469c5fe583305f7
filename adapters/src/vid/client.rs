//! The VID client: one SOAP operation, `GetPersonEmployment`, as a person source of incomes
//! and statuses.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use secrecy::SecretString;

use super::{VidConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_call, write_envelope};

/// Asks VID for a person's employment income and workplaces.
#[derive(Debug)]
pub struct VidClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl VidClient {
    pub fn new(config: &VidConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Vid, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for VidClient {
    const SYSTEM: System = System::Vid;
    type Config = VidConfig;

    fn build(config: &VidConfig) -> Result<Self, TransportError> {
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
impl PersonSource for VidClient {
    fn system(&self) -> System {
        System::Vid
    }

    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Incomes, GapTopic::Statuses]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetPersonEmploymentRequest {
            ns: wire::NAMESPACE,
            person_code: query.person.as_str(),
            from_month: query.period.from().to_string(),
            to_month: query.period.to().to_string(),
        };
        let envelope =
            write_envelope(wire::NAMESPACE, &self.institution, &self.username, &self.password, ctx, &request)
                .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        match soap_call::<wire::ResponseBody>(&self.http, &self.url, wire::GET_PERSON_EMPLOYMENT, envelope, ctx).await?
        {
            Ok(body) => mapping::facts(&query.person, query.period, body.response, ctx),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
