//! SOAP 1.1 over HTTP: the envelope with a WS-Security UsernameToken and a request header that
//! says who asks and why, and the parsing of answers and faults. Bodies are the adapter's own
//! serde types; this module only wraps and unwraps them.

use gateway_domain::{RequestContext, SourceError};
use quick_xml::SeError;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{HttpCall, HttpTransport, status_error};

const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const WSSE_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

/// A SOAP fault as the service sent it. `code` is the service's own fault code from the detail
/// (such as `PERSON_NOT_FOUND`) when it gave one, else the SOAP `faultcode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapFault {
    pub fault_code: String,
    pub code: String,
}

/// Who the gateway is to a SOAP service: the institution in the request header and the
/// WS-Security service account.
#[derive(Debug, Clone)]
pub struct SoapAccount {
    pub institution: String,
    pub username: String,
    pub password: SecretString,
}

impl SoapAccount {
    /// The account from a system's settings.
    pub fn new(institution: &str, username: &str, password: &SecretString) -> Self {
        Self { institution: institution.to_owned(), username: username.to_owned(), password: password.clone() }
    }
}

#[derive(Serialize)]
#[serde(rename = "wsse:Security")]
struct SecurityOut<'a> {
    #[serde(rename = "@xmlns:wsse")]
    ns: &'static str,
    #[serde(rename = "wsse:UsernameToken")]
    token: UsernameTokenOut<'a>,
}

#[derive(Serialize)]
struct UsernameTokenOut<'a> {
    #[serde(rename = "wsse:Username")]
    username: &'a str,
    #[serde(rename = "wsse:Password")]
    password: &'a str,
}

#[derive(Serialize)]
#[serde(rename = "RequestHeader", rename_all = "PascalCase")]
struct RequestHeaderOut<'a> {
    #[serde(rename = "@xmlns")]
    ns: &'a str,
    institution: &'a str,
    officer: &'a str,
    purpose: &'a str,
    legal_basis: &'a str,
    request_id: String,
}

/// Writes a request envelope. The body type names its own element and declares its namespace
/// (an `@xmlns` field), so that it needs no prefix.
pub fn write_envelope<B: Serialize>(
    service_ns: &str,
    institution: &str,
    username: &str,
    password: &SecretString,
    ctx: &RequestContext,
    body: &B,
) -> Result<String, SeError> {
    assemble_envelope(service_ns, institution, username, password, ctx, String::new(), body)
}

/// Writes a request envelope like [`write_envelope`], with one more header block after the
/// request header, such as the idempotency key of a delivery. The block names its own element
/// and declares its namespace, as the body does.
pub fn write_envelope_with_header<H: Serialize, B: Serialize>(
    service_ns: &str,
    institution: &str,
    username: &str,
    password: &SecretString,
    ctx: &RequestContext,
    extra_header: &H,
    body: &B,
) -> Result<String, SeError> {
    let extra = quick_xml::se::to_string(extra_header)?;
    assemble_envelope(service_ns, institution, username, password, ctx, extra, body)
}

fn assemble_envelope<B: Serialize>(
    service_ns: &str,
    institution: &str,
    username: &str,
    password: &SecretString,
    ctx: &RequestContext,
    extra_header: String,
    body: &B,
) -> Result<String, SeError> {
    let security =
        SecurityOut { ns: WSSE_NS, token: UsernameTokenOut { username, password: password.expose_secret() } };
    let request = RequestHeaderOut {
        ns: service_ns,
        institution,
        officer: &ctx.officer,
        purpose: ctx.purpose.code(),
        legal_basis: &ctx.legal_basis,
        request_id: ctx.request_id.to_string(),
    };
    // Each part is serialised (and escaped) by quick-xml; serde cannot name a generic body's
    // element from a field, so the envelope around them is written here.
    let security = quick_xml::se::to_string(&security)?;
    let request = quick_xml::se::to_string(&request)?;
    let body = quick_xml::se::to_string(body)?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"{SOAP_ENV_NS}\">\
         <soap:Header>{security}{request}{extra_header}</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
    ))
}

