//! The API's OpenAPI 3.1 document, generated from the code: each handler's `#[utoipa::path]`
//! says its parameters, body, answers and the problem types each status carries; the routes
//! table ([`super::routes`]) says who may call it, and so each operation's security and its
//! 401, 403 and 429 answers. Served at `GET /openapi.json`, printed by `gateway openapi` and
//! committed as `schemas/api/openapi.json`.
//!
//! A problem answer's description names its codes in backticks, each followed by a colon
//! (`` `invalid-field`: ... ``); the document narrows that answer's `type` to those codes' URIs, so a client (or a schema-driven
//! test) can tell an undocumented problem from a documented one.

use std::borrow::Cow;
use std::sync::OnceLock;

use axum::Json;
use axum::http::Method;
use serde_json::Value;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, OneOfBuilder, Ref, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Header, RefOr, Response};
use utoipa::{OpenApi, PartialSchema, ToSchema};

use super::{ApiError, PROBLEM_TYPE_PREFIX, Problem};
use crate::auth::Access;

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The name of the bearer token scheme in the document.
const BEARER: &str = "bearer";

/// The name of the console's cookie scheme in the document.
const CONSOLE_COOKIE: &str = "console_cookie";

/// The file the document is committed as, relative to the workspace.
pub const COMMITTED_PATH: &str = "schemas/api/openapi.json";

/// The command that writes [`COMMITTED_PATH`].
pub const REGENERATE: &str = "cargo run -q -- openapi > schemas/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "registry-gateway",
        description = "The gateway between a municipal social service's case system and the Latvian state \
registries. Every operation but the health probes, the signing key and this document needs an OAuth2 \
bearer JWT from the municipality's identity provider; its `roles` claim must hold a role the operation \
names in its security requirement.\n\n\
Every error is RFC 9457 `application/problem+json` with a stable `type` \
(`urn:registry-gateway:problem:<code>`); each answer below names its codes. Any operation may also \
answer `not-found` (404, no such route), `method-not-allowed` (405), `request-timeout` (408), \
`uri-too-long` (414), `overloaded` (503, with `Retry-After`) and `internal` (500). Every answer \
carries an `x-request-id` header, and every problem body the same `request_id`.",
    ),
    paths(
        super::income_checks::create,
        super::assessments::create,
        super::status_decisions::create,
        super::deliveries::show,
        super::deliveries::feed,
        super::referrals::create,
        super::co_financing::show,
        super::provider_reports::show,
        super::food_aid_kits::show,
        super::access_log::show,
        super::health::signing_keys,
        super::health::live,
        super::health::readiness,
        serve,
        operator::metrics,
        operator::console,
        operator::retry,
        operator::logout,
        operator::login_form,
        operator::login,
    ),
    components(schemas(Problem)),
    tags(
        (name = "income checks", description = "What a household lives on, and its indicative assessment"),
        (name = "status decisions", description = "Needy and low-income decisions for the partners, and their delivery"),
        (name = "service providers", description = "Referrals to providers through DigiSoc, and the monthly reconciliation"),
        (name = "co-financing", description = "What SPOLIS confirms the state co-finances"),
        (name = "food-aid", description = "The EU food and basic material aid kits KIM reports issued"),
        (name = "audit", description = "Who asked what about a person"),
        (name = "health", description = "Probes, the signing key and this document"),
        (name = "operator", description = "Metrics and the operator console (pages for a browser)"),
    )
)]
struct ApiDoc;

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "health",
    operation_id = "openapi",
    responses((status = 200, description = "The API's OpenAPI 3.1 document", body = OpenApiDocument, content_type = "application/json"))
)]
pub(super) async fn serve() -> Json<Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(DOCUMENT.get_or_init(document).clone())
}

/// The operator's routes, which answer pages, redirects and metrics text rather than JSON: their
/// handlers are in `crate::metrics` and `crate::console`, their description here.
mod operator {
    #![allow(dead_code)]

