//! The suite every partner simulator passes (BARIS, BRIDZIS, NINO, SPOLIS monitoring): a
//! delivery accepted once and acknowledged as a duplicate after, the refusals of a caller it
//! does not let in, of messages off its contract, of persons the population does not know and
//! of a key reused for another message, every answer against the partner's schemas, the
//! ledger's counters after each case, and the paths and methods it does not serve. Each case
//! runs against fresh simulators, and every mismatch is collected before the suite fails.
//!
//! A partner joins by implementing [`PartnerFixture`]; a SOAP partner by describing its
//! contract as a [`SoapContract`], which [`SoapPartner`] turns into a fixture.

use std::collections::HashMap;
use std::fmt::Debug;
use std::marker::PhantomData;

use gateway_domain::System;

use crate::Simulators;
use crate::test_support::{EXAMPLE_REQUEST_ID, schema_path, test_population, text, unknown_code, xsd_check};

/// The decision version every example delivery carries.
const EXAMPLE_DECISION: (&str, u32) = ("TUK-2026-000123", 2);

/// A partner's answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// What the suite reads from an answer, each part in the partner's own words.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub(crate) outcome: Option<String>,
    /// The idempotency key the receipt repeats.
    pub(crate) key: Option<String>,
    pub(crate) receipt_id: Option<String>,
    pub(crate) received_at: Option<String>,
    /// The refusal's code.
    pub(crate) code: Option<String>,
    /// Where the member a refusal is about sits, as the partner writes it.
    pub(crate) member_position: Option<String>,
    /// The request id a refusal repeats.
    pub(crate) request_id: Option<String>,
}

/// The refusals every partner makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Unauthorised,
    Invalid,
    InvalidPeriod,
    UnknownPerson,
    KeyReused,
}

/// One partner simulator as the suite drives it.
pub(crate) trait PartnerFixture: Sized {
    /// A delivery request: the message and whatever the partner reads beside it.
    type Message: Clone;

