//! The gateway's signature on what it answers: a detached JWS (RFC 7515, appendix F) over an
//! income check's answer in canonical JSON (keys sorted, no white space), signed with the
//! gateway's Ed25519 key and verifiable with its public key at `/.well-known/jwks.json`. A
//! case file that keeps the answer can prove what the registries said at the time without the
//! gateway keeping anything.

use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::Deserialize;
use serde_json::{Value, json};

/// The member of a signed answer that holds its signature.
pub const SIGNATURE_FIELD: &str = "signature";

/// The `[signing]` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningConfig {
    /// The gateway's Ed25519 private key, PKCS#8 PEM. Without it, each process makes its own
    /// (and says so), and answers it signed cannot be verified after it stops.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// The key's id in the JWKS (default: derived from the public key).
    #[serde(default)]
    pub key_id: Option<String>,
}

/// Why a key or a signature is refused. Never quotes the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    #[error("signing.key_file: {0}")]
    Key(String),
    #[error("the record carries no signature")]
    Unsigned,
    #[error("the signature is not a detached JWS")]
    Malformed,
    #[error("the signature names key {0}, which the key set does not hold")]
    UnknownKey(String),
    #[error("the signature does not match the record: the record was changed or signed by another key")]
    Mismatch,
}

/// An Ed25519 key pair with its key id: what the gateway signs answers with, and what the
/// demo's stand-in identity provider signs tokens with.
pub struct Ed25519Key {
    key_id: String,
    key: EncodingKey,
    /// The same key, parsed once: every signature would otherwise parse it again (and derive
    /// its public half).
    pair: Ed25519KeyPair,
    public: Vec<u8>,
}

impl Ed25519Key {
    /// A fresh key whose id is `prefix` and the start of its public key.
    pub fn generate(prefix: &str) -> Result<Self, SigningError> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| SigningError::Key("the system random source failed".into()))?;
        Self::from_pkcs8(pkcs8.as_ref(), None, prefix)
    }

    /// The key in PKCS#8 DER, named `key_id` or, without one, `prefix` and the start of its
    /// public key.
    pub fn from_pkcs8(der: &[u8], key_id: Option<String>, prefix: &str) -> Result<Self, SigningError> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|_| SigningError::Key("not an Ed25519 PKCS#8 key".into()))?;
        let public = pair.public_key().as_ref().to_vec();
        let key_id = key_id.unwrap_or_else(|| format!("{prefix}-{}", &URL_SAFE_NO_PAD.encode(&public)[..12]));
        Ok(Self { key_id, key: EncodingKey::from_ed_der(der), pair, public })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.key
    }

    /// The signature of `input`, base64url without padding, as a JWS carries it.
    pub fn sign(&self, input: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.sign(input))
    }

    /// The public key as a JWKS document.
    pub fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
            "kid": self.key_id, "x": URL_SAFE_NO_PAD.encode(&self.public),
        }]})
    }
}

/// Signs answers.
pub struct Signer {
    key: Ed25519Key,
}

impl Signer {
    pub fn from_config(config: &SigningConfig) -> Result<Self, SigningError> {
        match &config.key_file {
            None => {
                tracing::warn!("No signing.key_file: this process signs with a key of its own.");
                Ok(Self { key: Ed25519Key::generate("gateway")? })
            }
            Some(path) => {
                let text = std::fs::read(path)
                    .map_err(|e| SigningError::Key(format!("cannot read {}: {e}", path.display())))?;
                let pem = pem::parse(text).map_err(|_| SigningError::Key("not a PEM file".into()))?;
                Ok(Self { key: Ed25519Key::from_pkcs8(pem.contents(), config.key_id.clone(), "gateway")? })
            }
        }
    }

    /// The public key as a JWKS document.
    pub fn jwks(&self) -> Value {
        self.key.jwks()
    }

    /// `answer` with its signature added as [`SIGNATURE_FIELD`].
    pub fn sign(&self, mut answer: Value) -> Value {
        let key_id = self.key.key_id();
        let protected = URL_SAFE_NO_PAD.encode(json!({"alg": "EdDSA", "kid": key_id}).to_string());
        let payload = URL_SAFE_NO_PAD.encode(canonical(&answer));
        let input = format!("{protected}.{payload}");
        let signature = self.key.sign(input.as_bytes());
        if let Value::Object(fields) = &mut answer {
            fields.insert(SIGNATURE_FIELD.into(), json!({ "jws": format!("{protected}..{signature}"), "kid": key_id }));
        }
        answer
    }
}

