//! Strict I-JSON parsing (RFC 7493) into `serde_json::Value`.
//!
//! `serde_json::Value`'s own `Deserialize` silently keeps the *last* of two
//! members with the same name, which would let a credential show one value and
//! sign another. This module parses through a small `DeserializeSeed` that
//! refuses duplicate member names, bounds the nesting depth and the input
//! size, and otherwise builds the very same `Value`. Lone surrogates in `\u`
//! escapes are rejected by serde_json itself (tested in `tests/json_strict.rs`).
//!
//! Numbers follow I-JSON §2.2: an integer outside ±(2^53 − 1) cannot be
//! held exactly by the IEEE doubles JCS canonicalises, so two different
//! texts (`9007199254740993`, `9007199254740992`) would hash the same and a
//! page could show one while the signature covers the other. Such a number
//! is refused at parse time ([`JsonError::UnsafeInteger`]), written as an
//! integer or as a float with an integral value (`1e20`, `…993.0`).
//!
//! `serde_json::Value` stays the document model of the whole crate: documents
//! are never round-tripped through typed structs before they are hashed.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// Default maximum input size: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;
/// Default maximum nesting depth of arrays and objects.
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// serde_json's own recursion limit; depths above it cannot be honoured.
pub const HARD_MAX_DEPTH: usize = 127;
/// The largest integer an IEEE double holds exactly together with all its
/// neighbours, `2^53 − 1` (I-JSON §2.2, `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Bounds applied while parsing untrusted JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonLimits {
    /// Maximum input length in bytes.
    pub max_bytes: usize,
    /// Maximum nesting depth (the top-level object is depth 1). Values above
    /// [`HARD_MAX_DEPTH`] behave as [`HARD_MAX_DEPTH`].
    pub max_depth: usize,
}

