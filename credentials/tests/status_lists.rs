//! Bitstring Status List: every encode/decode vector (compared as decoded
//! bits, never as encoded text), revocation and suspension round trips
//! through signed list credentials, and the lists a verifier must not trust:
//! missing, tampered, expired, of the wrong purpose, forged by someone else,
//! too short, out of range, or a GZIP bomb.
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
use credentials::ob3::{
    BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode,
    Recipient,
};
use credentials::status_list::{
    self, entry, list_credential, Bitstring, StatusList, StatusListError, StatusPurpose,
    MIN_ENTRIES,
};
use credentials::{
    sign, templates, verify_credential_value, CheckId, CheckStatus, DidKey, ErrorCode, Instant,
    IssueError, SecretKey, VerificationReport, VerifyOptions,
};
use serde_json::{json, Value};

const VECTORS: &str = include_str!("data/status-list/encoding-vectors.json");
const SPEC_LIST: &str = include_str!("data/status-list/spec-example-status-list-credential.json");

const REVOCATION_URL: &str = "https://school.example.edu.hk/status/revocation/1";
const SUSPENSION_URL: &str = "https://school.example.edu.hk/status/suspension/1";

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[5u8; 32])
}

fn did(key: &SecretKey) -> String {
    DidKey::from_public_key(key.public_key())
        .as_str()
        .to_owned()
}

fn proof_options(key: &SecretKey) -> ProofOptions {
    ProofOptions::assertion(DidKey::from_public_key(key.public_key()).verification_method_id())
        .with_created("2025-01-10T09:00:00Z")
}

fn now() -> Instant {
    Instant::parse_date_time_stamp("2025-03-01T00:00:00Z").unwrap()
}

fn bits_of(encoded: &str) -> Bitstring {
    Bitstring::decode(encoded).unwrap()
}

fn badge(status: Option<Value>) -> Value {
    CredentialDraft {
        id: "urn:uuid:3f1c4d52-8f0b-4c55-9d0e-1a2b3c4d5e6f".into(),
        issuer: IssuerProfile {
            id: did(&teacher()),
            name: BilingualText::new("Demo Secondary School", "示範中學"),
            url: None,
            email: None,
            image: None,
        },
        achievement: templates::IT_INNOVATION_LAB.achievement(),
        recipient: Recipient {
            did: None,
            identifiers: vec![HashedIdentifier::new(
                IdentityType::EmailAddress,
                "chan@school.example.edu.hk",
                "0f1e2d3c",
            )
            .unwrap()],
        },
        valid_from: "2025-01-10T00:00:00Z".into(),
        valid_until: None,
        awarded_date: None,
        language: LanguageMode::Bilingual,
        credential_status: status,
    }
    .to_unsigned()
    .unwrap()
}

fn signed_list(list: &StatusList, url: &str, until: Option<&str>) -> Value {
    signed_list_from(list, url, "2025-01-01T00:00:00Z", until)
}

fn signed_list_from(list: &StatusList, url: &str, from: &str, until: Option<&str>) -> Value {
    let unsigned =
        list_credential(url, &did(&teacher()), list.purpose(), list, from, until).unwrap();
    sign(&unsigned, &teacher(), &proof_options(&teacher())).unwrap()
}

fn verify_with(credential: &Value, lists: Vec<Value>) -> VerificationReport {
    let mut opts = VerifyOptions::at(now());
    opts.status.status_list_credentials = lists;
    verify_credential_value(credential, &opts)
}

fn status(r: &VerificationReport) -> (CheckStatus, Option<ErrorCode>, String) {
    let c = r.check(CheckId::Status).unwrap();
    (c.status, c.code, c.reason().unwrap_or_default())
}

