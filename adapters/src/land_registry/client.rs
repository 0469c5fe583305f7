//! The Land Registry client: one SOAP operation, `GetPersonOwnerships`, as a person source of
//! ownerships.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use secrecy::SecretString;

use super::{LandRegistryConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_call, write_envelope};

/// Asks the Land Registry what real estate a person owns.
#[derive(Debug)]
pub struct LandRegistryClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl LandRegistryClient {
    /// Builds the client from its settings; nothing is sent until the first call.
    pub fn new(config: &LandRegistryConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::LandRegistry, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for LandRegistryClient {
    const SYSTEM: System = System::LandRegistry;
    type Config = LandRegistryConfig;

    fn build(config: &LandRegistryConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    fn role(self) -> Role {
        Role::Ownerships(Arc::new(self))
    }
}

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
        let request = wire::GetOwnershipsRequest { ns: wire::NAMESPACE, person_code: query.person.as_str() };
        let envelope =
            write_envelope(wire::NAMESPACE, &self.institution, &self.username, &self.password, ctx, &request)
                .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        match soap_call::<wire::ResponseBody>(&self.http, &self.url, wire::GET_OWNERSHIPS, envelope, ctx).await? {
            Ok(body) => mapping::ownerships(&query.person, body.response, ctx),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
