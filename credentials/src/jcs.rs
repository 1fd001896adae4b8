//! RFC 8785 JSON Canonicalization Scheme (JCS): the one place the crate turns
//! a `serde_json::Value` into canonical bytes.
//!
//! The wrapped crate is `serde_json_canonicalizer` (chosen over `serde_jcs`:
//! both pass all RFC 8785 reference files and the ES6 number samples; this one
//! uses the maintained `ryu-js` 1.x for ECMAScript number formatting). It is
//! the authority for every *value* encoding: numbers (ECMAScript
//! `Number.prototype.toString`) and strings (minimal escaping, raw UTF-8).
//!
//! This module walks arrays and objects itself and sorts object members by
//! their UTF-16 code units (RFC 8785 §3.2.3) without allocating sort keys,
//! and copies strings that need no escape (no `"`, `\`, or control
//! character) as they are.
//! That makes it ~5× faster than the crate's whole-document serializer
//! (which re-parses every member name), and lets the Data Integrity code
//! canonicalise "this object, minus `proof`, with another `@context`" without
//! cloning the document. [`to_vec_reference`] is the crate's own whole-document
//! path; tests check the two agree on every reference file and on random
//! values (`tests/props.rs`).

use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::fmt;

/// The wrapped crate failed to encode a value (cannot happen for values
/// produced by `serde_json`, which are always finite).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JcsError {
    /// The underlying message.
    pub message: String,
}

impl fmt::Display for JcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JCS encoding failed: {}", self.message)
    }
}

impl std::error::Error for JcsError {}

fn map_err(e: serde_json::Error) -> JcsError {
    JcsError {
        message: e.to_string(),
    }
}

/// Canonical (RFC 8785) UTF-8 bytes of `value`.
pub fn to_vec(value: &Value) -> Result<Vec<u8>, JcsError> {
    let mut out = Vec::with_capacity(512);
    write_value(value, &mut out)?;
    Ok(out)
}

/// Canonical (RFC 8785) text of `value`.
pub fn to_string(value: &Value) -> Result<String, JcsError> {
    let bytes = to_vec(value)?;
    String::from_utf8(bytes).map_err(|e| JcsError {
        message: e.to_string(),
    })
}

/// The wrapped crate's own whole-document serializer, kept as the reference
/// the fast path is tested against.
pub fn to_vec_reference(value: &Value) -> Result<Vec<u8>, JcsError> {
    serde_json_canonicalizer::to_vec(value).map_err(map_err)
}

/// Canonical bytes of the object `base` as modified by `overrides`: each
/// `(name, Some(v))` sets member `name` to `v`, each `(name, None)` removes it.
/// Nothing is cloned. Used for "document without `proof`" and "proof without
/// `proofValue`, with the document's `@context`".
pub fn object_view_to_vec(
    base: &Map<String, Value>,
    overrides: &[(&str, Option<&Value>)],
) -> Result<Vec<u8>, JcsError> {
    let mut out = Vec::with_capacity(512);
    let mut members: Vec<(&str, &Value)> = Vec::with_capacity(base.len() + overrides.len());
    for (k, v) in base {
        if !overrides.iter().any(|(name, _)| *name == k.as_str()) {
            members.push((k.as_str(), v));
        }
    }
    for (name, v) in overrides {
        if let Some(v) = v {
            members.push((name, v));
        }
    }
    write_members(members, &mut out)?;
    Ok(out)
}

/// RFC 8785 §3.2.3: compare member names as arrays of UTF-16 code units.
fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Writes a JSON string. Strings without `"`, `\\` or control characters
/// (almost all member names and values) have no escapes under RFC 8785 and
/// are copied as UTF-8; any other string is encoded by the wrapped crate.
fn write_str(s: &str, out: &mut Vec<u8>) -> Result<(), JcsError> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json_canonicalizer::to_writer(&s, out).map_err(map_err)
    }
}

fn write_members(mut members: Vec<(&str, &Value)>, out: &mut Vec<u8>) -> Result<(), JcsError> {
    members.sort_by(|a, b| cmp_utf16(a.0, b.0));
    out.push(b'{');
    let mut first = true;
    for (k, v) in members {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(k, out)?;
        out.push(b':');
        write_value(v, out)?;
    }
    out.push(b'}');
    Ok(())
}

fn write_value(value: &Value, out: &mut Vec<u8>) -> Result<(), JcsError> {
    match value {
        Value::Object(map) => {
            write_members(map.iter().map(|(k, v)| (k.as_str(), v)).collect(), out)
        }
        Value::Array(items) => {
            out.push(b'[');
            let mut first = true;
            for v in items {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_value(v, out)?;
            }
            out.push(b']');
            Ok(())
        }
        Value::String(s) => write_str(s, out),
        scalar => serde_json_canonicalizer::to_writer(scalar, out).map_err(map_err),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn view_removes_and_replaces_members() {
        let doc = json!({"b": 1, "proof": {"x": 1}, "@context": "a", "a": [2.0, "中"]});
        let ctx = json!(["c"]);
        let map = doc.as_object().unwrap();
        let bytes = object_view_to_vec(map, &[("proof", None), ("@context", Some(&ctx))]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"@context":["c"],"a":[2,"中"],"b":1}"#
        );
    }

    #[test]
    fn utf16_order_differs_from_utf8_order() {
        // U+FB33 sorts before U+1F600 in UTF-8 (EF < F0) but after it in
        // UTF-16 (the surrogate D83D < FB33).
        let v = json!({"\u{FB33}": 2, "\u{1F600}": 1});
        let s = to_string(&v).unwrap();
        assert_eq!(s, "{\"\u{1F600}\":1,\"\u{FB33}\":2}");
        assert_eq!(to_vec_reference(&v).unwrap(), s.into_bytes());
    }
}
