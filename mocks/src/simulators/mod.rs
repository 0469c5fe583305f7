//! All simulators together: started at once over one population and one set of credentials,
//! each on its own port, each stoppable on its own.
//!
//! Each system's module implements [`Simulator`]: how it mounts itself onto its server, what it
//! leaves to read afterwards, and the gateway configuration that points at it. The table at the
//! end of this file names one simulator per system; adding a system is its module and one line
//! there, and a system without a line does not compile.

mod config;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gateway_domain::System;
use wiremock::matchers::{any, path, path_regex};
use wiremock::{Mock, MockServer, Respond};

pub(crate) use config::Table;

use crate::credentials::SimulatorCredentials;
use crate::deliveries::Ledger;
use crate::digisoc::DigisocDesk;
use crate::faults::{ADMIN_PATH, AdminRoute, Faults, Faulty};
use crate::kim::KimDesk;
use crate::population::Population;
use crate::rest::token::IssuedTokens;

/// How long [`Simulators::stop`] waits for a server to stop accepting connections.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// One system's simulator, as the table at the end of this file starts it.
pub(crate) trait Simulator {
    /// Mounts the system's responders onto `on.server`, each behind the simulator's faults,
    /// and returns what is read from it afterwards.
    fn mount(on: &Mount<'_>) -> impl Future<Output = Handle> + Send;

    /// The tables of the gateway's TOML configuration that point its adapter at `url` with
    /// `credentials`, each ending in a newline.
    fn config_toml(url: &str, credentials: &SimulatorCredentials) -> String;
}

/// What a simulator is mounted with: its server, the population it serves, the credentials
/// it accepts, the URL it is reached at, and its faults.
pub(crate) struct Mount<'a> {
    server: &'a MockServer,
    population: &'a Arc<Population>,
    pub(crate) credentials: &'a SimulatorCredentials,
    pub(crate) url: &'a str,
    faults: &'a Faults,
}

impl Mount<'_> {
    /// The population the simulator serves.
    pub(crate) fn population(&self) -> Arc<Population> {
        Arc::clone(self.population)
    }

    /// Mounts `responder` for every request. `sample` is a valid answer of its contract (its
    /// schema example), which truncated answers are cut from.
    pub(crate) async fn serve(&self, responder: impl Respond + 'static, sample: &'static [u8]) {
        let responder = Faulty::new(responder, self.faults.clone(), sample);
        Mock::given(any()).respond_with(responder).mount(self.server).await;
    }

    /// Mounts `responder` for paths starting with `prefix` only, so that another contract's
    /// responder can answer beside it on the same server.
    pub(crate) async fn serve_under(&self, prefix: &str, responder: impl Respond + 'static, sample: &'static [u8]) {
        let responder = Faulty::new(responder, self.faults.clone(), sample);
        Mock::given(path_regex(format!("^{prefix}"))).respond_with(responder).mount(self.server).await;
    }
}

/// What a simulator leaves to read its counters after the fact.
pub(crate) enum Handle {
    /// A registry behind a token endpoint whose issued tokens are counted.
    Tokens(IssuedTokens),
    /// A partner that receives status decisions: its deliveries and counters.
    Partner(Ledger),
    /// DigiSoc: the referrals it took and its counters, and the feed of execution reports.
    Digisoc(DigisocDesk),
    /// KIM: the decisions it accepted and its counters, and the kits it issues under them.
    Kim(KimDesk),
    /// A simulator with nothing to read afterwards: its requests are counted by its `Faults`.
    Plain,
}

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
    handle: Handle,
    /// Its fault configuration and request counters.
    faults: Faults,
}

