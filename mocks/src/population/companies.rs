//! What the Register of Enterprises (UR) knows about the population: the companies in which
//! its adults hold shares or sit on the board, as of [`REFERENCE_DATE`].
//!
//! The companies are a synthetic pool founded by the population's own adults. Shares, with
//! where each comes from:
//! - Latvia has about 180 000 active companies for about 1.5 million adults, nearly all of them
//!   limited-liability companies (SIA): on 31 March 2013 the commercial register held 106 815
//!   SIA against 346 joint-stock companies (AS). The pool keeps 1 % AS, so that some appear.
//! - Most SIA have one to three shareholders, natural persons: 62 % one, 28 % two, 10 % three,
//!   and in a fifth of the companies a part of the shares is held by someone outside the county
//!   (another company, a person living elsewhere), so the population's shares in a company add
//!   up to at most its total. A co-shareholder is most often someone of the founder's household.
//! - Several percent of adults hold shares: 4.5 % of the adults aged 20 to 75 found a company
//!   (one in ten of them a second one), which with the co-shareholders makes about 6 % of all
//!   adults shareholders.
//! - Most shareholders sit on the board of their own company (a sole shareholder nearly
//!   always, 90 %; a co-shareholder 65 % of the time), and some board members hold no shares: a
//!   company whose shareholders do not manage it hires one, and 12 % of the others add a hired
//!   board member.
//! - Capital: the minimum of an SIA is 2 800 euro (and shares of one euro); since 2010 an SIA
//!   may have less, from one euro. An AS has at least 35 000 euro.
//! - Registration numbers are 11 digits starting with the register's series as they ran: 4000
//!   or 5000 before 2004, 4010 or 4420 until 2018, 4020 or 4420 from 2019. Names are drawn from
//!   Latvian words and are synthetic.
//!
//! Drawn after everything else from a random stream of its own (seeded from the population's
//! seed), so that everything drawn before stays what it was before the register existed.

use std::collections::{HashMap, HashSet};

use gateway_domain::{HoldingRole, Organisation, PersonCode, age_on};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::date;
use time::{Date, Duration};

use super::{Population, REFERENCE_DATE, mix};

/// Salt of the register's own random stream.
const COMPANIES_SALT: u64 = 0x5552_434f_4d50_414e;

/// Share of the adults aged 20 to 75 who founded a company still active.
const FOUNDER_SHARE: f64 = 0.045;
/// Share of the founders who founded a second one.
const SECOND_COMPANY_SHARE: f64 = 0.1;
/// Share of the pool that are joint-stock companies (AS); the others are SIA.
const JOINT_STOCK_SHARE: f64 = 0.01;
/// Share of the companies in which someone outside the county holds a part of the shares.
const OUTSIDE_HOLDER_SHARE: f64 = 0.2;
/// Share of the co-shareholders drawn from the founder's household, when it has another adult.
const HOUSEHOLD_PARTNER_SHARE: f64 = 0.6;
/// Shares of the shareholders who sit on the board: a sole shareholder, a co-shareholder.
const SOLE_ON_BOARD_SHARE: f64 = 0.9;
const CO_ON_BOARD_SHARE: f64 = 0.65;
/// Share of the companies with a board member who holds no shares, beside their own.
const HIRED_BOARD_SHARE: f64 = 0.12;

/// The first day the pool's companies were registered.
const EARLIEST_REGISTRATION: Date = date!(1995 - 01 - 01);

/// The two halves of the pool's names: `SIA "Ozolu Koks"`.
const NAME_FIRSTS: &[&str] = &[
    "Ozolu", "Liepu", "Bērzu", "Priežu", "Egļu", "Saules", "Rasas", "Meža", "Lauku", "Jūras", "Upes", "Dzirnavu",
    "Ezera", "Kalna", "Lejas", "Pļavas", "Avota", "Strauta", "Ābeļu", "Ievu", "Kļavu", "Vītolu", "Rudzu", "Medus",
    "Akmens", "Dzintara", "Smilšu", "Stārķu", "Bišu", "Vārpu", "Kalnāju", "Tukuma", "Engures", "Kandavas", "Jaunpils",
    "Slampes", "Pūres", "Irlavas", "Smārdes", "Zentenes",
];
const NAME_SECONDS: &[&str] = &[
    "Koks",
    "Nams",
    "Dārzs",
    "Būve",
    "Serviss",
    "Transports",
    "Maiznīca",
    "Zvejnieki",
    "Saimniecība",
    "Projekti",
    "Tirdzniecība",
    "Auto",
    "Meistari",
    "Celtnieki",
    "Lauki",
    "Dzirnavas",
    "Grupa",
    "Darbnīca",
    "Ceļš",
    "Enerģija",
    "Mežs",
    "Sēta",
    "Krasts",
    "Birojs",
    "Osta",
];

