//! Integration tests of the main chain: appending valid blocks, every
//! `BlockError` a block can earn (with the data it carries), the
//! whole-chain validation report, the mempool and anchors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{
    account, class_genesis, extend, genesis, long_chain, mined, next_block, pay, remined, T0,
};
use ledger::merkle::leaf_hash;
use ledger::{
    validate_blocks, validate_blocks_cached, Amount, Block, BlockError, BlockStatus, Chain,
    GenesisError, Hash, Label, Mempool, MempoolError, SignatureCache, SignatureError, Transaction,
    TxError, MAX_BLOCK_TRANSACTIONS, MAX_FUTURE_DRIFT,
};

/// alice (1) has 100 coins; difficulty 8.
fn class_chain() -> Chain {
    Chain::new(genesis(8, &[(&account(1), 100)])).unwrap()
}

/// A mined block on the tip whose transactions are exactly `txs` (the
/// caller supplies any coinbase).
fn block_with(chain: &Chain, txs: Vec<Transaction>) -> Block {
    let mut block = chain
        .build_block(vec![], account(3).address(), chain.tip_timestamp() + 10)
        .unwrap();
    block.transactions = txs;
    remined(block)
}

fn coinbase(chain: &Chain, amount: u64) -> Transaction {
    Transaction::coinbase(
        account(3).address(),
        Amount::new(amount),
        chain.height() + 1,
    )
}

fn assert_refused(chain: &mut Chain, block: Block, expected: BlockError) {
    let height = chain.height();
    let state = chain.state().clone();
    assert_eq!(chain.append(block), Err(expected));
    assert_eq!(
        chain.height(),
        height,
        "a refused block must not be appended"
    );
    assert_eq!(
        chain.state(),
        &state,
        "a refused block must not change the state"
    );
}

#[test]
fn transfers_move_coins_and_pay_the_miner() {
    let (alice, bob, miner) = (account(1), account(2), account(3));
    let mut chain = class_chain();
    extend(
        &mut chain,
        vec![pay(&alice, &bob, 30, 2, 0), pay(&alice, &bob, 10, 1, 1)],
        &miner,
    );
    let state = chain.state();
    assert_eq!(state.balance(&alice.address()), Amount::new(57));
    assert_eq!(state.balance(&bob.address()), Amount::new(40));
    assert_eq!(state.balance(&miner.address()), Amount::new(53));
    assert_eq!(state.next_nonce(&alice.address()), 2);
    assert_eq!(state.next_nonce(&bob.address()), 0);
    assert_eq!(state.total_supply(), 150);
    assert_eq!(chain.height(), 1);
    assert_eq!(chain.total_work(), 256);
    assert_eq!(chain.blocks()[0].header.previous, chain.genesis().hash());
    assert!(chain.validate().is_valid());
}

#[test]
fn a_transfer_to_yourself_only_costs_the_fee() {
    let alice = account(1);
    let mut chain = class_chain();
    extend(&mut chain, vec![pay(&alice, &alice, 60, 3, 0)], &account(3));
    assert_eq!(chain.state().balance(&alice.address()), Amount::new(97));
}

#[test]
fn broken_link_is_reported_with_both_hashes() {
    let mut chain = class_chain();
    let mut block = next_block(&chain, vec![], &account(3));
    block.header.previous = Hash::digest(b"somewhere else");
    let block = mined(block);
    let expected = BlockError::WrongPreviousHash {
        expected: chain.genesis_hash(),
        found: Hash::digest(b"somewhere else"),
    };
    assert_refused(&mut chain, block, expected);
}

#[test]
fn wrong_height_is_reported() {
    let mut chain = class_chain();
    let mut block = next_block(&chain, vec![], &account(3));
    block.header.height = 5;
    let block = mined(block);
    assert_refused(
        &mut chain,
        block,
        BlockError::WrongHeight {
            expected: 1,
            found: 5,
        },
    );
}

#[test]
fn edited_transaction_no_longer_matches_the_merkle_root() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let mut block = next_block(&chain, vec![pay(&alice, &bob, 5, 0, 0)], &account(3));
    let original_root = block.header.merkle_root;
    let Transaction::Transfer(signed) = &mut block.transactions[1] else {
        panic!("expected a transfer")
    };
    signed.body.amount = Amount::new(50);
    let computed = block.compute_merkle_root();
    assert_refused(
        &mut chain,
        block,
        BlockError::WrongMerkleRoot {
            computed,
            found: original_root,
        },
    );
}

