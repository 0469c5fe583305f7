//! OAuth2 client credentials with a JWT client assertion (RFC 7523) signed RS256, as the
//! state API gateway expects. The access token is cached until shortly before it expires;
//! concurrent callers wait for one token request rather than each asking for their own.

use std::time::{Duration, Instant};

use gateway_domain::{RequestContext, SourceError};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::Mutex;

use reqwest::Method;

use super::{HttpCall, HttpTransport, TransportError, status_error};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long a client assertion is valid; the token endpoint rejects older ones.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(120);
/// A cached token is renewed this long before it expires, so that it never expires in flight.
const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(30);

/// The OAuth2 client of one system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthConfig {
    /// The client id registered with the API gateway.
    pub client_id: String,
    /// A file holding the institution's RSA private key (PEM) that signs client assertions.
    #[serde(default)]
    pub client_key_file: Option<std::path::PathBuf>,
    /// The same key given inline (PEM), e.g. from an environment variable; wins over the file.
    #[serde(default)]
    pub client_key_pem: Option<SecretString>,
    /// The key id (`kid`) the API gateway knows the public key by.
    #[serde(default)]
    pub key_id: Option<String>,
    /// The scope to ask for, if the API gateway needs one.
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    jti: String,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    expires_in: u64,
}

struct CachedToken {
    token: SecretString,
    renew_at: Instant,
}

/// Obtains and caches bearer tokens with a signed client assertion.
pub struct ClientAssertion {
    token_url: String,
    client_id: String,
    key_id: Option<String>,
    scope: Option<String>,
    key: EncodingKey,
    cached: Mutex<Option<CachedToken>>,
}

impl std::fmt::Debug for ClientAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientAssertion").field("token_url", &self.token_url).finish_non_exhaustive()
    }
}

impl OAuthConfig {
    /// The signing key, inline or read from its file.
    pub fn key_pem(&self) -> Result<SecretString, TransportError> {
        if let Some(pem) = &self.client_key_pem {
            return Ok(pem.clone());
        }
        let path = self.client_key_file.clone().ok_or(TransportError::MissingKey)?;
        let pem = std::fs::read_to_string(&path).map_err(|source| TransportError::Read { path, source })?;
        Ok(SecretString::from(pem))
    }
}

impl ClientAssertion {
    /// The assertion of a system behind the API gateway at `base_url` (no trailing `/`): its
    /// token endpoint is `token_url`, by default `{base_url}/oauth2/token`.
    pub fn for_gateway(base_url: &str, token_url: Option<&str>, oauth: &OAuthConfig) -> Result<Self, TransportError> {
        let token_url = token_url.map_or_else(|| format!("{base_url}/oauth2/token"), str::to_owned);
        Self::new(token_url, oauth.client_id.clone(), oauth.key_id.clone(), oauth.scope.clone(), &oauth.key_pem()?)
    }

    /// `key_pem` is the RSA private key, PKCS#1 or PKCS#8 PEM.
    pub fn new(
        token_url: String,
        client_id: String,
        key_id: Option<String>,
        scope: Option<String>,
        key_pem: &SecretString,
    ) -> Result<Self, TransportError> {
        let key = EncodingKey::from_rsa_pem(key_pem.expose_secret().as_bytes()).map_err(TransportError::Key)?;
        Ok(Self { token_url, client_id, key_id, scope, key, cached: Mutex::new(None) })
    }

    /// A valid bearer token, from the cache or freshly requested.
    pub async fn bearer(&self, http: &HttpTransport, ctx: &RequestContext) -> Result<SecretString, SourceError> {
        // Callers queue here while one of them fetches a token: a queue of the gateway's own,
        // so waiting in it ends where any call must start, and ends as `RateLimited`.
        let start_by = tokio::time::Instant::from_std(http.start_by(ctx.deadline));
        let mut cached = tokio::time::timeout_at(start_by, self.cached.lock())
            .await
            .map_err(|_| SourceError::RateLimited { retry_after: None })?;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(token.token.clone());
        }
        let fresh = self.request_token(http, ctx).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets the cached token, after the API gateway refused it.
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    fn assertion(&self) -> Result<String, SourceError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = AssertionClaims {
            iss: &self.client_id,
            sub: &self.client_id,
            aud: &self.token_url,
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            exp: now + ASSERTION_LIFETIME.as_secs() as i64,
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid = self.key_id.clone();
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|_| SourceError::Rejected { code: "client-assertion-signing".into() })
    }

    async fn request_token(&self, http: &HttpTransport, ctx: &RequestContext) -> Result<CachedToken, SourceError> {
        let assertion = self.assertion()?;
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion.as_str()),
        ];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope.as_str()));
        }
        let form = serde_urlencoded::to_string(&form)
            .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        let started = Instant::now();
        let call = HttpCall::read(Method::POST, &self.token_url, ctx).body("application/x-www-form-urlencoded", form);
        let reply = http.execute(call).await?;
        if !reply.status.is_success() {
            tracing::warn!(system = %http.system(), status = reply.status.as_u16(), "Token request refused.");
            // A refused client is a configuration problem, not a missing person.
            return Err(match status_error(reply.status, &reply.headers) {
                SourceError::NotFound => SourceError::Rejected { code: "token-endpoint-not-found".into() },
                other => other,
            });
        }
        let body = reply.body;
        let parsed: TokenResponse = serde_json::from_str(&body)
            .map_err(|_| SourceError::Malformed { detail: "token response is not the expected JSON".into() })?;
        if !parsed.token_type.eq_ignore_ascii_case("bearer") || parsed.access_token.is_empty() {
            return Err(SourceError::Malformed { detail: "token response carries no bearer token".into() });
        }
        let lifetime = Duration::from_secs(parsed.expires_in);
        Ok(CachedToken {
            token: SecretString::from(parsed.access_token),
            renew_at: started + lifetime.saturating_sub(RENEW_BEFORE_EXPIRY.min(lifetime / 2)),
        })
    }
}
