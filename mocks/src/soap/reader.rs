//! Reading a SOAP 1.1 request envelope into the parts a simulator checks, for queries and
//! deliveries alike.
//!
//! Elements are matched by namespace and local name, never by prefix: a client may bind the
//! envelope, WS-Security and service namespaces to any prefixes, or use a default namespace.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::{SOAP_ENVELOPE_NS, WSSE_NS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Soap,
    Wsse,
    Service,
    Other,
}

/// What a simulator reads from a request envelope; every part is absent until found.
#[derive(Debug, Default)]
pub(crate) struct SoapRequest {
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    /// Leaves of the service's `RequestHeader`, by local name.
    request_header: Vec<(String, String)>,
    /// Whether a `RequestHeader` block was there at all.
    pub(crate) has_request_header: bool,
    /// The text of the service's `IdempotencyKey` header block.
    pub(crate) idempotency_key: Option<String>,
    /// The local name of the operation element in the body.
    pub(crate) operation: Option<String>,
    /// Leaves under the operation element, by path below it (`Member/PersonCode`), in order.
    fields: Vec<(String, String)>,
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
