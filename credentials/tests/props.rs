//! Property tests (native only): changing any value of a signed credential
//! makes verification fail; reordering members keeps it valid; random bytes,
//! random JSON and random strings never panic any entry point; the JCS fast
//! path always equals the wrapped crate's reference serializer; the base58
//! codec always equals `bs58`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use credentials::ob3::{
    BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode,
    Recipient,
};
use credentials::{
    did_key, jcs, json, keys, multibase, ob3, sign, templates, vcdm, verify_credential,
    verify_credential_value, verify_presentation, DidKey, Instant, ProofOptions, SecretKey,
    VerifyOptions,
};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[11u8; 32])
}

/// A signed OB3 certificate (built once).
fn signed() -> &'static Value {
    static SIGNED: OnceLock<Value> = OnceLock::new();
    SIGNED.get_or_init(|| {
        let did = DidKey::from_public_key(teacher().public_key());
        let draft = CredentialDraft {
            id: "urn:uuid:11111111-2222-4333-8444-555555555555".into(),
            issuer: IssuerProfile {
                id: did.as_str().into(),
                name: BilingualText::new("Demo School", "示範學校"),
                url: Some("https://school.example.edu.hk".into()),
                email: None,
                image: None,
            },
            achievement: templates::IT_INNOVATION_LAB.achievement(),
            recipient: Recipient {
                did: Some(
                    DidKey::from_public_key(SecretKey::from_bytes(&[22u8; 32]).public_key())
                        .as_str()
                        .into(),
                ),
                identifiers: vec![HashedIdentifier::new(
                    IdentityType::EmailAddress,
                    "a@b.hk",
                    "salt1234",
                )
                .unwrap()],
            },
            valid_from: "2024-09-01T00:00:00Z".into(),
            valid_until: Some("2030-09-01T00:00:00Z".into()),
            awarded_date: None,
            language: LanguageMode::Bilingual,
            credential_status: None,
        };
        let opts = ProofOptions::assertion(did.verification_method_id())
            .with_created("2024-09-01T00:00:00Z");
        sign(&draft.to_unsigned().unwrap(), &teacher(), &opts).unwrap()
    })
}

fn opts() -> VerifyOptions {
    VerifyOptions::at(Instant::parse_date_time_stamp("2025-01-01T00:00:00Z").unwrap())
}

/// JSON pointers of every scalar leaf (strings, numbers, booleans, nulls).
fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                leaves(
                    c,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                )
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                leaves(c, format!("{path}/{i}"), out)
            }
        }
        _ => out.push(path),
    }
}