/// One role of one person in one company, exactly as the UR simulator serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueHolding {
    /// UR's record id: `ur-{registration number}-{nn}`, `nn` the role's place in the company.
    pub record_id: String,
    pub company: Organisation,
    pub role: HoldingRole,
    /// A shareholder's shares held and the company's total shares; `None` for a board member.
    pub share: Option<(u32, u32)>,
    /// The day the register recorded the role.
    pub since: Date,
}

/// One role in a company, of a person by index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Role {
    person: usize,
    role: HoldingRole,
    share: Option<(u32, u32)>,
    since: Date,
}

/// A company of the pool with its roles: shareholders first, then the board.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Company {
    organisation: Organisation,
    roles: Vec<Role>,
}

/// The register's companies, and each person's roles (company, role) by person index.
#[derive(Debug, Default)]
pub(crate) struct Companies {
    companies: Vec<Company>,
    by_person: HashMap<usize, Vec<(usize, usize)>>,
}

/// What drawing a company needs beside the random stream: the adults and who lives with whom.
struct Pool<'p> {
    population: &'p Population,
    /// Every adult on the reference date, by person index.
    adults: Vec<usize>,
    numbers: HashSet<String>,
    names: HashSet<String>,
}

impl Companies {
    pub(crate) fn draw(population: &Population) -> Companies {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(population.seed, COMPANIES_SALT));
        // Of age the day before the reference date, so that any role of theirs can start before it.
        let of_age = REFERENCE_DATE - Duration::days(1);
        let adults: Vec<usize> =
            population.persons.iter().filter(|p| p.age_on(of_age) >= 18).map(|p| p.index).collect();
        let mut pool = Pool { population, adults, numbers: HashSet::new(), names: HashSet::new() };
        let mut companies = Companies::default();
        if pool.adults.is_empty() {
            return companies;
        }
        for person in &population.persons {
            if !(20..=75).contains(&person.age_on(REFERENCE_DATE)) || !rng.random_bool(FOUNDER_SHARE) {
                continue;
            }
            let founded = if rng.random_bool(SECOND_COMPANY_SHARE) { 2 } else { 1 };
            for _ in 0..founded {
                let company = pool.company(&mut rng, person.index);
                companies.add(company);
            }
        }
        companies
    }

    fn add(&mut self, company: Company) {
        let at = self.companies.len();
        for (position, role) in company.roles.iter().enumerate() {
            self.by_person.entry(role.person).or_default().push((at, position));
        }
        self.companies.push(company);
    }
}

/// A uniformly drawn day from `first` to `last` inclusive; `first` when `last` is before it.
fn day_between(rng: &mut ChaCha8Rng, first: Date, last: Date) -> Date {
    let span = (last - first).whole_days().max(0);
    first + Duration::days(rng.random_range(0..=span))
}

/// `total` split into `parts` positive whole parts: equal halves or thirds half of the time,
/// cut at random otherwise. `total` is at least `parts`.
fn split(rng: &mut ChaCha8Rng, total: u32, parts: u32) -> Vec<u32> {
    if parts == 1 {
        return vec![total];
    }
    if total.is_multiple_of(parts) && rng.random_bool(0.5) {
        return vec![total / parts; parts as usize];
    }
    let mut cuts = HashSet::new();
    while cuts.len() < parts as usize - 1 {
        cuts.insert(rng.random_range(1..total));
    }
    let mut cuts: Vec<u32> = cuts.into_iter().collect();
    cuts.sort_unstable();
    cuts.push(total);
    let mut previous = 0;
    cuts.into_iter()
        .map(|cut| {
            let part = cut - previous;
            previous = cut;
            part
        })
        .collect()
}