#[test]
fn unmined_block_has_not_enough_work() {
    let mut chain = class_chain();
    let mut block = chain
        .build_block(vec![], account(3).address(), T0 + 10)
        .unwrap();
    let nonce = (0..)
        .find(|n| {
            block.header.nonce = *n;
            block.hash().leading_zero_bits() < 8
        })
        .unwrap();
    block.header.nonce = nonce;
    let hash = block.hash();
    assert_refused(
        &mut chain,
        block,
        BlockError::NotEnoughWork {
            required: 8,
            found: hash.leading_zero_bits(),
            hash,
        },
    );
}

#[test]
fn difficulty_bounds_and_extra_work() {
    let mut chain = class_chain();
    let mut easy = chain
        .build_block(vec![], account(3).address(), T0 + 10)
        .unwrap();
    easy.header.difficulty = 7;
    assert_refused(
        &mut chain,
        mined(easy.clone()),
        BlockError::DifficultyTooLow {
            minimum: 8,
            found: 7,
        },
    );
    easy.header.difficulty = 65;
    // Not mined: the bound is checked before the work.
    assert_refused(
        &mut chain,
        easy.clone(),
        BlockError::DifficultyTooHigh {
            maximum: 64,
            found: 65,
        },
    );
    easy.header.difficulty = 10;
    chain.append(mined(easy)).unwrap();
    assert_eq!(chain.total_work(), 1024);
}

#[test]
fn unsupported_version_is_refused() {
    let mut chain = class_chain();
    let mut block = next_block(&chain, vec![], &account(3));
    block.header.version = 2;
    let block = mined(block);
    assert_refused(
        &mut chain,
        block,
        BlockError::UnsupportedVersion { found: 2 },
    );
}

#[test]
fn forged_signature_names_the_account() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let mut block = next_block(&chain, vec![pay(&alice, &bob, 5, 0, 0)], &account(3));
    let Transaction::Transfer(signed) = &mut block.transactions[1] else {
        panic!("expected a transfer")
    };
    signed.body.amount = Amount::new(99);
    let block = remined(block);
    let id = block.transactions[1].id();
    assert_refused(
        &mut chain,
        block,
        BlockError::InvalidTransaction {
            index: 1,
            id,
            error: TxError::BadSignature {
                account: alice.address(),
                error: SignatureError::Mismatch {
                    key: alice.public_key(),
                },
            },
        },
    );
}

#[test]
fn overspend_reports_balance_and_need() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let tx = pay(&alice, &bob, 100, 1, 0);
    let id = tx.id();
    let block = block_with(&chain, vec![coinbase(&chain, 50), tx]);
    assert_refused(
        &mut chain,
        block,
        BlockError::InvalidTransaction {
            index: 1,
            id,
            error: TxError::Overspend {
                account: alice.address(),
                balance: Amount::new(100),
                needed: Amount::new(101),
            },
        },
    );
}

#[test]
fn replayed_and_skipped_nonces_are_told_apart() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let first = pay(&alice, &bob, 5, 0, 0);
    extend(&mut chain, vec![first.clone()], &account(3));

    // The very same signed transfer, replayed in a later block.
    let block = block_with(&chain, vec![first.clone()]);
    assert_refused(
        &mut chain,
        block,
        BlockError::InvalidTransaction {
            index: 0,
            id: first.id(),
            error: TxError::NonceReplayed {
                account: alice.address(),
                expected: 1,
                found: 0,
            },
        },
    );

    let skip = pay(&alice, &bob, 5, 0, 3);
    let block = block_with(&chain, vec![skip.clone()]);
    assert_refused(
        &mut chain,
        block,
        BlockError::InvalidTransaction {
            index: 0,
            id: skip.id(),
            error: TxError::NonceTooHigh {
                account: alice.address(),
                expected: 1,
                found: 3,
            },
        },
    );
}

#[test]
fn duplicate_transaction_in_one_block() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let tx = pay(&alice, &bob, 5, 0, 0);
    let block = block_with(&chain, vec![coinbase(&chain, 50), tx.clone(), tx.clone()]);
    assert_refused(
        &mut chain,
        block,
        BlockError::DuplicateTransaction {
            id: tx.id(),
            first: 1,
            second: 2,
        },
    );
}

