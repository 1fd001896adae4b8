//! Integration tests of the block tree: extending, side branches,
//! reorganisations by most work (not most blocks), the orphan pool, and
//! that invalid blocks never enter the tree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{account, genesis, mined, pay, T0};
use ledger::{
    Account, Amount, Block, BlockError, BlockTree, Hash, InsertOutcome, Reorg, Transaction,
    MAX_ORPHANS,
};

fn tree() -> BlockTree {
    BlockTree::new(genesis(4, &[(&account(1), 100)])).unwrap()
}

/// A mined child of `parent` paying `miner`, at `T0 + ts`.
fn child(tree: &BlockTree, parent: Hash, miner: &Account, ts: u64, txs: Vec<Transaction>) -> Block {
    mined(
        tree.build_block_on(&parent, txs, miner.address(), T0 + ts)
            .unwrap(),
    )
}

#[test]
fn first_block_extends_the_main_chain_and_a_rival_stays_aside() {
    let mut tree = tree();
    let g = tree.genesis_hash();
    let b1 = child(&tree, g, &account(3), 10, vec![]);
    let outcome = tree.insert(b1.clone()).unwrap().outcome;
    assert_eq!(
        outcome,
        InsertOutcome::ExtendedMain {
            hash: b1.hash(),
            height: 1
        }
    );
    // Same work: the tip seen first stays best.
    let rival = child(&tree, g, &account(4), 11, vec![]);
    assert_eq!(
        tree.insert(rival.clone()).unwrap().outcome,
        InsertOutcome::SideBranch {
            hash: rival.hash(),
            height: 1
        }
    );
    assert_eq!(tree.best_tip(), b1.hash());
    assert_eq!(
        tree.insert(rival.clone()).unwrap().outcome,
        InsertOutcome::AlreadyKnown { hash: rival.hash() }
    );
    assert_eq!(tree.len(), 3);
    let tips = tree.tips();
    assert_eq!(tips.len(), 2);
    assert!(tips.contains(&b1.hash()) && tips.contains(&rival.hash()));
}

#[test]
fn longer_branch_wins_and_the_reorg_lists_both_sides() {
    let (alice, bob, carol) = (account(1), account(2), account(5));
    let mut tree = tree();
    let g = tree.genesis_hash();
    // Main branch: alice pays bob. Rival branch: alice pays carol instead.
    let a1 = child(&tree, g, &account(3), 10, vec![pay(&alice, &bob, 70, 0, 0)]);
    tree.insert(a1.clone()).unwrap();
    assert_eq!(
        tree.best_state().unwrap().balance(&bob.address()),
        Amount::new(70)
    );

    let r1 = child(
        &tree,
        g,
        &account(4),
        11,
        vec![pay(&alice, &carol, 70, 0, 0)],
    );
    tree.insert(r1.clone()).unwrap();
    let r2 = child(&tree, r1.hash(), &account(4), 20, vec![]);
    let outcome = tree.insert(r2.clone()).unwrap().outcome;
    assert_eq!(
        outcome,
        InsertOutcome::Reorganized(Reorg {
            old_tip: a1.hash(),
            new_tip: r2.hash(),
            fork_point: g,
            disconnected: vec![a1.hash()],
            connected: vec![r1.hash(), r2.hash()],
        })
    );
    let state = tree.best_state().unwrap();
    assert_eq!(state.balance(&bob.address()), Amount::ZERO);
    assert_eq!(state.balance(&carol.address()), Amount::new(70));
    assert!(tree.is_on_main_chain(&r1.hash()));
    assert!(!tree.is_on_main_chain(&a1.hash()));
    assert_eq!(tree.path_to(&r2.hash()), vec![g, r1.hash(), r2.hash()]);
    assert_eq!(tree.fork_point(&a1.hash(), &r2.hash()), Some(g));
    assert_eq!(tree.best_height(), 2);

    let chain = tree.to_chain().unwrap();
    assert_eq!(chain.blocks(), &[r1, r2][..]);
    assert_eq!(chain.state(), tree.best_state().unwrap());
}

#[test]
fn most_work_beats_most_blocks() {
    let mut tree = tree();
    let g = tree.genesis_hash();
    let m1 = child(&tree, g, &account(3), 10, vec![]);
    tree.insert(m1.clone()).unwrap();
    let m2 = child(&tree, m1.hash(), &account(3), 20, vec![]);
    tree.insert(m2.clone()).unwrap();
    // Two blocks at difficulty 4: 2 * 16 = 32 units of work.
    assert_eq!(tree.best_node().unwrap().cumulative_work, 32);

    // One block at difficulty 6 (64 units) on the genesis.
    let mut heavy = tree
        .build_block_on(&g, vec![], account(4).address(), T0 + 15)
        .unwrap();
    heavy.header.difficulty = 6;
    let heavy = mined(heavy);
    let outcome = tree.insert(heavy.clone()).unwrap().outcome;
    let InsertOutcome::Reorganized(reorg) = outcome else {
        panic!("expected a reorganisation, got {outcome:?}")
    };
    assert_eq!(reorg.depth(), 2);
    assert_eq!(reorg.disconnected, vec![m2.hash(), m1.hash()]);
    assert_eq!(tree.best_tip(), heavy.hash());
    assert_eq!(tree.best_height(), 1);
}