#[test]
fn every_encoding_vector_decodes_to_the_expected_bits() {
    let v = parse_strict(VECTORS).unwrap();
    assert_eq!(v["minimumEntries"], MIN_ENTRIES);
    let mut checked = 0;
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let encoded = case["encodedList"].as_str().unwrap();
        let expect = &case["expect"];
        let decoded = Bitstring::decode(encoded);
        if let Some(error) = expect.get("error").and_then(Value::as_str) {
            let code = match decoded {
                Err(e) => e.code(),
                Ok(bits) => {
                    // Decodes, but is too short for a list.
                    assert_eq!(
                        bits.bits(),
                        expect["decodedBits"].as_u64().unwrap(),
                        "{name}"
                    );
                    StatusList::decode(StatusPurpose::Revocation, encoded)
                        .unwrap_err()
                        .code()
                }
            };
            let wanted = error.split_whitespace().next().unwrap();
            assert_eq!(
                serde_json::to_value(code).unwrap().as_str().unwrap(),
                wanted,
                "{name}"
            );
            checked += 1;
            continue;
        }
        let bits = decoded.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            bits.bits(),
            expect["decodedBits"].as_u64().unwrap(),
            "{name}"
        );
        let size = case["statusSize"].as_u64().unwrap() as u32;
        if let Some(bytes) = expect.get("decodedBytes") {
            assert_eq!(bits.as_bytes().len() as u64, bytes.as_u64().unwrap());
        }
        if expect.get("allZero") == Some(&Value::Bool(true)) {
            assert!(bits.as_bytes().iter().all(|b| *b == 0), "{name}");
        }
        for (index, want) in expect["lookups"].as_object().unwrap() {
            let got = bits.value(index.parse().unwrap(), size).unwrap();
            let want = match want {
                Value::Number(n) => n.as_u64().unwrap(),
                Value::String(hex) => u64::from_str_radix(&hex[2..], 16).unwrap(),
                other => panic!("{other}"),
            };
            assert_eq!(got, want, "{name}[{index}]");
        }
        for index in expect
            .get("outOfRange")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let e = bits.value(index.parse().unwrap(), size).unwrap_err();
            assert_eq!(e.code(), ErrorCode::RangeError, "{name}[{index}]");
        }
        // Our encoder gives other text for the same bits: compare bits.
        if let Some(set) = case.get("setIndices").and_then(Value::as_array) {
            let mut ours = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
            for i in set {
                ours.set(i.as_u64().unwrap()).unwrap();
            }
            assert_ne!(ours.encode(), encoded);
            assert_eq!(bits_of(&ours.encode()), bits, "{name}");
        }
        if let Some(values) = case.get("values").and_then(Value::as_object) {
            for (index, value) in values {
                assert_eq!(
                    bits.value(index.parse().unwrap(), size).unwrap(),
                    value.as_u64().unwrap()
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn the_spec_example_list_is_all_clear() {
    let list = parse_strict(SPEC_LIST).unwrap();
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let decoded = StatusList::decode(StatusPurpose::Revocation, encoded).unwrap();
    assert_eq!(decoded.len(), MIN_ENTRIES);
    assert!((0..MIN_ENTRIES)
        .step_by(997)
        .all(|i| !decoded.get(i).unwrap()));
    // Our encoding of an empty list decodes to the same bits.
    let ours = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    assert_eq!(bits_of(&ours.encode()), bits_of(encoded));
}

#[test]
fn revocation_round_trip() {
    let mut list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let index = list.allocate_index(0x1234_5678_9abc_def0).unwrap();
    let vc = sign(
        &badge(Some(entry(
            REVOCATION_URL,
            StatusPurpose::Revocation,
            index,
        ))),
        &teacher(),
        &proof_options(&teacher()),
    )
    .unwrap();
    let r = verify_with(&vc, vec![signed_list(&list, REVOCATION_URL, None)]);
    assert!(r.valid, "{r:#?}");
    assert_eq!(status(&r), (CheckStatus::Pass, None, "not_revoked".into()));
    let detail = r.check(CheckId::Status).unwrap().detail.clone();
    let detail = serde_json::to_value(detail).unwrap();
    assert_eq!(detail["entries"][0]["value"], 0);
    assert_eq!(detail["entries"][0]["index"], index.to_string());

    list.set(index).unwrap();
    let r = verify_with(&vc, vec![signed_list(&list, REVOCATION_URL, None)]);
    assert!(r.verified && !r.valid);
    assert_eq!(status(&r), (CheckStatus::Fail, None, "revoked".into()));
    // Revocation is permanent.
    assert_eq!(
        list.clear(index),
        Err(StatusListError::RevocationIsPermanent)
    );
}

#[test]
fn suspension_round_trip() {
    let mut list = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
    let index = list.allocate_index(42).unwrap();
    let vc = sign(
        &badge(Some(entry(
            SUSPENSION_URL,
            StatusPurpose::Suspension,
            index,
        ))),
        &teacher(),
        &proof_options(&teacher()),
    )
    .unwrap();
    list.set(index).unwrap();
    let r = verify_with(&vc, vec![signed_list(&list, SUSPENSION_URL, None)]);
    assert_eq!(status(&r), (CheckStatus::Fail, None, "suspended".into()));
    list.clear(index).unwrap();
    let r = verify_with(&vc, vec![signed_list(&list, SUSPENSION_URL, None)]);
    assert_eq!(status(&r).0, CheckStatus::Pass);
    assert!(r.valid);
}

#[test]
fn both_revocation_and_suspension_entries_are_checked() {
    // Open Badges allow one status entry, so this is a plain VCDM credential.
    let mut revocation = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let mut suspension = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
    let (ri, si) = (
        revocation.allocate_index(7).unwrap(),
        suspension.allocate_index(8).unwrap(),
    );
    let vc = sign(
        &json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:0d8f6c1e-1b0a-4e55-8c47-6f2f8c3b9a10",
            "type": ["VerifiableCredential"],
            "issuer": did(&teacher()),
            "validFrom": "2025-01-10T00:00:00Z",
            "credentialSubject": {"id": "did:example:student", "name": "Chan Tai Man"},
            "credentialStatus": [
                entry(REVOCATION_URL, StatusPurpose::Revocation, ri),
                entry(SUSPENSION_URL, StatusPurpose::Suspension, si),
            ],
        }),
        &teacher(),
        &proof_options(&teacher()),
    )
    .unwrap();
    let lists = |r: &StatusList, s: &StatusList| {
        vec![
            signed_list(r, REVOCATION_URL, None),
            signed_list(s, SUSPENSION_URL, None),
        ]
    };
    let r = verify_with(&vc, lists(&revocation, &suspension));
    assert!(r.valid);
    let detail = serde_json::to_value(&r.check(CheckId::Status).unwrap().detail).unwrap();
    assert_eq!(detail["entries"].as_array().unwrap().len(), 2);
    suspension.set(si).unwrap();
    assert_eq!(
        status(&verify_with(&vc, lists(&revocation, &suspension))).2,
        "suspended"
    );
    revocation.set(ri).unwrap();
    assert_eq!(
        status(&verify_with(&vc, lists(&revocation, &suspension))).2,
        "revoked"
    );
    // Only one of the two lists: a set bit still counts, a missing list is
    // never a pass.
    let only_suspension = vec![signed_list(&suspension, SUSPENSION_URL, None)];
    assert_eq!(status(&verify_with(&vc, only_suspension)).2, "suspended");
    suspension.clear(si).unwrap();
    let only_suspension = vec![signed_list(&suspension, SUSPENSION_URL, None)];
    let r = verify_with(&vc, only_suspension);
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusRetrievalError),
            "status_list_not_provided".into()
        )
    );
    let detail = serde_json::to_value(&r.check(CheckId::Status).unwrap().detail).unwrap();
    assert_eq!(detail["urls"], json!([REVOCATION_URL]));
}

