//! Cadastre wire messages to domain types: the only place the adapter builds them.

use gateway_domain::{AssetKind, CadastralProperty, Money, Provenance, RequestContext, SourceError, System};
use time::OffsetDateTime;

use super::wire;
use crate::answer::malformed;

/// Whether `raw` has the shape of a cadastral number: 11 digits.
pub(super) fn is_cadastral_number(raw: &str) -> bool {
    raw.len() == 11 && raw.bytes().all(|b| b.is_ascii_digit())
}

/// The cadastre's property kinds.
fn kind(code: &str) -> Option<AssetKind> {
    Some(match code {
        "land" => AssetKind::Land,
        "building" => AssetKind::Building,
        "apartment" => AssetKind::Apartment,
        _ => return None,
    })
}

/// The property in an answer, checked against the contract and the number asked for.
pub(super) fn property(
    asked: &str,
    wire: wire::Property,
    ctx: &RequestContext,
) -> Result<CadastralProperty, SourceError> {
    if wire.cadastral_number.trim() != asked {
        return Err(malformed("the answer is about another property"));
    }
    let value = Money::parse_decimal(&wire.cadastral_value)
        .map_err(|_| malformed("a cadastral value is not a decimal in euro"))?;
    if value < Money::ZERO {
        return Err(malformed("a cadastral value is negative"));
    }
    Ok(CadastralProperty {
        cadastral_number: asked.to_owned(),
        kind: kind(wire.kind.trim()).ok_or_else(|| malformed("a property kind is unknown"))?,
        area_m2: wire.area,
        value,
        provenance: Provenance {
            system: System::Cadastre,
            // The cadastral number is the cadastre's own key of the record.
            record_id: asked.to_owned(),
            fetched_at: OffsetDateTime::now_utc(),
            request_id: ctx.request_id,
        },
    })
}
