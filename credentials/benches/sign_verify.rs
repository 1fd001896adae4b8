//! Criterion benchmarks: sign an Open Badges 3.0 credential (conformance +
//! JCS + SHA-256 + Ed25519) and verify it (strict parse + conformance + JCS +
//! SHA-256 + Ed25519 + every report check), with Ed25519 alone as baseline
//! and the parts of both paths. Each benchmark runs twice: `wall/…` (wall
//! clock, criterion's default) and `cpu/…` (the thread's CPU time, which time
//! slicing on a busy shared machine does not inflate).
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
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;
use std::time::Duration;

/// Thread CPU time as a criterion measurement.
struct CpuTime;

struct Nanos;

impl ValueFormatter for Nanos {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        if typical < 1e3 {
            "ns"
        } else {
            for v in values.iter_mut() {
                *v /= 1e3;
            }
            "µs"
        }
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        _t: &Throughput,
        _values: &mut [f64],
    ) -> &'static str {
        "per ns"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

impl Measurement for CpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }

    fn end(&self, i: Self::Intermediate) -> Self::Value {
        i.elapsed()
    }

    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        *v1 + *v2
    }

    fn zero(&self) -> Self::Value {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanos
    }
}

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

fn bench<M: Measurement + 'static>(c: &mut Criterion<M>, prefix: &str) {
    let key = teacher();
    let did = DidKey::from_public_key(key.public_key());
    let options = ProofOptions::assertion(did.verification_method_id())
        .with_created("2024-09-01T09:30:00+08:00");
    let doc = unsigned();
    let signed = sign(&doc, &key, &options).unwrap();
    let text = serde_json::to_string(&signed).unwrap();
    let opts = VerifyOptions::at(Instant::parse_date_time_stamp("2025-01-01T00:00:00Z").unwrap());
    assert!(verify_credential(&text, &opts).valid);
    if prefix == "wall" {
        eprintln!(
            "OB3 credential: {} bytes signed, {} bytes canonical unsigned",
            text.len(),
            jcs::to_vec(&doc).unwrap().len()
        );
    }
    let name = |n: &str| format!("{prefix}/{n}");

    c.bench_function(&name("sign_ob3"), |b| {
        b.iter(|| sign(black_box(&doc), &key, &options).unwrap())
    });
    c.bench_function(&name("add_proof_ob3"), |b| {
        b.iter(|| di::add_proof(black_box(&doc), &key, &options).unwrap())
    });
    c.bench_function(&name("verify_ob3_text"), |b| {
        b.iter(|| verify_credential(black_box(&text), &opts))
    });
    c.bench_function(&name("verify_ob3_value"), |b| {
        b.iter(|| verify_credential_value(black_box(&signed), &opts))
    });
    c.bench_function(&name("parse_strict_ob3"), |b| {
        b.iter(|| credentials::json::parse_strict(black_box(&text)).unwrap())
    });
    c.bench_function(&name("vcdm_conformance_ob3"), |b| {
        b.iter(|| {
            credentials::vcdm::check_credential(
                black_box(&signed),
                credentials::vcdm::Role::Verifier,
            )
        })
    });
    c.bench_function(&name("ob3_profile_ob3"), |b| {
        b.iter(|| credentials::ob3::check_profile(black_box(&signed)))
    });
    let vm = did.verification_method_id();
    c.bench_function(&name("resolve_did_key_vm"), |b| {
        b.iter(|| credentials::did_key::resolve_verification_method(black_box(&vm)).unwrap())
    });
    c.bench_function(&name("jcs_ob3"), |b| {
        b.iter(|| jcs::to_vec(black_box(&doc)).unwrap())
    });
    c.bench_function(&name("jcs_ob3_reference_crate"), |b| {
        b.iter(|| jcs::to_vec_reference(black_box(&doc)).unwrap())
    });
    let msg = [7u8; 64];
    let sig = key.sign(&msg);
    let public = key.public_key();
    c.bench_function(&name("ed25519_sign_64B"), |b| {
        b.iter(|| key.sign(black_box(&msg)))
    });
    c.bench_function(&name("ed25519_verify_strict_64B"), |b| {
        b.iter(|| public.verify_strict(black_box(&msg), &sig))
    });
}

fn wall(c: &mut Criterion) {
    bench(c, "wall");
}

fn cpu(c: &mut Criterion<CpuTime>) {
    bench(c, "cpu");
}

criterion_group!(wall_clock, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(CpuTime);
    targets = cpu
}
criterion_main!(wall_clock, cpu_time);