impl Pool<'_> {
    /// The day a person came of age.
    fn of_age(&self, person: usize) -> Date {
        let birth = self.population.persons[person].birth_date;
        birth.replace_year(birth.year() + 18).unwrap_or(birth + Duration::days(18 * 365 + 5))
    }

    /// Another adult of `person`'s household, when there is one not already taken.
    fn housemate(&self, rng: &mut ChaCha8Rng, person: usize, taken: &[usize]) -> Option<usize> {
        let household = &self.population.households[self.population.household_index[person]];
        let others: Vec<usize> = household
            .members
            .iter()
            .filter_map(|code| self.population.by_code.get(code).copied())
            .filter(|&i| !taken.contains(&i))
            .filter(|&i| age_on(self.population.persons[i].birth_date, REFERENCE_DATE - Duration::days(1)) >= 18)
            .collect();
        (!others.is_empty()).then(|| others[rng.random_range(0..others.len())])
    }

    /// An adult of the population not already taken, if a few draws find one.
    fn someone(&self, rng: &mut ChaCha8Rng, taken: &[usize]) -> Option<usize> {
        (0..8).map(|_| self.adults[rng.random_range(0..self.adults.len())]).find(|i| !taken.contains(i))
    }

    /// A company `founder` founded, with its co-shareholders and board.
    fn company(&mut self, rng: &mut ChaCha8Rng, founder: usize) -> Company {
        let roll: f64 = rng.random();
        let wanted = if roll < 0.62 {
            1
        } else if roll < 0.90 {
            2
        } else {
            3
        };
        let mut holders = vec![founder];
        while holders.len() < wanted {
            let partner =
                if rng.random_bool(HOUSEHOLD_PARTNER_SHARE) { self.housemate(rng, founder, &holders) } else { None };
            match partner.or_else(|| self.someone(rng, &holders)) {
                Some(partner) => holders.push(partner),
                None => break,
            }
        }
        // Founded once every founding shareholder was of age.
        let earliest = holders.iter().map(|&h| self.of_age(h)).max().unwrap_or(EARLIEST_REGISTRATION);
        let registered = day_between(rng, earliest.max(EARLIEST_REGISTRATION), REFERENCE_DATE - Duration::days(1));
        let joint_stock = rng.random_bool(JOINT_STOCK_SHARE);
        let total: u32 = if joint_stock {
            [35_000, 50_000, 100_000, 250_000][rng.random_range(0..4)]
        } else if registered >= date!(2010 - 05 - 01) && rng.random_bool(0.15) {
            // A reduced-capital SIA: at least one share per holder.
            rng.random_range(4..=2_799)
        } else {
            [2_800, 2_800, 2_800, 2_800, 1_000, 100, 5_000, 10_000][rng.random_range(0..8)]
        };
        let outside = u32::from(rng.random_bool(OUTSIDE_HOLDER_SHARE));
        let parts = split(rng, total, holders.len() as u32 + outside);
        let mut roles = Vec::with_capacity(holders.len() * 2 + 1);
        for (position, (&holder, &held)) in holders.iter().zip(&parts).enumerate() {
            // The founder is there from the start; others mostly too, some bought in later.
            let since = if position == 0 || rng.random_bool(0.7) {
                registered
            } else {
                day_between(rng, registered, REFERENCE_DATE - Duration::days(1))
            };
            roles.push(Role { person: holder, role: HoldingRole::Shareholder, share: Some((held, total)), since });
        }
        let board_share = if holders.len() == 1 { SOLE_ON_BOARD_SHARE } else { CO_ON_BOARD_SHARE };
        let mut board: Vec<Role> = roles
            .iter()
            .filter(|_| rng.random_bool(board_share))
            .map(|holding| Role { role: HoldingRole::BoardMember, share: None, ..holding.clone() })
            .collect();
        if board.is_empty() || rng.random_bool(HIRED_BOARD_SHARE) {
            let taken: Vec<usize> = holders.iter().copied().chain(board.iter().map(|r| r.person)).collect();
            if let Some(hired) = self.someone(rng, &taken) {
                let since = day_between(rng, registered.max(self.of_age(hired)), REFERENCE_DATE - Duration::days(1));
                board.push(Role { person: hired, role: HoldingRole::BoardMember, share: None, since });
            }
        }
        roles.extend(board);
        let organisation = Organisation {
            registration_number: self.registration_number(rng, registered),
            name: self.name(rng, if joint_stock { "AS" } else { "SIA" }),
        };
        Company { organisation, roles }
    }

    /// A registration number of the series the register ran on `registered`, not yet issued.
    fn registration_number(&mut self, rng: &mut ChaCha8Rng, registered: Date) -> String {
        let series: &[&str] = if registered < date!(2004 - 01 - 01) {
            &["4000", "4000", "5000"]
        } else if registered < date!(2019 - 01 - 01) {
            &["4010", "4010", "4420"]
        } else {
            &["4020", "4020", "4020", "4420"]
        };
        loop {
            let number = format!("{}3{:06}", series[rng.random_range(0..series.len())], rng.random_range(0..1_000_000));
            if self.numbers.insert(number.clone()) {
                return number;
            }
        }
    }

    /// A name not yet registered, with its legal form first: `SIA "Ozolu Koks"`.
    fn name(&mut self, rng: &mut ChaCha8Rng, form: &str) -> String {
        let first = NAME_FIRSTS[rng.random_range(0..NAME_FIRSTS.len())];
        let second = NAME_SECONDS[rng.random_range(0..NAME_SECONDS.len())];
        let base = format!("{first} {second}");
        // The register takes no name twice; a later company adds a number, as owners do.
        let mut name = base.clone();
        let mut n = 1;
        while !self.names.insert(name.clone()) {
            n += 1;
            name = format!("{base} {n}");
        }
        format!("{form} \"{name}\"")
    }
}

