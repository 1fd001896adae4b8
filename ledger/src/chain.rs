//! The main chain: the [`Genesis`] a teacher sets up, block validation with
//! precise [`BlockError`]s, the append-only [`Chain`] with its replayed
//! [`State`], and whole-chain [`ValidationReport`]s for the "everything
//! downstream turns red" lesson.
//!
//! # Rules a block must follow
//!
//! Checked in this order; the first broken rule is reported.
//!
//! 1. `version` is [`BLOCK_VERSION`].
//! 2. `height` is the parent's height plus one (the genesis is height 0).
//! 3. `previous` is the parent's hash ([`Genesis::hash`] for height 1).
//! 4. `merkle_root` is the Merkle root of the transaction ids.
//! 5. `difficulty` is at least the genesis difficulty and at most
//!    [`MAX_DIFFICULTY`], and the block hash has that many leading zero bits.
//! 6. **Timestamps:** strictly later than the parent's timestamp (the
//!    genesis timestamp for height 1). When a `now` is supplied
//!    ([`Chain::append_at`]), also at most [`MAX_FUTURE_DRIFT`] seconds after
//!    `now`. Whole-chain validation and import have no `now` and skip that
//!    second check.
//! 7. At most [`MAX_BLOCK_TRANSACTIONS`] transactions, no transaction twice.
//! 8. At most one coinbase, as the first transaction, with the block's height.
//! 9. Every other transaction has a valid signature and follows the state
//!    rules ([`TxError`]), applied in order.
//! 10. The coinbase claims at most the genesis reward plus the block's fees.
//!     It is credited after the block's other transactions, so those coins
//!     can be spent from the next block on.

use std::collections::{BTreeMap, HashMap, HashSet};

use core::fmt;

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::block::{merkle_root, BLOCK_VERSION, MAX_DIFFICULTY};
use crate::keys::{Address, PublicKey};
use crate::merkle::MerkleProof;
use crate::state::{check_signature, State, TxError};
use crate::tx::{Label, Transaction};
use crate::{Amount, Block, BlockHeader, Hash};

/// How far (in seconds) a block's timestamp may be ahead of the `now`
/// passed to [`Chain::append_at`]: two hours.
pub const MAX_FUTURE_DRIFT: u64 = 2 * 60 * 60;
/// Most transactions in one block (coinbase included).
pub const MAX_BLOCK_TRANSACTIONS: usize = 4096;
/// Most accounts a genesis may give coins to.
pub const MAX_ALLOCATIONS: usize = 10_000;
/// Version of the genesis encoding hashed by [`Genesis::hash`].
pub const GENESIS_VERSION: u8 = 1;

/// Starting coins for one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// Who gets the coins.
    pub address: Address,
    /// How many.
    pub amount: Amount,
}

/// Everything a class chain starts from: chosen by the teacher, never mined.
///
/// ```
/// use ledger::{Account, Allocation, Amount, Chain, Genesis, Label};
///
/// let teacher = Account::from_seed(&[9; 32]);
/// let genesis = Genesis {
///     name: Label::new("4C Web3").unwrap(),
///     timestamp: 1_700_000_000,
///     difficulty: 8,
///     reward: Amount::new(50),
///     allocations: vec![Allocation { address: teacher.address(), amount: Amount::new(1000) }],
/// };
/// let chain = Chain::new(genesis).unwrap();
/// assert_eq!(chain.state().balance(&teacher.address()), Amount::new(1000));
/// assert_eq!(chain.height(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The chain's name, for example the class.
    pub name: Label,
    /// Start time in seconds; block 1 must be later.
    pub timestamp: u64,
    /// Minimum leading zero bits of every block hash.
    pub difficulty: u32,
    /// Most new coins a block's coinbase may create (fees come on top).
    pub reward: Amount,
    /// Starting coins. An address may appear only once.
    pub allocations: Vec<Allocation>,
}

/// Why a genesis cannot start a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenesisError {
    /// The same address is allocated coins twice.
    DuplicateAllocation {
        /// The address.
        address: Address,
    },
    /// The allocations add up to more than [`Amount::MAX`].
    SupplyOverflow,
    /// More than [`MAX_ALLOCATIONS`] allocations.
    TooManyAllocations {
        /// Number of allocations.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The difficulty is above [`MAX_DIFFICULTY`].
    DifficultyTooHigh {
        /// The limit.
        maximum: u32,
        /// The genesis difficulty.
        found: u32,
    },
}

