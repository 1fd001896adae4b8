//! `eddsa-rdfc-2022` verification (feature `rdfc`) against the published
//! signed vectors: the W3C vc-di-eddsa credential, a proof set and a proof
//! chain (the employment authorisation uses a context ChainClass does not
//! hold: couldn't check), the 1EdTech Open Badges 3.0
//! vector and the Digital Credentials Consortium's signed Open Badge (the
//! fixture of the verifier behind VerifierPlus and the Learner Credential
//! Wallet). One changed character fails each of them.
#![cfg(feature = "rdfc")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::di::{self, ProofExpectations, ProofOutcome, ProofProblem};
use credentials::json::parse_strict;
use credentials::PublicKey;
use serde_json::Value;

const SIGNED: &[(&str, &str)] = &[
    (
        "w3c",
        include_str!("data/eddsa-rdfc-2022/signedDataInt.json"),
    ),
    (
        "w3c proof set",
        include_str!("data/eddsa-rdfc-2022/proof-set-chain/signedProofSet2.json"),
    ),
    (
        "w3c proof chain",
        include_str!("data/eddsa-rdfc-2022/proof-set-chain/signedProofChain2.json"),
    ),
    (
        "1edtech ob3",
        include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/signed.json"),
    ),
    (
        "dcc ob3",
        include_str!("data/openbadges3/dcc-verifier-core-v2OBv3SpecExample.signed.json"),
    ),
];

/// The 1EdTech vector's issuer key is an https verification method: the
/// verifier is given it, as a caller that resolved it would.
fn known_keys() -> Vec<(String, PublicKey)> {
    let pair: Value = parse_strict(include_str!(
        "data/openbadges3/1edtech-eddsa-rdfc-2022/keyPair.json"
    ))
    .unwrap();
    vec![(
        pair["verificationMethod"].as_str().unwrap().to_owned(),
        PublicKey::from_multibase(pair["publicKeyMultibase"].as_str().unwrap()).unwrap(),
    )]
}

fn expect(keys: &[(String, PublicKey)]) -> ProofExpectations<'_> {
    ProofExpectations {
        proof_purpose: "assertionMethod",
        challenge: None,
        domain: None,
        known_keys: keys,
        now: None,
    }
}

#[test]
fn the_published_signed_vectors_verify() {
    for (name, text) in SIGNED {
        let doc: Value = parse_strict(text).unwrap();
        let result = di::verify_proofs(&doc, &expect(&known_keys()));
        assert!(result.verified(), "{name}: {:?}", result.proofs);
    }
}

#[test]
fn a_context_chainclass_does_not_hold_is_couldnt_check_never_a_fetch() {
    // The W3C employment authorisation vector uses the citizenship context.
    let doc: Value = parse_strict(include_str!(
        "data/eddsa-rdfc-2022/employ/signedDataInt.json"
    ))
    .unwrap();
    let result = di::verify_proofs(&doc, &expect(&known_keys()));
    assert!(matches!(
        &result.proofs[0].outcome,
        ProofOutcome::CouldntCheck { problem: ProofProblem::UnknownContext { url } }
            if url == "https://w3id.org/citizenship/v4rc1"
    ));
}

#[test]
fn one_changed_character_fails_each() {
    for (name, text) in SIGNED {
        let mut doc: Value = parse_strict(text).unwrap();
        // The issuer's (or the first subject's) name, or the validFrom.
        let target = ["validFrom", "issuanceDate"]
            .into_iter()
            .find(|k| doc.get(*k).is_some())
            .unwrap_or_else(|| panic!("{name}: no date to change"));
        let date = doc[target].as_str().unwrap().replacen('0', "1", 1);
        doc[target] = Value::String(date);
        let result = di::verify_proofs(&doc, &expect(&known_keys()));
        assert!(!result.verified(), "{name}");
        assert!(
            result.proofs.iter().any(|p| matches!(
                p.outcome,
                ProofOutcome::Failed {
                    problem: ProofProblem::SignatureMismatch,
                    ..
                }
            )),
            "{name}: {:?}",
            result.proofs
        );
    }
}

#[test]
fn the_data_integrity_suite_s_proof_chains_verify_and_its_broken_ones_do_not() {
    // w3c-ccg data-integrity-test-suite-assertion inputs, VC 1.1 and 2.0.
    for (name, text, ok) in [
        ("1.1 string", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/1.1-previousProofStringOk-SimpleSigned2.json"), true),
        ("1.1 array", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/1.1-previousProofArrayOk-SimpleSigned2.json"), true),
        ("2.0 string", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/2.0-previousProofStringOk-SimpleSigned2.json"), true),
        ("2.0 array", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/2.0-previousProofArrayOk-SimpleSigned2.json"), true),
        ("1.1 missing", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/1.1-previousProofStringMissingFail-SimpleSigned2.json"), false),
        ("2.0 missing", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/2.0-previousProofArrayMissingFail-SimpleSigned2.json"), false),
        ("2.0 not a string", include_str!("data/eddsa-rdfc-2022/di-assertion-inputs/2.0-previousProofNotStringFail-SimpleSigned2.json"), false),
    ] {
        let doc: Value = parse_strict(text).unwrap();
        let result = di::verify_proofs(&doc, &expect(&[]));
        assert_eq!(result.verified(), ok, "{name}: {:?}", result.proofs);
    }
}

#[test]
fn signing_reproduces_the_w3c_vector_byte_for_byte() {
    use credentials::{Cryptosuite, ProofOptions, SecretKey};
    let pair: Value = parse_strict(include_str!("data/eddsa-rdfc-2022/keyPair.json")).unwrap();
    let key = SecretKey::from_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    let signed: Value =
        parse_strict(include_str!("data/eddsa-rdfc-2022/signedDataInt.json")).unwrap();
    let mut unsigned = signed.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    let options = ProofOptions {
        cryptosuite: Cryptosuite::EddsaRdfc2022,
        created: Some(signed["proof"]["created"].as_str().unwrap().to_owned()),
        ..ProofOptions::assertion(signed["proof"]["verificationMethod"].as_str().unwrap())
    };
    let ours = credentials::sign(&unsigned, &key, &options).unwrap();
    // Byte for byte: the proof carries no `@context` of its own.
    assert_eq!(ours, signed);
    assert!(di::verify_proofs(&ours, &expect(&[])).verified());
    // A build without a JSON-LD processor refuses instead of signing.
    assert!(credentials::sign_with(&unsigned, &key, &options, &mut credentials::NoRdfc).is_err());
}

#[test]
fn the_legacy_ed25519_signature_2020_vector_verifies_and_a_change_fails() {
    let text = include_str!("data/ed25519signature2020/signedEdSig.json");
    let doc: Value = parse_strict(text).unwrap();
    assert!(di::verify_proofs(&doc, &expect(&[])).verified());
    let mut changed = doc.clone();
    changed["credentialSubject"]["alumniOf"] = "Another School".into();
    let result = di::verify_proofs(&changed, &expect(&[]));
    assert!(matches!(
        result.proofs[0].outcome,
        ProofOutcome::Failed {
            problem: ProofProblem::SignatureMismatch,
            ..
        }
    ));
}
