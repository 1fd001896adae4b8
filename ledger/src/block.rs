//! Blocks: the [`BlockHeader`] and its 100-byte encoding, block hashes,
//! proof of work and the bounded, resumable miner ([`mine`]).
//!
//! # Header encoding (version 1)
//!
//! ```text
//! offset size field
//!      0    4 "CCBH"
//!      4    4 version (u32, big-endian)
//!      8    8 height (u64)
//!     16   32 previous block hash (the genesis hash for height 1)
//!     48   32 Merkle root of the transaction ids
//!     80    8 timestamp (u64, seconds)
//!     88    4 difficulty (u32, required leading zero bits)
//!     92    8 nonce (u64)
//! ```
//!
//! The block hash is `SHA-256` of these 100 bytes. The nonce comes last so a
//! miner hashes the first 64 bytes once, keeps SHA-256's internal state after
//! them (the *midstate*), and for each nonce compresses only the final
//! 64-byte block ([`HeaderHasher`]).
//!
//! # Proof of work
//!
//! A header has enough work when its hash starts with at least `difficulty`
//! zero bits. Each extra bit doubles the expected number of tries, so a
//! block is worth `2^difficulty` units of work ([`BlockHeader::work`]).

use core::ops::Range;

use serde::{Deserialize, Serialize};
use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;

use crate::merkle::{leaf_hash, root_of_leaf_hashes, MerkleTree};
use crate::{Hash, Transaction};

/// The four bytes a header encoding starts with.
pub const HEADER_MAGIC: [u8; 4] = *b"CCBH";
/// The header version this crate produces and accepts.
pub const BLOCK_VERSION: u32 = 1;
/// Length of the header encoding in bytes.
pub const HEADER_LEN: usize = 100;
/// The most leading zero bits a block may ask for.
pub const MAX_DIFFICULTY: u32 = 64;

const NONCE_OFFSET: usize = 92;
/// Offset of the nonce inside the second (final) SHA-256 block.
const NONCE_IN_TAIL: usize = NONCE_OFFSET - 64;

/// SHA-256 initial state (FIPS 180-4, 5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The part of a block that is hashed and mined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockHeader {
    /// Header version ([`BLOCK_VERSION`]).
    pub version: u32,
    /// Blocks between this one and the genesis (the first block is 1).
    pub height: u64,
    /// Hash of the parent block (the genesis hash for height 1).
    pub previous: Hash,
    /// Merkle root of the ids of the block's transactions.
    pub merkle_root: Hash,
    /// Seconds (for example since 1970), supplied by whoever builds the block.
    pub timestamp: u64,
    /// Required number of leading zero bits of the block hash.
    pub difficulty: u32,
    /// The number the miner varies until the hash has enough zero bits.
    pub nonce: u64,
}

impl BlockHeader {
    /// The 100-byte encoding (see the [module docs](self)).
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        put(&mut out, 0, &HEADER_MAGIC);
        put(&mut out, 4, &self.version.to_be_bytes());
        put(&mut out, 8, &self.height.to_be_bytes());
        put(&mut out, 16, self.previous.as_bytes());
        put(&mut out, 48, self.merkle_root.as_bytes());
        put(&mut out, 80, &self.timestamp.to_be_bytes());
        put(&mut out, 88, &self.difficulty.to_be_bytes());
        put(&mut out, NONCE_OFFSET, &self.nonce.to_be_bytes());
        out
    }

    /// The block hash: SHA-256 of [`encode`](Self::encode).
    pub fn hash(&self) -> Hash {
        Hash::digest(self.encode())
    }

    /// Does the hash have at least `difficulty` leading zero bits?
    pub fn meets_difficulty(&self) -> bool {
        self.hash().leading_zero_bits() >= self.difficulty
    }

    /// Work this block stands for: `2^difficulty` (saturating for
    /// difficulties above 127, which no valid block has).
    pub fn work(&self) -> u128 {
        work_for(self.difficulty)
    }
}

