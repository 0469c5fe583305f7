//! The one delivery flow of the REST/JSON partner simulators (BRIDZIS, NINO and the status
//! notification partners of [`super::notification`]), each speaking it
//! in its own vocabulary ([`DeliveryContract`]).
//!
//! `POST` to the partner's delivery path, past its admission (an API key, or a bearer token
//! from its own token endpoint), with `Content-Type: application/json`, `X-Request-Id` and an
//! `Idempotency-Key`. The body is read into the parts every partner checks the same way
//! (decision reference and version, validity, 1 to 20 members with the applicant first), then
//! taken by the partner's [`Ledger`]: 201 for a new key, 200 for a repetition.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::marker::PhantomData;
use std::sync::Arc;

use gateway_domain::is_decision_ref;
use serde::de::DeserializeOwned;
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, ResponseTemplate};

use super::token::{TOKEN_PATH, TokenIssuer};
use super::{has_json_body, header, json_object, person_code};
use crate::deliveries::{Accepted, Ledger, Message, Refused, valid_key};
use crate::population::Population;

const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
const REQUEST_ID_HEADER: &str = "x-request-id";
/// The most members one delivery names.
const MAX_MEMBERS: usize = 20;

/// How a REST partner lets a caller deliver.
pub(crate) enum Admission {
    /// A fixed key in a request header.
    ApiKey { header: &'static str, key: String },
    /// A bearer token from the partner's own token endpoint at `/oauth2/token`.
    Bearer(TokenIssuer),
    /// The simulated API gateway in front of the resource, which checked the token already.
    Gateway,
}

/// Why a REST partner refuses a request; each partner has its own code for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefusalKind {
    NoSuchOperation,
    MethodNotAllowed,
    Unauthorized,
    UnsupportedMediaType,
    InvalidRequest,
    InvalidPeriod,
    UnknownPerson,
    KeyReused,
}

impl RefusalKind {
    fn status(self) -> u16 {
        match self {
            RefusalKind::NoSuchOperation => 404,
            RefusalKind::MethodNotAllowed => 405,
            RefusalKind::Unauthorized => 401,
            RefusalKind::UnsupportedMediaType => 415,
            RefusalKind::InvalidRequest => 400,
            RefusalKind::InvalidPeriod | RefusalKind::UnknownPerson | RefusalKind::KeyReused => 422,
        }
    }
}

/// A refusal to answer with: what kind, a message for people, and the member it is about as
/// a JSON pointer.
struct Refusal {
    kind: RefusalKind,
    message: &'static str,
    pointer: Option<String>,
}

impl Refusal {
    fn new(kind: RefusalKind, message: &'static str) -> Self {
        Self { kind, message, pointer: None }
    }

    fn invalid(message: &'static str) -> Self {
        Self::new(RefusalKind::InvalidRequest, message)
    }
}

/// A delivery in the parts every REST partner checks, read from the partner's wire type.
pub(crate) struct StatusMessage {
    pub(crate) decision_ref: String,
    pub(crate) version: u32,
    /// The status as the wire wrote it.
    pub(crate) status: &'static str,
    pub(crate) valid_from: String,
    pub(crate) valid_to: Option<String>,
    /// Each member's personal code as written, and whether they are the applicant.
    pub(crate) members: Vec<(String, bool)>,
}

