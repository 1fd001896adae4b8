//! Benchmark: Merkle root of 10,000 leaves (32-byte digests, as the
//! credentials crate anchors them), with and without keeping the levels,
//! and one inclusion proof check.
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
    use ledger::merkle::{leaf_hash, root_of_leaf_hashes, MerkleTree};
    use ledger::Hash;

    const LEAVES: usize = 10_000;

    fn bench(c: &mut Criterion) {
        let leaves: Vec<Hash> = (0..LEAVES as u64)
            .map(|i| Hash::digest(i.to_be_bytes()))
            .collect();
        let mut group = c.benchmark_group("merkle_10000_leaves");
        group.throughput(Throughput::Elements(LEAVES as u64));
        group.bench_function("tree_from_leaves_with_levels", |b| {
            b.iter(|| MerkleTree::from_leaves(black_box(&leaves)).root())
        });
        group.bench_function("root_only", |b| {
            b.iter(|| {
                let hashes: Vec<Hash> = black_box(&leaves).iter().map(leaf_hash).collect();
                root_of_leaf_hashes(&hashes)
            })
        });
        group.finish();

        let tree = MerkleTree::from_leaves(&leaves);
        let proof = tree.proof(LEAVES / 3).unwrap();
        let leaf = leaf_hash(leaves[LEAVES / 3]);
        let root = tree.root();
        c.bench_function("merkle_proof_verify_10000_leaves", |b| {
            b.iter(|| proof.verify(black_box(&leaf), &root).unwrap())
        });
    }

    criterion_group!(benches, bench);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
