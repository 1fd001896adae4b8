//! A chain validated from scratch has its signatures checked in batches
//! (natively; see `src/batch.rs`). These tests hand it the signatures a batch
//! equation could get wrong, each made by the real key holder, inside chains
//! long enough to be batched, and check that the report is exactly what
//! `verify_strict` (used when blocks are appended one by one) gives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{account, class_genesis, long_chain, remined};
use curve25519_dalek::{constants::EIGHT_TORSION, edwards::EdwardsPoint, scalar::Scalar};
use ledger::{
    chain_from_json, chain_to_json, validate_blocks, Account, Address, Allocation, Amount, Block,
    BlockError, BlockStatus, Chain, ChainError, PublicKey, Signature, SignatureError, Signed,
    Transaction, Transfer, TxError,
};
use sha2::{Digest, Sha512};

/// The Ed25519 secret scalar of `Account::from_seed(&[n; 32])`.
fn secret(n: u8) -> Scalar {
    let digest = Sha512::digest([n; 32]);
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest[..32]);
    bytes[0] &= 248;
    bytes[31] &= 127;
    bytes[31] |= 64;
    let scalar = Scalar::from_bytes_mod_order(bytes);
    assert_eq!(
        EdwardsPoint::mul_base(&scalar).compress().to_bytes(),
        *account(n).public_key().as_bytes()
    );
    scalar
}

fn k_of(r: &[u8; 32], key: &PublicKey, message: &[u8]) -> Scalar {
    let hram: [u8; 64] = Sha512::new()
        .chain_update(r)
        .chain_update(key.as_bytes())
        .chain_update(message)
        .finalize()
        .into();
    Scalar::from_bytes_mod_order_wide(&hram)
}

fn signature(r: &[u8; 32], s: &Scalar) -> Signature {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(r);
    bytes[32..].copy_from_slice(s.as_bytes());
    Signature::from_bytes(bytes)
}

/// Re-signs a transfer by account `n` with `torsion` added to `R`: the
/// cofactored equation `[8]([s]B − [k]A − R) = 0` holds, so a batch that
/// multiplied by the cofactor (or drew an unlucky coefficient) would take
/// it; `verify_strict` refuses it.
fn with_torsion(tx: &Transaction, n: u8, torsion: EdwardsPoint) -> Transaction {
    let Transaction::Transfer(signed) = tx else {
        panic!("expected a transfer")
    };
    let message = signed.body.signing_bytes();
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::digest(&message).into());
    let big_r = (EdwardsPoint::mul_base(&r) + torsion).compress().to_bytes();
    let k = k_of(&big_r, &signed.body.from, &message);
    let s = r + k * secret(n);
    let forged = Transaction::Transfer(Signed {
        body: signed.body.clone(),
        signature: signature(&big_r, &s),
    });
    assert!(
        forged.verify_signature().is_err(),
        "verify_strict refuses it"
    );
    forged
}

fn bad_signature(tx: &Transaction, account: &Account) -> BlockError {
    BlockError::InvalidTransaction {
        index: 4,
        id: tx.id(),
        error: TxError::BadSignature {
            account: account.address(),
            error: SignatureError::Mismatch {
                key: account.public_key(),
            },
        },
    }
}

#[test]
fn a_torsion_component_in_r_is_refused_wherever_it_is() {
    let chain = long_chain(class_genesis(), |_| None);
    // A point of order 8, one of order 4 and the one of order 2.
    for torsion in [EIGHT_TORSION[1], EIGHT_TORSION[2], EIGHT_TORSION[4]] {
        let mut blocks = chain.blocks().to_vec();
        blocks[29].transactions[4] = with_torsion(&blocks[29].transactions[4], 4, torsion);
        blocks[29] = remined(blocks[29].clone());
        let expected = bad_signature(&blocks[29].transactions[4], &account(4));

        let report = validate_blocks(chain.genesis(), &blocks);
        assert_eq!(report.first_invalid, Some(30));
        assert_eq!(report.blocks[29].status, BlockStatus::Invalid(expected));
        assert!(report.blocks[..29]
            .iter()
            .all(|b| b.status == BlockStatus::Valid));

        assert_eq!(
            Chain::from_blocks(chain.genesis().clone(), blocks).err(),
            Some(ChainError::Block {
                height: 30,
                error: expected,
            }),
            "an import refuses it too"
        );
    }
}

