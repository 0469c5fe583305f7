//! The simulated OAuth2 token endpoint: the client-credentials grant with an RS256-signed JWT
//! client assertion (RFC 7523), as the state API gateway in front of DAGR asks for it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use wiremock::{Request, ResponseTemplate};

use super::wire::{OAuthError, TokenResponse};

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

/// Issues access tokens for valid client assertions and remembers them until they expire.
pub(crate) struct TokenIssuer {
    client_id: String,
    /// `None` if the configured public key does not parse: then no assertion is valid.
    key: Option<DecodingKey>,
    token_url: String,
    lifetime: Duration,
    tokens: Mutex<HashMap<String, Instant>>,
    issued: AtomicUsize,
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
            issued: AtomicUsize::new(0),
        }
    }

    /// How many tokens have been issued since the simulator started.
    pub(crate) fn issued(&self) -> usize {
        self.issued.load(Ordering::Relaxed)
    }

    /// Whether `token` was issued here and has not expired.
    pub(crate) fn is_valid(&self, token: &str) -> bool {
        let tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tokens.get(token).is_some_and(|expires| Instant::now() < *expires)
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
        self.issued.fetch_add(1, Ordering::Relaxed);
        let body = TokenResponse {
            access_token: &token,
            token_type: "Bearer",
            expires_in: self.lifetime.as_secs(),
            scope: SCOPE,
        };
        ResponseTemplate::new(200)
            .insert_header("cache-control", "no-store")
            .set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), "application/json")
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
        .set_body_raw(serde_json::to_vec(&body).unwrap_or_default(), "application/json")
}
