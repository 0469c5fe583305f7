//! The PMLP client: three read operations behind a bearer token.

use async_trait::async_trait;
use gateway_domain::{
    DeclaredAddress, PersonCode, PersonRecord, PopulationRegister, RequestContext, SourceError, System,
};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;

use super::{PmlpConfig, mapping, wire};
use crate::transport::resilience::Breaker;
use crate::transport::{ClientAssertion, HttpCall, HttpTransport, Protocol, TransportError, status_error};

/// Talks to the Population Register.
#[derive(Debug)]
pub struct PmlpClient {
    base_url: String,
    permission: String,
    http: HttpTransport,
    auth: ClientAssertion,
}

impl PmlpClient {
    pub fn new(config: &PmlpConfig) -> Result<Self, TransportError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let token_url = config.token_url.clone().unwrap_or_else(|| format!("{base_url}/oauth2/token"));
        let auth = ClientAssertion::new(
            token_url,
            config.oauth.client_id.clone(),
            config.oauth.key_id.clone(),
            config.oauth.scope.clone(),
            &config.oauth.key_pem()?,
        )?;
        Ok(Self {
            http: HttpTransport::new(System::Pmlp, Protocol::Rest, &config.transport)?,
            base_url,
            permission: config.permission.clone(),
            auth,
        })
    }

    /// The circuit breaker of PMLP calls, for health reporting.
    pub fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    /// Sends one read with a bearer token; when the token is refused (it may have been revoked
    /// early) a fresh one is fetched and the call made once more.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&wire::PersonQuery<'_>>,
        ctx: &RequestContext,
    ) -> Result<T, SourceError> {
        let url = format!("{}{path}", self.base_url);
        for attempt in 0..2 {
            let token = self.auth.bearer(&self.http, ctx).await?;
            let mut call = HttpCall::read(method.clone(), &url, ctx)
                .header("authorization", &format!("Bearer {}", token.expose_secret()))?
                .header("x-dagr-permission", &self.permission)?
                .header("x-purpose", ctx.purpose.code())?;
            if let Some(body) = body {
                call = call.json(body)?;
            }
            let reply = self.http.execute(call).await?;
            if reply.status == StatusCode::UNAUTHORIZED && attempt == 0 {
                self.auth.invalidate().await;
                continue;
            }
            if !reply.status.is_success() {
                return Err(status_error(reply.status, &reply.headers));
            }
            return serde_json::from_str(&reply.body)
                .map_err(|_| SourceError::Malformed { detail: "the answer is not the expected JSON".into() });
        }
        Err(SourceError::Rejected { code: "http-401".into() })
    }
}

#[async_trait]
impl PopulationRegister for PmlpClient {
    async fn person(&self, person: &PersonCode, ctx: &RequestContext) -> Result<PersonRecord, SourceError> {
        let query = wire::PersonQuery { person_code: person.as_str() };
        let answer = self.call(Method::POST, "/fpr/v1/persons/search", Some(&query), ctx).await?;
        mapping::person_answer(person, answer, ctx)
    }

    async fn declared_address(
        &self,
        person: &PersonCode,
        ctx: &RequestContext,
    ) -> Result<DeclaredAddress, SourceError> {
        let query = wire::PersonQuery { person_code: person.as_str() };
        let answer = self.call(Method::POST, "/fpr/v1/declared-addresses/search", Some(&query), ctx).await?;
        mapping::declared_address(person, answer, ctx)
    }

    async fn residents(&self, address_code: &str, ctx: &RequestContext) -> Result<Vec<PersonRecord>, SourceError> {
        // Address codes are digits only; anything else would change the path.
        if address_code.is_empty() || !address_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SourceError::Rejected { code: "invalid-address-code".into() });
        }
        let path = format!("/fpr/v1/addresses/{address_code}/declared-persons");
        let answer = self.call(Method::GET, &path, None, ctx).await?;
        mapping::residents(address_code, answer, ctx)
    }
}
