//! The verified income check: find the household, ask every person source about every member
//! concurrently under one deadline, then ask the cadastre about every property the Land
//! Registry named, and merge what came back (and what did not) into a `HouseholdRecord`. A
//! registry that fails or runs out of time leaves a typed gap for exactly what it would have
//! answered.

mod critical_path;
mod household;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use futures::future::join_all;
use gateway_adapters::Registries;

use crate::audit::{Entry, Scope, co_resident};
use crate::metrics::Metrics;
use crate::purposes::Profile;
use gateway_domain::{
    AssetRecord, CadastralProperty, Fact, Gap, GapReason, GapTopic, HouseholdFacts, HouseholdRecord, IncomeRecord,
    Ownership, Period, PersonCode, PersonQuery, PersonSource, RequestContext, SourceError, StatusFact, System,
};

pub use household::HouseholdError;

/// What the case system asks.
#[derive(Debug, Clone)]
pub struct IncomeCheckRequest {
    pub applicant: PersonCode,
    /// The household as the caseworker names it; `None` means "who is declared with the applicant".
    pub members: Option<Vec<PersonCode>>,
    pub period: Period,
}

/// Runs income checks against a fixed set of registries.
#[derive(Clone)]
pub struct IncomeCheck {
    registries: Arc<Registries>,
    /// Where each check and each registry call is counted, when configured.
    metrics: Option<Metrics>,
}

impl IncomeCheck {
    pub fn new(registries: Registries) -> Self {
        Self { registries: Arc::new(registries), metrics: None }
    }

    /// Counts every check, and every call to the registries, in `metrics`.
    pub fn metered(registries: Registries, metrics: Metrics) -> Self {
        let registries = crate::metrics::metered(registries, &metrics);
        Self { registries: Arc::new(registries), metrics: Some(metrics) }
    }

    /// The registries' share of a check that made `calls`: the longest path through them in the
    /// order the check asks (see [`critical_path`](critical_path::critical_path)).
    pub fn registry_time(&self, calls: &[gateway_adapters::transport::CallTime]) -> std::time::Duration {
        let owns = |system| self.registries.ownership_sources.iter().any(|s| s.system() == system);
        critical_path::critical_path(calls, owns)
    }

    /// The registries as this check asks them (counted, when it is metered).
    pub fn registries(&self) -> &Registries {
        &self.registries
    }