fn revocable() -> (Value, StatusList) {
    let list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let vc = sign(
        &badge(Some(entry(
            REVOCATION_URL,
            StatusPurpose::Revocation,
            94567,
        ))),
        &teacher(),
        &proof_options(&teacher()),
    )
    .unwrap();
    (vc, list)
}

#[test]
fn no_list_is_never_a_pass() {
    let (vc, _) = revocable();
    let r = verify_with(&vc, Vec::new());
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusRetrievalError),
            "status_list_not_provided".into()
        )
    );
    assert!(!r.valid);
    // A list with another id is not the one.
    let other = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let r = verify_with(
        &vc,
        vec![signed_list(
            &other,
            "https://school.example.edu.hk/status/9",
            None,
        )],
    );
    assert_eq!(status(&r).2, "status_list_not_provided");
}

#[test]
fn a_tampered_list_is_couldnt_check() {
    let (vc, mut list) = revocable();
    list.set(94567).unwrap();
    let mut tampered = signed_list(&list, REVOCATION_URL, None);
    // Someone swaps in an all-clear list but keeps the issuer's proof.
    tampered["credentialSubject"]["encodedList"] =
        StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES)
            .unwrap()
            .encode()
            .into();
    let r = verify_with(&vc, vec![tampered]);
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusVerificationError),
            "status_list_proof_not_verified".into()
        )
    );
    assert!(!r.valid);
}