impl fmt::Display for GenesisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateAllocation { address } => {
                write!(f, "address {address} is given starting coins twice")
            }
            Self::SupplyOverflow => f.write_str("the starting coins add up to too many"),
            Self::TooManyAllocations { count, max } => {
                write!(f, "{count} starting allocations, the limit is {max}")
            }
            Self::DifficultyTooHigh { maximum, found } => {
                write!(f, "difficulty {found} is above the maximum {maximum}")
            }
        }
    }
}

impl std::error::Error for GenesisError {}

impl Genesis {
    /// The versioned binary encoding that [`hash`](Self::hash) covers:
    ///
    /// ```text
    /// "CCGN" | version = 1 (u8) | timestamp u64 | difficulty u32 | reward u64
    ///        | name length u8 | name UTF-8 | allocation count u32
    ///        | (address (20) | amount u64) for each allocation, in order
    /// ```
    pub fn encode(&self) -> Vec<u8> {
        let name = self.name.as_str().as_bytes();
        let mut out = Vec::with_capacity(34 + name.len() + 28 * self.allocations.len());
        out.extend_from_slice(b"CCGN");
        out.push(GENESIS_VERSION);
        out.extend_from_slice(&self.timestamp.to_be_bytes());
        out.extend_from_slice(&self.difficulty.to_be_bytes());
        out.extend_from_slice(&self.reward.coins().to_be_bytes());
        // A `Label` has at most 64 bytes.
        out.push(u8::try_from(name.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(name);
        let count = u32::try_from(self.allocations.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&count.to_be_bytes());
        for allocation in &self.allocations {
            out.extend_from_slice(allocation.address.as_bytes());
            out.extend_from_slice(&allocation.amount.coins().to_be_bytes());
        }
        out
    }

    /// The genesis hash: `SHA-256(encode())`. Block 1 points to it, so
    /// changing any starting balance breaks the whole chain.
    pub fn hash(&self) -> Hash {
        Hash::digest(self.encode())
    }

    /// Checks the genesis and computes the starting state.
    pub fn initial_state(&self) -> Result<State, GenesisError> {
        if self.difficulty > MAX_DIFFICULTY {
            return Err(GenesisError::DifficultyTooHigh {
                maximum: MAX_DIFFICULTY,
                found: self.difficulty,
            });
        }
        if self.allocations.len() > MAX_ALLOCATIONS {
            return Err(GenesisError::TooManyAllocations {
                count: self.allocations.len(),
                max: MAX_ALLOCATIONS,
            });
        }
        Amount::checked_sum(self.allocations.iter().map(|a| a.amount))
            .ok_or(GenesisError::SupplyOverflow)?;
        let mut state = State::new();
        let mut seen = BTreeMap::new();
        for allocation in &self.allocations {
            if seen.insert(allocation.address, ()).is_some() {
                return Err(GenesisError::DuplicateAllocation {
                    address: allocation.address,
                });
            }
            state
                .credit(allocation.address, allocation.amount)
                .map_err(|_| GenesisError::SupplyOverflow)?;
        }
        Ok(state)
    }
}

/// Why a block was refused. Every variant carries the values involved so
/// the app can explain the problem in its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockError {
    /// Header version other than [`BLOCK_VERSION`].
    UnsupportedVersion {
        /// The header's version.
        found: u32,
    },
    /// Height is not the parent's height plus one.
    WrongHeight {
        /// Parent height plus one.
        expected: u64,
        /// The header's height.
        found: u64,
    },
    /// `previous` is not the parent's hash: the link is broken.
    WrongPreviousHash {
        /// The parent's real hash.
        expected: Hash,
        /// The hash in the header.
        found: Hash,
    },
    /// The transactions do not match the header's Merkle root (a
    /// transaction was changed, added, removed or reordered).
    WrongMerkleRoot {
        /// The root of the transactions actually in the block.
        computed: Hash,
        /// The root in the header.
        found: Hash,
    },
    /// Difficulty below the chain's minimum.
    DifficultyTooLow {
        /// The genesis difficulty.
        minimum: u32,
        /// The header's difficulty.
        found: u32,
    },
    /// Difficulty above [`MAX_DIFFICULTY`].
    DifficultyTooHigh {
        /// The limit.
        maximum: u32,
        /// The header's difficulty.
        found: u32,
    },
    /// The block hash does not have enough leading zero bits.
    NotEnoughWork {
        /// Zero bits required (the header's difficulty).
        required: u32,
        /// Zero bits the hash has.
        found: u32,
        /// The block hash.
        hash: Hash,
    },
    /// Timestamp not later than the parent's.
    TimestampNotAfterParent {
        /// The parent's timestamp.
        parent: u64,
        /// The header's timestamp.
        found: u64,
    },
    /// Timestamp more than [`MAX_FUTURE_DRIFT`] seconds after `now`.
    TimestampTooFarAhead {
        /// The header's timestamp.
        found: u64,
        /// The `now` supplied by the caller.
        now: u64,
        /// The allowed drift.
        max_drift: u64,
    },
    /// More than [`MAX_BLOCK_TRANSACTIONS`] transactions.
    TooManyTransactions {
        /// Number in the block.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The same transaction appears twice in the block.
    DuplicateTransaction {
        /// The transaction id.
        id: Hash,
        /// Index of the first copy.
        first: usize,
        /// Index of the second copy.
        second: usize,
    },
    /// A coinbase that is not the first transaction (or a second coinbase).
    CoinbaseNotFirst {
        /// Its index in the block.
        index: usize,
    },
    /// The coinbase names another height than its block's.
    CoinbaseWrongHeight {
        /// The block's height.
        expected: u64,
        /// The height in the coinbase.
        found: u64,
    },
    /// The coinbase creates more than the reward plus the fees.
    CoinbaseTooLarge {
        /// Coins the coinbase pays.
        claimed: Amount,
        /// Reward plus fees.
        allowed: Amount,
    },
    /// The coinbase would push its recipient past [`Amount::MAX`], or the
    /// reward plus fees cannot be represented.
    CoinbaseOverflow,
    /// A transaction breaks a rule.
    InvalidTransaction {
        /// Its index in the block (the coinbase, if any, is 0).
        index: usize,
        /// Its id.
        id: Hash,
        /// What is wrong with it.
        error: TxError,
    },
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedVersion { found } => write!(f, "unsupported block version {found}"),
            Self::WrongHeight { expected, found } => {
                write!(f, "block height is {found}, expected {expected}")
            }
            Self::WrongPreviousHash { expected, found } => write!(
                f,
                "previous hash {found} does not match the parent block {expected}"
            ),
            Self::WrongMerkleRoot { computed, found } => write!(
                f,
                "transactions give Merkle root {computed} but the header says {found}"
            ),
            Self::DifficultyTooLow { minimum, found } => {
                write!(f, "difficulty {found} is below the chain minimum {minimum}")
            }
            Self::DifficultyTooHigh { maximum, found } => {
                write!(f, "difficulty {found} is above the maximum {maximum}")
            }
            Self::NotEnoughWork {
                required,
                found,
                hash,
            } => write!(
                f,
                "block hash {hash} has {found} leading zero bits, {required} required"
            ),
            Self::TimestampNotAfterParent { parent, found } => write!(
                f,
                "timestamp {found} is not after the parent's timestamp {parent}"
            ),
            Self::TimestampTooFarAhead {
                found,
                now,
                max_drift,
            } => write!(
                f,
                "timestamp {found} is more than {max_drift} seconds after now ({now})"
            ),
            Self::TooManyTransactions { count, max } => {
                write!(f, "{count} transactions, the limit is {max}")
            }
            Self::DuplicateTransaction { id, first, second } => write!(
                f,
                "transaction {id} appears twice (positions {first} and {second})"
            ),
            Self::CoinbaseNotFirst { index } => write!(
                f,
                "coinbase at position {index}: only the first transaction may be a coinbase"
            ),
            Self::CoinbaseWrongHeight { expected, found } => {
                write!(
                    f,
                    "coinbase is for height {found}, the block is at {expected}"
                )
            }
            Self::CoinbaseTooLarge { claimed, allowed } => write!(
                f,
                "coinbase pays {claimed} coins, at most {allowed} (reward plus fees) allowed"
            ),
            Self::CoinbaseOverflow => f.write_str("coinbase amount is too large to add"),
            Self::InvalidTransaction { index, id, error } => {
                write!(f, "transaction {index} ({id}) is invalid: {error}")
            }
        }
    }
}