impl Default for JsonLimits {
    fn default() -> Self {
        JsonLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Why a JSON text was refused. Serialised with a stable `reason` key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum JsonError {
    /// The input is longer than [`JsonLimits::max_bytes`].
    InputTooLarge {
        /// Input length in bytes.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// Arrays/objects are nested deeper than [`JsonLimits::max_depth`].
    TooDeep {
        /// The limit in force.
        max_depth: usize,
        /// 1-based line of the offending value.
        line: usize,
        /// 1-based column of the offending value.
        column: usize,
    },
    /// An object has two members with the same name (I-JSON §2.3).
    DuplicateMember {
        /// The repeated member name.
        name: String,
        /// 1-based line where the duplicate was found.
        line: usize,
        /// 1-based column where the duplicate was found.
        column: usize,
    },
    /// The input bytes are not UTF-8.
    InvalidUtf8 {
        /// Length of the valid UTF-8 prefix.
        valid_up_to: usize,
    },
    /// A number with an integral value outside ±[`MAX_SAFE_INTEGER`]
    /// (I-JSON §2.2): it cannot be represented exactly, so it is refused.
    UnsafeInteger {
        /// 1-based line just after the number.
        line: usize,
        /// 1-based column just after the number.
        column: usize,
    },
    /// A `\u` escape encodes a lone surrogate (not a Unicode scalar value).
    LoneSurrogate {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Any other syntax error (serde_json's message is kept for debugging).
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description (English, not for end users).
        message: String,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::InputTooLarge { len, max } => {
                write!(f, "input is {len} bytes, more than the {max} allowed")
            }
            JsonError::TooDeep {
                max_depth,
                line,
                column,
            } => write!(
                f,
                "nesting deeper than {max_depth} at line {line} column {column}"
            ),
            JsonError::DuplicateMember { name, line, column } => write!(
                f,
                "duplicate member name {name:?} at line {line} column {column}"
            ),
            JsonError::InvalidUtf8 { valid_up_to } => {
                write!(f, "input is not UTF-8 after byte {valid_up_to}")
            }
            JsonError::LoneSurrogate { line, column } => {
                write!(f, "lone surrogate escape at line {line} column {column}")
            }
            JsonError::UnsafeInteger { line, column } => write!(
                f,
                "integer beyond ±(2^53 - 1) before line {line} column {column}"
            ),
            JsonError::Syntax {
                line,
                column,
                message,
            } => write!(f, "{message} (line {line} column {column})"),
        }
    }
}

impl std::error::Error for JsonError {}

/// What the seed found, carried out of serde's string-typed errors.
enum Found {
    Duplicate(String),
    TooDeep,
    UnsafeInteger,
}

struct ValueSeed<'a> {
    depth: usize,
    max_depth: usize,
    found: &'a RefCell<Option<Found>>,
}

impl<'a> ValueSeed<'a> {
    fn child(&self) -> ValueSeed<'a> {
        ValueSeed {
            depth: self.depth.saturating_add(1),
            max_depth: self.max_depth,
            found: self.found,
        }
    }

    fn unsafe_integer<E: serde::de::Error>(&self) -> E {
        *self.found.borrow_mut() = Some(Found::UnsafeInteger);
        E::custom("integer outside the I-JSON range")
    }

    fn enter<E: serde::de::Error>(&self) -> Result<(), E> {
        if self.depth > self.max_depth {
            *self.found.borrow_mut() = Some(Found::TooDeep);
            return Err(E::custom("nesting too deep"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(self.unsafe_integer());
        }
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_SAFE_INTEGER {
            return Err(self.unsafe_integer());
        }
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        // Integers too long for u64/i64 arrive here, as do `1e20` and `…3.0`.
        // 2^53 as a double is exact, so `>=` refuses everything above the
        // safe range whatever the rounding of the text.
        #[allow(clippy::cast_precision_loss)]
        let limit = (MAX_SAFE_INTEGER + 1) as f64;
        if v.is_finite() && v.fract() == 0.0 && v.abs() >= limit {
            return Err(self.unsafe_integer());
        }
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
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
        self.enter()?;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(self.child())? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let msg = format!("duplicate member {key:?}");
                *self.found.borrow_mut() = Some(Found::Duplicate(key));
                return Err(A::Error::custom(msg));
            }
            let value = map.next_value_seed(self.child())?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Whether `n` is an integral value outside ±[`MAX_SAFE_INTEGER`] (what
/// [`parse_strict`] refuses).
pub fn is_unsafe_integer(n: &Number) -> bool {
    if let Some(u) = n.as_u64() {
        return u > MAX_SAFE_INTEGER;
    }
    if let Some(i) = n.as_i64() {
        return i.unsigned_abs() > MAX_SAFE_INTEGER;
    }
    #[allow(clippy::cast_precision_loss)]
    let limit = (MAX_SAFE_INTEGER + 1) as f64;
    n.as_f64()
        .is_some_and(|f| f.fract() == 0.0 && f.abs() >= limit)
}

/// The JSON Pointer of the first number in `value` that [`parse_strict`]
/// would refuse, for documents built in code rather than parsed (the
/// issuer refuses to sign them). Walks with its own stack, so any depth is
/// safe.
pub fn first_unsafe_integer(value: &Value) -> Option<String> {
    let mut stack: Vec<(&Value, String)> = vec![(value, String::new())];
    while let Some((v, path)) = stack.pop() {
        match v {
            Value::Number(n) if is_unsafe_integer(n) => return Some(path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, format!("{path}/{i}")));
                }
            }
            Value::Object(map) => {
                for (k, item) in map.iter().rev() {
                    let k = k.replace('~', "~0").replace('/', "~1");
                    stack.push((item, format!("{path}/{k}")));
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses `input` as strict I-JSON with the default [`JsonLimits`].
pub fn parse_strict(input: &str) -> Result<Value, JsonError> {
    parse_strict_with(input, &JsonLimits::default())
}

/// Parses raw bytes (which must be UTF-8) as strict I-JSON.
pub fn parse_strict_bytes(input: &[u8], limits: &JsonLimits) -> Result<Value, JsonError> {
    if input.len() > limits.max_bytes {
        return Err(JsonError::InputTooLarge {
            len: input.len(),
            max: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(input).map_err(|e| JsonError::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    parse_strict_with(text, limits)
}

/// Parses `input` as strict I-JSON: no duplicate member names, no lone
/// surrogates, at most `limits.max_bytes` bytes and `limits.max_depth` levels.
pub fn parse_strict_with(input: &str, limits: &JsonLimits) -> Result<Value, JsonError> {
    if input.len() > limits.max_bytes {
        return Err(JsonError::InputTooLarge {
            len: input.len(),
            max: limits.max_bytes,
        });
    }
    let found = RefCell::new(None);
    let max_depth = limits.max_depth.min(HARD_MAX_DEPTH);
    let mut de = serde_json::Deserializer::from_str(input);
    let seed = ValueSeed {
        depth: 1,
        max_depth,
        found: &found,
    };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let (line, column) = (e.line(), e.column());
        match found.into_inner() {
            Some(Found::Duplicate(name)) => JsonError::DuplicateMember { name, line, column },
            Some(Found::TooDeep) => JsonError::TooDeep {
                max_depth,
                line,
                column,
            },
            Some(Found::UnsafeInteger) => JsonError::UnsafeInteger { line, column },
            None => {
                let message = e.to_string();
                if message.contains("recursion limit") {
                    JsonError::TooDeep {
                        max_depth,
                        line,
                        column,
                    }
                } else if message.contains("surrogate")
                    || message.contains("unexpected end of hex escape")
                {
                    // serde_json raises "unexpected end of hex escape" only
                    // when a leading surrogate is not followed by `\u`.
                    JsonError::LoneSurrogate { line, column }
                } else {
                    JsonError::Syntax {
                        line,
                        column,
                        message,
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn nested_duplicate_is_found_with_its_name() {
        let err = parse_strict(r#"{"a":{"b":1,"c":2,"b":3}}"#).unwrap_err();
        assert!(matches!(err, JsonError::DuplicateMember { ref name, .. } if name == "b"));
    }

    #[test]
    fn same_name_in_sibling_objects_is_fine() {
        assert!(parse_strict(r#"[{"a":1},{"a":2}]"#).is_ok());
    }

    #[test]
    fn integers_beyond_the_safe_range_are_refused() {
        for ok in [
            "9007199254740991",
            "-9007199254740991",
            "[0, -0, 1.5, 1e-300, 9007199254740991.0, 0.1e1, 4503599627370495.5]",
        ] {
            assert!(parse_strict(ok).is_ok(), "{ok}");
        }
        for bad in [
            "9007199254740992",
            "-9007199254740992",
            "9007199254740993",
            "18446744073709551615",
            "123456789012345678901234567890",
            "-123456789012345678901234567890",
            "1e20",
            "9007199254740993.0",
            "1.7976931348623157e308",
            r#"{"credentialSubject":{"n":[1,2,{"x":9007199254740993}]}}"#,
        ] {
            assert!(
                matches!(parse_strict(bad), Err(JsonError::UnsafeInteger { .. })),
                "{bad}: {:?}",
                parse_strict(bad)
            );
        }
    }

    #[test]
    fn unsafe_integers_are_found_in_built_documents() {
        let doc =
            serde_json::json!({"a": [1, {"b/c": 2}], "d": {"e": [3, 9_007_199_254_740_992_u64]}});
        assert_eq!(first_unsafe_integer(&doc).as_deref(), Some("/d/e/1"));
        let doc = serde_json::json!({"a~": [{"b/c": -9_007_199_254_740_993_i64}], "f": 1e300});
        assert_eq!(first_unsafe_integer(&doc).as_deref(), Some("/a~0/0/b~1c"));
        let fine =
            serde_json::json!({"a": [9_007_199_254_740_991_u64, -9_007_199_254_740_991_i64, 0.5]});
        assert_eq!(first_unsafe_integer(&fine), None);
    }

    #[test]
    fn depth_limit_counts_levels() {
        let limits = JsonLimits {
            max_bytes: 1000,
            max_depth: 3,
        };
        assert!(parse_strict_with("[[[1]]]", &limits).is_ok());
        assert!(matches!(
            parse_strict_with("[[[[1]]]]", &limits),
            Err(JsonError::TooDeep { max_depth: 3, .. })
        ));
    }
}