    use super::Problem;

    #[utoipa::path(
        get,
        path = "/metrics",
        tag = "operator",
        operation_id = "metrics",
        responses((status = 200, description = "Breakers, calls, latencies and outboxes as OpenMetrics text",
            body = String, content_type = "application/openmetrics-text"))
    )]
    pub(super) fn metrics() {}

    #[utoipa::path(
        get,
        path = "/console",
        tag = "operator",
        operation_id = "console",
        params(("retried" = Option<String>, Query, description = "How many dead letters the retry the browser was sent back from put back (shown when a whole number)")),
        responses(
            (status = 200, description = "The console page", body = String, content_type = "text/html"),
            (status = 303, description = "A browser without a valid console cookie goes to the sign-in form",
                headers(("Location" = String, description = "`/console/login`"))),
        )
    )]
    pub(super) fn console() {}

    #[utoipa::path(
        post,
        path = "/console/dead-letters/retry",
        tag = "operator",
        operation_id = "console_retry",
        request_body(content = super::RetryForm, content_type = "application/x-www-form-urlencoded"),
        responses(
            (status = 303, description = "Done: back to the console, which says how many were put back",
                headers(("Location" = String))),
            (status = 400, description = "`invalid-field`: no partner and no decision, or not a partner; `invalid-body`: the form cannot be read",
                body = Problem, content_type = "application/problem+json"),
            (status = 403, description = "`forbidden`: the form's anti-forgery token is not the session's, or the change came from another site",
                body = Problem, content_type = "application/problem+json"),
            (status = 415, description = "`unsupported-media-type`: the body is not a form",
                body = Problem, content_type = "application/problem+json"),
            (status = 503, description = "`store-unavailable`: nothing was changed",
                body = Problem, content_type = "application/problem+json"),
        )
    )]
    pub(super) fn retry() {}

    #[utoipa::path(
        post,
        path = "/console/logout",
        tag = "operator",
        operation_id = "console_logout",
        request_body(content = super::SessionForm, content_type = "application/x-www-form-urlencoded"),
        responses(
            (status = 303, description = "The cookie is cleared; to the sign-in form", headers(("Location" = String))),
            (status = 400, description = "`invalid-body`: the form cannot be read",
                body = Problem, content_type = "application/problem+json"),
            (status = 403, description = "`forbidden`: the form's anti-forgery token is not the session's, or the change came from another site",
                body = Problem, content_type = "application/problem+json"),
            (status = 415, description = "`unsupported-media-type`: the body is not a form",
                body = Problem, content_type = "application/problem+json"),
        )
    )]
    pub(super) fn logout() {}

    #[utoipa::path(
        get,
        path = "/console/login",
        tag = "operator",
        operation_id = "console_login_form",
        params(("refused" = Option<String>, Query, description = "Why the last sign-in was refused")),
        responses((status = 200, description = "The sign-in form", body = String, content_type = "text/html"))
    )]
    pub(super) fn login_form() {}

    #[utoipa::path(
        post,
        path = "/console/login",
        tag = "operator",
        operation_id = "console_login",
        request_body(content = Option<super::LoginForm>, content_type = "application/x-www-form-urlencoded",
            description = "Without a token, back to the form"),
        responses((status = 303,
            description = "To the console with the cookie set, or back to the form saying why the token was refused",
            headers(("Location" = String), ("Set-Cookie" = String, description = "The console's cookie, on success"))))
    )]
    pub(super) fn login() {}
}

/// The console's sign-in form.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct LoginForm {
    /// The operator's bearer token; without one, back to the form.
    token: Option<String>,
}

/// A console form that carries the session's anti-forgery token.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct SessionForm {
    /// The anti-forgery token of the page's session (with the console's cookie).
    csrf: Option<String>,
}

/// The console's dead-letter retry form: a partner, a decision, or both.
struct RetryForm;

