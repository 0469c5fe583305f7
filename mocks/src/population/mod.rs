//! The synthetic population of Tukums county: persons, the dwellings they are declared at, the
//! incomes VSAA knows about them, and what every other register knows, each in a module of its
//! own: NVA, VDEĀVK, the Land Registry, the cadastre and SPOLIS (`registers`), the Maintenance
//! Guarantee Fund (`maintenance`), VID (`employment`), LAD (`rural_support`), CSDD and VTUA
//! (`vehicles`), UR (`companies`), VIIS (`education`), NPAIS (`care`) and KIM's distributors
//! (`food_aid`).
//!
//! It is the ground truth of the simulators: the PMLP simulator serves its persons and
//! households, the VSAA simulator its incomes, and end-to-end tests compare what the gateway
//! reports with what the population says. Everything is drawn from one `u64` seed, so the
//! same seed always gives the same population. Ages and declarations are as of
//! [`REFERENCE_DATE`]; incomes are complete from 2020-01 to 2030-12.

mod addresses;
mod care;
mod codes;
mod companies;
mod education;
mod employment;
mod food_aid;
mod households;
mod incomes;
mod maintenance;
mod names;
mod registers;
mod rural_support;
mod vehicles;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;

use gateway_domain::{IncomeKind, Money, Month, Organisation, Period, PersonCode, SupportScheme, System};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::date;
use time::{Date, Duration};

use addresses::AddressRegister;
use codes::{CodeIssuer, NEW_FORMAT_FROM};
use households::HouseholdDraft;
use incomes::{IncomeStream, LifeSituation};

pub use companies::TrueHolding;
pub use food_aid::{KitEntitlement, TrueKitIssue};
pub use registers::{HOME_MUNICIPALITY, TrueAsset, TrueCoFinancing, TrueProperty, TrueStatus};
pub use vehicles::TrueVehicle;

/// Residents of Tukums county served by its social service (2024 annual report).
pub const TUKUMS_PERSONS: usize = 45_959;

/// The day the population is a snapshot of: ages, households and declarations as of then.
pub const REFERENCE_DATE: Date = date!(2026 - 01 - 01);

/// Share of people born before new-format codes who changed to one.
const CHANGED_CODE_SHARE: f64 = 0.05;

/// A person's sex, which decides the form of the family name and some benefits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

