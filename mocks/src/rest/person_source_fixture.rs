//! The checks every person-source registry simulator of [`super::person_source`] passes (UGFA,
//! NVA, LAD, UR, CSDD, VIIS, NPAIS): a client holding a token from the registry's token
//! endpoint asks its search ([`Search`]), every answer and problem checked against the
//! registry's schemas, a query off the contract, one without a token, the shared faults and
//! the paths and methods the registry does not serve. A registry joins by naming
//! its [`SearchContract`]; what its answers hold it compares with the population itself.

use gateway_domain::{PersonCode, System};
use serde_json::{Value, json};

use crate::test_support::{assert_valid_json, fetch_token, test_population};
use crate::{FaultConfig, Simulators};

/// Queries of days (VIIS, NPAIS) that are off the schema, about the person `code`: the days
/// backwards, a day not `YYYY-MM-DD`, a personal code not of 11 digits, months for days.
pub(crate) fn dates_queries_off_the_schema(code: &str) -> [Value; 4] {
    [
        json!({ "personCode": code, "fromDate": "2026-12-31", "toDate": "2026-01-01" }),
        json!({ "personCode": code, "fromDate": "2026-1-1", "toDate": "2026-12-31" }),
        json!({ "personCode": "1234", "fromDate": "2026-01-01", "toDate": "2026-12-31" }),
        json!({ "personCode": code, "fromMonth": "2026-01" }),
    ]
}

/// Where one registry's search lives.
pub(crate) struct SearchContract {
    pub(crate) system: System,
    /// The schema folder under `schemas/`, which the problem types are named after too.
    pub(crate) folder: &'static str,
    pub(crate) path: &'static str,
    /// A path beside it that the registry does not serve.
    pub(crate) other_path: &'static str,
    /// The query's schema in the folder (`maintenance-query`).
    pub(crate) query: &'static str,
    /// The answer's schema in the folder (`maintenance-payments`).
    pub(crate) answer: &'static str,
}

impl SearchContract {
    fn schema(&self, name: &str) -> String {
        format!("{}/{name}.schema.json", self.folder)
    }

    fn problem_type(&self, code: &str) -> String {
        format!("urn:lv:{}:problem:{code}", self.folder)
    }

    fn assert_problem(&self, problem: &Value) {
        assert_valid_json(&self.schema("problem"), problem);
    }
}

/// A client of one registry's search over fresh simulators, holding a token from its token
/// endpoint.
pub(crate) struct Search {
    contract: &'static SearchContract,
    simulators: Simulators,
    client: reqwest::Client,
    bearer: String,
    base: String,
}

impl Search {
    /// Starts the simulators over the test population and fetches a token.
    pub(crate) async fn start(contract: &'static SearchContract) -> Search {
        let simulators = Simulators::start_all(test_population()).await;
        let base = simulators.url(contract.system);
        let client = reqwest::Client::new();
        let bearer = fetch_token(&client, &format!("{base}/oauth2/token"), simulators.credentials()).await;
        Search { contract, simulators, client, bearer, base }
    }

    /// Posts `body` to the search with the token and the headers the gateway asks for; the
    /// answer's status and body.
    pub(crate) async fn ask(&self, body: &Value) -> (u16, Value) {
        self.ask_at(self.contract.path, body).await
    }

    /// The same, at `path`.
    pub(crate) async fn ask_at(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.bearer)
            .header("x-request-id", "r-1")
            .header("x-purpose", "means_test")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Asks about each of `codes` with the query `query` writes for it, which follows the query
    /// schema: a person the population does not know is a 404 `not-found` problem, a known one
    /// a 200 answer following the answer schema, which `check` compares with the population.
    pub(crate) async fn assert_answers<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a PersonCode>,
        query: impl Fn(&PersonCode) -> Value,
        mut check: impl FnMut(&PersonCode, &Value),
    ) {
        let population = self.simulators.population();
        for code in codes {
            let body = query(code);
            assert_valid_json(&self.contract.schema(self.contract.query), &body);
            let (status, answer) = self.ask(&body).await;
            if population.person(code).is_none() {
                assert_eq!(status, 404);
                self.contract.assert_problem(&answer);
                assert_eq!(answer["type"], self.contract.problem_type("not-found").as_str());
                continue;
            }
            assert_eq!(status, 200);
            assert_valid_json(&self.contract.schema(self.contract.answer), &answer);
            check(code, &answer);
        }
    }

    /// Each of `bodies` is refused with a 400 `invalid-request` problem.
    pub(crate) async fn assert_invalid(&self, bodies: impl IntoIterator<Item = Value>) {
        for body in bodies {
            let (status, problem) = self.ask(&body).await;
            assert_eq!(
                (status, problem["type"].as_str()),
                (400, Some(self.contract.problem_type("invalid-request").as_str())),
                "{body}"
            );
            self.contract.assert_problem(&problem);
        }
    }

    /// A query without a token is refused with a 401.
    pub(crate) async fn assert_a_token_is_required(&self) {
        let url = format!("{}{}", self.base, self.contract.path);
        let refused = self.client.post(&url).json(&json!({})).send().await.unwrap();
        assert_eq!(refused.status(), 401, "no token, no answer");
    }

    /// The registry's outage is a 503, another path a 404 `no-such-operation` problem, another
    /// method a 405, and every request is counted; `body` is a valid query.
    pub(crate) async fn assert_faults_apply_and_other_paths_are_not_served(&self, body: &Value) {
        let faults = self.simulators.faults(self.contract.system);
        let url = format!("{}{}", self.base, self.contract.path);
        faults.set(FaultConfig { outage: true, ..FaultConfig::default() });
        let response = self.client.post(&url).bearer_auth(&self.bearer).json(body).send().await.unwrap();
        assert_eq!(response.status(), 503);
        faults.set(FaultConfig::default());
        let (status, problem) = self.ask_at(self.contract.other_path, body).await;
        let no_such_operation = self.contract.problem_type("no-such-operation");
        assert_eq!((status, problem["type"].as_str()), (404, Some(no_such_operation.as_str())));
        let response = self.client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 405);
        assert!(faults.total_requests() >= 4, "every request is counted");
    }
}