impl PartialSchema for RetryForm {
    fn schema() -> RefOr<Schema> {
        let partners: Vec<&str> = crate::status_sync::PARTNERS.iter().map(|p| p.key()).collect();
        let string = || ObjectBuilder::new().schema_type(Type::String);
        // Empty (or blank) fields are not given; at least one must be.
        let fields = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "csrf",
                string().description(Some("The anti-forgery token of the page's session (with the console's cookie)")),
            )
            .property(
                "partner",
                string()
                    .description(Some("A partner's key"))
                    .enum_values(Some(std::iter::once("").chain(partners.clone()))),
            )
            .property("decision", string().description(Some("A decision's reference")).max_length(Some(200)));
        let given = AnyOfBuilder::new()
            .item(ObjectBuilder::new().required("partner").property("partner", string().enum_values(Some(partners))))
            .item(ObjectBuilder::new().required("decision").property("decision", string().pattern(Some("\\S"))));
        AllOfBuilder::new().description(Some("A partner, a decision, or both")).item(fields).item(given).into()
    }
}

impl ToSchema for RetryForm {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RetryForm")
    }
}

/// The document as `gateway openapi` prints it and `schemas/api/openapi.json` holds it.
pub fn to_pretty_json() -> String {
    let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
    text.push('\n');
    text
}

/// The document as JSON.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(build()).unwrap_or_default();
    camel_case_links(&mut doc);
    doc
}

/// utoipa 5 writes a link's `operationId`, `operationRef` and `requestBody` in snake case.
fn camel_case_links(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let responses = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("responses").and_then(Value::as_object_mut))
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(links) = response.get_mut("links").and_then(Value::as_object_mut) else { continue };
        for link in links.values_mut().filter_map(Value::as_object_mut) {
            for (snake, camel) in
                [("operation_id", "operationId"), ("operation_ref", "operationRef"), ("request_body", "requestBody")]
            {
                if let Some(value) = link.remove(snake) {
                    link.insert(camel.into(), value);
                }
            }
        }
    }
}

/// The document: the handlers' annotations, completed from the routes table.
fn build() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.components.get_or_insert_with(Default::default).add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "A JWT from the municipality's identity provider: `sub` names the caller, `roles` its roles",
                ))
                .build(),
        ),
    );
    doc.components.get_or_insert_with(Default::default).add_security_scheme(
        CONSOLE_COOKIE,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::cookie::COOKIE_NAME,
            "The operator console's cookie, set by `POST /console/login`, on the console's routes only",
        ))),
    );
    for route in super::routes() {
        let Some(operation) = operation_mut(&mut doc, &route.method, route.path) else { continue };
        if let Access::Roles(roles) = route.access {
            let names: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
            let mut security = vec![SecurityRequirement::new(BEARER, names.clone())];
            if crate::auth::cookie::accepts_cookie(route.path) {
                security.push(SecurityRequirement::new(CONSOLE_COOKIE, names.clone()));
            }
            operation.security = Some(security);
            add_problem(operation, 401, "unauthenticated", "no valid bearer token");
            add_problem(operation, 403, "forbidden", &format!("the token has no role {}", names.join(" or ")));
            add_problem(operation, 429, "too-many-requests", "this caller's rate is spent");
        }
        for (status, response) in &mut operation.responses.responses {
            if let RefOr::T(response) = response {
                narrow_problem(status, response);
            }
        }
    }
    doc
}

/// The operation of a route in the document, if it has one.
pub(crate) fn operation_mut<'a>(
    doc: &'a mut utoipa::openapi::OpenApi,
    method: &Method,
    path: &str,
) -> Option<&'a mut Operation> {
    let item = doc.paths.paths.get_mut(path)?;
    match *method {
        Method::GET => item.get.as_mut(),
        Method::POST => item.post.as_mut(),
        Method::PUT => item.put.as_mut(),
        Method::DELETE => item.delete.as_mut(),
        Method::PATCH => item.patch.as_mut(),
        Method::HEAD => item.head.as_mut(),
        Method::OPTIONS => item.options.as_mut(),
        Method::TRACE => item.trace.as_mut(),
        _ => None,
    }
}

