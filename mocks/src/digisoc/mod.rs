//! The DigiSoc simulator: the Welfare Ministry's service-provider platform over REST/JSON as
//! `schemas/digisoc/VERSION.md` defines it, behind a simulated state API gateway (OAuth2
//! client credentials with a JWT client assertion). It takes referral versions once per
//! idempotency key, checked against the contract and the synthetic population, and serves the
//! execution reports tests enter through its [`DigisocDesk`], as providers would, in pages.
//!
//! `POST /oauth2/token`; `POST /digisoc/v1/referrals` with a bearer token, `X-Request-Id`,
//! `X-Purpose` and `Idempotency-Key`: a new key is recorded (`201 created`), a key seen before
//! with the same referral is acknowledged (`200 already_received`) and changes nothing;
//! `GET /digisoc/v1/execution-reports?after=<cursor>&limit=<n>`.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

mod desk;
mod wire;

use std::sync::Arc;

use gateway_domain::{PersonCode, Referral, ReferralState, ServiceType, Volume, parse_iso_date};
use wiremock::{Request, Respond, ResponseTemplate};

pub use desk::DigisocDesk;

use crate::credentials::SimulatorCredentials;
use crate::deliveries::{Message, Refused, valid_key};
use crate::population::Population;
use crate::rest::gateway::ApiGateway;
use crate::rest::{JSON, header, json};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path referral versions are posted to.
pub(crate) const REFERRALS_PATH: &str = "/digisoc/v1/referrals";
/// The path the execution reports are read from.
pub(crate) const REPORTS_PATH: &str = "/digisoc/v1/execution-reports";
const TOKEN_PATH: &str = "/oauth2/token";
const PROBLEM_PREFIX: &str = "urn:lv:digisoc:problem:";
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// What receipt numbers start with.
const RECEIPT_PREFIX: &str = "DIGISOC";
/// Reports per page when the query names no limit, and at most.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;
/// The created receipt and the page of the schema's examples, which truncated answers are cut from.
const RECEIPT_SAMPLE: &[u8] = include_bytes!("../../../schemas/digisoc/examples/referral-created.json");
const PAGE_SAMPLE: &[u8] = include_bytes!("../../../schemas/digisoc/examples/execution-reports.json");
const NOT_A_REFERRAL: &str = "The body must be a referral as referral.schema.json defines it";

/// One operation's answer to a request that was let in.
type Operation = fn(&DigisocSimulator, &Request) -> Result<ResponseTemplate, ResponseTemplate>;

struct State {
    population: Arc<Population>,
    gateway: ApiGateway,
    desk: DigisocDesk,
}

/// The DigiSoc simulator; clones answer from the same desk.
#[derive(Clone)]
pub(crate) struct DigisocSimulator {
    state: Arc<State>,
}