#[test]
fn a_list_forged_by_someone_else_is_not_trusted() {
    let (vc, list) = revocable();
    let mallory = SecretKey::from_bytes(&[66u8; 32]);
    let forged = sign(
        &list_credential(
            REVOCATION_URL,
            &did(&mallory),
            StatusPurpose::Revocation,
            &list,
            "2025-01-01T00:00:00Z",
            None,
        )
        .unwrap(),
        &mallory,
        &proof_options(&mallory),
    )
    .unwrap();
    let r = verify_with(&vc, vec![forged]);
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusVerificationError),
            "status_list_issuer_mismatch".into()
        )
    );
}

#[test]
fn an_expired_or_future_list_is_couldnt_check() {
    let (vc, list) = revocable();
    let expired = signed_list(&list, REVOCATION_URL, Some("2025-02-01T00:00:00Z"));
    let r = verify_with(&vc, vec![expired]);
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusVerificationError),
            "status_list_expired".into()
        )
    );
    let future = signed_list_from(&list, REVOCATION_URL, "2026-01-01T00:00:00Z", None);
    assert_eq!(
        status(&verify_with(&vc, vec![future])).2,
        "status_list_not_yet_valid"
    );
    // No clock: a list with a validity period cannot be judged.
    let mut opts = VerifyOptions::default();
    opts.status.status_list_credentials = vec![signed_list(&list, REVOCATION_URL, None)];
    let r = verify_credential_value(&vc, &opts);
    assert_eq!(
        r.check(CheckId::Status).unwrap().reason().as_deref(),
        Some("status_list_validity_unknown")
    );
}

#[test]
fn a_list_of_the_wrong_purpose_is_couldnt_check() {
    let (vc, _) = revocable();
    let suspension = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
    let r = verify_with(&vc, vec![signed_list(&suspension, REVOCATION_URL, None)]);
    assert_eq!(
        status(&r),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusVerificationError),
            "status_list_purpose_mismatch".into()
        )
    );
}

#[test]
fn the_newest_usable_list_wins() {
    let (vc, mut list) = revocable();
    let old = signed_list_from(&list, REVOCATION_URL, "2025-01-01T00:00:00Z", None);
    list.set(94567).unwrap();
    let new = signed_list_from(&list, REVOCATION_URL, "2025-02-01T00:00:00Z", None);
    assert_eq!(
        status(&verify_with(&vc, vec![old.clone(), new.clone()])).2,
        "revoked"
    );
    assert_eq!(status(&verify_with(&vc, vec![new, old])).2, "revoked");
}

