//! Who calls the API and what they may do. Callers present OAuth2 bearer JWTs signed by the
//! municipality's identity provider and verified against its published keys (`keys.rs`); each
//! token names the caller (`sub`), its roles and, optionally, its institution. Every route
//! carries one [`Access`] rule, attached where the route is declared (`api::routes`), so that no
//! route exists without one.

pub mod cookie;
#[cfg(any(test, feature = "simulators"))]
pub mod issuer;
mod keys;

use std::fmt;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, AUTHORIZATION, LOCATION};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub use keys::{AuthConfig, KeySet, KeySetError};

use crate::api::ApiError;

/// What a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs income checks and assessments for the households they assess.
    Caseworker,
    /// The case system: posts status decisions, referrals and invoices, reads receipts; may name
    /// the officer it acts for.
    CaseSystem,
    /// Reads co-financing and provider reports.
    Reports,
    /// Runs the gateway: console, dead letters, metrics.
    Operator,
    /// The data protection officer: reads the access log.
    DataProtection,
}

impl Role {
    pub const ALL: &'static [Role] =
        &[Role::Caseworker, Role::CaseSystem, Role::Reports, Role::Operator, Role::DataProtection];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Caseworker => "caseworker",
            Role::CaseSystem => "case-system",
            Role::Reports => "reports",
            Role::Operator => "operator",
            Role::DataProtection => "data-protection",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|role| role.as_str() == name)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone who reaches the port: health probes only.
    Public,
    /// An authenticated caller holding one of these roles.
    Roles(&'static [Role]),
}

/// An authenticated caller, as its token names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's subject: a user's id, or a system's client id.
    pub subject: String,
    pub roles: Vec<Role>,
    /// The institution the caller works for, when the token names one.
    pub institution: Option<String>,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The officer a request is recorded under: the caller itself, unless it is the case
    /// system acting for one of its users and names them. A caller who is not the case system
    /// naming someone else is refused.
    pub fn officer(&self, named: Option<&str>) -> Result<String, ApiError> {
        match named {
            None => Ok(self.subject.clone()),
            Some(named) if named == self.subject || self.has(Role::CaseSystem) => Ok(named.to_owned()),
            Some(_) => Err(ApiError::OfficerNotCaller),
        }
    }
}

/// Each caller's request rate, by token subject.
pub type CallerLimiter = governor::DefaultKeyedRateLimiter<String>;

/// A limiter of `per_second` requests per caller with bursts of `burst`.
pub fn caller_limiter(per_second: u32, burst: u32) -> Arc<CallerLimiter> {
    let per_second = std::num::NonZeroU32::new(per_second).unwrap_or(std::num::NonZeroU32::MIN);
    let burst = std::num::NonZeroU32::new(burst).unwrap_or(std::num::NonZeroU32::MIN);
    Arc::new(governor::RateLimiter::keyed(governor::Quota::per_second(per_second).allow_burst(burst)))
}

/// What a route's access check needs: the keys tokens are verified with, the route's rule and
/// the callers' rate limit.
#[derive(Clone)]
pub struct Guard {
    pub keys: Arc<KeySet>,
    pub access: Access,
    pub limiter: Arc<CallerLimiter>,
    /// Whether the console's cookie is taken in place of a bearer header (the console's
    /// routes only: [`cookie::accepts_cookie`]).
    pub cookie: bool,
}

/// Lets the request through when its caller may call the route: 401 without valid
/// credentials, 403 without a role the route accepts, 429 beyond the caller's rate. The caller goes into the request's
/// extensions for the handler. On the console's routes the console's cookie stands in for the
/// header: a browser without a valid one is sent to the sign-in form instead of the 401, a
/// change from another site is a 403, and the [`cookie::CookieSession`] goes into the
/// extensions for the handler to check its form's token.
pub async fn authorize(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let Access::Roles(allowed) = guard.access else {
        return next.run(request).await;
    };
    let (verified, session) = match bearer(&request) {
        Some(token) => (Some(guard.keys.verify(token)), None),
        None => match cookie::token(&request).filter(|_| guard.cookie) {
            Some(token) => (Some(guard.keys.verify(token)), Some(cookie::CookieSession::for_token(token))),
            None => (None, None),
        },
    };
    let browser = guard.cookie && request.method() == Method::GET && accepts_html(&request);
    let caller = match verified {
        None if browser => return sign_in_redirect(),
        None => {
            return ApiError::Unauthenticated { detail: "send Authorization: Bearer <token>".into() }.into_response();
        }
        Some(Err(error)) => {
            tracing::info!(reason = %error, "Token refused.");
            if browser {
                return sign_in_redirect();
            }
            return ApiError::Unauthenticated { detail: error.to_string() }.into_response();
        }
        Some(Ok(caller)) => caller,
    };
    if !allowed.iter().any(|role| caller.has(*role)) {
        let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
        return ApiError::Forbidden { detail: format!("this operation needs the role {}", names.join(" or ")) }
            .into_response();
    }
    if session.is_some() && cookie::cross_site(request.method(), request.headers()) {
        tracing::info!("A change with the console's cookie came from another origin; refused.");
        return ApiError::Forbidden { detail: "the console takes changes from its own pages only".into() }
            .into_response();
    }
    if let Err(not_until) = guard.limiter.check_key(&caller.subject) {
        use governor::clock::{Clock, DefaultClock};
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        return ApiError::TooManyRequests { retry_after_secs: wait.as_secs() + 1 }.into_response();
    }
    request.extensions_mut().insert(caller);
    if let Some(session) = session {
        request.extensions_mut().insert(session);
    }
    next.run(request).await
}

/// Whether the request is a browser's page load.
fn accepts_html(request: &Request) -> bool {
    request.headers().get(ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
}

/// A browser without a valid console cookie goes to the sign-in form.
fn sign_in_redirect() -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, "/console/login")]).into_response()
}

fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
