//! A person source over SOAP 1.1: one read operation of a state registry, asked with the
//! institution's service account. Each adapter keeps its request and answer types and its
//! reading of the service's faults; the client and the call are here once.

use gateway_domain::{RequestContext, SourceError, System};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::resilience::Breaker;
use super::{
    HttpTransport, Protocol, SoapAccount, SoapFault, TransportConfig, TransportError, soap_call, write_envelope,
};

/// One SOAP read operation, as the service's contract names it.
#[derive(Debug, Clone, Copy)]
pub struct SoapOperation {
    /// The service's path below the base URL.
    pub path: &'static str,
    /// The service namespace, declared by the request header and the body.
    pub namespace: &'static str,
    /// The `SOAPAction` of the operation.
    pub action: &'static str,
}

/// One system's client of its SOAP read operation.
#[derive(Debug)]
pub struct SoapSource {
    operation: SoapOperation,
    url: String,
    account: SoapAccount,
    http: HttpTransport,
}

impl SoapSource {
    /// The client of `operation` at `base_url` (a trailing slash is dropped); nothing is sent
    /// until the first call.
    pub fn new(
        system: System,
        base_url: &str,
        operation: SoapOperation,
        account: SoapAccount,
        transport: &TransportConfig,
    ) -> Result<Self, TransportError> {
        Ok(Self {
            operation,
            url: format!("{}{}", base_url.trim_end_matches('/'), operation.path),
            account,
            http: HttpTransport::new(system, Protocol::Soap, transport)?,
        })
    }

    /// The circuit breaker of this system's calls.
    pub fn breaker(&self) -> Breaker {
        self.http.breaker()
    }

    /// Asks the operation with `request` as the body: the answer's body, or the error that
    /// `fault` reads a client fault as.
    pub async fn ask<B: DeserializeOwned, R: Serialize>(
        &self,
        request: &R,
        fault: impl FnOnce(SoapFault) -> SourceError,
        ctx: &RequestContext,
    ) -> Result<B, SourceError> {
        let SoapAccount { institution, username, password } = &self.account;
        let envelope = write_envelope(self.operation.namespace, institution, username, password, ctx, request)
            .map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        soap_call::<B>(&self.http, &self.url, self.operation.action, envelope, ctx).await?.map_err(fault)
    }
}