    const SYSTEM: System;
    /// The path deliveries are posted to, and one beside it that is not served.
    const DELIVERY_PATH: &'static str;
    const OTHER_PATH: &'static str;
    /// The status and outcome of an accepted delivery, and of a duplicate acknowledgement.
    const ACCEPTED: (u16, &'static str);
    const DUPLICATE: (u16, &'static str);
    /// Whether refusals repeat the request id the message carried.
    const REPEATS_REQUEST_ID: bool;

    /// A client of the partner among `simulators`.
    async fn start(simulators: &Simulators) -> Self;
    /// The schema example's delivery naming these two persons, applicant first, with `key`.
    fn message(&self, key: &str, applicant: &str, member: &str) -> Self::Message;
    /// The same delivery with another status: another message under the same key.
    fn ended(&self, message: &Self::Message) -> Self::Message;
    /// The same delivery ending before it starts.
    fn backwards(&self, message: &Self::Message) -> Self::Message;
    /// The delivery from each kind of caller the partner does not let in.
    fn unauthorised(&self, message: &Self::Message) -> Vec<Self::Message>;
    /// Deliveries that break the contract, each refused as an invalid request.
    fn invalid(&self, message: &Self::Message) -> Vec<Self::Message>;
    /// Refusals only this partner makes: the delivery, and the status and code it gets.
    fn other_refusals(&self, _message: &Self::Message) -> Vec<(Self::Message, u16, &'static str)> {
        Vec::new()
    }
    /// The delivery written another way the contract allows, if it has one.
    fn other_spelling(&self, _message: &Self::Message) -> Option<Self::Message> {
        None
    }
    /// Checks a delivery against the partner's schemas.
    fn check_message(&self, message: &Self::Message) -> Result<(), String>;
    async fn send(&self, simulators: &Simulators, message: &Self::Message) -> Answer;
    /// Checks an answer against the partner's schemas.
    fn check_answer(&self, answer: &Answer) -> Result<(), String>;
    fn read(&self, answer: &Answer) -> Reading;
    /// The status and code of each refusal.
    fn refusal(&self, refusal: Refusal) -> (u16, &'static str);
    /// How a refusal names the member at `index` (0-based).
    fn member_position(&self, index: usize) -> String;
}

/// The mismatches found so far.
struct Mismatches(Vec<String>);

impl Mismatches {
    fn check(&mut self, case: &str, what: &str, holds: bool) {
        if !holds {
            self.0.push(format!("{case}: {what}"));
        }
    }

    fn equal<T: PartialEq + Debug>(&mut self, case: &str, what: &str, got: T, expected: T) {
        if got != expected {
            self.0.push(format!("{case}: {what}: expected {expected:?}, got {got:?}"));
        }
    }

    fn valid(&mut self, case: &str, what: &str, checked: Result<(), String>) {
        if let Err(complaint) = checked {
            self.0.push(format!("{case}: {what} {complaint}"));
        }
    }

    /// A refusal's status, code and contract, and the request id it repeats.
    fn refused<F: PartnerFixture>(&mut self, fixture: &F, case: &str, answer: &Answer, status: u16, code: &str) {
        let reading = fixture.read(answer);
        self.equal(case, "status and code", (answer.status, reading.code.as_deref()), (status, Some(code)));
        self.valid(case, "the refusal", fixture.check_answer(answer));
        if F::REPEATS_REQUEST_ID {
            self.equal(case, "the request id repeated", reading.request_id.as_deref(), Some(EXAMPLE_REQUEST_ID));
        }
    }
}

/// Keys with a count each, as the ledger reports them.
fn counted(keys: &[&str]) -> HashMap<String, u32> {
    keys.iter().map(|key| ((*key).to_owned(), 1)).collect()
}

/// Runs every case against fresh simulators and reports all mismatches at once.
pub(crate) async fn run<F: PartnerFixture>() {
    let mut found = Mismatches(Vec::new());
    accepted_once_then_duplicate::<F>(&mut found).await;
    unknown_members::<F>(&mut found).await;
    unauthorised_callers::<F>(&mut found).await;
    messages_off_the_contract::<F>(&mut found).await;
    reused_keys::<F>(&mut found).await;
    unserved_paths_and_methods::<F>(&mut found).await;
    assert!(found.0.is_empty(), "{}: {:#?}", F::SYSTEM, found.0);
}

/// Fresh simulators, a client of the partner, and two persons of one household.
async fn start<F: PartnerFixture>() -> (Simulators, F, String, String) {
    let simulators = Simulators::start_all(test_population()).await;
    let fixture = F::start(&simulators).await;
    let household =
        simulators.population().households().iter().find(|h| h.members.len() >= 2).expect("a household of two");
    let (applicant, member) = (household.members[0].as_str().to_owned(), household.members[1].as_str().to_owned());
    (simulators, fixture, applicant, member)
}

async fn accepted_once_then_duplicate<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "a delivery is accepted once and its repetition acknowledged as a duplicate";
    let (simulators, fixture, applicant, member) = start::<F>().await;
    let message = fixture.message("key-1", &applicant, &member);
    found.valid(case, "the delivery", fixture.check_message(&message));
    let first = fixture.send(&simulators, &message).await;
    let accepted = fixture.read(&first);
    found.equal(
        case,
        "first answer",
        (first.status, accepted.outcome.as_deref()),
        (F::ACCEPTED.0, Some(F::ACCEPTED.1)),
    );
    found.valid(case, "the receipt", fixture.check_answer(&first));
    found.equal(case, "the key the receipt repeats", accepted.key.as_deref(), Some("key-1"));
    let second = fixture.send(&simulators, &message).await;
    let duplicate = fixture.read(&second);
    found.equal(
        case,
        "second answer",
        (second.status, duplicate.outcome.as_deref()),
        (F::DUPLICATE.0, Some(F::DUPLICATE.1)),
    );
    found.valid(case, "the duplicate's receipt", fixture.check_answer(&second));
    found.check(case, "the duplicate repeats the receipt", accepted.receipt_id.is_some());
    found.equal(case, "the duplicate's receipt", &duplicate.receipt_id, &accepted.receipt_id);
    found.equal(case, "the duplicate's time of receipt", &duplicate.received_at, &accepted.received_at);

    let system = F::SYSTEM;
    found.equal(case, "accepted", simulators.accepted(system), counted(&["key-1"]));
    found.equal(case, "duplicates", simulators.duplicates(system), counted(&["key-1"]));
    let decision = (EXAMPLE_DECISION.0.to_owned(), EXAMPLE_DECISION.1);
    found.equal(case, "accepted decisions", simulators.accepted_decisions(system), HashMap::from([(decision, 1)]));
    found.equal(case, "rejected", simulators.rejected(system), HashMap::new());
}

async fn unknown_members<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "a person unknown to the population is a refusal naming the position, not the code";
    let (simulators, fixture, applicant, member) = start::<F>().await;
    let unknown = unknown_code(simulators.population());
    let (status, code) = fixture.refusal(Refusal::UnknownPerson);
    for (index, key) in [(0, "key-2-0"), (1, "key-2-1")] {
        let message = if index == 0 {
            fixture.message(key, unknown.as_str(), &member)
        } else {
            fixture.message(key, &applicant, unknown.as_str())
        };
        let answer = fixture.send(&simulators, &message).await;
        found.refused(&fixture, case, &answer, status, code);
        let position = fixture.read(&answer).member_position;
        found.equal(case, "the member's position", position, Some(fixture.member_position(index)));
        found.check(case, "the refusal names no personal code", !answer.body.contains(unknown.as_str()));
    }
    found.equal(case, "accepted", simulators.accepted(F::SYSTEM), HashMap::new());
    found.equal(case, "rejected", simulators.rejected(F::SYSTEM), counted(&["key-2-0", "key-2-1"]));
}

async fn unauthorised_callers<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "a caller the partner does not let in is refused";
    let (simulators, fixture, applicant, member) = start::<F>().await;
    let (status, code) = fixture.refusal(Refusal::Unauthorised);
    for message in fixture.unauthorised(&fixture.message("key-3", &applicant, &member)) {
        let answer = fixture.send(&simulators, &message).await;
        found.refused(&fixture, case, &answer, status, code);
    }
    found.equal(case, "accepted", simulators.accepted(F::SYSTEM), HashMap::new());
    // A refusal of the caller is not a refusal of the message.
    found.equal(case, "rejected", simulators.rejected(F::SYSTEM), HashMap::new());
}