#[test]
fn coinbase_may_claim_reward_plus_fees_and_no_more() {
    let (alice, bob) = (account(1), account(2));
    let mut chain = class_chain();
    let block = block_with(
        &chain,
        vec![coinbase(&chain, 53), pay(&alice, &bob, 5, 2, 0)],
    );
    assert_refused(
        &mut chain,
        block,
        BlockError::CoinbaseTooLarge {
            claimed: Amount::new(53),
            allowed: Amount::new(52),
        },
    );
    // Claiming less is allowed: the rest of the fee is burnt.
    let block = block_with(
        &chain,
        vec![coinbase(&chain, 10), pay(&alice, &bob, 5, 2, 0)],
    );
    chain.append(block).unwrap();
    assert_eq!(chain.state().total_supply(), 108);
}

#[test]
fn coinbase_position_and_height() {
    let mut chain = class_chain();
    let block = block_with(&chain, vec![coinbase(&chain, 1), coinbase(&chain, 2)]);
    assert_refused(&mut chain, block, BlockError::CoinbaseNotFirst { index: 1 });

    let wrong = Transaction::coinbase(account(3).address(), Amount::new(50), 7);
    let block = block_with(&chain, vec![wrong]);
    assert_refused(
        &mut chain,
        block,
        BlockError::CoinbaseWrongHeight {
            expected: 1,
            found: 7,
        },
    );
}

#[test]
fn new_coins_cannot_be_spent_in_the_same_block() {
    let (miner, bob) = (account(3), account(2));
    let mut chain = class_chain();
    let spend = pay(&miner, &bob, 10, 0, 0);
    let block = block_with(&chain, vec![coinbase(&chain, 50), spend.clone()]);
    assert_refused(
        &mut chain,
        block,
        BlockError::InvalidTransaction {
            index: 1,
            id: spend.id(),
            error: TxError::Overspend {
                account: miner.address(),
                balance: Amount::ZERO,
                needed: Amount::new(10),
            },
        },
    );
    extend(&mut chain, vec![], &miner);
    extend(&mut chain, vec![spend], &miner);
    assert_eq!(chain.state().balance(&bob.address()), Amount::new(10));
}

#[test]
fn timestamps_must_increase_and_not_run_ahead_of_now() {
    let mut chain = class_chain();
    let at =
        |chain: &Chain, ts| mined(chain.build_block(vec![], account(3).address(), ts).unwrap());
    let same_time = at(&chain, T0);
    assert_refused(
        &mut chain,
        same_time,
        BlockError::TimestampNotAfterParent {
            parent: T0,
            found: T0,
        },
    );
    let future = at(&chain, T0 + 10_000);
    assert_eq!(
        chain.append_at(future.clone(), T0),
        Err(BlockError::TimestampTooFarAhead {
            found: T0 + 10_000,
            now: T0,
            max_drift: MAX_FUTURE_DRIFT,
        })
    );
    // Exactly at the limit is fine.
    chain
        .append_at(future, T0 + 10_000 - MAX_FUTURE_DRIFT)
        .unwrap();
    let earlier = at(&chain, T0 + 9_999);
    assert_refused(
        &mut chain,
        earlier,
        BlockError::TimestampNotAfterParent {
            parent: T0 + 10_000,
            found: T0 + 9_999,
        },
    );
}

#[test]
fn oversized_block_is_refused_before_anything_else() {
    let mut chain = class_chain();
    let tx = pay(&account(1), &account(2), 1, 0, 0);
    let mut block = next_block(&chain, vec![], &account(3));
    block.transactions = vec![tx; MAX_BLOCK_TRANSACTIONS + 1];
    assert_refused(
        &mut chain,
        block,
        BlockError::TooManyTransactions {
            count: MAX_BLOCK_TRANSACTIONS + 1,
            max: MAX_BLOCK_TRANSACTIONS,
        },
    );
}

#[test]
fn genesis_rules() {
    let a = account(1);
    assert_eq!(
        Chain::new(genesis(8, &[(&a, 1), (&a, 2)])).map(|_| ()),
        Err(GenesisError::DuplicateAllocation {
            address: a.address()
        })
    );
    let b = account(2);
    assert_eq!(
        Chain::new(genesis(8, &[(&a, u64::MAX), (&b, 1)])).map(|_| ()),
        Err(GenesisError::SupplyOverflow)
    );
    assert_eq!(
        Chain::new(genesis(65, &[])).map(|_| ()),
        Err(GenesisError::DifficultyTooHigh {
            maximum: 64,
            found: 65
        })
    );
}

