//! Strict I-JSON parsing: duplicate member names, lone surrogates, size and
//! depth bounds, and that everything else parses to the same `Value` as
//! serde_json.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::json::{
    parse_strict, parse_strict_bytes, parse_strict_with, JsonError, JsonLimits,
};
use serde_json::Value;

#[test]
fn duplicate_member_names_are_refused_where_serde_json_keeps_the_last() {
    let text = r#"{"id":"urn:a","credentialSubject":{"name":"Alice","name":"Mallory"}}"#;
    let lenient: Value = serde_json::from_str(text).unwrap();
    assert_eq!(lenient["credentialSubject"]["name"], "Mallory");
    match parse_strict(text) {
        Err(JsonError::DuplicateMember { name, line, column }) => {
            assert_eq!(name, "name");
            assert_eq!(line, 1);
            assert!(column > 40);
        }
        other => panic!("{other:?}"),
    }
    // Escaped spellings of the same name are the same name.
    assert!(matches!(
        parse_strict(r#"{"a":1,"\u0061":2}"#),
        Err(JsonError::DuplicateMember { .. })
    ));
}

#[test]
fn lone_surrogates_are_refused_and_pairs_accepted() {
    for bad in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#"{"a":"x\ud83dy"}"#,
        r#""\ude00\ud83d""#,
    ] {
        assert!(
            matches!(parse_strict(bad), Err(JsonError::LoneSurrogate { .. })),
            "{bad}: {:?}",
            parse_strict(bad)
        );
    }
    assert_eq!(
        parse_strict(r#""\ud83d\ude00""#).unwrap(),
        Value::String("😀".into())
    );
}

#[test]
fn size_and_depth_bounds() {
    let limits = JsonLimits {
        max_bytes: 16,
        max_depth: 64,
    };
    assert!(matches!(
        parse_strict_with(r#"{"a":"0123456789"}"#, &limits),
        Err(JsonError::InputTooLarge { len: 18, max: 16 })
    ));
    let deep_ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(parse_strict(&deep_ok).is_ok());
    let too_deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert!(matches!(
        parse_strict(&too_deep),
        Err(JsonError::TooDeep { max_depth: 64, .. })
    ));
    // Far beyond serde_json's own limit: still a clean error, no stack overflow.
    let huge = "[".repeat(100_000);
    assert!(matches!(
        parse_strict(&huge),
        Err(JsonError::TooDeep { .. })
    ));
    let objects = r#"{"a":"#.repeat(1000);
    assert!(matches!(
        parse_strict(&objects),
        Err(JsonError::TooDeep { .. })
    ));
}

#[test]
fn bytes_must_be_utf8() {
    assert_eq!(
        parse_strict_bytes(b"\"ab\xff\"", &JsonLimits::default()),
        Err(JsonError::InvalidUtf8 { valid_up_to: 3 })
    );
}

#[test]
fn other_syntax_errors() {
    for bad in [
        "",
        "{",
        "NaN",
        "[1,]",
        r#"{"a":1} x"#,
        "'a'",
        "01",
        "\u{feff}{}",
        "1e999",
    ] {
        assert!(
            matches!(parse_strict(bad), Err(JsonError::Syntax { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn same_values_as_serde_json_otherwise() {
    let text = include_str!("data/openbadges3/fullOpenBadgeCredential.example.json");
    assert_eq!(
        parse_strict(text).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    for text in [
        "null",
        "true",
        "-1",
        "9007199254740991",
        "-9007199254740991",
        "1.5e3",
        r#""中""#,
        "[]",
        "{}",
    ] {
        assert_eq!(
            parse_strict(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }
}
