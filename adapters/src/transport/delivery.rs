//! A status delivery to a SOAP partner, as every such partner takes one: the idempotency key
//! rides in its own header block, the write goes out once, the answer is a receipt that echoes
//! the key, and a client fault refuses the delivery unless the fault is the service account's
//! or the service's. Each partner names the parts in its own words, which [`SoapDelivery`]
//! holds; its request and receipt types stay the adapter's.

use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, SourceError, System};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{HttpTransport, SoapAccount, SoapFault, soap_write, write_envelope_with_header};

/// One partner's delivery operation and the words its receipts use.
#[derive(Debug, Clone, Copy)]
pub struct SoapDelivery {
    pub partner: System,
    /// The partner's name in error details.
    pub name: &'static str,
    /// The service namespace, declared by the request header and the key block.
    pub namespace: &'static str,
    /// The `SOAPAction` of the operation.
    pub action: &'static str,
    /// What one delivery is called in the partner's terms, such as "delivery" or "record".
    pub subject: &'static str,
    /// The receipt's outcome field, and its values for a first and a repeated delivery.
    pub outcome_field: &'static str,
    pub accepted: &'static str,
    pub duplicate: &'static str,
    /// The receipt's field that carries the partner's reference.
    pub reference_field: &'static str,
}

/// The words a partner's receipts use, whatever the protocol: what one delivery is called,
/// the outcome field and its values for a first and a repeated delivery, and the field that
/// carries the partner's reference.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptWords {
    pub subject: &'static str,
    pub outcome_field: &'static str,
    pub accepted: &'static str,
    pub duplicate: &'static str,
    pub reference_field: &'static str,
}

impl ReceiptWords {
    /// A receipt from its echoed key, outcome and reference, in that order: it must be about
    /// this delivery, say whether `partner` had it already, and carry a reference. Each field
    /// is trimmed (XML text may come padded).
    pub fn read(&self, partner: System, key: &IdempotencyKey, fields: [&str; 3]) -> Result<Receipt, SinkError> {
        let [echoed_key, outcome, reference] = fields.map(str::trim);
        if echoed_key != key.as_str() {
            return Err(malformed(format!("the receipt is about another {}", self.subject)));
        }
        let duplicate = match outcome {
            value if value == self.accepted => false,
            value if value == self.duplicate => true,
            _ => return Err(malformed(format!("the receipt's {} is unknown", self.outcome_field))),
        };
        if reference.is_empty() {
            return Err(malformed(format!("the receipt carries no {}", self.reference_field)));
        }
        Ok(Receipt { partner, partner_ref: reference.to_owned(), duplicate })
    }
}

/// The `IdempotencyKey` header block, in the service's namespace.
#[derive(Serialize)]
#[serde(rename = "IdempotencyKey")]
struct IdempotencyKeyHeader<'a> {
    #[serde(rename = "@xmlns")]
    ns: &'static str,
    #[serde(rename = "$text")]
    key: &'a str,
}

fn malformed(detail: String) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail })
}

impl SoapDelivery {
    /// Posts `request` to `url` once, with `key` in the header: the answer's body, or the
    /// fault's meaning for the delivery.
    pub async fn send<B: DeserializeOwned, R: Serialize>(
        &self,
        http: &HttpTransport,
        url: &str,
        account: &SoapAccount,
        key: &IdempotencyKey,
        request: &R,
        ctx: &RequestContext,
    ) -> Result<B, SinkError> {
        let header = IdempotencyKeyHeader { ns: self.namespace, key: key.as_str() };
        let envelope = write_envelope_with_header(
            self.namespace,
            &account.institution,
            &account.username,
            &account.password,
            ctx,
            &header,
            request,
        )
        .map_err(|_| SinkError::Rejected { code: "request-serialisation".into() })?;
        match soap_write::<B>(http, url, self.action, envelope, ctx).await.map_err(SinkError::Transient)? {
            Ok(body) => Ok(body),
            Err(fault) => Err(self.fault(fault)),
        }
    }

    /// Reads a receipt's fields: it must be about this delivery, say whether the partner had
    /// it already, and carry the partner's reference. XML text may come padded, so each is
    /// trimmed.
    pub fn receipt(
        &self,
        key: &IdempotencyKey,
        echoed_key: &str,
        outcome: &str,
        reference: &str,
    ) -> Result<Receipt, SinkError> {
        let words = ReceiptWords {
            subject: self.subject,
            outcome_field: self.outcome_field,
            accepted: self.accepted,
            duplicate: self.duplicate,
            reference_field: self.reference_field,
        };
        words.read(self.partner, key, [echoed_key, outcome, reference])
    }

    /// A client fault's meaning for the delivery.
    fn fault(&self, fault: SoapFault) -> SinkError {
        match fault.code.as_str() {
            // The service account is the operator's to fix; the message itself is fine and
            // must go out once it is, so this is not a refusal of it.
            "NOT_AUTHORISED" => SinkError::Transient(SourceError::Unavailable {
                detail: format!("{} did not accept the service account", self.name),
                retry_after: None,
            }),
            "SERVICE_UNAVAILABLE" => SinkError::Transient(SourceError::Unavailable {
                detail: format!("{} reported SERVICE_UNAVAILABLE", self.name),
                retry_after: None,
            }),
            _ => SinkError::Rejected { code: fault.code },
        }
    }
}
