//! Criterion benchmarks: sign an Open Badges 3.0 credential (conformance +
//! JCS + SHA-256 + Ed25519) and verify it (strict parse + conformance + JCS +
//! SHA-256 + Ed25519 + every report check), with Ed25519 alone as baseline.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use credentials::di::{self, ProofOptions};
use credentials::ob3::{
    BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode,
    Recipient,
};
use credentials::{
    jcs, sign, templates, verify_credential, verify_credential_value, DidKey, Instant, SecretKey,
    VerifyOptions,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::Value;

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[11u8; 32])
}

fn unsigned() -> Value {
    let did = DidKey::from_public_key(teacher().public_key());
    CredentialDraft {
        id: "urn:uuid:0b8f2c64-5d4a-4c7e-9a0e-6f1d2b3c4d5e".into(),
        issuer: IssuerProfile {
            id: did.as_str().into(),
            name: BilingualText::new("ChainClass Demo Secondary School", "示範中學"),
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
                "alice@school.edu.hk",
                "f1e2d3c4b5a69788",
            )
            .unwrap()],
        },
        valid_from: "2024-09-01T00:00:00+08:00".into(),
        valid_until: None,
        awarded_date: Some("2024-09-01T00:00:00+08:00".into()),
        language: LanguageMode::Bilingual,
        credential_status: None,
    }
    .to_unsigned()
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let key = teacher();
    let did = DidKey::from_public_key(key.public_key());
    let options = ProofOptions::assertion(did.verification_method_id())
        .with_created("2024-09-01T09:30:00+08:00");
    let doc = unsigned();
    let signed = sign(&doc, &key, &options).unwrap();
    let text = serde_json::to_string(&signed).unwrap();
    let opts = VerifyOptions::at(Instant::parse_date_time_stamp("2025-01-01T00:00:00Z").unwrap());
    assert!(verify_credential(&text, &opts).valid);
    eprintln!(
        "OB3 credential: {} bytes signed, {} bytes canonical unsigned",
        text.len(),
        jcs::to_vec(&doc).unwrap().len()
    );

    c.bench_function("sign_ob3 (checks + JCS + hash + sign)", |b| {
        b.iter(|| sign(black_box(&doc), &key, &options).unwrap())
    });
    c.bench_function("add_proof_ob3 (JCS + hash + sign)", |b| {
        b.iter(|| di::add_proof(black_box(&doc), &key, &options).unwrap())
    });
    c.bench_function("verify_ob3_text (parse + report)", |b| {
        b.iter(|| verify_credential(black_box(&text), &opts))
    });
    c.bench_function("verify_ob3_value (report)", |b| {
        b.iter(|| verify_credential_value(black_box(&signed), &opts))
    });
    c.bench_function("parse_strict_ob3", |b| {
        b.iter(|| credentials::json::parse_strict(black_box(&text)).unwrap())
    });
    c.bench_function("vcdm_conformance_ob3", |b| {
        b.iter(|| {
            credentials::vcdm::check_credential(
                black_box(&signed),
                credentials::vcdm::Role::Verifier,
            )
        })
    });
    c.bench_function("ob3_profile_ob3", |b| {
        b.iter(|| credentials::ob3::check_profile(black_box(&signed)))
    });
    let vm = did.verification_method_id();
    c.bench_function("resolve_did_key_vm", |b| {
        b.iter(|| credentials::did_key::resolve_verification_method(black_box(&vm)).unwrap())
    });
    c.bench_function("jcs_ob3", |b| {
        b.iter(|| jcs::to_vec(black_box(&doc)).unwrap())
    });
    c.bench_function("jcs_ob3_reference_crate", |b| {
        b.iter(|| jcs::to_vec_reference(black_box(&doc)).unwrap())
    });
    let msg = [7u8; 64];
    let sig = key.sign(&msg);
    let public = key.public_key();
    c.bench_function("ed25519_sign_64B", |b| b.iter(|| key.sign(black_box(&msg))));
    c.bench_function("ed25519_verify_strict_64B", |b| {
        b.iter(|| public.verify_strict(black_box(&msg), &sig))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