async fn messages_off_the_contract<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "messages off the contract are refused and change nothing";
    let (simulators, fixture, applicant, member) = start::<F>().await;
    let message = fixture.message("key-4", &applicant, &member);
    let (status, code) = fixture.refusal(Refusal::Invalid);
    for (i, broken) in fixture.invalid(&message).iter().enumerate() {
        let answer = fixture.send(&simulators, broken).await;
        let reading = fixture.read(&answer);
        found.equal(
            case,
            &format!("invalid message {i}"),
            (answer.status, reading.code.as_deref()),
            (status, Some(code)),
        );
        found.valid(case, &format!("the refusal of invalid message {i}"), fixture.check_answer(&answer));
    }
    let (status, code) = fixture.refusal(Refusal::InvalidPeriod);
    let answer = fixture.send(&simulators, &fixture.backwards(&message)).await;
    found.refused(&fixture, "a period ending before it starts", &answer, status, code);
    for (i, (refused, status, code)) in fixture.other_refusals(&message).into_iter().enumerate() {
        let answer = fixture.send(&simulators, &refused).await;
        found.refused(&fixture, &format!("{case}: the partner's own refusal {i}"), &answer, status, code);
    }
    found.equal(case, "accepted", simulators.accepted(F::SYSTEM), HashMap::new());
}

async fn reused_keys<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "a key reused for another message is refused and changes nothing";
    let (simulators, fixture, applicant, member) = start::<F>().await;
    let (status, code) = fixture.refusal(Refusal::KeyReused);
    let message = fixture.message("key-5", &applicant, &member);
    let answer = fixture.send(&simulators, &message).await;
    found.equal(case, "the first delivery", answer.status, F::ACCEPTED.0);
    let answer = fixture.send(&simulators, &fixture.ended(&message)).await;
    found.refused(&fixture, case, &answer, status, code);
    found.equal(case, "accepted", simulators.accepted(F::SYSTEM), counted(&["key-5"]));
    found.equal(case, "duplicates", simulators.duplicates(F::SYSTEM), HashMap::new());

    let Some(respelled) = fixture.other_spelling(&fixture.message("key-6", &applicant, &member)) else { return };
    let case = "another spelling the contract allows is understood";
    let answer = fixture.send(&simulators, &respelled).await;
    let outcome = fixture.read(&answer).outcome;
    found.equal(case, "answer", (answer.status, outcome.as_deref()), (F::ACCEPTED.0, Some(F::ACCEPTED.1)));
    let answer = fixture.send(&simulators, &fixture.ended(&respelled)).await;
    found.refused(&fixture, case, &answer, status, code);
    found.equal(case, "accepted", simulators.accepted(F::SYSTEM), counted(&["key-5", "key-6"]));
}