impl Population {
    /// Exactly the roles the UR simulator serves for this person: the companies in which they
    /// hold shares or sit on the board as of [`REFERENCE_DATE`], sorted by the company's
    /// registration number, then role (shareholder first). Empty for a person without roles,
    /// and for an unknown one.
    pub fn ur_holdings(&self, code: &PersonCode) -> Vec<TrueHolding> {
        let Some(person) = self.person(code) else { return Vec::new() };
        let Some(roles) = self.companies.by_person.get(&person.index) else { return Vec::new() };
        let mut holdings: Vec<TrueHolding> = roles
            .iter()
            .map(|&(at, position)| {
                let company = &self.companies.companies[at];
                let role = &company.roles[position];
                TrueHolding {
                    record_id: format!("ur-{}-{:02}", company.organisation.registration_number, position + 1),
                    company: company.organisation.clone(),
                    role: role.role,
                    share: role.share,
                    since: role.since,
                }
            })
            .collect();
        holdings
            .sort_by(|a, b| (&a.company.registration_number, a.role).cmp(&(&b.company.registration_number, b.role)));
        holdings
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use gateway_domain::HoldingRole;

    use super::*;
    use crate::test_support::{TEST_SEED, test_population, tukums_population, unknown_code};

    fn share(part: usize, whole: usize) -> f64 {
        part as f64 / whole.max(1) as f64
    }

    #[test]
    fn the_register_holds_plausible_shares_of_tukums() {
        let population = tukums_population();
        let adults: Vec<_> = population.persons().iter().filter(|p| p.age_on(REFERENCE_DATE) >= 18).collect();
        let holdings: Vec<Vec<TrueHolding>> = adults.iter().map(|p| population.ur_holdings(&p.code)).collect();
        let holds = |h: &Vec<TrueHolding>, role| h.iter().any(|h| h.role == role);
        let shareholders = holdings.iter().filter(|h| holds(h, HoldingRole::Shareholder)).count();
        let on_board = holdings.iter().filter(|h| holds(h, HoldingRole::BoardMember)).count();
        let managing_owners = holdings
            .iter()
            .filter(|h| {
                h.iter().any(|s| {
                    s.role == HoldingRole::Shareholder
                        && h.iter().any(|b| b.role == HoldingRole::BoardMember && b.company == s.company)
                })
            })
            .count();
        let shareholding = share(shareholders, adults.len());
        assert!((0.04..0.10).contains(&shareholding), "shareholders among adults {shareholding}");
        let managing = share(managing_owners, shareholders);
        assert!((0.6..0.95).contains(&managing), "shareholders on their own company's board {managing}");
        // Board seats of people who hold no shares in that company.
        let seats: Vec<&TrueHolding> =
            holdings.iter().flatten().filter(|h| h.role == HoldingRole::BoardMember).collect();
        let hired = holdings
            .iter()
            .flat_map(|h| {
                h.iter().filter(|b| {
                    b.role == HoldingRole::BoardMember
                        && !h.iter().any(|s| s.role == HoldingRole::Shareholder && s.company == b.company)
                })
            })
            .count();
        let hired = share(hired, seats.len());
        assert!((0.05..0.35).contains(&hired), "board seats without shares {hired}");
        assert!(on_board > shareholders / 2, "most shareholders sit on a board");
        // Per company: how many of the population hold shares, and the legal form.
        let mut companies: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for holding in holdings.iter().flatten() {
            let entry = companies.entry(&holding.company.registration_number).or_insert((0, &holding.company.name));
            entry.0 += usize::from(holding.role == HoldingRole::Shareholder);
        }
        let by_count = |n: usize| companies.values().filter(|(c, _)| *c == n).count();
        let (one, two, three) = (by_count(1), by_count(2), by_count(3));
        assert_eq!(one + two + three, companies.len(), "one to three shareholders of the population each");
        assert!(one > two && two > three && three > 0, "sole shareholders most often ({one}, {two}, {three})");
        let sia = companies.values().filter(|(_, name)| name.starts_with("SIA \"")).count();
        assert!((0.97..1.0).contains(&share(sia, companies.len())), "SIA among companies");
        assert!(sia < companies.len(), "some joint-stock companies");
        // Tukums's 46 000 residents are about 2.4 % of Latvia's 1.9 million: a few thousand companies.
        assert!((1_000..6_000).contains(&companies.len()), "{} companies", companies.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_holdings_and_another_seed_others() {
        let first = Population::generate(TEST_SEED, 1_500);
        let second = Population::generate(TEST_SEED, 1_500);
        let other = Population::generate(TEST_SEED + 1, 1_500);
        let all = |p: &Population| -> Vec<TrueHolding> {
            p.persons().iter().flat_map(|person| p.ur_holdings(&person.code)).collect()
        };
        assert!(!all(&first).is_empty(), "someone holds a company");
        assert_eq!(all(&first), all(&second));
        assert_ne!(all(&first), all(&other));
    }

    #[test]
    fn holdings_are_sorted_consistent_per_company_and_never_exceed_its_shares() {
        let population = test_population();
        assert!(population.ur_holdings(&unknown_code(&population)).is_empty(), "nothing for an unknown person");
        let mut record_ids = HashSet::new();
        // Per company: its name, its total, the shares the population holds, its shareholders.
        let mut companies: BTreeMap<String, (String, u32, u32, usize)> = BTreeMap::new();
        let mut without = 0;
        for person in population.persons() {
            let holdings = population.ur_holdings(&person.code);
            without += usize::from(holdings.is_empty());
            let keys: Vec<_> = holdings.iter().map(|h| (h.company.registration_number.clone(), h.role)).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(keys, sorted, "{person:?}: sorted, one record per company and role");
            for holding in holdings {
                let number = &holding.company.registration_number;
                assert_eq!(number.len(), 11, "{number}");
                assert!(number.bytes().all(|b| b.is_ascii_digit()));
                assert!(["4000", "4010", "4020", "4420", "5000"].iter().any(|s| number.starts_with(s)), "{number}");
                assert!(holding.company.name.starts_with("SIA \"") || holding.company.name.starts_with("AS \""));
                assert!(holding.record_id.starts_with(&format!("ur-{number}-")));
                assert!(record_ids.insert(holding.record_id.clone()), "record ids are unique");
                assert!(holding.since < REFERENCE_DATE, "roles as of the reference date");
                assert!(person.age_on(holding.since) >= 18, "{person:?}: a role taken as an adult");
                let entry = companies.entry(number.clone()).or_insert((holding.company.name.clone(), 0, 0, 0));
                assert_eq!(entry.0, holding.company.name, "one name per company");
                match (holding.role, holding.share) {
                    (HoldingRole::Shareholder, Some((held, total))) => {
                        assert!(held > 0 && held <= total);
                        assert!(entry.1 == 0 || entry.1 == total, "one total per company");
                        entry.1 = total;
                        entry.2 += held;
                        entry.3 += 1;
                    }
                    (HoldingRole::BoardMember, None) => {}
                    other => panic!("{person:?}: a role and its share disagree: {other:?}"),
                }
            }
        }
        assert!(without > population.persons().len() / 2, "most people hold no company");
        assert!(companies.len() > 20, "{} companies", companies.len());
        for (number, (_, total, held, holders)) in &companies {
            assert!(*holders > 0, "{number}: every company has a shareholder of the population");
            assert!(held <= total, "{number}: the population holds {held} of {total}");
        }
        assert!(companies.values().any(|(_, total, held, _)| held < total), "someone outside holds shares");
    }
}
