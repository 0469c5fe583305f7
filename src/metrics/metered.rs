//! The registries as the income check and the co-financing report see them, each call counted
//! by system and outcome and timed. One wrapper per role, over any adapter: the outcome is the
//! domain's (`ok` or the gap reason the call would leave), so the series and the records' gaps
//! say the same. A call dropped before it ended (the request's deadline passed) counts as a
//! `timeout`, as its gap does.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use gateway_adapters::Registries;
use gateway_domain::{
    CadastralProperty, Cadastre, CoFinancingSource, CoFinancingStatement, DeclaredAddress, Fact, GapTopic, Month,
    PersonCode, PersonQuery, PersonRecord, PersonSource, PopulationRegister, RequestContext, SourceError, System,
};

use super::{Metrics, registry_outcome};

/// `registries`, every call counted in `metrics`.
pub fn metered(registries: Registries, metrics: &Metrics) -> Registries {
    let wrap = |system, metrics: &Metrics| Meter { system, metrics: metrics.clone() };
    Registries {
        population: Arc::new(Metered { inner: registries.population, meter: wrap(System::Pmlp, metrics) }),
        person_sources: registries
            .person_sources
            .into_iter()
            .map(|source| {
                let meter = wrap(source.system(), metrics);
                Arc::new(Metered { inner: source, meter }) as Arc<dyn PersonSource>
            })
            .collect(),
        ownership_sources: registries
            .ownership_sources
            .into_iter()
            .map(|source| {
                let meter = wrap(source.system(), metrics);
                Arc::new(Metered { inner: source, meter }) as Arc<dyn PersonSource>
            })
            .collect(),
        cadastre: Arc::new(Metered { inner: registries.cadastre, meter: wrap(System::Cadastre, metrics) }),
        cofinancing: Arc::new(Metered { inner: registries.cofinancing, meter: wrap(System::Spolis, metrics) }),
        breakers: registries.breakers,
    }
}

struct Meter {
    system: System,
    metrics: Metrics,
}

/// Counts a call when it ends, or as a timeout when it is dropped first.
struct InFlight<'a> {
    meter: &'a Meter,
    started: Instant,
    ended: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.meter.metrics.registry_call(self.meter.system, "timeout", self.started.elapsed());
        }
    }
}

impl Meter {
    async fn observe<T>(&self, call: impl Future<Output = Result<T, SourceError>>) -> Result<T, SourceError> {
        let mut flight = InFlight { meter: self, started: Instant::now(), ended: false };
        let result = call.await;
        flight.ended = true;
        let outcome = registry_outcome(result.as_ref().map(|_| ()));
        self.metrics.registry_call(self.system, outcome, flight.started.elapsed());
        result
    }
}

struct Metered<T: ?Sized> {
    inner: Arc<T>,
    meter: Meter,
}

#[async_trait]
impl PopulationRegister for Metered<dyn PopulationRegister> {
    async fn person(&self, person: &PersonCode, ctx: &RequestContext) -> Result<PersonRecord, SourceError> {
        self.meter.observe(self.inner.person(person, ctx)).await
    }

    async fn declared_address(
        &self,
        person: &PersonCode,
        ctx: &RequestContext,
    ) -> Result<DeclaredAddress, SourceError> {
        self.meter.observe(self.inner.declared_address(person, ctx)).await
    }

    async fn residents(&self, address_code: &str, ctx: &RequestContext) -> Result<Vec<PersonRecord>, SourceError> {
        self.meter.observe(self.inner.residents(address_code, ctx)).await
    }
}

#[async_trait]
impl PersonSource for Metered<dyn PersonSource> {
    fn system(&self) -> System {
        self.inner.system()
    }

    fn topics(&self) -> &'static [GapTopic] {
        self.inner.topics()
    }

    async fn fetch(&self, query: &PersonQuery, ctx: &RequestContext) -> Result<Vec<Fact>, SourceError> {
        self.meter.observe(self.inner.fetch(query, ctx)).await
    }
}

#[async_trait]
impl Cadastre for Metered<dyn Cadastre> {
    async fn property(&self, cadastral_number: &str, ctx: &RequestContext) -> Result<CadastralProperty, SourceError> {
        self.meter.observe(self.inner.property(cadastral_number, ctx)).await
    }
}

#[async_trait]
impl CoFinancingSource for Metered<dyn CoFinancingSource> {
    async fn confirmations(
        &self,
        municipality: &str,
        month: Month,
        ctx: &RequestContext,
    ) -> Result<CoFinancingStatement, SourceError> {
        self.meter.observe(self.inner.confirmations(municipality, month, ctx)).await
    }
}
