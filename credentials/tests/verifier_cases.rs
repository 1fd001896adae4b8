//! The verifier against hand-made cases (the "ten checks" of the vectors
//! README): strict parsing, proof structure checked even when the signature
//! maths is valid, proof purpose, proofValue encoding, key resolution, the
//! proof `@context` rule, tampering vs reordering, date strings never
//! normalised, proof sets and chains, unsupported cryptosuites reported as
//! "couldn't check", and validation (validity period, proof expiry, status,
//! issuer ↔ key binding) reported separately from verification.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::di::{self, ProofOptions};
use credentials::json::parse_strict;
use credentials::multibase::encode_base58btc;
use credentials::report::{Detail, Info};
use credentials::{
    sign, verify_credential, verify_credential_value, CheckId, CheckStatus, DidKey, ErrorCode,
    Instant, SecretKey, VerificationReport, VerifyOptions,
};
use serde_json::{json, Value};

const UNSIGNED: &str = include_str!("data/eddsa-jcs-2022/unsigned.json");
const SIGNED_W3C: &str = include_str!("data/eddsa-jcs-2022/signedJCS.json");

fn key() -> SecretKey {
    SecretKey::from_key_file(
        &parse_strict(include_str!("data/eddsa-jcs-2022/keyPair.json")).unwrap(),
    )
    .unwrap()
}

fn other_key() -> SecretKey {
    SecretKey::from_bytes(&[7u8; 32])
}

fn vm(k: &SecretKey) -> String {
    DidKey::from_public_key(k.public_key()).verification_method_id()
}

fn now() -> Instant {
    Instant::parse_date_time_stamp("2024-06-01T00:00:00Z").unwrap()
}

/// The W3C unsigned credential, issued by our did:key.
fn unsigned() -> Value {
    let mut doc = parse_strict(UNSIGNED).unwrap();
    doc["issuer"] = json!(DidKey::from_public_key(key().public_key()).as_str());
    doc
}

fn options() -> ProofOptions {
    ProofOptions::assertion(vm(&key())).with_created("2024-05-01T10:00:00Z")
}

fn signed() -> Value {
    sign(&unsigned(), &key(), &options()).unwrap()
}

fn verify(doc: &Value) -> VerificationReport {
    verify_credential_value(doc, &VerifyOptions::at(now()))
}

fn statuses(r: &VerificationReport) -> Vec<CheckStatus> {
    r.checks.iter().map(|c| c.status).collect()
}

fn assert_later_not_run(r: &VerificationReport, after: usize) {
    for c in r.checks.iter().skip(after) {
        assert_eq!(c.status, CheckStatus::NotRun, "{:?}", c.id);
    }
}

/// Asserts the proof check failed with `code` and `reason`, nothing later ran.
fn assert_proof_fails(doc: &Value, code: ErrorCode, reason: &str) {
    let r = verify(doc);
    let proof = r.check(CheckId::Proof).unwrap();
    assert_eq!(proof.status, CheckStatus::Fail, "{r:#?}");
    assert_eq!(proof.code, Some(code), "{r:#?}");
    assert_eq!(proof.reason().as_deref(), Some(reason), "{r:#?}");
    assert!(!r.verified && !r.valid);
    assert_later_not_run(&r, 2);
}

/// Re-signs `doc` (after a mutation of its proof options) so that the
/// signature maths is valid and only the structure is wrong.
fn resign_with(mut proof_edit: impl FnMut(&mut serde_json::Map<String, Value>)) -> Value {
    let doc = unsigned();
    let (mut config, _) = di::proof_config_and_inputs(&doc, &options()).unwrap();
    proof_edit(&mut config);
    // Sign exactly what a verifier will rebuild from this proof.
    let canon_proof = credentials::jcs::to_vec(&Value::Object(config.clone())).unwrap();
    let canon_doc = credentials::jcs::to_vec(&doc).unwrap();
    use sha2::{Digest, Sha256};
    let mut data = Sha256::digest(&canon_proof).to_vec();
    data.extend_from_slice(&Sha256::digest(&canon_doc));
    config.insert(
        "proofValue".into(),
        encode_base58btc(&key().sign(&data)).into(),
    );
    let mut out = doc;
    out["proof"] = Value::Object(config);
    out
}

