//! Free text the case system sends (officer ids, legal bases): bounded, trimmed, and free of
//! control characters, so that nothing it carries can break a log line, a SOAP header or a
//! stored row. Each kind validates when parsed.

use std::fmt;

/// Why a piece of free text is refused. Never repeats the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control characters (NUL, CR, LF, ...)")]
    ControlCharacter,
}

/// Checks free text: trimmed, 1 to `max` characters, no control characters.
pub fn free_text(raw: &str, max: usize) -> Result<&str, TextError> {
    if raw.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    Ok(text)
}

macro_rules! free_text_kind {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The longest one, in characters.
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, TextError> {
                free_text(raw, Self::MAX_CHARS).map(|text| Self(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

free_text_kind!(
    /// The case officer's user id in the case system (not a personal code).
    Officer,
    64
);
free_text_kind!(
    /// The law and article that allow a request.
    LegalBasis,
    300
);
free_text_kind!(
    /// The case file a request is made for, by the case system's number.
    CaseRef,
    64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_bounded_and_has_no_control_characters() {
        assert_eq!(Officer::parse("  cw-17 ").unwrap().as_str(), "cw-17");
        assert_eq!(Officer::parse(" "), Err(TextError::Empty));
        assert_eq!(LegalBasis::parse(""), Err(TextError::Empty));
        assert!(Officer::parse(&"a".repeat(64)).is_ok());
        assert_eq!(Officer::parse(&"a".repeat(65)), Err(TextError::TooLong(64)));
        // Characters, not bytes: a Latvian name of 64 letters fits.
        assert!(Officer::parse(&"ā".repeat(64)).is_ok());
        for bad in ["cw\0", "cw\r\nX-Injected: 1", "a\nb", "tab\tbed"] {
            assert_eq!(Officer::parse(bad), Err(TextError::ControlCharacter), "{bad:?}");
        }
    }
}
