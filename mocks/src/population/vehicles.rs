//! What the Road Traffic Safety Directorate (CSDD) and the State Technical Supervision Agency
//! (VTUA) register to the population: road vehicles, and tractors with other self-propelled
//! machinery, each with the person as its owner or its holder, as of [`REFERENCE_DATE`].
//!
//! Road vehicles (CSDD), drawn per adult:
//! - Passenger cars: about 0.4 per resident. CSDD registers some 750 000 passenger cars for
//!   Latvia's about 1.87 million residents (Official Statistics Portal); cars are registered to
//!   adults, so an adult of working age has one with a chance of about a half and one in eight
//!   of those a second one, fewer among the young and the very old.
//! - A share of the cars, about one in six, is registered to the person as holder rather than
//!   owner: a leased car, whose owner is the leasing company. This is our estimate of leasing's
//!   part among private cars; CSDD publishes no figure for it.
//! - A few percent of adults have a light goods vehicle (N1, 3 %), a motorcycle (L3e, 2.5 %),
//!   a moped (L1e, 1 %) or a light trailer (O1, 5 %). These shares are our estimates: CSDD
//!   publishes its counts by category, not how many of each are registered to private persons.
//! - Years of manufacture around 14 years back, up to about 28: Latvia's passenger cars are
//!   about 14 years old on average (ACEA's figures on the age of the EU's car fleet).
//!
//! Machinery (VTUA), drawn per household and registered to one of its adults:
//! - VTUA registers some tens of thousands of tractors, most on farms and rural homesteads. In
//!   Tukums county a few percent of households have one: 10 % of the households on rural
//!   homesteads, 2 % of those on village streets, 0.3 % of those in the towns: about 2 % of
//!   all, nine in ten of them in the parishes.
//! - Of those households, one in seven has a second tractor, two in five a tractor trailer and
//!   one in ten a self-propelled machine (a harvester, a loader); about one machine in twenty is
//!   held under a lease. Tractors are old: years of manufacture around 20 years back, up to 40
//!   (many are Belarusian MTZ tractors from before 2000). These shares are our estimates.
//!
//! Registration numbers are unique across the population: `AB-1234` for road vehicles and
//! `T1234LB` for machinery. Drawn after everything else from a random stream of its own (seeded
//! from the population's seed), so that everything drawn before stays what it was.

use std::collections::{HashMap, HashSet};

use gateway_domain::{PersonCode, VehicleKind, VehicleRole};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Population, REFERENCE_DATE, SyntheticHousehold, mix};

/// Salt of the vehicle registers' own random stream.
const VEHICLES_SALT: u64 = 0x5645_4849_434c_4553;

/// The age from which a person registers vehicles in the population.
const ADULT_AGE: u16 = 18;

/// One vehicle or machine registered to one person, exactly as CSDD or VTUA serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueVehicle {
    /// The register's record id: `csdd-...` or `vtua-...`, unique per register.
    pub record_id: String,
    /// `AB-1234` (CSDD) or `T1234LB` (VTUA), unique across the population.
    pub registration_number: String,
    pub kind: VehicleKind,
    pub make: String,
    /// The year of manufacture.
    pub year: u16,
    pub role: VehicleRole,
}

/// The letters of registration numbers: Latin capitals without diacritics, as plates carry them.
const PLATE_LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPRSTUVZ";

/// Passenger-car makes, roughly in the order of their share of Latvia's registered cars.
const CAR_MAKES: &[&str] = &[
    "Volkswagen",
    "Volkswagen",
    "Toyota",
    "Toyota",
    "Audi",
    "BMW",
    "Volvo",
    "Opel",
    "Škoda",
    "Mercedes-Benz",
    "Ford",
    "Peugeot",
    "Renault",
    "Nissan",
    "Honda",
    "Mazda",
    "Kia",
    "Hyundai",
    "Citroën",
    "Subaru",
];
const VAN_MAKES: &[&str] = &["Volkswagen", "Ford", "Mercedes-Benz", "Renault", "Fiat", "Peugeot", "Citroën", "Opel"];
const MOTORCYCLE_MAKES: &[&str] = &["Honda", "Yamaha", "Suzuki", "Kawasaki", "BMW", "KTM", "Harley-Davidson"];
const MOPED_MAKES: &[&str] = &["Yamaha", "Piaggio", "Aprilia", "Peugeot", "Honda"];
const TRAILER_MAKES: &[&str] = &["Tiki", "Brenderup", "Respo", "Neptun", "Humbaur", "Boro"];
const TRACTOR_MAKES: &[&str] =
    &["MTZ", "MTZ", "MTZ", "John Deere", "Valtra", "New Holland", "Case IH", "Zetor", "Fendt", "Deutz-Fahr", "Kubota"];
