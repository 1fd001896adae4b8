//! Shared helpers for the integration tests: fixed accounts, a small
//! genesis, and building, re-mining and appending blocks.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use ledger::{
    mine, Account, Allocation, Amount, Block, Chain, Genesis, Label, MineOutcome, Transaction,
};

/// Genesis time used by the tests.
pub const T0: u64 = 1_700_000_000;

/// Accounts already derived (key derivation is slow in unoptimised builds).
static ACCOUNTS: [OnceLock<Account>; 32] = [const { OnceLock::new() }; 32];

/// Test account number `n` (seed `[n; 32]`).
pub fn account(n: u8) -> Account {
    match ACCOUNTS.get(usize::from(n)) {
        Some(slot) => slot.get_or_init(|| Account::from_seed(&[n; 32])).clone(),
        None => Account::from_seed(&[n; 32]),
    }
}

/// A genesis with the given difficulty, a reward of 50 and allocations.
pub fn genesis(difficulty: u32, allocations: &[(&Account, u64)]) -> Genesis {
    Genesis {
        name: Label::new("test class").unwrap(),
        timestamp: T0,
        difficulty,
        reward: Amount::new(50),
        allocations: allocations
            .iter()
            .map(|(a, coins)| Allocation {
                address: a.address(),
                amount: Amount::new(*coins),
            })
            .collect(),
    }
}

/// Mines `block` for real (from nonce 0).
pub fn mined(block: Block) -> Block {
    match mine(&block.header, 0..u64::MAX) {
        MineOutcome::Found { nonce, .. } => block.with_nonce(nonce),
        MineOutcome::NotFound { .. } => panic!("no nonce found"),
    }
}

/// Recomputes the Merkle root after an edit and mines again.
pub fn remined(mut block: Block) -> Block {
    block.header.merkle_root = block.compute_merkle_root();
    mined(block)
}

/// A mined block on `chain`'s tip, 10 seconds after it.
pub fn next_block(chain: &Chain, txs: Vec<Transaction>, miner: &Account) -> Block {
    let block = chain
        .build_block(txs, miner.address(), chain.tip_timestamp() + 10)
        .unwrap();
    mined(block)
}

/// Appends a mined block with `txs` and panics on error.
pub fn extend(chain: &mut Chain, txs: Vec<Transaction>, miner: &Account) {
    let block = next_block(chain, txs, miner);
    chain.append(block).unwrap();
}

/// A signed transfer.
pub fn pay(from: &Account, to: &Account, amount: u64, fee: u64, nonce: u64) -> Transaction {
    Transaction::transfer(
        from,
        to.address(),
        Amount::new(amount),
        Amount::new(fee),
        nonce,
    )
}

/// A chain long enough for its signatures to be checked in batches: 40
/// blocks on `genesis`, mined by account 9, each with one transfer from
/// every one of accounts 1..=8 (320 signatures), plus what `extra` adds to
/// block `height` (0-based).
pub fn long_chain(genesis: Genesis, mut extra: impl FnMut(u64) -> Option<Transaction>) -> Chain {
    let students: Vec<_> = (1..=8).map(account).collect();
    let mut chain = Chain::new(genesis).unwrap();
    let mut nonces = [0u64; 8];
    for height in 0..40u64 {
        let mut txs: Vec<Transaction> = (0..8)
            .map(|i| {
                let to = &students[(i + 1 + height as usize) % 8];
                let tx = pay(&students[i], to, 1, 0, nonces[i]);
                nonces[i] += 1;
                tx
            })
            .collect();
        txs.extend(extra(height));
        extend(&mut chain, txs, &account(9));
    }
    chain
}

/// The genesis of [`long_chain`]: difficulty 0, 1,000 coins for each of
/// accounts 1..=8.
pub fn class_genesis() -> Genesis {
    let students: Vec<_> = (1..=8).map(account).collect();
    let allocations: Vec<_> = students.iter().map(|s| (s, 1_000)).collect();
    genesis(0, &allocations)
}
