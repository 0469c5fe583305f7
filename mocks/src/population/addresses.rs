//! Dwellings in Tukums county: the towns of Tukums and Kandava and the parishes around them.
//!
//! Address texts follow the State Address Register's written form: street and house number
//! with an apartment after a hyphen (`Talsu iela 12-4, Tukums, Tukuma nov., LV-3101`),
//! village streets with their parish (`Skolas iela 3, Smārde, Smārdes pag., ...`) and rural
//! homesteads by name in quotes (`"Lejasozoli", Jaunpils pag., ...`). Street names and postal
//! codes are close to the real ones; house numbers, apartments and address codes are made up.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;

const COUNTY: &str = "Tukuma nov.";

/// A town or a parish whose households live at addresses of one shape.
struct Locality {
    /// The town or village named in a street address.
    place: &'static str,
    /// The parish, written in the genitive with `pag.`; `None` for a town.
    parish: Option<&'static str>,
    postcode: &'static str,
    /// Relative share of the county's households.
    weight: u32,
    streets: &'static [&'static str],
    /// The highest house number on a street.
    max_house: u16,
    /// Share of houses that are apartment blocks rather than family houses.
    block_share: u8,
    /// Apartments in the largest block: five storeys in the towns, two or three in villages.
    max_apartment: u16,
    /// Share of the parish's households on rural homesteads rather than village streets.
    homestead_share: u8,
}

const VILLAGE_STREETS: &[&str] = &[
    "Skolas iela",
    "Dārza iela",
    "Bērzu iela",
    "Liepu iela",
    "Parka iela",
    "Centra iela",
    "Jaunā iela",
    "Saules iela",
    "Meža iela",
    "Pļavas iela",
];

const LOCALITIES: &[Locality] = &[
    Locality {
        place: "Tukums",
        parish: None,
        postcode: "LV-3101",
        weight: 40,
        streets: &[
            "Talsu iela",
            "Pils iela",
            "Lielā iela",
            "Rīgas iela",
            "Kurzemes iela",
            "Zemītes iela",
            "Stacijas iela",
            "Raudas iela",
            "Kuldīgas iela",
            "Dārza iela",
            "Meža iela",
            "Smilšu iela",
            "Parka iela",
            "Lauku iela",
            "Kalēju iela",
            "Spartaka iela",
            "Harmonijas iela",
            "Elizabetes iela",
            "Jelgavas iela",
            "Avotu iela",
            "Slimnīcas iela",
            "Pasta iela",
            "Ed. Veidenbauma iela",
            "Kr. Barona iela",
            "Plīenciema iela",
        ],
        max_house: 80,
        block_share: 60,
        max_apartment: 60,
        homestead_share: 0,
    },
    Locality {
        place: "Kandava",
        parish: None,
        postcode: "LV-3120",
        weight: 8,
        streets: &[
            "Lielā iela",
            "Sabiles iela",
            "Talsu iela",
            "Ūdens iela",
            "Kūrorta iela",
            "Dārza iela",
            "Rūpniecības iela",
            "Jaunā iela",
        ],
        max_house: 60,
        block_share: 40,
        max_apartment: 40,
        homestead_share: 0,
    },
    parish(
        "Engure",
        "Engures pag.",
        "LV-3113",
        5,
        &["Jūras iela", "Ostas iela", "Zvejnieku iela", "Bērzu iela", "Skolas iela"],
    ),
    parish(
        "Lapmežciems",
        "Lapmežciema pag.",
        "LV-3118",
        4,
        &["Jūras iela", "Kāpu iela", "Ragaciema iela", "Priežu iela"],
    ),
    parish("Smārde", "Smārdes pag.", "LV-3129", 4, VILLAGE_STREETS),
    parish("Jaunpils", "Jaunpils pag.", "LV-3145", 4, VILLAGE_STREETS),
    parish("Zante", "Zantes pag.", "LV-3134", 2, VILLAGE_STREETS),
    parish("Slampe", "Slampes pag.", "LV-3119", 4, VILLAGE_STREETS),
    parish("Pūre", "Pūres pag.", "LV-3124", 4, VILLAGE_STREETS),
    parish("Tume", "Tumes pag.", "LV-3139", 4, VILLAGE_STREETS),
    parish("Irlava", "Irlavas pag.", "LV-3137", 3, VILLAGE_STREETS),
    parish("Džūkste", "Džūkstes pag.", "LV-3132", 3, VILLAGE_STREETS),
    parish("Sēme", "Sēmes pag.", "LV-3104", 3, VILLAGE_STREETS),
    parish("Matkule", "Matkules pag.", "LV-3126", 2, VILLAGE_STREETS),
    parish("Zentene", "Zentenes pag.", "LV-3136", 2, VILLAGE_STREETS),
    parish("Vāne", "Vānes pag.", "LV-3135", 2, VILLAGE_STREETS),
];

