//! Secret and public key import/export: the 32-byte (0x8026) and 64-byte
//! secret Multikey forms, key files with `secretKeyMultibase` or
//! `privateKeyMultibase`, wrong multicodecs and lengths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::json::parse_strict;
use credentials::keys::KeyError;
use credentials::multibase::{encode_base58btc, ED25519_PRIV};
use credentials::{DidKey, PublicKey, SecretKey};
use serde_json::json;

const W3C_KEY: &str = include_str!("data/eddsa-jcs-2022/keyPair.json");
const SUITE_KEY: &str =
    include_str!("data/test-suite-keys/data-integrity-test-suite-assertion.defaultKey.json");
const OB3_KEY: &str = include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/keyPair.json");

#[test]
fn key_files_of_the_three_shapes_import() {
    // W3C keyPair.json: privateKeyMultibase, 32-byte form.
    let w3c = SecretKey::from_key_file(&parse_strict(W3C_KEY).unwrap()).unwrap();
    assert_eq!(
        w3c.public_key().to_multibase(),
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    );
    // Test-suite defaultKey.json: secretKeyMultibase, 64-byte form.
    let suite = SecretKey::from_key_file(&parse_strict(SUITE_KEY).unwrap()).unwrap();
    assert_eq!(
        DidKey::from_public_key(suite.public_key()).as_str(),
        "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT"
    );
    // 1EdTech: 64-byte secretKeyMultibase with an https verification method.
    let ob3 = SecretKey::from_key_file(&parse_strict(OB3_KEY).unwrap()).unwrap();
    assert_eq!(
        ob3.public_key().to_multibase(),
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    );
}

#[test]
fn export_is_the_32_byte_form_and_round_trips() {
    let suite = SecretKey::from_key_file(&parse_strict(SUITE_KEY).unwrap()).unwrap();
    let exported = suite.to_key_file();
    assert!(exported["secretKeyMultibase"]
        .as_str()
        .unwrap()
        .starts_with("z3u2"));
    assert_eq!(
        exported["controller"],
        "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT"
    );
    assert_eq!(
        exported["id"],
        "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT#z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT"
    );
    let back = SecretKey::from_key_file(&exported).unwrap();
    assert_eq!(back.to_bytes(), suite.to_bytes());
    // Debug never shows the secret.
    let dbg = format!("{suite:?}");
    assert!(!dbg.contains(exported["secretKeyMultibase"].as_str().unwrap()));
}

#[test]
fn mismatched_or_malformed_keys_are_refused() {
    let mut file = parse_strict(W3C_KEY).unwrap();
    file["publicKeyMultibase"] = json!("z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT");
    assert_eq!(
        SecretKey::from_key_file(&file).unwrap_err(),
        KeyError::PublicKeyMismatch
    );
    assert!(matches!(
        SecretKey::from_key_file(&json!({"publicKeyMultibase": "z6Mk"})),
        Err(KeyError::MissingMember { .. })
    ));
    // 64-byte form whose public half is not the seed's public key.
    let seed = [7u8; 32];
    let mut bad = Vec::from(ED25519_PRIV);
    bad.extend_from_slice(&seed);
    bad.extend_from_slice(&[9u8; 32]);
    assert_eq!(
        SecretKey::from_multibase(&encode_base58btc(&bad)).unwrap_err(),
        KeyError::PublicKeyMismatch
    );
    // Wrong lengths and codecs.
    let mut short = Vec::from(ED25519_PRIV);
    short.extend_from_slice(&[1u8; 31]);
    assert!(matches!(
        SecretKey::from_multibase(&encode_base58btc(&short)),
        Err(KeyError::InvalidLength { len: 31, .. })
    ));
    assert!(matches!(
        SecretKey::from_multibase("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
        Err(KeyError::WrongMulticodec {
            found: 0xed,
            expected: 0x1300
        })
    ));
    assert!(matches!(
        PublicKey::from_multibase("z6LSbgBAXJos6Tik6PNmXeWxKbDUr9Y7hcB9syigVTeXiNmm"),
        Err(KeyError::WrongMulticodec { found: 0xec, .. })
    ));
    assert!(matches!(
        PublicKey::from_multibase("u7QE"),
        Err(KeyError::Multibase { .. })
    ));
}

#[test]
fn signatures_verify_strictly() {
    let key = SecretKey::from_bytes(&[42u8; 32]);
    let sig = key.sign(b"hello");
    assert!(key.public_key().verify_strict(b"hello", &sig));
    assert!(!key.public_key().verify_strict(b"hellp", &sig));
    let mut bad = sig;
    bad[63] ^= 0x80;
    assert!(!key.public_key().verify_strict(b"hello", &bad));
}