impl std::error::Error for BlockError {}

/// What a block is checked against: its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parent {
    pub(crate) hash: Hash,
    pub(crate) height: u64,
    pub(crate) timestamp: u64,
}

/// The chain-wide parameters from the genesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Params {
    pub(crate) min_difficulty: u32,
    pub(crate) reward: Amount,
}

impl Params {
    pub(crate) fn of(genesis: &Genesis) -> Self {
        Params {
            min_difficulty: genesis.difficulty,
            reward: genesis.reward,
        }
    }
}

/// Decoded public keys, reused across one validation run.
pub(crate) type KeyCache = BTreeMap<PublicKey, VerifyingKey>;

/// Most transaction ids a [`SignatureCache`] remembers.
pub const SIGNATURE_CACHE_CAPACITY: usize = 1 << 20;

/// Ids of signed transactions whose signature already passed
/// `verify_strict`, so that validating the same blocks again skips the
/// expensive part.
///
/// This is sound because a transaction id is the SHA-256 of the signing
/// bytes (which include the public key) *and* the signature: an id can only
/// be in the cache if exactly this key, message and signature verified
/// before. Any edit to a transaction changes its id, so edited transactions
/// are always verified again. The cache stops growing at
/// [`SIGNATURE_CACHE_CAPACITY`] ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignatureCache {
    ids: HashSet<Hash>,
}

