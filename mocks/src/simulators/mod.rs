//! All simulators together: started at once over one population and one set of credentials,
//! each on its own port, each stoppable on its own.
//!
//! Adding a system is one simulator module and one arm in [`SimulatorHandle::start`].

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway_domain::System;
use wiremock::matchers::{any, path, path_regex};
use wiremock::{Mock, MockServer};

use crate::baris::BarisSimulator;
use crate::bridzis::BridzisSimulator;
use crate::cadastre::CadastreSimulator;
use crate::credentials::SimulatorCredentials;
use crate::deliveries::Ledger;
use crate::faults::{ADMIN_PATH, AdminRoute, Faults, Faulty};
use crate::land_registry::LandRegistrySimulator;
use crate::nino::NinoSimulator;
use crate::nva::NvaSimulator;
use crate::pmlp::PmlpSimulator;
use crate::population::Population;
use crate::spolis::cofinancing::{self as spolis_cofinancing, SpolisCoFinancingSimulator};
use crate::spolis::monitoring::{self as spolis_monitoring, SpolisMonitoringSimulator};
use crate::vdeavk::VdeavkSimulator;
use crate::vsaa::VsaaSimulator;

#[cfg(test)]
mod tests;

/// How long [`Simulators::stop`] waits for a server to stop accepting connections.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Every simulator, running over one synthetic population.
pub struct Simulators {
    population: Arc<Population>,
    credentials: SimulatorCredentials,
    running: BTreeMap<System, Running>,
}

/// One simulator and the server it answers on.
struct Running {
    url: String,
    address: SocketAddr,
    /// `None` once stopped; dropping the server shuts it down.
    server: Option<MockServer>,
    handle: SimulatorHandle,
    /// Its fault configuration and request counters.
    faults: Faults,
}

/// The simulator's own state, kept to read its counters after the fact.
enum SimulatorHandle {
    Pmlp(PmlpSimulator),
    /// A partner that receives status decisions: its deliveries and counters.
    Partner(Ledger),
    /// A simulator with nothing to read afterwards: its requests are counted by its `Faults`.
    Plain,
}

