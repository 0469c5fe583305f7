//! How KIM's answers read: notification receipts and refusals are the shared notification's
//! in KIM's path and problem types; a page of kit issues becomes [`KitIssue`]s. The only place
//! the adapter builds domain types. Details of malformed answers name fields, never values: an
//! issue carries a personal code.

use gateway_domain::{
    KitIssue, KitKind, Month, Organisation, PersonCode, Provenance, RequestContext, SourceError, System,
    is_decision_ref, parse_iso_date,
};
use time::OffsetDateTime;

use super::wire;
use crate::status_notification;
use crate::transport::JsonDelivery;

pub(super) const DELIVERY: JsonDelivery =
    status_notification::delivery(System::Kim, "KIM", wire::NOTIFICATIONS_PATH, wire::PROBLEM_PREFIX);

/// The longest distributor name kept.
const MAX_NAME_LEN: usize = 200;

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

/// The path of one page of `month`'s kit issues (pages count from 1).
pub(super) fn page_path(month: Month, page: u32) -> String {
    format!("{}?month={month}&page={page}", wire::KIT_ISSUES_PATH)
}

fn kit_kind(wire: &str) -> Option<KitKind> {
    match wire {
        "FOOD" => Some(KitKind::Food),
        "HYGIENE" => Some(KitKind::Hygiene),
        "INFANT" => Some(KitKind::Infant),
        "SCHOOL_SUPPLIES" => Some(KitKind::SchoolSupplies),
        _ => None,
    }
}

fn distributor(wire: wire::Distributor) -> Result<Organisation, SourceError> {
    let number = &wire.registration_number;
    if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("a distributor's registration number is not 11 digits"));
    }
    let name = wire.name.trim();
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(malformed("a distributor's name is empty or too long"));
    }
    Ok(Organisation { registration_number: wire.registration_number.clone(), name: name.to_owned() })
}

/// The issues of page `page` of `month`, and whether more pages follow. A page about another
/// month or page, or an issue that breaks the contract, is malformed.
pub(super) fn kit_page(
    page: wire::KitIssuePage,
    month: Month,
    number: u32,
    ctx: &RequestContext,
) -> Result<(Vec<KitIssue>, bool), SourceError> {
    if Month::parse(&page.month).ok() != Some(month) || page.page != number {
        return Err(malformed("the page is about another month or page"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let mut issues = Vec::with_capacity(page.issues.len());
    for issue in page.issues {
        if issue.record_id.is_empty() {
            return Err(malformed("a kit issue carries no record id"));
        }
        if !is_decision_ref(&issue.decision_number) {
            return Err(malformed("a kit issue's decisionNumber is not valid"));
        }
        let recipient = PersonCode::parse(&issue.recipient_person_code)
            .map_err(|_| malformed("a kit issue's recipientPersonCode is not valid"))?;
        let kind = kit_kind(&issue.kit_kind).ok_or_else(|| malformed("a kit issue's kitKind is unknown"))?;
        if issue.count == 0 {
            return Err(malformed("a kit issue's count is 0"));
        }
        let issued_on = parse_iso_date(&issue.issued_on)
            .filter(|day| Month::of(*day) == month)
            .ok_or_else(|| malformed("a kit issue's issuedOn is not a day of the month asked for"))?;
        issues.push(KitIssue {
            decision_ref: issue.decision_number,
            recipient,
            kind,
            count: issue.count,
            issued_on,
            distributor: distributor(issue.distributor)?,
            provenance: Provenance {
                system: System::Kim,
                record_id: issue.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        });
    }
    Ok((issues, page.more))
}