    /// Runs one check. Fails only when the applicant is unknown to the Population Register,
    /// or when the audit log cannot record a question before it is asked (then nothing more
    /// is asked); every other failure becomes a gap in the record.
    pub async fn run<'a>(
        &'a self,
        request: &'a IncomeCheckRequest,
        ctx: &'a RequestContext,
        audit: &'a Scope<'a>,
        profile: &'a Profile,
    ) -> Result<HouseholdRecord, HouseholdError> {
        let started = Instant::now();
        let result = self.ask(request, ctx, audit, profile).await;
        if let Some(metrics) = &self.metrics {
            let outcome = match &result {
                Ok(record) if record.complete => "complete",
                Ok(_) => "incomplete",
                Err(HouseholdError::UnknownApplicant) => "unknown_applicant",
                Err(HouseholdError::AuditUnavailable) => "audit_unavailable",
            };
            metrics.income_check(outcome, started.elapsed());
        }
        result
    }

    async fn ask<'a>(
        &'a self,
        request: &'a IncomeCheckRequest,
        ctx: &'a RequestContext,
        audit: &'a Scope<'a>,
        profile: &'a Profile,
    ) -> Result<HouseholdRecord, HouseholdError> {
        let mut asked =
            vec![audit.entry(System::Pmlp, "household_members", ASKED, PENDING, &request.applicant, "applicant")];
        for named in request.members.iter().flatten().filter(|code| **code != request.applicant) {
            asked.push(audit.entry(System::Pmlp, "person", ASKED, PENDING, named, "named"));
        }
        audit.record(asked).await?;
        let household = household::resolve(self.registries.population.as_ref(), request, ctx).await?;
        let mut gaps = household.gaps;
        // Sources the purpose does not permit are not asked: their topics are gaps.
        let permitted = |source: &&'a Arc<dyn PersonSource>| profile.permits(source.system(), source.topics());
        let person_sources: Vec<&'a Arc<dyn PersonSource>> =
            self.registries.person_sources.iter().filter(permitted).collect();
        let ownership_sources: Vec<&'a Arc<dyn PersonSource>> =
            self.registries.ownership_sources.iter().filter(permitted).collect();
        for source in self.registries.person_sources.iter().chain(&self.registries.ownership_sources) {
            if !permitted(&source) {
                for member in &household.members {
                    for &topic in source.topics() {
                        gaps.push(Gap {
                            system: source.system(),
                            person: Some(member.person_code.clone()),
                            topic,
                            reason: GapReason::NotPermitted,
                        });
                    }
                }
            }
        }
        let cadastre_permitted = profile.permits(System::Cadastre, &[GapTopic::AssetValues]);
        let sources = || person_sources.iter().chain(&ownership_sources).copied();
        let asked = household
            .members
            .iter()
            .flat_map(|member| sources().map(move |source| (member, source)))
            .map(|(member, source)| {
                let topic = topic_of(source.topics());
                audit.entry(
                    source.system(),
                    &topic,
                    ASKED,
                    PENDING,
                    &member.person_code,
                    co_resident(member.membership),
                )
            })
            .collect();
        audit.record(asked).await?;
        let standing = |person: &PersonCode| {
            household.members.iter().find(|m| &m.person_code == person).map_or("", |m| co_resident(m.membership))
        };
        let ask_all = |sources: Vec<&'a Arc<dyn PersonSource>>| {
            join_all(household.members.iter().flat_map(move |member| {
                sources.clone().into_iter().map(move |source| {
                    let query = PersonQuery { person: member.person_code.clone(), period: request.period };
                    ask(source.as_ref(), query, ctx)
                })
            }))
        };
        // Sources of ownerships are asked in a branch of their own, so that the cadastre is
        // asked as soon as they have answered, not when the slowest registry has.
        let assets_branch = async {
            let answers = ask_all(ownership_sources.clone()).await;
            let owners: BTreeSet<(String, PersonCode)> = answers
                .iter()
                .filter_map(|(_, _, answer)| answer.as_ref().ok())
                .flatten()
                .filter_map(|fact| match fact {
                    Fact::Ownership(ownership) => Some((ownership.cadastral_number.clone(), ownership.person.clone())),
                    _ => None,
                })
                .collect();
            let numbers = if cadastre_permitted {
                owners.iter().map(|(number, _)| number.clone()).collect()
            } else {
                BTreeSet::new()
            };
            let properties = self.properties(numbers, ctx).await;
            (answers, owners, properties)
        };
        let (mut answers, (owning_answers, owners, properties)) =
            futures::join!(ask_all(person_sources.clone()), assets_branch);
        answers.extend(owning_answers);
        let mut answered: Vec<Entry> = household
            .members
            .iter()
            .map(|member| {
                let outcome = gaps
                    .iter()
                    .find(|gap| gap.system == System::Pmlp && gap.person.as_ref() == Some(&member.person_code))
                    .map_or("ok", |gap| gap.reason.as_str());
                audit.entry(
                    System::Pmlp,
                    "person",
                    ANSWERED,
                    outcome,
                    &member.person_code,
                    co_resident(member.membership),
                )
            })
            .collect();
        // The cadastre is asked by cadastral number, never by person: its questions carry no
        // personal data, so they are recorded with the answers, off the check's path, each
        // under the owner whose ownership led to it.
        if !cadastre_permitted {
            let unvalued: BTreeSet<&PersonCode> = owners.iter().map(|(_, owner)| owner).collect();
            for owner in unvalued {
                gaps.push(Gap {
                    system: System::Cadastre,
                    person: Some(owner.clone()),
                    topic: GapTopic::AssetValues,
                    reason: GapReason::NotPermitted,
                });
            }
        }
        for (number, owner) in owners.iter().filter(|_| cadastre_permitted) {
            answered.push(audit.entry(System::Cadastre, "asset_values", ASKED, PENDING, owner, standing(owner)));
            let outcome = match properties.get(number) {
                Some(Err(error)) => error.gap_reason().as_str(),
                _ => "ok",
            };
            answered.push(audit.entry(System::Cadastre, "asset_values", ANSWERED, outcome, owner, standing(owner)));
        }
        let mut incomes: Vec<IncomeRecord> = Vec::new();
        let mut statuses: Vec<StatusFact> = Vec::new();
        let mut ownerships: Vec<Ownership> = Vec::new();
        let (mut vehicles, mut holdings) = (Vec::new(), Vec::new());
        for (source, query, answer) in answers {
            let outcome = answer.as_ref().err().map_or("ok", |error| error.gap_reason().as_str());
            let topic = topic_of(source.topics());
            answered.push(audit.entry(
                source.system(),
                &topic,
                ANSWERED,
                outcome,
                &query.person,
                standing(&query.person),
            ));
            match answer {
                Ok(facts) => {
                    for fact in facts {
                        match fact {
                            Fact::Income(income) => incomes.push(income),
                            Fact::Status(status) => statuses.push(status),
                            Fact::Ownership(ownership) => ownerships.push(ownership),
                            Fact::Vehicle(vehicle) => vehicles.push(vehicle),
                            Fact::Holding(holding) => holdings.push(holding),
                        }
                    }
                }
                Err(error) => {
                    log_gap(ctx, source.system(), &error);
                    for &topic in source.topics() {
                        gaps.push(Gap::from_error(source.system(), Some(query.person.clone()), topic, &error));
                    }
                }
            }
        }
        audit.record(answered).await?;
        let assets = value_assets(ownerships, properties, &mut gaps);
        let facts = HouseholdFacts { members: household.members, incomes, statuses, assets, vehicles, holdings, gaps };
        Ok(HouseholdRecord::assemble(ctx.request_id, request.applicant.clone(), request.period, facts))
    }

    /// Asks the cadastre once per distinct property, all at once under the request's deadline.
    async fn properties(
        &self,
        numbers: BTreeSet<String>,
        ctx: &RequestContext,
    ) -> BTreeMap<String, Result<CadastralProperty, SourceError>> {
        let cadastre = self.registries.cadastre.as_ref();
        join_all(numbers.into_iter().map(|number| async move {
            let answer = within_deadline(ctx, cadastre.property(&number, ctx)).await;
            if let Err(error) = &answer {
                log_gap(ctx, System::Cadastre, error);
            }
            (number, answer)
        }))
        .await
        .into_iter()
        .collect()
    }
}

