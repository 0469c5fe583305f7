//! What every adapter is to the gateway, whatever its system: built from its section of the
//! settings, watched through its circuit breaker, and playing one role. The lists in `lib.rs`
//! name each adapter once; the settings' sections, the registries, the partners and the
//! breakers `/readyz` reports all come from those lists through this trait.

use std::fmt::Debug;
use std::sync::Arc;

use gateway_domain::{
    Cadastre, CoFinancingSource, FoodAidKits, PersonSource, PopulationRegister, ReferralChannel, StatusSink, System,
};
use serde::de::DeserializeOwned;

use crate::TransportError;
use crate::transport::resilience::Breaker;

/// One external system's adapter.
pub trait Adapter: Sized {
    /// The system it talks to.
    const SYSTEM: System;

    /// Its section of the settings.
    type Config: DeserializeOwned + Clone + Debug;

    /// Builds the client; fails on settings it cannot use (an unreadable key, a bad URL).
    fn build(config: &Self::Config) -> Result<Self, TransportError>;

    /// The circuit breaker of its calls, for health reporting.
    fn breaker(&self) -> Breaker;

    /// What the gateway uses it for.
    fn role(self) -> Role;
}

/// What the gateway uses an adapter for.
pub enum Role {
    /// Who a person is and who lives with them.
    Population(Arc<dyn PopulationRegister>),
    /// Facts about one person (incomes, statuses).
    Person(Arc<dyn PersonSource>),
    /// Ownerships of one person, whose properties the cadastre is then asked about.
    Ownerships(Arc<dyn PersonSource>),
    /// Properties by cadastral number.
    Cadastre(Arc<dyn Cadastre>),
    /// Confirmations of the state's co-financing.
    CoFinancing(Arc<dyn CoFinancingSource>),
    /// A partner that must learn of status decisions.
    Partner(Arc<dyn StatusSink>),
    /// The service-provider platform referrals go out to and execution reports come from.
    Referrals(Arc<dyn ReferralChannel>),
    /// A partner that must learn of status decisions and reports the food-aid kits issued (KIM).
    FoodAid { sink: Arc<dyn StatusSink>, kits: Arc<dyn FoodAidKits> },
}

impl Role {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Role::Population(_) => "population register",
            Role::Person(_) => "person source",
            Role::Ownerships(_) => "source of ownerships",
            Role::Cadastre(_) => "cadastre",
            Role::CoFinancing(_) => "co-financing source",
            Role::Partner(_) => "partner",
            Role::Referrals(_) => "referral channel",
            Role::FoodAid { .. } => "food-aid partner",
        }
    }
}

/// An adapter built from its section: its system, breaker and role.
pub struct Built {
    pub system: System,
    pub breaker: Breaker,
    pub role: Role,
}

impl Built {
    pub fn new<A: Adapter>(config: &A::Config) -> Result<Self, TransportError> {
        let adapter = A::build(config)?;
        Ok(Self { system: A::SYSTEM, breaker: adapter.breaker(), role: adapter.role() })
    }
}

/// Implements [`Adapter`] for a client built by its `new(&Config)`, watched through the breaker
/// of its one transport (the field named), and playing the role named, whole:
/// `adapter!(VidClient: Vid, VidConfig, soap, Person);`.
macro_rules! adapter {
    ($client:ty: $system:ident, $config:ty, $transport:ident, $role:ident) => {
        impl $crate::adapter::Adapter for $client {
            const SYSTEM: gateway_domain::System = gateway_domain::System::$system;
            type Config = $config;

            fn build(config: &$config) -> Result<Self, $crate::transport::TransportError> {
                Self::new(config)
            }

            fn breaker(&self) -> $crate::transport::resilience::Breaker {
                self.$transport.breaker()
            }

            fn role(self) -> $crate::adapter::Role {
                $crate::adapter::Role::$role(std::sync::Arc::new(self))
            }
        }
    };
}

pub(crate) use adapter;

/// Declares one list of adapters: the settings struct with one section per adapter (named by
/// its field), `build_all`, which builds every adapter of the list in order, and
/// `transports_mut`, every section's transport settings. Every section has a `transport`.
macro_rules! adapter_list {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[doc = $doc:literal])* $field:ident: $adapter:ty, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: <$adapter as $crate::adapter::Adapter>::Config, )+
        }

        impl $name {
            /// The systems of the list, in its order.
            pub const SYSTEMS: &'static [gateway_domain::System] =
                &[$( <$adapter as $crate::adapter::Adapter>::SYSTEM, )+];

            /// Every adapter of the list, built from its section, in the list's order.
            pub fn build_all(&self) -> Result<Vec<$crate::adapter::Built>, $crate::TransportError> {
                Ok(vec![$( $crate::adapter::Built::new::<$adapter>(&self.$field)?, )+])
            }

            /// Every adapter's transport settings (each section's `transport`), in the list's
            /// order, to change them alike.
            pub fn transports_mut(
                &mut self,
            ) -> Vec<(gateway_domain::System, &mut $crate::transport::TransportConfig)> {
                vec![$( (<$adapter as $crate::adapter::Adapter>::SYSTEM, &mut self.$field.transport), )+]
            }

            /// Every adapter of the list built from its section on its own, each with its
            /// section's name: a configuration check reports every section that cannot be
            /// built, not only the first. Building reads key files and never touches the network.
            pub fn build_each(&self) -> Vec<(&'static str, Result<$crate::adapter::Built, $crate::TransportError>)> {
                vec![$( (stringify!($field), $crate::adapter::Built::new::<$adapter>(&self.$field)), )+]
            }
        }
    };
}

pub(crate) use adapter_list;
