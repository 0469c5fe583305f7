//! A REST/JSON service behind the state API gateway: every call carries a bearer token got
//! with a client assertion, the request id and the purpose; a refused token is renewed once;
//! unsuccessful statuses become `SourceError`s and bodies are parsed as the adapter's wire type.

use gateway_domain::{RequestContext, SourceError, System};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::resilience::Breaker;
use super::{
    ClientAssertion, HttpCall, HttpReply, HttpTransport, OAuthConfig, Protocol, TransportConfig, TransportError,
    status_error,
};

/// One system's REST client with its token cache.
#[derive(Debug)]
pub struct BearerJson {
    base_url: String,
    http: HttpTransport,
    auth: ClientAssertion,
    /// Headers every call carries besides the token, e.g. a permission number.
    fixed_headers: Vec<(&'static str, String)>,
}

impl BearerJson {
    /// `token_url` defaults to `{base_url}/oauth2/token`.
    pub fn new(
        system: System,
        base_url: &str,
        token_url: Option<&str>,
        oauth: &OAuthConfig,
        transport: &TransportConfig,
    ) -> Result<Self, TransportError> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let auth = ClientAssertion::for_gateway(&base_url, token_url, oauth)?;
        Ok(Self { http: HttpTransport::new(system, Protocol::Rest, transport)?, base_url, auth, fixed_headers: vec![] })
    }

    /// Adds a header every call carries; `name` is lowercase.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.fixed_headers.push((name, value.to_owned()));
        self
    }

    /// The circuit breaker of this system's calls.
    pub fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    /// The URL of `path` at this system.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends `call` (to one of [`BearerJson::url`]) with a bearer token and the fixed headers;
    /// when the token is refused (it may have been revoked early) a fresh one is fetched and
    /// the call sent once more. A refused token means the system did not act on the call, so
    /// a second one is harmless, write or not. The reply as it came, whatever its status.
    pub async fn send(&self, call: HttpCall, ctx: &RequestContext) -> Result<HttpReply, SourceError> {
        let mut call = call;
        for (name, value) in &self.fixed_headers {
            call = call.header(name, value)?;
        }
        let mut renewed = false;
        loop {
            let token = self.auth.bearer(&self.http, ctx).await?;
            let attempt = call.clone().header("authorization", &format!("Bearer {}", token.expose_secret()))?;
            let reply = self.http.execute(attempt).await?;
            if reply.status == StatusCode::UNAUTHORIZED && !renewed {
                renewed = true;
                self.auth.invalidate().await;
                continue;
            }
            return Ok(reply);
        }
    }

    /// Sends one read to `{base_url}{path}` with the purpose, through [`BearerJson::send`],
    /// and parses a successful answer as `T`.
    pub async fn read<B: Serialize + Sync, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        ctx: &RequestContext,
    ) -> Result<T, SourceError> {
        let mut call = HttpCall::read(method, self.url(path), ctx).header("x-purpose", ctx.purpose.code())?;
        if let Some(body) = body {
            call = call.json(body)?;
        }
        let reply = self.send(call, ctx).await?;
        if !reply.status.is_success() {
            return Err(status_error(reply.status, &reply.headers));
        }
        serde_json::from_str(&reply.body)
            .map_err(|_| SourceError::Malformed { detail: "the answer is not the expected JSON".into() })
    }
}
