//! Lesson state, as reducers over the pure `ledger` crate: which lessons are
//! done (`localStorage`), the chain lesson's five-plus linked blocks and the
//! transactions lesson's class ledger with its mempool (IndexedDB).
//!
//! Everything is stored under versioned `chainclass.learn.v1.*` keys. A stored
//! value that cannot be read is never replaced on its own: the state records
//! it as [`LoadState::Unreadable`] (with the raw text, for a download) and
//! nothing is saved until the user explicitly starts again.
//!
//! The lessons' accounts come from fixed seeds and their blocks from fixed
//! timestamps, so every class sees the same chain and a teacher can replay it.

use crate::platform::{idb, storage};
use ledger::{
    chain_from_json, chain_to_json, mine, validate_blocks, validate_blocks_cached, Account,
    Address, Allocation, Amount, Block, BlockError, BlockHeader, Chain, ChainError, Genesis, Hash,
    Label, Mempool, MempoolError, MineOutcome, SignatureCache, Transaction, TxError,
    ValidationReport,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// `localStorage` key of the lesson progress flags.
pub const PROGRESS_KEY: &str = "chainclass.learn.v1.progress";
/// IndexedDB key of the chain lesson's blocks.
pub const CHAIN_KEY: &str = "chainclass.learn.v1.chain";
/// IndexedDB key of the transactions lesson's class ledger.
pub const LEDGER_KEY: &str = "chainclass.learn.v1.ledger";

/// A stored value this version cannot read, kept so the user can download it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The stored text, exactly as found.
    pub raw: String,
    /// What was wrong with it (technical, English).
    pub reason: String,
}

/// Where a lesson's stored state stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// Still reading the browser's storage.
    Loading,
    /// Loaded (or nothing was stored): changes are saved.
    Ready,
    /// Something is stored but cannot be read. Nothing is saved until the
    /// user starts again.
    Unreadable(Unreadable),
    /// The browser has no usable storage: the lesson works but forgets.
    NoStorage(String),
}

// ---------------------------------------------------------------------------
// Progress

/// Which lessons the student marked (or earned) as done, by slug.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Slugs of the finished lessons.
    pub done: BTreeSet<String>,
}

/// The progress flags and whether they could be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgressState {
    /// The flags.
    pub progress: Progress,
    /// Stored flags that could not be read, kept until the user resets.
    pub unreadable: Option<Unreadable>,
}

/// Changes to the progress flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgressAction {
    /// Marks a lesson (by slug) done or not done.
    Mark(String, bool),
    /// Forgets every flag (also replaces unreadable stored flags).
    Reset,
}

impl Reducible for ProgressState {
    type Action = ProgressAction;

    fn reduce(self: Rc<Self>, action: ProgressAction) -> Rc<Self> {
        match action {
            ProgressAction::Mark(slug, done) => {
                if self.progress.done.contains(&slug) == done {
                    return self;
                }
                let mut next = (*self).clone();
                if done {
                    next.progress.done.insert(slug);
                } else {
                    next.progress.done.remove(&slug);
                }
                Rc::new(next)
            }
            ProgressAction::Reset => Rc::new(ProgressState::default()),
        }
    }
}

impl ProgressState {
    /// Reads the stored flags; an unreadable value is kept aside, not lost.
    pub fn load() -> Self {
        match storage::load::<Progress>(PROGRESS_KEY) {
            Ok(Some(progress)) => ProgressState {
                progress,
                unreadable: None,
            },
            Ok(None) | Err(storage::StorageError::Unavailable) => ProgressState::default(),
            Err(storage::StorageError::Unreadable { raw, reason, .. }) => ProgressState {
                progress: Progress::default(),
                unreadable: Some(Unreadable { raw, reason }),
            },
            Err(storage::StorageError::WriteRefused { .. }) => ProgressState::default(),
        }
    }