impl SimulatorHandle {
    /// Starts the simulator of `system` on `listener`, reachable at `url`.
    async fn start(
        system: System,
        population: &Arc<Population>,
        credentials: &SimulatorCredentials,
        listener: TcpListener,
        url: &str,
        faults: &Faults,
    ) -> (MockServer, SimulatorHandle) {
        // Requests are counted by the simulators themselves; recording every body as well
        // would grow without bound under load.
        let server = MockServer::builder().listener(listener).disable_request_recording().start().await;
        // The admin route goes first (wiremock's lower number wins) and is never faulted.
        Mock::given(path(ADMIN_PATH))
            .respond_with(AdminRoute::new(faults.clone()))
            .with_priority(1)
            .mount(&server)
            .await;
        let handle = match system {
            System::Pmlp => {
                let simulator = PmlpSimulator::new(Arc::clone(population), credentials, url);
                let sample = include_bytes!("../../schemas/pmlp/examples/person.json");
                Mock::given(any())
                    .respond_with(Faulty::new(simulator.clone(), faults.clone(), sample))
                    .mount(&server)
                    .await;
                SimulatorHandle::Pmlp(simulator)
            }
            System::Vsaa => {
                let simulator = VsaaSimulator::new(Arc::clone(population), credentials);
                let sample = include_bytes!("../../schemas/vsaa/examples/get-person-incomes-response.xml");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Plain
            }
            System::Nva => {
                let simulator = NvaSimulator::new(Arc::clone(population), credentials, url);
                let sample = include_bytes!("../../schemas/nva/examples/person-status.json");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Plain
            }
            System::Vdeavk => {
                let simulator = VdeavkSimulator::new(Arc::clone(population), credentials);
                let sample = include_bytes!("../../schemas/vdeavk/examples/get-disability-determinations-response.xml");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Plain
            }
            System::Bridzis => {
                let simulator = BridzisSimulator::new(Arc::clone(population), credentials);
                let ledger = simulator.ledger();
                let sample = include_bytes!("../../schemas/bridzis/examples/receipt-accepted.json");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Partner(ledger)
            }
            System::LandRegistry => {
                let simulator = LandRegistrySimulator::new(Arc::clone(population), credentials);
                let sample = include_bytes!("../../schemas/land_registry/examples/get-person-ownerships-response.xml");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Plain
            }
            System::Cadastre => {
                let simulator = CadastreSimulator::new(Arc::clone(population), credentials, url);
                let sample = include_bytes!("../../schemas/cadastre/examples/property.json");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Plain
            }
            System::Spolis => {
                // Each SPOLIS contract answers under its own path prefix, so that the other
                // direction's responder can be mounted beside this one.
                let simulator = SpolisCoFinancingSimulator::new(Arc::clone(population), credentials, url);
                let sample = include_bytes!("../../schemas/spolis/cofinancing/examples/confirmations.json");
                Mock::given(path_regex(format!("^{}", spolis_cofinancing::PATH_PREFIX)))
                    .respond_with(Faulty::new(simulator, faults.clone(), sample))
                    .mount(&server)
                    .await;
                let simulator = SpolisMonitoringSimulator::new(Arc::clone(population), credentials);
                let ledger = simulator.ledger();
                let sample = include_bytes!(
                    "../../schemas/spolis/monitoring/examples/submit-monitoring-record-response-registered.xml"
                );
                Mock::given(path_regex(format!("^{}", spolis_monitoring::PATH_PREFIX)))
                    .respond_with(Faulty::new(simulator, faults.clone(), sample))
                    .mount(&server)
                    .await;
                SimulatorHandle::Partner(ledger)
            }
            System::Baris => {
                let simulator = BarisSimulator::new(Arc::clone(population), credentials);
                let ledger = simulator.ledger();
                let sample =
                    include_bytes!("../../schemas/baris/examples/deliver-household-status-response-accepted.xml");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Partner(ledger)
            }
            System::Nino => {
                let simulator = NinoSimulator::new(Arc::clone(population), credentials, url);
                let ledger = simulator.ledger();
                let sample = include_bytes!("../../schemas/nino/examples/relief-status-created.json");
                Mock::given(any()).respond_with(Faulty::new(simulator, faults.clone(), sample)).mount(&server).await;
                SimulatorHandle::Partner(ledger)
            }
        };
        (server, handle)
    }
}

impl Simulators {
    /// Starts every simulator on 127.0.0.1 with an OS-chosen port.
    pub async fn start_all(population: Arc<Population>) -> Simulators {
        Self::start_all_on(population, IpAddr::V4(Ipv4Addr::LOCALHOST), &HashMap::new())
            .await
            .expect("binding an OS-chosen local port for a simulator failed")
    }

    /// Same, on given ports (0 or absent = any) for `gateway simulate`.
    pub async fn start_all_on(
        population: Arc<Population>,
        ip: IpAddr,
        ports: &HashMap<System, u16>,
    ) -> std::io::Result<Simulators> {
        let credentials = SimulatorCredentials::default();
        // Bind every port before starting anything, so that a taken port fails the whole call.
        let mut listeners = Vec::with_capacity(System::ALL.len());
        for &system in System::ALL {
            let port = ports.get(&system).copied().unwrap_or(0);
            listeners.push((system, TcpListener::bind(SocketAddr::new(ip, port))?));
        }
        let mut running = BTreeMap::new();
        for (system, listener) in listeners {
            let address = listener.local_addr()?;
            let url = base_url(address);
            let faults = Faults::default();
            let (server, handle) =
                SimulatorHandle::start(system, &population, &credentials, listener, &url, &faults).await;
            tracing::info!(system = %system, url = %url, "Simulator started.");
            running.insert(system, Running { url, address, server: Some(server), handle, faults });
        }
        Ok(Simulators { population, credentials, running })
    }

