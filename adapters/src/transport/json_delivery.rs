//! A status delivery to a REST/JSON partner behind the state API gateway, as every such
//! partner takes one: the JSON message is posted once with an `Idempotency-Key` header through
//! the bearer-token send (a refused token is renewed once), the answer is a receipt that
//! echoes the key, and an unsuccessful answer refuses the delivery unless it is the
//! credentials' or the endpoint's. Each partner names the parts in its own words, which
//! [`JsonDelivery`] holds; its message and receipt types stay the adapter's.

use gateway_domain::{IdempotencyKey, Receipt, RequestContext, SinkError, SourceError, System};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::delivery::ReceiptWords;
use super::{BearerJson, HttpCall};

const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The longest refusal code kept; a longer one is no code of the contract's.
const MAX_CODE_LEN: usize = 64;

/// Where a partner's refusals carry their code.
#[derive(Debug, Clone, Copy)]
pub enum RefusalCodes {
    /// An RFC 9457 problem whose `type` is `prefix` followed by the code.
    Problem { prefix: &'static str },
    /// An `{"error": {"code": ...}}` object.
    ErrorObject,
}

/// One REST partner's delivery resource and the words its receipts use.
#[derive(Debug, Clone, Copy)]
pub struct JsonDelivery {
    pub partner: System,
    /// The partner's name in error details.
    pub name: &'static str,
    /// The path deliveries are posted to.
    pub path: &'static str,
    pub receipt: ReceiptWords,
    pub refusals: RefusalCodes,
}

/// `{"type": ...}`: the part of a problem that names its code.
#[derive(Deserialize)]
struct Problem {
    #[serde(rename = "type")]
    problem_type: String,
}

/// `{"error": {"code": ...}}`.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorCode,
}

#[derive(Deserialize)]
struct ErrorCode {
    code: String,
}

fn malformed(detail: &str) -> SinkError {
    SinkError::Transient(SourceError::Malformed { detail: detail.to_owned() })
}

impl JsonDelivery {
    /// Posts `message` once with `key`: the receipt of a successful answer read as `B`, or the
    /// answer's meaning for the delivery. The transport maps 5xx and 429 itself.
    pub async fn send<B: DeserializeOwned, M: Serialize + Sync>(
        &self,
        api: &BearerJson,
        key: &IdempotencyKey,
        message: &M,
        ctx: &RequestContext,
    ) -> Result<B, SinkError> {
        let call = HttpCall::write(Method::POST, api.url(self.path), ctx)
            .header(IDEMPOTENCY_KEY_HEADER, key.as_str())?
            .json(message)?;
        let reply = api.send(call, ctx).await.map_err(SinkError::Transient)?;
        if !reply.status.is_success() {
            return Err(self.refusal(reply.status, &reply.body));
        }
        serde_json::from_str(&reply.body).map_err(|_| malformed("the receipt is not the expected JSON"))
    }

    /// A receipt from its echoed key, outcome and reference, in the partner's words.
    pub fn receipt(&self, key: &IdempotencyKey, fields: [&str; 3]) -> Result<Receipt, SinkError> {
        self.receipt.read(self.partner, key, fields)
    }

    /// An unsuccessful answer the transport left to the adapter.
    fn refusal(&self, status: StatusCode, body: &str) -> SinkError {
        match status {
            // Credentials and endpoints are the operator's to fix; the message itself is fine
            // and must go out once they are, so these are not refusals of it.
            StatusCode::UNAUTHORIZED
            | StatusCode::FORBIDDEN
            | StatusCode::NOT_FOUND
            | StatusCode::METHOD_NOT_ALLOWED => SinkError::Transient(SourceError::Unavailable {
                detail: format!("{} refused the call with HTTP status {}", self.name, status.as_u16()),
                retry_after: None,
            }),
            _ => {
                let code = self
                    .code(body)
                    .filter(|code| {
                        !code.is_empty() && code.len() <= MAX_CODE_LEN && code.bytes().all(|b| b.is_ascii_graphic())
                    })
                    .unwrap_or_else(|| format!("http-{}", status.as_u16()));
                SinkError::Rejected { code }
            }
        }
    }

    /// The code a refusal's body carries, if it is the partner's refusal.
    fn code(&self, body: &str) -> Option<String> {
        match self.refusals {
            RefusalCodes::Problem { prefix } => serde_json::from_str::<Problem>(body)
                .ok()
                .and_then(|problem| problem.problem_type.strip_prefix(prefix).map(str::to_owned)),
            RefusalCodes::ErrorObject => serde_json::from_str::<ErrorBody>(body).ok().map(|body| body.error.code),
        }
    }
}
