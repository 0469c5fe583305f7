//! `gateway demo`: the whole service on one machine with nothing to configure. It builds the
//! synthetic population, starts every registry simulator and the API on loopback, runs one
//! income check through the API for a sample household and prints the record.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use gateway_adapters::RegistriesConfig;
use gateway_domain::{HouseholdRecord, Period, System};
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

/// The systems an income check asks about persons (every registry but the Population
/// Register, which the household comes from, the cadastre, asked about the Land Registry's
/// properties, and SPOLIS's co-financing, asked about a municipality).
fn person_registries() -> impl Iterator<Item = System> {
    RegistriesConfig::SYSTEMS.iter().copied().filter(|s| !matches!(s, System::Pmlp | System::Cadastre | System::Spolis))
}

/// The incoming systems that know something of a member of `household` in the period.
pub fn systems_knowing(population: &Population, household: &SyntheticHousehold, period: Period) -> Vec<System> {
    person_registries()
        .filter(|&system| household.members.iter().any(|m| population.knows(system, m, period)))
        .collect()
}

/// The household the demo checks: of the households of at least two members, the first that
/// every incoming registry knows something of, so that the record shows facts from each;
/// failing that, the one the most registries know of.
pub fn sample_household(population: &Population, period: Period) -> Option<&SyntheticHousehold> {
    let wanted = person_registries().count();
    let mut best: Option<(usize, &SyntheticHousehold)> = None;
    for household in population.households().iter().filter(|h| h.members.len() >= 2) {
        let known = systems_knowing(population, household, period).len();
        if known == wanted {
            return Some(household);
        }
        if best.is_none_or(|(most, _)| known > most) {
            best = Some((known, household));
        }
    }
    best.map(|(_, household)| household)
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
    let known = systems_knowing(&population, household, period);
    let silent: Vec<&str> = person_registries().filter(|s| !known.contains(s)).map(System::key).collect();
    if !silent.is_empty() {
        eprintln!("The sample household has no facts from: {}.", silent.join(", "));
    }
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
    eprintln!(
        "            curl -s -H \"authorization: Bearer $GATEWAY_TOKEN_REPORTS\" '{}/v1/food-aid-kits?month={}'",
        demo.server.url(),
        period.to()
    );
    if once {
        return Ok(());
    }
    eprintln!("Serving until Ctrl-C.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