// quick-xml's deserializer matches local names, so the prefixes a service chooses do not matter.
#[derive(Deserialize)]
struct EnvelopeIn<B> {
    #[serde(rename = "Body")]
    body: B,
}

#[derive(Deserialize)]
struct FaultBodyIn {
    #[serde(rename = "Fault")]
    fault: Option<FaultIn>,
}

#[derive(Deserialize)]
struct FaultIn {
    faultcode: String,
    #[serde(default)]
    detail: Option<FaultDetailIn>,
}

#[derive(Deserialize)]
struct FaultDetailIn {
    #[serde(rename = "ServiceFault")]
    service_fault: Option<ServiceFaultIn>,
}

#[derive(Deserialize)]
struct ServiceFaultIn {
    #[serde(rename = "Code")]
    code: String,
}

/// Parses a response envelope: `Ok(Ok(body))` for an answer, `Ok(Err(fault))` for a fault,
/// `Err` when the document is not a SOAP envelope with the expected body.
pub fn parse_envelope<B: DeserializeOwned>(xml: &str) -> Result<Result<B, SoapFault>, SourceError> {
    let malformed = |what: &str| SourceError::Malformed { detail: format!("{what} is not the expected SOAP envelope") };
    let faults: EnvelopeIn<FaultBodyIn> = quick_xml::de::from_str(xml).map_err(|_| malformed("the answer"))?;
    if let Some(fault) = faults.body.fault {
        let code = fault
            .detail
            .and_then(|d| d.service_fault)
            .map(|f| f.code.trim().to_owned())
            .unwrap_or_else(|| fault.faultcode.clone());
        return Ok(Err(SoapFault { fault_code: fault.faultcode.trim().to_owned(), code }));
    }
    let envelope: EnvelopeIn<B> = quick_xml::de::from_str(xml).map_err(|_| malformed("the answer's body"))?;
    Ok(Ok(envelope.body))
}

/// Calls one SOAP operation: posts the envelope, then reads an answer or a client fault.
/// Server faults and HTTP failures are errors by the time the reply arrives.
pub async fn soap_call<B: DeserializeOwned>(
    http: &HttpTransport,
    url: &str,
    action: &str,
    envelope: String,
    ctx: &RequestContext,
) -> Result<Result<B, SoapFault>, SourceError> {
    soap_exchange(http, HttpCall::read(Method::POST, url, ctx), action, envelope).await
}

/// Calls one SOAP operation that changes something at the service, such as a delivery: like
/// [`soap_call`], but the transport never repeats it (the caller's outbox does, with the same
/// idempotency key).
pub async fn soap_write<B: DeserializeOwned>(
    http: &HttpTransport,
    url: &str,
    action: &str,
    envelope: String,
    ctx: &RequestContext,
) -> Result<Result<B, SoapFault>, SourceError> {
    soap_exchange(http, HttpCall::write(Method::POST, url, ctx), action, envelope).await
}

async fn soap_exchange<B: DeserializeOwned>(
    http: &HttpTransport,
    call: HttpCall,
    action: &str,
    envelope: String,
) -> Result<Result<B, SoapFault>, SourceError> {
    let call = call.header("soapaction", &format!("\"{action}\""))?.body("text/xml; charset=utf-8", envelope);
    let reply = http.execute(call).await?;
    // SOAP 1.1 sends faults with status 500; anything else unsuccessful is the HTTP layer's.
    if reply.status.is_success() || reply.status == StatusCode::INTERNAL_SERVER_ERROR {
        match parse_envelope::<B>(&reply.body) {
            Ok(parsed) => return Ok(parsed),
            Err(error) if reply.status.is_success() => return Err(error),
            Err(_) => {}
        }
    }
    Err(status_error(reply.status, &reply.headers))
}
