//! Reading referrals from a request body: one referral, or `{"referrals": [...]}`. Every
//! referral is read and checked before any is stored; an error names its field as a JSON
//! pointer and never repeats the value.

use gateway_domain::Referral;
use serde_json::Value;

use crate::decisions::{FieldError, parse_batch};

fn invalid(field: String, detail: &str) -> FieldError {
    FieldError { field, detail: detail.to_owned() }
}

/// Reads one referral; `base` is its pointer in the body.
pub fn parse_referral(value: &Value, base: &str) -> Result<Referral, FieldError> {
    if !value.is_object() {
        return Err(invalid(base.to_owned(), "a referral is a JSON object"));
    }
    let referral: Referral = serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().iter().map(|segment| format!("/{segment}")).collect::<String>();
        // serde's own message may quote the value; say only what kind of problem it is.
        let message = error.inner().to_string();
        let (field, detail) = if let Some(rest) = message.strip_prefix("missing field `") {
            (format!("{path}/{}", rest.split('`').next().unwrap_or_default()), "is required")
        } else if message.starts_with("unknown field") {
            (path, "is not a field of a referral (see schemas/digisoc/)")
        } else if message.starts_with("unknown variant") {
            (path, "is not one of the values the contract allows")
        } else {
            (path, "is not valid here (see schemas/digisoc/)")
        };
        invalid(format!("{base}{field}"), detail)
    })?;
    referral.validate().map_err(|e| FieldError { field: format!("{base}{}", e.field), detail: e.reason })?;
    Ok(referral)
}

/// Reads a body: one referral, or `{"referrals": [...]}` with 1 to [`crate::decisions::MAX_BATCH`], no version
/// twice. Returns the referrals and whether the body was a batch.
pub fn parse_body(body: &Value) -> Result<(Vec<Referral>, bool), FieldError> {
    let (referrals, batch) = parse_batch(body, "referrals", parse_referral)?;
    for (i, referral) in referrals.iter().enumerate() {
        if referrals[..i].iter().any(|r| r.referral_ref == referral.referral_ref && r.version == referral.version) {
            return Err(invalid(format!("/referrals/{i}"), "repeats a referral version of the batch"));
        }
    }
    Ok((referrals, batch))
}
