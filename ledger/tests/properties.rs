//! Property tests (native only): any edit of a valid exported chain is
//! refused or leaves the state identical; random Merkle proofs verify and
//! fail when any byte changes; random blocks of transfers never create or
//! destroy coins except through coinbases and fees; a block tree ends up
//! the same whatever order its blocks arrive in.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{account, genesis, pay, T0};
use ledger::merkle::{leaf_hash, MerkleTree};
use ledger::{chain_from_json, Account, Amount, Block, BlockTree, Chain, Hash, Transaction};
use proptest::prelude::*;

const FIXTURE: &str = include_str!("data/classroom_chain.json");

/// Characters that keep a JSON document plausible after a replacement.
const REPLACEMENTS: &[u8] = b"0123456789abcdefABCDEF\"{}[],:- etxz";

fn fixture_state() -> ledger::State {
    chain_from_json(FIXTURE).unwrap().state().clone()
}

/// Changes one JSON value (number or string) somewhere in the document.
fn edit_value(value: &mut serde_json::Value, mut pick: usize, delta: u64) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            let old = n.as_u64().unwrap_or(0);
            *value = Value::from(old.wrapping_add(delta.max(1)));
            true
        }
        Value::String(s) => {
            let mut chars: Vec<char> = s.chars().collect();
            if chars.is_empty() {
                s.push('0');
            } else {
                let i = pick % chars.len();
                chars[i] = if chars[i] == '0' { '1' } else { '0' };
                *s = chars.into_iter().collect();
            }
            true
        }
        Value::Array(items) => {
            if items.is_empty() {
                return false;
            }
            let i = pick % items.len();
            pick /= items.len().max(1);
            edit_value(&mut items[i], pick, delta)
        }
        Value::Object(map) => {
            let len = map.len();
            if len == 0 {
                return false;
            }
            let key = map.keys().nth(pick % len).cloned().unwrap();
            pick /= len;
            edit_value(map.get_mut(&key).unwrap(), pick, delta)
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn any_byte_edit_is_refused_or_harmless(
        position in 0..FIXTURE.len(),
        replacement in proptest::sample::select(REPLACEMENTS),
        delete in any::<bool>(),
    ) {
        let mut bytes = FIXTURE.as_bytes().to_vec();
        if delete {
            bytes.remove(position);
        } else {
            bytes[position] = replacement;
        }
        if let Ok(text) = String::from_utf8(bytes) {
            if let Ok(chain) = chain_from_json(&text) {
                prop_assert_eq!(chain.state(), &fixture_state());
            }
        }
    }

    #[test]
    fn any_value_edit_is_refused_or_harmless(pick in any::<usize>(), delta in 1u64..1000) {
        let mut doc: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        prop_assume!(edit_value(&mut doc, pick, delta));
        let text = serde_json::to_string(&doc).unwrap();
        if let Ok(chain) = chain_from_json(&text) {
            prop_assert_eq!(chain.state(), &fixture_state());
        }
    }

    #[test]
    fn merkle_proofs_verify_and_break_on_any_changed_byte(
        leaves in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..64),
        index in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let tree = MerkleTree::from_leaves(&leaves);
        let i = index.index(leaves.len());
        let proof = tree.proof(i).unwrap();
        let root = tree.root();
        prop_assert!(proof.verify_data(&leaves[i], &root).is_ok());

        // Change one bit of the leaf data (or append a byte to an empty leaf).
        let mut leaf = leaves[i].clone();
        if leaf.is_empty() {
            leaf.push(1 << bit);
        } else {
            let at = flip.index(leaf.len());
            leaf[at] ^= 1 << bit;
        }
        prop_assert!(proof.verify_data(&leaf, &root).is_err());

        // Change one bit of the root.
        let mut bytes = root.to_bytes();
        bytes[flip.index(32)] ^= 1 << bit;
        prop_assert!(proof.verify_data(&leaves[i], &Hash::from_bytes(bytes)).is_err());

        // Change one bit of one sibling.
        if !proof.siblings.is_empty() {
            let mut bad = proof.clone();
            let step = flip.index(bad.siblings.len());
            let mut bytes = bad.siblings[step].hash.to_bytes();
            bytes[flip.index(32)] ^= 1 << bit;
            bad.siblings[step].hash = Hash::from_bytes(bytes);
            prop_assert!(bad.verify_data(&leaves[i], &root).is_err());
        }
    }

    #[test]
    fn a_block_tree_ends_up_the_same_in_any_arrival_order(
        parents in proptest::collection::vec(any::<prop::sample::Index>(), 1..12),
        order in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
    ) {
        // Grow a random tree of blocks: block k's parent is a random earlier block.
        let mut builder = BlockTree::new(genesis(0, &[])).unwrap();
        let mut hashes = vec![builder.genesis_hash()];
        let mut blocks: Vec<Block> = Vec::new();
        for (k, parent) in parents.iter().enumerate() {
            let parent = hashes[parent.index(hashes.len())];
            let block = builder
                .build_block_on(&parent, vec![], account(3).address(), T0 + 1 + k as u64)
                .unwrap();
            builder.insert(block.clone()).unwrap();
            hashes.push(block.hash());
            blocks.push(block);
        }
        // Deliver them shuffled.
        let mut shuffled = blocks.clone();
        let mut state = order | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut tree = BlockTree::new(genesis(0, &[])).unwrap();
        for block in shuffled {
            tree.insert(block).unwrap();
        }
        prop_assert_eq!(tree.len(), blocks.len() + 1);
        prop_assert_eq!(tree.orphans().count(), 0);
        prop_assert_eq!(tree.best_height(), builder.best_height());
        prop_assert_eq!(
            tree.best_node().unwrap().cumulative_work,
            builder.best_node().unwrap().cumulative_work
        );
    }

    #[test]
    fn hex_round_trips(bytes in any::<[u8; 32]>()) {
        let hash = Hash::from_bytes(bytes);
        prop_assert_eq!(hash.to_string().parse::<Hash>(), Ok(hash));
        prop_assert_eq!(hash.to_string().to_uppercase().parse::<Hash>(), Ok(hash));
    }

    #[test]
    fn different_transfers_have_different_signing_bytes(
        a in (0u64..3, 0u64..3, 0u64..3, 0u8..3),
        b in (0u64..3, 0u64..3, 0u64..3, 0u8..3),
    ) {
        let make = |(amount, fee, nonce, to): (u64, u64, u64, u8)| {
            pay(&account(1), &account(to + 10), amount, fee, nonce)
        };
        let (x, y) = (make(a), make(b));
        prop_assert_eq!(a == b, x.signing_bytes() == y.signing_bytes());
        prop_assert_eq!(a == b, x.id() == y.id());
    }
}