#[test]
fn short_lists_out_of_range_indexes_and_malformed_entries() {
    let v = parse_strict(VECTORS).unwrap();
    let short = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "derived-too-short")
        .unwrap()["encodedList"]
        .clone();
    let (vc, list) = revocable();
    let mut too_short = list_credential(
        REVOCATION_URL,
        &did(&teacher()),
        StatusPurpose::Revocation,
        &list,
        "2025-01-01T00:00:00Z",
        None,
    )
    .unwrap();
    too_short["credentialSubject"]["encodedList"] = short;
    // The issuer refuses to sign it…
    assert!(matches!(
        sign(&too_short, &teacher(), &proof_options(&teacher())),
        Err(IssueError::MalformedStatusList { .. })
    ));
    // …and a verifier will not use one signed anyway.
    let signed = di::add_proof(&too_short, &teacher(), &proof_options(&teacher())).unwrap();
    assert_eq!(
        status(&verify_with(&vc, vec![signed])),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusListLengthError),
            "status_list_too_short".into()
        )
    );

    let far = sign(
        &badge(Some(entry(
            REVOCATION_URL,
            StatusPurpose::Revocation,
            MIN_ENTRIES,
        ))),
        &teacher(),
        &proof_options(&teacher()),
    )
    .unwrap();
    assert_eq!(
        status(&verify_with(
            &far,
            vec![signed_list(&list, REVOCATION_URL, None)]
        )),
        (
            CheckStatus::CouldntCheck,
            Some(ErrorCode::RangeError),
            "status_index_out_of_range".into()
        )
    );

    let mut bad_entry = entry(REVOCATION_URL, StatusPurpose::Revocation, 3);
    bad_entry["statusListIndex"] = json!(3);
    let unsigned = badge(Some(bad_entry));
    assert!(matches!(
        sign(&unsigned, &teacher(), &proof_options(&teacher())),
        Err(IssueError::MalformedStatusEntry { entry: 0, .. })
    ));
    let signed = di::add_proof(&unsigned, &teacher(), &proof_options(&teacher())).unwrap();
    assert_eq!(
        status(&verify_with(
            &signed,
            vec![signed_list(&list, REVOCATION_URL, None)]
        )),
        (
            CheckStatus::Fail,
            Some(ErrorCode::MalformedValueError),
            "malformed_status_entry".into()
        )
    );
}

#[test]
fn a_gzip_bomb_is_an_error_not_an_allocation() {
    let bomb = vec![0u8; status_list::MAX_DECODED_BYTES + 1];
    let encoded = Bitstring::from_bytes(bomb).encode();
    assert!(encoded.len() < 64 * 1024, "{}", encoded.len());
    assert!(matches!(
        Bitstring::decode(&encoded),
        Err(StatusListError::Gzip { .. })
    ));
}

#[test]
fn status_list_credentials_are_conforming_and_signable() {
    let list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let unsigned = list_credential(
        REVOCATION_URL,
        &did(&teacher()),
        StatusPurpose::Revocation,
        &list,
        "2025-01-01T00:00:00Z",
        Some("2025-12-31T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(unsigned["credentialSubject"]["type"], "BitstringStatusList");
    assert_eq!(
        unsigned["credentialSubject"]["id"],
        format!("{REVOCATION_URL}#list")
    );
    let signed = sign(&unsigned, &teacher(), &proof_options(&teacher())).unwrap();
    let r = verify_credential_value(&signed, &VerifyOptions::at(now()));
    assert!(r.valid, "{r:#?}");
    assert!(matches!(
        list_credential(
            REVOCATION_URL,
            &did(&teacher()),
            StatusPurpose::Suspension,
            &list,
            "2025-01-01T00:00:00Z",
            None
        ),
        Err(StatusListError::PurposeMismatch { .. })
    ));
    let e = entry(REVOCATION_URL, StatusPurpose::Revocation, 94567);
    assert_eq!(e["statusListIndex"], "94567");
    assert_eq!(e["id"], format!("{REVOCATION_URL}#94567"));
}
