//! What the simulated providers are told to do in the DigiSoc tests, and the reconciliation's
//! truth computed from it: 2 000 clients of 20 providers, each with a scenario (a normal
//! report, over-delivery, a repeated report, a correction, no report, reports at, just above
//! and just below each rule's limit, a cancelled and an ended referral), reports without a
//! referral, carers with 3, 4 and 5 children, and invoices that match, exceed or have no report.

use std::collections::BTreeSet;

use gateway_domain::{ExecutionReport, Month, Referral, ReferralState, ServiceType, Volume};
use gateway_mocks::Population;
use serde_json::{Value, json};
use time::macros::date;

pub const CLIENTS: usize = 2_000;
pub const PROVIDERS: usize = 20;
const SERVICES: [ServiceType; 5] = [
    ServiceType::HomeCare,
    ServiceType::DayCare,
    ServiceType::SocialRehabilitation,
    ServiceType::RespiteCare,
    ServiceType::DisabledChildCare,
];

pub fn month() -> Month {
    Month::new(2026, 10).unwrap()
}

pub fn provider(p: usize) -> String {
    format!("400030{p:05}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Normal,
    OverReferred,
    Repeated,
    Corrected,
    NoReport,
    AtLimit,
    AboveLimit,
    BelowLimit,
    Cancelled,
    Ended,
}

const SCENARIOS: [Scenario; 10] = [
    Scenario::Normal,
    Scenario::OverReferred,
    Scenario::Repeated,
    Scenario::Corrected,
    Scenario::NoReport,
    Scenario::AtLimit,
    Scenario::AboveLimit,
    Scenario::BelowLimit,
    Scenario::Cancelled,
    Scenario::Ended,
];

/// Everything the tests tell the gateway and the simulator, and what must come of it.
pub struct Plan {
    /// Version 1 of every referral.
    pub referrals: Vec<Referral>,
    /// Version 2 of the cancelled ones, sent after the first versions were delivered.
    pub cancellations: Vec<Referral>,
    /// The reports in the order providers enter them (a repeat is entered twice).
    pub reports: Vec<ExecutionReport>,
    /// Distinct report revisions among them.
    pub revisions: usize,
    /// The invoice file.
    pub invoices_csv: String,
    /// The findings, as the API serialises them.
    pub findings: Vec<Value>,
}

/// A client's referral's volume and the measure its reports are held to.
fn volume(service: ServiceType, i: usize) -> Volume {
    match service {
        ServiceType::HomeCare => Volume::HomeCareLevel { level: 1 + (i % 3) as u8 },
        ServiceType::DayCare => Volume::DaysPerMonth { days: 20 },
        ServiceType::SocialRehabilitation => Volume::AmountCents { cents: 60_000 },
        ServiceType::RespiteCare => Volume::Days { days: 40 },
        ServiceType::DisabledChildCare => Volume::HoursPerMonth { hours: 100 },
    }
}

/// What the referral grants in the report's measure, if the referral states it.
fn referred(volume: Volume) -> Option<i64> {
    match volume {
        Volume::HomeCareLevel { .. } => None,
        Volume::DaysPerMonth { days } | Volume::Days { days } => Some(i64::from(days)),
        Volume::HoursPerMonth { hours } => Some(i64::from(hours)),
        Volume::AmountCents { cents } => Some(cents),
    }
}

/// The rules' limit for a referral in October (31 days), and the rules that hold it, from the
/// shipped table: home care at most 2, 5, 7 visits a week; 80 hours (40 not for employment);
/// 30 days of respite care a year; 500 euro of rehabilitation per child and per household.
fn limit(referral: &Referral) -> (i64, &'static [&'static str]) {
    match referral.volume {
        Volume::HomeCareLevel { level } => ([2i64, 5, 7][usize::from(level) - 1] * 31 / 7, &["home_care_visits"]),
        Volume::DaysPerMonth { days } => (i64::from(days), &[]),
        Volume::AmountCents { .. } => (50_000, &["social_rehabilitation_child", "social_rehabilitation_household"]),
        Volume::Days { .. } => (30, &["respite_care_days"]),
        Volume::HoursPerMonth { .. } => {
            (if referral.for_parents_employment { 80 } else { 40 }, &["disabled_child_care_hours"])
        }
    }
}

