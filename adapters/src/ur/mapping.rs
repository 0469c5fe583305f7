//! UR wire messages to domain types: the only place the adapter builds them.

use std::collections::BTreeSet;

use gateway_domain::{
    CompanyHolding, Fact, HoldingRole, PersonCode, Provenance, RequestContext, Share, SourceError, System,
};
use time::OffsetDateTime;

use super::wire;
use crate::answer::{self, malformed};

/// UR's role codes.
fn holding_role(code: &str) -> Option<HoldingRole> {
    match code {
        "shareholder" => Some(HoldingRole::Shareholder),
        "board_member" => Some(HoldingRole::BoardMember),
        _ => None,
    }
}

/// The roles in an answer as the asked person's holdings, each checked against the contract.
pub(super) fn facts(
    asked: &PersonCode,
    wire: wire::PersonRoles,
    ctx: &RequestContext,
) -> Result<Vec<Fact>, SourceError> {
    answer::about_asked(asked, &wire.person_code)?;
    let fetched_at = OffsetDateTime::now_utc();
    let mut seen = BTreeSet::new();
    let mut facts = Vec::with_capacity(wire.roles.len());
    for role in wire.roles {
        if role.record_id.is_empty() {
            return Err(malformed("a role has no record id"));
        }
        let company = answer::organisation(&role.company.registration_number, &role.company.name, "a company")?;
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
        if !seen.insert((company.registration_number.clone(), kind)) {
            return Err(malformed("two records of one role in one company"));
        }
        let since = answer::date(&role.registered)?;
        facts.push(Fact::Holding(CompanyHolding {
            person: asked.clone(),
            company,
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