const fn parish(
    place: &'static str,
    parish: &'static str,
    postcode: &'static str,
    weight: u32,
    streets: &'static [&'static str],
) -> Locality {
    Locality {
        place,
        parish: Some(parish),
        postcode,
        weight,
        streets,
        max_house: 30,
        block_share: 35,
        max_apartment: 24,
        homestead_share: 45,
    }
}

/// Homestead names are built from a prefix and a stem, as many real ones are.
const HOMESTEAD_PREFIXES: &[&str] = &["", "", "", "Jaun", "Vec", "Lejas", "Kalna", "Meža", "Liel", "Maz"];
const HOMESTEAD_STEMS: &[&str] = &[
    "ozoli",
    "kalnāji",
    "bērzi",
    "liepas",
    "priedes",
    "egles",
    "ābeles",
    "pļavas",
    "avoti",
    "dārziņi",
    "kļavas",
    "rozītes",
    "silmalas",
    "strauti",
    "zīles",
    "lāči",
    "vītoli",
    "muižnieki",
    "krasti",
    "lauki",
    "gravas",
    "dzirnavas",
    "sējas",
    "sauleskalni",
    "purmaļi",
    "ievas",
    "riekstiņi",
    "cīruļi",
    "straumes",
    "ezermalas",
];

/// One dwelling: its register code and written address.
pub(crate) struct Dwelling {
    pub(crate) code: String,
    pub(crate) text: String,
}

/// Hands out distinct dwellings with distinct codes.
pub(crate) struct AddressRegister {
    seed: u64,
    codes: HashSet<u32>,
    /// Written addresses handed out so far; a family house is one dwelling, so it is handed
    /// out once, and an apartment once per block.
    texts: HashSet<String>,
    total_weight: u32,
}

impl AddressRegister {
    pub(crate) fn with_capacity(seed: u64, capacity: usize) -> Self {
        Self {
            seed,
            codes: HashSet::with_capacity(capacity),
            texts: HashSet::with_capacity(capacity),
            total_weight: LOCALITIES.iter().map(|l| l.weight).sum(),
        }
    }

    /// A dwelling nobody has been given yet.
    pub(crate) fn next_dwelling<R: Rng>(&mut self, rng: &mut R) -> Dwelling {
        let mut attempts: u16 = 0;
        let text = loop {
            // Streets grow longer the more often a drawn address is taken, so that a
            // population far larger than the county still finds free dwellings.
            let widen = 1 + attempts / 16;
            attempts = attempts.saturating_add(1);
            let candidate = self.candidate_text(rng, widen);
            if !self.texts.contains(&candidate) {
                self.texts.insert(candidate.clone());
                break candidate;
            }
        };
        let code = loop {
            let code: u32 = rng.random_range(100_000_000..1_000_000_000);
            if self.codes.insert(code) {
                break code;
            }
        };
        Dwelling { code: code.to_string(), text }
    }

    fn candidate_text<R: Rng>(&self, rng: &mut R, widen: u16) -> String {
        let (index, locality) = self.pick_locality(rng);
        let tail = match locality.parish {
            None => format!("{}, {COUNTY}, {}", locality.place, locality.postcode),
            Some(parish) => format!("{}, {parish}, {COUNTY}, {}", locality.place, locality.postcode),
        };
        let homestead = locality.parish.filter(|_| rng.random_range(0..100) < locality.homestead_share);
        if let Some(parish) = homestead {
            let prefix = HOMESTEAD_PREFIXES.choose(rng).copied().unwrap_or("");
            let stem = HOMESTEAD_STEMS.choose(rng).copied().unwrap_or("ozoli");
            let name = capitalise(&format!("{prefix}{stem}"));
            return format!("\"{name}\", {parish}, {COUNTY}, {}", locality.postcode);
        }
        let street_index = rng.random_range(0..locality.streets.len());
        let street = locality.streets[street_index];
        let house = rng.random_range(1..=locality.max_house.saturating_mul(widen));
        if self.is_block(index, street_index, house, locality.block_share) {
            let apartment = rng.random_range(1..=locality.max_apartment);
            format!("{street} {house}-{apartment}, {tail}")
        } else {
            format!("{street} {house}, {tail}")
        }
    }

    fn pick_locality<R: Rng>(&self, rng: &mut R) -> (usize, &'static Locality) {
        let mut ticket = rng.random_range(0..self.total_weight);
        for (index, locality) in LOCALITIES.iter().enumerate() {
            if ticket < locality.weight {
                return (index, locality);
            }
            ticket -= locality.weight;
        }
        (0, &LOCALITIES[0])
    }

    /// Whether a house is an apartment block: fixed per house for one seed, so that the same
    /// house never appears both with and without apartment numbers.
    fn is_block(&self, locality: usize, street: usize, house: u16, block_share: u8) -> bool {
        let key = (locality as u64) << 32 | (street as u64) << 16 | u64::from(house);
        super::mix(self.seed ^ 0xadd2_e55e, key) % 100 < u64::from(block_share)
    }
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
