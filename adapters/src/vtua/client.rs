//! The VTUA client: one SOAP operation, `GetPersonMachinery`, as a person source of assets.

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonQuery, PersonSource, RequestContext, SourceError, System};
use secrecy::SecretString;

use super::{VtuaConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{HttpTransport, Protocol, TransportError, soap_call, write_envelope};

/// Asks VTUA which tractors and machines are registered to a person.
#[derive(Debug)]
pub struct VtuaClient {
    url: String,
    institution: String,
    username: String,
    password: SecretString,
    http: HttpTransport,
}

impl VtuaClient {
    pub fn new(config: &VtuaConfig) -> Result<Self, TransportError> {
        Ok(Self {
            url: format!("{}{}", config.base_url.trim_end_matches('/'), wire::PATH),
            institution: config.institution.clone(),
            username: config.username.clone(),
            password: config.password.clone(),
            http: HttpTransport::new(System::Vtua, Protocol::Soap, &config.transport)?,
        })
    }
}

impl Adapter for VtuaClient {
    const SYSTEM: System = System::Vtua;
    type Config = VtuaConfig;

    fn build(config: &VtuaConfig) -> Result<Self, TransportError> {
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
        let request = wire::GetPersonMachineryRequest { ns: wire::NAMESPACE, person_code: query.person.as_str() };
        let envelope =
            write_envelope(wire::NAMESPACE, &self.institution, &self.username, &self.password, ctx, &request)
                .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        match soap_call::<wire::ResponseBody>(&self.http, &self.url, wire::GET_PERSON_MACHINERY, envelope, ctx).await? {
            Ok(body) => mapping::facts(&query.person, body.response, ctx),
            Err(fault) => Err(mapping::fault(fault)),
        }
    }
}