    /// Stores the flags, unless unreadable stored flags are waiting for the
    /// user's decision.
    pub fn save(&self) -> Result<(), storage::StorageError> {
        if self.unreadable.is_some() {
            return Ok(());
        }
        storage::save(PROGRESS_KEY, &self.progress)
    }

    /// Is the lesson with this slug done?
    pub fn is_done(&self, slug: &str) -> bool {
        self.progress.done.contains(slug)
    }
}

/// The progress context handed to every lesson.
pub type ProgressContext = UseReducerHandle<ProgressState>;

// ---------------------------------------------------------------------------
// Mining helper

/// Searches nonces from 0 until `header` has enough work, in one go. Only
/// for the small difficulties of prepared lesson chains (the pages mine with
/// `pages::learn::miner`, which never blocks).
pub fn mine_now(header: &BlockHeader) -> Option<BlockHeader> {
    let mut start = 0u64;
    loop {
        let end = start.checked_add(1 << 14)?;
        match mine(header, start..end) {
            MineOutcome::Found { nonce, .. } => {
                let mut found = *header;
                found.nonce = nonce;
                return Some(found);
            }
            MineOutcome::NotFound { .. } => start = end,
        }
    }
}

fn label_or_default(text: &str) -> Label {
    Label::new(text).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// The chain lesson

/// Leading zero bits every block of the chain lesson needs.
pub const CHAIN_DIFFICULTY: u32 = 12;
const CHAIN_GENESIS_TIME: u64 = 1_700_000_000;
const BLOCK_SPACING: u64 = 60;
const NOTARY_SEED: [u8; 32] = [0x43; 32];
const CHAIN_FORMAT: &str = "chainclass-learn-chain";
const LEDGER_FORMAT: &str = "chainclass-learn-ledger";
const STORE_VERSION: u32 = 1;

/// The class account that writes (signs) each block's message in the chain
/// lesson. Its seed is public: this is a lesson, not a wallet.
pub fn notary() -> Account {
    Account::from_seed(&NOTARY_SEED)
}

/// The chain lesson's blocks. Unlike a [`Chain`], they may be tampered with:
/// that is the point of the lesson. Each block carries a coinbase and one
/// anchor transaction whose label is the block's message ("data").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLesson {
    /// The chain's genesis.
    pub genesis: Genesis,
    /// Blocks 1, 2, …, possibly edited.
    pub blocks: Vec<Block>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredChain {
    format: String,
    version: u32,
    genesis: Genesis,
    blocks: Vec<Block>,
}

/// Why a new block cannot be added to the chain lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendProblem {
    /// The chain has a broken block; repair it first.
    Broken(ChainError),
    /// The block could not be built (never for a valid chain).
    Block(BlockError),
}

impl ChainLesson {
    /// The chain lesson's genesis.
    pub fn genesis() -> Genesis {
        Genesis {
            name: label_or_default("ChainClass chain lesson"),
            timestamp: CHAIN_GENESIS_TIME,
            difficulty: CHAIN_DIFFICULTY,
            reward: Amount::new(50),
            allocations: Vec::new(),
        }
    }

    /// A fresh chain with one mined block per message.
    pub fn fresh(messages: &[&str]) -> Self {
        let mut lesson = ChainLesson {
            genesis: Self::genesis(),
            blocks: Vec::new(),
        };
        for message in messages {
            if let Ok(block) = lesson.next_block(label_or_default(message)) {
                if let Some(header) = mine_now(&block.header) {
                    lesson.blocks.push(Block { header, ..block });
                }
            }
        }
        lesson
    }

    /// The message of block `index` (0-based): the label of its anchor.
    pub fn message(&self, index: usize) -> Option<&str> {
        self.blocks
            .get(index)?
            .transactions
            .iter()
            .find_map(|tx| match tx {
                Transaction::Anchor(signed) => Some(signed.body.label.as_str()),
                _ => None,
            })
    }

    /// Every block's verdict, from the ledger's own validation.
    pub fn report(&self) -> ValidationReport {
        validate_blocks(&self.genesis, &self.blocks)
    }

