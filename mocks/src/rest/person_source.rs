//! The REST registries behind the simulated API gateway that answer one search about one person
//! (UGFA, NVA, LAD, UR, CSDD, VIIS, NPAIS): `POST <path>` with a query naming a `personCode`
//! and, for some, the months or dates asked about; the answer is what the population holds for
//! that person. A registry names its path, words and query and writes its answer
//! ([`PersonRegistry`]); the token endpoint, the gateway's checks, the refusals of a query off
//! the contract and of a person the population does not know are [`PersonSource`]'s.
// A refusal is the answer itself, built at most once per request: boxing it buys nothing.
#![allow(clippy::result_large_err)]

use std::marker::PhantomData;
use std::sync::Arc;

use gateway_domain::{Month, Period, PersonCode, parse_iso_date};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::Date;
use wiremock::{Request, Respond, ResponseTemplate};

use super::gateway::ApiGateway;
use super::{json, person_code};
use crate::credentials::SimulatorCredentials;
use crate::population::{Population, SyntheticPerson};
use crate::simulators::{Handle, Mount, Simulator, Table};

/// The path of the token endpoint of every registry behind the gateway.
const TOKEN_PATH: &str = "/oauth2/token";

/// What one registry's search is called, reads and answers.
pub(crate) trait PersonRegistry: Send + Sync + 'static {
    /// The registry's name in log lines.
    const NAME: &'static str;
    /// The path of the one search.
    const PATH: &'static str;
    /// A valid answer of the schema's examples, which truncated answers are cut from.
    const SAMPLE: &'static [u8];
    /// What every problem `type` starts with.
    const PROBLEM_PREFIX: &'static str;
    /// The gateway's settings table of the registry (`registries.ugfa`).
    const TABLE: &'static str;
    /// What the body must be, said in the refusal of one that is not the query.
    const SHAPE: &'static str;
    /// How the contract reads `personCode` and words its refusals.
    const REFUSALS: Refusals;

    /// The query, as the contract's query schema defines it.
    type Query: SearchQuery;

    /// The answer about `person`, a person of `population`, for what the query asked.
    fn answer(population: &Population, person: &SyntheticPerson, asked: Asked<Self>) -> impl Serialize;
}

/// What a registry's query asks beside the person.
pub(crate) type Asked<R> = <<R as PersonRegistry>::Query as SearchQuery>::Asked;

/// How a contract reads `personCode` and words the 400 that refuses a query off it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusals {
    /// Any personal code [`PersonCode::parse`] takes; the reason is the problem's title
    /// (UGFA, NVA, CSDD).
    Titled,
    /// Eleven digits ([`person_code`]); the reason is the detail of an `Invalid request`
    /// problem (LAD, UR, VIIS, NPAIS).
    Detailed,
}

/// A search query: the person it names and what else it asks.
pub(crate) trait SearchQuery: DeserializeOwned {
    /// What the query asks beside the person: months, dates or nothing.
    type Asked;

    /// The `personCode` as sent.
    fn person_code(&self) -> &str;

    /// What else the query asks; the refusal is the reason, in the contract's field names.
    fn asked(&self) -> Result<Self::Asked, &'static str>;
}

/// A query naming the person and nothing else (UR, CSDD).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PersonQuery {
    person_code: String,
}

impl SearchQuery for PersonQuery {
    type Asked = ();

    fn person_code(&self) -> &str {
        &self.person_code
    }

    fn asked(&self) -> Result<(), &'static str> {
        Ok(())
    }
}

/// A query naming the person and the months asked about, `YYYY-MM` (UGFA, NVA, LAD).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct MonthsQuery {
    person_code: String,
    from_month: String,
    to_month: String,
}

impl SearchQuery for MonthsQuery {
    type Asked = Period;

    fn person_code(&self) -> &str {
        &self.person_code
    }

