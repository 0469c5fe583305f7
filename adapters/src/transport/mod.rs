//! The shared client stack every adapter uses: one `reqwest` client per system over rustls
//! (optional CA bundle and client certificate for mutual TLS) behind a tower stack of retry,
//! circuit breaker, concurrency limit and quota; a per-attempt timeout cut short by the
//! request's deadline; HTTP statuses and transport failures mapped to `SourceError`; OAuth2
//! client credentials with an RS256 client assertion; the SOAP 1.1 envelope, and the SOAP
//! read operation the registries' person sources ask.

mod call_times;
mod delivery;
mod http;
mod json_delivery;
mod oauth;
pub mod resilience;
mod rest;
mod soap;
mod soap_source;

pub use call_times::{CallTime, CallTimes};
pub use delivery::{ReceiptWords, SoapDelivery};
pub use http::{HttpCall, HttpReply, HttpSend, HttpTransport, Protocol, TransportConfig, TransportError, status_error};
pub use json_delivery::{JsonDelivery, RefusalCodes};
pub use oauth::{ClientAssertion, OAuthConfig};
pub use resilience::BreakerState;
pub use rest::BearerJson;
pub use soap::{
    SoapAccount, SoapFault, parse_envelope, soap_call, soap_write, write_envelope, write_envelope_with_header,
};
pub use soap_source::{SoapOperation, SoapSource};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tls_tests;
