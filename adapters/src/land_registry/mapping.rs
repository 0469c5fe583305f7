//! Land Registry wire messages to domain types: the only place the adapter builds them.

use std::collections::HashSet;

use gateway_domain::{AssetKind, Fact, Ownership, PersonCode, Provenance, RequestContext, Share, SourceError, System};
use time::OffsetDateTime;

use super::wire;
use crate::answer::malformed;
use crate::transport::SoapFault;

/// The Land Registry's property kinds.
fn kind(code: &str) -> Option<AssetKind> {
    Some(match code {
        "LAND" => AssetKind::Land,
        "BUILDING" => AssetKind::Building,
        "APARTMENT" => AssetKind::Apartment,
        _ => return None,
    })
}

fn digits(raw: &str, min: usize, max: usize) -> Option<String> {
    let raw = raw.trim();
    ((min..=max).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit())).then(|| raw.to_owned())
}

fn share(wire: &wire::Share) -> Result<Share, SourceError> {
    let part = |raw: &str| raw.trim().parse::<u32>().map_err(|_| malformed("a share is not a fraction of integers"));
    Share::new(part(&wire.numerator)?, part(&wire.denominator)?)
        .map_err(|_| malformed("a share is not a fraction between 0 and 1"))
}

/// The ownerships in an answer, each checked against the contract.
pub(super) fn ownerships(
    asked: &PersonCode,
    wire: wire::GetOwnershipsResponse,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    crate::answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut seen = HashSet::with_capacity(wire.ownership.len());
    wire.ownership
        .into_iter()
        .map(|o| {
            let cadastral_number =
                digits(&o.cadastral_number, 11, 11).ok_or_else(|| malformed("a cadastral number is not 11 digits"))?;
            // One person holds one share of a property; a second would double its value.
            if !seen.insert(cadastral_number.clone()) {
                return Err(malformed("a property is listed twice"));
            }
            Ok(Fact::Ownership(Ownership {
                person: asked.clone(),
                kind: kind(o.property_kind.trim()).ok_or_else(|| malformed("a property kind is unknown"))?,
                cadastral_number,
                folio_number: digits(&o.folio_number, 1, 12)
                    .ok_or_else(|| malformed("a folio number is not 1-12 digits"))?,
                share: share(&o.share)?,
                provenance: Provenance {
                    system: System::LandRegistry,
                    record_id: o.record_id,
                    fetched_at,
                    request_id: ctx.request_id,
                },
            }))
        })
        .collect()
}

/// A SOAP fault's meaning for the income check.
pub(super) fn fault(fault: SoapFault) -> SourceError {
    match fault.code.as_str() {
        "PERSON_NOT_FOUND" => SourceError::NotFound,
        "SERVICE_UNAVAILABLE" => SourceError::Unavailable {
            detail: "the Land Registry reported SERVICE_UNAVAILABLE".into(),
            retry_after: None,
        },
        _ => SourceError::Rejected { code: fault.code },
    }
}