    /// The simulator's base URL, without a trailing slash; still answers after [`stop`].
    ///
    /// [`stop`]: Simulators::stop
    pub fn url(&self, system: System) -> String {
        self.running.get(&system).map(|r| r.url.clone()).unwrap_or_default()
    }

    /// Shuts that simulator down: later calls get connection refused. Returns once the port
    /// no longer accepts connections.
    pub fn stop(&mut self, system: System) {
        let Some(running) = self.running.get_mut(&system) else { return };
        let Some(server) = running.server.take() else { return };
        drop(server);
        let address = connectable(running.address);
        let deadline = Instant::now() + STOP_TIMEOUT;
        // The server winds down on its own thread; wait until the listener is really closed.
        while Instant::now() < deadline && TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
            std::thread::sleep(Duration::from_millis(10));
        }
        tracing::info!(system = %system, "Simulator stopped.");
    }

    /// The credentials every simulator accepts.
    pub fn credentials(&self) -> &SimulatorCredentials {
        &self.credentials
    }

    /// The population the simulators serve.
    pub fn population(&self) -> &Arc<Population> {
        &self.population
    }

    /// Requests that simulator received, whatever their outcome.
    pub async fn received_requests(&self, system: System) -> usize {
        self.running.get(&system).map_or(0, |r| r.faults.total_requests() as usize)
    }

    /// That simulator's faults and request counters: change them while it runs.
    pub fn faults(&self, system: System) -> Faults {
        self.running.get(&system).map(|r| r.faults.clone()).unwrap_or_default()
    }

    /// The ledger of a partner simulator; empty for systems that receive no deliveries.
    fn ledger(&self, system: System) -> Ledger {
        match self.running.get(&system).map(|r| &r.handle) {
            Some(SimulatorHandle::Partner(ledger)) => ledger.clone(),
            _ => Ledger::default(),
        }
    }

    /// Times that partner accepted each idempotency key: exactly-once delivery as the partner
    /// sees it is every key at 1. A partner deduplicates by key, so a count above 1 would
    /// mean its deduplication failed.
    pub fn accepted(&self, system: System) -> HashMap<String, u32> {
        self.ledger(system).accepted()
    }

    /// Times that partner accepted each decision version (decision reference, version),
    /// whatever the key it came with: above 1 means the gateway sent one decision version
    /// under two keys and the partner took it twice.
    pub fn accepted_decisions(&self, system: System) -> HashMap<(String, u32), u32> {
        self.ledger(system).accepted_decisions()
    }

    /// Duplicate acknowledgements that partner answered, per idempotency key: deliveries it
    /// had already accepted, which changed nothing there.
    pub fn duplicates(&self, system: System) -> HashMap<String, u32> {
        self.ledger(system).duplicates()
    }

    /// Permanent refusals that partner answered (invalid message, unknown person, key reused;
    /// authorisation aside), per idempotency key.
    pub fn rejected(&self, system: System) -> HashMap<String, u32> {
        self.ledger(system).rejected()
    }

    /// Access tokens the PMLP token endpoint has issued.
    pub fn tokens_issued(&self) -> usize {
        match self.running.get(&System::Pmlp).map(|r| &r.handle) {
            Some(SimulatorHandle::Pmlp(simulator)) => simulator.tokens_issued(),
            _ => 0,
        }
    }
}

impl std::fmt::Debug for Simulators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("Simulators");
        for (system, running) in &self.running {
            debug.field(system.key(), &running.url);
        }
        debug.finish()
    }
}

/// The URL clients use; a wildcard address is reached through the loopback interface.
fn base_url(address: SocketAddr) -> String {
    format!("http://{}", connectable(address))
}

fn connectable(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), address.port())
        }
        _ => address,
    }
}
