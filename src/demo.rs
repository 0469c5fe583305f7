//! `gateway demo`: the whole service on one machine with nothing to configure. It builds the
//! synthetic population, starts every registry simulator and the API on loopback, runs one
//! income check through the API for a sample household and prints the record.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use gateway_domain::{HouseholdRecord, Period, PersonCode, StatusKind};
use gateway_mocks::{Population, Simulators, SyntheticHousehold};
use time::OffsetDateTime;

use crate::auth::Role;
use crate::auth::issuer::DemoIssuer;
use crate::config::IncomeCheckConfig;
use crate::startup::{Server, simulator_config, spawn_server};

/// Options of the demo.
pub struct DemoOptions {
    pub seed: u64,
    pub persons: usize,
    pub bind: SocketAddr,
}

/// A running demo: simulators and API. Dropping it stops the simulators.
pub struct Demo {
    pub simulators: Simulators,
    pub server: Server,
    /// The stand-in identity provider whose tokens the API accepts.
    pub issuer: DemoIssuer,
}

/// How long the tokens the demo prints stay valid.
const DEMO_TOKEN_TTL: Duration = Duration::from_secs(8 * 3600);

/// The household the demo checks: the first of at least two members with incomes in the
/// period, a member registered unemployed, a member with a disability determination and real
/// estate, and a child UGFA pays maintenance for, so that the record shows every registry;
/// failing that, the same without the child; failing that, the first of at least three
/// members of whom two have incomes.
pub fn sample_household(population: &Population, period: Period) -> Option<&SyntheticHousehold> {
    let (first, last) = (period.from().first_day(), period.to().last_day());
    let earners =
        |h: &SyntheticHousehold| h.members.iter().filter(|m| !population.incomes(m, period).is_empty()).count();
    let unemployed =
        |m: &PersonCode| population.nva_statuses(m, first, last).iter().any(|s| s.kind == StatusKind::Unemployed);
    let rich = |h: &&SyntheticHousehold| {
        h.members.len() >= 2
            && earners(h) >= 1
            && h.members.iter().any(unemployed)
            && h.members.iter().any(|m| !population.disabilities(m, first, last).is_empty())
            && h.members.iter().any(|m| !population.assets(m).is_empty())
    };
    let maintained = |h: &&SyntheticHousehold| h.members.iter().any(|m| !population.ugfa_incomes(m, period).is_empty());
    let households = population.households();
    households
        .iter()
        .find(|h| rich(h) && maintained(h))
        .or_else(|| households.iter().find(rich))
        .or_else(|| households.iter().find(|h| h.members.len() >= 3 && earners(h) >= 2))
}

pub async fn start(options: &DemoOptions) -> anyhow::Result<Demo> {
    let population = Arc::new(Population::generate(options.seed, options.persons));
    let simulators = Simulators::start_all(population).await;
    let issuer = DemoIssuer::generate();
    let mut config = simulator_config(&simulators, options.bind, IncomeCheckConfig::default());
    config.auth = Some(issuer.auth_config());
    let server = spawn_server(&config).await?;
    Ok(Demo { simulators, server, issuer })
}

/// Runs one income check through the API, as the case system would.
pub async fn check(server_url: &str, token: &str, household: &SyntheticHousehold) -> anyhow::Result<HouseholdRecord> {
    let body = serde_json::json!({
        "applicant": household.members[0].as_str(),
        "purpose": "means_test",
    });
    let response = reqwest::Client::new()
        .post(format!("{server_url}/v1/income-checks"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .context("the API did not answer")?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "the income check failed with {status}: {text}");
    serde_json::from_str(&text).context("the API's answer is not a household record")
}

pub async fn run(options: DemoOptions, once: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let demo = start(&options).await?;
    let population = demo.simulators.population().clone();
    eprintln!(
        "Synthetic population: {} persons in {} households (seed {}), simulators and API up in {} ms.",
        population.persons().len(),
        population.households().len(),
        options.seed,
        started.elapsed().as_millis()
    );
    let period = Period::last_full_months(OffsetDateTime::now_utc().date(), 3);
    let household = sample_household(&population, period).context("the population has no sample household")?;
    let token = demo.issuer.token("demo-caseworker", &[Role::Caseworker], Duration::from_secs(60));
    let record = check(&demo.server.url(), &token, household).await?;
    println!("{}", serde_json::to_string_pretty(&record)?);
    eprintln!();
    eprintln!("API:        {}", demo.server.url());
    eprintln!("Console:    {}/console (sign in with $GATEWAY_TOKEN_OPERATOR)", demo.server.url());
    for system in gateway_domain::System::ALL {
        eprintln!("Simulator:  {:<13} {}", system.key(), demo.simulators.url(*system));
    }
    eprintln!();
    eprintln!("Tokens, one per role, valid for 8 hours (paste these lines into your shell):");
    eprint!("{}", demo.issuer.token_exports(DEMO_TOKEN_TTL));
    eprintln!();
    eprintln!(
        "Try:        curl -s -X POST {}/v1/income-checks -H \"authorization: Bearer $GATEWAY_TOKEN_CASEWORKER\" \\\n              -H 'content-type: application/json' -d '{{\"applicant\":\"{}\",\"purpose\":\"means_test\"}}'",
        demo.server.url(),
        household.members[0].as_str()
    );
    eprintln!(
        "            curl -s -H \"authorization: Bearer $GATEWAY_TOKEN_REPORTS\" {}/v1/co-financing/{}/{}",
        demo.server.url(),
        gateway_mocks::HOME_MUNICIPALITY,
        period.to()
    );
    if once {
        return Ok(());
    }
    eprintln!("Serving until Ctrl-C.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