    /// [`report`](Self::report), skipping signatures already checked (the
    /// page validates again on every keystroke).
    pub fn report_cached(&self, cache: &mut SignatureCache) -> ValidationReport {
        validate_blocks_cached(&self.genesis, &self.blocks, cache)
    }

    /// The hash block `index` points back to when it is linked correctly.
    pub fn parent_hash(&self, index: usize) -> Hash {
        match index.checked_sub(1).and_then(|i| self.blocks.get(i)) {
            Some(parent) => parent.hash(),
            None => self.genesis.hash(),
        }
    }

    /// Rewrites block `index`'s message: the class account signs the new
    /// text and the header's Merkle root follows the data, so the block's
    /// hash changes — but the nonce, and the next block's link, stay.
    pub fn edit(&mut self, index: usize, label: Label) -> bool {
        let notary = notary();
        let Some(block) = self.blocks.get_mut(index) else {
            return false;
        };
        let mut changed = false;
        for tx in &mut block.transactions {
            if let Transaction::Anchor(signed) = tx {
                if signed.body.label == label {
                    return false;
                }
                let root = Hash::digest(label.as_str());
                *tx = Transaction::anchor(&notary, root, label, signed.body.fee, signed.body.nonce);
                changed = true;
                break;
            }
        }
        if changed {
            block.header.merkle_root = block.compute_merkle_root();
        }
        changed
    }

    /// The header to mine when repairing block `index`: linked to the
    /// current hash of the block before it, with the Merkle root of its
    /// current data, searching from nonce 0.
    pub fn header_to_mine(&self, index: usize) -> Option<BlockHeader> {
        let block = self.blocks.get(index)?;
        let mut header = block.header;
        header.previous = self.parent_hash(index);
        header.merkle_root = block.compute_merkle_root();
        header.nonce = 0;
        Some(header)
    }

    /// Puts a mined header on block `index` (it must belong to that block:
    /// same height and data).
    pub fn set_header(&mut self, index: usize, header: BlockHeader) -> bool {
        match self.blocks.get_mut(index) {
            Some(block) if block.header.height == header.height => {
                block.header = header;
                true
            }
            _ => false,
        }
    }

    /// An unmined block with `label` after the last block; only on a valid
    /// chain.
    pub fn next_block(&self, label: Label) -> Result<Block, AppendProblem> {
        let chain = Chain::from_blocks(self.genesis.clone(), self.blocks.clone())
            .map_err(AppendProblem::Broken)?;
        let notary = notary();
        let nonce = chain.state().next_nonce(&notary.address());
        let root = Hash::digest(label.as_str());
        let anchor = Transaction::anchor(&notary, root, label, Amount::ZERO, nonce);
        let timestamp = chain.tip_timestamp().saturating_add(BLOCK_SPACING);
        chain
            .build_block(vec![anchor], notary.address(), timestamp)
            .map_err(AppendProblem::Block)
    }

    /// The versioned JSON stored in IndexedDB.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&StoredChain {
            format: CHAIN_FORMAT.into(),
            version: STORE_VERSION,
            genesis: self.genesis.clone(),
            blocks: self.blocks.clone(),
        })
        .unwrap_or_default()
    }

    /// Reads [`to_json`](Self::to_json)'s output.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let stored: StoredChain = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if stored.format != CHAIN_FORMAT || stored.version != STORE_VERSION {
            return Err(format!(
                "format {:?} version {}, expected {CHAIN_FORMAT:?} version {STORE_VERSION}",
                stored.format, stored.version
            ));
        }
        Ok(ChainLesson {
            genesis: stored.genesis,
            blocks: stored.blocks,
        })
    }
}

/// The chain lesson's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainState {
    /// Where the stored blocks stand.
    pub load: LoadState,
    /// The blocks (none while loading or when the stored ones are unreadable).
    pub lesson: Option<ChainLesson>,
    /// Bumped on every change that should be saved.
    pub revision: u64,
}