fn all_leaves() -> &'static Vec<String> {
    static LEAVES: OnceLock<Vec<String>> = OnceLock::new();
    LEAVES.get_or_init(|| {
        let mut out = Vec::new();
        leaves(signed(), String::new(), &mut out);
        out
    })
}

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    ".{0,6}",
                    Just("@context".to_string()),
                    Just("type".to_string()),
                    Just("proof".to_string()),
                    Just("issuer".to_string()),
                    Just("credentialSubject".to_string()),
                    Just("id".to_string()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// The document as text with every object's members in an order chosen by
/// `seed`, and random-ish whitespace.
fn shuffled_text(v: &Value, seed: &mut u64) -> String {
    let mut next = || {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    match v {
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            for i in (1..members.len()).rev() {
                let j = (next() % (i as u64 + 1)) as usize;
                members.swap(i, j);
            }
            let ws = if next() % 2 == 0 { " " } else { "\n  " };
            let inner: Vec<String> = members
                .into_iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{ws}{}",
                        serde_json::to_string(k).unwrap(),
                        shuffled_text(v, seed)
                    )
                })
                .collect();
            format!("{{{ws}{}{ws}}}", inner.join(&format!(",{ws}")))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter()
                .map(|c| shuffled_text(c, seed))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => serde_json::to_string(other).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn changing_any_value_makes_verification_fail(index in any::<prop::sample::Index>(), new in arb_scalar()) {
        let path = &all_leaves()[index.index(all_leaves().len())];
        let mut doc = signed().clone();
        let target = doc.pointer_mut(path).unwrap();
        prop_assume!(*target != new);
        *target = new;
        let report = verify_credential_value(&doc, &opts());
        prop_assert!(!report.verified, "{path} changed and still verified");
        prop_assert!(!report.valid);
    }

    #[test]
    fn reordering_members_keeps_it_valid(seed in 1u64..u64::MAX) {
        let mut s = seed;
        let text = shuffled_text(signed(), &mut s);
        let report = verify_credential(&text, &opts());
        prop_assert!(report.verified && report.valid, "{text}");
    }

    #[test]
    fn random_edits_of_the_text_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = serde_json::to_vec(signed()).unwrap();
        for (i, b) in edits {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = verify_credential(&text, &opts());
        let _ = verify_presentation(&text, &opts());
        let _ = json::parse_strict_bytes(&bytes, &json::JsonLimits::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let r = verify_credential(&text, &opts());
        prop_assert!(!r.verified);
        let _ = verify_presentation(&text, &opts());
        let _ = json::parse_strict_bytes(&bytes, &json::JsonLimits::default());
    }

    #[test]
    fn random_json_never_panics_and_jcs_paths_agree(v in arb_json()) {
        let _ = verify_credential_value(&v, &opts());
        let _ = credentials::verify_presentation_value(&v, &opts());
        let _ = vcdm::check_credential(&v, vcdm::Role::Issuer);
        let _ = vcdm::check_presentation(&v, vcdm::Role::Verifier);
        let _ = ob3::check_profile(&v);
        let _ = sign(&v, &teacher(), &ProofOptions::assertion("did:key:z6Mk#z6Mk"));
        prop_assert_eq!(jcs::to_vec(&v).unwrap(), jcs::to_vec_reference(&v).unwrap());
    }

    #[test]
    fn random_strings_never_panic_the_small_parsers(s in ".{0,80}") {
        let _ = Instant::parse_date_time_stamp(&s);
        let _ = Instant::parse_date_time(&s);
        let _ = DidKey::parse(&s);
        let _ = did_key::parse_did_url(&s);
        let _ = did_key::resolve_verification_method(&s);
        let _ = multibase::decode_base58btc(&s);
        let _ = keys::PublicKey::from_multibase(&s);
        let _ = SecretKey::from_multibase(&s);
        let _ = credentials::iri::is_url(&s);
        let _ = json::parse_strict(&s);
    }

    #[test]
    fn did_key_like_strings_never_panic(tail in "[1-9A-HJ-NP-Za-km-z]{0,60}", prefix in prop_oneof![Just("did:key:z"), Just("did:key:1:z"), Just("did:key:z6Mk")]) {
        let did = format!("{prefix}{tail}");
        if let Ok(d) = DidKey::parse(&did) {
            prop_assert!(d.resolve(&did_key::ResolveOptions::default()).is_ok());
            prop_assert_eq!(DidKey::parse(d.as_str()).unwrap(), d.clone());
        }
        let _ = did_key::resolve_verification_method(&format!("{did}#{}", &did[8..]));
    }

    #[test]
    fn base58_encoder_matches_bs58(bytes in prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..96)) {
        let ours = multibase::encode_base58btc(&bytes);
        prop_assert_eq!(&ours, &format!("z{}", bs58::encode(&bytes).into_string()));
        if !bytes.is_empty() {
            prop_assert_eq!(multibase::decode_base58btc(&ours).unwrap(), bytes);
        }
    }

    #[test]
    fn base58_decoder_matches_bs58(s in "[1-9A-HJ-NP-Za-km-z]{1,120}") {
        prop_assert_eq!(
            multibase::decode_base58btc(&format!("z{s}")).unwrap(),
            bs58::decode(&s).into_vec().unwrap()
        );
    }

    #[test]
    fn time_round_trips(secs in -62_135_596_800i64..253_402_300_799i64) {
        let t = Instant::from_unix(secs, 0);
        let text = t.to_rfc3339_seconds();
        prop_assert_eq!(Instant::parse_date_time_stamp(&text).unwrap(), t);
    }
}