#[test]
fn a_fresh_credential_is_verified_and_valid() {
    let r = verify(&signed());
    assert!(r.verified && r.valid, "{r:#?}");
    assert_eq!(
        statuses(&r),
        vec![
            CheckStatus::Pass,
            CheckStatus::Pass,
            CheckStatus::Pass,
            CheckStatus::NotApplicable,
            CheckStatus::Pass,
            CheckStatus::NotApplicable,
            CheckStatus::NotApplicable
        ]
    );
    let ids: Vec<CheckId> = r.checks.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        vec![
            CheckId::Format,
            CheckId::Proof,
            CheckId::IssuerKey,
            CheckId::Status,
            CheckId::Validity,
            CheckId::Profile,
            CheckId::Anchor
        ]
    );
}

#[test]
fn parse_failures_stop_everything() {
    for (input, reason) in [
        ("not json", "syntax"),
        (r#"{"a":1,"a":2}"#, "duplicate_member"),
        (r#""a JSON string""#, "document_not_an_object"),
        ("[]", "document_not_an_object"),
    ] {
        let r = verify_credential(input, &VerifyOptions::at(now()));
        let format = r.check(CheckId::Format).unwrap();
        assert_eq!(format.status, CheckStatus::Fail, "{input}");
        assert_eq!(format.code, Some(ErrorCode::ParsingError), "{input}");
        assert_eq!(format.reason().as_deref(), Some(reason), "{input}");
        assert_later_not_run(&r, 1);
    }
    // The whole VC sent as a JSON string (DI suite mutation).
    let as_string =
        serde_json::to_string(&Value::String(serde_json::to_string(&signed()).unwrap())).unwrap();
    let r = verify_credential(&as_string, &VerifyOptions::default());
    assert_eq!(
        r.check(CheckId::Format).unwrap().code,
        Some(ErrorCode::ParsingError)
    );
    // A duplicate member inside a signed credential: refused before any crypto.
    let text = serde_json::to_string(&signed()).unwrap().replacen(
        "\"name\":\"Alumni Credential\"",
        "\"name\":\"Alumni Credential\",\"name\":\"Forged\"",
        1,
    );
    let r = verify_credential(&text, &VerifyOptions::default());
    assert_eq!(
        r.check(CheckId::Format).unwrap().reason().as_deref(),
        Some("duplicate_member")
    );
}

#[test]
fn proof_that_is_not_a_map_is_a_parsing_error() {
    for bad in [
        json!(null),
        json!("z123"),
        json!([{"type": "DataIntegrityProof"}, 3]),
    ] {
        let mut doc = signed();
        doc["proof"] = bad;
        let r = verify(&doc);
        let format = r.check(CheckId::Format).unwrap();
        assert_eq!(format.code, Some(ErrorCode::ParsingError));
        assert_eq!(format.reason().as_deref(), Some("proof_not_a_map"));
        assert_later_not_run(&r, 1);
    }
}

#[test]
fn missing_proof_and_missing_proof_properties() {
    let mut doc = signed();
    doc.as_object_mut().unwrap().remove("proof");
    assert_proof_fails(&doc, ErrorCode::ProofVerificationError, "missing_proof");
    for property in ["type", "verificationMethod", "proofPurpose", "cryptosuite"] {
        let doc = resign_with(|p| {
            p.remove(property);
        });
        assert_proof_fails(&doc, ErrorCode::ProofVerificationError, "missing_property");
    }
}

type ProofEdit = Box<dyn FnMut(&mut serde_json::Map<String, Value>)>;

#[test]
fn structure_is_checked_even_when_the_signature_is_valid() {
    let cases: Vec<(ProofEdit, ErrorCode, &str)> = vec![
        (
            Box::new(|p| {
                p.insert("type".into(), "UnknownProofType".into());
            }),
            ErrorCode::ProofVerificationError,
            "unknown_proof_type",
        ),
        (
            Box::new(|p| {
                p.insert("cryptosuite".into(), "UnknownCryptosuite".into());
            }),
            ErrorCode::ProofVerificationError,
            "unknown_cryptosuite",
        ),
        (
            Box::new(|p| {
                p.insert("cryptosuite".into(), json!(2022));
            }),
            ErrorCode::ProofVerificationError,
            "not_a_string",
        ),
        (
            Box::new(|p| {
                p.insert("proofPurpose".into(), "invalidPurpose".into());
            }),
            ErrorCode::ProofVerificationError,
            "wrong_proof_purpose",
        ),
        (
            Box::new(|p| {
                p.insert("created".into(), "invalidDate".into());
            }),
            ErrorCode::ProofVerificationError,
            "invalid_created",
        ),
        (
            Box::new(|p| {
                p.insert("expires".into(), "invalidDate".into());
            }),
            ErrorCode::ProofVerificationError,
            "invalid_expires",
        ),
        (
            Box::new(|p| {
                p.insert("previousProof".into(), json!(456321));
            }),
            ErrorCode::ProofVerificationError,
            "invalid_previous_proof",
        ),
        (
            Box::new(|p| {
                p.insert("previousProof".into(), "urn:uuid:missing".into());
            }),
            ErrorCode::ProofVerificationError,
            "previous_proof_not_found",
        ),
    ];
    for (edit, code, reason) in cases {
        let doc = resign_with(edit);
        assert_proof_fails(&doc, code, reason);
    }
}

#[test]
fn created_without_offset_is_consumed() {
    // Data Integrity: a processor MAY consume times serialised without offset.
    let doc = resign_with(|p| {
        p.insert("created".into(), "2024-05-01T10:00:00".into());
    });
    assert!(verify(&doc).verified);
}

#[test]
fn proof_value_encoding() {
    let good = signed();
    let pv = good["proof"]["proofValue"].as_str().unwrap().to_owned();
    let sig = credentials::multibase::decode_base58btc(&pv).unwrap();
    let base64url_like = format!("u{}", &pv[1..]);
    let cases = [
        (Value::Null, "invalid_proof_value"),
        (json!(12), "invalid_proof_value"),
        (json!(pv[1..].to_string()), "invalid_proof_value"), // header removed
        (json!(base64url_like), "invalid_proof_value"),
        (json!(format!("{}0", &pv)), "invalid_proof_value"), // '0' is not base58
        (json!(encode_base58btc(&sig[..63])), "invalid_proof_value"),
        (
            json!(encode_base58btc(&[sig.as_slice(), &[0u8]].concat())),
            "invalid_proof_value",
        ),
    ];
    for (value, reason) in cases {
        let mut doc = good.clone();
        doc["proof"]["proofValue"] = value.clone();
        assert_proof_fails(&doc, ErrorCode::ProofVerificationError, reason);
    }
    let mut doc = good.clone();
    doc["proof"].as_object_mut().unwrap().remove("proofValue");
    assert_proof_fails(
        &doc,
        ErrorCode::ProofVerificationError,
        "invalid_proof_value",
    );
    // A valid encoding of a wrong signature is tampering.
    let mut flipped = sig.clone();
    flipped[0] ^= 1;
    let mut doc = good;
    doc["proof"]["proofValue"] = json!(encode_base58btc(&flipped));
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
}

#[test]
fn verification_method_resolution() {
    let did = DidKey::from_public_key(key().public_key());
    let other = DidKey::from_public_key(other_key().public_key());
    for (vm, code, reason) in [
        (
            format!("{}#key-1", did.as_str()),
            ErrorCode::InvalidVerificationMethod,
            "invalid_verification_method",
        ),
        (
            format!("{}#{}", did.as_str(), other.multibase()),
            ErrorCode::InvalidVerificationMethod,
            "invalid_verification_method",
        ),
        (
            "did:key:zTjsVPtY#zTjsVPtY".to_string(),
            ErrorCode::InvalidVerificationMethod,
            "invalid_verification_method",
        ),
        // Another valid key: the signature does not match it.
        (
            other.verification_method_id(),
            ErrorCode::CryptographicSecurityError,
            "signature_mismatch",
        ),
    ] {
        let doc = resign_with(|p| {
            p.insert("verificationMethod".into(), vm.clone().into());
        });
        assert_proof_fails(&doc, code, reason);
    }
    // A verification method that cannot be resolved offline: couldn't check.
    let doc = resign_with(|p| {
        p.insert(
            "verificationMethod".into(),
            "https://school.example/keys/1".into(),
        );
    });
    let r = verify(&doc);
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::CouldntCheck));
    assert_eq!(
        r.check(CheckId::Proof).unwrap().reason().as_deref(),
        Some("unresolvable_verification_method")
    );
    // …unless the caller supplies the key for it.
    let opts = VerifyOptions {
        known_keys: vec![("https://school.example/keys/1".into(), key().public_key())],
        ..VerifyOptions::at(now())
    };
    assert!(verify_credential_value(&doc, &opts).verified);
}

