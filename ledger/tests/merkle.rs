//! Integration tests of the Merkle trees against the RFC 6962 (Certificate
//! Transparency) reference roots and inclusion proofs, plus the rules that
//! make proofs binding: domain separation, no duplicated odd leaf, and
//! position checks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use ledger::merkle::{
    empty_root, leaf_hash, node_hash, MerkleProof, MerkleTree, ProofError, ProofStep, Side,
};
use ledger::Hash;

/// The eight reference leaves of the Certificate Transparency test suite.
const CT_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// RFC 6962 tree hashes of the first 1..=8 reference leaves.
const CT_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn h(text: &str) -> Hash {
    text.parse().unwrap()
}

fn ct_leaves() -> Vec<Vec<u8>> {
    CT_LEAVES.iter().map(|l| unhex(l)).collect()
}

#[test]
fn roots_match_rfc6962_for_every_size() {
    assert_eq!(
        MerkleTree::from_leaves::<Vec<u8>>(&[]).root(),
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(empty_root(), Hash::digest([]));
    let leaves = ct_leaves();
    for n in 1..=8 {
        assert_eq!(
            MerkleTree::from_leaves(&leaves[..n]).root(),
            h(CT_ROOTS[n - 1]),
            "size {n}"
        );
    }
}

#[test]
fn inclusion_proofs_match_the_reference_paths() {
    let tree = MerkleTree::from_leaves(&ct_leaves());
    let cases: [(usize, [&str; 3]); 2] = [
        (
            0,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    for (index, path) in cases {
        let proof = tree.proof(index).unwrap();
        let hashes: Vec<Hash> = proof.siblings.iter().map(|s| s.hash).collect();
        assert_eq!(hashes, path.map(h).to_vec(), "leaf {index}");
        assert_eq!(proof.verify_data(&ct_leaves()[index], &tree.root()), Ok(()));
    }
}

#[test]
fn every_proof_verifies_in_every_tree_size_and_only_for_its_leaf() {
    let leaves: Vec<[u8; 2]> = (0..40u8).map(|i| [i, i.wrapping_mul(7)]).collect();
    for n in 1..=leaves.len() {
        let tree = MerkleTree::from_leaves(&leaves[..n]);
        let root = tree.root();
        for i in 0..n {
            let proof = tree.proof(i).unwrap();
            assert_eq!(proof.leaf_index, i as u64);
            assert_eq!(proof.leaf_count, n as u64);
            assert_eq!(proof.verify_data(leaves[i], &root), Ok(()), "{i} of {n}");
            let other = leaves[(i + 1) % leaves.len()];
            assert!(proof.verify_data(other, &root).is_err());
        }
        assert!(tree.proof(n).is_none());
    }
}

#[test]
fn odd_leaf_is_carried_up_not_duplicated() {
    let three = MerkleTree::from_leaves(&["a", "b", "c"]);
    let four = MerkleTree::from_leaves(&["a", "b", "c", "c"]);
    assert_ne!(three.root(), four.root());
    let (a, b, c) = (leaf_hash("a"), leaf_hash("b"), leaf_hash("c"));
    assert_eq!(three.root(), node_hash(&node_hash(&a, &b), &c));
    assert_eq!(
        three.levels(),
        &[
            vec![a, b, c],
            vec![node_hash(&a, &b), c],
            vec![three.root()]
        ]
    );
}

#[test]
fn a_node_cannot_pass_for_a_leaf() {
    let tree = MerkleTree::from_leaves(&["a", "b", "c", "d"]);
    let level1 = &tree.levels()[1];
    // The 64 bytes of the two children of the left node, presented as leaf data.
    let mut forged = Vec::new();
    forged.extend_from_slice(tree.levels()[0][0].as_bytes());
    forged.extend_from_slice(tree.levels()[0][1].as_bytes());
    let proof = MerkleProof {
        leaf_index: 0,
        leaf_count: 2,
        siblings: vec![ProofStep {
            side: Side::Right,
            hash: level1[1],
        }],
    };
    // Using the node hash itself as the "leaf hash" reproduces the root, which
    // is why verification takes leaf *data* through `leaf_hash`:
    assert_eq!(proof.verify(&level1[0], &tree.root()), Ok(()));
    assert!(matches!(
        proof.verify_data(&forged, &tree.root()),
        Err(ProofError::RootMismatch { .. })
    ));
}

#[test]
fn malformed_proofs_are_refused_with_the_reason() {
    let tree = MerkleTree::from_leaves(&["a", "b", "c", "d", "e"]);
    let root = tree.root();
    let good = tree.proof(1).unwrap();
    let leaf = leaf_hash("b");

    let mut wrong_index = good.clone();
    wrong_index.leaf_index = 9;
    assert_eq!(
        wrong_index.verify(&leaf, &root),
        Err(ProofError::IndexOutOfRange { index: 9, count: 5 })
    );

    let mut short = good.clone();
    short.siblings.pop();
    assert_eq!(
        short.verify(&leaf, &root),
        Err(ProofError::WrongLength {
            expected: 3,
            found: 2
        })
    );

    let mut flipped = good.clone();
    flipped.siblings[0].side = Side::Right;
    assert_eq!(
        flipped.verify(&leaf, &root),
        Err(ProofError::WrongSide {
            step: 0,
            expected: Side::Left,
            found: Side::Right
        })
    );

    // Claiming another position with the same hashes fails.
    let mut moved = good.clone();
    moved.leaf_index = 0;
    assert!(moved.verify(&leaf, &root).is_err());

    let other_root = Hash::digest(b"other");
    assert_eq!(
        good.verify(&leaf, &other_root),
        Err(ProofError::RootMismatch {
            computed: root,
            expected: other_root
        })
    );
}

#[test]
fn proofs_round_trip_through_json() {
    let tree = MerkleTree::from_leaves(&["a", "b", "c"]);
    let proof = tree.proof(2).unwrap();
    let json = serde_json::to_string(&proof).unwrap();
    assert_eq!(
        json,
        format!(
            "{{\"leaf_index\":2,\"leaf_count\":3,\"siblings\":[{{\"side\":\"left\",\"hash\":\"{}\"}}]}}",
            tree.levels()[1][0]
        )
    );
    assert_eq!(serde_json::from_str::<MerkleProof>(&json).unwrap(), proof);
    assert!(serde_json::from_str::<MerkleProof>(&json.replace("\"left\"", "\"up\"")).is_err());
}

#[test]
fn credential_digests_can_be_leaves() {
    // The credentials crate anchors SHA-256 digests of signed credentials.
    let digests: Vec<Hash> = (0..30u8).map(|i| Hash::digest([i])).collect();
    let tree = MerkleTree::from_leaves(&digests);
    let from_hashes = MerkleTree::from_leaf_hashes(digests.iter().map(leaf_hash).collect());
    assert_eq!(tree, from_hashes);
    let proof = tree.proof(17).unwrap();
    assert_eq!(proof.verify_data(digests[17], &tree.root()), Ok(()));
    let path = tree.proof_path(17).unwrap();
    assert_eq!(path.on_path.len(), tree.levels().len());
    assert_eq!(path.siblings.len(), proof.siblings.len());
    for ((level, index), step) in path.siblings.iter().zip(&proof.siblings) {
        assert_eq!(tree.levels()[*level][*index], step.hash);
    }
}
