//! Dates on the API as ISO 8601 calendar dates (`YYYY-MM-DD`).

time::serde::format_description!(iso_date_format, Date, "[year]-[month]-[day]");

/// Serde helpers for `Date` as `YYYY-MM-DD`; `iso_date::option` for `Option<Date>`.
pub mod iso_date {
    pub use super::iso_date_format::*;
}