#[test]
fn the_proof_context_rule() {
    // Context appended to the document after signing: still verifies (the
    // document context starts with the proof's and is replaced by it).
    let mut doc = signed();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.org/extra/v1"));
    let r = verify(&doc);
    assert!(r.verified, "{r:#?}");
    // A context inserted before the proof's: the document no longer starts
    // with the proof's context.
    let mut doc = signed();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .insert(1, json!("https://example.org/extra/v1"));
    assert_proof_fails(&doc, ErrorCode::ProofVerificationError, "context_mismatch");
    // Proof @context changed: no longer a prefix.
    let mut doc = signed();
    doc["proof"]["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://example.org/x"
    ]);
    assert_proof_fails(&doc, ErrorCode::ProofVerificationError, "context_mismatch");
    // A proof without @context (allowed): the document context is hashed as is.
    let doc = resign_with(|p| {
        p.remove("@context");
    });
    assert!(verify(&doc).verified);
}

#[test]
fn tampering_fails_but_reordering_and_whitespace_do_not() {
    let good = signed();
    let text = serde_json::to_string_pretty(&good).unwrap();
    assert!(verify_credential(&text, &VerifyOptions::at(now())).verified);
    // Members in reverse order, extra whitespace: same canonical form.
    let reversed = reverse_members(&good);
    assert!(reversed.starts_with("{ \"validFrom\""), "{reversed}");
    let r = verify_credential(&reversed, &VerifyOptions::at(now()));
    assert!(r.verified && r.valid);
    // Tampering with a claim, the type, the subject id, or the proof's created.
    for path in [
        &["credentialSubject", "alumniOf"][..],
        &["name"],
        &["credentialSubject", "id"],
        &["issuer"],
    ] {
        let mut doc = good.clone();
        let mut target = &mut doc;
        for p in path {
            target = &mut target[*p];
        }
        *target = json!(format!("{}x", target.as_str().unwrap()));
        assert_proof_fails(
            &doc,
            ErrorCode::CryptographicSecurityError,
            "signature_mismatch",
        );
    }
    let mut doc = good.clone();
    doc["proof"]["created"] = json!("2024-05-01T10:00:01Z");
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
    // An undefined term added after signing is plain tampering for JCS.
    let mut doc = good.clone();
    doc["credentialSubject"]["undefinedTerm"] = json!("x");
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
    let mut doc = good;
    doc["type"]
        .as_array_mut()
        .unwrap()
        .push(json!("UndefinedType"));
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
}