proptest! {
    // Ed25519 in an unoptimised test build costs milliseconds per signature,
    // so this property runs fewer, smaller cases.
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn coins_only_appear_through_coinbases_and_vanish_through_fees(
        blocks in proptest::collection::vec(
            (
                0u64..120,
                proptest::collection::vec((0usize..4, 0usize..4, 0u64..60, 0u64..5, -1i64..2), 0..5),
            ),
            1..6,
        ),
    ) {
        let people: Vec<Account> = (1..=4).map(account).collect();
        let start = [(&people[0], 100), (&people[1], 50)];
        let mut chain = Chain::new(genesis(0, &start)).unwrap();
        let mut expected_supply: u128 = 150;
        for (claim, transfers) in blocks {
            let height = chain.height() + 1;
            let mut txs = vec![Transaction::coinbase(people[3].address(), Amount::new(claim), height)];
            for (from, to, amount, fee, nonce_shift) in transfers {
                let sender = &people[from];
                let nonce = chain.state().next_nonce(&sender.address())
                    .saturating_add_signed(nonce_shift);
                txs.push(pay(sender, &people[to], amount, fee, nonce));
            }
            let mut block = chain
                .build_block(vec![], people[3].address(), chain.tip_timestamp() + 1)
                .unwrap();
            block.transactions = txs;
            block.header.merkle_root = block.compute_merkle_root();
            let before = chain.state().clone();
            let fees: u128 = block.transactions.iter().map(|t| u128::from(t.fee().coins())).sum();
            match chain.append(block) {
                Ok(()) => {
                    expected_supply = expected_supply + u128::from(claim) - fees;
                    prop_assert!(u128::from(claim) <= 50 + fees);
                }
                Err(_) => prop_assert_eq!(chain.state(), &before),
            }
            prop_assert_eq!(chain.state().total_supply(), expected_supply);
        }
        prop_assert!(chain.validate().is_valid());
    }
}

#[test]
fn leaf_hash_and_tree_agree_on_a_single_leaf() {
    let tree = MerkleTree::from_leaves(&[b"only".to_vec()]);
    assert_eq!(tree.root(), leaf_hash(b"only"));
}