impl SignatureCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of remembered ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Did the transaction with this id pass signature verification?
    pub fn contains(&self, id: &Hash) -> bool {
        self.ids.contains(id)
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.ids.clear();
    }

    pub(crate) fn remember(&mut self, id: Hash) {
        if self.ids.len() < SIGNATURE_CACHE_CAPACITY {
            self.ids.insert(id);
        }
    }
}

/// In wasm (one thread) nothing is checked ahead of the in-order pass.
#[cfg(target_arch = "wasm32")]
pub(crate) struct Ahead<'b>(core::marker::PhantomData<&'b ()>);

#[cfg(target_arch = "wasm32")]
impl Ahead<'_> {
    fn passed(&self, _block: usize, _index: usize) -> bool {
        false
    }
}

#[cfg(not(target_arch = "wasm32"))]
use crate::ahead::Ahead;

/// How a validation run may use a [`SignatureCache`].
pub(crate) enum CacheUse<'a> {
    /// Verify every signature.
    Off,
    /// Skip signatures in the cache; remember nothing new.
    Read(&'a SignatureCache),
    /// Skip signatures in the cache and remember newly verified ones.
    Write(&'a mut SignatureCache),
}

/// Signature checking for one validation run.
pub(crate) struct Verifier<'a> {
    pub(crate) keys: &'a mut KeyCache,
    pub(crate) cache: CacheUse<'a>,
    /// Signatures checked ahead, and the position in their slice of the
    /// block being checked.
    pub(crate) ahead: Option<(&'a Ahead<'a>, usize)>,
}

impl Verifier<'_> {
    /// Checks transaction `index` of the current block, whose id is `id`.
    fn check(&mut self, tx: &Transaction, id: &Hash, index: usize) -> Result<(), TxError> {
        let cached = match &self.cache {
            CacheUse::Off => false,
            CacheUse::Read(cache) => cache.contains(id),
            CacheUse::Write(cache) => cache.contains(id),
        };
        if cached {
            return Ok(());
        }
        let checked_ahead = self
            .ahead
            .is_some_and(|(ahead, block)| ahead.passed(block, index));
        if !checked_ahead {
            check_signature(tx, Some(self.keys))?;
        }
        if let CacheUse::Write(cache) = &mut self.cache {
            if tx.signature().is_some() {
                cache.remember(*id);
            }
        }
        Ok(())
    }
}

/// Header rules 1-6 (see the [module docs](self)).
pub(crate) fn check_header(
    params: &Params,
    parent: &Parent,
    header: &BlockHeader,
    computed_root: Hash,
    now: Option<u64>,
) -> Result<(), BlockError> {
    if header.version != BLOCK_VERSION {
        return Err(BlockError::UnsupportedVersion {
            found: header.version,
        });
    }
    let expected_height = parent.height.saturating_add(1);
    if header.height != expected_height {
        return Err(BlockError::WrongHeight {
            expected: expected_height,
            found: header.height,
        });
    }
    if header.previous != parent.hash {
        return Err(BlockError::WrongPreviousHash {
            expected: parent.hash,
            found: header.previous,
        });
    }
    if header.merkle_root != computed_root {
        return Err(BlockError::WrongMerkleRoot {
            computed: computed_root,
            found: header.merkle_root,
        });
    }
    check_work(params, header)?;
    if header.timestamp <= parent.timestamp {
        return Err(BlockError::TimestampNotAfterParent {
            parent: parent.timestamp,
            found: header.timestamp,
        });
    }
    if let Some(now) = now {
        if header.timestamp > now.saturating_add(MAX_FUTURE_DRIFT) {
            return Err(BlockError::TimestampTooFarAhead {
                found: header.timestamp,
                now,
                max_drift: MAX_FUTURE_DRIFT,
            });
        }
    }
    Ok(())
}