async fn unserved_paths_and_methods<F: PartnerFixture>(found: &mut Mismatches) {
    let case = "other paths and methods are not served";
    let simulators = Simulators::start_all(test_population()).await;
    let client = reqwest::Client::new();
    let base = simulators.url(F::SYSTEM);
    let response = client.get(format!("{base}{}", F::DELIVERY_PATH)).send().await.expect("the simulator answers");
    let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).map(str::to_owned);
    found.equal(case, "another method", (response.status().as_u16(), allow.as_deref()), (405, Some("POST")));
    let response = client.post(format!("{base}{}", F::OTHER_PATH)).send().await.expect("the simulator answers");
    found.equal(case, "another path", response.status().as_u16(), 404);
}

/// A SOAP partner's delivery contract, as its tests see it.
pub(crate) trait SoapContract {
    const SYSTEM: System;
    /// The operation's path, one beside it that is not served, and the `SOAPAction` clients send.
    const SERVICE: &'static str;
    const OTHER_PATH: &'static str;
    const ACTION: &'static str;
    /// The XSD that pulls in the contract's schemas, under `schemas/`.
    const SCHEMA: &'static str;
    /// The example request under `schemas/`, and the idempotency key it carries.
    const EXAMPLE: &'static str;
    const EXAMPLE_KEY: &'static str;
    /// The service namespace, the prefix the simulator's answers bind to it, and the password
    /// of the example's service account.
    const NAMESPACE: &'static str;
    const PREFIX: &'static str;
    const PASSWORD: &'static str;
    /// The receipt's elements (local names): receipt number, outcome, time of receipt.
    const RECEIPT_ID: &'static str;
    const OUTCOME: &'static str;
    const RECEIVED_AT: &'static str;
    /// The outcome of a new delivery and of a repeated one.
    const ACCEPTED: &'static str;
    const DUPLICATE: &'static str;
    /// The decision version's element (local name), and how to make the first person not the applicant.
    const VERSION: &'static str;
    const NOT_APPLICANT: (&'static str, &'static str);

    /// Refusals only this partner makes: the request, and the code it gets.
    fn other_refusals(_request: &str) -> Vec<(String, &'static str)> {
        Vec::new()
    }
}

/// The personal codes in the SOAP partners' example requests.
const EXAMPLE_CODES: [&str; 2] = ["12128211210", "32579318462"];

/// A SOAP delivery: the envelope, and the key it carries.
#[derive(Clone)]
pub(crate) struct SoapMessage {
    body: String,
    key: String,
}

impl SoapMessage {
    fn replace(&self, from: &str, to: &str) -> Self {
        Self { body: self.body.replace(from, to), key: self.key.clone() }
    }
}

/// The fixture of a SOAP partner, from its contract.
pub(crate) struct SoapPartner<C> {
    client: reqwest::Client,
    contract: PhantomData<C>,
}

impl<C: SoapContract> SoapPartner<C> {
    /// `<prefix:name>` in the simulator's prefix.
    fn element(name: &str) -> String {
        format!("{}:{name}", C::PREFIX)
    }

    fn leaf(name: &str, text: &str) -> String {
        let element = Self::element(name);
        format!("<{element}>{text}</{element}>")
    }
}

impl<C: SoapContract> PartnerFixture for SoapPartner<C> {
    type Message = SoapMessage;