/// A partner's words for its resource and its refusals, in its own field names.
pub(crate) struct DeliveryWords {
    /// The path deliveries are posted to, and the operation's name in log lines.
    pub(crate) path: &'static str,
    pub(crate) operation: &'static str,
    /// What receipt numbers start with.
    pub(crate) receipt_prefix: &'static str,
    /// The outcome of a new delivery and of a repeated one.
    pub(crate) accepted: &'static str,
    pub(crate) duplicate: &'static str,
    /// Why a caller that is not let in is refused.
    pub(crate) unauthorized: &'static str,
    /// Why a body that is not the partner's message is refused.
    pub(crate) not_the_message: &'static str,
    /// Why each part of a message that breaks the contract is refused.
    pub(crate) reference: &'static str,
    pub(crate) valid_from: &'static str,
    pub(crate) valid_to: &'static str,
    pub(crate) backwards: &'static str,
    pub(crate) member_count: &'static str,
    pub(crate) applicant: &'static str,
    pub(crate) unknown_member: &'static str,
    pub(crate) key_reused: &'static str,
    /// The JSON pointer of the members' array, which a refusal about one member points into.
    pub(crate) members_pointer: &'static str,
}

/// One REST partner's delivery contract: its message, words, codes and answer bodies.
pub(crate) trait DeliveryContract: 'static {
    /// The message as the partner's schema defines it.
    type Message: DeserializeOwned;
    const WORDS: DeliveryWords;

    /// The partner's code for `kind`.
    fn code(kind: RefusalKind) -> &'static str;
    /// The parts every partner checks.
    fn read(message: Self::Message) -> StatusMessage;
    /// A refusal in the partner's error format.
    fn refusal(status: u16, code: &'static str, message: &str, pointer: Option<String>) -> ResponseTemplate;
    /// The partner's receipt for `accepted`, which came with `key`, with `outcome` as its word.
    fn receipt(accepted: &Accepted, key: &str, outcome: &'static str) -> Vec<u8>;
}

/// A REST partner's delivery resource over the partner's ledger.
pub(crate) struct RestDelivery<C> {
    population: Arc<Population>,
    admission: Admission,
    ledger: Ledger,
    contract: PhantomData<fn() -> C>,
}

impl<C: DeliveryContract> RestDelivery<C> {
    pub(crate) fn new(population: Arc<Population>, admission: Admission) -> Self {
        Self { population, admission, ledger: Ledger::default(), contract: PhantomData }
    }

    /// The deliveries the partner received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.ledger.clone()
    }

    /// The operation a request names, for log lines.
    pub(crate) fn operation(&self, request: &Request) -> &'static str {
        match request.url.path() {
            path if path == C::WORDS.path => C::WORDS.operation,
            TOKEN_PATH if self.tokens().is_some() => "token",
            _ => "unknown",
        }
    }

    /// Answers one request.
    pub(crate) fn respond(&self, request: &Request) -> ResponseTemplate {
        self.take(request).0
    }

    /// Answers one request, with the message when it is a delivery accepted for the first
    /// time (not a duplicate), for a partner that acts on what it accepted.
    pub(crate) fn take(&self, request: &Request) -> (ResponseTemplate, Option<StatusMessage>) {
        self.route(request).unwrap_or_else(|refusal| (self.refuse(refusal), None))
    }

    fn tokens(&self) -> Option<&TokenIssuer> {
        match &self.admission {
            Admission::Bearer(tokens) => Some(tokens),
            Admission::ApiKey { .. } | Admission::Gateway => None,
        }
    }

    fn route(&self, request: &Request) -> Result<(ResponseTemplate, Option<StatusMessage>), Refusal> {
        let path = request.url.path();
        let token_request = path == TOKEN_PATH && self.tokens().is_some();
        if path != C::WORDS.path && !token_request {
            return Err(Refusal::new(RefusalKind::NoSuchOperation, "No such operation"));
        }
        if request.method != Method::POST {
            let refusal = self.refuse(Refusal::new(RefusalKind::MethodNotAllowed, "Method not allowed"));
            return Ok((refusal.insert_header("allow", HeaderValue::from_static("POST")), None));
        }
        if let Some(tokens) = self.tokens().filter(|_| token_request) {
            return Ok((tokens.respond(request), None));
        }
        self.admit(request)?;
        if !has_json_body(request) {
            return Err(Refusal::new(RefusalKind::UnsupportedMediaType, "The body must be application/json"));
        }
        if header(request, REQUEST_ID_HEADER).is_none_or(str::is_empty) {
            return Err(Refusal::invalid("X-Request-Id is required"));
        }
        let key = header(request, IDEMPOTENCY_KEY_HEADER)
            .filter(|key| valid_key(key))
            .ok_or_else(|| Refusal::invalid("Idempotency-Key is required: 1 to 128 visible characters"))?;
        let status = json_object::<C::Message>(&request.body).map(C::read);
        let message = match &status {
            Some(status) => check::<C>(status),
            None => Err(Refusal::invalid(C::WORDS.not_the_message)),
        };
        let words = &C::WORDS;
        let received = self.ledger.receive(&self.population, key, message, words.receipt_prefix).map_err(
            |refused| match refused {
                Refused::Invalid(refusal) => refusal,
                Refused::UnknownMember(index) => Refusal {
                    pointer: Some(format!("{}/{index}", words.members_pointer)),
                    ..Refusal::new(RefusalKind::UnknownPerson, words.unknown_member)
                },
                Refused::KeyReused => Refusal::new(RefusalKind::KeyReused, words.key_reused),
            },
        )?;
        let (status_code, outcome) = if received.duplicate { (200, words.duplicate) } else { (201, words.accepted) };
        let receipt = C::receipt(&received.accepted, key, outcome);
        let first = if received.duplicate { None } else { status };
        Ok((ResponseTemplate::new(status_code).set_body_raw(receipt, super::JSON), first))
    }

    fn admit(&self, request: &Request) -> Result<(), Refusal> {
        let admitted = match &self.admission {
            Admission::ApiKey { header: name, key } => header(request, name) == Some(key.as_str()),
            Admission::Bearer(tokens) => tokens.admits(request),
            Admission::Gateway => true,
        };
        if admitted { Ok(()) } else { Err(Refusal::new(RefusalKind::Unauthorized, C::WORDS.unauthorized)) }
    }

    fn refuse(&self, refusal: Refusal) -> ResponseTemplate {
        let kind = refusal.kind;
        let response = C::refusal(kind.status(), C::code(kind), refusal.message, refusal.pointer);
        match (&self.admission, kind) {
            (Admission::Bearer(_), RefusalKind::Unauthorized) => {
                response.insert_header("www-authenticate", HeaderValue::from_static("Bearer error=\"invalid_token\""))
            }
            _ => response,
        }
    }
}

