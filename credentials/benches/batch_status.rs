//! Criterion benchmarks for class batches and status lists: issue 1,000
//! credentials from a roster and anchor them (roster parse → sign each →
//! Merkle root → anchor transaction → block on a difficulty-0 ledger →
//! receipts), and the status check against a 131,072-entry list (lookup
//! after decoding, decoding, and the whole `status` check inside a
//! verification).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use credentials::batch::{self, BatchTemplate, RowInputs};
use credentials::ob3::{BilingualText, IssuerProfile, LanguageMode};
use credentials::roster::{self, RosterLimits};
use credentials::status_list::{entry, list_credential, StatusList, StatusPurpose, MIN_ENTRIES};
use credentials::{
    sign, templates, verify_credential_value, DidKey, Instant, ProofOptions, SecretKey,
    VerifyOptions,
};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledger::{Account, Amount, Chain, Genesis, Label};
use std::time::Duration;

const SEED: [u8; 32] = [21u8; 32];
const LIST_URL: &str = "https://school.example.edu.hk/status/revocation/1";

fn template(key: &SecretKey) -> BatchTemplate {
    let did = DidKey::from_public_key(key.public_key());
    BatchTemplate {
        issuer: IssuerProfile {
            id: did.as_str().into(),
            name: BilingualText::new("Demo Secondary School", "示範中學"),
            url: None,
            email: None,
            image: None,
        },
        achievement: templates::KNOWING_MORE_ABOUT_IT.achievement(),
        valid_from: "2025-06-30T00:00:00+08:00".into(),
        valid_until: None,
        awarded_date: None,
        language: LanguageMode::Bilingual,
        include_name: false,
        proof: ProofOptions::assertion(did.verification_method_id())
            .with_created("2025-06-30T10:00:00+08:00"),
    }
}

fn roster_csv(n: usize) -> String {
    let mut csv = String::from("姓名,English Name,電郵,學生編號\n");
    for i in 0..n {
        csv.push_str(&format!(
            "學生{i},Student {i},s{i:05}@school.example.edu.hk,S{i:06}\n"
        ));
    }
    csv
}

/// The whole batch: returns the number of receipts.
fn issue_and_anchor(csv: &[u8], key: &SecretKey, spec: &BatchTemplate) -> usize {
    let roster = roster::read(csv, None, &RosterLimits::default()).unwrap();
    let mut list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let mut counter = 0u64;
    let mut result = batch::issue_batch(spec, &roster, key, &mut |_| {
        counter += 1;
        let index = list
            .allocate_index(counter.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .unwrap();
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&counter.to_le_bytes());
        RowInputs {
            id: batch::uuid_urn(id),
            salt: format!("{counter:016x}"),
            credential_status: Some(entry(LIST_URL, StatusPurpose::Revocation, index)),
        }
    })
    .unwrap();
    let request = batch::anchor_request(&result.issued, "4C 2025").unwrap();
    let account = Account::from_seed(&SEED);
    let mut chain = Chain::new(Genesis {
        name: Label::new("4C Web3").unwrap(),
        timestamp: 1_750_000_000,
        difficulty: 0,
        reward: Amount::new(50),
        allocations: vec![],
    })
    .unwrap();
    let tx = request.transaction(&account, Amount::ZERO, 0);
    let block = chain
        .build_block(vec![tx], account.address(), 1_750_000_100)
        .unwrap();
    chain.append(block).unwrap();
    batch::attach_receipts(&mut result.issued, &chain).unwrap();
    result.issued.len()
}

fn bench(c: &mut Criterion) {
    let key = SecretKey::from_bytes(&SEED);
    let spec = template(&key);
    let csv = roster_csv(1000);
    assert_eq!(issue_and_anchor(csv.as_bytes(), &key, &spec), 1000);

    let mut g = c.benchmark_group("batch");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function(
        "issue_and_anchor_1000 (roster → sign → root → block → receipts)",
        |b| b.iter(|| issue_and_anchor(black_box(csv.as_bytes()), &key, &spec)),
    );
    g.finish();
    let roster = roster::read(csv.as_bytes(), None, &RosterLimits::default()).unwrap();
    c.bench_function("roster_read_1000", |b| {
        b.iter(|| roster::read(black_box(csv.as_bytes()), None, &RosterLimits::default()))
    });

    // Status list of 131,072 entries with ~1,000 revocations.
    let mut list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    for i in 0..1000u64 {
        list.set(i.wrapping_mul(7919) % MIN_ENTRIES).unwrap();
    }
    let encoded = list.encode();
    eprintln!(
        "status list: {} entries, encodedList {} characters",
        list.len(),
        encoded.len()
    );
    let decoded = StatusList::decode(StatusPurpose::Revocation, &encoded).unwrap();
    c.bench_function("status_lookup_131072 (after decoding)", |b| {
        b.iter(|| decoded.get(black_box(94_567)).unwrap())
    });
    c.bench_function("status_list_decode_131072", |b| {
        b.iter(|| StatusList::decode(StatusPurpose::Revocation, black_box(&encoded)).unwrap())
    });
    c.bench_function("status_list_encode_131072", |b| {
        b.iter(|| black_box(&list).encode())
    });

    let did = DidKey::from_public_key(key.public_key());
    let list_vc = sign(
        &list_credential(
            LIST_URL,
            did.as_str(),
            StatusPurpose::Revocation,
            &list,
            "2025-01-01T00:00:00Z",
            None,
        )
        .unwrap(),
        &key,
        &spec.proof,
    )
    .unwrap();
    let mut unsigned = batch::issue_batch(&spec, &roster, &key, &mut |_| RowInputs {
        id: "urn:uuid:6b0d4a3e-1c2f-4e5d-8a9b-0c1d2e3f4a5b".into(),
        salt: "s".into(),
        credential_status: Some(entry(LIST_URL, StatusPurpose::Revocation, 94_567)),
    })
    .unwrap();
    let credential = unsigned.issued.swap_remove(0).credential;
    let now = Instant::parse_date_time_stamp("2025-09-01T00:00:00Z").unwrap();
    let without = VerifyOptions::at(now);
    let mut with = VerifyOptions::at(now);
    with.status.status_list_credentials = vec![list_vc];
    assert!(verify_credential_value(&credential, &with).valid);
    c.bench_function("verify_ob3_without_status_list", |b| {
        b.iter(|| verify_credential_value(black_box(&credential), &without))
    });
    c.bench_function(
        "verify_ob3_with_status_check (list proof + decode + lookup)",
        |b| b.iter(|| verify_credential_value(black_box(&credential), &with)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