impl Default for ChainState {
    fn default() -> Self {
        ChainState {
            load: LoadState::Loading,
            lesson: None,
            revision: 0,
        }
    }
}

/// Changes to the chain lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainAction {
    /// The stored text arrived; `messages` make a fresh chain if there was none.
    Loaded {
        /// What IndexedDB returned.
        result: Result<Option<String>, idb::IdbError>,
        /// Messages of a fresh chain.
        messages: Vec<String>,
    },
    /// A block's message was edited.
    Edit {
        /// Block position (0 = block 1).
        index: usize,
        /// The new message.
        label: Label,
    },
    /// A block was re-mined.
    Mined {
        /// Block position.
        index: usize,
        /// The mined header.
        header: BlockHeader,
    },
    /// A new mined block goes on the end.
    Append(Block),
    /// Start again with a fresh chain (also replaces unreadable stored data).
    Reset(Vec<String>),
}

fn fresh_from(messages: &[String]) -> ChainLesson {
    let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
    ChainLesson::fresh(&refs)
}

impl Reducible for ChainState {
    type Action = ChainAction;

    fn reduce(self: Rc<Self>, action: ChainAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ChainAction::Loaded { result, messages } => match result {
                Ok(Some(raw)) => match ChainLesson::from_json(&raw) {
                    Ok(lesson) => {
                        next.lesson = Some(lesson);
                        next.load = LoadState::Ready;
                    }
                    Err(reason) => {
                        next.lesson = None;
                        next.load = LoadState::Unreadable(Unreadable { raw, reason });
                    }
                },
                Ok(None) => {
                    next.lesson = Some(fresh_from(&messages));
                    next.load = LoadState::Ready;
                    next.revision += 1;
                }
                Err(idb::IdbError::NotText { key }) => {
                    next.lesson = None;
                    next.load = LoadState::Unreadable(Unreadable {
                        raw: String::new(),
                        reason: format!("stored value {key} is not text"),
                    });
                }
                Err(e) => {
                    next.lesson = Some(fresh_from(&messages));
                    next.load = LoadState::NoStorage(e.to_string());
                }
            },
            ChainAction::Edit { index, label } => {
                let Some(lesson) = next.lesson.as_mut() else {
                    return self;
                };
                if !lesson.edit(index, label) {
                    return self;
                }
                next.revision += 1;
            }
            ChainAction::Mined { index, header } => {
                let Some(lesson) = next.lesson.as_mut() else {
                    return self;
                };
                if !lesson.set_header(index, header) {
                    return self;
                }
                next.revision += 1;
            }
            ChainAction::Append(block) => {
                let Some(lesson) = next.lesson.as_mut() else {
                    return self;
                };
                lesson.blocks.push(block);
                next.revision += 1;
            }
            ChainAction::Reset(messages) => {
                next.lesson = Some(fresh_from(&messages));
                if !matches!(next.load, LoadState::NoStorage(_)) {
                    next.load = LoadState::Ready;
                }
                next.revision += 1;
            }
        }
        Rc::new(next)
    }
}

// ---------------------------------------------------------------------------
// The transactions lesson: a class ledger

/// Leading zero bits every block of the class ledger needs.
pub const LEDGER_DIFFICULTY: u32 = 12;
/// New coins per block for the miner (fees come on top).
pub const LEDGER_REWARD: u64 = 50;
/// Starting coins of the class accounts, in [`class_accounts`] order.
pub const STARTING_COINS: [u64; 4] = [100, 50, 20, 0];
const LEDGER_GENESIS_TIME: u64 = 1_700_000_000;

/// The class: four accounts from fixed seeds (Amy, Ben, Chloe and the
/// miner, named by the string table).
pub fn class_accounts() -> Vec<Account> {
    (0u8..4)
        .map(|i| Account::from_seed(&[0xc0 + i; 32]))
        .collect()
}

