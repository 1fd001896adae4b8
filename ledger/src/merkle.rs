//! Merkle trees in the style of RFC 6962 (Certificate Transparency): the
//! root of a list of leaves, inclusion proofs, and their verification.
//!
//! # Hashing
//!
//! * a leaf is hashed as `SHA-256(0x00 || leaf bytes)` ([`leaf_hash`]);
//! * an inner node as `SHA-256(0x01 || left || right)` ([`node_hash`]).
//!
//! The different first byte (domain separation) means an inner node can never
//! be presented as a leaf: a 64-byte leaf equal to `left || right` still
//! hashes differently from the node.
//!
//! # Odd counts
//!
//! The tree is built level by level, pairing neighbours from the left. When a
//! level has an odd number of nodes, the last one has no partner and is
//! **carried up unchanged** to the next level (it is *not* duplicated, so
//! the lists `[a, b, c]` and `[a, b, c, c]` have different roots). This
//! gives exactly the RFC 6962 tree hash. The root of an empty list is
//! `SHA-256("")`.
//!
//! ```
//! use ledger::merkle::{MerkleTree, leaf_hash};
//!
//! let tree = MerkleTree::from_leaves(&["alice", "bob", "carol"]);
//! let proof = tree.proof(2).unwrap();
//! assert!(proof.verify(&leaf_hash(b"carol"), &tree.root()).is_ok());
//! assert!(proof.verify(&leaf_hash(b"mallory"), &tree.root()).is_err());
//! // Levels, leaves first, for drawing: [a, b, c] -> [ab, c] -> [abc]
//! assert_eq!(tree.levels().len(), 3);
//! ```

use core::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Hash;

/// First byte hashed in front of a leaf.
pub const LEAF_PREFIX: u8 = 0x00;
/// First byte hashed in front of two child hashes.
pub const NODE_PREFIX: u8 = 0x01;

/// `SHA-256(0x00 || data)`: the hash of one leaf.
pub fn leaf_hash(data: impl AsRef<[u8]>) -> Hash {
    Hash::from_hasher(
        Sha256::new()
            .chain_update([LEAF_PREFIX])
            .chain_update(data.as_ref()),
    )
}

/// `SHA-256(0x01 || left || right)`: the hash of an inner node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Hash::from_hasher(
        Sha256::new()
            .chain_update([NODE_PREFIX])
            .chain_update(left.as_bytes())
            .chain_update(right.as_bytes()),
    )
}

/// The root of an empty tree: `SHA-256("")`.
pub fn empty_root() -> Hash {
    Hash::digest([])
}

fn next_level(level: &[Hash]) -> Vec<Hash> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [left, right] => node_hash(left, right),
            // An odd node out is carried up unchanged.
            [single] => *single,
            _ => Hash::ZERO, // `chunks(2)` never yields other lengths
        })
        .collect()
}

/// The root over already hashed leaves, without keeping the levels.
pub fn root_of_leaf_hashes(leaf_hashes: &[Hash]) -> Hash {
    match leaf_hashes {
        [] => empty_root(),
        [single] => *single,
        _ => {
            let mut level = next_level(leaf_hashes);
            while level.len() > 1 {
                level = next_level(&level);
            }
            level.first().copied().unwrap_or_else(empty_root)
        }
    }
}

/// A whole Merkle tree, every level kept so that the app can draw it and
/// cut proofs from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` are the leaf hashes, the last level is `[root]`.
    /// Empty for a tree without leaves.
    levels: Vec<Vec<Hash>>,
}

/// Which side of the path a sibling hash sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The sibling is the left child; the running hash is the right one.
    Left,
    /// The sibling is the right child; the running hash is the left one.
    Right,
}

/// One step of an inclusion proof: the sibling hash and its side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofStep {
    /// Where the sibling sits.
    pub side: Side,
    /// The sibling's hash.
    pub hash: Hash,
}

/// Proof that a leaf is at `leaf_index` in a tree of `leaf_count` leaves.
///
/// `siblings` go from the leaf level up. Levels where the path node is an
/// odd node out (carried up) have no sibling and no step. Verification
/// recomputes which sides the siblings *must* be on from `leaf_index` and
/// `leaf_count`, so a proof cannot claim another position than the one it
/// proves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerkleProof {
    /// Position of the leaf, from 0.
    pub leaf_index: u64,
    /// Number of leaves in the tree.
    pub leaf_count: u64,
    /// Sibling hashes from the bottom up.
    pub siblings: Vec<ProofStep>,
}

