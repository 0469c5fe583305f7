//! What the SOAP 1.1 simulators share besides VSAA's own reader: reading a request envelope
//! (matched by local names, so that any prefixes work), checking its WS-Security
//! UsernameToken, `RequestHeader` and `SOAPAction`, and writing answers and faults.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use quick_xml::escape::escape;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wiremock::{Request, ResponseTemplate};

use crate::credentials::SimulatorCredentials;

const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const TEXT_XML: &str = "text/xml; charset=utf-8";

#[derive(Deserialize)]
struct Envelope<B> {
    #[serde(rename = "Header")]
    header: Option<Header>,
    #[serde(rename = "Body")]
    body: B,
}

#[derive(Deserialize)]
struct Header {
    #[serde(rename = "Security")]
    security: Option<Security>,
    #[serde(rename = "RequestHeader")]
    request: Option<RequestHeader>,
}

#[derive(Deserialize)]
struct Security {
    #[serde(rename = "UsernameToken")]
    token: UsernameToken,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UsernameToken {
    username: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RequestHeader {
    institution: String,
    officer: String,
    purpose: String,
    legal_basis: String,
    request_id: String,
}

/// One SOAP service: its namespace (bound to `prefix` in answers), action and credentials.
pub(crate) struct SoapService {
    pub(crate) namespace: &'static str,
    pub(crate) prefix: &'static str,
    pub(crate) action: &'static str,
    username: String,
    password: String,
}

impl SoapService {
    pub(crate) fn new(
        namespace: &'static str,
        prefix: &'static str,
        action: &'static str,
        credentials: &SimulatorCredentials,
    ) -> Self {
        Self {
            namespace,
            prefix,
            action,
            username: credentials.vsaa_username.clone(),
            password: credentials.vsaa_password.clone(),
        }
    }

    /// Reads and checks a request; a refusal is a ready fault answer.
    pub(crate) fn read<B: DeserializeOwned>(&self, request: &Request) -> Result<B, ResponseTemplate> {
        if request.method.as_str() != "POST" {
            return Err(ResponseTemplate::new(405).insert_header("allow", "POST"));
        }
        let invalid = |reason| self.fault("INVALID_REQUEST", reason);
        let text = std::str::from_utf8(&request.body).map_err(|_| invalid("The request is not UTF-8 XML"))?;
        let envelope: Envelope<B> =
            quick_xml::de::from_str(text).map_err(|_| invalid("The request is not the expected SOAP envelope"))?;
        let header = envelope.header.ok_or_else(|| invalid("A SOAP header is required"))?;
        let authorised =
            header.security.is_some_and(|s| s.token.username == self.username && s.token.password == self.password);
        if !authorised {
            return Err(self.fault("NOT_AUTHORISED", "The service account is not authorised"));
        }
        let complete = header.request.is_some_and(|h| {
            [&h.institution, &h.officer, &h.purpose, &h.legal_basis, &h.request_id].iter().all(|v| !v.trim().is_empty())
        });
        if !complete {
            return Err(invalid(
                "RequestHeader with Institution, Officer, Purpose, LegalBasis and RequestId is required",
            ));
        }
        let action = crate::rest::header(request, "soapaction").map(|v| v.trim().trim_matches('"'));
        if action != Some(self.action) {
            return Err(invalid("SOAPAction does not name this operation"));
        }
        Ok(envelope.body)
    }

    /// A 200 answer whose body holds `inner` (already escaped XML in this service's prefix).
    pub(crate) fn answer(&self, inner: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(self.envelope(inner), TEXT_XML)
    }

    /// A client fault (HTTP 500) with a `ServiceFault` code.
    pub(crate) fn fault(&self, code: &str, reason: &str) -> ResponseTemplate {
        let p = self.prefix;
        let inner = format!(
            "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring><detail>\
             <{p}:ServiceFault><{p}:Code>{code}</{p}:Code></{p}:ServiceFault></detail></soap:Fault>",
            escape(reason)
        );
        ResponseTemplate::new(500).set_body_raw(self.envelope(&inner), TEXT_XML)
    }

    fn envelope(&self, inner: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"{SOAP_ENVELOPE_NS}\" \
             xmlns:{}=\"{}\"><soap:Body>{inner}</soap:Body></soap:Envelope>",
            self.prefix, self.namespace
        )
    }

    /// `<p:name>text</p:name>` with the text escaped.
    pub(crate) fn leaf(&self, name: &str, text: &str) -> String {
        format!("<{p}:{name}>{}</{p}:{name}>", escape(text), p = self.prefix)
    }
}