/// The class ledger's genesis: starting coins for the class.
pub fn ledger_genesis() -> Genesis {
    Genesis {
        name: label_or_default("ChainClass class ledger"),
        timestamp: LEDGER_GENESIS_TIME,
        difficulty: LEDGER_DIFFICULTY,
        reward: Amount::new(LEDGER_REWARD),
        allocations: class_accounts()
            .iter()
            .zip(STARTING_COINS)
            .filter(|(_, coins)| *coins > 0)
            .map(|(account, coins)| Allocation {
                address: account.address(),
                amount: Amount::new(coins),
            })
            .collect(),
    }
}

/// The class ledger: a valid chain plus the transactions waiting for a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerLesson {
    /// The chain (always valid).
    pub chain: Chain,
    /// Signed transfers waiting to be mined.
    pub mempool: Mempool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredLedger {
    format: String,
    version: u32,
    chain: serde_json::Value,
    mempool: Vec<Transaction>,
}

impl LedgerLesson {
    /// Only the genesis, nothing waiting. (`None` only if the lesson's
    /// own genesis were invalid, which the tests rule out.)
    pub fn fresh() -> Option<Self> {
        Some(LedgerLesson {
            chain: Chain::new(ledger_genesis()).ok()?,
            mempool: Mempool::new(),
        })
    }

    /// The nonce `address`'s next transfer must use, counting the ones
    /// already waiting in the mempool.
    pub fn next_nonce(&self, address: &Address) -> u64 {
        let waiting = self
            .mempool
            .transactions()
            .iter()
            .filter(|tx| tx.sender().as_ref() == Some(address))
            .count();
        self.chain
            .state()
            .next_nonce(address)
            .saturating_add(u64::try_from(waiting).unwrap_or(u64::MAX))
    }

    /// The timestamp for the next block: `now`, but always after the tip.
    pub fn next_timestamp(&self, now: u64) -> u64 {
        now.max(self.chain.tip_timestamp().saturating_add(1))
    }

    /// The versioned JSON stored in IndexedDB (the chain in the export format).
    pub fn to_json(&self) -> String {
        let chain = serde_json::from_str(&chain_to_json(&self.chain)).unwrap_or_default();
        serde_json::to_string(&StoredLedger {
            format: LEDGER_FORMAT.into(),
            version: STORE_VERSION,
            chain,
            mempool: self.mempool.transactions().to_vec(),
        })
        .unwrap_or_default()
    }

    /// Reads [`to_json`](Self::to_json)'s output, re-validating every block.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let stored: StoredLedger = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if stored.format != LEDGER_FORMAT || stored.version != STORE_VERSION {
            return Err(format!(
                "format {:?} version {}, expected {LEDGER_FORMAT:?} version {STORE_VERSION}",
                stored.format, stored.version
            ));
        }
        let chain = chain_from_json(&stored.chain.to_string()).map_err(|e| e.to_string())?;
        let mut mempool = Mempool::new();
        for tx in stored.mempool {
            mempool
                .add(tx, chain.state())
                .map_err(|e| format!("waiting transaction: {e}"))?;
        }
        Ok(LedgerLesson { chain, mempool })
    }
}

/// What the last action on the class ledger did, for the page to explain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LedgerNotice {
    /// A transfer entered the mempool.
    Sent {
        /// Its id.
        id: Hash,
    },
    /// A transfer was refused.
    Rejected(MempoolError),
    /// A block was added.
    Mined {
        /// Its height.
        height: u64,
        /// Who got the coinbase.
        miner: Address,
        /// Coins the coinbase paid (reward plus fees).
        paid: Amount,
        /// Transfers in the block (the coinbase not counted).
        transfers: usize,
        /// Waiting transfers dropped because they no longer apply.
        dropped: Vec<(Hash, TxError)>,
    },
    /// A mined block was refused.
    BlockRefused(BlockError),
    /// A chain file replaced the class ledger.
    Imported {
        /// Its height.
        height: u64,
    },
}