/// JSON text with every object's members in reverse order and extra spaces.
fn reverse_members(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m
                .iter()
                .rev()
                .map(|(k, v)| {
                    format!(
                        "{} :  {}",
                        serde_json::to_string(k).unwrap(),
                        reverse_members(v)
                    )
                })
                .collect();
            format!("{{ {} }}", inner.join(" ,\n "))
        }
        Value::Array(a) => format!(
            "[ {} ]",
            a.iter()
                .map(reverse_members)
                .collect::<Vec<_>>()
                .join(" , ")
        ),
        other => serde_json::to_string(other).unwrap(),
    }
}

#[test]
fn date_strings_are_never_normalised() {
    // Same instant, other lexical form: the signature is over the string.
    let mut doc = signed();
    doc["validFrom"] = json!("2023-01-01T00:00:00+00:00");
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
    let mut doc = signed();
    doc["proof"]["created"] = json!("2024-05-01T10:00:00.000Z");
    assert_proof_fails(
        &doc,
        ErrorCode::CryptographicSecurityError,
        "signature_mismatch",
    );
    // A credential signed with an offset keeps verifying as signed.
    let mut vc = unsigned();
    vc["validFrom"] = json!("2023-01-01T08:00:00+08:00");
    let signed = sign(
        &vc,
        &key(),
        &ProofOptions::assertion(vm(&key())).with_created("2024-05-01T18:00:00+08:00"),
    )
    .unwrap();
    assert_eq!(signed["validFrom"], "2023-01-01T08:00:00+08:00");
    assert!(verify(&signed).valid);
}