    const SYSTEM: System = C::SYSTEM;
    const DELIVERY_PATH: &'static str = C::SERVICE;
    const OTHER_PATH: &'static str = C::OTHER_PATH;
    const ACCEPTED: (u16, &'static str) = (200, C::ACCEPTED);
    const DUPLICATE: (u16, &'static str) = (200, C::DUPLICATE);
    const REPEATS_REQUEST_ID: bool = true;

    async fn start(_simulators: &Simulators) -> Self {
        Self { client: reqwest::Client::new(), contract: PhantomData }
    }

    fn message(&self, key: &str, applicant: &str, member: &str) -> SoapMessage {
        let example = std::fs::read_to_string(schema_path(C::EXAMPLE)).expect("the example is readable");
        let body =
            example.replace(EXAMPLE_CODES[0], applicant).replace(EXAMPLE_CODES[1], member).replace(C::EXAMPLE_KEY, key);
        SoapMessage { body, key: key.to_owned() }
    }

    fn ended(&self, message: &SoapMessage) -> SoapMessage {
        message.replace(">NEEDY<", ">ENDED<")
    }

    fn backwards(&self, message: &SoapMessage) -> SoapMessage {
        message.replace("2027-04-30", "2026-10-31")
    }

    fn unauthorised(&self, message: &SoapMessage) -> Vec<SoapMessage> {
        vec![message.replace(C::PASSWORD, "guess")]
    }

    fn invalid(&self, message: &SoapMessage) -> Vec<SoapMessage> {
        let status = format!("<{}>", Self::element("Status"));
        let version = Self::element(C::VERSION);
        let v2 = C::NAMESPACE.replace(":v1", ":v2");
        vec![
            SoapMessage { body: "<not-closed".to_owned(), key: message.key.clone() },
            SoapMessage { body: "<Envelope/>".to_owned(), key: message.key.clone() },
            message.replace(">NEEDY<", ">POOR<"),
            message.replace(&format!(">{}<", EXAMPLE_DECISION.0), ">TUK 2026<"),
            message.replace(&format!("<{version}>2<"), &format!("<{version}>0<")),
            message.replace("2026-11-01", "1 November"),
            message.replace(&Self::leaf("IdempotencyKey", &message.key), ""),
            message.replace(&Self::leaf("RequestId", EXAMPLE_REQUEST_ID), ""),
            message.replace(C::NOT_APPLICANT.0, C::NOT_APPLICANT.1),
            message.replace(&status, &format!("{}{status}", Self::leaf("Colour", "red"))),
            message.replace(C::NAMESPACE, &v2),
        ]
    }

    fn other_refusals(&self, message: &SoapMessage) -> Vec<(SoapMessage, u16, &'static str)> {
        C::other_refusals(&message.body)
            .into_iter()
            .map(|(body, code)| (SoapMessage { body, key: message.key.clone() }, 500, code))
            .collect()
    }

    fn other_spelling(&self, message: &SoapMessage) -> Option<SoapMessage> {
        let short = &C::PREFIX[..1];
        Some(
            message
                .replace(&format!("{}:", C::PREFIX), &format!("{short}:"))
                .replace(&format!("xmlns:{}", C::PREFIX), &format!("xmlns:{short}"))
                .replace("soap:", "s:")
                .replace("xmlns:soap", "xmlns:s"),
        )
    }

    fn check_message(&self, message: &SoapMessage) -> Result<(), String> {
        xsd_check(C::SCHEMA, message.body.as_bytes())
    }

    async fn send(&self, simulators: &Simulators, message: &SoapMessage) -> Answer {
        let response = self
            .client
            .post(format!("{}{}", simulators.url(C::SYSTEM), C::SERVICE))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", C::ACTION)
            .body(message.body.clone())
            .send()
            .await
            .expect("the simulator answers");
        Answer { status: response.status().as_u16(), body: response.text().await.expect("a body") }
    }

    fn check_answer(&self, answer: &Answer) -> Result<(), String> {
        xsd_check(C::SCHEMA, answer.body.as_bytes())?;
        match (answer.status, text(&answer.body, "faultcode")) {
            (500, Some("soap:Client")) | (200, None) => Ok(()),
            (status, faultcode) => Err(format!("HTTP {status} with faultcode {faultcode:?}")),
        }
    }

    fn read(&self, answer: &Answer) -> Reading {
        let read = |name: &str| text(&answer.body, &Self::element(name)).map(str::to_owned);
        Reading {
            outcome: read(C::OUTCOME),
            key: read("IdempotencyKey"),
            receipt_id: read(C::RECEIPT_ID),
            received_at: read(C::RECEIVED_AT),
            code: read("Code"),
            member_position: read("MemberPosition"),
            request_id: read("RequestId"),
        }
    }

    fn refusal(&self, refusal: Refusal) -> (u16, &'static str) {
        let code = match refusal {
            Refusal::Unauthorised => "NOT_AUTHORISED",
            Refusal::Invalid => "INVALID_REQUEST",
            Refusal::InvalidPeriod => "INVALID_PERIOD",
            Refusal::UnknownPerson => "UNKNOWN_PERSON",
            Refusal::KeyReused => "KEY_REUSED",
        };
        (500, code)
    }

    fn member_position(&self, index: usize) -> String {
        (index + 1).to_string()
    }
}
