//! The shared client stack every adapter uses: one `reqwest` client per system over rustls
//! (optional CA bundle and client certificate for mutual TLS), a per-call timeout cut short by
//! the request's deadline, HTTP statuses and transport failures mapped to `SourceError`,
//! OAuth2 client credentials with an RS256 client assertion, and the SOAP 1.1 envelope.

mod http;
mod oauth;
mod soap;

pub use http::{HttpTransport, TransportConfig, TransportError, status_error};
pub use oauth::{ClientAssertion, OAuthConfig};
pub use soap::{SoapCaller, SoapFault, parse_envelope, write_envelope};

#[cfg(test)]
mod tests;
