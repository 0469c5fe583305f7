//! Money as integer euro cents. Never a float.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// An amount in euro cents. Negative amounts are allowed (corrections, repayments).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// Why a decimal string is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount is a decimal number with at most two fraction digits")]
    Shape,
    #[error("the amount is out of range")]
    Overflow,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount in euro (`"123.45"`, `"-7.5"`, `"12"`) exactly, as wire
    /// formats carry it. More than two fraction digits is an error, not a rounding.
    pub fn parse_decimal(input: &str) -> Result<Self, MoneyError> {
        let input = input.trim();
        let (negative, body) = match input.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, input.strip_prefix('+').unwrap_or(input)),
        };
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 2 {
            return Err(MoneyError::Shape);
        }
        if body.ends_with('.') {
            return Err(MoneyError::Shape);
        }
        let euros: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let mut cents: i64 = if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| MoneyError::Shape)? };
        if fraction.len() == 1 {
            cents *= 10;
        }
        let total = euros.checked_mul(100).and_then(|c| c.checked_add(cents)).ok_or(MoneyError::Overflow)?;
        Ok(Self(if negative { -total } else { total }))
    }

    /// The amount as a decimal euro string with exactly two fraction digits.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Divides by a count, rounding half away from zero to the cent. Used once, for averages.
    pub fn div_round(self, divisor: i64) -> Money {
        assert!(divisor > 0, "divisor must be positive");
        let q = self.0 / divisor;
        let r = self.0 % divisor;
        let adjust = if 2 * r.abs() >= divisor { self.0.signum() } else { 0 };
        Money(q + adjust)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} EUR", self.to_decimal_string())
    }
}
