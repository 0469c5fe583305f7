//! Latvian given and family names for the synthetic population.
//!
//! Family names come in pairs because Latvian family names agree with the bearer's sex
//! (Ozols / Ozola, Bērziņš / Bērziņa, Jansons / Jansone); a few are the same for both
//! (Liepa, Zvaigzne). Given names are grouped by generation so that a grandmother is a
//! Velta or a Biruta and a granddaughter a Sofija or an Emīlija.

use rand::Rng;
use rand::seq::IndexedRandom;
use time::Date;

use super::Sex;

/// One family name in its male and female forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FamilyName {
    pub(crate) male: &'static str,
    pub(crate) female: &'static str,
}

impl FamilyName {
    pub(crate) fn for_sex(self, sex: Sex) -> &'static str {
        match sex {
            Sex::Male => self.male,
            Sex::Female => self.female,
        }
    }
}

const fn pair(male: &'static str, female: &'static str) -> FamilyName {
    FamilyName { male, female }
}

/// Family names, most frequent first; the order weights nothing, the choice is uniform.
pub(crate) const FAMILY_NAMES: &[FamilyName] = &[
    pair("Bērziņš", "Bērziņa"),
    pair("Kalniņš", "Kalniņa"),
    pair("Ozoliņš", "Ozoliņa"),
    pair("Jansons", "Jansone"),
    pair("Ozols", "Ozola"),
    pair("Liepiņš", "Liepiņa"),
    pair("Krūmiņš", "Krūmiņa"),
    pair("Balodis", "Balode"),
    pair("Eglītis", "Eglīte"),
    pair("Zariņš", "Zariņa"),
    pair("Pētersons", "Pētersone"),
    pair("Vītols", "Vītola"),
    pair("Kļaviņš", "Kļaviņa"),
    pair("Kārkliņš", "Kārkliņa"),
    pair("Vanags", "Vanaga"),
    pair("Lācis", "Lāce"),
    pair("Siliņš", "Siliņa"),
    pair("Strazds", "Strazda"),
    pair("Kalējs", "Kalēja"),
    pair("Zālītis", "Zālīte"),
    pair("Celmiņš", "Celmiņa"),
    pair("Rozenbergs", "Rozenberga"),
    pair("Jēkabsons", "Jēkabsone"),
    pair("Freimanis", "Freimane"),
    pair("Sproģis", "Sproģe"),
    pair("Lapiņš", "Lapiņa"),
    pair("Zeltiņš", "Zeltiņa"),
    pair("Dreimanis", "Dreimane"),
    pair("Mednis", "Medne"),
    pair("Cīrulis", "Cīrule"),
    pair("Kundziņš", "Kundziņa"),
    pair("Bērzs", "Bērza"),
    pair("Avotiņš", "Avotiņa"),
    pair("Putniņš", "Putniņa"),
    pair("Gailis", "Gaile"),
    pair("Briedis", "Briede"),
    pair("Kalns", "Kalna"),
    pair("Krastiņš", "Krastiņa"),
    pair("Auziņš", "Auziņa"),
    pair("Lūsis", "Lūse"),
    pair("Vilks", "Vilka"),
    pair("Zaķis", "Zaķe"),
    pair("Dzenis", "Dzene"),
    pair("Grīnbergs", "Grīnberga"),
    pair("Sīlis", "Sīle"),
    pair("Ābols", "Ābola"),
    pair("Riekstiņš", "Riekstiņa"),
    pair("Zvirbulis", "Zvirbule"),
    pair("Purviņš", "Purviņa"),
    pair("Vārna", "Vārna"),
    pair("Liepa", "Liepa"),
    pair("Zvaigzne", "Zvaigzne"),
    pair("Priede", "Priede"),
    pair("Skuja", "Skuja"),
    pair("Grava", "Grava"),
    pair("Ivanovs", "Ivanova"),
    pair("Petrovs", "Petrova"),
    pair("Kuzņecovs", "Kuzņecova"),
    pair("Smirnovs", "Smirnova"),
    pair("Vasiļjevs", "Vasiļjeva"),
    pair("Popovs", "Popova"),
    pair("Sokolovs", "Sokolova"),
    pair("Novikovs", "Novikova"),
];