/// Adds a problem answer, or its code to the answer of that status the handler documents.
fn add_problem(operation: &mut Operation, status: u16, code: &str, when: &str) {
    let entry = operation.responses.responses.entry(status.to_string());
    match entry {
        std::collections::btree_map::Entry::Occupied(mut existing) => {
            if let RefOr::T(response) = existing.get_mut() {
                response.description = format!("`{code}`: {when}; {}", response.description);
            }
        }
        std::collections::btree_map::Entry::Vacant(vacant) => {
            let mut response = Response::new(format!("`{code}`: {when}"));
            response.content.insert(PROBLEM_JSON.into(), Content::new(Some(Ref::from_schema_name(Problem::name()))));
            vacant.insert(RefOr::T(response));
        }
    }
}

/// The problem codes a description names: each clause starts with one in backticks and a
/// colon, `` `invalid-field`: a field is not valid; `invalid-body`: ... ``.
pub(crate) fn named_codes(description: &str) -> Vec<&str> {
    let parts: Vec<&str> = description.split('`').collect();
    // Odd parts are in backticks; a code is one the text after it starts with a colon.
    (1..parts.len())
        .step_by(2)
        .filter(|&i| parts.get(i + 1).is_some_and(|next| next.starts_with(':')))
        .map(|i| parts[i])
        .collect()
}

/// Narrows a problem answer's `type` to the codes its description names, and documents the
/// headers problems of those codes carry.
fn narrow_problem(status: &str, response: &mut Response) {
    let Some(content) = response.content.get_mut(PROBLEM_JSON) else { return };
    let kinds = ApiError::kinds();
    let types: Vec<String> = named_codes(&response.description)
        .into_iter()
        .filter(|code| kinds.iter().any(|kind| kind.code() == *code))
        .map(|code| format!("{PROBLEM_TYPE_PREFIX}{code}"))
        .collect();
    let status_number: u16 = status.parse().unwrap_or_default();
    let narrowed = ObjectBuilder::new()
        .property("type", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(types.clone())))
        .property("status", ObjectBuilder::new().schema_type(Type::Integer).enum_values(Some([status_number])));
    content.schema = Some(AllOfBuilder::new().item(Ref::from_schema_name(Problem::name())).item(narrowed).into());
    let carries = |code: &str| types.iter().any(|t| t.ends_with(&format!(":{code}")));
    if carries("unauthenticated") {
        response.headers.insert("WWW-Authenticate".into(), header("`Bearer`"));
    }
    if ["too-many-requests", "store-unavailable", "audit-unavailable"].iter().any(|code| carries(code)) {
        response.headers.insert("Retry-After".into(), header("Seconds to wait before trying again"));
    }
}

fn header(description: &str) -> Header {
    let mut header = Header::new(ObjectBuilder::new().schema_type(Type::String));
    header.description = Some(description.into());
    header
}

/// A loose object: the keys it always has, a few of them typed.
fn answer(description: &str, required: &[&str], typed: &[(&str, RefOr<Schema>)]) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object).description(Some(description));
    for key in required {
        object = object.required(*key);
    }
    for (key, schema) in typed {
        object = object.property(*key, schema.clone());
    }
    object.into()
}

fn typed(kind: Type) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(kind).into()
}