impl DigisocSimulator {
    /// A simulator reachable at `base_url` (its token endpoint's audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let gateway = ApiGateway::new(credentials, base_url, TOKEN_PATH, PROBLEM_PREFIX);
        Self { state: Arc::new(State { population, gateway, desk: DigisocDesk::default() }) }
    }

    /// The desk tests read and write through.
    pub(crate) fn desk(&self) -> DigisocDesk {
        self.state.desk.clone()
    }

    fn gateway(&self) -> &ApiGateway {
        &self.state.gateway
    }

    fn operation(request: &Request) -> &'static str {
        match request.url.path() {
            REFERRALS_PATH => "referral",
            REPORTS_PATH => "execution-reports",
            TOKEN_PATH => "token",
            _ => "unknown",
        }
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway().token(request) {
            return Ok(answer);
        }
        let (allowed, operation): (&'static str, Operation) = match request.url.path() {
            REFERRALS_PATH => ("POST", Self::referral),
            REPORTS_PATH => ("GET", Self::reports),
            _ => return Err(self.gateway().problem(404, "no-such-operation", "No such operation")),
        };
        if request.method.as_str() != allowed {
            return Err(self.gateway().method_not_allowed(allowed));
        }
        self.gateway().admit(request)?;
        operation(self, request)
    }

    /// `POST /digisoc/v1/referrals`.
    fn referral(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        let gateway = self.gateway();
        let key = header(request, IDEMPOTENCY_KEY_HEADER)
            .filter(|key| valid_key(key))
            .ok_or_else(|| gateway.invalid("Idempotency-Key is required: 1 to 128 visible characters"))?;
        // The whole referral, written one way, is what a reused key is compared by.
        let read = self.read_referral(request).map(|referral| {
            let content = serde_json::to_string(&referral).unwrap_or_default();
            (referral, content)
        });
        let message = read
            .as_ref()
            .map(|(referral, content)| Message {
                decision_ref: &referral.referral_ref,
                version: referral.version,
                content: vec![content.as_str()],
                members: vec![referral.person.clone()],
            })
            .map_err(Clone::clone);
        let desk = &self.state.desk;
        let received = desk.ledger().receive(&self.state.population, key, message, RECEIPT_PREFIX).map_err(
            |refused| match refused {
                Refused::Invalid(refusal) => refusal,
                Refused::UnknownMember(_) => gateway.problem_with_detail(
                    422,
                    "unknown-person",
                    "The person is not known to the population register",
                    "/person",
                ),
                Refused::KeyReused => {
                    gateway.problem(422, "key-reused", "The idempotency key was accepted before with another referral")
                }
            },
        )?;
        // The ledger took it, so it read.
        let (referral, _) = read?;
        let receipt = wire::ReceiptOut {
            receipt_id: &received.accepted.receipt_id,
            idempotency_key: key,
            result: if received.duplicate { "already_received" } else { "created" },
            referral_ref: &referral.referral_ref,
            version: referral.version,
            received_at: &received.accepted.received_at,
        };
        let body = serde_json::to_vec(&receipt).unwrap_or_default();
        let status = if received.duplicate { 200 } else { 201 };
        if !received.duplicate {
            desk.keep(referral);
        }
        Ok(ResponseTemplate::new(status).set_body_raw(body, JSON))
    }

    /// The referral a request carries, checked as the contract says; the refusal otherwise.
    fn read_referral(&self, request: &Request) -> Result<Referral, ResponseTemplate> {
        let gateway = self.gateway();
        let wire: wire::ReferralIn = gateway.json_body(request, NOT_A_REFERRAL)?;
        let invalid = |detail: &str| gateway.invalid(detail);
        let person = Some(&wire.person)
            .filter(|code| code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|code| PersonCode::parse(code).ok())
            .ok_or_else(|| invalid("person must be a personal code of 11 digits"))?;
        let service =
            ServiceType::from_key(&wire.service).ok_or_else(|| invalid("service is not a service of the contract"))?;
        let state = match wire.state.as_str() {
            "active" => ReferralState::Active,
            "cancelled" => ReferralState::Cancelled,
            _ => return Err(invalid("state is active or cancelled")),
        };
        let valid_from = parse_iso_date(&wire.valid_from).ok_or_else(|| invalid("valid_from is not a date"))?;
        let valid_to = parse_iso_date(&wire.valid_to).ok_or_else(|| invalid("valid_to is not a date"))?;
        if valid_to < valid_from {
            return Err(gateway.problem_with_detail(
                422,
                "invalid-period",
                "The period ends before it starts",
                "/valid_to",
            ));
        }
        let referral = Referral {
            referral_ref: wire.referral_ref,
            version: wire.version,
            decision_ref: wire.decision_ref,
            case_ref: wire.case_ref,
            person,
            service,
            provider: wire.provider,
            carer: wire.carer,
            for_parents_employment: wire.for_parents_employment,
            volume: match wire.volume {
                wire::VolumeIn::HomeCareLevel { level } => Volume::HomeCareLevel { level },
                wire::VolumeIn::HoursPerMonth { hours } => Volume::HoursPerMonth { hours },
                wire::VolumeIn::DaysPerMonth { days } => Volume::DaysPerMonth { days },
                wire::VolumeIn::Days { days } => Volume::Days { days },
                wire::VolumeIn::AmountCents { cents } => Volume::AmountCents { cents },
            },
            valid_from,
            valid_to,
            state,
        };
        // The complaint names the field and the rule, never the value.
        referral.validate().map_err(|error| invalid(&error.to_string()))?;
        Ok(referral)
    }

    /// `GET /digisoc/v1/execution-reports`.
    fn reports(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        let gateway = self.gateway();
        let (mut after, mut limit) = (None, None);
        for (name, value) in request.url.query_pairs() {
            let slot = match name.as_ref() {
                "after" => &mut after,
                "limit" => &mut limit,
                _ => return Err(gateway.invalid("The query takes after and limit only")),
            };
            if slot.replace(value.into_owned()).is_some() {
                return Err(gateway.invalid("after and limit are given once at most"));
            }
        }
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(raw)
                if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) && raw.bytes().any(|b| b != b'0') =>
            {
                // Beyond a page, any number is a page.
                raw.parse::<usize>().map_or(MAX_LIMIT, |n| n.min(MAX_LIMIT))
            }
            Some(_) => return Err(gateway.invalid("limit is a whole number from 1")),
        };
        let invalid_cursor = || gateway.problem(400, "invalid-cursor", "The cursor was not issued here");
        let position = match after {
            None => 0,
            Some(cursor) => desk::position(&cursor).ok_or_else(invalid_cursor)?,
        };
        let page = self.state.desk.page(position, limit).ok_or_else(invalid_cursor)?;
        let body = wire::PageOut {
            reports: page.reports.iter().map(wire::ReportOut::from).collect(),
            next_cursor: desk::cursor(page.next),
            more: page.more,
        };
        Ok(json(&body))
    }
}

impl Respond for DigisocSimulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!(operation = Self::operation(request), "DigiSoc simulator answered a request.");
        answer
    }
}

impl Simulator for DigisocSimulator {
    async fn mount(on: &Mount<'_>) -> Handle {
        let simulator = DigisocSimulator::new(on.population(), on.credentials, on.url);
        let desk = simulator.desk();
        // Each operation's faulty answers are cut from its own example; the token endpoint
        // and unserved paths share the receipt's.
        on.serve_under(REPORTS_PATH, simulator.clone(), PAGE_SAMPLE).await;
        on.serve_under(REFERRALS_PATH, simulator.clone(), RECEIPT_SAMPLE).await;
        on.serve(simulator, RECEIPT_SAMPLE).await;
        Handle::Digisoc(desk)
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new("partners.digisoc", url).with_oauth(credentials)
    }
}

#[cfg(test)]
mod tests;
