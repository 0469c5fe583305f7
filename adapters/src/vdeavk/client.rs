//! The VDEĀVK client: one SOAP operation, `GetDisabilityDeterminations`, as a person source of
//! statuses.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use secrecy::SecretString;

use super::{VdeavkConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_call, write_envelope};

/// Asks VDEĀVK for a person's disability determinations.
#[derive(Debug)]
pub struct VdeavkClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl VdeavkClient {
    pub fn new(config: &VdeavkConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Vdeavk, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for VdeavkClient {
    const SYSTEM: System = System::Vdeavk;
    type Config = VdeavkConfig;

    fn build(config: &VdeavkConfig) -> Result<Self, TransportError> {
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
impl PersonSource for VdeavkClient {
    fn system(&self) -> System {
        System::Vdeavk
    }

    fn topics(&self) -> &'static [GapTopic] {
        &[GapTopic::Statuses]
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        let request = wire::GetDeterminationsRequest {
            ns: wire::NAMESPACE,
            person_code: query.person.as_str(),
            from_date: query.period.from().first_day().to_string(),
            to_date: query.period.to().last_day().to_string(),
        };
        let envelope =
            write_envelope(wire::NAMESPACE, &self.institution, &self.username, &self.password, ctx, &request)
                .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        match soap_call::<wire::ResponseBody>(&self.http, &self.url, wire::GET_DETERMINATIONS, envelope, ctx).await? {
            Ok(body) => mapping::statuses(&query.person, query.period, body.response, ctx),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