/// Difficulty bounds and proof of work (rule 5).
pub(crate) fn check_work(params: &Params, header: &BlockHeader) -> Result<(), BlockError> {
    if header.difficulty < params.min_difficulty {
        return Err(BlockError::DifficultyTooLow {
            minimum: params.min_difficulty,
            found: header.difficulty,
        });
    }
    if header.difficulty > MAX_DIFFICULTY {
        return Err(BlockError::DifficultyTooHigh {
            maximum: MAX_DIFFICULTY,
            found: header.difficulty,
        });
    }
    let hash = header.hash();
    let found = hash.leading_zero_bits();
    if found < header.difficulty {
        return Err(BlockError::NotEnoughWork {
            required: header.difficulty,
            found,
            hash,
        });
    }
    Ok(())
}

/// Rules 7-8 and the signatures of rule 9: everything about the
/// transactions that does not need the state. `ids` are the transaction ids.
fn check_transactions_alone(
    block: &Block,
    ids: &[Hash],
    verifier: &mut Verifier<'_>,
) -> Result<(), BlockError> {
    let mut seen: HashMap<Hash, usize> = HashMap::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        if let Some(first) = seen.insert(*id, index) {
            return Err(BlockError::DuplicateTransaction {
                id: *id,
                first,
                second: index,
            });
        }
    }
    for (index, (tx, id)) in block.transactions.iter().zip(ids).enumerate() {
        match tx {
            Transaction::Coinbase(coinbase) => {
                if index != 0 {
                    return Err(BlockError::CoinbaseNotFirst { index });
                }
                if coinbase.height != block.header.height {
                    return Err(BlockError::CoinbaseWrongHeight {
                        expected: block.header.height,
                        found: coinbase.height,
                    });
                }
            }
            _ => verifier
                .check(tx, id, index)
                .map_err(|error| BlockError::InvalidTransaction {
                    index,
                    id: *id,
                    error,
                })?,
        }
    }
    Ok(())
}

/// Merkle root over already computed transaction ids.
fn root_of_ids(ids: &[Hash]) -> Hash {
    let leaves: Vec<Hash> = ids
        .iter()
        .map(|id| crate::merkle::leaf_hash(id.as_bytes()))
        .collect();
    crate::merkle::root_of_leaf_hashes(&leaves)
}

/// Every rule that does not need the state, in the documented order.
pub(crate) fn check_stateless(
    params: &Params,
    parent: &Parent,
    block: &Block,
    now: Option<u64>,
    verifier: &mut Verifier<'_>,
) -> Result<(), BlockError> {
    let count = block.transactions.len();
    if count > MAX_BLOCK_TRANSACTIONS {
        return Err(BlockError::TooManyTransactions {
            count,
            max: MAX_BLOCK_TRANSACTIONS,
        });
    }
    let ids: Vec<Hash> = block.transactions.iter().map(Transaction::id).collect();
    check_header(params, parent, &block.header, root_of_ids(&ids), now)?;
    check_transactions_alone(block, &ids, verifier)
}

/// Rules 9-10 against the parent's state; returns the state after the block.
pub(crate) fn apply_block(
    params: &Params,
    state: &State,
    block: &Block,
) -> Result<State, BlockError> {
    let mut next = state.clone();
    let mut fees = Amount::ZERO;
    let mut coinbase = None;
    for (index, tx) in block.transactions.iter().enumerate() {
        match tx {
            Transaction::Coinbase(cb) => coinbase = Some(cb),
            _ => {
                next.apply_unsigned_checks(tx, block.header.height)
                    .map_err(|error| BlockError::InvalidTransaction {
                        index,
                        id: tx.id(),
                        error,
                    })?;
                fees = fees
                    .checked_add(tx.fee())
                    .ok_or(BlockError::CoinbaseOverflow)?;
            }
        }
    }
    if let Some(cb) = coinbase {
        let allowed = params
            .reward
            .checked_add(fees)
            .ok_or(BlockError::CoinbaseOverflow)?;
        if cb.amount > allowed {
            return Err(BlockError::CoinbaseTooLarge {
                claimed: cb.amount,
                allowed,
            });
        }
        next.credit(cb.to, cb.amount)
            .map_err(|_| BlockError::CoinbaseOverflow)?;
    }
    Ok(next)
}

/// Full validation of `block` on top of `parent` with state `state`.
pub(crate) fn validate_block(
    params: &Params,
    parent: &Parent,
    state: &State,
    block: &Block,
    now: Option<u64>,
    verifier: &mut Verifier<'_>,
) -> Result<State, BlockError> {
    check_stateless(params, parent, block, now, verifier)?;
    apply_block(params, state, block)
}

/// Where a transaction sits in the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxLocation {
    /// Height of the block.
    pub height: u64,
    /// Index inside the block.
    pub index: usize,
}