/// Declares [`Population`] with one field per register's truth, each drawn, in the list's
/// order, after the persons and households, from a random stream of its own (so that adding
/// one leaves everything drawn before it as it was). A register's truth is a type with a
/// `Default` and `fn draw(&Population) -> Self`; adding one is one line here.
macro_rules! population_with_truths {
    ($( $(#[doc = $doc:literal])* $field:ident: $truth:ty, )+) => {
        /// The synthetic population: persons, households and what each register knows of them.
        pub struct Population {
            seed: u64,
            persons: Vec<SyntheticPerson>,
            households: Vec<SyntheticHousehold>,
            by_code: HashMap<PersonCode, usize>,
            by_address: HashMap<String, usize>,
            /// For each person, by index, the index of their household.
            household_index: Vec<usize>,
            $( $(#[doc = $doc])* $field: $truth, )+
        }

        impl Population {
            /// Room for `persons` persons, and no register's truth yet.
            fn empty(seed: u64, persons: usize) -> Population {
                Population {
                    seed,
                    persons: Vec::with_capacity(persons),
                    households: Vec::with_capacity(persons / 2 + 1),
                    by_code: HashMap::with_capacity(persons),
                    by_address: HashMap::with_capacity(persons / 2 + 1),
                    household_index: Vec::with_capacity(persons),
                    $( $field: <$truth>::default(), )+
                }
            }

            /// Draws every register's truth, in the list's order.
            fn draw_truths(&mut self) {
                $(
                    let drawn = <$truth>::draw(self);
                    self.$field = drawn;
                )+
            }
        }
    };
}

population_with_truths! {
    /// NVA, VDEĀVK, Land Registry, cadastre and SPOLIS data.
    registers: registers::Registers,
    /// The Maintenance Guarantee Fund's payments.
    fund: maintenance::Fund,
    /// The Register of Enterprises' companies and roles.
    companies: companies::Companies,
    /// VID's employment income per employer and its workplaces.
    employment: employment::Employment,
    /// The Rural Support Service's farmers and their support.
    rural_support: rural_support::RuralSupport,
    /// CSDD's road vehicles and VTUA's machinery.
    vehicles: vehicles::VehicleRegisters,
    /// VIIS's enrolments in education.
    education: education::Education,
    /// NPAIS's placements of minors in care.
    care: care::Care,
    /// KIM's distributors and whom they serve.
    food_aid: food_aid::FoodAid,
}

/// One person as the registries know them.
#[derive(Clone, PartialEq, Eq)]
pub struct SyntheticPerson {
    /// The current personal code.
    pub code: PersonCode,
    /// The old-format code a person gave up for a new-format one. The register keeps it in
    /// history; the simulators answer for the current code only.
    pub former_code: Option<PersonCode>,
    /// The person's record id in the Population Register (`fpr-000000042`).
    pub record_id: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Date,
    /// The State Address Register code of the dwelling the person is declared at.
    pub address_code: String,
    /// The day the person's declaration at that dwelling took effect.
    pub declared_from: Date,
    pub(crate) sex: Sex,
    /// Position in [`Population::persons`], which the record ids are built from.
    pub(crate) index: usize,
    /// Sorted by kind, then first month; streams of one kind never overlap.
    pub(crate) streams: Vec<IncomeStream>,
    /// A minor living with one parent while the other is alive and lives elsewhere: whom the
    /// Maintenance Guarantee Fund may pay maintenance for.
    pub(crate) one_parent_at_home: bool,
}

/// The persons declared at one dwelling, who share expenses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticHousehold {
    /// The dwelling's State Address Register code, 9 digits.
    pub address_code: String,
    /// The dwelling's address as the register writes it.
    pub address_text: String,
    /// Adults first, then minors.
    pub members: Vec<PersonCode>,
}

/// One income of one person for one month, exactly as the VSAA simulator serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueIncome {
    /// VSAA's record id: `vsaa-{month}-{person}-{kind}`, unique per person, month and kind.
    pub record_id: String,
    pub month: Month,
    pub kind: IncomeKind,
    /// After tax, in euro cents.
    pub amount: Money,
    /// The employer who paid it (VID's employment income).
    pub employer: Option<Organisation>,
    /// The scheme it was paid under (LAD's support).
    pub scheme: Option<SupportScheme>,
}

impl Population {
    /// Draws a population of exactly `persons` persons from `seed`.
    pub fn generate(seed: u64, persons: usize) -> Population {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut codes = CodeIssuer::with_capacity(persons + persons / 16);
        let mut dwellings = AddressRegister::with_capacity(seed, persons / 2 + 1);
        let mut population = Population::empty(seed, persons);
        while population.persons.len() < persons {
            let mut draft = households::draft(&mut rng);
            let room = persons - population.persons.len();
            if draft.members.len() > room {
                draft.truncate(room);
            }
            let dwelling = dwellings.next_dwelling(&mut rng);
            population.settle(&mut rng, &mut codes, draft, dwelling);
        }
        population.draw_truths();
        population
    }

    /// Turns a drafted household into persons declared at `dwelling`.
    fn settle(
        &mut self,
        rng: &mut ChaCha8Rng,
        codes: &mut CodeIssuer,
        draft: HouseholdDraft,
        dwelling: addresses::Dwelling,
    ) {
        let household = self.households.len();
        let moved_in = move_in_date(rng, &draft);
        let carer = draft.carer();
        let own_children: Vec<Date> = draft.children.iter().map(|&i| draft.members[i].birth).collect();
        let one_parent = draft.mother.is_some() != draft.father.is_some() && !draft.bereaved;
        let mut members = Vec::with_capacity(draft.members.len());
        for (position, member) in draft.members.iter().enumerate() {
            let index = self.persons.len();
            let (code, former_code) = if member.birth >= NEW_FORMAT_FROM {
                (codes.new_format(rng), None)
            } else if rng.random_bool(CHANGED_CODE_SHARE) {
                let former = codes.old_format(rng, member.birth);
                (codes.new_format(rng), Some(former))
            } else {
                (codes.old_format(rng, member.birth), None)
            };
            let declared_from = if member.birth > moved_in {
                member.birth
            } else if position > 0 && rng.random_bool(0.2) {
                // Partners and relatives often declare themselves some time after the first.
                let days = (REFERENCE_DATE - moved_in).whole_days().max(1);
                moved_in + Duration::days(rng.random_range(0..days))
            } else {
                moved_in
            };
            let is_parent = draft.mother == Some(position) || draft.father == Some(position);
            let life = LifeSituation {
                birth: member.birth,
                sex: member.sex,
                own_children: if is_parent { &own_children } else { &[] },
                family_benefit: carer == Some(position),
                bereaved: draft.bereaved && draft.children.contains(&position),
            };
            let streams = incomes::draw_streams(rng, &life);
            let person = SyntheticPerson {
                code: code.clone(),
                former_code,
                record_id: format!("fpr-{:09}", index + 1),
                given_name: names::given_name(rng, member.sex, member.birth).to_owned(),
                family_name: member.family.for_sex(member.sex).to_owned(),
                birth_date: member.birth,
                address_code: dwelling.code.clone(),
                declared_from,
                sex: member.sex,
                index,
                streams,
                one_parent_at_home: one_parent && draft.children.contains(&position),
            };
            self.by_code.insert(code.clone(), index);
            self.household_index.push(household);
            self.persons.push(person);
            members.push(code);
        }
        self.by_address.insert(dwelling.code.clone(), household);
        self.households.push(SyntheticHousehold { address_code: dwelling.code, address_text: dwelling.text, members });
    }

    /// The seed the population was drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Every person, in record-id order.
    pub fn persons(&self) -> &[SyntheticPerson] {
        &self.persons
    }

    /// The person with this current code.
    pub fn person(&self, code: &PersonCode) -> Option<&SyntheticPerson> {
        self.by_code.get(code).map(|&i| &self.persons[i])
    }

    /// Every household, one per dwelling.
    pub fn households(&self) -> &[SyntheticHousehold] {
        &self.households
    }

    /// The household declared at the dwelling with this address code.
    pub fn household_at(&self, address_code: &str) -> Option<&SyntheticHousehold> {
        self.by_address.get(address_code).map(|&i| &self.households[i])
    }

    /// The household the person with this code is declared in.
    pub fn household_of(&self, code: &PersonCode) -> Option<&SyntheticHousehold> {
        let index = *self.by_code.get(code)?;
        Some(&self.households[self.household_index[index]])
    }

    /// Exactly the incomes the VSAA simulator serves for this person and period, sorted by
    /// (month, kind). Empty for an unknown person.
    pub fn incomes(&self, code: &PersonCode, period: Period) -> Vec<TrueIncome> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let salt = mix(self.seed, person.index as u64);
        let mut found = Vec::new();
        for month in period.months() {
            for stream in &person.streams {
                if let Some(amount) = stream.amount_in(month, salt) {
                    found.push(TrueIncome {
                        record_id: format!(
                            "vsaa-{month}-{:06}-{:02}",
                            person.index + 1,
                            incomes::kind_number(stream.kind)
                        ),
                        month,
                        kind: stream.kind,
                        amount,
                        employer: None,
                        scheme: None,
                    });
                }
            }
        }
        found.sort_by_key(|income| (income.month, income.kind));
        found
    }

    /// Every income a registry reports about this person in the period, with the registry that
    /// reports it (VSAA's, NVA's, UGFA's, VID's, LAD's), each registry's sorted as its accessor
    /// sorts: what an income check must find, to the cent. A registry that reports incomes joins
    /// here.
    pub fn registry_incomes(&self, code: &PersonCode, period: Period) -> Vec<(System, TrueIncome)> {
        let vsaa = self.incomes(code, period).into_iter().map(|income| (System::Vsaa, income));
        let nva = self.nva_incomes(code, period).into_iter().map(|income| (System::Nva, income));
        let ugfa = self.ugfa_incomes(code, period).into_iter().map(|income| (System::Ugfa, income));
        let vid = self.vid_incomes(code, period).into_iter().map(|income| (System::Vid, income));
        let lad = self.lad_incomes(code, period).into_iter().map(|income| (System::Lad, income));
        vsaa.chain(nva).chain(ugfa).chain(vid).chain(lad).collect()
    }
}

impl Population {
    /// Whether `system` has anything to say of this person in the period: an income, a status,
    /// something owned. A record of a household `system` knows of shows that system's facts (the
    /// demo's sample household, the tests' stopped registry). Partners and SPOLIS's co-financing
    /// (asked about a municipality) know of no person. A system that reports facts of persons
    /// joins here.
    pub fn knows(&self, system: System, code: &PersonCode, period: Period) -> bool {
        let (first, last) = (period.from().first_day(), period.to().last_day());
        match system {
            System::Pmlp => self.person(code).is_some(),
            System::Vsaa => !self.incomes(code, period).is_empty(),
            System::Nva => {
                !self.nva_incomes(code, period).is_empty() || !self.nva_statuses(code, first, last).is_empty()
            }
            System::Vdeavk => !self.disabilities(code, first, last).is_empty(),
            System::LandRegistry | System::Cadastre => !self.assets(code).is_empty(),
            System::Ugfa => !self.ugfa_incomes(code, period).is_empty(),
            System::Vid => !self.vid_incomes(code, period).is_empty() || !self.workplaces(code, first, last).is_empty(),
            System::Lad => !self.lad_incomes(code, period).is_empty(),
            System::Csdd => !self.csdd_vehicles(code).is_empty(),
            System::Vtua => !self.vtua_machines(code).is_empty(),
            System::Ur => !self.ur_holdings(code).is_empty(),
            System::Viis => !self.enrolments(code, first, last).is_empty(),
            System::Npais => !self.placements(code, first, last).is_empty(),
            _ => false,
        }
    }
}

impl fmt::Debug for Population {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Population")
            .field("seed", &self.seed)
            .field("persons", &self.persons.len())
            .field("households", &self.households.len())
            .finish()
    }
}

