//! The reconciliation of one month: per provider and service, what was referred, what the
//! provider reported as delivered and what it invoiced, and every place where these disagree or
//! break the rules. Each finding names the referrals, report revisions and invoice lines it
//! rests on; none names a person. A pure function of what the store holds, so that a test can
//! compute the same from what it told the simulated providers to do.

use std::collections::{BTreeMap, BTreeSet};

use gateway_domain::{ExecutionReport, Month, Referral, ReferralState, ServiceType, Volume};
use serde::Serialize;
use time::Date;

use super::rules::{ProviderRules, ServiceLimits};
use crate::store::{Invoice, StoredReport};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A report names no referral sent to that provider for that client and service.
    ReportedWithoutReferral,
    /// A report's month lies outside its referral's period: before it, after it ended, or
    /// after it was cancelled.
    ReportedOutsideReferral,
    /// More was reported than the referral grants (hours or days a month, days or budget over
    /// the referral).
    OverReferredVolume,
    /// A limit of the rules was passed.
    RuleBreach,
    /// A provider invoiced more than it reported for that client, service and month.
    InvoicedAboveReported,
    /// A provider invoiced a client, service and month it reported nothing for.
    InvoicedWithoutReport,
    /// A referral in force in the month has no report for it.
    ReferralWithoutReport,
}

/// A report revision, by its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ReportRef {
    pub report_id: String,
    pub revision: u32,
}

/// An invoice line, by its file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InvoiceRef {
    pub source: String,
    pub line: u64,
}

/// One finding. `limit` and `actual` are in the rule's unit: visits, hours, days, children or
/// euro cents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub provider: String,
    pub service: ServiceType,
    /// The rule passed, for `rule_breach`; why a report lies outside its referral
    /// (`not_started`, `ended`, `cancelled`) for `reported_outside_referral`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ReportRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invoices: Vec<InvoiceRef>,
    /// The carer, for the children-per-carer rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carer: Option<String>,
}

/// One provider's one service in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProviderRow {
    pub provider: String,
    pub service: Option<ServiceType>,
    /// Referrals in force in the month.
    pub referred: u32,
    /// Reports of the month (their latest revisions).
    pub reported: u32,
    pub visits: u64,
    pub hours: u64,
    pub days: u64,
    pub reported_cents: i64,
    pub invoiced_cents: i64,
    pub findings: u32,
}

/// The month's reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderReport {
    pub month: Month,
    /// The rules' entry the month was held to; `None` when none is in force (then no rule
    /// findings are made).
    pub rules_from: Option<Month>,
    pub rows: Vec<ProviderRow>,
    pub findings: Vec<Finding>,
}

/// The reports a month's reconciliation reads: the month and the eleven before it.
pub fn window(month: Month) -> (Month, Month) {
    (month.plus(-11), month)
}

fn report_ref(report: &ExecutionReport) -> ReportRef {
    ReportRef { report_id: report.report_id.clone(), revision: report.revision }
}

/// Days of `month` from `from` to `to`, both included.
fn days_covered(month: Month, from: Date, to: Date) -> i64 {
    let start = from.max(month.first_day());
    let end = to.min(month.last_day());
    if end < start { 0 } else { (end - start).whole_days() + 1 }
}

struct Finder<'a> {
    findings: Vec<Finding>,
    limits: Option<&'a ServiceLimits>,
}

impl Finder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: FindingKind,
        provider: &str,
        service: ServiceType,
        rule: Option<&'static str>,
        numbers: Option<(i64, i64)>,
        referrals: Vec<String>,
        reports: Vec<ReportRef>,
        invoices: Vec<InvoiceRef>,
    ) {
        self.findings.push(Finding {
            kind,
            provider: provider.to_owned(),
            service,
            rule,
            limit: numbers.map(|n| n.0),
            actual: numbers.map(|n| n.1),
            referrals,
            reports,
            invoices,
            carer: None,
        });
    }
}

