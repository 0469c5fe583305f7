//! JSON read strictly, for every body and every imported line: no key repeated in any object,
//! at most [`MAX_DEPTH`] levels deep, nothing after the value. Errors say where, never what.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Objects and arrays nested deeper than this are refused.
pub const MAX_DEPTH: usize = 32;

/// Why text is not JSON the gateway accepts; never quotes the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: line {line}, column {column}")]
pub struct StrictJsonError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

/// Parses JSON text strictly: no repeated keys, bounded depth.
pub fn parse(text: &[u8]) -> Result<Value, StrictJsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let value = Strict { depth: 0 }.deserialize(&mut deserializer).and_then(|v| deserializer.end().map(|()| v));
    value.map_err(|e| {
        // serde's message may quote the offending value: keep only where and what kind.
        let what = if e.is_data() {
            if e.to_string().starts_with(DUPLICATE) { "an object repeats a key" } else { "nested too deeply" }
        } else {
            "not valid JSON"
        };
        StrictJsonError { what, line: e.line(), column: e.column() }
    })
}

const DUPLICATE: &str = "duplicate key";

/// Builds a `Value` like serde_json's own, refusing what the API never accepts.
#[derive(Clone, Copy)]
struct Strict {
    depth: usize,
}

impl Strict {
    fn deeper<E: de::Error>(self) -> Result<Strict, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom("too deep"));
        }
        Ok(Strict { depth: self.depth + 1 })
    }
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(DUPLICATE));
            }
            let value = map.next_value_seed(inner)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(text: &str) -> String {
        parse(text.as_bytes()).expect_err("refused").to_string()
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        assert!(detail(r#"{"a": 1, "a": 2}"#).contains("repeats a key"));
        assert!(detail(r#"{"decisions": [{"version": 1, "version": 2}]}"#).contains("repeats a key"));
        assert!(parse(br#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).is_ok());
    }

    #[test]
    fn deep_nesting_and_trailing_text_are_refused() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(detail(&deep).contains("nested too deeply"));
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(fine.as_bytes()).is_ok());
        assert!(detail(r#"{"a": 1} {"b": 2}"#).contains("not valid JSON"));
    }

    #[test]
    fn errors_never_quote_the_body() {
        let text = r#"{"applicant": "121282-11210", "applicant": "121282-11210"}"#;
        assert!(!detail(text).contains("121282"));
    }
}