fn with_measure(report: ExecutionReport, measure: i64) -> ExecutionReport {
    let units = u32::try_from(measure).unwrap_or(0);
    match report.service {
        ServiceType::HomeCare => ExecutionReport { visits: Some(units), amount_cents: measure * 1_000, ..report },
        ServiceType::DayCare | ServiceType::RespiteCare => {
            ExecutionReport { days: Some(units), amount_cents: measure * 1_000, ..report }
        }
        ServiceType::DisabledChildCare => {
            ExecutionReport { hours: Some(units), amount_cents: measure * 1_000, ..report }
        }
        ServiceType::SocialRehabilitation => ExecutionReport { amount_cents: measure, ..report },
    }
}

fn finding(kind: &str, provider: &str, service: ServiceType) -> Value {
    json!({ "kind": kind, "provider": provider, "service": service.key() })
}

fn report_ref(report: &ExecutionReport) -> Value {
    json!({ "report_id": report.report_id, "revision": report.revision })
}

pub fn plan(population: &Population) -> Plan {
    let persons = population.persons();
    assert!(persons.len() > CLIENTS + PROVIDERS, "the population is large enough");
    let mut plan = Plan {
        referrals: Vec::new(),
        cancellations: Vec::new(),
        reports: Vec::new(),
        revisions: 0,
        invoices_csv: "provider,month,person,service,amount\n".into(),
        findings: Vec::new(),
    };
    let mut invoice_line = 1u64;
    let mut invoice = |plan: &mut Plan, provider: &str, person: &str, service: ServiceType, cents: i64| {
        invoice_line += 1;
        plan.invoices_csv.push_str(&format!(
            "{provider},{},{person},{},{}\n",
            month(),
            service.key(),
            gateway_domain::Money::from_cents(cents).to_decimal_string()
        ));
        invoice_line
    };
    // Carers: provider p's carer has 5, 4 or 3 children (p % 3 = 0, 1, 2).
    let mut carer_children: Vec<Vec<usize>> = vec![Vec::new(); PROVIDERS];
    for i in 0..CLIENTS {
        let p = i % PROVIDERS;
        let service = SERVICES[(i / PROVIDERS) % SERVICES.len()];
        let k = i / (PROVIDERS * SERVICES.len());
        let scenario = SCENARIOS[k % SCENARIOS.len()];
        let carer_wanted = [5, 4, 3][p % 3];
        let carer = (service == ServiceType::DisabledChildCare
            && matches!(scenario, Scenario::Normal | Scenario::Repeated | Scenario::AtLimit | Scenario::BelowLimit)
            && carer_children[p].len() < carer_wanted)
            .then(|| {
                carer_children[p].push(i);
                format!("CARER-{p}")
            });
        let referral = Referral {
            referral_ref: format!("TUK-NOS-{i:05}"),
            version: 1,
            decision_ref: format!("TUK-D-{i:05}"),
            case_ref: format!("TUK-CASE-{i:05}"),
            person: persons[i].code.clone(),
            service,
            provider: provider(p),
            carer: carer.clone(),
            for_parents_employment: p % 2 == 0,
            volume: volume(service, i),
            valid_from: date!(2026 - 01 - 01),
            valid_to: if scenario == Scenario::Ended { date!(2026 - 09 - 30) } else { date!(2026 - 12 - 31) },
            state: ReferralState::Active,
        };
        if scenario == Scenario::Cancelled {
            plan.cancellations.push(Referral {
                version: 2,
                state: ReferralState::Cancelled,
                valid_to: date!(2026 - 09 - 30),
                ..referral.clone()
            });
        }
        let (rule_limit, rules) = limit(&referral);
        let normal = rule_limit / 2;
        let over = referred(referral.volume).unwrap_or(rule_limit) + 1;
        let base = ExecutionReport {
            report_id: format!("RPT-{i:05}"),
            revision: 1,
            referral_ref: referral.referral_ref.clone(),
            provider: referral.provider.clone(),
            person: referral.person.clone(),
            service,
            month: month(),
            visits: None,
            hours: None,
            days: None,
            amount_cents: 0,
            carer,
        };
        let measure = match scenario {
            Scenario::Normal | Scenario::Repeated | Scenario::Corrected | Scenario::Cancelled | Scenario::Ended => {
                Some(normal)
            }
            Scenario::OverReferred => Some(over),
            Scenario::AtLimit => Some(rule_limit),
            Scenario::AboveLimit => Some(rule_limit + 1),
            Scenario::BelowLimit => Some(rule_limit - 1),
            Scenario::NoReport => None,
        };
        let refs = json!([referral.referral_ref]);
        let person = referral.person.as_str().to_owned();
        let Some(measure) = measure else {
            plan.findings
                .push(merge(finding_fields("referral_without_report", &referral), json!({ "referrals": refs})));
            if k < SCENARIOS.len() {
                let line = invoice(&mut plan, &referral.provider, &person, service, 5_000);
                plan.findings.push(merge(
                    finding_fields("invoiced_without_report", &referral),
                    json!({ "invoices": [{ "source": "invoices.csv", "line": line }]}),
                ));
            }
            plan.referrals.push(referral);
            continue;
        };
        if scenario == Scenario::Corrected {
            plan.reports.push(with_measure(base.clone(), over));
            plan.revisions += 1;
        }
        let report = with_measure(
            ExecutionReport { revision: if scenario == Scenario::Corrected { 2 } else { 1 }, ..base },
            measure,
        );
        plan.reports.push(report.clone());
        plan.revisions += 1;
        if scenario == Scenario::Repeated {
            plan.reports.push(report.clone());
        }
        let reports = json!([report_ref(&report)]);
        match scenario {
            Scenario::Cancelled | Scenario::Ended => {
                let why = if scenario == Scenario::Cancelled { "cancelled" } else { "ended" };
                plan.findings.push(merge(
                    finding_fields("reported_outside_referral", &referral),
                    json!({ "rule": why, "referrals": refs, "reports": reports}),
                ));
            }
            _ => {
                if let Some(volume) = referred(referral.volume).filter(|v| measure > *v) {
                    plan.findings.push(merge(
                        finding_fields("over_referred_volume", &referral),
                        json!({ "limit": volume, "actual": measure, "referrals": refs, "reports": reports}),
                    ));
                }
                if measure > rule_limit {
                    for rule in rules {
                        plan.findings.push(merge(
                            finding_fields("rule_breach", &referral),
                            json!({ "rule": rule, "limit": rule_limit, "actual": measure,
                            "referrals": refs, "reports": reports}),
                        ));
                    }
                }
            }
        }
        // Invoices: what was reported, a euro more for the first normal client of each kind.
        let extra = if scenario == Scenario::Normal && k < SCENARIOS.len() { 100 } else { 0 };
        let line = invoice(&mut plan, &referral.provider, &person, service, report.amount_cents + extra);
        if extra > 0 {
            plan.findings.push(merge(
                finding_fields("invoiced_above_reported", &referral),
                json!({ "limit": report.amount_cents, "actual": report.amount_cents + extra,
                "reports": reports, "invoices": [{ "source": "invoices.csv", "line": line }]}),
            ));
        }
        plan.referrals.push(referral);
    }
    for (p, children) in carer_children.iter().enumerate() {
        if children.len() > 4 {
            let referrals: Vec<String> = children.iter().map(|i| format!("TUK-NOS-{i:05}")).collect();
            let reports: Vec<Value> =
                children.iter().map(|i| json!({ "report_id": format!("RPT-{i:05}"), "revision": 1 })).collect();
            plan.findings.push(json!({
                "kind": "rule_breach", "provider": provider(p), "service": "disabled_child_care",
                "rule": "children_per_carer", "limit": 4, "actual": children.len(),
                "referrals": referrals, "reports": reports, "carer": format!("CARER-{p}"),
            }));
        }
    }
    // One report per provider that names no referral sent.
    for p in 0..PROVIDERS {
        let report = ExecutionReport {
            report_id: format!("RPT-X{p:02}"),
            revision: 1,
            referral_ref: format!("TUK-NOS-X{p:02}"),
            provider: provider(p),
            person: persons[CLIENTS + p].code.clone(),
            service: ServiceType::DayCare,
            month: month(),
            visits: None,
            hours: None,
            days: Some(5),
            amount_cents: 5_000,
            carer: None,
        };
        plan.findings.push(merge(
            finding("reported_without_referral", &report.provider, ServiceType::DayCare),
            json!({ "reports": [report_ref(&report)]}),
        ));
        plan.reports.push(report);
        plan.revisions += 1;
    }
    plan
}

/// `base` with the fields of `extra` added.
fn merge(mut base: Value, extra: Value) -> Value {
    if let (Value::Object(base), Value::Object(extra)) = (&mut base, extra) {
        base.extend(extra);
    }
    base
}

fn finding_fields(kind: &str, referral: &Referral) -> Value {
    finding(kind, &referral.provider, referral.service)
}

/// A value as text with every object's keys in order, whatever order they were built in.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let fields: std::collections::BTreeMap<&String, String> =
                map.iter().map(|(k, v)| (k, canonical(v))).collect();
            let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// Findings as comparable text.
pub fn normalised(findings: &[Value]) -> BTreeSet<String> {
    findings.iter().map(canonical).collect()
}
