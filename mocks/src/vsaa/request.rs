//! Reading a `GetPersonIncomes` SOAP 1.1 request.
//!
//! Elements are matched by namespace and local name, never by prefix: a client may bind the
//! envelope, WS-Security and income namespaces to any prefixes, or use a default namespace.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

pub(super) const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub(super) const WSSE_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
pub(super) const INCOME_NS: &str = "urn:lv:vsaa:income:v1";

/// The namespaces the request may use; anything else is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Soap,
    Wsse,
    Income,
    Other,
}

/// What the simulator reads from a request; every field is absent until found.
#[derive(Debug, Default)]
pub(super) struct IncomeRequest {
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) header: RequestHeader,
    /// Whether `GetPersonIncomesRequest` is in the body.
    pub(super) has_operation: bool,
    pub(super) person_code: Option<String>,
    pub(super) from_month: Option<String>,
    pub(super) to_month: Option<String>,
}

/// The `RequestHeader`: who asks and why.
#[derive(Debug, Default)]
pub(super) struct RequestHeader {
    pub(super) present: bool,
    pub(super) institution: Option<String>,
    pub(super) officer: Option<String>,
    pub(super) purpose: Option<String>,
    pub(super) legal_basis: Option<String>,
    pub(super) request_id: Option<String>,
}

impl RequestHeader {
    /// Whether every element the contract requires is there and not blank.
    pub(super) fn is_complete(&self) -> bool {
        self.present
            && [&self.institution, &self.officer, &self.purpose, &self.legal_basis, &self.request_id]
                .iter()
                .all(|field| field.as_deref().is_some_and(|value| !value.is_empty()))
    }
}

/// Why a body is not a SOAP 1.1 envelope.
#[derive(Debug)]
pub(super) enum NotAnEnvelope {
    Xml,
    Root,
}

/// Reads the parts of a request the simulator checks.
pub(super) fn parse(body: &[u8]) -> Result<IncomeRequest, NotAnEnvelope> {
    let mut reader = NsReader::from_reader(body);
    let mut request = IncomeRequest::default();
    let mut path: Vec<(Ns, String)> = Vec::new();
    let mut text = String::new();
    let mut saw_root = false;
    let mut buf = Vec::new();
    loop {
        let (resolved, event) = reader.read_resolved_event_into(&mut buf).map_err(|_| NotAnEnvelope::Xml)?;
        match event {
            Event::Start(start) => {
                let element = (ns_of(&resolved), local(start.local_name().as_ref()));
                if path.is_empty() {
                    if saw_root || element != (Ns::Soap, "Envelope".to_owned()) {
                        return Err(NotAnEnvelope::Root);
                    }
                    saw_root = true;
                }
                path.push(element);
                text.clear();
                note_element(&path, &mut request);
            }
            Event::Empty(start) => {
                let element = (ns_of(&resolved), local(start.local_name().as_ref()));
                if path.is_empty() {
                    return Err(NotAnEnvelope::Root);
                }
                path.push(element);
                note_element(&path, &mut request);
                store_text(&path, "", &mut request);
                path.pop();
            }
            Event::Text(content) => {
                text.push_str(&content.unescape().map_err(|_| NotAnEnvelope::Xml)?);
            }
            Event::CData(content) => {
                text.push_str(std::str::from_utf8(&content.into_inner()).map_err(|_| NotAnEnvelope::Xml)?);
            }
            Event::End(_) => {
                store_text(&path, text.trim(), &mut request);
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

fn ns_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.as_ref() {
            n if n == SOAP_ENVELOPE_NS.as_bytes() => Ns::Soap,
            n if n == WSSE_NS.as_bytes() => Ns::Wsse,
            n if n == INCOME_NS.as_bytes() => Ns::Income,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// Whether `path` is exactly these elements, from the envelope down.
fn is_at(path: &[(Ns, String)], expected: &[(Ns, &str)]) -> bool {
    path.len() == expected.len()
        && path.iter().zip(expected).all(|((ns, name), (ens, ename))| ns == ens && name == ename)
}

const ENVELOPE: (Ns, &str) = (Ns::Soap, "Envelope");
const HEADER: (Ns, &str) = (Ns::Soap, "Header");
const BODY: (Ns, &str) = (Ns::Soap, "Body");
const SECURITY: (Ns, &str) = (Ns::Wsse, "Security");
const USERNAME_TOKEN: (Ns, &str) = (Ns::Wsse, "UsernameToken");
const REQUEST_HEADER: (Ns, &str) = (Ns::Income, "RequestHeader");
const OPERATION: (Ns, &str) = (Ns::Income, "GetPersonIncomesRequest");

fn note_element(path: &[(Ns, String)], request: &mut IncomeRequest) {
    if is_at(path, &[ENVELOPE, HEADER, REQUEST_HEADER]) {
        request.header.present = true;
    } else if is_at(path, &[ENVELOPE, BODY, OPERATION]) {
        request.has_operation = true;
    }
}

fn store_text(path: &[(Ns, String)], text: &str, request: &mut IncomeRequest) {
    let Some((Ns::Income | Ns::Wsse, name)) = path.last() else { return };
    let parent = &path[..path.len() - 1];
    let slot = if is_at(parent, &[ENVELOPE, HEADER, SECURITY, USERNAME_TOKEN]) {
        match name.as_str() {
            "Username" => &mut request.username,
            "Password" => &mut request.password,
            _ => return,
        }
    } else if is_at(parent, &[ENVELOPE, HEADER, REQUEST_HEADER]) {
        match name.as_str() {
            "Institution" => &mut request.header.institution,
            "Officer" => &mut request.header.officer,
            "Purpose" => &mut request.header.purpose,
            "LegalBasis" => &mut request.header.legal_basis,
            "RequestId" => &mut request.header.request_id,
            _ => return,
        }
    } else if is_at(parent, &[ENVELOPE, BODY, OPERATION]) {
        match name.as_str() {
            "PersonCode" => &mut request.person_code,
            "FromMonth" => &mut request.from_month,
            "ToMonth" => &mut request.to_month,
            _ => return,
        }
    } else {
        return;
    };
    // The namespace of the leaf must match its parent's: a wsse:Username inside the income
    // header, say, is not the user name.
    let parent_ns = parent.last().map(|(ns, _)| *ns);
    if parent_ns == path.last().map(|(ns, _)| *ns) {
        *slot = Some(text.to_owned());
    }
}