/// Why an inclusion proof did not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
    /// `leaf_index` is not below `leaf_count`.
    IndexOutOfRange {
        /// The claimed leaf position.
        index: u64,
        /// The claimed number of leaves.
        count: u64,
    },
    /// The proof has the wrong number of siblings for this position.
    WrongLength {
        /// Number of siblings the tree shape requires.
        expected: usize,
        /// Number of siblings in the proof.
        found: usize,
    },
    /// A sibling is on the wrong side for this position.
    WrongSide {
        /// Step number (0 = nearest the leaf).
        step: usize,
        /// Side the tree shape requires.
        expected: Side,
        /// Side in the proof.
        found: Side,
    },
    /// Everything is well formed but the hashes lead to another root: the
    /// leaf (or a sibling) is not what the tree contains.
    RootMismatch {
        /// Root recomputed from the leaf and the proof.
        computed: Hash,
        /// Root the proof was checked against.
        expected: Hash,
    },
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IndexOutOfRange { index, count } => {
                write!(f, "leaf {index} does not exist in a tree of {count} leaves")
            }
            Self::WrongLength { expected, found } => write!(
                f,
                "proof has {found} sibling hashes, this position needs {expected}"
            ),
            Self::WrongSide {
                step,
                expected,
                found,
            } => write!(
                f,
                "sibling {step} is on the {found:?} side, this position needs {expected:?}"
            ),
            Self::RootMismatch { computed, expected } => write!(
                f,
                "proof leads to root {computed}, not to the expected root {expected}"
            ),
        }
    }
}

impl std::error::Error for ProofError {}

/// Sides the siblings must be on for leaf `index` of `count` leaves.
fn expected_sides(index: u64, count: u64) -> Result<Vec<Side>, ProofError> {
    if index >= count {
        return Err(ProofError::IndexOutOfRange { index, count });
    }
    let mut sides = Vec::new();
    let (mut position, mut width) = (index, count);
    while width > 1 {
        if position % 2 == 1 {
            sides.push(Side::Left);
        } else if position + 1 < width {
            sides.push(Side::Right);
        }
        position /= 2;
        width = width / 2 + width % 2;
    }
    Ok(sides)
}

impl MerkleProof {
    /// Recomputes the root from a leaf hash, checking the proof's shape.
    pub fn root_from_leaf_hash(&self, leaf: &Hash) -> Result<Hash, ProofError> {
        let sides = expected_sides(self.leaf_index, self.leaf_count)?;
        if sides.len() != self.siblings.len() {
            return Err(ProofError::WrongLength {
                expected: sides.len(),
                found: self.siblings.len(),
            });
        }
        let mut running = *leaf;
        for (step, (expected, sibling)) in sides.iter().zip(&self.siblings).enumerate() {
            if *expected != sibling.side {
                return Err(ProofError::WrongSide {
                    step,
                    expected: *expected,
                    found: sibling.side,
                });
            }
            running = match sibling.side {
                Side::Left => node_hash(&sibling.hash, &running),
                Side::Right => node_hash(&running, &sibling.hash),
            };
        }
        Ok(running)
    }

    /// Checks that the leaf with hash `leaf` (see [`leaf_hash`]) is in the
    /// tree with root `root` at position `leaf_index`.
    pub fn verify(&self, leaf: &Hash, root: &Hash) -> Result<(), ProofError> {
        let computed = self.root_from_leaf_hash(leaf)?;
        if computed == *root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch {
                computed,
                expected: *root,
            })
        }
    }

    /// [`verify`](Self::verify) for raw leaf bytes (hashed with [`leaf_hash`]).
    pub fn verify_data(&self, data: impl AsRef<[u8]>, root: &Hash) -> Result<(), ProofError> {
        self.verify(&leaf_hash(data), root)
    }
}

/// Positions to highlight when drawing a proof: `(level, index)` pairs in
/// [`MerkleTree::levels`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofPath {
    /// The leaf and each of its ancestors up to the root.
    pub on_path: Vec<(usize, usize)>,
    /// The sibling nodes whose hashes the proof carries.
    pub siblings: Vec<(usize, usize)>,
}