/// A valid chain: the genesis plus blocks that each passed every rule, and
/// the state they lead to.
///
/// The blocks cannot be changed once appended; to show what tampering does,
/// copy [`blocks`](Self::blocks), change the copy and pass it to
/// [`validate_blocks`].
#[derive(Clone, Debug)]
pub struct Chain {
    genesis: Genesis,
    genesis_hash: Hash,
    params: Params,
    blocks: Vec<Block>,
    hashes: Vec<Hash>,
    state: State,
    total_work: u128,
    signatures: SignatureCache,
}

impl PartialEq for Chain {
    fn eq(&self, other: &Self) -> bool {
        self.genesis == other.genesis && self.blocks == other.blocks
    }
}

impl Eq for Chain {}

impl Chain {
    /// A chain with only its genesis.
    pub fn new(genesis: Genesis) -> Result<Self, GenesisError> {
        let state = genesis.initial_state()?;
        Ok(Chain {
            genesis_hash: genesis.hash(),
            params: Params::of(&genesis),
            genesis,
            blocks: Vec::new(),
            hashes: Vec::new(),
            state,
            total_work: 0,
            signatures: SignatureCache::new(),
        })
    }

    /// Builds a chain by appending `blocks` in order; stops at the first
    /// invalid block and says which one.
    pub fn from_blocks(genesis: Genesis, blocks: Vec<Block>) -> Result<Self, ChainError> {
        let mut chain = Chain::new(genesis).map_err(ChainError::Genesis)?;
        // Signatures checked on every core first (natively); see `ahead`.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(ahead) = Ahead::new(&blocks) {
            chain.signatures = ahead.into_cache(&blocks);
        }
        let mut keys = KeyCache::new();
        for (index, block) in blocks.into_iter().enumerate() {
            chain
                .append_inner(block, None, &mut keys)
                .map_err(|error| ChainError::Block {
                    height: u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1),
                    error,
                })?;
        }
        Ok(chain)
    }

    /// The genesis.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// The genesis hash (what block 1 points to).
    pub fn genesis_hash(&self) -> Hash {
        self.genesis_hash
    }

    /// The blocks after the genesis; `blocks()[0]` has height 1.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The block at `height` (1 and up).
    pub fn block(&self, height: u64) -> Option<&Block> {
        let index = usize::try_from(height.checked_sub(1)?).ok()?;
        self.blocks.get(index)
    }

    /// Height of the last block (0 when there is only the genesis).
    pub fn height(&self) -> u64 {
        u64::try_from(self.blocks.len()).unwrap_or(u64::MAX)
    }

    /// Hash of the last block (the genesis hash if there is none).
    pub fn tip_hash(&self) -> Hash {
        self.hashes.last().copied().unwrap_or(self.genesis_hash)
    }

    /// Timestamp of the last block (the genesis timestamp if there is none).
    pub fn tip_timestamp(&self) -> u64 {
        self.blocks
            .last()
            .map_or(self.genesis.timestamp, |b| b.header.timestamp)
    }

    /// Balances, nonces and anchors after the last block.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Sum of the work of every block (`2^difficulty` each).
    pub fn total_work(&self) -> u128 {
        self.total_work
    }

    fn parent(&self) -> Parent {
        Parent {
            hash: self.tip_hash(),
            height: self.height(),
            timestamp: self.tip_timestamp(),
        }
    }

    fn append_inner(
        &mut self,
        block: Block,
        now: Option<u64>,
        keys: &mut KeyCache,
    ) -> Result<(), BlockError> {
        let parent = self.parent();
        let mut verifier = Verifier {
            keys,
            cache: CacheUse::Write(&mut self.signatures),
            ahead: None,
        };
        let state = validate_block(
            &self.params,
            &parent,
            &self.state,
            &block,
            now,
            &mut verifier,
        )?;
        self.state = state;
        self.total_work = self.total_work.saturating_add(block.header.work());
        self.hashes.push(block.hash());
        self.blocks.push(block);
        Ok(())
    }

    /// Validates `block` against every rule (except the future-timestamp
    /// check, which needs a clock) and appends it.
    pub fn append(&mut self, block: Block) -> Result<(), BlockError> {
        self.append_inner(block, None, &mut KeyCache::new())
    }

    /// [`append`](Self::append), also refusing a timestamp more than
    /// [`MAX_FUTURE_DRIFT`] seconds after `now`.
    pub fn append_at(&mut self, block: Block, now: u64) -> Result<(), BlockError> {
        self.append_inner(block, Some(now), &mut KeyCache::new())
    }

    /// An unmined candidate block on the tip: a coinbase paying the reward
    /// plus all fees to `miner`, then `transactions`. Fails if a transaction
    /// is invalid (the error's index counts the coinbase as 0). Mine it with
    /// [`mine`](crate::mine) and set the nonce with [`Block::with_nonce`].
    ///
    /// `timestamp` must be later than [`tip_timestamp`](Self::tip_timestamp);
    /// when a class mines several blocks within one second, pass
    /// `now.max(chain.tip_timestamp() + 1)`.
    pub fn build_block(
        &self,
        transactions: Vec<Transaction>,
        miner: Address,
        timestamp: u64,
    ) -> Result<Block, BlockError> {
        build_block_on(
            &self.params,
            &self.parent(),
            &self.state,
            transactions,
            miner,
            timestamp,
        )
    }

    /// Re-validates every block from the genesis. Signatures this chain
    /// verified when the blocks were appended are not verified again (see
    /// [`SignatureCache`]); everything else is recomputed.
    pub fn validate(&self) -> ValidationReport {
        self.validate_edited(&self.blocks)
    }

    /// Validates an edited copy of this chain's blocks (the tampering
    /// lesson) against its genesis, reusing the signatures this chain has
    /// already verified: only edited or new transactions are verified.
    pub fn validate_edited(&self, blocks: &[Block]) -> ValidationReport {
        validate_with(&self.genesis, blocks, CacheUse::Read(&self.signatures))
    }

    /// Finds a transaction by id (a linear scan).
    pub fn find_transaction(&self, id: &Hash) -> Option<TxLocation> {
        self.blocks.iter().enumerate().find_map(|(b, block)| {
            let index = block.transactions.iter().position(|tx| tx.id() == *id)?;
            let height = u64::try_from(b).ok()?.checked_add(1)?;
            Some(TxLocation { height, index })
        })
    }

    /// Proof that transaction `index` is in the block at `height`, against
    /// that block's `merkle_root` ("light client" lesson).
    pub fn transaction_proof(&self, height: u64, index: usize) -> Option<MerkleProof> {
        self.block(height)?.merkle_tree().proof(index)
    }
}