/// Starts the simulator of `system` on `listener`, reachable at `url`.
async fn start(
    system: System,
    population: &Arc<Population>,
    credentials: &SimulatorCredentials,
    listener: TcpListener,
    url: &str,
    faults: &Faults,
) -> (MockServer, Handle) {
    // Requests are counted by the simulators themselves; recording every body as well
    // would grow without bound under load.
    let server = MockServer::builder().listener(listener).disable_request_recording().start().await;
    // The admin route goes first (wiremock's lower number wins) and is never faulted.
    Mock::given(path(ADMIN_PATH)).respond_with(AdminRoute::new(faults.clone())).with_priority(1).mount(&server).await;
    let handle = mount(system, &Mount { server: &server, population, credentials, url, faults }).await;
    (server, handle)
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
            let (server, handle) = start(system, &population, &credentials, listener, &url, &faults).await;
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
            Some(Handle::Partner(ledger)) => ledger.clone(),
            Some(Handle::Digisoc(desk)) => desk.ledger(),
            Some(Handle::Kim(desk)) => desk.ledger(),
            _ => Ledger::default(),
        }
    }

    /// The DigiSoc simulator's desk: the referrals it accepted and its counters, and the feed
    /// of execution reports, which tests add reports, corrections and repeats to as providers
    /// would. Still readable after [`stop`](Simulators::stop).
    pub fn digisoc(&self) -> DigisocDesk {
        match self.running.get(&System::Digisoc).map(|r| &r.handle) {
            Some(Handle::Digisoc(desk)) => desk.clone(),
            // Every system is started with the others; this desk serves nobody.
            _ => DigisocDesk::default(),
        }
    }

    /// The KIM simulator's desk: the status decisions it accepted and its counters, and the
    /// kits it issues under them month by month, which the gateway's read of the kits is
    /// compared with. Still readable after [`stop`](Simulators::stop).
    pub fn kim(&self) -> KimDesk {
        match self.running.get(&System::Kim).map(|r| &r.handle) {
            Some(Handle::Kim(desk)) => desk.clone(),
            // Every system is started with the others; this desk serves nobody.
            _ => KimDesk::default(),
        }
    }

    /// Times that partner accepted each idempotency key: exactly-once delivery as the partner
    /// sees it is every key at 1. A partner deduplicates by key, so a count above 1 would
    /// mean its deduplication failed.
    pub fn accepted(&self, system: System) -> HashMap<String, u32> {
        self.ledger(system).accepted()
    }

    /// Times that partner accepted each decision version (decision reference, version; for
    /// DigiSoc, referral reference and version), whatever the key it came with: above 1 means
    /// the gateway sent one version under two keys and the partner took it twice.
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

    /// The gateway's configuration for every simulator, without a header: each system's
    /// tables in [`System::ALL`] order, pointing its adapter at the simulator's URL with the
    /// credentials the simulators accept.
    pub fn config_toml(&self) -> String {
        let tables: Vec<String> =
            System::ALL.iter().map(|&system| config_toml(system, &self.url(system), &self.credentials)).collect();
        tables.join("\n")
    }

    /// Access tokens the PMLP token endpoint has issued.
    pub fn tokens_issued(&self) -> usize {
        match self.running.get(&System::Pmlp).map(|r| &r.handle) {
            Some(Handle::Tokens(issued)) => issued.get(),
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

/// Declares the simulator of each system, one line each: `System variant => simulator type`.
/// The generated `match`es name every variant, so a system without a simulator does not compile.
macro_rules! simulators {
    ($($system:ident => $simulator:ty,)+) => {
        /// Mounts `system`'s simulator.
        async fn mount(system: System, on: &Mount<'_>) -> Handle {
            match system {
                $(System::$system => <$simulator as Simulator>::mount(on).await,)+
            }
        }

        /// `system`'s tables of the gateway configuration.
        fn config_toml(system: System, url: &str, credentials: &SimulatorCredentials) -> String {
            match system {
                $(System::$system => <$simulator as Simulator>::config_toml(url, credentials),)+
            }
        }
    };
}

simulators! {
    Pmlp => crate::pmlp::PmlpSimulator,
    Vsaa => crate::vsaa::VsaaSimulator,
    Nva => crate::nva::NvaSimulator,
    Vdeavk => crate::vdeavk::VdeavkSimulator,
    LandRegistry => crate::land_registry::LandRegistrySimulator,
    Cadastre => crate::cadastre::CadastreSimulator,
    Spolis => crate::spolis::SpolisSimulator,
    Baris => crate::baris::BarisSimulator,
    Bridzis => crate::bridzis::BridzisSimulator,
    Nino => crate::nino::NinoSimulator,
    Digisoc => crate::digisoc::DigisocSimulator,
    Ugfa => crate::ugfa::UgfaSimulator,
    Jpa => crate::jpa::JpaSimulator,
    Ur => crate::ur::UrSimulator,
    Vid => crate::vid::VidSimulator,
    Lad => crate::lad::LadSimulator,
    Csdd => crate::csdd::CsddSimulator,
    Vtua => crate::vtua::VtuaSimulator,
    Viis => crate::viis::ViisSimulator,
    Npais => crate::npais::NpaisSimulator,
    Aldis => crate::aldis::AldisSimulator,
    Kim => crate::kim::KimSimulator,
}