/// Names a schema that is documentation only.
macro_rules! documented {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub(super) struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

documented!(
    /// `POST /v1/income-checks`'s answer.
    SignedHouseholdRecord,
    answer(
        "A HouseholdRecord (members, incomes, statuses, assets, vehicles and holdings with provenance, \
         monthly totals, the average and a gap for every fact not had; see the README), with \
         `assessment` and `declared_incomes` when asked, and `signature`: a detached JWS over the rest",
        &[
            "request_id",
            "applicant",
            "period",
            "members",
            "incomes",
            "statuses",
            "assets",
            "vehicles",
            "holdings",
            "monthly_totals",
            "average_monthly_cents",
            "gaps",
            "complete",
            "signature",
        ],
        &[
            ("complete", typed(Type::Boolean)),
            ("members", typed(Type::Array)),
            ("incomes", typed(Type::Array)),
            ("gaps", typed(Type::Array)),
            (
                "signature",
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .required("jws")
                    .required("kid")
                    .property("jws", typed(Type::String))
                    .property("kid", typed(Type::String))
                    .into(),
            ),
        ]
    )
);
documented!(
    /// `POST /v1/assessments`'s answer.
    AssessmentAnswer,
    answer(
        "The indicative assessment: levels, counted incomes, average, status, GMI benefit, assets to \
         assess and the explanation",
        &[
            "period",
            "levels",
            "counted_monthly",
            "counted_total_cents",
            "average_monthly_cents",
            "status",
            "gmi_benefit_cents",
            "reasons",
            "assets_to_assess",
            "explanation",
        ],
        &[
            (
                "status",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["needy", "low_income", "not_needy", "inconclusive"]))
                    .into(),
            ),
            ("explanation", typed(Type::Array)),
        ]
    )
);
documented!(
    /// `GET /v1/co-financing/{municipality}/{month}`'s answer.
    CoFinancingAnswer,
    answer(
        "SPOLIS's confirmations per benefit (`benefit`, `households`, `paid_cents`, `co_financed_cents`, \
         provenance) and their `totals`",
        &["municipality", "month", "confirmations", "totals"],
        &[
            ("confirmations", typed(Type::Array)),
            (
                "totals",
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .required("paid_cents")
                    .required("co_financed_cents")
                    .property("paid_cents", typed(Type::Integer))
                    .property("co_financed_cents", typed(Type::Integer))
                    .into(),
            ),
        ]
    )
);
documented!(
    /// `GET /v1/provider-reports`'s answer.
    ProviderReportAnswer,
    answer(
        "Per provider and service: referred, reported and invoiced; and every finding",
        &["month", "rules_from", "rows", "findings"],
        &[("rows", typed(Type::Array)), ("findings", typed(Type::Array))]
    )
);
documented!(
    /// `GET /v1/food-aid-kits`'s answer.
    FoodAidKitsAnswer,
    answer(
        "Per household (`decision_ref`): the kits by kind (`kits`) and each issue as KIM recorded it \
         (recipient, kind, count, `issued_on`, distributor, provenance); and the month's `totals` by kind",
        &["month", "households", "totals"],
        &[("households", typed(Type::Array)), ("totals", typed(Type::Object))]
    )
);
documented!(
    /// `GET /openapi.json`'s answer.
    OpenApiDocument,
    answer("An OpenAPI 3.1 document", &["openapi", "info", "paths"], &[("paths", typed(Type::Object))])
);
documented!(
    /// `GET /.well-known/jwks.json`'s answer.
    Jwks,
    answer("A JSON Web Key Set", &["keys"], &[("keys", typed(Type::Array))])
);

/// One item, or a batch of them: a schema that is `$one` or `$batch` (whose one field holds the items).
macro_rules! one_or_batch {
    ($(#[$doc:meta])* $name:ident, $one:ty, $batch:ty) => {
        $(#[$doc])*
        pub(super) struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                OneOfBuilder::new()
                    .item(Ref::from_schema_name(<$one>::name()))
                    .item(Ref::from_schema_name(<$batch>::name()))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push((<$one>::name().into(), <$one>::schema()));
                <$one>::schemas(schemas);
                schemas.push((<$batch>::name().into(), <$batch>::schema()));
                <$batch>::schemas(schemas);
            }
        }
    };
}

