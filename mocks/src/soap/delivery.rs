//! The one delivery flow of the SOAP 1.1 partner simulators (BARIS, SPOLIS monitoring), each
//! speaking it in its own words ([`SoapDeliveryContract`]).
//!
//! A delivery passes the checks of every SOAP service, carries an `IdempotencyKey` header
//! block, and is read by the partner's own reading of its body into a [`Message`], which the
//! partner's [`Ledger`] takes: a new key is recorded, a key seen before with the same message
//! is acknowledged as a duplicate and changes nothing.

use std::sync::Arc;

use wiremock::{Request, ResponseTemplate};

use super::{Fault, ServiceAccount, SoapRequest, SoapService, leaf};
use crate::deliveries::{Ledger, Message, Refused, valid_key};
use crate::population::Population;

/// How a partner words its receipts: the outcome of a new and of a repeated delivery, and why
/// a key that came with another message is refused.
pub(crate) struct ReceiptWords {
    pub(crate) accepted: &'static str,
    pub(crate) duplicate: &'static str,
    pub(crate) key_reused: &'static str,
}

/// The elements of a partner's receipt, with the prefix its answers bind: the response and
/// its receipt number, idempotency key, outcome and time of receipt.
pub(crate) struct ReceiptElements {
    pub(crate) response: &'static str,
    pub(crate) receipt_id: &'static str,
    pub(crate) key: &'static str,
    pub(crate) outcome: &'static str,
    pub(crate) received_at: &'static str,
}

/// One SOAP partner's delivery contract.
pub(crate) struct SoapDeliveryContract {
    pub(crate) service: SoapService,
    /// What receipt numbers start with.
    pub(crate) receipt_prefix: &'static str,
    pub(crate) words: ReceiptWords,
    pub(crate) receipt: ReceiptElements,
    /// Why a message naming a person the population does not know is refused.
    pub(crate) unknown_member: &'static str,
}

/// A SOAP partner's delivery operation over the partner's ledger.
pub(crate) struct SoapDelivery {
    contract: &'static SoapDeliveryContract,
    population: Arc<Population>,
    account: ServiceAccount,
    ledger: Ledger,
}

impl SoapDelivery {
    pub(crate) fn new(
        contract: &'static SoapDeliveryContract,
        population: Arc<Population>,
        account: ServiceAccount,
    ) -> Self {
        Self { contract, population, account, ledger: Ledger::default() }
    }

    /// The deliveries the partner received and their counters.
    pub(crate) fn ledger(&self) -> Ledger {
        self.ledger.clone()
    }

    /// Answers one request, reading its body with `read`.
    pub(crate) fn respond(
        &self,
        request: &Request,
        read: impl FnOnce(&SoapRequest) -> Result<Message<'_>, Fault>,
    ) -> ResponseTemplate {
        self.contract.service.route(request, |parsed| self.deliver(request, parsed, read))
    }

    fn deliver(
        &self,
        http: &Request,
        request: &SoapRequest,
        read: impl FnOnce(&SoapRequest) -> Result<Message<'_>, Fault>,
    ) -> Result<Vec<u8>, Fault> {
        let contract = self.contract;
        contract.service.admit(http, request, &self.account)?;
        let key = request
            .idempotency_key
            .as_deref()
            .filter(|key| valid_key(key))
            .ok_or(Fault::invalid("An IdempotencyKey header of 1 to 128 visible characters is required"))?;
        let words = &contract.words;
        let received =
            self.ledger.receive(&self.population, key, read(request), contract.receipt_prefix).map_err(|refused| {
                match refused {
                    Refused::Invalid(fault) => fault,
                    Refused::UnknownMember(index) => Fault {
                        member_position: Some(index + 1),
                        ..Fault::new("UNKNOWN_PERSON", contract.unknown_member)
                    },
                    Refused::KeyReused => Fault::new("KEY_REUSED", words.key_reused),
                }
            })?;
        let outcome = if received.duplicate { words.duplicate } else { words.accepted };
        let names = &contract.receipt;
        Ok(contract.service.answer(|w| {
            w.create_element(names.response).write_inner_content(|w| {
                leaf(w, names.receipt_id, &received.accepted.receipt_id)?;
                leaf(w, names.key, key)?;
                leaf(w, names.outcome, outcome)?;
                leaf(w, names.received_at, &received.accepted.received_at)
            })?;
            Ok(())
        }))
    }
}

/// What every SOAP status delivery carries, read and checked the same way for each partner.
pub(crate) struct StatusFields<'r> {
    pub reference: &'r str,
    pub version: u32,
    pub status: &'r str,
    pub valid_from: &'r str,
    pub from: time::Date,
    pub valid_to: Option<&'r str>,
}

impl<'r> StatusFields<'r> {
    /// Reads the reference and version (under the partner's element names), the status and
    /// the validity; [`StatusFields::check_period`] checks their order.
    pub(crate) fn read(
        request: &'r SoapRequest,
        reference: &'static str,
        version: &'static str,
        invalid_reference: &'static str,
    ) -> Result<Self, Fault> {
        let required = |name: &'static str| {
            request.one(name).ok_or_else(|| Fault::invalid("A required element is missing or repeated"))
        };
        let reference = required(reference)?;
        let reference_ok = gateway_domain::is_decision_ref(reference);
        let version = required(version)?.parse::<u32>().ok().filter(|v| *v > 0);
        let (true, Some(version)) = (reference_ok, version) else {
            return Err(Fault::invalid(invalid_reference));
        };
        let status = required("Status")?;
        if !["NEEDY", "LOW_INCOME", "ENDED"].contains(&status) {
            return Err(Fault::invalid("Status is not NEEDY, LOW_INCOME or ENDED"));
        }
        let valid_from = required("ValidFrom")?;
        let from = super::date(valid_from).ok_or_else(|| Fault::invalid("ValidFrom is not a date"))?;
        let valid_to = match request.all("ValidTo").as_slice() {
            [] => None,
            [to] => Some(*to),
            _ => return Err(Fault::invalid("ValidTo is repeated")),
        };
        Ok(Self { reference, version, status, valid_from, from, valid_to })
    }

    /// A `ValidTo` that is a date and not before `ValidFrom`.
    pub(crate) fn check_period(&self) -> Result<(), Fault> {
        if let Some(to) = self.valid_to {
            let to = super::date(to).ok_or_else(|| Fault::invalid("ValidTo is not a date"))?;
            if to < self.from {
                return Err(Fault::new("INVALID_PERIOD", "ValidTo is before ValidFrom"));
            }
        }
        Ok(())
    }
}
