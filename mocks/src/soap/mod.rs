//! What the SOAP 1.1 simulators share, queries and deliveries alike: one [`SoapService`] per
//! operation, which reads a request envelope ([`reader`]), makes the checks every service makes
//! of its caller (service account, request header, content type, action, operation), and
//! writes answers and faults. The registries' query flow on top of it is in [`query`], the
//! delivery partners' in [`delivery`].

pub(crate) mod delivery;
pub(crate) mod query;
mod reader;
#[cfg(test)]
pub(crate) mod testing;

use std::io;

use gateway_domain::PersonCode;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, ResponseTemplate};

pub(crate) use reader::SoapRequest;
use reader::{NotAnEnvelope, parse};

use crate::rest::header;

/// The SOAP 1.1 envelope namespace.
pub(crate) const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The WS-Security namespace of the UsernameToken.
pub(crate) const WSSE_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// The media type of SOAP 1.1 messages.
pub(crate) const TEXT_XML: &str = "text/xml; charset=utf-8";

/// The request header elements every request must carry, not blank.
const REQUEST_HEADER_FIELDS: [&str; 5] = ["Institution", "Officer", "Purpose", "LegalBasis", "RequestId"];

/// An XML writer for answers.
pub(crate) type XmlWriter = Writer<Vec<u8>>;

/// The WS-Security UsernameToken a service accepts.
pub(crate) struct ServiceAccount {
    username: String,
    password: String,
}

impl ServiceAccount {
    pub(crate) fn new(username: &str, password: &str) -> Self {
        Self { username: username.to_owned(), password: password.to_owned() }
    }
}

/// A client fault to answer with: the service's code, a reason for people, and the position
/// (1-based) of the member it is about.
#[derive(Debug)]
pub(crate) struct Fault {
    pub(crate) code: &'static str,
    pub(crate) reason: &'static str,
    pub(crate) member_position: Option<usize>,
}

impl Fault {
    pub(crate) fn new(code: &'static str, reason: &'static str) -> Self {
        Self { code, reason, member_position: None }
    }

    /// An `INVALID_REQUEST` fault.
    pub(crate) fn invalid(reason: &'static str) -> Self {
        Self::new("INVALID_REQUEST", reason)
    }
}

/// One SOAP operation, as its simulator serves it.
pub(crate) struct SoapService {
    pub(crate) path: &'static str,
    pub(crate) namespace: &'static str,
    /// The prefix answers bind to the namespace.
    pub(crate) prefix: &'static str,
    /// The `SOAPAction`, without quotes, and the operation element's local name.
    pub(crate) action: &'static str,
    pub(crate) operation: &'static str,
}

impl SoapService {
    /// Answers one request: 404 off the service path, 405 for another method, a fault for what
    /// is not an envelope, else the answer `serve` writes or the fault it refuses with, which
    /// repeats the request's `RequestId`.
    pub(crate) fn route(
        &self,
        request: &Request,
        serve: impl FnOnce(&SoapRequest) -> Result<Vec<u8>, Fault>,
    ) -> ResponseTemplate {
        if request.url.path() != self.path {
            return ResponseTemplate::new(404);
        }
        if request.method != Method::POST {
            return ResponseTemplate::new(405).insert_header("allow", HeaderValue::from_static("POST"));
        }
        let parsed = match parse(&request.body, self.namespace) {
            Ok(parsed) => parsed,
            Err(NotAnEnvelope::Xml) => return self.fault(Fault::invalid("The request is not well-formed XML"), None),
            Err(NotAnEnvelope::Root) => {
                return self.fault(Fault::invalid("The request is not a SOAP 1.1 envelope"), None);
            }
        };
        match serve(&parsed) {
            Ok(body) => ResponseTemplate::new(200).set_body_raw(body, TEXT_XML),
            Err(refusal) => self.fault(refusal, parsed.request_header("RequestId")),
        }
    }

