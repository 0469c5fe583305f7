//! Calendar months and inclusive month periods, serialised as `YYYY-MM`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

/// A calendar month.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    // 1..=12; kept as a number so that ordering is chronological.
    month: u8,
}

/// Why a string or pair of months is not a month or a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("a month is written YYYY-MM")]
    Shape,
    #[error("the month number must be 1-12")]
    Range,
    #[error("a period must not end before it starts")]
    Reversed,
    #[error("a period may span at most {0} months")]
    TooLong(u32),
}

impl Month {
    pub fn new(year: i32, month: u8) -> Result<Self, MonthError> {
        if !(1..=12).contains(&month) || !(1800..=9999).contains(&year) {
            return Err(MonthError::Range);
        }
        Ok(Self { year, month })
    }

    pub fn of(date: Date) -> Self {
        Self { year: date.year(), month: u8::from(date.month()) }
    }

    pub fn parse(input: &str) -> Result<Self, MonthError> {
        // Strictly `YYYY-MM`: no spaces, signs or other digits `parse` would let through.
        let (y, m) = input.split_once('-').ok_or(MonthError::Shape)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(MonthError::Shape);
        }
        let year = y.parse().map_err(|_| MonthError::Shape)?;
        let month = m.parse().map_err(|_| MonthError::Shape)?;
        Self::new(year, month)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.month
    }

    pub fn first_day(self) -> Date {
        let month = time::Month::try_from(self.month).unwrap_or(time::Month::January);
        Date::from_calendar_date(self.year, month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.next().first_day().previous_day().unwrap_or(Date::MIN)
    }

    pub fn next(self) -> Self {
        if self.month == 12 { Self { year: self.year + 1, month: 1 } } else { Self { month: self.month + 1, ..self } }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 { Self { year: self.year - 1, month: 12 } } else { Self { month: self.month - 1, ..self } }
    }

    /// Months from `self` to `other`; negative when `other` is earlier.
    pub fn months_until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + i32::from(other.month) - i32::from(self.month)
    }

    /// The month `n` months after this one (`n` may be negative).
    pub fn plus(self, n: i32) -> Self {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        Self { year: index.div_euclid(12), month: (index.rem_euclid(12) + 1) as u8 }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({self})")
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    from: Month,
    to: Month,
}

/// The longest period an income check may ask for.
pub const MAX_PERIOD_MONTHS: u32 = 24;

impl Period {
    pub fn new(from: Month, to: Month) -> Result<Self, MonthError> {
        let span = from.months_until(to);
        if span < 0 {
            return Err(MonthError::Reversed);
        }
        if span as u32 + 1 > MAX_PERIOD_MONTHS {
            return Err(MonthError::TooLong(MAX_PERIOD_MONTHS));
        }
        Ok(Self { from, to })
    }

    /// The last `n` full months before the month of `today` (the means-test default is 3).
    pub fn last_full_months(today: Date, n: u32) -> Self {
        let to = Month::of(today).previous();
        Self { from: to.plus(1 - n as i32), to }
    }

    pub fn from(self) -> Month {
        self.from
    }

    pub fn to(self) -> Month {
        self.to
    }

    pub fn contains(self, month: Month) -> bool {
        self.from <= month && month <= self.to
    }

    pub fn len(self) -> u32 {
        self.from.months_until(self.to) as u32 + 1
    }

    pub fn is_empty(self) -> bool {
        false
    }

    pub fn months(self) -> impl Iterator<Item = Month> {
        (0..self.len() as i32).map(move |i| self.from.plus(i))
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            from: Month,
            to: Month,
        }
        let raw = Raw::deserialize(deserializer)?;
        Self::new(raw.from, raw.to).map_err(serde::de::Error::custom)
    }
}