#[test]
fn build_block_refuses_invalid_transactions_with_their_position() {
    let (alice, bob) = (account(1), account(2));
    let chain = class_chain();
    let ok = pay(&alice, &bob, 10, 0, 0);
    let replay = pay(&alice, &bob, 10, 0, 0);
    let replay_id = replay.id();
    // Same content and deterministic signature: same id, so a different
    // amount is used to make a genuinely different transaction.
    let conflicting = pay(&alice, &bob, 11, 0, 0);
    assert_eq!(replay_id, ok.id());
    assert_eq!(
        chain.build_block(vec![ok, conflicting.clone()], bob.address(), T0 + 1),
        Err(BlockError::InvalidTransaction {
            index: 2,
            id: conflicting.id(),
            error: TxError::NonceReplayed {
                account: alice.address(),
                expected: 1,
                found: 0,
            },
        })
    );
    let block = chain
        .build_block(vec![pay(&alice, &bob, 10, 4, 0)], bob.address(), T0 + 1)
        .unwrap();
    assert_eq!(
        block.transactions[0],
        Transaction::coinbase(bob.address(), Amount::new(54), 1)
    );
    assert_eq!(block.header.merkle_root, block.compute_merkle_root());
    assert_eq!(block.header.difficulty, 8);
}

/// alice pays bob 1 coin in each of 4 blocks.
fn four_block_chain() -> Chain {
    let (alice, bob, miner) = (account(1), account(2), account(3));
    let mut chain = class_chain();
    for nonce in 0..4 {
        extend(&mut chain, vec![pay(&alice, &bob, 1, 0, nonce)], &miner);
    }
    chain
}

#[test]
fn tampering_turns_everything_downstream_red() {
    let chain = four_block_chain();
    let mut blocks = chain.blocks().to_vec();

    // Step 1: change the amount in block 2; the header is untouched.
    let Transaction::Transfer(signed) = &mut blocks[1].transactions[1] else {
        panic!("expected a transfer")
    };
    signed.body.amount = Amount::new(90);
    let report = validate_blocks(chain.genesis(), &blocks);
    assert!(!report.is_valid());
    assert_eq!(report.first_invalid, Some(2));
    assert_eq!(report.state, None);
    assert_eq!(report.blocks[0].status, BlockStatus::Valid);
    assert!(matches!(
        report.blocks[1].status,
        BlockStatus::Invalid(BlockError::WrongMerkleRoot { .. })
    ));
    // Blocks 3 and 4 still link to block 2's unchanged header, but build on
    // a broken block.
    for line in &report.blocks[2..] {
        assert_eq!(
            line.status,
            BlockStatus::Untrusted {
                broken_at: 2,
                own_problem: None
            }
        );
    }

    // Step 2: fix the Merkle root and re-mine block 2: the signature is
    // still wrong, and block 3 now points to a block that no longer exists.
    blocks[1] = remined(blocks[1].clone());
    let report = chain.validate_edited(&blocks);
    assert!(matches!(
        report.blocks[1].status,
        BlockStatus::Invalid(BlockError::InvalidTransaction {
            index: 1,
            error: TxError::BadSignature { .. },
            ..
        })
    ));
    assert_eq!(
        report.blocks[2].status,
        BlockStatus::Untrusted {
            broken_at: 2,
            own_problem: Some(BlockError::WrongPreviousHash {
                expected: blocks[1].hash(),
                found: chain.blocks()[1].hash(),
            }),
        }
    );
    assert_eq!(
        report.blocks[3].status,
        BlockStatus::Untrusted {
            broken_at: 2,
            own_problem: None
        }
    );
    // The cached and uncached validations agree.
    assert_eq!(report, validate_blocks(chain.genesis(), &blocks));
}

#[test]
fn validation_report_of_an_untouched_chain_is_all_green() {
    let chain = four_block_chain();
    let report = chain.validate();
    assert!(report.is_valid());
    assert_eq!(report.blocks.len(), 4);
    assert!(report.blocks.iter().all(|b| b.status == BlockStatus::Valid));
    assert_eq!(report.state.as_ref(), Some(chain.state()));
    for (line, block) in report.blocks.iter().zip(chain.blocks()) {
        assert_eq!(line.hash, block.hash());
    }
}