    fn asked(&self) -> Result<Period, &'static str> {
        let from = Month::parse(&self.from_month).map_err(|_| "fromMonth is YYYY-MM")?;
        let to = Month::parse(&self.to_month).map_err(|_| "toMonth is YYYY-MM")?;
        Period::new(from, to).map_err(|_| "the period is not valid")
    }
}

/// A query naming the person and the days asked about, `YYYY-MM-DD` (VIIS, NPAIS).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct DatesQuery {
    person_code: String,
    from_date: String,
    to_date: String,
}

impl SearchQuery for DatesQuery {
    /// The first and the last day.
    type Asked = (Date, Date);

    fn person_code(&self) -> &str {
        &self.person_code
    }

    fn asked(&self) -> Result<(Date, Date), &'static str> {
        let first = parse_iso_date(&self.from_date).ok_or("fromDate is YYYY-MM-DD")?;
        let last = parse_iso_date(&self.to_date).ok_or("toDate is YYYY-MM-DD")?;
        if last < first {
            return Err("toDate is before fromDate");
        }
        Ok((first, last))
    }
}

/// The simulator of the registry `R`.
pub(crate) struct PersonSource<R: PersonRegistry> {
    population: Arc<Population>,
    gateway: ApiGateway,
    registry: PhantomData<fn() -> R>,
}

impl<R: PersonRegistry> PersonSource<R> {
    /// A simulator reachable at `base_url` (used as the token audience).
    pub(crate) fn new(population: Arc<Population>, credentials: &SimulatorCredentials, base_url: &str) -> Self {
        let gateway = ApiGateway::new(credentials, base_url, TOKEN_PATH, R::PROBLEM_PREFIX);
        Self { population, gateway, registry: PhantomData }
    }

    /// The gateway in front of the search, for what else the registry serves behind it.
    pub(crate) fn gateway(&self) -> &ApiGateway {
        &self.gateway
    }

    fn route(&self, request: &Request) -> Result<ResponseTemplate, ResponseTemplate> {
        if let Some(answer) = self.gateway.token(request) {
            return Ok(answer);
        }
        if request.url.path() != R::PATH {
            return Err(self.gateway.problem(404, "no-such-operation", "No such operation"));
        }
        if request.method.as_str() != "POST" {
            return Err(self.gateway.method_not_allowed("POST"));
        }
        self.gateway.admit(request)?;
        let query: R::Query = self.gateway.json_body(request, R::SHAPE)?;
        let code = self.person_code(query.person_code())?;
        let asked = query.asked().map_err(|reason| self.invalid(reason))?;
        let Some(person) = self.population.person(&code) else {
            return Err(self.gateway.problem(404, "not-found", "No such person"));
        };
        Ok(json(&R::answer(&self.population, person, asked)))
    }

    fn person_code(&self, code: &str) -> Result<PersonCode, ResponseTemplate> {
        match R::REFUSALS {
            Refusals::Titled => PersonCode::parse(code).map_err(|_| self.invalid("personCode is not valid")),
            Refusals::Detailed => person_code(code).map_err(|reason| self.invalid(reason)),
        }
    }

    /// The 400 `invalid-request` problem giving `reason`, worded as the contract words it.
    fn invalid(&self, reason: &str) -> ResponseTemplate {
        match R::REFUSALS {
            Refusals::Titled => self.gateway.problem(400, "invalid-request", reason),
            Refusals::Detailed => self.gateway.invalid(reason),
        }
    }
}

impl<R: PersonRegistry> Respond for PersonSource<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = self.route(request).unwrap_or_else(|refusal| refusal);
        tracing::debug!(registry = R::NAME, "Registry simulator answered a request.");
        answer
    }
}

impl<R: PersonRegistry> Simulator for PersonSource<R> {
    async fn mount(on: &Mount<'_>) -> Handle {
        on.serve(Self::new(on.population(), on.credentials, on.url), R::SAMPLE).await;
        Handle::Plain
    }

    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String {
        Table::new(R::TABLE, url).with_oauth(credentials)
    }
}