const MACHINE_MAKES: &[&str] = &["Claas", "John Deere", "JCB", "Bobcat", "Ponsse", "Komatsu", "Manitou"];
const TRACTOR_TRAILER_MAKES: &[&str] = &["2PTS", "Pronar", "Metal-Fach", "Krone", "Joskin", "Annaburger"];

/// One kind of road vehicle an adult may have: its share among adults, its makes, the share
/// registered to a holder rather than the owner, and the mean age of the vehicles.
struct RoadVehicle {
    kind: VehicleKind,
    share: f64,
    makes: &'static [&'static str],
    holder_share: f64,
    mean_age: u16,
}

const OTHER_ROAD_VEHICLES: &[RoadVehicle] = &[
    RoadVehicle { kind: VehicleKind::Truck, share: 0.03, makes: VAN_MAKES, holder_share: 0.2, mean_age: 12 },
    RoadVehicle {
        kind: VehicleKind::Motorcycle,
        share: 0.025,
        makes: MOTORCYCLE_MAKES,
        holder_share: 0.05,
        mean_age: 15,
    },
    RoadVehicle { kind: VehicleKind::Moped, share: 0.01, makes: MOPED_MAKES, holder_share: 0.0, mean_age: 10 },
    RoadVehicle { kind: VehicleKind::Trailer, share: 0.05, makes: TRAILER_MAKES, holder_share: 0.02, mean_age: 14 },
];

/// Share of cars registered to their holder (leasing).
const CAR_HOLDER_SHARE: f64 = 0.16;
/// Share of adults with a car once they have one, by age.
fn car_share(age: u16) -> f64 {
    match age {
        ..=24 => 0.3,
        25..=64 => 0.52,
        65..=79 => 0.36,
        _ => 0.1,
    }
}
/// Share of car owners with a second car.
const SECOND_CAR_SHARE: f64 = 0.125;
const CAR_MEAN_AGE: u16 = 14;

/// Share of households with a tractor, by where they live.
const TRACTOR_SHARE_HOMESTEAD: f64 = 0.10;
const TRACTOR_SHARE_VILLAGE: f64 = 0.02;
const TRACTOR_SHARE_TOWN: f64 = 0.003;
/// Shares of the households with a tractor that have more machinery.
const SECOND_TRACTOR_SHARE: f64 = 0.14;
const TRACTOR_TRAILER_SHARE: f64 = 0.4;
const MACHINE_SHARE: f64 = 0.1;
const MACHINERY_HOLDER_SHARE: f64 = 0.05;
const TRACTOR_MEAN_AGE: u16 = 20;

/// The two registers, by person index, each person's vehicles sorted by registration number.
#[derive(Debug, Default)]
pub(crate) struct VehicleRegisters {
    csdd: HashMap<usize, Vec<TrueVehicle>>,
    vtua: HashMap<usize, Vec<TrueVehicle>>,
}

/// Hands out registration numbers and record ids, each once.
struct Issuer {
    numbers: HashSet<String>,
    csdd_records: usize,
    vtua_records: usize,
}

impl Issuer {
    fn road_number(&mut self, rng: &mut ChaCha8Rng) -> String {
        loop {
            let letters: String =
                (0..2).map(|_| char::from(PLATE_LETTERS[rng.random_range(0..PLATE_LETTERS.len())])).collect();
            let number = format!("{letters}-{}", rng.random_range(1..=9999));
            if self.numbers.insert(number.clone()) {
                return number;
            }
        }
    }

    fn machine_number(&mut self, rng: &mut ChaCha8Rng) -> String {
        loop {
            let letters: String =
                (0..2).map(|_| char::from(PLATE_LETTERS[rng.random_range(0..PLATE_LETTERS.len())])).collect();
            let number = format!("T{:04}{letters}", rng.random_range(0..=9999));
            if self.numbers.insert(number.clone()) {
                return number;
            }
        }
    }
}

