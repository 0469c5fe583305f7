//! A stand-in identity provider for the demo, `gateway simulate` and the tests: a fresh Ed25519
//! key per process, its JWKS for `[auth]`, and short-lived tokens for any role.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{AuthConfig, Role};

/// The issuer the demo's tokens name.
pub const DEMO_ISSUER: &str = "urn:registry-gateway:demo-idp";
/// The audience the demo's tokens name.
pub const DEMO_AUDIENCE: &str = "registry-gateway";

/// Mints tokens the gateway configured with [`DemoIssuer::auth_config`] accepts.
pub struct DemoIssuer {
    key_id: String,
    pkcs8: Vec<u8>,
    public: Vec<u8>,
}

impl Default for DemoIssuer {
    fn default() -> Self {
        Self::generate()
    }
}

impl DemoIssuer {
    pub fn generate() -> Self {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            // The system's random source failing leaves nothing to sign with at all.
            .expect("the system random source works");
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("a key just generated is valid");
        let public = pair.public_key().as_ref().to_vec();
        let key_id = format!("demo-{}", &URL_SAFE_NO_PAD.encode(&public)[..8]);
        Self { key_id, pkcs8: pkcs8.as_ref().to_vec(), public }
    }

    /// The public key as a JWKS document.
    pub fn jwks_json(&self) -> String {
        json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
            "kid": self.key_id, "x": URL_SAFE_NO_PAD.encode(&self.public),
        }]})
        .to_string()
    }

    /// The `[auth]` section that accepts this issuer's tokens.
    pub fn auth_config(&self) -> AuthConfig {
        AuthConfig {
            issuer: DEMO_ISSUER.into(),
            audience: DEMO_AUDIENCE.into(),
            jwks_file: None,
            jwks_url: None,
            jwks: Some(self.jwks_json()),
            refresh_secs: 300,
            leeway_secs: 30,
            roles_claim: "roles".into(),
        }
    }

    /// The `[auth]` section of [`DemoIssuer::auth_config`] as TOML, for a configuration file.
    pub fn auth_toml(&self) -> String {
        format!(
            "[auth]\nissuer = \"{DEMO_ISSUER}\"\naudience = \"{DEMO_AUDIENCE}\"\njwks = '''{}'''\n",
            self.jwks_json()
        )
    }

    /// One shell line per role, `export GATEWAY_TOKEN_<ROLE>=<token>`, each token valid for
    /// `ttl` and naming the subject `demo-<role>`.
    pub fn token_exports(&self, ttl: Duration) -> String {
        Role::ALL
            .iter()
            .map(|role| {
                let name = role.as_str().replace('-', "_").to_uppercase();
                format!("export GATEWAY_TOKEN_{name}={}\n", self.token(&format!("demo-{role}"), &[*role], ttl))
            })
            .collect()
    }

    /// A token for `subject` with `roles`, valid for `ttl`.
    pub fn token(&self, subject: &str, roles: &[Role], ttl: Duration) -> String {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.sign(&json!({
            "iss": DEMO_ISSUER, "aud": DEMO_AUDIENCE, "sub": subject,
            "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "institution": "tukums-social-service",
            "iat": now, "nbf": now, "exp": now + ttl.as_secs() as i64,
        }))
    }

    /// Any claims, signed: for tests of tokens the gateway must refuse.
    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.key_id.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(&self.pkcs8))
            // Signing with a valid Ed25519 key and serialisable claims cannot fail.
            .expect("an Ed25519 signature")
    }
}
