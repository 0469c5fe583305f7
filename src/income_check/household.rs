//! Who is in the household: the applicant, then either the persons the caseworker named or
//! the persons declared at the applicant's address.

use futures::future::join_all;
use gateway_domain::{
    Gap, GapTopic, Member, Membership, PersonCode, PersonRecord, PopulationRegister, RequestContext, SourceError,
    System,
};

use super::{IncomeCheckRequest, within_deadline};

/// Why there is no household to check.
#[derive(Debug, thiserror::Error)]
pub enum HouseholdError {
    #[error("the Population Register does not know the applicant")]
    UnknownApplicant,
    /// The audit log could not record the questions; they were not asked.
    #[error("the audit log cannot be written")]
    AuditUnavailable,
}

impl From<crate::audit::AuditUnavailable> for HouseholdError {
    fn from(_: crate::audit::AuditUnavailable) -> Self {
        HouseholdError::AuditUnavailable
    }
}

pub(super) struct Household {
    pub members: Vec<Member>,
    pub gaps: Vec<Gap>,
}

fn member(record: Option<PersonRecord>, code: PersonCode, membership: Membership) -> Member {
    match record {
        Some(r) => Member {
            person_code: r.person_code,
            given_name: Some(r.given_name),
            family_name: Some(r.family_name),
            birth_date: r.birth_date,
            membership,
            provenance: Some(r.provenance),
        },
        None => Member {
            person_code: code,
            given_name: None,
            family_name: None,
            birth_date: None,
            membership,
            provenance: None,
        },
    }
}

fn gap(person: Option<PersonCode>, topic: GapTopic, error: &SourceError) -> Gap {
    Gap::from_error(System::Pmlp, person, topic, error)
}

/// The other members, as the register answered about them. Named members come with the
/// persons declared at the applicant's address, when the register said, so that each is marked
/// as living there or only named.
enum Others {
    Named(Vec<(PersonCode, Result<PersonRecord, SourceError>)>, Option<Vec<PersonCode>>),
    Declared(Result<Vec<PersonRecord>, SourceError>),
}

pub(super) async fn resolve(
    register: &dyn PopulationRegister,
    request: &IncomeCheckRequest,
    ctx: &RequestContext,
) -> Result<Household, HouseholdError> {
    let applicant = &request.applicant;
    let others = async {
        match &request.members {
            Some(named) => {
                let mut codes: Vec<&PersonCode> = named.iter().filter(|c| *c != applicant).collect();
                codes.sort();
                codes.dedup();
                let records = join_all(codes.iter().map(|c| within_deadline(ctx, register.person(c, ctx))));
                // Only others than the applicant need telling apart.
                let residents = async {
                    if codes.is_empty() {
                        return None;
                    }
                    let residents = within_deadline(ctx, declared_residents(register, applicant, ctx)).await.ok()?;
                    Some(residents.into_iter().map(|r| r.person_code).collect())
                };
                let (records, residents) = futures::join!(records, residents);
                Others::Named(codes.into_iter().cloned().zip(records).collect(), residents)
            }
            None => Others::Declared(within_deadline(ctx, declared_residents(register, applicant, ctx)).await),
        }
    };
    let (person, others) = futures::join!(within_deadline(ctx, register.person(applicant, ctx)), others);

    let mut gaps = Vec::new();
    let applicant_record = match person {
        Ok(record) => Some(record),
        Err(SourceError::NotFound) => return Err(HouseholdError::UnknownApplicant),
        Err(error) => {
            gaps.push(gap(Some(applicant.clone()), GapTopic::Person, &error));
            None
        }
    };
    let mut members = vec![member(applicant_record, applicant.clone(), Membership::Applicant)];
    match others {
        Others::Named(records, residents) => {
            for (code, record) in records {
                let record = record.map_err(|error| gaps.push(gap(Some(code.clone()), GapTopic::Person, &error))).ok();
                let declared = residents.as_ref().is_some_and(|residents| residents.contains(&code));
                members.push(member(
                    record,
                    code,
                    if declared { Membership::DeclaredResident } else { Membership::Named },
                ));
            }
        }
        Others::Declared(Ok(residents)) => {
            members.extend(residents.into_iter().filter(|r| &r.person_code != applicant).map(|r| {
                let code = r.person_code.clone();
                member(Some(r), code, Membership::DeclaredResident)
            }))
        }
        Others::Declared(Err(error)) => gaps.push(gap(Some(applicant.clone()), GapTopic::HouseholdMembers, &error)),
    }
    Ok(Household { members, gaps })
}

async fn declared_residents(
    register: &dyn PopulationRegister,
    applicant: &PersonCode,
    ctx: &RequestContext,
) -> Result<Vec<PersonRecord>, SourceError> {
    let address = register.declared_address(applicant, ctx).await?;
    register.residents(&address.address_code, ctx).await
}