/// The checks every REST partner makes of a message, in its words.
fn check<C: DeliveryContract>(status: &StatusMessage) -> Result<Message<'_>, Refusal> {
    let words = &C::WORDS;
    if !is_decision_ref(&status.decision_ref) || status.version == 0 {
        return Err(Refusal::invalid(words.reference));
    }
    let from = date(&status.valid_from).ok_or_else(|| Refusal::invalid(words.valid_from))?;
    let to = status.valid_to.as_deref().map(|to| date(to).ok_or_else(|| Refusal::invalid(words.valid_to)));
    if let Some(to) = to.transpose()?
        && to < from
    {
        return Err(Refusal::new(RefusalKind::InvalidPeriod, words.backwards));
    }
    if status.members.is_empty() || status.members.len() > MAX_MEMBERS {
        return Err(Refusal::invalid(words.member_count));
    }
    let members = status
        .members
        .iter()
        .map(|(code, _)| person_code(code).map_err(Refusal::invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let applicants = status.members.iter().filter(|(_, applicant)| *applicant).count();
    if applicants != 1 || !status.members[0].1 {
        return Err(Refusal::invalid(words.applicant));
    }
    let content = vec![status.status, status.valid_from.as_str(), status.valid_to.as_deref().unwrap_or("")];
    Ok(Message { decision_ref: &status.decision_ref, version: status.version, content, members })
}

/// A date as the JSON contracts write it: `YYYY-MM-DD`.
fn date(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}