#[test]
fn proof_sets_all_must_verify() {
    let doc = signed();
    let second = sign(
        &doc,
        &other_key(),
        &ProofOptions::assertion(vm(&other_key())),
    )
    .unwrap();
    assert_eq!(second["proof"].as_array().unwrap().len(), 2);
    let r = verify(&second);
    assert!(r.verified && r.valid, "{r:#?}");
    // Each proof in the set signs the document without proofs: removing one
    // leaves the other verifying.
    let mut only_second = second.clone();
    only_second["proof"] = second["proof"][1].clone();
    assert!(verify(&only_second).verified);
    // One bad proof fails the set, and the report names which.
    let mut bad = second.clone();
    bad["proof"][1]["proofValue"] = second["proof"][0]["proofValue"].clone();
    let r = verify(&bad);
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::Fail));
    let Some(Detail::Proof(detail)) = &r.check(CheckId::Proof).unwrap().detail else {
        panic!()
    };
    assert_eq!(detail.index, 1);
}

#[test]
fn proof_chains() {
    let mut first_opts = options();
    first_opts.id = Some("urn:uuid:first".into());
    let doc = sign(&unsigned(), &key(), &first_opts).unwrap();
    let mut chained = ProofOptions::assertion(vm(&other_key()));
    chained.previous_proof = vec!["urn:uuid:first".into()];
    let doc = sign(&doc, &other_key(), &chained).unwrap();
    assert_eq!(doc["proof"][1]["previousProof"], "urn:uuid:first");
    assert!(verify(&doc).verified);
    // The chained proof covers the earlier proof: changing it breaks both.
    let mut bad = doc.clone();
    bad["proof"][0]["created"] = json!("2024-05-01T10:00:01Z");
    assert_eq!(verify(&bad).status(CheckId::Proof), Some(CheckStatus::Fail));
    // Dropping the earlier proof: previousProof names a proof that is gone.
    let mut dropped = doc.clone();
    dropped["proof"] = json!([doc["proof"][1].clone()]);
    assert_proof_fails(
        &dropped,
        ErrorCode::ProofVerificationError,
        "previous_proof_not_found",
    );
    // An invalid earlier proof invalidates the chain.
    let mut invalid_first = doc.clone();
    invalid_first["proof"][0]["proofValue"] = json!("zinvalidProofValue");
    assert_eq!(
        verify(&invalid_first).status(CheckId::Proof),
        Some(CheckStatus::Fail)
    );
}