/// Builds an unmined block on `parent` (shared by [`Chain`] and the block tree).
pub(crate) fn build_block_on(
    params: &Params,
    parent: &Parent,
    state: &State,
    transactions: Vec<Transaction>,
    miner: Address,
    timestamp: u64,
) -> Result<Block, BlockError> {
    let height = parent.height.saturating_add(1);
    let mut scratch = state.clone();
    let mut fees = Amount::ZERO;
    for (offset, tx) in transactions.iter().enumerate() {
        let index = offset.saturating_add(1);
        if let Transaction::Coinbase(_) = tx {
            return Err(BlockError::CoinbaseNotFirst { index });
        }
        let invalid = |error| BlockError::InvalidTransaction {
            index,
            id: tx.id(),
            error,
        };
        check_signature(tx, None).map_err(invalid)?;
        scratch.apply_unsigned_checks(tx, height).map_err(invalid)?;
        fees = fees
            .checked_add(tx.fee())
            .ok_or(BlockError::CoinbaseOverflow)?;
    }
    let reward = params
        .reward
        .checked_add(fees)
        .ok_or(BlockError::CoinbaseOverflow)?;
    let mut all = Vec::with_capacity(transactions.len().saturating_add(1));
    all.push(Transaction::coinbase(miner, reward, height));
    all.extend(transactions);
    Ok(Block {
        header: BlockHeader {
            version: BLOCK_VERSION,
            height,
            previous: parent.hash,
            merkle_root: merkle_root(&all),
            timestamp,
            difficulty: params.min_difficulty,
            nonce: 0,
        },
        transactions: all,
    })
}

/// Why [`Chain::from_blocks`] (or an import) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainError {
    /// The genesis itself is invalid.
    Genesis(GenesisError),
    /// The block at `height` broke a rule.
    Block {
        /// Height of the first invalid block.
        height: u64,
        /// The rule it broke.
        error: BlockError,
    },
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Genesis(error) => write!(f, "invalid genesis: {error}"),
            Self::Block { height, error } => write!(f, "block {height} is invalid: {error}"),
        }
    }
}

impl std::error::Error for ChainError {}

/// The verdict on one block of a [`ValidationReport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockStatus {
    /// Every rule holds.
    Valid,
    /// This block breaks a rule.
    Invalid(BlockError),
    /// An earlier block is broken, so this one cannot be trusted even if it
    /// looks fine on its own: the state it builds on is wrong.
    Untrusted {
        /// Height of the first broken block (0: the genesis is broken).
        broken_at: u64,
        /// A problem this block has by itself, checked against the block
        /// just before it: typically [`BlockError::WrongPreviousHash`] right
        /// after a tampered block.
        own_problem: Option<BlockError>,
    },
}