/// The transactions lesson's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerState {
    /// Where the stored ledger stands.
    pub load: LoadState,
    /// The ledger (none while loading or when the stored one is unreadable).
    pub lesson: Option<LedgerLesson>,
    /// What the last action did.
    pub notice: Option<LedgerNotice>,
    /// Bumped on every change that should be saved.
    pub revision: u64,
}

impl Default for LedgerState {
    fn default() -> Self {
        LedgerState {
            load: LoadState::Loading,
            lesson: None,
            notice: None,
            revision: 0,
        }
    }
}

/// Changes to the class ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LedgerAction {
    /// The stored text arrived.
    Loaded(Result<Option<String>, idb::IdbError>),
    /// A signed transaction is sent to the mempool.
    Submit(Transaction),
    /// A mined block is appended.
    Mined(Block),
    /// A chain read from a file replaces the ledger.
    Import(Chain),
    /// Start again from the genesis (also replaces unreadable stored data).
    Reset,
}

impl Reducible for LedgerState {
    type Action = LedgerAction;

    fn reduce(self: Rc<Self>, action: LedgerAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LedgerAction::Loaded(result) => match result {
                Ok(Some(raw)) => match LedgerLesson::from_json(&raw) {
                    Ok(lesson) => {
                        next.lesson = Some(lesson);
                        next.load = LoadState::Ready;
                    }
                    Err(reason) => {
                        next.lesson = None;
                        next.load = LoadState::Unreadable(Unreadable { raw, reason });
                    }
                },
                Ok(None) => {
                    next.lesson = LedgerLesson::fresh();
                    next.load = LoadState::Ready;
                }
                Err(idb::IdbError::NotText { key }) => {
                    next.lesson = None;
                    next.load = LoadState::Unreadable(Unreadable {
                        raw: String::new(),
                        reason: format!("stored value {key} is not text"),
                    });
                }
                Err(e) => {
                    next.lesson = LedgerLesson::fresh();
                    next.load = LoadState::NoStorage(e.to_string());
                }
            },
            LedgerAction::Submit(tx) => {
                let Some(lesson) = next.lesson.as_mut() else {
                    return self;
                };
                match lesson.mempool.add(tx, lesson.chain.state()) {
                    Ok(id) => {
                        next.notice = Some(LedgerNotice::Sent { id });
                        next.revision += 1;
                    }
                    Err(error) => next.notice = Some(LedgerNotice::Rejected(error)),
                }
            }
            LedgerAction::Mined(block) => {
                let Some(lesson) = next.lesson.as_mut() else {
                    return self;
                };
                let height = block.header.height;
                let (miner, paid) = block
                    .transactions
                    .first()
                    .and_then(|tx| match tx {
                        Transaction::Coinbase(cb) => Some((cb.to, cb.amount)),
                        _ => None,
                    })
                    .unwrap_or((Address::from_bytes([0; 20]), Amount::ZERO));
                let transfers = block.transactions.len().saturating_sub(1);
                match lesson.chain.append(block) {
                    Ok(()) => {
                        let dropped = lesson
                            .mempool
                            .prune(lesson.chain.state())
                            .into_iter()
                            // Transfers now in the block leave as "replayed":
                            // that is success, not a drop worth reporting.
                            .filter(|(tx, _)| lesson.chain.find_transaction(&tx.id()).is_none())
                            .map(|(tx, error)| (tx.id(), error))
                            .collect();
                        next.notice = Some(LedgerNotice::Mined {
                            height,
                            miner,
                            paid,
                            transfers,
                            dropped,
                        });
                        next.revision += 1;
                    }
                    Err(error) => next.notice = Some(LedgerNotice::BlockRefused(error)),
                }
            }
            LedgerAction::Import(chain) => {
                let height = chain.height();
                next.lesson = Some(LedgerLesson {
                    chain,
                    mempool: Mempool::new(),
                });
                next.notice = Some(LedgerNotice::Imported { height });
                if !matches!(next.load, LoadState::NoStorage(_)) {
                    next.load = LoadState::Ready;
                }
                next.revision += 1;
            }
            LedgerAction::Reset => {
                next.lesson = LedgerLesson::fresh();
                next.notice = None;
                if !matches!(next.load, LoadState::NoStorage(_)) {
                    next.load = LoadState::Ready;
                }
                next.revision += 1;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use ledger::BlockStatus;

    const MESSAGES: [&str; 5] = ["one", "two", "three", "four", "five"];

    fn messages() -> Vec<String> {
        MESSAGES.iter().map(|m| m.to_string()).collect()
    }

    #[test]
    fn progress_marks_and_resets() {
        let s = Rc::new(ProgressState::default());
        let s = s.reduce(ProgressAction::Mark("hash".into(), true));
        assert!(s.is_done("hash"));
        let same = s.clone().reduce(ProgressAction::Mark("hash".into(), true));
        assert!(Rc::ptr_eq(&s, &same));
        let s = s.reduce(ProgressAction::Mark("hash".into(), false));
        assert!(!s.is_done("hash"));
        let json = serde_json::to_string(&Progress {
            done: ["block".to_string()].into(),
        })
        .unwrap();
        assert_eq!(json, r#"{"done":["block"]}"#);
    }

    #[test]
    fn fresh_chain_is_valid_and_tampering_breaks_everything_after() {
        let mut lesson = ChainLesson::fresh(&MESSAGES);
        assert_eq!(lesson.blocks.len(), 5);
        assert!(lesson.report().is_valid());
        assert_eq!(lesson.message(1), Some("two"));

        let mut cache = SignatureCache::new();
        assert_eq!(lesson.report_cached(&mut cache), lesson.report());
        assert!(lesson.edit(1, Label::new("two, changed").unwrap()));
        let report = lesson.report();
        assert_eq!(lesson.report_cached(&mut cache), report);
        assert_eq!(report.first_invalid, Some(2));
        assert_eq!(report.blocks[0].status, BlockStatus::Valid);
        for line in &report.blocks[2..] {
            assert!(matches!(
                line.status,
                BlockStatus::Untrusted { broken_at: 2, .. }
            ));
        }
        // Block 3 still points at block 2's old hash.
        assert!(matches!(
            report.blocks[2].status,
            BlockStatus::Untrusted {
                own_problem: Some(BlockError::WrongPreviousHash { .. }),
                ..
            }
        ));

        // Re-mine blocks 2..5 in order: the chain is valid again.
        for index in 1..5 {
            let header = mine_now(&lesson.header_to_mine(index).unwrap()).unwrap();
            assert!(lesson.set_header(index, header));
        }
        assert!(lesson.report().is_valid());
        assert_eq!(lesson.message(1), Some("two, changed"));
    }

    #[test]
    fn chain_lesson_round_trips_and_refuses_other_data() {
        let lesson = ChainLesson::fresh(&MESSAGES[..2]);
        let back = ChainLesson::from_json(&lesson.to_json()).unwrap();
        assert_eq!(back, lesson);
        assert!(ChainLesson::from_json("{}").is_err());
        assert!(ChainLesson::from_json(&lesson.to_json().replace("learn-chain", "x")).is_err());
    }

    #[test]
    fn unreadable_stored_chain_is_kept_until_reset() {
        let s = Rc::new(ChainState::default()).reduce(ChainAction::Loaded {
            result: Ok(Some("not json".into())),
            messages: messages(),
        });
        assert!(s.lesson.is_none());
        assert_eq!(s.revision, 0, "nothing is saved over it");
        match &s.load {
            LoadState::Unreadable(u) => assert_eq!(u.raw, "not json"),
            other => panic!("{other:?}"),
        }
        let s = s.reduce(ChainAction::Reset(messages()));
        assert_eq!(s.load, LoadState::Ready);
        assert!(s.lesson.is_some());
        assert_eq!(s.revision, 1);
    }

    #[test]
    fn a_new_block_needs_a_valid_chain() {
        let mut lesson = ChainLesson::fresh(&MESSAGES[..2]);
        let block = lesson.next_block(Label::new("three").unwrap()).unwrap();
        let header = mine_now(&block.header).unwrap();
        lesson.blocks.push(Block { header, ..block });
        assert!(lesson.report().is_valid());
        lesson.edit(0, Label::new("changed").unwrap());
        assert!(matches!(
            lesson.next_block(Label::new("four").unwrap()),
            Err(AppendProblem::Broken(ChainError::Block { height: 1, .. }))
        ));
    }

    fn ready_ledger() -> Rc<LedgerState> {
        Rc::new(LedgerState::default()).reduce(LedgerAction::Loaded(Ok(None)))
    }

    #[test]
    fn ledger_rejects_overspend_and_replay_and_pays_the_miner() {
        let class = class_accounts();
        let (amy, ben, chloe, miner) = (&class[0], &class[1], &class[2], &class[3]);
        let s = ready_ledger();
        let lesson = s.lesson.as_ref().unwrap();
        assert_eq!(lesson.chain.state().balance(&chloe.address()).coins(), 20);

        let too_much =
            Transaction::transfer(chloe, ben.address(), Amount::new(500), Amount::new(1), 0);
        let s = s.reduce(LedgerAction::Submit(too_much));
        assert!(matches!(
            s.notice,
            Some(LedgerNotice::Rejected(MempoolError::Invalid {
                error: TxError::Overspend { .. },
                ..
            }))
        ));

        let pay = Transaction::transfer(amy, ben.address(), Amount::new(10), Amount::new(1), 0);
        let s = s.reduce(LedgerAction::Submit(pay.clone()));
        assert!(matches!(s.notice, Some(LedgerNotice::Sent { .. })));
        let lesson = s.lesson.clone().unwrap();
        assert_eq!(lesson.next_nonce(&amy.address()), 1);

        let block = lesson
            .chain
            .build_block(lesson.mempool.select(100), miner.address(), 1_700_000_100)
            .unwrap();
        let header = mine_now(&block.header).unwrap();
        let s = s.reduce(LedgerAction::Mined(Block { header, ..block }));
        match &s.notice {
            Some(LedgerNotice::Mined {
                height: 1,
                paid,
                transfers: 1,
                dropped,
                ..
            }) => {
                assert_eq!(paid.coins(), 51);
                assert!(dropped.is_empty());
            }
            other => panic!("{other:?}"),
        }
        let lesson = s.lesson.clone().unwrap();
        assert!(lesson.mempool.is_empty());
        let state = lesson.chain.state();
        assert_eq!(state.balance(&amy.address()).coins(), 89);
        assert_eq!(state.balance(&ben.address()).coins(), 60);
        assert_eq!(state.balance(&miner.address()).coins(), 51);

        let s = s.reduce(LedgerAction::Submit(pay));
        assert!(matches!(
            s.notice,
            Some(LedgerNotice::Rejected(MempoolError::Invalid {
                error: TxError::NonceReplayed {
                    expected: 1,
                    found: 0,
                    ..
                },
                ..
            }))
        ));

        // The stored form round-trips, mempool included.
        let again = LedgerLesson::from_json(&lesson.to_json()).unwrap();
        assert_eq!(again, lesson);
    }

    #[test]
    fn unreadable_stored_ledger_is_kept() {
        let s = Rc::new(LedgerState::default())
            .reduce(LedgerAction::Loaded(Ok(Some(r#"{"format":"x"}"#.into()))));
        assert!(s.lesson.is_none());
        assert!(matches!(s.load, LoadState::Unreadable(_)));
        assert_eq!(s.revision, 0);
    }
}