/// Shows the record id only, so that names and dates stay out of logs and panic messages.
impl fmt::Debug for SyntheticPerson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyntheticPerson").field("record_id", &self.record_id).finish_non_exhaustive()
    }
}

impl SyntheticPerson {
    /// Full years of age on `on`; 0 before birth.
    pub fn age_on(&self, on: Date) -> u16 {
        u16::try_from(gateway_domain::age_on(self.birth_date, on)).unwrap_or(0)
    }
}

/// When a household moved into its dwelling: after its oldest member came of age and not
/// before the address register's current records begin.
fn move_in_date(rng: &mut ChaCha8Rng, draft: &HouseholdDraft) -> Date {
    let oldest = draft.members.iter().map(|m| m.birth).min().unwrap_or(REFERENCE_DATE);
    let of_age = oldest.replace_year(oldest.year() + 18).unwrap_or(oldest + Duration::days(18 * 365));
    let earliest = of_age.max(date!(1992 - 01 - 01)).min(REFERENCE_DATE - Duration::days(1));
    let span = (REFERENCE_DATE - earliest).whole_days().max(1);
    earliest + Duration::days(rng.random_range(0..span))
}

/// A stateless 64-bit mix of two words (the SplitMix64 finaliser): stable across platforms
/// and releases, unlike the standard library's hashers.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
