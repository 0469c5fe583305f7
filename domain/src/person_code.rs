//! Latvian personal codes ("personas kods"), both formats.
//!
//! Old format `DDMMYY-CNNNZ`: a birth date, a century digit and a checksum digit.
//! New format (issued from 1 July 2017): 11 digits starting with `3` and a second digit
//! 2-9, with no birth date and no documented check digit, so it is accepted on its
//! structure alone. The hyphen after the sixth digit is optional in both formats.
//!
//! A `PersonCode` never prints itself: `Debug` and `Display` are masked so a code cannot
//! leak into a log line or a panic message by accident. The full code is reachable only
//! through [`PersonCode::as_str`] (for the wire) and serde (for API bodies).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Weights of the old-format checksum over the first ten digits.
const OLD_FORMAT_WEIGHTS: [u32; 10] = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Which of the two formats a code is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonCodeFormat {
    /// `DDMMYY-CNNNZ`, with birth date and checksum.
    Old,
    /// `3XNNNN-NNNNN`, issued from 1 July 2017.
    New,
}

/// Why a string is not a personal code. Messages never repeat the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonCodeError {
    #[error("a personal code has 11 digits, optionally with a hyphen after the sixth")]
    Shape,
    #[error("the birth date in an old-format personal code is not a calendar date")]
    BirthDate,
    #[error("the century digit of an old-format personal code must be 0, 1 or 2")]
    Century,
    #[error("the check digit of an old-format personal code does not match")]
    Checksum,
}

/// A validated personal code, stored as 11 digits without the hyphen.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonCode([u8; 11]);

impl PersonCode {
    /// Parses either format, with or without the hyphen after the sixth digit.
    pub fn parse(input: &str) -> Result<Self, PersonCodeError> {
        let bytes = input.trim().as_bytes();
        let digits: Vec<u8> = match bytes.len() {
            11 => bytes.to_vec(),
            12 if bytes[6] == b'-' => bytes[..6].iter().chain(&bytes[7..]).copied().collect(),
            _ => return Err(PersonCodeError::Shape),
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(PersonCodeError::Shape);
        }
        let mut code = [0u8; 11];
        code.copy_from_slice(&digits);
        let d = |i: usize| u32::from(code[i] - b'0');
        // An old-format day is at most 31, so "3" followed by 2-9 is always the new format.
        if d(0) == 3 && d(1) >= 2 {
            return Ok(Self(code));
        }
        let century = match d(6) {
            0 => 1800,
            1 => 1900,
            2 => 2000,
            _ => return Err(PersonCodeError::Century),
        };
        let day = (d(0) * 10 + d(1)) as u8;
        let month = time::Month::try_from((d(2) * 10 + d(3)) as u8).map_err(|_| PersonCodeError::BirthDate)?;
        let year = century + (d(4) * 10 + d(5)) as i32;
        time::Date::from_calendar_date(year, month, day).map_err(|_| PersonCodeError::BirthDate)?;
        let mut first_ten = [0u8; 10];
        for (slot, digit) in first_ten.iter_mut().zip(&code) {
            *slot = digit - b'0';
        }
        if u32::from(old_format_check_digit(&first_ten)) != d(10) {
            return Err(PersonCodeError::Checksum);
        }
        Ok(Self(code))
    }

    /// The format of this code.
    pub fn format(&self) -> PersonCodeFormat {
        if self.0[0] == b'3' && self.0[1] >= b'2' { PersonCodeFormat::New } else { PersonCodeFormat::Old }
    }

    /// The 11 digits without a hyphen, for the wire only.
    pub fn as_str(&self) -> &str {
        // The array holds ASCII digits only, checked in `parse`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The code in its customary written form, `DDDDDD-DDDDD`, for the wire only.
    pub fn hyphenated(&self) -> String {
        let s = self.as_str();
        format!("{}-{}", &s[..6], &s[6..])
    }

    /// The birth date an old-format code carries; `None` for new-format codes.
    pub fn birth_date(&self) -> Option<time::Date> {
        if self.format() == PersonCodeFormat::New {
            return None;
        }
        let d = |i: usize| i32::from(self.0[i] - b'0');
        let year = [1800, 1900, 2000][d(6) as usize] + d(4) * 10 + d(5);
        let month = time::Month::try_from((d(2) * 10 + d(3)) as u8).ok()?;
        time::Date::from_calendar_date(year, month, (d(0) * 10 + d(1)) as u8).ok()
    }

    /// A salted SHA-256 of the code, shortened: safe to log, stable for one salt.
    pub fn fingerprint(&self, salt: &[u8]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(salt);
        hasher.update(self.0);
        hex::encode(&hasher.finalize()[..8])
    }
}

impl fmt::Debug for PersonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonCode(***********)")
    }
}

impl fmt::Display for PersonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("******-*****")
    }
}

impl std::str::FromStr for PersonCode {
    type Err = PersonCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for PersonCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PersonCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Computes the old-format check digit for the first ten digits; used by the synthetic
/// population to issue valid codes.
pub fn old_format_check_digit(first_ten: &[u8; 10]) -> u8 {
    let sum: u32 = OLD_FORMAT_WEIGHTS.iter().zip(first_ten).map(|(w, d)| w * u32::from(*d)).sum();
    // The weighted sum is at most 9 * 55 = 495, so the subtraction cannot underflow.
    ((1101 - sum) % 11 % 10) as u8
}