/// eddsa-rdfc-2022 verifies with the `rdfc` feature (the `vc` tool) and is
/// "couldn't check" without it (the pages, for now); a document that uses a
/// context ChainClass does not hold, and the legacy suites, are "couldn't
/// check" either way — never "tampered".
#[test]
fn rdfc_and_legacy_suites_are_couldnt_check_not_tampered() {
    let rdfc = [
        (
            "w3c rdfc",
            include_str!("data/eddsa-rdfc-2022/signedDataInt.json"),
        ),
        (
            "proof set",
            include_str!("data/eddsa-rdfc-2022/proof-set-chain/signedProofSet2.json"),
        ),
        (
            "proof chain",
            include_str!("data/eddsa-rdfc-2022/proof-set-chain/signedProofChain2.json"),
        ),
        (
            "DCC OB3",
            include_str!("data/openbadges3/dcc-verifier-core-v2OBv3SpecExample.signed.json"),
        ),
    ];
    for (name, text) in rdfc {
        let r = verify_credential(text, &VerifyOptions::at(now()));
        let proof = r.check(CheckId::Proof).unwrap();
        if cfg!(feature = "rdfc") {
            assert_eq!(proof.status, CheckStatus::Pass, "{name}: {r:#?}");
        } else {
            assert_eq!(proof.status, CheckStatus::CouldntCheck, "{name}: {r:#?}");
            assert_eq!(
                proof.reason().as_deref(),
                Some("unsupported_cryptosuite"),
                "{name}"
            );
        }
    }
    // The W3C employment vector uses the citizenship context.
    let name = "w3c rdfc employ";
    let r = verify_credential(
        include_str!("data/eddsa-rdfc-2022/employ/signedDataInt.json"),
        &VerifyOptions::at(now()),
    );
    let proof = r.check(CheckId::Proof).unwrap();
    assert_eq!(proof.status, CheckStatus::CouldntCheck, "{name}: {r:#?}");
    assert_eq!(proof.code, None, "{name}");
    let want = if cfg!(feature = "rdfc") {
        "unknown_context"
    } else {
        "unsupported_cryptosuite"
    };
    assert_eq!(proof.reason().as_deref(), Some(want), "{name}");
    assert!(!r.verified, "{name}");
    assert_later_not_run(&r, 2);
    // MerkleProof2019 (Blockcerts, VC 1.1): recognised, not implemented.
    let r = verify_credential(
        include_str!("data/blockcerts/testnet-v3-did.certificate.json"),
        &VerifyOptions::at(now()),
    );
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::CouldntCheck));
}

#[test]
fn di_assertion_previous_proof_inputs() {
    macro_rules! input {
        ($f:literal) => {
            (
                $f,
                include_str!(concat!("data/eddsa-rdfc-2022/di-assertion-inputs/", $f)),
            )
        };
    }
    for (name, text) in [
        input!("1.1-previousProofArrayMissingFail-SimpleSigned2.json"),
        input!("1.1-previousProofArrayOk-SimpleSigned2.json"),
        input!("1.1-previousProofMissingFail-SimpleSigned2.json"),
        input!("1.1-previousProofNotStringFail-SimpleSigned2.json"),
        input!("1.1-previousProofStringMissingFail-SimpleSigned2.json"),
        input!("1.1-previousProofStringOk-SimpleSigned2.json"),
        input!("2.0-previousProofArrayMissingFail-SimpleSigned2.json"),
        input!("2.0-previousProofArrayOk-SimpleSigned2.json"),
        input!("2.0-previousProofMissingFail-SimpleSigned2.json"),
        input!("2.0-previousProofNotStringFail-SimpleSigned2.json"),
        input!("2.0-previousProofStringMissingFail-SimpleSigned2.json"),
        input!("2.0-previousProofStringOk-SimpleSigned2.json"),
    ] {
        let r = verify_credential(text, &VerifyOptions::at(now()));
        let proof = r.check(CheckId::Proof).unwrap();
        if name == "1.1-previousProofMissingFail-SimpleSigned2.json" && cfg!(feature = "rdfc") {
            // This one also lacks the Data Integrity context: with JSON-LD
            // its first proof cannot be transformed without losing terms.
            assert_eq!(proof.status, CheckStatus::Fail, "{name}: {proof:?}");
            assert_eq!(
                proof.code,
                Some(ErrorCode::ProofTransformationError),
                "{name}"
            );
        } else if name.contains("Fail") {
            // Decided from the structure alone, before the (unsupported) crypto.
            assert_eq!(proof.status, CheckStatus::Fail, "{name}: {proof:?}");
            assert_eq!(
                proof.code,
                Some(ErrorCode::ProofVerificationError),
                "{name}"
            );
            let reason = proof.reason().unwrap();
            let expected = if name.contains("NotString") {
                "invalid_previous_proof"
            } else {
                "previous_proof_not_found"
            };
            assert_eq!(reason, expected, "{name}");
        } else if cfg!(feature = "rdfc") {
            assert_eq!(proof.status, CheckStatus::Pass, "{name}: {proof:?}");
        } else {
            assert_eq!(proof.status, CheckStatus::CouldntCheck, "{name}: {proof:?}");
        }
        assert_eq!(
            r.verified,
            !name.contains("Fail") && cfg!(feature = "rdfc"),
            "{name}"
        );
    }
}