/// Reconciles `month`. `reports` are every stored revision of the month and the eleven before
/// it ([`window`]); superseded revisions are not counted.
pub fn reconcile(
    month: Month,
    referrals: &[Referral],
    reports: &[StoredReport],
    invoices: &[Invoice],
    rules: &ProviderRules,
) -> ProviderReport {
    let limits = rules.for_month(month);
    let mut finder = Finder { findings: Vec::new(), limits };
    let by_ref: BTreeMap<&str, &Referral> = referrals.iter().map(|r| (r.referral_ref.as_str(), r)).collect();
    let (from, _) = window(month);
    let current: Vec<&ExecutionReport> = reports
        .iter()
        .filter(|r| !r.superseded && r.report.month >= from && r.report.month <= month)
        .map(|r| &r.report)
        .collect();
    let this_month: Vec<&ExecutionReport> = current.iter().copied().filter(|r| r.month == month).collect();
    // A report's referral: the one it names, if it was sent to that provider for that client and service.
    let referral_of = |report: &ExecutionReport| -> Option<&Referral> {
        by_ref.get(report.referral_ref.as_str()).copied().filter(|referral| {
            referral.provider == report.provider
                && referral.person == report.person
                && referral.service == report.service
        })
    };

    for report in &this_month {
        let Some(referral) = referral_of(report) else {
            finder.push(
                FindingKind::ReportedWithoutReferral,
                &report.provider,
                report.service,
                None,
                None,
                Vec::new(),
                vec![report_ref(report)],
                Vec::new(),
            );
            continue;
        };
        let refs = || vec![referral.referral_ref.clone()];
        let covered = days_covered(month, referral.valid_from, referral.valid_to);
        if covered == 0 {
            let why = if month.last_day() < referral.valid_from {
                "not_started"
            } else if referral.state == ReferralState::Cancelled {
                "cancelled"
            } else {
                "ended"
            };
            finder.push(
                FindingKind::ReportedOutsideReferral,
                &report.provider,
                report.service,
                Some(why),
                None,
                refs(),
                vec![report_ref(report)],
                Vec::new(),
            );
            continue;
        }
        let over = |finder: &mut Finder, referred: i64, actual: i64, reports: Vec<ReportRef>| {
            if actual > referred {
                finder.push(
                    FindingKind::OverReferredVolume,
                    &report.provider,
                    report.service,
                    None,
                    Some((referred, actual)),
                    refs(),
                    reports,
                    Vec::new(),
                );
            }
        };
        // What the referral granted so far, against what was reported under it in the window.
        let under_referral = || -> Vec<&ExecutionReport> {
            current
                .iter()
                .copied()
                .filter(|r| referral_of(r).is_some_and(|x| x.referral_ref == referral.referral_ref))
                .collect()
        };
        match referral.volume {
            Volume::HomeCareLevel { level } => {
                if let Some(band) = finder.limits.and_then(|l| l.home_care(level)) {
                    let visits = i64::from(report.visits.unwrap_or(0));
                    let max = i64::from(band.max_visits_per_week);
                    // Exactly: visits x 7 against visits a week x days covered.
                    if visits * 7 > max * covered {
                        finder.push(
                            FindingKind::RuleBreach,
                            &report.provider,
                            report.service,
                            Some("home_care_visits"),
                            Some((max * covered / 7, visits)),
                            refs(),
                            vec![report_ref(report)],
                            Vec::new(),
                        );
                    }
                }
            }
            Volume::HoursPerMonth { hours } => {
                let actual = i64::from(report.hours.unwrap_or(0));
                over(&mut finder, i64::from(hours), actual, vec![report_ref(report)]);
                if let Some(limits) = finder.limits {
                    let limit = i64::from(limits.disabled_child_hours(referral.for_parents_employment));
                    if report.service == ServiceType::DisabledChildCare && actual > limit {
                        finder.push(
                            FindingKind::RuleBreach,
                            &report.provider,
                            report.service,
                            Some("disabled_child_care_hours"),
                            Some((limit, actual)),
                            refs(),
                            vec![report_ref(report)],
                            Vec::new(),
                        );
                    }
                }
            }
            Volume::DaysPerMonth { days } => {
                over(&mut finder, i64::from(days), i64::from(report.days.unwrap_or(0)), vec![report_ref(report)]);
            }
            Volume::Days { days } => {
                let reported = under_referral();
                let total: i64 = reported.iter().map(|r| i64::from(r.days.unwrap_or(0))).sum();
                over(&mut finder, i64::from(days), total, reported.iter().map(|r| report_ref(r)).collect());
            }
            Volume::AmountCents { cents } => {
                let reported = under_referral();
                let total: i64 = reported.iter().map(|r| r.amount_cents).sum();
                over(&mut finder, cents, total, reported.iter().map(|r| report_ref(r)).collect());
            }
        }
    }

    if let Some(limits) = limits {
        yearly_rules(&mut finder, limits, month, &current, &this_month, &referral_of);
        carers(&mut finder, limits, &this_month);
    }
    invoice_findings(&mut finder, &this_month, invoices);

    // Referrals in force with no report for the month.
    let reported_refs: BTreeSet<&str> =
        this_month.iter().filter(|r| referral_of(r).is_some()).map(|r| r.referral_ref.as_str()).collect();
    for referral in referrals.iter().filter(|r| r.covers(month)) {
        if !reported_refs.contains(referral.referral_ref.as_str()) {
            finder.push(
                FindingKind::ReferralWithoutReport,
                &referral.provider,
                referral.service,
                None,
                None,
                vec![referral.referral_ref.clone()],
                Vec::new(),
                Vec::new(),
            );
        }
    }

    let mut findings = finder.findings;
    for finding in &mut findings {
        finding.referrals.sort();
        finding.reports.sort();
        finding.invoices.sort();
    }
    findings.sort();
    let rows = rows(month, referrals, &this_month, invoices, &findings);
    ProviderReport { month, rules_from: limits.map(|l| l.from), rows, findings }
}

