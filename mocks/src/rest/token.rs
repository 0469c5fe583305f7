//! The simulated OAuth2 token endpoint every REST simulator with a token puts in front of its
//! contract: the client-credentials grant with an RS256-signed JWT client assertion (RFC 7523),
//! as the state API gateway in front of DAGR asks for it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use wiremock::{Request, ResponseTemplate};

use super::{JSON, header};

/// The path of the token endpoint.
pub(crate) const TOKEN_PATH: &str = "/oauth2/token";
const GRANT_TYPE: &str = "client_credentials";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long an issued token is good for.
const TOKEN_LIFETIME: Duration = Duration::from_secs(300);
/// How far ahead an assertion may expire: a long-lived assertion is as good as a password.
const MAX_ASSERTION_LIFETIME_SECS: u64 = 600;
const SCOPE: &str = "fpr";

/// The claims the endpoint reads; `jsonwebtoken` checks `exp`, `iss`, `sub` and `aud` itself.
#[derive(Deserialize)]
struct AssertionClaims {
    exp: u64,
}

/// `token.schema.json`: what a token request is answered with.
#[derive(Serialize)]
struct TokenResponse<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: u64,
    scope: &'static str,
}

/// An OAuth2 error response (RFC 6749, section 5.2).
#[derive(Serialize)]
struct OAuthError {
    error: &'static str,
    error_description: &'static str,
}

/// How many tokens an issuer has issued; clones share the count.
#[derive(Debug, Clone, Default)]
pub(crate) struct IssuedTokens(Arc<AtomicUsize>);

impl IssuedTokens {
    /// Tokens issued since the simulator started.
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Issues access tokens for valid client assertions and remembers them until they expire.
pub(crate) struct TokenIssuer {
    client_id: String,
    /// `None` if the configured public key does not parse: then no assertion is valid.
    key: Option<DecodingKey>,
    token_url: String,
    lifetime: Duration,
    tokens: Mutex<HashMap<String, Instant>>,
    issued: IssuedTokens,
}

impl TokenIssuer {
    pub(crate) fn new(client_id: &str, public_key_pem: &str, base_url: &str) -> Self {
        let key = DecodingKey::from_rsa_pem(public_key_pem.as_bytes()).ok();
        if key.is_none() {
            tracing::warn!(
                "The simulated token endpoint's public key does not parse; every client assertion will be refused."
            );
        }
        Self {
            client_id: client_id.to_owned(),
            key,
            token_url: format!("{base_url}{TOKEN_PATH}"),
            lifetime: TOKEN_LIFETIME,
            tokens: Mutex::new(HashMap::new()),
            issued: IssuedTokens::default(),
        }
    }

    /// The count of tokens issued, which keeps counting after the issuer is handed on.
    pub(crate) fn issued(&self) -> IssuedTokens {
        self.issued.clone()
    }

    /// Whether `token` was issued here and has not expired.
    fn is_valid(&self, token: &str) -> bool {
        let tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tokens.get(token).is_some_and(|expires| Instant::now() < *expires)
    }

    /// Whether `request` carries a bearer token issued here that has not expired.
    pub(crate) fn admits(&self, request: &Request) -> bool {
        let token = header(request, "authorization").and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
        token.is_some_and(|token| self.is_valid(token))
    }

    /// Answers a token request.
    pub(crate) fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> = form_urlencoded::parse(&request.body).into_owned().collect();
        match form.get("grant_type").map(String::as_str) {
            Some(GRANT_TYPE) => {}
            Some(_) => return oauth_error(400, "unsupported_grant_type", "only client_credentials is supported"),
            None => return oauth_error(400, "invalid_request", "grant_type is missing"),
        }
        if form.get("client_assertion_type").map(String::as_str) != Some(ASSERTION_TYPE) {
            return invalid_client("client_assertion_type must be jwt-bearer");
        }
        if form.get("client_id").is_some_and(|id| *id != self.client_id) {
            return invalid_client("client_id does not match the assertion");
        }
        let Some(assertion) = form.get("client_assertion") else {
            return invalid_client("client_assertion is missing");
        };
        if let Err(reason) = self.verify(assertion, request) {
            tracing::debug!(reason, "Simulated token endpoint refused a client assertion.");
            return invalid_client(reason);
        }
        let token = format!("sim-{}", uuid::Uuid::new_v4().simple());
        let now = Instant::now();
        {
            let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            tokens.retain(|_, expires| now < *expires);
            tokens.insert(token.clone(), now + self.lifetime);
        }
        self.issued.0.fetch_add(1, Ordering::Relaxed);
        let body = TokenResponse {
            access_token: &token,
            token_type: "Bearer",
            expires_in: self.lifetime.as_secs(),
            scope: SCOPE,
        };
        ResponseTemplate::new(200)
            .insert_header("cache-control", "no-store")
            .set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), JSON)
    }

    /// Checks the assertion's signature and claims. The audience is the token URL, under the
    /// simulator's own address or under the host name the client reached it by.
    fn verify(&self, assertion: &str, request: &Request) -> Result<(), &'static str> {
        let key = self.key.as_ref().ok_or("no key to verify assertions with")?;
        let mut audiences = vec![self.token_url.clone()];
        if let Some(host) = request.headers.get("host").and_then(|h| h.to_str().ok()) {
            audiences.push(format!("http://{host}{TOKEN_PATH}"));
        }
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
        validation.set_issuer(&[&self.client_id]);
        validation.sub = Some(self.client_id.clone());
        validation.set_audience(&audiences);
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<AssertionClaims>(assertion, key, &validation)
            .map_err(|_| "the client assertion is not valid")?
            .claims;
        if claims.exp > jsonwebtoken::get_current_timestamp() + MAX_ASSERTION_LIFETIME_SECS {
            return Err("the client assertion expires too far ahead");
        }
        Ok(())
    }
}

fn invalid_client(description: &'static str) -> ResponseTemplate {
    oauth_error(401, "invalid_client", description)
}

fn oauth_error(status: u16, error: &'static str, description: &'static str) -> ResponseTemplate {
    let body = OAuthError { error, error_description: description };
    ResponseTemplate::new(status)
        .insert_header("cache-control", "no-store")
        .set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), JSON)
}