#[test]
fn validity_is_validation_not_verification() {
    let mut vc = unsigned();
    vc["validFrom"] = json!("2030-01-01T00:00:00Z");
    let r = verify(&sign(&vc, &key(), &options()).unwrap());
    assert!(r.verified && !r.valid);
    let v = r.check(CheckId::Validity).unwrap();
    assert_eq!(
        (v.status, v.code),
        (CheckStatus::Fail, Some(ErrorCode::RangeError))
    );
    assert_eq!(v.reason().as_deref(), Some("not_yet_valid"));

    let mut vc = unsigned();
    vc["validUntil"] = json!("2024-01-01T00:00:00Z");
    let r = verify(&sign(&vc, &key(), &options()).unwrap());
    assert!(r.verified && !r.valid);
    assert_eq!(
        r.check(CheckId::Validity).unwrap().reason().as_deref(),
        Some("expired")
    );
    let Some(Detail::Info(Info::Expired { valid_until, now })) =
        &r.check(CheckId::Validity).unwrap().detail
    else {
        panic!()
    };
    assert_eq!(
        (valid_until.as_str(), now.as_str()),
        ("2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z")
    );

    // A proof past its own `expires` fails the proof check
    // (PROOF_VERIFICATION_ERROR): the proof's validity period is not the
    // credential's. Before `expires` it verifies.
    let mut opts = options();
    opts.expires = Some("2024-05-15T00:00:00Z".into());
    let expiring = sign(&unsigned(), &key(), &opts).unwrap();
    let r = verify(&expiring);
    assert!(!r.verified && !r.valid);
    let proof = r.check(CheckId::Proof).unwrap();
    assert_eq!(proof.status, CheckStatus::Fail);
    assert_eq!(proof.reason().as_deref(), Some("expired"));
    assert_eq!(proof.code, Some(ErrorCode::ProofVerificationError));
    let before = verify_credential_value(
        &expiring,
        &VerifyOptions::at(Instant::parse_date_time_stamp("2024-05-14T00:00:00Z").unwrap()),
    );
    assert!(before.verified, "{:?}", before.check(CheckId::Proof));

    // No clock given: couldn't check, never a silent pass.
    let r = verify_credential_value(&signed(), &VerifyOptions::default());
    assert!(r.verified && !r.valid);
    assert_eq!(r.status(CheckId::Validity), Some(CheckStatus::CouldntCheck));
    assert_eq!(
        r.check(CheckId::Validity).unwrap().reason().as_deref(),
        Some("no_current_time")
    );
}

#[test]
fn status_entries_without_their_list_are_couldnt_check() {
    let mut vc = parse_strict(include_str!(
        "data/status-list/spec-example-revocable-credential.json"
    ))
    .unwrap();
    vc["issuer"] = json!(DidKey::from_public_key(key().public_key()).as_str());
    let r = verify(&sign(&vc, &key(), &options()).unwrap());
    assert!(r.verified && !r.valid);
    let s = r.check(CheckId::Status).unwrap();
    assert_eq!(
        (s.status, s.code),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusRetrievalError)
        )
    );
    assert_eq!(s.reason().as_deref(), Some("status_list_not_provided"));
}