/// Joins each ownership with its property: one asset per member and property, valued at the
/// member's share of the cadastral value (an exact fraction, rounded once to the cent by
/// `Share::of`). A property the cadastre could not give leaves its owners' assets without a
/// value and one `AssetValues` gap per affected member.
fn value_assets(
    ownerships: Vec<Ownership>,
    properties: BTreeMap<String, Result<CadastralProperty, SourceError>>,
    gaps: &mut Vec<Gap>,
) -> Vec<AssetRecord> {
    // A member who owns several unvalued properties gets one gap, with the reason of the
    // first the Land Registry listed; the assets themselves show which lack a value.
    let mut gapped: BTreeMap<PersonCode, &SourceError> = BTreeMap::new();
    for ownership in &ownerships {
        if let Some(Err(error)) = properties.get(&ownership.cadastral_number) {
            gapped.entry(ownership.person.clone()).or_insert(error);
        }
    }
    for (person, error) in gapped {
        gaps.push(Gap::from_error(System::Cadastre, Some(person), GapTopic::AssetValues, error));
    }
    ownerships
        .into_iter()
        .map(|ownership| {
            let property = properties.get(&ownership.cadastral_number).and_then(|answer| answer.as_ref().ok());
            AssetRecord::merge(ownership, property)
        })
        .collect()
}

/// What the audit log says of a question not yet answered.
const ASKED: &str = "asked";
const ANSWERED: &str = "answered";
const PENDING: &str = "pending";

/// A source's topics as one audit topic, e.g. `incomes+statuses`.
fn topic_of(topics: &[GapTopic]) -> String {
    topics.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("+")
}