/// A year of manufacture about `mean_age` years before the reference date, from new to twice
/// that age: the sum of two uniform draws, so that the middle ages are the most common.
fn year_made(rng: &mut ChaCha8Rng, mean_age: u16) -> u16 {
    let now = u16::try_from(REFERENCE_DATE.year()).unwrap_or(2026);
    now - rng.random_range(0..=mean_age) - rng.random_range(0..=mean_age)
}

fn role(rng: &mut ChaCha8Rng, holder_share: f64) -> VehicleRole {
    if rng.random_bool(holder_share) { VehicleRole::Holder } else { VehicleRole::Owner }
}

fn make(rng: &mut ChaCha8Rng, makes: &[&str]) -> String {
    makes.choose(rng).copied().unwrap_or("Volkswagen").to_owned()
}

/// Where a household lives, which decides whether it keeps a tractor.
fn tractor_share(household: &SyntheticHousehold) -> f64 {
    let first_line = household.address_text.split(',').next().unwrap_or_default();
    if first_line.starts_with('"') {
        TRACTOR_SHARE_HOMESTEAD
    } else if household.address_text.contains(" pag.,") {
        TRACTOR_SHARE_VILLAGE
    } else {
        TRACTOR_SHARE_TOWN
    }
}

impl VehicleRegisters {
    pub(crate) fn draw(population: &Population) -> VehicleRegisters {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, VEHICLES_SALT));
        let mut issuer = Issuer { numbers: HashSet::new(), csdd_records: 0, vtua_records: 0 };
        let mut registers = VehicleRegisters::default();
        for household in &population.households {
            let adults: Vec<usize> = household
                .members
                .iter()
                .filter_map(|code| population.by_code.get(code).copied())
                .filter(|&i| population.persons[i].age_on(REFERENCE_DATE) >= ADULT_AGE)
                .collect();
            for &adult in &adults {
                registers.draw_road_vehicles(
                    &mut rng,
                    &mut issuer,
                    adult,
                    population.persons[adult].age_on(REFERENCE_DATE),
                );
            }
            if let Some(&keeper) = adults.choose(&mut rng) {
                registers.draw_machinery(&mut rng, &mut issuer, keeper, tractor_share(household));
            }
        }
        for vehicles in registers.csdd.values_mut().chain(registers.vtua.values_mut()) {
            vehicles.sort_by(|a, b| a.registration_number.cmp(&b.registration_number));
        }
        registers
    }

    fn draw_road_vehicles(&mut self, rng: &mut ChaCha8Rng, issuer: &mut Issuer, person: usize, age: u16) {
        let mut drawn = Vec::new();
        if rng.random_bool(car_share(age)) {
            let cars = if rng.random_bool(SECOND_CAR_SHARE) { 2 } else { 1 };
            for _ in 0..cars {
                drawn.push((
                    VehicleKind::PassengerCar,
                    make(rng, CAR_MAKES),
                    year_made(rng, CAR_MEAN_AGE),
                    role(rng, CAR_HOLDER_SHARE),
                ));
            }
        }
        for other in OTHER_ROAD_VEHICLES {
            if rng.random_bool(other.share) {
                drawn.push((
                    other.kind,
                    make(rng, other.makes),
                    year_made(rng, other.mean_age),
                    role(rng, other.holder_share),
                ));
            }
        }
        for (kind, make, year, role) in drawn {
            issuer.csdd_records += 1;
            let vehicle = TrueVehicle {
                record_id: format!("csdd-{:09}", issuer.csdd_records),
                registration_number: issuer.road_number(rng),
                kind,
                make,
                year,
                role,
            };
            self.csdd.entry(person).or_default().push(vehicle);
        }
    }

    fn draw_machinery(&mut self, rng: &mut ChaCha8Rng, issuer: &mut Issuer, person: usize, tractor_share: f64) {
        if !rng.random_bool(tractor_share) {
            return;
        }
        let mut drawn = vec![(VehicleKind::Tractor, TRACTOR_MAKES, TRACTOR_MEAN_AGE)];
        if rng.random_bool(SECOND_TRACTOR_SHARE) {
            drawn.push((VehicleKind::Tractor, TRACTOR_MAKES, TRACTOR_MEAN_AGE));
        }
        if rng.random_bool(TRACTOR_TRAILER_SHARE) {
            drawn.push((VehicleKind::TractorTrailer, TRACTOR_TRAILER_MAKES, TRACTOR_MEAN_AGE));
        }
        if rng.random_bool(MACHINE_SHARE) {
            drawn.push((VehicleKind::SelfPropelledMachine, MACHINE_MAKES, TRACTOR_MEAN_AGE / 2));
        }
        for (kind, makes, mean_age) in drawn {
            issuer.vtua_records += 1;
            let vehicle = TrueVehicle {
                record_id: format!("vtua-{:08}", issuer.vtua_records),
                registration_number: issuer.machine_number(rng),
                kind,
                make: make(rng, makes),
                year: year_made(rng, mean_age),
                role: role(rng, MACHINERY_HOLDER_SHARE),
            };
            self.vtua.entry(person).or_default().push(vehicle);
        }
    }
}

