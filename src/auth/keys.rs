//! The identity provider's public keys (a JWKS given inline, in a file or at a URL, read again
//! on a schedule) and the verification of callers' tokens against them: signature, issuer,
//! audience, expiry and not-before with a bounded clock skew. Symmetric keys and `none` are
//! never accepted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;

use super::{Caller, Role};

/// The largest clock skew `leeway_secs` may allow.
pub const MAX_LEEWAY_SECS: u64 = 300;

/// The `[auth]` section: whose tokens the API accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// The identity provider's issuer (`iss`) as its tokens name it.
    pub issuer: String,
    /// This gateway's name in the tokens' audience (`aud`).
    pub audience: String,
    /// The provider's keys as a JWKS file; read again every `refresh_secs`.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// The provider's keys at a URL (its `jwks_uri`); fetched again every `refresh_secs`.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// The provider's keys given inline, as JWKS JSON.
    #[serde(default)]
    pub jwks: Option<String>,
    /// How often the keys are read again, in seconds (default 300).
    #[serde(default = "default_refresh_secs")]
    pub refresh_secs: u64,
    /// Clock skew allowed on expiry and not-before, in seconds (default 30, at most 300).
    #[serde(default = "default_leeway_secs")]
    pub leeway_secs: u64,
    /// The claim that lists the caller's roles (default `roles`).
    #[serde(default = "default_roles_claim")]
    pub roles_claim: String,
}

fn default_refresh_secs() -> u64 {
    300
}

fn default_leeway_secs() -> u64 {
    30
}

fn default_roles_claim() -> String {
    "roles".into()
}

/// Why the keys could not be read. Names files and URLs, never key material.
#[derive(Debug, thiserror::Error)]
pub enum KeySetError {
    #[error("auth: give exactly one of jwks, jwks_file and jwks_url")]
    Source,
    #[error("auth.leeway_secs must be at most {MAX_LEEWAY_SECS}")]
    Leeway,
    #[error("auth: cannot read {0}: {1}")]
    Read(String, String),
    #[error("auth: {0} is not a JWKS: {1}")]
    Parse(String, String),
    #[error("auth: {0} holds no usable signing key (RSA, EC P-256/P-384 or Ed25519)")]
    NoKeys(String),
}

/// Why a token is refused. Never quotes the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("this gateway accepts no tokens: [auth] is not configured")]
    NotConfigured,
    #[error("the token is not a signed JWT")]
    Malformed,
    #[error("the token is signed with a key the identity provider does not publish")]
    UnknownKey,
    #[error("the token's signature is not valid")]
    Signature,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token was issued by another issuer")]
    Issuer,
    #[error("the token is for another audience")]
    Audience,
    #[error("the token lacks the claim {0}")]
    MissingClaim(String),
}

/// One verification key.
#[derive(Clone)]
struct Key {
    id: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
}

/// Where the keys come from.
#[derive(Debug, Clone)]
enum Source {
    Inline(String),
    File(PathBuf),
    Url(String),
}

/// The keys callers' tokens are verified with, and the rules they are verified by.
pub struct KeySet {
    config: Option<AuthConfig>,
    source: Option<Source>,
    keys: RwLock<Vec<Key>>,
    /// Tokens verified lately, with their caller and expiry (`exp`): a caller sends the same
    /// token with every request until it expires, and its signature need not be checked again.
    /// Emptied whenever the keys are read again, and when full.
    verified: Mutex<HashMap<String, (Caller, i64)>>,
}

/// Verified tokens remembered at most.
const MAX_VERIFIED: usize = 4_096;

impl KeySet {
    /// No `[auth]`: every protected route answers 401.
    pub fn none() -> Arc<Self> {
        Arc::new(Self { config: None, source: None, keys: RwLock::new(Vec::new()), verified: Mutex::default() })
    }

    /// Reads the keys once; fails when they cannot be read or none is usable.
    pub async fn load(config: &AuthConfig) -> Result<Arc<Self>, KeySetError> {
        if config.leeway_secs > MAX_LEEWAY_SECS {
            return Err(KeySetError::Leeway);
        }
        let source = match (&config.jwks, &config.jwks_file, &config.jwks_url) {
            (Some(text), None, None) => Source::Inline(text.clone()),
            (None, Some(path), None) => Source::File(path.clone()),
            (None, None, Some(url)) => Source::Url(url.clone()),
            _ => return Err(KeySetError::Source),
        };
        let keys = read(&source).await?;
        Ok(Arc::new(Self {
            config: Some(config.clone()),
            source: Some(source),
            keys: RwLock::new(keys),
            verified: Mutex::default(),
        }))
    }

    /// Checks the section as [`KeySet::load`] would, without the network: keys given inline or
    /// in a file are read and parsed; a `jwks_url` is left for `load` to fetch.
    pub fn check(config: &AuthConfig) -> Result<(), KeySetError> {
        if config.leeway_secs > MAX_LEEWAY_SECS {
            return Err(KeySetError::Leeway);
        }
        match (&config.jwks, &config.jwks_file, &config.jwks_url) {
            (Some(text), None, None) => parse("auth.jwks", text).map(drop),
            (None, Some(path), None) => {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(path).map_err(|e| KeySetError::Read(name.clone(), e.to_string()))?;
                parse(&name, &text).map(drop)
            }
            (None, None, Some(_)) => Ok(()),
            _ => Err(KeySetError::Source),
        }
    }

