//! Dates on the API as ISO 8601 calendar dates (`YYYY-MM-DD`), and age in whole years as the
//! regulations count it: a person is a year older on their birthday.

time::serde::format_description!(iso_date_format, Date, "[year]-[month]-[day]");

/// Serde helpers for `Date` as `YYYY-MM-DD`; `iso_date::option` for `Option<Date>`.
pub mod iso_date {
    pub use super::iso_date_format::*;
}

use time::Date;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// `YYYY-MM-DD`, as the API and the regulations write a date.
const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A calendar date written `YYYY-MM-DD`; `None` for anything else.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    Date::parse(text, ISO_DATE).ok()
}

/// Whole years from `birth` to `on`; negative when `on` is before `birth`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month() as u8, on.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::age_on;

    #[test]
    fn a_person_is_a_year_older_on_the_birthday_and_not_before() {
        assert_eq!(age_on(date!(2008 - 03 - 15), date!(2026 - 03 - 14)), 17);
        assert_eq!(age_on(date!(2008 - 03 - 15), date!(2026 - 03 - 15)), 18);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 02 - 28)), 17);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 03 - 01)), 18);
        assert_eq!(age_on(date!(2026 - 05 - 01), date!(2026 - 04 - 30)), -1);
    }
}
