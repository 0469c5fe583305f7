//! The answer to an income check: a household with its incomes, statuses, assets and gaps.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    AssetRecord, CompanyHolding, Gap, IncomeRecord, Money, Month, Period, PersonCode, Provenance, RequestId,
    StatusFact, VehicleRecord,
};

/// Why a person is in the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// The person who applied.
    Applicant,
    /// Declared at the applicant's address in the Population Register.
    DeclaredResident,
    /// Named by the caseworker in the request, and not declared at the applicant's address
    /// (or the register could not say).
    Named,
}

/// A household member as the Population Register knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub person_code: PersonCode,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    #[serde(with = "crate::iso_date::option")]
    pub birth_date: Option<Date>,
    pub membership: Membership,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// The household's counted income in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyTotal {
    pub month: Month,
    #[serde(rename = "amount_cents")]
    pub amount: Money,
}

/// The verified income check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRecord {
    pub request_id: RequestId,
    pub applicant: PersonCode,
    pub period: Period,
    pub members: Vec<Member>,
    pub incomes: Vec<IncomeRecord>,
    /// Statuses that hold on any day of the period (registered unemployment, disability,
    /// workplaces, enrolment, placement in care).
    pub statuses: Vec<StatusFact>,
    /// Real estate the members own, with their shares and, when the cadastre answered, values.
    pub assets: Vec<AssetRecord>,
    /// Road vehicles (CSDD) and tractors and machinery (VTUA) registered to the members.
    pub vehicles: Vec<VehicleRecord>,
    /// Companies in which the members hold capital or sit on the board (UR).
    pub holdings: Vec<CompanyHolding>,
    /// Per month of the period, the sum of incomes that count in the means test; `None` when
    /// a gap leaves a member's incomes or the household itself unknown, so that a missing
    /// answer can never read as a zero.
    pub monthly_totals: Option<Vec<MonthlyTotal>>,
    /// The mean of `monthly_totals`, rounded half away from zero to the cent; `None` with them.
    #[serde(rename = "average_monthly_cents")]
    pub average_monthly: Option<Money>,
    pub gaps: Vec<Gap>,
    /// True when every registry answered for every member: no gaps.
    pub complete: bool,
}

/// What the registries answered about one household, and what they did not, before
/// [`HouseholdRecord::assemble`] orders and totals it.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFacts {
    pub members: Vec<Member>,
    pub incomes: Vec<IncomeRecord>,
    pub statuses: Vec<StatusFact>,
    pub assets: Vec<AssetRecord>,
    pub vehicles: Vec<VehicleRecord>,
    pub holdings: Vec<CompanyHolding>,
    pub gaps: Vec<Gap>,
}

impl HouseholdRecord {
    /// Builds the totals, the average and `complete` from the facts gathered, and puts every
    /// list in a stable order.
    pub fn assemble(request_id: RequestId, applicant: PersonCode, period: Period, facts: HouseholdFacts) -> Self {
        let HouseholdFacts { members, mut incomes, mut statuses, mut assets, mut vehicles, mut holdings, gaps } = facts;
        incomes.sort_by(|a, b| {
            (&a.person, a.month, a.kind, &a.employer, &a.scheme).cmp(&(
                &b.person,
                b.month,
                b.kind,
                &b.employer,
                &b.scheme,
            ))
        });
        statuses.sort_by(|a, b| (&a.person, a.kind, a.valid_from).cmp(&(&b.person, b.kind, b.valid_from)));
        assets.sort_by(|a, b| (&a.person, &a.cadastral_number).cmp(&(&b.person, &b.cadastral_number)));
        vehicles.sort_by(|a, b| {
            (&a.person, a.provenance.system, &a.registration_number).cmp(&(
                &b.person,
                b.provenance.system,
                &b.registration_number,
            ))
        });
        holdings.sort_by(|a, b| (&a.person, &a.company, a.role).cmp(&(&b.person, &b.company, b.role)));
        let incomes_known = !gaps.iter().any(|g| g.topic.leaves_incomes_unknown());
        let monthly_totals: Option<Vec<MonthlyTotal>> = incomes_known.then(|| {
            period
                .months()
                .map(|month| MonthlyTotal {
                    month,
                    amount: incomes
                        .iter()
                        .filter(|i| i.month == month && i.kind.counts_in_means_test())
                        .map(|i| i.amount)
                        .sum(),
                })
                .collect()
        });
        let average_monthly = monthly_totals.as_ref().map(|totals| {
            let total: Money = totals.iter().map(|t| t.amount).sum();
            total.div_round(i64::from(period.len()))
        });
        let complete = gaps.is_empty();
        Self {
            request_id,
            applicant,
            period,
            members,
            incomes,
            statuses,
            assets,
            vehicles,
            holdings,
            monthly_totals,
            average_monthly,
            gaps,
            complete,
        }
    }
}
