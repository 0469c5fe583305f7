//! SOAP 1.1 for the partner simulators that receive deliveries over it (BARIS, SPOLIS
//! monitoring): reading a request envelope into the parts a partner checks, the checks every
//! such partner makes (service account, request header, content type, action), routing a
//! request to the partner's own reading of its body, recording the delivery in the partner's
//! words, and writing answers and faults.
//!
//! Elements are matched by namespace and local name, never by prefix: a client may bind the
//! envelope, WS-Security and service namespaces to any prefixes, or use a default namespace.

use std::io;

use gateway_domain::PersonCode;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, Writer};
use time::Date;
use time::macros::format_description;
use wiremock::http::{HeaderValue, Method};
use wiremock::{Request, ResponseTemplate};

use crate::deliveries::{Accepted, Delivery, Ledger, Outcome};

const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const WSSE_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
pub(crate) const TEXT_XML: &str = "text/xml; charset=utf-8";

/// The request header elements every delivery must carry, not blank.
const REQUEST_HEADER_FIELDS: [&str; 5] = ["Institution", "Officer", "Purpose", "LegalBasis", "RequestId"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Soap,
    Wsse,
    Service,
    Other,
}

/// What a partner reads from a request envelope; every part is absent until found.
#[derive(Debug, Default)]
pub(crate) struct SoapRequest {
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    /// Leaves of the service's `RequestHeader`, by local name.
    pub(crate) request_header: Vec<(String, String)>,
    /// Whether a `RequestHeader` block was there at all.
    pub(crate) has_request_header: bool,
    /// The text of the service's `IdempotencyKey` header block.
    pub(crate) idempotency_key: Option<String>,
    /// The local name of the operation element in the body.
    pub(crate) operation: Option<String>,
    /// Leaves under the operation element, by path below it (`Member/PersonCode`), in order.
    pub(crate) fields: Vec<(String, String)>,
    /// Whether the operation held an element outside the service's namespace.
    pub(crate) foreign_content: bool,
}

impl SoapRequest {
    /// The request header's value of `name`.
    pub(crate) fn request_header(&self, name: &str) -> Option<&str> {
        self.request_header.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The values of every leaf at `path` below the operation.
    pub(crate) fn all(&self, path: &str) -> Vec<&str> {
        self.fields.iter().filter(|(p, _)| p == path).map(|(_, v)| v.as_str()).collect()
    }

    /// The value of the one leaf at `path`; `None` when absent or repeated.
    pub(crate) fn one(&self, path: &str) -> Option<&str> {
        match self.all(path).as_slice() {
            [value] => Some(value),
            _ => None,
        }
    }

    /// The paths of the leaves below the operation, each once, in order of appearance.
    pub(crate) fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = Vec::new();
        for (path, _) in &self.fields {
            if !paths.contains(&path.as_str()) {
                paths.push(path);
            }
        }
        paths
    }
}

/// Why a body is not a SOAP 1.1 envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotAnEnvelope {
    Xml,
    Root,
}

