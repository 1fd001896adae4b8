//! Benchmark: mining hash rate on the real 100-byte header encoding (midstate
//! reuse, one SHA-256 compression per nonce) against plain `sha2` hashing
//! of the same 100 bytes, and the naive encode-then-hash per nonce.
//!
//! Criterion only runs natively; for wasm32 this file is an empty program.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{black_box, criterion_group, Criterion, Throughput};
    use ledger::{mine, BlockHeader, Hash, MineOutcome, HEADER_LEN};
    use sha2::{Digest, Sha256};

    const NONCES: u64 = 100_000;

    fn header() -> BlockHeader {
        BlockHeader {
            version: 1,
            height: 42,
            previous: Hash::digest(b"parent"),
            merkle_root: Hash::digest(b"transactions"),
            timestamp: 1_700_000_000,
            // Never reached: every nonce of the range is tried.
            difficulty: 64,
            nonce: 0,
        }
    }

    fn bench(c: &mut Criterion) {
        let mut group = c.benchmark_group("hashes_of_a_100_byte_header");
        group.throughput(Throughput::Elements(NONCES));

        let h = header();
        group.bench_function("ledger_mine_midstate", |b| {
            b.iter(|| {
                let outcome = mine(black_box(&h), 0..NONCES);
                assert_eq!(outcome, MineOutcome::NotFound { tried: NONCES });
            })
        });

        group.bench_function("plain_sha2_100_bytes", |b| {
            let mut bytes = [0u8; HEADER_LEN];
            bytes.copy_from_slice(&h.encode());
            b.iter(|| {
                let mut best = 0u32;
                for nonce in 0..NONCES {
                    bytes[92..].copy_from_slice(&nonce.to_be_bytes());
                    let digest: [u8; 32] = Sha256::digest(black_box(&bytes)).into();
                    best = best.max(Hash::from_bytes(digest).leading_zero_bits());
                }
                best
            })
        });

        group.bench_function("naive_encode_and_hash_header", |b| {
            b.iter(|| {
                let mut best = 0u32;
                for nonce in 0..NONCES {
                    let hash = BlockHeader { nonce, ..h }.hash();
                    best = best.max(hash.leading_zero_bits());
                }
                best
            })
        });
        group.finish();
    }

    criterion_group!(benches, bench);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