/// Copies `bytes` into `out` at `offset` (all offsets are constants that fit).
fn put(out: &mut [u8; HEADER_LEN], offset: usize, bytes: &[u8]) {
    if let Some(slot) = out.get_mut(offset..offset + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

/// `2^difficulty`, saturating.
pub fn work_for(difficulty: u32) -> u128 {
    1u128.checked_shl(difficulty).unwrap_or(u128::MAX)
}

/// A header plus its transactions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// The mined header.
    pub header: BlockHeader,
    /// The transactions; a coinbase, if any, comes first.
    pub transactions: Vec<Transaction>,
}

impl Block {
    /// The block hash (the hash of its header).
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }

    /// The Merkle root the header should carry for these transactions.
    pub fn compute_merkle_root(&self) -> Hash {
        merkle_root(&self.transactions)
    }

    /// The Merkle tree of the transaction ids, for drawing and proofs.
    pub fn merkle_tree(&self) -> MerkleTree {
        MerkleTree::from_leaves(
            &self
                .transactions
                .iter()
                .map(Transaction::id)
                .collect::<Vec<_>>(),
        )
    }

    /// The same block with another nonce (after [`mine`] found one).
    pub fn with_nonce(mut self, nonce: u64) -> Self {
        self.header.nonce = nonce;
        self
    }
}

/// Merkle root over the transaction ids (each id is a leaf, hashed with
/// [`leaf_hash`]).
pub fn merkle_root(transactions: &[Transaction]) -> Hash {
    let leaves: Vec<Hash> = transactions
        .iter()
        .map(|tx| leaf_hash(tx.id().as_bytes()))
        .collect();
    root_of_leaf_hashes(&leaves)
}

type ShaBlock = GenericArray<u8, U64>;

/// Hashes one header under many nonces quickly: the first 64 bytes are
/// compressed once (the midstate) and each nonce costs one SHA-256
/// compression instead of two.
///
/// ```
/// use ledger::{BlockHeader, Hash, HeaderHasher};
///
/// let header = BlockHeader {
///     version: 1, height: 1, previous: Hash::ZERO, merkle_root: Hash::ZERO,
///     timestamp: 0, difficulty: 0, nonce: 0,
/// };
/// let hasher = HeaderHasher::new(&header);
/// let changed = BlockHeader { nonce: 42, ..header };
/// assert_eq!(hasher.hash_with_nonce(42), changed.hash());
/// ```
#[derive(Clone, Debug)]
pub struct HeaderHasher {
    midstate: [u32; 8],
    tail: ShaBlock,
}

impl HeaderHasher {
    /// Prepares the midstate for `header` (its nonce is ignored).
    pub fn new(header: &BlockHeader) -> Self {
        let encoded = header.encode();
        let mut first = ShaBlock::default();
        let mut tail = ShaBlock::default();
        for (slot, byte) in first.iter_mut().zip(encoded.iter()) {
            *slot = *byte;
        }
        for (slot, byte) in tail.iter_mut().zip(encoded.iter().skip(64)) {
            *slot = *byte;
        }
        // SHA-256 padding: a 1 bit, zeros, then the message length in bits.
        let pad_at = HEADER_LEN - 64;
        if let Some(slot) = tail.get_mut(pad_at) {
            *slot = 0x80;
        }
        let bit_len = (HEADER_LEN as u64) * 8;
        for (slot, byte) in tail.iter_mut().skip(56).zip(bit_len.to_be_bytes()) {
            *slot = byte;
        }
        let mut midstate = SHA256_IV;
        sha2::compress256(&mut midstate, core::slice::from_ref(&first));
        HeaderHasher { midstate, tail }
    }

    fn state_for(&self, block: &mut ShaBlock, nonce: u64) -> [u32; 8] {
        for (slot, byte) in block
            .iter_mut()
            .skip(NONCE_IN_TAIL)
            .zip(nonce.to_be_bytes())
        {
            *slot = byte;
        }
        let mut state = self.midstate;
        sha2::compress256(&mut state, core::slice::from_ref(block));
        state
    }

    /// The block hash the header would have with `nonce`.
    pub fn hash_with_nonce(&self, nonce: u64) -> Hash {
        let mut block = self.tail;
        state_to_hash(self.state_for(&mut block, nonce))
    }
}

fn state_to_hash(state: [u32; 8]) -> Hash {
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    Hash::from_bytes(bytes)
}

fn state_leading_zeros(state: &[u32; 8]) -> u32 {
    let mut bits = 0;
    for word in state {
        if *word != 0 {
            return bits + word.leading_zeros();
        }
        bits += 32;
    }
    bits
}

/// Result of one bounded mining attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MineOutcome {
    /// A nonce that gives the header enough work.
    Found {
        /// The winning nonce.
        nonce: u64,
        /// The block hash with that nonce.
        hash: Hash,
        /// Nonces tried in this call, including the winning one.
        tried: u64,
    },
    /// No nonce in the range worked; continue with the next range.
    NotFound {
        /// Nonces tried (the length of the range).
        tried: u64,
    },
}