#[test]
fn a_broken_genesis_makes_every_block_untrusted() {
    let chain = four_block_chain();
    let mut genesis = chain.genesis().clone();
    genesis.allocations.push(genesis.allocations[0]);
    let report = validate_blocks(&genesis, chain.blocks());
    assert_eq!(
        report.genesis,
        Some(GenesisError::DuplicateAllocation {
            address: account(1).address()
        })
    );
    assert_eq!(report.first_invalid, Some(0));
    assert!(matches!(
        report.blocks[0].status,
        BlockStatus::Untrusted {
            broken_at: 0,
            own_problem: Some(BlockError::WrongPreviousHash { .. })
        }
    ));
}

#[test]
fn signature_cache_learns_and_skips() {
    let chain = four_block_chain();
    let mut cache = SignatureCache::new();
    assert!(validate_blocks_cached(chain.genesis(), chain.blocks(), &mut cache).is_valid());
    // Four transfers verified and remembered; coinbases have no signature.
    assert_eq!(cache.len(), 4);
    let id = chain.blocks()[0].transactions[1].id();
    assert!(cache.contains(&id));
    assert!(validate_blocks_cached(chain.genesis(), chain.blocks(), &mut cache).is_valid());
    assert_eq!(cache.len(), 4);
}

#[test]
fn anchors_are_recorded_with_their_block() {
    let teacher = account(9);
    let mut chain = Chain::new(genesis(8, &[(&teacher, 10)])).unwrap();
    let root = Hash::digest(b"batch of certificates");
    let anchor = Transaction::anchor(
        &teacher,
        root,
        Label::new("4C 2025").unwrap(),
        Amount::new(1),
        0,
    );
    extend(&mut chain, vec![], &account(3));
    extend(&mut chain, vec![anchor.clone()], &account(3));
    let record = chain.state().anchor(&root).unwrap();
    assert_eq!(record.height, 2);
    assert_eq!(record.signer, teacher.public_key());
    assert_eq!(record.tx, anchor.id());
    assert_eq!(record.label.as_str(), "4C 2025");
    assert_eq!(chain.state().balance(&teacher.address()), Amount::new(9));
    assert_eq!(chain.state().next_nonce(&teacher.address()), 1);

    // The block's Merkle proof shows the anchor transaction is in block 2.
    let location = chain.find_transaction(&anchor.id()).unwrap();
    assert_eq!((location.height, location.index), (2, 1));
    let proof = chain.transaction_proof(2, 1).unwrap();
    let header = chain.block(2).unwrap().header;
    assert!(proof
        .verify(&leaf_hash(anchor.id().as_bytes()), &header.merkle_root)
        .is_ok());
    assert!(chain.find_transaction(&Hash::digest(b"nothing")).is_none());
}

#[test]
fn mempool_checks_against_state_and_waiting_transactions() {
    let (alice, bob, miner) = (account(1), account(2), account(3));
    let mut chain = class_chain();
    let mut pool = Mempool::with_capacity(3);

    let first = pay(&alice, &bob, 40, 1, 0);
    let id = pool.add(first.clone(), chain.state()).unwrap();
    assert_eq!(id, first.id());
    assert_eq!(
        pool.add(first.clone(), chain.state()),
        Err(MempoolError::Duplicate { id })
    );
    let gap = pay(&alice, &bob, 1, 0, 5);
    assert_eq!(
        pool.add(gap.clone(), chain.state()),
        Err(MempoolError::Invalid {
            id: gap.id(),
            error: TxError::NonceTooHigh {
                account: alice.address(),
                expected: 1,
                found: 5
            }
        })
    );
    let too_much = pay(&alice, &bob, 59, 1, 1);
    assert_eq!(
        pool.add(too_much.clone(), chain.state()),
        Err(MempoolError::Invalid {
            id: too_much.id(),
            error: TxError::Overspend {
                account: alice.address(),
                balance: Amount::new(59),
                needed: Amount::new(60),
            }
        })
    );
    assert_eq!(
        pool.add(
            Transaction::coinbase(bob.address(), Amount::new(1), 1),
            chain.state()
        ),
        Err(MempoolError::Coinbase)
    );
    pool.add(pay(&alice, &bob, 58, 1, 1), chain.state())
        .unwrap();
    // bob can already pass on coins that are waiting for him: the pool
    // applies its transactions in order.
    let from_bob = pay(&bob, &alice, 1, 0, 0);
    pool.add(from_bob.clone(), chain.state()).unwrap();
    assert_eq!(pool.len(), 3);

    // Mine the first one: pruning removes it (its nonce is now used).
    extend(&mut chain, pool.select(1), &miner);
    let dropped = pool.prune(chain.state());
    assert_eq!(
        dropped,
        vec![(
            first,
            TxError::NonceReplayed {
                account: alice.address(),
                expected: 1,
                found: 0,
            }
        )]
    );
    assert_eq!(pool.len(), 2);

    // Another block uses alice's nonce 1 for something else: her waiting
    // transfer can never be mined any more and is dropped; bob's stays.
    extend(&mut chain, vec![pay(&alice, &miner, 5, 0, 1)], &miner);
    let dropped = pool.prune(chain.state());
    assert_eq!(dropped.len(), 1);
    assert!(matches!(dropped[0].1, TxError::NonceReplayed { .. }));
    assert_eq!(pool.transactions(), &[from_bob.clone()][..]);
    assert!(pool.contains(&from_bob.id()));

    let mut full = Mempool::with_capacity(1);
    full.add(pay(&bob, &alice, 1, 0, 0), chain.state()).unwrap();
    assert_eq!(
        full.add(pay(&bob, &alice, 2, 0, 1), chain.state()),
        Err(MempoolError::Full { capacity: 1 })
    );
}

