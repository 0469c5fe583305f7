//! `/console`: the operator console, one server-rendered page (no script) for the people who
//! run the gateway. It shows each registry's and partner's circuit breaker with the last five
//! minutes' calls, error rate and latency (from [`Metrics`](crate::metrics::Metrics)), each
//! partner's outbox (what waits, since when) and dead letters, with a button that puts dead
//! letters back in the outbox, and the last sync runs' reports.
//!
//! Access is the `operator` role. A browser signs in once at `/console/login` with the
//! operator's token, which goes into the console's cookie (see [`crate::auth::cookie`]); the
//! forms carry the session's anti-forgery token. What the page shows names systems,
//! partners, decision references, counts and times: never a person or an amount.

mod page;

use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, LOCATION, REFERRER_POLICY, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use gateway_domain::System;
use serde::Deserialize;

use crate::api::{ApiError, AppState};
use crate::auth::cookie::{self, CookieSession};
use crate::auth::{Caller, KeySet, Role};
use crate::status_sync::PARTNERS;
use crate::store::DeadLetterFilter;

/// Dead letters the page lists at most; the rest are counted (`gateway deadletters list` has them all).
const LISTED_DEAD_LETTERS: usize = 100;

/// What the console's page address may carry: the outcome of a retry it was sent back from.
#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    retried: Option<u64>,
}

/// The headers of every console page: never cached, never framed, no script, forms only to
/// itself, no referrer to other sites.
fn page_headers() -> [(axum::http::HeaderName, HeaderValue); 3] {
    [
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ),
        // Not `no-referrer`: a browser would then send `Origin: null` with the console's forms.
        (REFERRER_POLICY, HeaderValue::from_static("same-origin")),
    ]
}

fn see_other(location: &str) -> Response {
    let location = HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static("/console"));
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

/// `GET /console`.
pub(crate) async fn show(
    State(state): State<AppState>,
    session: Option<Extension<CookieSession>>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let query = Query::<PageQuery>::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let store = &state.decisions.store;
    let outbox = store.outbox_glance(PARTNERS).await;
    let letters = store.dead_letters(&DeadLetterFilter::default()).await;
    let store_error = outbox.is_err() || letters.is_err();
    if store_error {
        tracing::warn!("The store did not answer the console.");
    }
    let view = page::View {
        state: &state,
        outbox: outbox.unwrap_or_default(),
        letters: letters.unwrap_or_default(),
        listed: LISTED_DEAD_LETTERS,
        syncs: state.syncs.latest(),
        csrf: session.map(|Extension(s)| s.csrf).unwrap_or_default(),
        retried: query.retried,
        store_error,
        now_ms: crate::store::now_ms(),
    };
    Ok((page_headers(), Html(page::console(&view).into_string())).into_response())
}

/// Why the sign-in form is shown again.
#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    refused: Option<String>,
}

/// `GET /console/login`: the sign-in form.
pub(crate) async fn login_form(uri: Uri) -> Response {
    let query = Query::<LoginQuery>::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let reason = query.refused.as_deref().map(|code| match code {
        "role" => "That token does not carry the operator role.",
        "cross-site" => "The sign-in came from another site's page.",
        "form" => "Paste the token into the field.",
        _ => "That token was not accepted: it is expired, not from the identity provider, or not a token.",
    });
    (page_headers(), Html(page::login(reason).into_string())).into_response()
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    token: String,
}

/// `POST /console/login`: checks the operator's token and puts it in the console's cookie,
/// then sends the browser to the console; a refusal sends it back to the form, saying why.
pub(crate) async fn login(
    State(state): State<AppState>,
    Extension(keys): Extension<std::sync::Arc<KeySet>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    if cookie::same_origin(&headers) == Some(false) {
        return see_other("/console/login?refused=cross-site");
    }
    let Ok(Form(form)) = form else { return see_other("/console/login?refused=form") };
    let token = form.token.trim();
    if token.is_empty() {
        return see_other("/console/login?refused=form");
    }
    let caller = match keys.verify(token) {
        Ok(caller) => caller,
        Err(error) => {
            tracing::info!(reason = %error, "Console sign-in refused.");
            return see_other("/console/login?refused=token");
        }
    };
    if !caller.has(Role::Operator) {
        return see_other("/console/login?refused=role");
    }
    let Some(value) = cookie::set(token, state.served_over_tls) else {
        return see_other("/console/login?refused=token");
    };
    let mut response = see_other(cookie::CONSOLE_PATH);
    response.headers_mut().insert(SET_COOKIE, value);
    response
}

#[derive(Deserialize)]
pub(crate) struct SessionForm {
    #[serde(default)]
    csrf: String,
}

/// A form posted with the console's cookie must carry that session's token.
fn check_form_token(session: Option<&CookieSession>, token: &str) -> Result<(), ApiError> {
    match session {
        Some(session) if !session.accepts(token) => {
            Err(ApiError::Forbidden { detail: "the form is out of date: reload the console and try again".into() })
        }
        _ => Ok(()),
    }
}

fn form_error(rejection: FormRejection) -> ApiError {
    match rejection {
        FormRejection::InvalidFormContentType(_) => ApiError::UnsupportedMediaType,
        other => ApiError::InvalidBody { detail: other.body_text() },
    }
}

/// `POST /console/logout`: forgets the console's cookie.
pub(crate) async fn logout(
    State(state): State<AppState>,
    session: Option<Extension<CookieSession>>,
    form: Result<Form<SessionForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = form.map_err(form_error)?;
    check_form_token(session.as_ref().map(|s| &s.0), &form.csrf)?;
    let mut response = see_other("/console/login");
    response.headers_mut().insert(SET_COOKIE, cookie::clear(state.served_over_tls));
    Ok(response)
}

#[derive(Deserialize)]
pub(crate) struct RetryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    decision: String,
}

/// `POST /console/dead-letters/retry`: puts the dead letters of a partner, of a decision, or
/// of both, back in the outbox for the next sync (as `gateway deadletters retry` does), then
/// sends the browser back to the console, which says how many.
pub(crate) async fn retry(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    session: Option<Extension<CookieSession>>,
    form: Result<Form<RetryForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let form = form.map_err(form_error)?;
    check_form_token(session.as_ref().map(|s| &s.0), &form.csrf)?;
    let partner = match form.partner.trim() {
        "" => None,
        key => Some(partner(key)?),
    };
    let decision_ref = Some(form.decision.trim().to_owned()).filter(|d| !d.is_empty());
    if partner.is_none() && decision_ref.is_none() {
        return Err(ApiError::InvalidField {
            field: "/partner".into(),
            detail: "name a partner, a decision or both".into(),
        });
    }
    if decision_ref.as_ref().is_some_and(|d| d.len() > 200) {
        return Err(ApiError::InvalidField { field: "/decision".into(), detail: "at most 200 characters".into() });
    }
    let filter = DeadLetterFilter { partner, decision_ref };
    let revived = state.decisions.store.retry_dead_letters(&filter).await?;
    tracing::info!(
        caller = %caller.subject,
        partner = ?filter.partner.map(System::key),
        one_decision = filter.decision_ref.is_some(),
        revived,
        "Dead letters put back in the outbox from the console."
    );
    Ok(see_other(&format!("/console?retried={revived}")))
}

fn partner(key: &str) -> Result<System, ApiError> {
    PARTNERS.iter().copied().find(|p| p.key() == key).ok_or_else(|| ApiError::InvalidField {
        field: "/partner".into(),
        detail: format!(
            "not a partner; partners are {}",
            PARTNERS.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ")
        ),
    })
}