    /// The checks every service makes before reading the operation: the service account, the
    /// request header, the content type, the action, and that the body holds the operation's
    /// request in the service's namespace.
    pub(crate) fn admit(&self, http: &Request, request: &SoapRequest, account: &ServiceAccount) -> Result<(), Fault> {
        let authorised = request.username.as_deref() == Some(account.username.as_str())
            && request.password.as_deref() == Some(account.password.as_str());
        if !authorised {
            return Err(Fault::new("NOT_AUTHORISED", "The service account is not authorised"));
        }
        let header_complete = request.has_request_header
            && REQUEST_HEADER_FIELDS.iter().all(|name| request.request_header(name).is_some_and(|v| !v.is_empty()));
        if !header_complete {
            return Err(Fault::invalid(
                "RequestHeader with Institution, Officer, Purpose, LegalBasis and RequestId is required",
            ));
        }
        let content_type = header(http, "content-type").unwrap_or_default();
        if !content_type.split(';').next().is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/xml")) {
            return Err(Fault::invalid("SOAP 1.1 requests are sent as text/xml"));
        }
        let action = header(http, "soapaction").map(|value| value.trim().trim_matches('"'));
        if action != Some(self.action) {
            return Err(Fault::invalid("SOAPAction does not name the operation"));
        }
        if request.operation.as_deref() != Some(self.operation) || request.foreign_content {
            return Err(Fault::invalid("The body does not hold the operation's request"));
        }
        Ok(())
    }

    /// An answer envelope binding this service's prefix, its body written by `body`.
    pub(crate) fn answer(&self, body: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> Vec<u8> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        let xmlns = format!("xmlns:{}", self.prefix);
        let written = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).and_then(|()| {
            writer
                .create_element("soap:Envelope")
                .with_attribute(("xmlns:soap", SOAP_ENVELOPE_NS))
                .with_attribute((xmlns.as_str(), self.namespace))
                .write_inner_content(|w| {
                    w.create_element("soap:Body").write_inner_content(body)?;
                    Ok(())
                })
                .map(|_| ())
        });
        // Writing into a `Vec` cannot fail; an empty body would be refused by any client.
        if written.is_err() {
            return Vec::new();
        }
        writer.into_inner()
    }

    /// A client fault (HTTP 500, as SOAP 1.1 sends faults) with a `ServiceFault` detail: the
    /// code, the position of the member it is about, and the request id when the request had one.
    fn fault(&self, fault: Fault, request_id: Option<&str>) -> ResponseTemplate {
        let p = self.prefix;
        let body = self.answer(|w| {
            w.create_element("soap:Fault").write_inner_content(|w| {
                leaf(w, "faultcode", "soap:Client")?;
                leaf(w, "faultstring", fault.reason)?;
                w.create_element("detail").write_inner_content(|w| {
                    w.create_element(format!("{p}:ServiceFault")).write_inner_content(|w| {
                        leaf(w, &format!("{p}:Code"), fault.code)?;
                        if let Some(position) = fault.member_position {
                            leaf(w, &format!("{p}:MemberPosition"), &position.to_string())?;
                        }
                        if let Some(id) = request_id.filter(|id| !id.is_empty()) {
                            leaf(w, &format!("{p}:RequestId"), id)?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        });
        ResponseTemplate::new(500).set_body_raw(body, TEXT_XML)
    }
}

/// One element with text content, escaped by the writer.
pub(crate) fn leaf(writer: &mut XmlWriter, name: &str, text: &str) -> io::Result<()> {
    writer.create_element(name).write_text_content(BytesText::new(text))?;
    Ok(())
}

/// An `xs:date` without a time zone, or in UTC.
pub(crate) fn date(text: &str) -> Option<Date> {
    Date::parse(text.strip_suffix('Z').unwrap_or(text), format_description!("[year]-[month]-[day]")).ok()
}

/// A `PersonCode` element: 11 digits, and a valid personal code.
pub(crate) fn person_code(code: &str) -> Result<PersonCode, Fault> {
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fault::invalid("PersonCode must be 11 digits"));
    }
    PersonCode::parse(code).map_err(|_| Fault::invalid("PersonCode is not a valid personal code"))
}

/// A SOAP 1.1 `Server` fault saying the service is unavailable, as any SOAP service answers
/// when it cannot serve.
pub(crate) fn server_fault() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"{SOAP_ENVELOPE_NS}\">\
         <soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Service temporarily unavailable</faultstring>\
         </soap:Fault></soap:Body></soap:Envelope>"
    )
}
