//! The KIM client: one write, posting a status notification, and one read, the kits issued in
//! a month page by page, both behind a bearer token over one transport (one breaker).

use std::sync::Arc;

use async_trait::async_trait;
use gateway_domain::{
    FoodAidKits, IdempotencyKey, KitIssue, Month, Receipt, RequestContext, SinkError, SourceError, StatusDecision,
    StatusSink, System,
};
use reqwest::Method;

use super::{KimConfig, mapping, wire};
use crate::adapter::{Adapter, Role};
use crate::status_notification::Notifier;
use crate::transport::TransportError;
use crate::transport::resilience::Breaker;

/// Delivers status decisions to KIM and reads the kits issued back.
#[derive(Debug)]
pub struct KimClient {
    notifier: Notifier,
}

impl KimClient {
    /// Builds the client from its settings; no token is fetched until the first call.
    pub fn new(config: &KimConfig) -> Result<Self, TransportError> {
        Ok(Self { notifier: Notifier::new(mapping::DELIVERY, config)? })
    }
}

impl Adapter for KimClient {
    const SYSTEM: System = System::Kim;
    type Config = KimConfig;

    fn build(config: &KimConfig) -> Result<Self, TransportError> {
        Self::new(config)
    }

    fn breaker(&self) -> Breaker {
        self.notifier.api().breaker()
    }

    fn role(self) -> Role {
        let client = Arc::new(self);
        Role::FoodAid { sink: client.clone(), kits: client }
    }
}

#[async_trait]
impl StatusSink for KimClient {
    fn system(&self) -> System {
        System::Kim
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

#[async_trait]
impl FoodAidKits for KimClient {
    /// Reads every page of the month, in KIM's order; a malformed page fails the whole read.
    async fn kits_issued(&self, month: Month, ctx: &RequestContext) -> Result<Vec<KitIssue>, SourceError> {
        let mut issues = Vec::new();
        for number in 1..=wire::MAX_PAGES {
            let path = mapping::page_path(month, number);
            let page: wire::KitIssuePage = self.notifier.api().read::<(), _>(Method::GET, &path, None, ctx).await?;
            let (page_issues, more) = mapping::kit_page(page, month, number, ctx)?;
            issues.extend(page_issues);
            if !more {
                return Ok(issues);
            }
        }
        Err(SourceError::Malformed { detail: "KIM announced more pages than a month can have".into() })
    }
}
