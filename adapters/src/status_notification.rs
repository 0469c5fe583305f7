//! The household status notification the partners behind the state API gateway take in one
//! shape (JPA, ALDIS, NVA, KIM): a JSON resource per notification, posted once with an
//! `Idempotency-Key` behind a bearer token, answered with a receipt that echoes the key
//! (`REGISTERED`, or `ALREADY_REGISTERED` for a key seen before) and refused with an RFC 9457
//! problem whose `type` ends in the partner's code. Each partner keeps only what is its own:
//! the path, the problem prefix and its settings section ([`NotificationPartner`]); the
//! message, the receipt, the error decisions and the client are these.

use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{
    HouseholdStatus, IdempotencyKey, Receipt, RequestContext, SinkError, StatusDecision, StatusSink, System,
};
use serde::{Deserialize, Serialize};
use time::{Date, format_description::FormatItem, macros::format_description};

use crate::adapter::{Adapter, Role};
use crate::transport::resilience::Breaker;
use crate::transport::{
    BearerJson, JsonDelivery, OAuthConfig, ReceiptWords, RefusalCodes, TransportConfig, TransportError,
};

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// How to reach a partner that takes status notifications.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationConfig {
    /// Base URL of the API, without a trailing slash.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    pub oauth: OAuthConfig,
    #[serde(default)]
    pub transport: TransportConfig,
}

/// `status-notification.schema.json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusNotification<'a> {
    decision_number: &'a str,
    decision_version: u32,
    status: &'static str,
    period: StatusPeriod,
    persons: Vec<Person<'a>>,
}

#[derive(Serialize)]
struct StatusPeriod {
    start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Person<'a> {
    person_code: &'a str,
    applicant: bool,
}

/// `notification-receipt.schema.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotificationReceipt {
    notification_id: String,
    idempotency_key: String,
    outcome: String,
}

/// A notification partner's delivery: its system, its name in error details, the path
/// notifications go to and what its problem types start with.
pub const fn delivery(
    partner: System,
    name: &'static str,
    path: &'static str,
    problem_prefix: &'static str,
) -> JsonDelivery {
    JsonDelivery {
        partner,
        name,
        path,
        receipt: ReceiptWords {
            subject: "notification",
            outcome_field: "outcome",
            accepted: "REGISTERED",
            duplicate: "ALREADY_REGISTERED",
            reference_field: "notification id",
        },
        refusals: RefusalCodes::Problem { prefix: problem_prefix },
    }
}

fn date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

fn notification(decision: &StatusDecision) -> StatusNotification<'_> {
    StatusNotification {
        decision_number: &decision.decision_ref,
        decision_version: decision.version,
        status: match decision.status {
            HouseholdStatus::Needy => "NEEDY",
            HouseholdStatus::LowIncome => "LOW_INCOME",
            HouseholdStatus::Ended => "ENDED",
        },
        period: StatusPeriod { start: date(decision.valid_from), end: decision.valid_to.map(date) },
        persons: decision
            .members
            .iter()
            .enumerate()
            // The first member of a decision is its applicant.
            .map(|(i, member)| Person { person_code: member.as_str(), applicant: i == 0 })
            .collect(),
    }
}

/// One partner's notification resource over its bearer-token client.
#[derive(Debug)]
pub struct Notifier {
    api: BearerJson,
    delivery: JsonDelivery,
}

impl Notifier {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(delivery: JsonDelivery, config: &NotificationConfig) -> Result<Self, TransportError> {
        let api = BearerJson::new(
            delivery.partner,
            &config.base_url,
            config.token_url.as_deref(),
            &config.oauth,
            &config.transport,
        )?;
        Ok(Self { api, delivery })
    }

    /// The bearer-token client, for the partner's other calls.
    pub fn api(&self) -> &BearerJson {
        &self.api
    }

    /// The partner's system.
    pub fn system(&self) -> System {
        self.delivery.partner
    }

    /// Posts the notification of `decision` once; when the token is refused (it may have been
    /// revoked early) a fresh one is fetched and it is posted once more. A refused token means
    /// the partner did not take it, and the key makes a second post harmless anyway.
    pub async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        let receipt: NotificationReceipt = self.delivery.send(&self.api, key, &notification(decision), ctx).await?;
        self.delivery.receipt(key, [&receipt.idempotency_key, &receipt.outcome, &receipt.notification_id])
    }
}

/// A partner that takes status notifications and nothing else: its delivery's words.
pub trait NotificationPartner: Debug + Send + Sync + 'static {
    const DELIVERY: JsonDelivery;
}

/// The client of a partner that only learns status decisions.
#[derive(Debug)]
pub struct NotificationClient<P> {
    notifier: Notifier,
    partner: PhantomData<P>,
}

impl<P: NotificationPartner> NotificationClient<P> {
    pub fn new(config: &NotificationConfig) -> Result<Self, TransportError> {
        Ok(Self { notifier: Notifier::new(P::DELIVERY, config)?, partner: PhantomData })
    }
}

impl<P: NotificationPartner> Adapter for NotificationClient<P> {
    const SYSTEM: System = P::DELIVERY.partner;
    type Config = NotificationConfig;

    fn build(config: &NotificationConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.notifier.api().breaker()
    }

    fn role(self) -> Role {
        Role::Partner(Arc::new(self))
    }
}

#[async_trait]
impl<P: NotificationPartner> StatusSink for NotificationClient<P> {
    fn system(&self) -> System {
        self.notifier.system()
    }

    async fn deliver(
        &self,
        decision: &StatusDecision,
        key: &IdempotencyKey,
        ctx: &RequestContext,
    ) -> Result<Receipt, SinkError> {
        self.notifier.deliver(decision, key, ctx).await
    }
}