impl MerkleTree {
    /// Builds the tree over raw leaves; each is hashed with [`leaf_hash`].
    pub fn from_leaves<T: AsRef<[u8]>>(leaves: &[T]) -> Self {
        Self::from_leaf_hashes(leaves.iter().map(leaf_hash).collect())
    }

    /// Builds the tree over leaves that are already hashed with [`leaf_hash`].
    pub fn from_leaf_hashes(leaf_hashes: Vec<Hash>) -> Self {
        if leaf_hashes.is_empty() {
            return MerkleTree { levels: Vec::new() };
        }
        let mut levels = vec![leaf_hashes];
        while let Some(top) = levels.last() {
            if top.len() <= 1 {
                break;
            }
            let next = next_level(top);
            levels.push(next);
        }
        MerkleTree { levels }
    }

    /// The root hash ([`empty_root`] for a tree without leaves).
    pub fn root(&self) -> Hash {
        self.levels
            .last()
            .and_then(|top| top.first())
            .copied()
            .unwrap_or_else(empty_root)
    }

    /// Number of leaves.
    pub fn leaf_count(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// Every level from the leaf hashes (index 0) up to `[root]`. A node
    /// carried up unchanged appears again, with the same hash, one level up.
    pub fn levels(&self) -> &[Vec<Hash>] {
        &self.levels
    }

    /// Inclusion proof for leaf `index`, or `None` if there is no such leaf.
    pub fn proof(&self, index: usize) -> Option<MerkleProof> {
        let count = self.leaf_count();
        if index >= count {
            return None;
        }
        let mut siblings = Vec::new();
        let mut position = index;
        for level in self.levels.iter().take(self.levels.len().saturating_sub(1)) {
            let step = if position % 2 == 1 {
                level.get(position - 1).map(|hash| ProofStep {
                    side: Side::Left,
                    hash: *hash,
                })
            } else {
                level.get(position + 1).map(|hash| ProofStep {
                    side: Side::Right,
                    hash: *hash,
                })
            };
            siblings.extend(step);
            position /= 2;
        }
        Some(MerkleProof {
            leaf_index: u64::try_from(index).ok()?,
            leaf_count: u64::try_from(count).ok()?,
            siblings,
        })
    }

    /// The nodes to highlight for leaf `index`'s proof, or `None` if there
    /// is no such leaf.
    pub fn proof_path(&self, index: usize) -> Option<ProofPath> {
        if index >= self.leaf_count() {
            return None;
        }
        let mut path = ProofPath {
            on_path: Vec::new(),
            siblings: Vec::new(),
        };
        let mut position = index;
        for (depth, level) in self.levels.iter().enumerate() {
            path.on_path.push((depth, position));
            let sibling = position ^ 1;
            if depth + 1 < self.levels.len() && sibling < level.len() {
                path.siblings.push((depth, sibling));
            }
            position /= 2;
        }
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn shapes_for_small_trees() {
        assert_eq!(expected_sides(0, 1), Ok(vec![]));
        assert_eq!(expected_sides(2, 3), Ok(vec![Side::Left]));
        assert_eq!(expected_sides(4, 5), Ok(vec![Side::Left]));
        assert_eq!(expected_sides(0, 5), Ok(vec![Side::Right; 3]));
        assert_eq!(
            expected_sides(5, 5),
            Err(ProofError::IndexOutOfRange { index: 5, count: 5 })
        );
        // A huge claimed count costs 64 iterations, never memory.
        assert_eq!(expected_sides(0, u64::MAX).map(|s| s.len()), Ok(64));
    }

    #[test]
    fn root_helpers_agree() {
        for n in 0..20u8 {
            let leaves: Vec<Vec<u8>> = (0..n).map(|i| vec![i]).collect();
            let tree = MerkleTree::from_leaves(&leaves);
            let hashes: Vec<Hash> = leaves.iter().map(leaf_hash).collect();
            assert_eq!(tree.root(), root_of_leaf_hashes(&hashes), "n = {n}");
            assert_eq!(tree.leaf_count(), usize::from(n));
        }
    }

    #[test]
    fn proof_path_marks_ancestors_and_siblings() {
        let tree = MerkleTree::from_leaves(&["a", "b", "c"]);
        let path = tree.proof_path(2).unwrap();
        assert_eq!(path.on_path, vec![(0, 2), (1, 1), (2, 0)]);
        assert_eq!(path.siblings, vec![(1, 0)]);
        assert!(tree.proof_path(3).is_none());
    }
}
