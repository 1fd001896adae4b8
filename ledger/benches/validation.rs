//! Benchmark: validating a 10,000-block chain with 10 signed transfers per
//! block, from scratch (every signature verified) and by import from JSON.
//!
//! Criterion only runs natively; for wasm32 this file is an empty program.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{criterion_group, Criterion};
    use ledger::{
        chain_from_json, chain_to_json, validate_blocks, Account, Allocation, Amount, Chain,
        Genesis, Label, Transaction,
    };

    const BLOCKS: u64 = 10_000;
    const TRANSFERS: u64 = 10;
    const STUDENTS: usize = 40;

    /// A valid chain of `BLOCKS` blocks at difficulty 0 (no mining needed), each
    /// with a coinbase and `TRANSFERS` transfers between 40 students.
    fn build_chain() -> Chain {
        let students: Vec<Account> = (0..STUDENTS)
            .map(|i| Account::from_seed(&[u8::try_from(i).unwrap() + 1; 32]))
            .collect();
        let genesis = Genesis {
            name: Label::new("benchmark class").unwrap(),
            timestamp: 1_700_000_000,
            difficulty: 0,
            reward: Amount::new(50),
            allocations: students
                .iter()
                .map(|s| Allocation {
                    address: s.address(),
                    amount: Amount::new(1_000_000_000),
                })
                .collect(),
        };
        let mut chain = Chain::new(genesis).unwrap();
        let mut nonces = vec![0u64; STUDENTS];
        let mut next = 0usize;
        for height in 1..=BLOCKS {
            let mut txs = Vec::new();
            for _ in 0..TRANSFERS {
                let from = next % STUDENTS;
                let to = (next * 7 + 3) % STUDENTS;
                next += 1;
                txs.push(Transaction::transfer(
                    &students[from],
                    students[to].address(),
                    Amount::new(1 + (next as u64 % 5)),
                    Amount::new(1),
                    nonces[from],
                ));
                nonces[from] += 1;
            }
            let block = chain
                .build_block(txs, students[0].address(), 1_700_000_000 + height)
                .unwrap();
            chain.append(block).unwrap();
        }
        chain
    }

    fn bench_one_signature(c: &mut Criterion) {
        let alice = Account::from_seed(&[1; 32]);
        let bob = Account::from_seed(&[2; 32]);
        let tx = Transaction::transfer(&alice, bob.address(), Amount::new(5), Amount::new(1), 0);
        c.bench_function("ed25519_verify_strict_one_transfer", |b| {
            b.iter(|| tx.verify_signature().unwrap())
        });
        c.bench_function("transaction_id_one_transfer", |b| b.iter(|| tx.id()));
    }

    fn bench(c: &mut Criterion) {
        let chain = build_chain();
        let json = chain_to_json(&chain);
        let mut group = c.benchmark_group("validate_10000_blocks_x10_transfers");
        group.sample_size(10);
        group.bench_function("validate_blocks", |b| {
            b.iter(|| {
                let report = validate_blocks(chain.genesis(), chain.blocks());
                assert!(report.is_valid());
            })
        });
        group.bench_function("chain_validate_with_signature_cache", |b| {
            b.iter(|| {
                let report = chain.validate();
                assert!(report.is_valid());
            })
        });
        group.bench_function("chain_from_json", |b| {
            b.iter(|| chain_from_json(&json).unwrap())
        });
        group.finish();
    }

    criterion_group!(benches, bench_one_signature, bench);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