fn log_gap(ctx: &RequestContext, system: System, error: &SourceError) {
    tracing::info!(request_id = %ctx.request_id, system = %system, reason = ?error.gap_reason(), "Registry left a gap.");
}

/// Asks one source about one member, giving up at the request's deadline.
async fn ask<'a>(
    source: &'a dyn PersonSource,
    query: PersonQuery,
    ctx: &RequestContext,
) -> (&'a dyn PersonSource, PersonQuery, Result<Vec<Fact>, SourceError>) {
    let answer = within_deadline(ctx, source.fetch(&query, ctx)).await;
    (source, query, answer)
}

/// Runs a registry call until the request's deadline; a call cut short is a `Timeout`.
pub(crate) async fn within_deadline<T>(
    ctx: &RequestContext,
    call: impl Future<Output = Result<T, SourceError>>,
) -> Result<T, SourceError> {
    let deadline = tokio::time::Instant::from_std(ctx.deadline);
    tokio::time::timeout_at(deadline, call).await.unwrap_or(Err(SourceError::Timeout))
}

#[cfg(test)]
mod tests {
    use gateway_domain::{AssetKind, GapReason, Money, Provenance, RequestId, Share};
    use time::OffsetDateTime;

    use super::*;

    fn provenance(system: System, record_id: &str) -> Provenance {
        Provenance {
            system,
            record_id: record_id.to_owned(),
            fetched_at: OffsetDateTime::UNIX_EPOCH,
            request_id: RequestId::new(),
        }
    }

    fn ownership(person: &PersonCode, number: &str, share: (u32, u32)) -> Ownership {
        Ownership {
            person: person.clone(),
            kind: AssetKind::Land,
            cadastral_number: number.to_owned(),
            folio_number: format!("1{number}"),
            share: Share::new(share.0, share.1).unwrap(),
            provenance: provenance(System::LandRegistry, number),
        }
    }

    fn property(number: &str, cents: i64) -> Result<CadastralProperty, SourceError> {
        Ok(CadastralProperty {
            cadastral_number: number.to_owned(),
            kind: AssetKind::Land,
            area_m2: 1_200,
            value: Money::from_cents(cents),
            provenance: provenance(System::Cadastre, number),
        })
    }

    #[test]
    fn shares_are_valued_once_each_and_an_unvalued_property_leaves_one_gap_per_owner() {
        let (anna, juris) = (PersonCode::parse("121282-11210").unwrap(), PersonCode::parse("32579318462").unwrap());
        let ownerships = vec![
            ownership(&anna, "90000000001", (1, 3)),
            ownership(&juris, "90000000001", (2, 3)),
            ownership(&anna, "90000000002", (1, 1)),
            ownership(&anna, "88000000003", (1, 2)),
            ownership(&juris, "88000000004", (1, 4)),
        ];
        let properties = BTreeMap::from([
            ("90000000001".to_owned(), property("90000000001", 1_000_001)),
            ("90000000002".to_owned(), Err(SourceError::Timeout)),
            ("88000000003".to_owned(), Err(SourceError::NotFound)),
            ("88000000004".to_owned(), property("88000000004", 2)),
        ]);
        let mut gaps = Vec::new();
        let assets = value_assets(ownerships, properties, &mut gaps);

        let values: Vec<Option<i64>> = assets.iter().map(|a| a.share_value.map(Money::cents)).collect();
        // 1 000 001 / 3 = 333 333.67 and 2 000 002 / 3 = 666 667.33: each rounded once, so the
        // shares add up to the whole; 2 / 4 = 0.5 rounds away from zero.
        assert_eq!(values, [Some(333_334), Some(666_667), None, None, Some(1)]);
        assert!(assets[2].area_m2.is_none() && assets[2].cadastral_value.is_none());
        assert_eq!(assets[2].provenance.len(), 1, "only the Land Registry's record");
        assert_eq!(assets[0].provenance.len(), 2);
        let gaps: Vec<_> = gaps.iter().map(|g| (g.system, g.person.clone(), g.topic, g.reason)).collect();
        assert_eq!(gaps, [(System::Cadastre, Some(anna), GapTopic::AssetValues, GapReason::Timeout)]);
    }
}
