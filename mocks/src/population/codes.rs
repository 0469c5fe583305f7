//! Issuing unique, valid personal codes in both formats.
//!
//! Old format `DDMMYY-CNNNZ` for people born before 1 July 2017 (century digit and check
//! digit as the register computes them), new format `3XNNNN-NNNNN` for everyone born from
//! then on and for the few who changed their old code.

use std::collections::HashSet;

use gateway_domain::{PersonCode, old_format_check_digit};
use rand::Rng;
use time::Date;
use time::macros::date;

/// The first day new-format codes were issued.
pub(crate) const NEW_FORMAT_FROM: Date = date!(2017 - 07 - 01);

/// Hands out personal codes and remembers them so that no code is issued twice.
pub(crate) struct CodeIssuer {
    issued: HashSet<u64>,
}

impl CodeIssuer {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self { issued: HashSet::with_capacity(capacity) }
    }

    /// An old-format code carrying `birth`, with a serial that is still free.
    pub(crate) fn old_format<R: Rng>(&mut self, rng: &mut R, birth: Date) -> PersonCode {
        let century = match birth.year() {
            ..1900 => 0,
            1900..2000 => 1,
            _ => 2,
        };
        let yy = birth.year().rem_euclid(100) as u8;
        let mm = u8::from(birth.month());
        let dd = birth.day();
        loop {
            let serial: u16 = rng.random_range(0..1000);
            let mut digits = [
                dd / 10,
                dd % 10,
                mm / 10,
                mm % 10,
                yy / 10,
                yy % 10,
                century,
                (serial / 100) as u8,
                (serial / 10 % 10) as u8,
                (serial % 10) as u8,
                0,
            ];
            let first_ten: [u8; 10] = digits[..10].try_into().unwrap_or_default();
            digits[10] = old_format_check_digit(&first_ten);
            if let Some(code) = self.claim(&digits) {
                return code;
            }
        }
    }

    /// A new-format code that has not been issued yet.
    pub(crate) fn new_format<R: Rng>(&mut self, rng: &mut R) -> PersonCode {
        loop {
            let mut digits = [0u8; 11];
            digits[0] = 3;
            // The register began with 32 and later drew the second digit from 2-9.
            digits[1] = if rng.random_bool(0.6) { 2 } else { rng.random_range(3..=9) };
            for digit in &mut digits[2..] {
                *digit = rng.random_range(0..=9);
            }
            if let Some(code) = self.claim(&digits) {
                return code;
            }
        }
    }

    fn claim(&mut self, digits: &[u8; 11]) -> Option<PersonCode> {
        let key = digits.iter().fold(0u64, |acc, d| acc * 10 + u64::from(*d));
        if !self.issued.insert(key) {
            return None;
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        // Every code built above is valid by construction; a failure here is a bug in this
        // module, and the code is skipped rather than issued.
        PersonCode::parse(&text).ok()
    }
}