one_or_batch!(
    /// `POST /v1/status-decisions`'s body.
    StatusDecisionsBody,
    gateway_domain::StatusDecision,
    super::status_decisions::DecisionBatch
);
one_or_batch!(
    /// `POST /v1/referrals`'s body.
    ReferralsBody,
    gateway_domain::Referral,
    super::referrals::ReferralBatch
);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;

    fn operations(doc: &Value) -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
        found
    }

    #[test]
    fn the_document_has_every_route_of_the_table_and_no_other() {
        let doc = document();
        let table: BTreeSet<(String, String)> =
            super::super::routes().iter().map(|route| (route.method.to_string(), route.path.to_owned())).collect();
        let documented = operations(&doc);
        let missing: Vec<_> = table.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "routes in api::routes() without an operation in the document (annotate the handler with \
             #[utoipa::path] and list it in ApiDoc's paths): {missing:?}"
        );
        assert!(extra.is_empty(), "operations in the document that api::routes() does not serve: {extra:?}");
    }

    #[test]
    fn security_follows_the_routes_table() {
        let doc = document();
        for route in super::super::routes() {
            let operation = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
            match route.access {
                Access::Public => {
                    assert!(operation.get("security").is_none(), "{} {}", route.method, route.path);
                    assert!(operation["responses"].get("401").is_none(), "{} {}", route.method, route.path);
                }
                Access::Roles(roles) => {
                    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                    assert_eq!(operation["security"][0], json!({ BEARER: names }), "{} {}", route.method, route.path);
                    for status in ["401", "403", "429"] {
                        assert!(
                            operation["responses"].get(status).is_some(),
                            "{} {} {status}",
                            route.method,
                            route.path
                        );
                    }
                }
            }
        }
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["components"]["securitySchemes"][BEARER]["scheme"], "bearer");
    }

    #[test]
    fn every_error_answer_is_a_problem_of_codes_the_gateway_answers_with_that_status() {
        let doc = document();
        let kinds = ApiError::kinds();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let at = format!("{method} {path}");
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let status_number: u16 = status.parse().unwrap();
                    let content = response["content"].as_object().cloned().unwrap_or_default();
                    if status_number < 400 || path == "/readyz" {
                        assert!(!content.contains_key(PROBLEM_JSON), "{at} {status}");
                        continue;
                    }
                    assert_eq!(content.keys().collect::<Vec<_>>(), [PROBLEM_JSON], "{at} {status}: problem+json only");
                    let description = response["description"].as_str().unwrap();
                    let codes = named_codes(description);
                    assert!(!codes.is_empty(), "{at} {status} names no problem code: {description}");
                    for code in codes {
                        let kind = kinds.iter().find(|kind| kind.code() == code);
                        let kind = kind.unwrap_or_else(|| panic!("{at} {status} names `{code}`, not a problem code"));
                        assert_eq!(Problem::from(kind).status, status_number, "{at}: `{code}` is not a {status}");
                    }
                    let schema = &content[PROBLEM_JSON]["schema"]["allOf"];
                    assert_eq!(schema[0]["$ref"], "#/components/schemas/Problem", "{at} {status}");
                }
            }
        }
    }

    #[test]
    fn the_problem_codes_are_unique_and_named_by_their_uri() {
        let kinds = ApiError::kinds();
        let codes: BTreeSet<&str> = kinds.iter().map(|kind| kind.code()).collect();
        assert_eq!(codes.len(), kinds.len());
        for kind in &kinds {
            let problem = Problem::from(kind);
            assert_eq!(problem.kind, format!("{PROBLEM_TYPE_PREFIX}{}", kind.code()));
        }
    }

    #[test]
    fn the_committed_document_is_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED_PATH);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let fresh = to_pretty_json();
        let same = serde_json::from_str::<Value>(&committed).ok() == serde_json::from_str::<Value>(&fresh).ok();
        assert!(same, "{COMMITTED_PATH} is not the document the code generates; regenerate it with `{REGENERATE}`");
    }
}