#[test]
fn state_check_explains_a_transfer_before_it_is_sent() {
    let (alice, bob) = (account(1), account(2));
    let chain = class_chain();
    assert_eq!(
        chain
            .state()
            .check_transaction(&pay(&alice, &bob, 10, 0, 0)),
        Ok(())
    );
    assert_eq!(
        chain
            .state()
            .check_transaction(&pay(&bob, &alice, 10, 0, 0)),
        Err(TxError::Overspend {
            account: bob.address(),
            balance: Amount::ZERO,
            needed: Amount::new(10)
        })
    );
    assert_eq!(
        chain
            .state()
            .check_transaction(&pay(&alice, &bob, u64::MAX, 1, 0)),
        Err(TxError::AmountOverflow {
            account: alice.address()
        })
    );
}

#[test]
fn errors_display_their_data() {
    let error = BlockError::CoinbaseTooLarge {
        claimed: Amount::new(53),
        allowed: Amount::new(52),
    };
    let text = error.to_string();
    assert!(text.contains("53") && text.contains("52"), "{text}");
    let error = TxError::NonceReplayed {
        account: account(1).address(),
        expected: 1,
        found: 0,
    };
    assert!(error
        .to_string()
        .contains(&account(1).address().to_string()));
}

/// Chains of more than 256 signed transactions have their signatures checked
/// on every core before the in-order validation (natively); the report must
/// be exactly what the in-order checks give: the forged transfer in block 30
/// names its block, index and account, every later block is untrusted, and
/// an honest copy validates to the same state as the chain that built it.
#[test]
fn a_forgery_in_a_long_chain_is_reported_exactly_where_it_is() {
    let students: Vec<_> = (1..=8).map(account).collect();
    let chain = long_chain(class_genesis(), |_| None);
    let honest = validate_blocks(chain.genesis(), chain.blocks());
    assert!(honest.is_valid());
    assert_eq!(honest.state.as_ref(), Some(chain.state()));

    let mut blocks = chain.blocks().to_vec();
    let Transaction::Transfer(signed) = &mut blocks[29].transactions[4] else {
        panic!("expected a transfer")
    };
    signed.body.amount = Amount::new(2);
    blocks[29] = remined(blocks[29].clone());
    let id = blocks[29].transactions[4].id();
    let expected = BlockError::InvalidTransaction {
        index: 4,
        id,
        error: TxError::BadSignature {
            account: students[3].address(),
            error: SignatureError::Mismatch {
                key: students[3].public_key(),
            },
        },
    };
    let report = validate_blocks(chain.genesis(), &blocks);
    assert_eq!(report.first_invalid, Some(30));
    assert_eq!(report.blocks[29].status, BlockStatus::Invalid(expected));
    assert!(report.blocks[..29]
        .iter()
        .all(|b| b.status == BlockStatus::Valid));
    assert!(report.blocks[30..]
        .iter()
        .all(|b| matches!(b.status, BlockStatus::Untrusted { broken_at: 30, .. })));
    assert_eq!(
        Chain::from_blocks(chain.genesis().clone(), blocks.clone()).err(),
        Some(ledger::ChainError::Block {
            height: 30,
            error: expected,
        })
    );
    // The cached variant remembers the honest signatures, never the forged one.
    let mut cache = SignatureCache::new();
    let _ = validate_blocks_cached(chain.genesis(), &blocks, &mut cache);
    assert!(!cache.contains(&id));
    assert!(cache.contains(&blocks[0].transactions[1].id()));
}