#[test]
fn issuer_key_binding() {
    // Issuer is a did:key, but another did:key signed (the issuer check in
    // `sign` is bypassed by signing below it): tampering-free but not valid.
    let doc = di::add_proof(
        &unsigned(),
        &other_key(),
        &ProofOptions::assertion(vm(&other_key())),
    )
    .unwrap();
    let r = verify(&doc);
    assert!(r.verified && !r.valid);
    let c = r.check(CheckId::IssuerKey).unwrap();
    assert_eq!(
        (c.status, c.code),
        (
            CheckStatus::Fail,
            Some(ErrorCode::InvalidVerificationMethod)
        )
    );
    assert_eq!(c.reason().as_deref(), Some("controller_key_mismatch"));
    // The issuer refuses to sign that in the first place.
    assert!(sign(
        &unsigned(),
        &other_key(),
        &ProofOptions::assertion(vm(&other_key()))
    )
    .is_err());
    // A verification method that is not the signing key is refused too.
    assert!(sign(
        &unsigned(),
        &key(),
        &ProofOptions::assertion(vm(&other_key()))
    )
    .is_err());
    // The W3C vector: https issuer, did:key signer: couldn't check.
    let r = verify_credential(SIGNED_W3C, &VerifyOptions::at(now()));
    assert_eq!(
        r.check(CheckId::IssuerKey).unwrap().reason().as_deref(),
        Some("controller_not_resolvable")
    );
}

#[test]
fn issuing_refuses_bad_proof_options() {
    let mut o = options();
    o.created = Some("2024-05-01 10:00".into());
    assert_eq!(
        sign(&unsigned(), &key(), &o).unwrap_err().code(),
        ErrorCode::ProofGenerationError
    );
    let mut o = options();
    o.created = Some("2024-05-01T10:00:00".into()); // no time zone
    assert!(sign(&unsigned(), &key(), &o).is_err());
    let mut o = options();
    o.previous_proof = vec!["urn:uuid:none".into()];
    assert!(sign(&unsigned(), &key(), &o).is_err());
}

#[test]
fn report_serialises_to_the_documented_shape() {
    let mut doc = signed();
    doc["credentialSubject"]["alumniOf"] = json!("Elsewhere");
    let json = verify(&doc).to_json();
    assert_eq!(json["verified"], false);
    assert_eq!(json["valid"], false);
    let checks = json["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 7);
    for c in checks {
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["code", "detail", "id", "status"]);
    }
    assert_eq!(
        checks[0],
        json!({"id": "format", "status": "pass", "code": null, "detail": {"reason": "conforming", "data_model": "v2"}})
    );
    assert_eq!(
        checks[1],
        json!({"id": "proof", "status": "fail", "code": "CRYPTOGRAPHIC_SECURITY_ERROR", "detail": {"index": 0, "reason": "signature_mismatch"}})
    );
    assert_eq!(
        checks[2],
        json!({"id": "issuer_key", "status": "not_run", "code": null, "detail": null})
    );
}

#[test]
fn huge_values_are_refused_quickly() {
    // A 900 KB proofValue or verification method must not take quadratic
    // time to decode.
    let mut doc = signed();
    doc["proof"]["proofValue"] = json!(format!("z{}", "2".repeat(900_000)));
    assert_proof_fails(
        &doc,
        ErrorCode::ProofVerificationError,
        "invalid_proof_value",
    );
    let huge_did = format!("did:key:z{}", "2".repeat(900_000));
    let doc = resign_with(|p| {
        p.insert("verificationMethod".into(), format!("{huge_did}#x").into());
    });
    assert_proof_fails(
        &doc,
        ErrorCode::InvalidVerificationMethod,
        "invalid_verification_method",
    );
}
