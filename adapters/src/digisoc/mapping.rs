//! Referrals to DigiSoc's JSON, and DigiSoc's answers to receipts and report pages: the only
//! place the adapter builds domain types. Details of malformed answers name fields and
//! positions, never values: a report carries a personal code.

use gateway_domain::{
    ExecutionReport, IdempotencyKey, Month, PersonCode, Receipt, Referral, ReferralState, ReportPage, ServiceType,
    SinkError, SourceError, System, Volume, is_decision_ref,
};
use reqwest::StatusCode;
use time::{Date, format_description::FormatItem, macros::format_description};

use super::wire;
use crate::transport::{HttpReply, status_error};

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn malformed_receipt(detail: &str) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail: detail.to_owned() })
}

fn malformed(detail: impl Into<String>) -> SourceError {
    SourceError::Malformed { detail: detail.into() }
}

pub(super) fn referral(referral: &Referral) -> wire::Referral<'_> {
    wire::Referral {
        referral_ref: &referral.referral_ref,
        version: referral.version,
        decision_ref: &referral.decision_ref,
        case_ref: &referral.case_ref,
        person: referral.person.as_str(),
        service: referral.service.key(),
        provider: &referral.provider,
        carer: referral.carer.as_deref(),
        for_parents_employment: referral.for_parents_employment,
        volume: match referral.volume {
            Volume::HomeCareLevel { level } => wire::Volume::HomeCareLevel { level },
            Volume::HoursPerMonth { hours } => wire::Volume::HoursPerMonth { hours },
            Volume::DaysPerMonth { days } => wire::Volume::DaysPerMonth { days },
            Volume::Days { days } => wire::Volume::Days { days },
            Volume::AmountCents { cents } => wire::Volume::AmountCents { cents },
        },
        valid_from: date(referral.valid_from),
        valid_to: date(referral.valid_to),
        state: match referral.state {
            ReferralState::Active => "active",
            ReferralState::Cancelled => "cancelled",
        },
    }
}

/// What DigiSoc's answer to a referral means for the delivery.
pub(super) fn receipt(reply: &HttpReply, referral: &Referral, key: &IdempotencyKey) -> Result<Receipt, SinkError> {
    let status = reply.status;
    if !status.is_success() {
        return Err(refusal(status, &reply.body));
    }
    let wire: wire::ReferralReceipt =
        serde_json::from_str(&reply.body).map_err(|_| malformed_receipt("the receipt is not the expected JSON"))?;
    if wire.idempotency_key != key.as_str() {
        return Err(malformed_receipt("the receipt is about another delivery"));
    }
    if wire.referral_ref != referral.referral_ref || wire.version != referral.version {
        return Err(malformed_receipt("the receipt is about another referral version"));
    }
    let duplicate = match wire.result.as_str() {
        wire::RESULT_CREATED => false,
        wire::RESULT_ALREADY_RECEIVED => true,
        _ => return Err(malformed_receipt("the receipt's result is unknown")),
    };
    if wire.receipt_id.is_empty() {
        return Err(malformed_receipt("the receipt carries no receipt id"));
    }
    Ok(Receipt { partner: System::Digisoc, partner_ref: wire.receipt_id, duplicate })
}

/// An unsuccessful answer to a referral that the transport left to the adapter (it maps 5xx,
/// 408 and 429 itself).
fn refusal(status: StatusCode, body: &str) -> SinkError {
    match status {
        // Credentials and endpoints are the operator's to fix; the referral itself is fine and
        // must go out once they are, so these are not refusals of it.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            SinkError::Transient(SourceError::Unavailable {
                detail: format!("DigiSoc refused the call with HTTP status {}", status.as_u16()),
                retry_after: None,
            })
        }
        _ => SinkError::Rejected { code: problem_code(body).unwrap_or_else(|| format!("http-{}", status.as_u16())) },
    }
}

/// The code of a problem answer: the last segment of its `type`, if it reads as a code.
fn problem_code(body: &str) -> Option<String> {
    let problem: wire::Problem = serde_json::from_str(body).ok()?;
    let code = problem.problem_type.rsplit(':').next()?;
    let readable = !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_graphic());
    readable.then(|| code.to_owned())
}

/// A page of execution reports, asked for with `limit`.
pub(super) fn report_page(reply: &HttpReply, limit: u32) -> Result<ReportPage, SourceError> {
    if !reply.status.is_success() {
        return Err(match status_error(reply.status, &reply.headers) {
            SourceError::Rejected { code } => SourceError::Rejected { code: problem_code(&reply.body).unwrap_or(code) },
            other => other,
        });
    }
    let wire: wire::ReportPage =
        serde_json::from_str(&reply.body).map_err(|_| malformed("the report page is not the expected JSON"))?;
    let cursor = &wire.next_cursor;
    if cursor.is_empty() || cursor.len() > wire::MAX_CURSOR_LEN || !cursor.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(malformed("the page's next cursor is not a cursor"));
    }
    if wire.reports.len() > limit as usize {
        return Err(malformed("the page holds more reports than were asked for"));
    }
    if wire.more && wire.reports.is_empty() {
        // Followed, it would be asked for again and again.
        return Err(malformed("the page promises more reports but holds none"));
    }
    let reports = wire.reports.into_iter().enumerate().map(|(i, r)| report(i, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(ReportPage { reports, next_cursor: wire.next_cursor, more: wire.more })
}

/// The report at `index` of its page.
fn report(index: usize, wire: wire::Report) -> Result<ExecutionReport, SourceError> {
    let bad = |what: &str| malformed(format!("report {index} of the page: {what}"));
    let person = Some(&wire.person)
        .filter(|code| code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|code| PersonCode::parse(code).ok())
        .ok_or_else(|| bad("the person is not a personal code"))?;
    let service = ServiceType::from_key(&wire.service).ok_or_else(|| bad("the service is unknown"))?;
    let month = Month::parse(&wire.month).map_err(|_| bad("the month is not YYYY-MM"))?;
    if wire.carer.as_deref().is_some_and(|carer| !is_decision_ref(carer)) {
        return Err(bad("the carer is not an identifier"));
    }
    let report = ExecutionReport {
        report_id: wire.report_id,
        revision: wire.revision,
        referral_ref: wire.referral_ref,
        provider: wire.provider,
        person,
        service,
        month,
        visits: wire.visits,
        hours: wire.hours,
        days: wire.days,
        amount_cents: wire.amount_cents,
        carer: wire.carer,
    };
    // The error names the field and the rule, not the value.
    report.validate().map_err(|error| bad(&error.to_string()))?;
    Ok(report)
}