/// One block's line in a [`ValidationReport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockReport {
    /// The block's position (1 for the first block after the genesis).
    pub height: u64,
    /// The block's actual hash.
    pub hash: Hash,
    /// The verdict.
    pub status: BlockStatus,
}

/// The result of validating a whole chain, block by block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationReport {
    /// Problem with the genesis itself, if any.
    pub genesis: Option<GenesisError>,
    /// One line per block, in order.
    pub blocks: Vec<BlockReport>,
    /// Height of the first invalid block (0 if it is the genesis).
    pub first_invalid: Option<u64>,
    /// The state after the last block, if the whole chain is valid.
    pub state: Option<State>,
}

impl ValidationReport {
    /// True when the genesis and every block are valid.
    pub fn is_valid(&self) -> bool {
        self.first_invalid.is_none()
    }
}

/// Validates `blocks` (height 1, 2, ... in order) on top of `genesis` and
/// reports on every block. After the first broken block, every later block
/// is [`BlockStatus::Untrusted`].
///
/// The blocks' positions define the expected heights and links: block `i`
/// in the slice is checked as height `i + 1` against block `i - 1`.
pub fn validate_blocks(genesis: &Genesis, blocks: &[Block]) -> ValidationReport {
    validate_with(genesis, blocks, CacheUse::Off)
}

/// [`validate_blocks`], skipping signatures already in `cache` and adding
/// the ones it verifies, so validating the same (or slightly edited) blocks
/// again is fast.
pub fn validate_blocks_cached(
    genesis: &Genesis,
    blocks: &[Block],
    cache: &mut SignatureCache,
) -> ValidationReport {
    validate_with(genesis, blocks, CacheUse::Write(cache))
}

fn validate_with(genesis: &Genesis, blocks: &[Block], cache: CacheUse<'_>) -> ValidationReport {
    // A caller with a filled cache (re-validating its own chain) has most
    // signatures already: checking ahead would only check them twice.
    let fresh = match &cache {
        CacheUse::Off => true,
        CacheUse::Read(cache) => cache.is_empty(),
        CacheUse::Write(cache) => cache.is_empty(),
    };
    // Natively, worker threads check the signatures in batches while the
    // in-order pass follows them (see `ahead`).
    #[cfg(not(target_arch = "wasm32"))]
    if fresh {
        if let Some(ahead) = Ahead::new(blocks) {
            return ahead.with_workers(|| validate_in_order(genesis, blocks, cache, Some(&ahead)));
        }
    }
    #[cfg(target_arch = "wasm32")]
    let _ = fresh;
    validate_in_order(genesis, blocks, cache, None)
}

/// The in-order validation behind [`validate_blocks`] and
/// [`validate_blocks_cached`].
fn validate_in_order(
    genesis: &Genesis,
    blocks: &[Block],
    cache: CacheUse<'_>,
    ahead: Option<&Ahead<'_>>,
) -> ValidationReport {
    let params = Params::of(genesis);
    let mut keys = KeyCache::new();
    let mut verifier = Verifier {
        keys: &mut keys,
        cache,
        ahead: ahead.map(|ahead| (ahead, 0)),
    };
    let mut report = ValidationReport {
        genesis: None,
        blocks: Vec::with_capacity(blocks.len()),
        first_invalid: None,
        state: None,
    };
    let mut state = match genesis.initial_state() {
        Ok(state) => Some(state),
        Err(error) => {
            report.genesis = Some(error);
            report.first_invalid = Some(0);
            None
        }
    };
    let mut parent = Parent {
        hash: genesis.hash(),
        height: 0,
        timestamp: genesis.timestamp,
    };
    for (index, block) in blocks.iter().enumerate() {
        if let Some((_, current)) = &mut verifier.ahead {
            *current = index;
        }
        let hash = block.hash();
        let height = parent.height.saturating_add(1);
        let status = match (&state, report.first_invalid) {
            (Some(current), None) => {
                match validate_block(&params, &parent, current, block, None, &mut verifier) {
                    Ok(next) => {
                        state = Some(next);
                        BlockStatus::Valid
                    }
                    Err(error) => {
                        state = None;
                        report.first_invalid = Some(height);
                        BlockStatus::Invalid(error)
                    }
                }
            }
            (_, broken_at) => BlockStatus::Untrusted {
                broken_at: broken_at.unwrap_or(0),
                own_problem: check_stateless(&params, &parent, block, None, &mut verifier).err(),
            },
        };
        report.blocks.push(BlockReport {
            height,
            hash,
            status,
        });
        parent = Parent {
            hash,
            height,
            timestamp: block.header.timestamp,
        };
    }
    report.state = state;
    report
}
