//! UR wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    CompanyHolding, Fact, HoldingRole, Organisation, PersonCode, Provenance, RequestContext, Share, SourceError,
    System, parse_iso_date,
};
use time::OffsetDateTime;

use super::wire;

fn malformed(detail: &str) -> SourceError {
    SourceError::Malformed { detail: detail.to_owned() }
}

/// UR's role codes.
fn holding_role(code: &str) -> Option<HoldingRole> {
    match code {
        "shareholder" => Some(HoldingRole::Shareholder),
        "board_member" => Some(HoldingRole::BoardMember),
        _ => None,
    }
}

/// Whether a registration number is the register's 11 digits.
fn is_registration_number(number: &str) -> bool {
    number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit())
}

/// The roles in an answer as the asked person's holdings, each checked against the contract.
pub(super) fn facts(
    asked: &PersonCode,
    wire: wire::PersonRoles,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    let answered = PersonCode::parse(&wire.person_code).map_err(|_| malformed("a personal code is not valid"))?;
    if &answered != asked {
        return Err(malformed("the answer is about another person"));
    }
    let fetched_at = OffsetDateTime::now_utc();
    let mut seen = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.roles.len());
    for role in wire.roles {
        if role.record_id.is_empty() {
            return Err(malformed("a role has no record id"));
        }
        let number = role.company.registration_number.trim();
        if !is_registration_number(number) {
            return Err(malformed("a registration number is not 11 digits"));
        }
        let name = role.company.name.trim();
        if name.is_empty() {
            return Err(malformed("a company has no name"));
        }
        let kind = holding_role(role.role.trim()).ok_or_else(|| malformed("a role is unknown"))?;
        let share = match (kind, role.shares_held, role.shares_total) {
            (HoldingRole::Shareholder, Some(held), Some(total)) => Some(
                Share::new(held, total).map_err(|_| malformed("shares held are not a part of the company's shares"))?,
            ),
            (HoldingRole::Shareholder, ..) => return Err(malformed("a shareholding has no shares")),
            (HoldingRole::BoardMember, None, None) => None,
            (HoldingRole::BoardMember, ..) => return Err(malformed("a board seat carries shares")),
        };
        // One record per company and role; a second would show the same holding twice.
        if !seen.insert((number.to_owned(), kind)) {
            return Err(malformed("two records of one role in one company"));
        }
        let since = parse_iso_date(&role.registered).ok_or_else(|| malformed("a date is not YYYY-MM-DD"))?;
        facts.push(Fact::Holding(CompanyHolding {
            person: asked.clone(),
            company: Organisation { registration_number: number.to_owned(), name: name.to_owned() },
            role: kind,
            share,
            since,
            provenance: Provenance {
                system: System::Ur,
                record_id: role.record_id,
                fetched_at,
                request_id: ctx.request_id,
            },
        }));
    }
    Ok(facts)
}