/// Two order-2 components cancel in any sum where both appear: a batch
/// whose two coefficients have the same parity would see nothing.
#[test]
fn two_torsion_components_that_cancel_are_both_refused() {
    let chain = long_chain(class_genesis(), |_| None);
    let mut blocks = chain.blocks().to_vec();
    for height in [9, 29] {
        blocks[height].transactions[4] =
            with_torsion(&blocks[height].transactions[4], 4, EIGHT_TORSION[4]);
        blocks[height] = remined(blocks[height].clone());
    }
    // Re-link the blocks after the edited ones, so that only the signatures
    // are wrong.
    let blocks = relinked(blocks);
    let report = validate_blocks(chain.genesis(), &blocks);
    assert_eq!(report.first_invalid, Some(10));
    assert_eq!(
        report.blocks[9].status,
        BlockStatus::Invalid(bad_signature(&blocks[9].transactions[4], &account(4)))
    );
}

/// Re-mines every block so that each points at the previous one's hash.
fn relinked(mut blocks: Vec<Block>) -> Vec<Block> {
    for index in 1..blocks.len() {
        blocks[index].header.previous = blocks[index - 1].hash();
        blocks[index] = remined(blocks[index].clone());
    }
    blocks
}

/// A key with a torsion component is valid under `verify_strict` when its
/// signatures carry the matching component in `R`; a batch cannot decide
/// those, so they are checked one by one and the chain stays valid.
#[test]
fn a_key_with_a_torsion_component_is_checked_exactly() {
    let a = secret(20);
    let mixed_point = EdwardsPoint::mul_base(&a) + EIGHT_TORSION[1];
    let mixed = PublicKey::from_bytes(mixed_point.compress().to_bytes());
    let mut chain_genesis = class_genesis();
    chain_genesis.allocations.push(Allocation {
        address: mixed.address(),
        amount: Amount::new(1_000),
    });
    // Appending checks every signature with verify_strict.
    let chain = long_chain(chain_genesis, |height| {
        (height % 4 == 0).then(|| signed_by_mixed_key(&mixed, &a, account(1).address(), height / 4))
    });
    let report = validate_blocks(chain.genesis(), chain.blocks());
    assert!(report.is_valid(), "{:?}", report.first_invalid);
    assert_eq!(report.state.as_ref(), Some(chain.state()));
    let imported = chain_from_json(&chain_to_json(&chain)).unwrap();
    assert_eq!(imported.state(), chain.state());
}

/// A transfer from the mixed-order key `A' = [a]B + T` whose signature
/// `verify_strict` accepts: `R = [r]B − [k]T` exactly, found by trying the
/// eight possible components until `k` (which depends on `R`) agrees.
fn signed_by_mixed_key(mixed: &PublicKey, a: &Scalar, to: Address, nonce: u64) -> Transaction {
    let body = Transfer {
        from: *mixed,
        to,
        amount: Amount::new(1),
        fee: Amount::new(0),
        nonce,
    };
    let message = body.signing_bytes();
    for attempt in 0u64.. {
        let r = Scalar::from_bytes_mod_order_wide(
            &Sha512::new()
                .chain_update(&message)
                .chain_update(attempt.to_le_bytes())
                .finalize()
                .into(),
        );
        for torsion in EIGHT_TORSION {
            let big_r = (EdwardsPoint::mul_base(&r) + torsion).compress().to_bytes();
            let k = k_of(&big_r, mixed, &message);
            if torsion == -(EIGHT_TORSION[1] * k) {
                let tx = Transaction::Transfer(Signed {
                    body,
                    signature: signature(&big_r, &(r + k * a)),
                });
                assert!(tx.verify_signature().is_ok(), "verify_strict accepts it");
                return tx;
            }
        }
    }
    unreachable!()
}

/// With the identity as the public key, `R = [s]B` satisfies the plain
/// equation `[s]B = R + [k]A` for every message and every `s`;
/// `verify_strict` refuses the weak key, and so does a long chain's
/// validation.
#[test]
fn a_weak_key_is_refused() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = PublicKey::from_bytes(identity);
    let mut chain_genesis = class_genesis();
    chain_genesis.allocations.push(Allocation {
        address: weak.address(),
        amount: Amount::new(1_000),
    });
    let chain = long_chain(chain_genesis, |_| None);
    let mut blocks = chain.blocks().to_vec();
    let s = Scalar::from(5u64);
    let big_r = EdwardsPoint::mul_base(&s).compress().to_bytes();
    blocks[29].transactions[4] = Transaction::Transfer(Signed {
        body: Transfer {
            from: weak,
            to: account(1).address(),
            amount: Amount::new(5),
            fee: Amount::new(0),
            nonce: 0,
        },
        signature: signature(&big_r, &s),
    });
    blocks[29] = remined(blocks[29].clone());
    let blocks = relinked(blocks);
    let report = validate_blocks(chain.genesis(), &blocks);
    assert_eq!(report.first_invalid, Some(30));
    let BlockStatus::Invalid(BlockError::InvalidTransaction {
        index: 4,
        error: TxError::BadSignature { account, .. },
        ..
    }) = &report.blocks[29].status
    else {
        panic!("{:?}", report.blocks[29].status)
    };
    assert_eq!(*account, weak.address());
}