/// Reads a request envelope of the service with namespace `service_ns`.
pub(crate) fn parse(body: &[u8], service_ns: &str) -> Result<SoapRequest, NotAnEnvelope> {
    let mut reader = NsReader::from_reader(body);
    let mut request = SoapRequest::default();
    // Each open element, and whether it has had a child element.
    let mut path: Vec<((Ns, String), bool)> = Vec::new();
    let mut text = String::new();
    let mut saw_root = false;
    let mut buf = Vec::new();
    loop {
        let (resolved, event) = reader.read_resolved_event_into(&mut buf).map_err(|_| NotAnEnvelope::Xml)?;
        let ns = ns_of(&resolved, service_ns);
        match event {
            Event::Start(start) => {
                let element = (ns, local(start.local_name().as_ref()));
                open(&mut path, &mut saw_root, element, &mut request)?;
                text.clear();
            }
            Event::Empty(start) => {
                let element = (ns, local(start.local_name().as_ref()));
                open(&mut path, &mut saw_root, element, &mut request)?;
                close(&path, "", &mut request);
                path.pop();
            }
            Event::Text(content) => text.push_str(&content.unescape().map_err(|_| NotAnEnvelope::Xml)?),
            Event::CData(content) => {
                text.push_str(std::str::from_utf8(&content.into_inner()).map_err(|_| NotAnEnvelope::Xml)?);
            }
            Event::End(_) => {
                close(&path, text.trim(), &mut request);
                text.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root || !path.is_empty() {
        return Err(NotAnEnvelope::Root);
    }
    Ok(request)
}

fn open(
    path: &mut Vec<((Ns, String), bool)>,
    saw_root: &mut bool,
    element: (Ns, String),
    request: &mut SoapRequest,
) -> Result<(), NotAnEnvelope> {
    if path.is_empty() {
        if *saw_root || element != (Ns::Soap, "Envelope".to_owned()) {
            return Err(NotAnEnvelope::Root);
        }
        *saw_root = true;
    }
    if let Some((_, has_child)) = path.last_mut() {
        *has_child = true;
    }
    path.push((element, false));
    let names: Vec<(Ns, &str)> = path.iter().map(|((ns, name), _)| (*ns, name.as_str())).collect();
    match names.as_slice() {
        [ENVELOPE, HEADER, (Ns::Service, "RequestHeader")] => request.has_request_header = true,
        [ENVELOPE, BODY, (Ns::Service, operation)] if request.operation.is_none() => {
            request.operation = Some((*operation).to_owned());
        }
        [ENVELOPE, BODY, (Ns::Service, _), rest @ ..] if rest.iter().any(|(ns, _)| *ns != Ns::Service) => {
            request.foreign_content = true;
        }
        _ => {}
    }
    Ok(())
}

/// Stores the text of a leaf that has just closed, by where it is.
fn close(path: &[((Ns, String), bool)], text: &str, request: &mut SoapRequest) {
    let Some((_, had_child)) = path.last() else { return };
    if *had_child {
        return;
    }
    let names: Vec<(Ns, &str)> = path.iter().map(|((ns, name), _)| (*ns, name.as_str())).collect();
    match names.as_slice() {
        [ENVELOPE, HEADER, SECURITY, USERNAME_TOKEN, (Ns::Wsse, "Username")] => request.username = Some(text.into()),
        [ENVELOPE, HEADER, SECURITY, USERNAME_TOKEN, (Ns::Wsse, "Password")] => request.password = Some(text.into()),
        [ENVELOPE, HEADER, (Ns::Service, "RequestHeader"), (Ns::Service, name)] => {
            request.request_header.push(((*name).to_owned(), text.to_owned()));
        }
        [ENVELOPE, HEADER, (Ns::Service, "IdempotencyKey")] => request.idempotency_key = Some(text.into()),
        [ENVELOPE, BODY, (Ns::Service, _), rest @ ..] if !rest.is_empty() => {
            let relative: Vec<&str> = rest.iter().map(|(_, name)| *name).collect();
            request.fields.push((relative.join("/"), text.to_owned()));
        }
        _ => {}
    }
}

const ENVELOPE: (Ns, &str) = (Ns::Soap, "Envelope");
const HEADER: (Ns, &str) = (Ns::Soap, "Header");
const BODY: (Ns, &str) = (Ns::Soap, "Body");
const SECURITY: (Ns, &str) = (Ns::Wsse, "Security");
const USERNAME_TOKEN: (Ns, &str) = (Ns::Wsse, "UsernameToken");

fn ns_of(resolved: &ResolveResult<'_>, service_ns: &str) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.as_ref() {
            n if n == SOAP_ENVELOPE_NS.as_bytes() => Ns::Soap,
            n if n == WSSE_NS.as_bytes() => Ns::Wsse,
            n if n == service_ns.as_bytes() => Ns::Service,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// What a SOAP partner expects of every delivery's envelope.
pub(crate) struct EnvelopeRules<'a> {
    pub(crate) username: &'a str,
    pub(crate) password: &'a str,
    /// The `SOAPAction`, without quotes.
    pub(crate) action: &'a str,
    /// The operation element's local name.
    pub(crate) operation: &'a str,
}

/// Why an envelope is refused before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvelopeRefusal {
    NotAuthorised,
    Invalid(&'static str),
}

/// The checks every SOAP partner makes: service account, request header, content type,
/// action, operation and idempotency key. Returns the key.
pub(crate) fn check_envelope<'r>(
    http: &Request,
    request: &'r SoapRequest,
    rules: &EnvelopeRules<'_>,
) -> Result<&'r str, EnvelopeRefusal> {
    let authorised =
        request.username.as_deref() == Some(rules.username) && request.password.as_deref() == Some(rules.password);
    if !authorised {
        return Err(EnvelopeRefusal::NotAuthorised);
    }
    let header_complete = request.has_request_header
        && REQUEST_HEADER_FIELDS.iter().all(|name| request.request_header(name).is_some_and(|v| !v.is_empty()));
    if !header_complete {
        return Err(EnvelopeRefusal::Invalid(
            "RequestHeader with Institution, Officer, Purpose, LegalBasis and RequestId is required",
        ));
    }
    let content_type = header(http, "content-type").unwrap_or_default();
    if !content_type.split(';').next().is_some_and(|mime| mime.trim().eq_ignore_ascii_case("text/xml")) {
        return Err(EnvelopeRefusal::Invalid("SOAP 1.1 requests are sent as text/xml"));
    }
    let action = header(http, "soapaction").map(|value| value.trim().trim_matches('"'));
    if action != Some(rules.action) {
        return Err(EnvelopeRefusal::Invalid("SOAPAction does not name the operation"));
    }
    if request.operation.as_deref() != Some(rules.operation) || request.foreign_content {
        return Err(EnvelopeRefusal::Invalid("The body does not hold the operation's request"));
    }
    request
        .idempotency_key
        .as_deref()
        .filter(|key| crate::deliveries::valid_key(key))
        .ok_or(EnvelopeRefusal::Invalid("An IdempotencyKey header of 1 to 128 visible characters is required"))
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

/// An XML writer with the envelope's and the service's prefixes bound.
pub(crate) type XmlWriter = Writer<Vec<u8>>;

/// A response envelope binding `prefix` to `service_ns`, its body written by `body`.
pub(crate) fn envelope(prefix: &str, service_ns: &str, body: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let xmlns = format!("xmlns:{prefix}");
    let written = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).and_then(|()| {
        writer
            .create_element("soap:Envelope")
            .with_attribute(("xmlns:soap", SOAP_ENVELOPE_NS))
            .with_attribute((xmlns.as_str(), service_ns))
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

/// One element with text content, escaped by the writer.
pub(crate) fn leaf(writer: &mut XmlWriter, name: &str, text: &str) -> io::Result<()> {
    writer.create_element(name).write_text_content(BytesText::new(text))?;
    Ok(())
}

/// A client fault (HTTP 500, as SOAP 1.1 sends faults) with a `ServiceFault` detail: the code,
/// the position of the member it is about, and the request id when the request had one.
pub(crate) fn client_fault(
    prefix: &str,
    service_ns: &str,
    code: &str,
    reason: &str,
    member_position: Option<usize>,
    request_id: Option<&str>,
) -> ResponseTemplate {
    let body = envelope(prefix, service_ns, |w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            leaf(w, "faultcode", "soap:Client")?;
            leaf(w, "faultstring", reason)?;
            w.create_element("detail").write_inner_content(|w| {
                w.create_element(format!("{prefix}:ServiceFault")).write_inner_content(|w| {
                    leaf(w, &format!("{prefix}:Code"), code)?;
                    if let Some(position) = member_position {
                        leaf(w, &format!("{prefix}:MemberPosition"), &position.to_string())?;
                    }
                    if let Some(id) = request_id.filter(|id| !id.is_empty()) {
                        leaf(w, &format!("{prefix}:RequestId"), id)?;
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

/// A successful answer.
pub(crate) fn answer(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, TEXT_XML)
}

/// A client fault to answer with: the partner's code, a reason for people, and the position of
/// the member it is about.
pub(crate) struct Fault {
    pub(crate) code: &'static str,
    pub(crate) reason: &'static str,
    pub(crate) member_position: Option<usize>,
}

impl Fault {
    pub(crate) fn new(code: &'static str, reason: &'static str) -> Self {
        Self { code, reason, member_position: None }
    }

    pub(crate) fn invalid(reason: &'static str) -> Self {
        Self::new("INVALID_REQUEST", reason)
    }
}

/// A partner's delivery operation, as its simulator serves it.
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
    /// is not an envelope, else the answer `deliver` writes or the fault it refuses with.
    pub(crate) fn route(
        &self,
        request: &Request,
        deliver: impl FnOnce(&SoapRequest) -> Result<Vec<u8>, Fault>,
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
        let request_id = parsed.request_header("RequestId");
        match deliver(&parsed) {
            Ok(body) => answer(body),
            Err(refusal) => self.fault(refusal, request_id),
        }
    }

    /// [`check_envelope`] for this operation and service account, refused as the partner
    /// refuses. Returns the idempotency key.
    pub(crate) fn check<'r>(
        &self,
        http: &Request,
        request: &'r SoapRequest,
        username: &str,
        password: &str,
    ) -> Result<&'r str, Fault> {
        let rules = EnvelopeRules { username, password, action: self.action, operation: self.operation };
        check_envelope(http, request, &rules).map_err(|refusal| match refusal {
            EnvelopeRefusal::NotAuthorised => Fault::new("NOT_AUTHORISED", "The service account is not authorised"),
            EnvelopeRefusal::Invalid(reason) => Fault::invalid(reason),
        })
    }

    fn fault(&self, fault: Fault, request_id: Option<&str>) -> ResponseTemplate {
        client_fault(self.prefix, self.namespace, fault.code, fault.reason, fault.member_position, request_id)
    }
}

/// How a partner words its receipts: the outcome of a new and of a repeated delivery, and why
/// a key that came with another message is refused.
pub(crate) struct ReceiptWords {
    pub(crate) accepted: &'static str,
    pub(crate) duplicate: &'static str,
    pub(crate) key_reused: &'static str,
}

/// Records `delivery` in `ledger` under receipt numbers starting `receipt_prefix`: the
/// outcome word and the record the receipt repeats. A reused key is refused and counted so.
pub(crate) fn record(
    ledger: &Ledger,
    delivery: &Delivery,
    key: &str,
    receipt_prefix: &str,
    words: &ReceiptWords,
) -> Result<(&'static str, Accepted), Fault> {
    match ledger.record(delivery, receipt_prefix) {
        Outcome::Accepted(accepted) => Ok((words.accepted, accepted)),
        Outcome::Duplicate(accepted) => Ok((words.duplicate, accepted)),
        Outcome::KeyReused => {
            ledger.reject(key);
            Err(Fault::new("KEY_REUSED", words.key_reused))
        }
    }
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