const MALE_BORN_BEFORE_1960: &[&str] = &[
    "Jānis",
    "Pēteris",
    "Andris",
    "Juris",
    "Imants",
    "Arvīds",
    "Gunārs",
    "Valdis",
    "Uldis",
    "Aivars",
    "Alfrēds",
    "Ilmārs",
    "Edgars",
    "Vilis",
    "Voldemārs",
    "Eduards",
    "Harijs",
    "Kārlis",
    "Vladimirs",
    "Nikolajs",
];

const FEMALE_BORN_BEFORE_1960: &[&str] = &[
    "Anna",
    "Velta",
    "Biruta",
    "Skaidrīte",
    "Ausma",
    "Rasma",
    "Austra",
    "Vija",
    "Ruta",
    "Mirdza",
    "Dzidra",
    "Zenta",
    "Ināra",
    "Aija",
    "Maija",
    "Gunta",
    "Valentīna",
    "Ņina",
    "Ilga",
    "Daina",
];

const MALE_BORN_1960_TO_1994: &[&str] = &[
    "Jānis",
    "Andris",
    "Māris",
    "Edgars",
    "Guntis",
    "Aivars",
    "Artūrs",
    "Mārtiņš",
    "Raimonds",
    "Normunds",
    "Ivars",
    "Gints",
    "Armands",
    "Kaspars",
    "Aigars",
    "Dainis",
    "Ainārs",
    "Uģis",
    "Sergejs",
    "Aleksandrs",
    "Dmitrijs",
    "Kristaps",
    "Raivis",
    "Jurģis",
];

const FEMALE_BORN_1960_TO_1994: &[&str] = &[
    "Līga",
    "Ilze",
    "Inese",
    "Kristīne",
    "Dace",
    "Sanita",
    "Inga",
    "Zane",
    "Baiba",
    "Agnese",
    "Evija",
    "Linda",
    "Santa",
    "Diāna",
    "Anita",
    "Iveta",
    "Sandra",
    "Gunta",
    "Ieva",
    "Laura",
    "Jeļena",
    "Tatjana",
    "Olga",
    "Svetlana",
];

const MALE_BORN_FROM_1995: &[&str] = &[
    "Roberts",
    "Markuss",
    "Gustavs",
    "Ralfs",
    "Daniels",
    "Emīls",
    "Toms",
    "Kārlis",
    "Rihards",
    "Dāvis",
    "Oskars",
    "Kristers",
    "Artjoms",
    "Adrians",
    "Mārtiņš",
    "Jēkabs",
    "Ernests",
    "Niks",
    "Olivers",
    "Miķelis",
];

const FEMALE_BORN_FROM_1995: &[&str] = &[
    "Sofija",
    "Emīlija",
    "Alise",
    "Paula",
    "Elizabete",
    "Viktorija",
    "Estere",
    "Amēlija",
    "Marta",
    "Anna",
    "Laura",
    "Katrīna",
    "Keita",
    "Elīza",
    "Darja",
    "Evelīna",
    "Madara",
    "Ance",
    "Sandija",
    "Rēzija",
];

/// A given name customary for someone of this sex born on this date.
pub(crate) fn given_name<R: Rng>(rng: &mut R, sex: Sex, birth: Date) -> &'static str {
    let list = match (sex, birth.year()) {
        (Sex::Male, ..1960) => MALE_BORN_BEFORE_1960,
        (Sex::Female, ..1960) => FEMALE_BORN_BEFORE_1960,
        (Sex::Male, 1960..1995) => MALE_BORN_1960_TO_1994,
        (Sex::Female, 1960..1995) => FEMALE_BORN_1960_TO_1994,
        (Sex::Male, _) => MALE_BORN_FROM_1995,
        (Sex::Female, _) => FEMALE_BORN_FROM_1995,
    };
    list.choose(rng).copied().unwrap_or("Jānis")
}

/// A family name chosen uniformly.
pub(crate) fn family_name<R: Rng>(rng: &mut R) -> FamilyName {
    FAMILY_NAMES.choose(rng).copied().unwrap_or(pair("Bērziņš", "Bērziņa"))
}