    /// Reads the keys again every `refresh_secs` while the process runs; a failed read keeps
    /// the keys it had and says so in the log.
    pub fn spawn_refresh(self: &Arc<Self>) {
        let (Some(config), Some(source)) = (&self.config, &self.source) else { return };
        if matches!(source, Source::Inline(_)) {
            return;
        }
        let period = Duration::from_secs(config.refresh_secs.max(1));
        let this = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let Some(set) = this.upgrade() else { return };
                let Some(source) = set.source.clone() else { return };
                match read(&source).await {
                    Ok(keys) => {
                        *set.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
                        set.verified.lock().unwrap_or_else(|e| e.into_inner()).clear();
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, "Identity provider keys not refreshed; keeping the last ones.")
                    }
                }
            }
        });
    }

    /// The caller a token names, when the token is valid.
    pub fn verify(&self, token: &str) -> Result<Caller, TokenError> {
        let config = self.config.as_ref().ok_or(TokenError::NotConfigured)?;
        let now = jsonwebtoken::get_current_timestamp() as i64;
        let leeway = config.leeway_secs as i64;
        if let Some((caller, exp)) = self.verified.lock().unwrap_or_else(|e| e.into_inner()).get(token)
            && now <= exp + leeway
        {
            return Ok(caller.clone());
        }
        let (caller, exp) = self.verify_anew(config, token)?;
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= MAX_VERIFIED {
            verified.clear();
        }
        verified.insert(token.to_owned(), (caller.clone(), exp));
        Ok(caller)
    }

    /// Checks the token's signature and claims; its caller and expiry.
    fn verify_anew(&self, config: &AuthConfig, token: &str) -> Result<(Caller, i64), TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let key = {
            let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
            keys.iter()
                .find(|key| key.algorithm == header.alg && (header.kid.is_none() || key.id == header.kid))
                .cloned()
                .ok_or(TokenError::UnknownKey)?
        };
        let mut validation = Validation::new(key.algorithm);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = config.leeway_secs;
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<Value>(token, &key.key, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidIssuer => TokenError::Issuer,
            ErrorKind::InvalidAudience => TokenError::Audience,
            ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim(claim.clone()),
            ErrorKind::InvalidSignature => TokenError::Signature,
            _ => TokenError::Malformed,
        })?;
        let claims = claims.claims;
        let subject = claims["sub"].as_str().filter(|s| !s.is_empty()).ok_or(TokenError::MissingClaim("sub".into()))?;
        let roles = match &claims[config.roles_claim.as_str()] {
            Value::Array(names) => names.iter().filter_map(Value::as_str).filter_map(Role::from_name).collect(),
            Value::String(names) => names.split(' ').filter_map(Role::from_name).collect(),
            _ => Vec::new(),
        };
        let exp = claims["exp"]
            .as_i64()
            .or_else(|| claims["exp"].as_f64().map(|exp| exp as i64))
            .ok_or(TokenError::MissingClaim("exp".into()))?;
        let caller = Caller {
            subject: subject.to_owned(),
            roles,
            institution: claims["institution"].as_str().map(str::to_owned),
        };
        Ok((caller, exp))
    }
}

async fn read(source: &Source) -> Result<Vec<Key>, KeySetError> {
    let (name, text) = match source {
        Source::Inline(text) => ("auth.jwks".to_owned(), text.clone()),
        Source::File(path) => {
            let name = path.display().to_string();
            let text =
                tokio::fs::read_to_string(path).await.map_err(|e| KeySetError::Read(name.clone(), e.to_string()))?;
            (name, text)
        }
        Source::Url(url) => {
            let fetch = async {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
                client.get(url).send().await?.error_for_status()?.text().await
            };
            (url.clone(), fetch.await.map_err(|e| KeySetError::Read(url.clone(), e.without_url().to_string()))?)
        }
    };
    parse(&name, &text)
}

fn parse(name: &str, text: &str) -> Result<Vec<Key>, KeySetError> {
    let set: JwkSet = serde_json::from_str(text).map_err(|e| KeySetError::Parse(name.to_owned(), e.to_string()))?;
    let keys: Vec<Key> = set
        .keys
        .iter()
        .filter_map(|jwk| {
            Some(Key {
                id: jwk.common.key_id.clone(),
                algorithm: algorithm(jwk)?,
                key: DecodingKey::from_jwk(jwk).ok()?,
            })
        })
        .collect();
    if keys.is_empty() {
        return Err(KeySetError::NoKeys(name.to_owned()));
    }
    Ok(keys)
}

/// The algorithm a key verifies: the one it names, or the one its type implies. Symmetric
/// keys verify nothing here.
fn algorithm(jwk: &Jwk) -> Option<Algorithm> {
    let implied = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => Algorithm::ES256,
            EllipticCurve::P384 => Algorithm::ES384,
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => Algorithm::EdDSA,
        _ => return None,
    };
    let named = match &jwk.common.key_algorithm {
        Some(named) => Algorithm::from_str(&named.to_string()).ok()?,
        None => implied,
    };
    let same_family = match named {
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => implied == Algorithm::RS256,
        other => other == implied,
    };
    same_family.then_some(named)
}
