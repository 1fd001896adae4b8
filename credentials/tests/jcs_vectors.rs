//! RFC 8785 reference vectors (cyberphone/json-canonicalization testdata):
//! every input canonicalises to the expected output bytes (and hex), through
//! both the fast path and the wrapped crate's reference path; plus the
//! ECMAScript number samples the vectors README lists.
//!
//! JCS canonicalises whatever doubles it is given, so these tests parse
//! with serde_json's own parser where a vector holds an integer beyond
//! ±(2^53 − 1) (`1E30` in `values`), and check that the strict I-JSON
//! parser refuses exactly those inputs (`JsonError::UnsafeInteger`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::jcs;
use credentials::json::{parse_strict, JsonError};
use serde_json::Value;

/// Parses like the crate does, or, for an input the strict parser refuses
/// only for an unsafe integer, like serde_json (JCS's own input domain).
fn parse(name: &str, input: &str, unsafe_integer: bool) -> Value {
    match parse_strict(input) {
        Ok(v) => {
            assert!(!unsafe_integer, "{name}: an unsafe integer was accepted");
            v
        }
        Err(JsonError::UnsafeInteger { .. }) if unsafe_integer => {
            serde_json::from_str(input).unwrap()
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

macro_rules! vector {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("data/jcs-rfc8785/input/", $name, ".json")),
            include_bytes!(concat!("data/jcs-rfc8785/output/", $name, ".json")).as_slice(),
            include_str!(concat!("data/jcs-rfc8785/outhex/", $name, ".txt")),
        )
    };
}

const VECTORS: [(&str, &str, &[u8], &str); 6] = [
    vector!("arrays"),
    vector!("french"),
    vector!("structures"),
    vector!("unicode"),
    vector!("values"),
    vector!("weird"),
];

fn unhex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

#[test]
fn every_reference_vector_matches_byte_for_byte() {
    for (name, input, output, outhex) in VECTORS {
        let value = parse(name, input, name == "values");
        let fast = jcs::to_vec(&value).unwrap();
        let reference = jcs::to_vec_reference(&value).unwrap();
        assert_eq!(fast, output, "{name}: fast path");
        assert_eq!(reference, output, "{name}: wrapped crate");
        assert_eq!(fast, unhex(outhex), "{name}: outhex");
    }
}

#[test]
fn ecmascript_number_serialisation() {
    for (input, expected) in [
        ("2.0", "2"),
        ("1e21", "1e+21"),
        ("1e20", "100000000000000000000"),
        ("0.000001", "0.000001"),
        ("1e-7", "1e-7"),
        ("-0", "0"),
        ("4.50", "4.5"),
        ("333333333.33333329", "333333333.3333333"),
        ("9007199254740993", "9007199254740992"),
        ("5e-324", "5e-324"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ] {
        let unsafe_integer = matches!(
            input,
            "1e21" | "1e20" | "9007199254740993" | "1.7976931348623157e308"
        );
        let v = parse(input, input, unsafe_integer);
        assert_eq!(jcs::to_string(&v).unwrap(), expected, "{input}");
        assert_eq!(
            jcs::to_vec_reference(&v).unwrap(),
            expected.as_bytes(),
            "{input}"
        );
    }
}

#[test]
fn strings_escape_only_what_rfc8785_requires() {
    let v = parse_strict(r#"{"k":"\u001f\u007f\u2028\ud83d\ude00 \"\\/\b\f\n\r\t 中文"}"#).unwrap();
    assert_eq!(
        jcs::to_string(&v).unwrap(),
        "{\"k\":\"\\u001f\u{7f}\u{2028}\u{1F600} \\\"\\\\/\\b\\f\\n\\r\\t 中文\"}"
    );
}