impl Population {
    /// Exactly the road vehicles CSDD serves as registered to this person on the reference
    /// date, as owner or holder, sorted by registration number. Empty for a person with none,
    /// and for an unknown one.
    pub fn csdd_vehicles(&self, code: &PersonCode) -> Vec<TrueVehicle> {
        self.person(code).and_then(|p| self.vehicles.csdd.get(&p.index)).cloned().unwrap_or_default()
    }

    /// Exactly the tractors, self-propelled machines and tractor trailers VTUA serves as
    /// registered to this person on the reference date, sorted by registration number. Empty
    /// for a person with none, and for an unknown one.
    pub fn vtua_machines(&self, code: &PersonCode) -> Vec<TrueVehicle> {
        self.person(code).and_then(|p| self.vehicles.vtua.get(&p.index)).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use gateway_domain::{VehicleKind, VehicleRole};

    use super::{ADULT_AGE, TrueVehicle};
    use crate::population::{Population, REFERENCE_DATE};
    use crate::test_support::{TEST_PERSONS, TEST_SEED, test_population, tukums_population, unknown_code};

    fn share(part: usize, whole: usize) -> f64 {
        part as f64 / whole.max(1) as f64
    }

    fn every_vehicle(population: &Population) -> Vec<TrueVehicle> {
        population
            .persons()
            .iter()
            .flat_map(|p| population.csdd_vehicles(&p.code).into_iter().chain(population.vtua_machines(&p.code)))
            .collect()
    }

    #[test]
    fn tukums_has_plausible_shares_of_cars_other_vehicles_and_tractors() {
        let population = tukums_population();
        let residents = population.persons().len();
        let adults = population.persons().iter().filter(|p| p.age_on(REFERENCE_DATE) >= ADULT_AGE).count();
        let road: Vec<TrueVehicle> =
            population.persons().iter().flat_map(|p| population.csdd_vehicles(&p.code)).collect();
        let cars: Vec<_> = road.iter().filter(|v| v.kind == VehicleKind::PassengerCar).collect();
        // CSDD: some 750 000 passenger cars for about 1.87 million residents.
        let per_resident = share(cars.len(), residents);
        assert!((0.34..0.46).contains(&per_resident), "passenger cars per resident {per_resident}");
        let age: u32 = cars.iter().map(|v| u32::from(2026 - v.year)).sum();
        let mean_age = f64::from(age) / cars.len() as f64;
        assert!((12.0..16.0).contains(&mean_age), "mean age of cars {mean_age}");
        let leased = share(cars.iter().filter(|v| v.role == VehicleRole::Holder).count(), cars.len());
        assert!((0.08..0.25).contains(&leased), "cars registered to their holder {leased}");
        for kind in [VehicleKind::Motorcycle, VehicleKind::Trailer, VehicleKind::Truck] {
            let with = population
                .persons()
                .iter()
                .filter(|p| population.csdd_vehicles(&p.code).iter().any(|v| v.kind == kind))
                .count();
            let part = share(with, adults);
            assert!((0.01..0.08).contains(&part), "adults with a {kind:?}: {part}");
        }
        let with_tractor = population
            .households()
            .iter()
            .filter(|h| {
                h.members.iter().any(|m| population.vtua_machines(m).iter().any(|v| v.kind == VehicleKind::Tractor))
            })
            .collect::<Vec<_>>();
        let part = share(with_tractor.len(), population.households().len());
        assert!((0.015..0.06).contains(&part), "households with a tractor {part}");
        let rural = with_tractor.iter().filter(|h| h.address_text.contains(" pag.,")).count();
        assert!(share(rural, with_tractor.len()) > 0.8, "tractors are mostly rural");
        let kinds: HashSet<_> = every_vehicle(population).iter().map(|v| v.kind).collect();
        assert!(kinds.len() >= 8, "every kind but buses occurs: {kinds:?}");
    }

    #[test]
    fn vehicles_belong_to_adults_with_unique_numbers_in_each_register_s_format() {
        let population = tukums_population();
        let mut numbers = HashSet::new();
        let mut records = HashSet::new();
        for person in population.persons() {
            let road = population.csdd_vehicles(&person.code);
            let machines = population.vtua_machines(&person.code);
            if !road.is_empty() || !machines.is_empty() {
                assert!(person.age_on(REFERENCE_DATE) >= ADULT_AGE, "{person:?} is a minor");
            }
            for (vehicles, register) in [(&road, "csdd"), (&machines, "vtua")] {
                assert!(vehicles.windows(2).all(|w| w[0].registration_number < w[1].registration_number), "sorted");
                for v in vehicles {
                    assert!(numbers.insert(v.registration_number.clone()), "a registration number is given twice");
                    assert!(records.insert(v.record_id.clone()), "a record id is given twice");
                    assert!(v.record_id.starts_with(&format!("{register}-")));
                    assert!((1960..=2026).contains(&v.year), "year {}", v.year);
                    assert!(!v.make.is_empty());
                    let n = v.registration_number.as_bytes();
                    if register == "csdd" {
                        assert!(!matches!(
                            v.kind,
                            VehicleKind::Tractor | VehicleKind::SelfPropelledMachine | VehicleKind::TractorTrailer
                        ));
                        assert!(n.len() >= 4 && n[..2].iter().all(u8::is_ascii_uppercase) && n[2] == b'-');
                        assert!(n[3] != b'0' && n[3..].iter().all(u8::is_ascii_digit) && n.len() <= 7);
                    } else {
                        assert!(matches!(
                            v.kind,
                            VehicleKind::Tractor | VehicleKind::SelfPropelledMachine | VehicleKind::TractorTrailer
                        ));
                        assert!(n.len() == 7 && n[0] == b'T' && n[1..5].iter().all(u8::is_ascii_digit));
                        assert!(n[5..].iter().all(u8::is_ascii_uppercase));
                    }
                }
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_vehicles_and_another_seed_others() {
        let first = Population::generate(TEST_SEED, TEST_PERSONS);
        let again = test_population();
        assert_eq!(every_vehicle(&first), every_vehicle(&again));
        assert!(every_vehicle(&first).len() > 500, "a test population has vehicles");
        let other = Population::generate(TEST_SEED + 1, TEST_PERSONS);
        assert_ne!(every_vehicle(&first), every_vehicle(&other));
    }

    #[test]
    fn an_unknown_person_and_a_child_have_no_vehicles() {
        let population = test_population();
        let unknown = unknown_code(&population);
        assert!(population.csdd_vehicles(&unknown).is_empty() && population.vtua_machines(&unknown).is_empty());
        let child = population.persons().iter().find(|p| p.age_on(REFERENCE_DATE) < 10).unwrap();
        assert!(population.csdd_vehicles(&child.code).is_empty() && population.vtua_machines(&child.code).is_empty());
        // The registers answer for the current code only, as the simulators do.
        let changed = population
            .persons()
            .iter()
            .find(|p| p.former_code.is_some() && !population.csdd_vehicles(&p.code).is_empty())
            .expect("someone who changed their code has a vehicle");
        let former = changed.former_code.clone().unwrap();
        assert!(population.csdd_vehicles(&former).is_empty() && population.vtua_machines(&former).is_empty());
        assert!(population.persons().iter().any(|p| !population.vtua_machines(&p.code).is_empty()));
    }
}