/// Respite care's days in the calendar year per client; social rehabilitation's amount in the
/// rules' window per child and per household. Checked for clients reported in the month.
fn yearly_rules<'a>(
    finder: &mut Finder,
    limits: &ServiceLimits,
    month: Month,
    current: &[&'a ExecutionReport],
    this_month: &[&'a ExecutionReport],
    referral_of: &dyn Fn(&ExecutionReport) -> Option<&'a Referral>,
) {
    let year_start = Month::new(month.year(), 1).unwrap_or(month);
    let rehab_from = month.plus(1 - i32::try_from(limits.social_rehabilitation_window_months.max(1)).unwrap_or(12));
    // Per client (and household), whichever providers delivered.
    let mut respite: BTreeMap<&str, Vec<&ExecutionReport>> = BTreeMap::new();
    let mut rehab_child: BTreeMap<&str, Vec<&ExecutionReport>> = BTreeMap::new();
    let mut rehab_household: BTreeMap<&str, Vec<&ExecutionReport>> = BTreeMap::new();
    let clients: BTreeSet<(&str, ServiceType)> = this_month.iter().map(|r| (r.person.as_str(), r.service)).collect();
    let households: BTreeSet<&str> = this_month
        .iter()
        .filter(|r| r.service == ServiceType::SocialRehabilitation)
        .filter_map(|r| referral_of(r).map(|x| x.case_ref.as_str()))
        .collect();
    for report in current {
        let person = report.person.as_str();
        match report.service {
            ServiceType::RespiteCare if report.month >= year_start && clients.contains(&(person, report.service)) => {
                respite.entry(person).or_default().push(report);
            }
            ServiceType::SocialRehabilitation if report.month >= rehab_from => {
                if clients.contains(&(person, report.service)) {
                    rehab_child.entry(person).or_default().push(report);
                }
                if let Some(case) = referral_of(report).map(|x| x.case_ref.as_str()).filter(|c| households.contains(c))
                {
                    rehab_household.entry(case).or_default().push(report);
                }
            }
            _ => {}
        }
    }
    // The finding goes to the provider of the month's report that passed the limit.
    let mut check = |groups: BTreeMap<&str, Vec<&ExecutionReport>>,
                     rule: &'static str,
                     service: ServiceType,
                     limit: i64,
                     measure: fn(&ExecutionReport) -> i64| {
        for reports in groups.into_values() {
            let total: i64 = reports.iter().map(|r| measure(r)).sum();
            let provider = reports.iter().rev().find(|r| r.month == month).map(|r| r.provider.as_str());
            if let (true, Some(provider)) = (total > limit, provider) {
                let referrals: BTreeSet<String> =
                    reports.iter().filter_map(|r| referral_of(r).map(|x| x.referral_ref.clone())).collect();
                finder.push(
                    FindingKind::RuleBreach,
                    provider,
                    service,
                    Some(rule),
                    Some((limit, total)),
                    referrals.into_iter().collect(),
                    reports.iter().map(|r| report_ref(r)).collect(),
                    Vec::new(),
                );
            }
        }
    };
    check(respite, "respite_care_days", ServiceType::RespiteCare, i64::from(limits.respite_care_days_per_year), |r| {
        i64::from(r.days.unwrap_or(0))
    });
    check(
        rehab_child,
        "social_rehabilitation_child",
        ServiceType::SocialRehabilitation,
        limits.social_rehabilitation_cents_per_child,
        |r| r.amount_cents,
    );
    check(
        rehab_household,
        "social_rehabilitation_household",
        ServiceType::SocialRehabilitation,
        limits.social_rehabilitation_cents_per_household,
        |r| r.amount_cents,
    );
}

/// A natural-person carer's children in the month.
fn carers(finder: &mut Finder, limits: &ServiceLimits, this_month: &[&ExecutionReport]) {
    let mut by_carer: BTreeMap<(&str, &str), Vec<&ExecutionReport>> = BTreeMap::new();
    for report in this_month.iter().filter(|r| r.service == ServiceType::DisabledChildCare) {
        if let Some(carer) = report.carer.as_deref() {
            by_carer.entry((report.provider.as_str(), carer)).or_default().push(report);
        }
    }
    for ((provider, carer), reports) in by_carer {
        let children: BTreeSet<&str> = reports.iter().map(|r| r.person.as_str()).collect();
        let count = i64::try_from(children.len()).unwrap_or(i64::MAX);
        let limit = i64::from(limits.children_per_carer);
        if count > limit {
            let referrals: BTreeSet<String> = reports.iter().map(|r| r.referral_ref.clone()).collect();
            finder.push(
                FindingKind::RuleBreach,
                provider,
                ServiceType::DisabledChildCare,
                Some("children_per_carer"),
                Some((limit, count)),
                referrals.into_iter().collect(),
                reports.iter().map(|r| report_ref(r)).collect(),
                Vec::new(),
            );
            if let Some(last) = finder.findings.last_mut() {
                last.carer = Some(carer.to_owned());
            }
        }
    }
}

/// Each invoice line against what was reported for its provider, client, service and month.
fn invoice_findings(finder: &mut Finder, this_month: &[&ExecutionReport], invoices: &[Invoice]) {
    for invoice in invoices {
        let reports: Vec<&&ExecutionReport> = this_month
            .iter()
            .filter(|r| r.provider == invoice.provider && r.person == invoice.person && r.service == invoice.service)
            .collect();
        let line = vec![InvoiceRef { source: invoice.source.clone(), line: invoice.line }];
        if reports.is_empty() {
            finder.push(
                FindingKind::InvoicedWithoutReport,
                &invoice.provider,
                invoice.service,
                None,
                None,
                Vec::new(),
                Vec::new(),
                line,
            );
            continue;
        }
        let reported: i64 = reports.iter().map(|r| r.amount_cents).sum();
        if invoice.amount_cents > reported {
            finder.push(
                FindingKind::InvoicedAboveReported,
                &invoice.provider,
                invoice.service,
                None,
                Some((reported, invoice.amount_cents)),
                Vec::new(),
                reports.iter().map(|r| report_ref(r)).collect(),
                line,
            );
        }
    }
}

fn rows(
    month: Month,
    referrals: &[Referral],
    this_month: &[&ExecutionReport],
    invoices: &[Invoice],
    findings: &[Finding],
) -> Vec<ProviderRow> {
    let mut rows: BTreeMap<(String, ServiceType), ProviderRow> = BTreeMap::new();
    fn row<'a>(
        rows: &'a mut BTreeMap<(String, ServiceType), ProviderRow>,
        provider: &str,
        service: ServiceType,
    ) -> &'a mut ProviderRow {
        rows.entry((provider.to_owned(), service)).or_insert_with(|| ProviderRow {
            provider: provider.to_owned(),
            service: Some(service),
            ..ProviderRow::default()
        })
    }
    for referral in referrals.iter().filter(|r| r.covers(month)) {
        row(&mut rows, &referral.provider, referral.service).referred += 1;
    }
    for report in this_month {
        let r = row(&mut rows, &report.provider, report.service);
        r.reported += 1;
        r.visits += u64::from(report.visits.unwrap_or(0));
        r.hours += u64::from(report.hours.unwrap_or(0));
        r.days += u64::from(report.days.unwrap_or(0));
        r.reported_cents += report.amount_cents;
    }
    for invoice in invoices {
        row(&mut rows, &invoice.provider, invoice.service).invoiced_cents += invoice.amount_cents;
    }
    for finding in findings {
        row(&mut rows, &finding.provider, finding.service).findings += 1;
    }
    rows.into_values().collect()
}