/// Checks a signed answer against a key set; returns the key id it was signed with.
pub fn verify(signed: &Value, keys: &JwkSet) -> Result<String, SigningError> {
    let mut answer = signed.clone();
    let signature =
        answer.as_object_mut().and_then(|fields| fields.remove(SIGNATURE_FIELD)).ok_or(SigningError::Unsigned)?;
    let jws = signature["jws"].as_str().ok_or(SigningError::Malformed)?;
    let (protected, signature) = jws.split_once("..").ok_or(SigningError::Malformed)?;
    let header: Value = URL_SAFE_NO_PAD
        .decode(protected)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(SigningError::Malformed)?;
    if header["alg"] != "EdDSA" {
        return Err(SigningError::Malformed);
    }
    let kid = header["kid"].as_str().ok_or(SigningError::Malformed)?.to_owned();
    let jwk = keys.find(&kid).ok_or_else(|| SigningError::UnknownKey(kid.clone()))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| SigningError::UnknownKey(kid.clone()))?;
    let input = format!("{protected}.{}", URL_SAFE_NO_PAD.encode(canonical(&answer)));
    match jsonwebtoken::crypto::verify(signature, input.as_bytes(), &key, Algorithm::EdDSA) {
        Ok(true) => Ok(kid),
        _ => Err(SigningError::Mismatch),
    }
}

/// A value as canonical JSON: object keys sorted, no white space, numbers as serde_json
/// writes them.
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&fields[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// `gateway statement verify FILE --jwks SOURCE`: checks a saved answer against the gateway's
/// published keys (a JWKS file, or its URL). `Ok(false)` when it does not verify.
pub async fn verify_file(file: &std::path::Path, jwks: &str) -> anyhow::Result<bool> {
    use anyhow::Context;
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let signed: Value = serde_json::from_str(&text).context("the record is not JSON")?;
    let keys = if jwks.starts_with("http://") || jwks.starts_with("https://") {
        reqwest::get(jwks).await?.error_for_status()?.text().await?
    } else {
        std::fs::read_to_string(jwks).with_context(|| format!("cannot read {jwks}"))?
    };
    let keys: JwkSet = serde_json::from_str(&keys).context("the key set is not a JWKS")?;
    match verify(&signed, &keys) {
        Ok(kid) => {
            eprintln!("The record verifies: signed by key {kid}.");
            Ok(true)
        }
        Err(error) => {
            eprintln!("The record does not verify: {error}.");
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_answer_verifies_and_any_change_to_it_does_not() {
        let signer = Signer::from_config(&SigningConfig::default()).unwrap();
        let keys: JwkSet = serde_json::from_value(signer.jwks()).unwrap();
        let signed = signer.sign(json!({"b": 1, "a": {"amount_cents": 12345, "list": [1, 2]}}));
        assert_eq!(verify(&signed, &keys), Ok(signer.key.key_id().to_owned()));
        // Key order does not matter: the signature covers the canonical form.
        let reordered: Value = serde_json::from_str(&canonical(&signed)).unwrap();
        assert!(verify(&reordered, &keys).is_ok());
        let mut changed = signed.clone();
        changed["a"]["amount_cents"] = json!(12346);
        assert_eq!(verify(&changed, &keys), Err(SigningError::Mismatch));
        let mut unsigned = signed.clone();
        unsigned.as_object_mut().unwrap().remove(SIGNATURE_FIELD);
        assert_eq!(verify(&unsigned, &keys), Err(SigningError::Unsigned));
        let other = Signer::from_config(&SigningConfig::default()).unwrap();
        let other_keys: JwkSet = serde_json::from_value(other.jwks()).unwrap();
        assert!(matches!(verify(&signed, &other_keys), Err(SigningError::UnknownKey(_))));
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_white_space() {
        let value: Value = serde_json::from_str(r#"{ "z": [ {"b": 2, "a": "x\"y"} ], "a": null }"#).unwrap();
        assert_eq!(canonical(&value), r#"{"a":null,"z":[{"a":"x\"y","b":2}]}"#);
    }
}
