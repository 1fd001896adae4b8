//! The official W3C `eddsa-jcs-2022` test vector (vc-di-eddsa TestVectors),
//! reproduced byte for byte: canonical document and proof configuration,
//! both hashes, the signature and `proofValue`; and the signed vector verifies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::di::{self, ProofExpectations, ProofOptions};
use credentials::json::parse_strict;
use credentials::{
    jcs, verify_credential, CheckId, CheckStatus, Instant, SecretKey, VerifyOptions,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

const KEY_PAIR: &str = include_str!("data/eddsa-jcs-2022/keyPair.json");
const UNSIGNED: &str = include_str!("data/eddsa-jcs-2022/unsigned.json");
const PROOF_CONFIG: &str = include_str!("data/eddsa-jcs-2022/proofConfigJCS.json");
const CANON_DOC: &str = include_str!("data/eddsa-jcs-2022/canonDocJCS.txt");
const CANON_PROOF: &str = include_str!("data/eddsa-jcs-2022/proofCanonJCS.txt");
const DOC_HASH: &str = include_str!("data/eddsa-jcs-2022/docHashJCS.txt");
const PROOF_HASH: &str = include_str!("data/eddsa-jcs-2022/proofHashJCS.txt");
const COMBINED_HASH: &str = include_str!("data/eddsa-jcs-2022/combinedHashJCS.txt");
const SIG_HEX: &str = include_str!("data/eddsa-jcs-2022/sigHexJCS.txt");
const SIG_B58: &str = include_str!("data/eddsa-jcs-2022/sigBTC58JCS.txt");
const SIGNED: &str = include_str!("data/eddsa-jcs-2022/signedJCS.json");

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn options() -> ProofOptions {
    let config: Value = parse_strict(PROOF_CONFIG).unwrap();
    ProofOptions::assertion(config["verificationMethod"].as_str().unwrap())
        .with_created(config["created"].as_str().unwrap())
}

fn key() -> SecretKey {
    SecretKey::from_key_file(&parse_strict(KEY_PAIR).unwrap()).unwrap()
}

#[test]
fn canonical_forms_and_hashes_match_byte_for_byte() {
    let unsigned = parse_strict(UNSIGNED).unwrap();
    let (config, inputs) = di::proof_config_and_inputs(&unsigned, &options()).unwrap();
    // The vector's files have no trailing newline: compare exact bytes.
    assert_eq!(inputs.canonical_document, CANON_DOC.as_bytes());
    assert_eq!(inputs.canonical_proof_config, CANON_PROOF.as_bytes());
    // Our proof configuration equals the vector's proofConfigJCS.json.
    assert_eq!(Value::Object(config), parse_strict(PROOF_CONFIG).unwrap());
    assert_eq!(hex(&Sha256::digest(&inputs.canonical_document)), DOC_HASH);
    assert_eq!(
        hex(&Sha256::digest(&inputs.canonical_proof_config)),
        PROOF_HASH
    );
    // Proof-configuration hash first, then the document hash.
    assert_eq!(hex(&inputs.hash_data()), COMBINED_HASH);
}

#[test]
fn signing_reproduces_the_proof_value() {
    let unsigned = parse_strict(UNSIGNED).unwrap();
    let proof = di::create_proof(&unsigned, &key(), &options()).unwrap();
    assert_eq!(proof["proofValue"], SIG_B58);
    let sig = credentials::multibase::decode_base58btc(SIG_B58).unwrap();
    assert_eq!(hex(&sig), SIG_HEX);
    // The whole signed document equals the vector.
    let signed = di::add_proof(&unsigned, &key(), &options()).unwrap();
    assert_eq!(signed, parse_strict(SIGNED).unwrap());
    assert_eq!(
        jcs::to_vec(&signed).unwrap(),
        jcs::to_vec(&parse_strict(SIGNED).unwrap()).unwrap()
    );
}

#[test]
fn the_signed_vector_verifies() {
    let signed = parse_strict(SIGNED).unwrap();
    let expect = ProofExpectations {
        proof_purpose: "assertionMethod",
        challenge: None,
        domain: None,
        known_keys: &[],
        now: None,
    };
    assert!(di::verify_proofs(&signed, &expect).verified());

    let now = Instant::parse_date_time_stamp("2024-01-01T00:00:00Z").unwrap();
    let report = verify_credential(SIGNED, &VerifyOptions::at(now));
    assert!(report.verified, "{:#?}", report);
    assert_eq!(report.status(CheckId::Format), Some(CheckStatus::Pass));
    assert_eq!(report.status(CheckId::Proof), Some(CheckStatus::Pass));
    // The issuer is an https URL signed by a did:key: the binding cannot be
    // established offline, so it is "couldn't check", and the report is not valid.
    assert_eq!(
        report.status(CheckId::IssuerKey),
        Some(CheckStatus::CouldntCheck)
    );
    assert_eq!(report.status(CheckId::Validity), Some(CheckStatus::Pass));
    assert!(!report.valid);
}
