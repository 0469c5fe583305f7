//! OpenAPI schemas (feature `openapi`) of the domain types whose wire form is a checked string,
//! for the API's OpenAPI document. Each pattern says the shape; what a parser checks besides
//! (an old-format code's check digit and birth date, a period's order) stays in the parser, and
//! the description says so.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::{CaseRef, LegalBasis, Month, Officer, PersonCode};

/// A month as the API writes it: `YYYY-MM`, years 1800 to 9999.
pub const MONTH_PATTERN: &str = "^(1[89][0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$";

/// Both formats of a personal code, with or without the hyphen after the sixth digit: the old
/// `DDMMYY-CNNNZ` (a birth date, a century digit 0-2 and a check digit) and the new `3X....`
/// (second digit 2-9).
pub const PERSON_CODE_PATTERN: &str =
    "^(3[2-9][0-9]{4}-?[0-9]{5}|(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-2][0-9]{4})$";

/// A decision or referral reference ([`crate::is_decision_ref`]): letters, digits, `-`, `_`
/// and `.`, not only dots (the length, 1 to 64, is the schema's `maxLength`).
pub const DECISION_REF_PATTERN: &str = "^[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*$";

/// Free text ([`crate::free_text`]): no control character, and something besides white space.
pub const FREE_TEXT_PATTERN: &str =
    "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$";

/// A calendar date `YYYY-MM-DD` from a year `20D0` to 2099, leap days included: the dates
/// decisions (2000-2099) and referrals (2020-2099) may carry. `decades` is the character class
/// of the year's third digit, `even` and `odd` those of its even and odd values.
fn dates_2000s(decades: &str, even: &str, odd: &str) -> String {
    format!(
        "^20{decades}[0-9]-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))$\
         |^20({even}[048]|{odd}[26])-02-29$"
    )
}

fn string(pattern: impl Into<String>, description: &str, max_length: Option<usize>, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .min_length(max_length.map(|_| 1))
        .max_length(max_length)
        .description(Some(description))
        .examples([example])
        .into()
}

/// Names a schema after the type.
macro_rules! named {
    ($type:ty, $name:literal, $schema:expr) => {
        impl PartialSchema for $type {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $type {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

named!(
    PersonCode,
    "PersonCode",
    string(
        PERSON_CODE_PATTERN,
        "A Latvian personal code in either format, with or without the hyphen; an old-format code's \
         birth date and check digit must be valid too",
        None,
        "121282-11210"
    )
);
named!(Month, "Month", string(MONTH_PATTERN, "A calendar month, `YYYY-MM`", None, "2026-10"));
named!(
    Officer,
    "Officer",
    string(
        FREE_TEXT_PATTERN,
        "The officer's user id in the case system (not a personal code): 1-64 characters after \
         trimming, no control characters",
        Some(Officer::MAX_CHARS),
        "caseworker-17"
    )
);
named!(
    LegalBasis,
    "LegalBasis",
    string(
        FREE_TEXT_PATTERN,
        "The law and article that allow the request: 1-300 characters after trimming, no control characters",
        Some(LegalBasis::MAX_CHARS),
        "Social Services and Social Assistance Law, art. 33"
    )
);
named!(
    CaseRef,
    "CaseRef",
    string(
        FREE_TEXT_PATTERN,
        "The case file's number in the case system: 1-64 characters after trimming, no control characters",
        Some(CaseRef::MAX_CHARS),
        "TUK-2026-000123"
    )
);

/// A decision or referral reference, as a schema: 1-64 letters, digits, `-`, `_` and `.`, not
/// only dots.
pub struct DecisionRef;
named!(
    DecisionRef,
    "DecisionRef",
    string(
        DECISION_REF_PATTERN,
        "A reference in the case system: 1-64 letters, digits, `-`, `_` and `.`, not only dots",
        Some(64),
        "TUK-2026-000123"
    )
);

/// A decision's date, as a schema: 2000-01-01 to 2099-12-31.
pub struct DecisionDate;
named!(
    DecisionDate,
    "DecisionDate",
    string(
        dates_2000s("[0-9]", "[02468]", "[13579]"),
        "A calendar date `YYYY-MM-DD` from 2000-01-01 to 2099-12-31",
        None,
        "2026-11-01"
    )
);

/// A referral's date, as a schema: 2020-01-01 to 2099-12-31.
pub struct ReferralDate;
named!(
    ReferralDate,
    "ReferralDate",
    string(
        dates_2000s("[2-9]", "[2468]", "[3579]"),
        "A calendar date `YYYY-MM-DD` from 2020-01-01 to 2099-12-31",
        None,
        "2026-11-01"
    )
);