#[test]
fn orphans_wait_for_their_parent_and_are_then_connected() {
    let source = tree();
    let g = source.genesis_hash();
    // Build a valid chain c1 <- c2 <- c3 in another tree.
    let mut builder = source.clone();
    let c1 = child(&builder, g, &account(3), 10, vec![]);
    builder.insert(c1.clone()).unwrap();
    let c2 = child(&builder, c1.hash(), &account(3), 20, vec![]);
    builder.insert(c2.clone()).unwrap();
    let c3 = child(&builder, c2.hash(), &account(3), 30, vec![]);

    let mut tree = source;
    assert_eq!(
        tree.insert(c3.clone()).unwrap().outcome,
        InsertOutcome::Orphan {
            hash: c3.hash(),
            missing_parent: c2.hash()
        }
    );
    assert_eq!(
        tree.insert(c2.clone()).unwrap().outcome,
        InsertOutcome::Orphan {
            hash: c2.hash(),
            missing_parent: c1.hash()
        }
    );
    assert_eq!(tree.orphans().count(), 2);
    assert!(!tree.contains(&c2.hash()));

    let insertion = tree.insert(c1.clone()).unwrap();
    assert_eq!(
        insertion.outcome,
        InsertOutcome::ExtendedMain {
            hash: c1.hash(),
            height: 1
        }
    );
    assert_eq!(
        insertion.adopted,
        vec![
            (
                c2.hash(),
                Ok(InsertOutcome::ExtendedMain {
                    hash: c2.hash(),
                    height: 2
                })
            ),
            (
                c3.hash(),
                Ok(InsertOutcome::ExtendedMain {
                    hash: c3.hash(),
                    height: 3
                })
            ),
        ]
    );
    assert_eq!(tree.best_tip(), c3.hash());
    assert_eq!(tree.orphans().count(), 0);
}

#[test]
fn invalid_blocks_never_enter_the_tree() {
    let mut tree = tree();
    let g = tree.genesis_hash();
    // Overspend: alice has 100.
    let mut bad = tree
        .build_block_on(&g, vec![], account(3).address(), T0 + 10)
        .unwrap();
    let spend = pay(&account(1), &account(2), 500, 0, 0);
    bad.transactions.push(spend.clone());
    bad.header.merkle_root = bad.compute_merkle_root();
    let bad = mined(bad);
    let error = tree.insert(bad.clone()).unwrap_err();
    assert!(matches!(
        error,
        BlockError::InvalidTransaction { index: 1, .. }
    ));
    assert!(!tree.contains(&bad.hash()));
    assert_eq!(tree.len(), 1);

    // An orphan without proof of work is refused at once.
    let mut junk = bad;
    junk.header.previous = Hash::digest(b"unknown parent");
    let junk_hash = (0..)
        .find_map(|n| {
            junk.header.nonce = n;
            (junk.hash().leading_zero_bits() < 4).then(|| junk.hash())
        })
        .unwrap();
    assert!(matches!(
        tree.insert(junk).unwrap_err(),
        BlockError::NotEnoughWork { hash, .. } if hash == junk_hash
    ));
    assert_eq!(tree.orphans().count(), 0);
}

#[test]
fn an_invalid_orphan_is_dropped_when_its_parent_arrives() {
    let source = tree();
    let g = source.genesis_hash();
    let mut builder = source.clone();
    let c1 = child(&builder, g, &account(3), 10, vec![]);
    builder.insert(c1.clone()).unwrap();
    // c2 claims too much coinbase.
    let mut c2 = builder
        .build_block_on(&c1.hash(), vec![], account(3).address(), T0 + 20)
        .unwrap();
    c2.transactions[0] = Transaction::coinbase(account(3).address(), Amount::new(51), 2);
    c2.header.merkle_root = c2.compute_merkle_root();
    let c2 = mined(c2);

    let mut tree = source;
    tree.insert(c2.clone()).unwrap();
    let insertion = tree.insert(c1.clone()).unwrap();
    assert_eq!(
        insertion.adopted,
        vec![(
            c2.hash(),
            Err(BlockError::CoinbaseTooLarge {
                claimed: Amount::new(51),
                allowed: Amount::new(50)
            })
        )]
    );
    assert_eq!(tree.best_tip(), c1.hash());
    assert_eq!(tree.orphans().count(), 0);
}

#[test]
fn the_orphan_pool_is_bounded() {
    let mut tree = tree();
    let mut first = None;
    for i in 0..=MAX_ORPHANS as u64 {
        let mut block = tree
            .build_block(vec![], account(3).address(), T0 + 10)
            .unwrap();
        block.header.previous = Hash::digest(i.to_be_bytes());
        block.header.height = 2;
        let block = mined(block);
        first.get_or_insert(block.hash());
        tree.insert(block).unwrap();
    }
    assert_eq!(tree.orphans().count(), MAX_ORPHANS);
    let first = first.unwrap();
    assert!(
        tree.orphans().all(|b| b.hash() != first),
        "oldest is evicted first"
    );
}