impl MineOutcome {
    /// Nonces tried in this call (for a hash-rate display).
    pub fn tried(&self) -> u64 {
        match self {
            MineOutcome::Found { tried, .. } | MineOutcome::NotFound { tried } => *tried,
        }
    }
}

/// Tries the nonces in `nonces`, in order, and returns the first one whose
/// block hash has at least `header.difficulty` leading zero bits.
///
/// Bounded and resumable: the app mines in chunks (`0..50_000`, then
/// `50_000..100_000`, ...) between animation frames or in a web worker, and
/// shows progress from [`MineOutcome::tried`].
///
/// ```
/// use ledger::{mine, BlockHeader, Hash, MineOutcome};
///
/// let header = BlockHeader {
///     version: 1, height: 1, previous: Hash::ZERO, merkle_root: Hash::ZERO,
///     timestamp: 0, difficulty: 8, nonce: 0,
/// };
/// let mut start = 0;
/// let nonce = loop {
///     match mine(&header, start..start + 100) {
///         MineOutcome::Found { nonce, .. } => break nonce,
///         MineOutcome::NotFound { .. } => start += 100,
///     }
/// };
/// let mined = BlockHeader { nonce, ..header };
/// assert!(mined.hash().leading_zero_bits() >= 8);
/// ```
pub fn mine(header: &BlockHeader, nonces: Range<u64>) -> MineOutcome {
    let hasher = HeaderHasher::new(header);
    let mut block = hasher.tail;
    let mut tried = 0u64;
    for nonce in nonces {
        tried += 1;
        let state = hasher.state_for(&mut block, nonce);
        if state_leading_zeros(&state) >= header.difficulty {
            return MineOutcome::Found {
                nonce,
                hash: state_to_hash(state),
                tried,
            };
        }
    }
    MineOutcome::NotFound { tried }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn sample() -> BlockHeader {
        BlockHeader {
            version: BLOCK_VERSION,
            height: 0x0102,
            previous: Hash::digest(b"parent"),
            merkle_root: Hash::digest(b"txs"),
            timestamp: 1_700_000_000,
            difficulty: 12,
            nonce: 0xdead_beef,
        }
    }

    #[test]
    fn encoding_matches_the_documented_layout() {
        let h = sample();
        let bytes = h.encode();
        assert_eq!(&bytes[0..4], b"CCBH");
        assert_eq!(&bytes[4..8], &[0, 0, 0, 1]);
        assert_eq!(&bytes[8..16], &0x0102u64.to_be_bytes());
        assert_eq!(&bytes[16..48], h.previous.as_bytes());
        assert_eq!(&bytes[48..80], h.merkle_root.as_bytes());
        assert_eq!(&bytes[80..88], &1_700_000_000u64.to_be_bytes());
        assert_eq!(&bytes[88..92], &12u32.to_be_bytes());
        assert_eq!(&bytes[92..100], &0xdead_beefu64.to_be_bytes());
        assert_eq!(h.hash(), Hash::digest(bytes));
    }

    #[test]
    fn midstate_hash_equals_plain_sha256_for_many_nonces() {
        let h = sample();
        let hasher = HeaderHasher::new(&h);
        for nonce in [0, 1, 255, 256, 0xdead_beef, u64::MAX - 1, u64::MAX] {
            assert_eq!(
                hasher.hash_with_nonce(nonce),
                BlockHeader { nonce, ..h }.hash()
            );
        }
    }

    #[test]
    fn mining_is_resumable_and_finds_the_first_nonce() {
        let h = sample();
        let full = mine(&h, 0..1_000_000);
        let MineOutcome::Found { nonce, hash, tried } = full else {
            panic!("difficulty 12 is found well within a million tries")
        };
        assert_eq!(tried, nonce + 1);
        assert_eq!(hash, BlockHeader { nonce, ..h }.hash());
        assert!(hash.leading_zero_bits() >= 12);
        // Every earlier nonce fails.
        assert_eq!(mine(&h, 0..nonce), MineOutcome::NotFound { tried: nonce });
        // Resuming just before the answer finds the same nonce.
        assert_eq!(
            mine(&h, nonce..nonce + 10),
            MineOutcome::Found {
                nonce,
                hash,
                tried: 1
            }
        );
        assert_eq!(mine(&h, 5..5), MineOutcome::NotFound { tried: 0 });
    }

    #[test]
    fn work_doubles_per_bit_and_saturates() {
        assert_eq!(work_for(0), 1);
        assert_eq!(work_for(10), 1024);
        assert_eq!(work_for(64), 1u128 << 64);
        assert_eq!(work_for(200), u128::MAX);
    }
}
