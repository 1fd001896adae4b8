//! Lesson state, as records of the one storage layer (`state::stored`) over
//! the pure `ledger` crate: which lessons are done ([`Progress`]), the chain
//! lesson's five-plus linked blocks ([`ChainLesson`]) and the transactions
//! lesson's class ledger with its mempool ([`LedgerRecord`]).
//!
//! Everything is stored in IndexedDB under versioned `chainclass.learn.v1.*`
//! keys, each write a compare-and-swap with a merge: progress from two tabs
//! is combined (a lesson marked done in either stays done unless one tab
//! un-marked it); the class ledger keeps the longer of two chains that
//! extend each other, and every waiting transfer that still applies; two
//! different edits of the chain lesson are not merged — the tab that saves
//! second shows the other tab's blocks and says so. A stored value that
//! cannot be read is never replaced until the student starts again.
//!
//! The lessons' accounts come from fixed seeds and their blocks from fixed
//! timestamps, so every class sees the same chain and a teacher can replay it.

use crate::platform::storage;
use crate::state::stored::{Applied, Record};
use credentials::Instant;
use ledger::{
    chain_from_json, chain_to_json, mine, validate_blocks, validate_blocks_cached, Account,
    Address, Allocation, Amount, Block, BlockError, BlockHeader, Chain, ChainError, Genesis, Hash,
    Label, Mempool, MempoolError, MineOutcome, SignatureCache, Transaction, TxError,
    ValidationReport,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// IndexedDB key of the lesson progress flags (earlier versions kept them
/// in `localStorage` under the same key; they are read from there once).
pub const PROGRESS_KEY: &str = "chainclass.learn.v1.progress";
/// IndexedDB key of the chain lesson's blocks.
pub const CHAIN_KEY: &str = "chainclass.learn.v1.chain";
/// IndexedDB key of the transactions lesson's class ledger.
pub const LEDGER_KEY: &str = "chainclass.learn.v1.ledger";

// ---------------------------------------------------------------------------
// Progress

/// Which lessons the student marked (or earned) as done, by slug.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Slugs of the finished lessons.
    pub done: BTreeSet<String>,
    /// Writes so far (absent in what earlier versions stored).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub revision: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Progress {
    /// Is the lesson with this slug done?
    pub fn is_done(&self, slug: &str) -> bool {
        self.done.contains(slug)
    }
}

/// Changes to the progress flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgressAction {
    /// Marks a lesson (by slug) done or not done.
    Mark(String, bool),
    /// Forgets every flag.
    Reset,
}

/// `theirs`, less what `mine` removed since `base`, plus what `mine` added.
fn merge_flags(
    base: &BTreeSet<String>,
    mine: &BTreeSet<String>,
    theirs: &BTreeSet<String>,
) -> BTreeSet<String> {
    theirs
        .iter()
        .filter(|s| mine.contains(*s) || !base.contains(*s))
        .chain(mine.difference(base))
        .cloned()
        .collect()
}

impl Record for Progress {
    const KEY: &'static str = PROGRESS_KEY;
    const IN_MEMORY_OK: bool = true;
    type TextError = String;
    type Conflict = Infallible;
    type Change = ProgressAction;
    type Notice = Infallible;

    fn empty() -> Self {
        Progress::default()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
    fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }
    fn merge(base: &Self, mine: &Self, theirs: &Self, _at: Instant) -> Result<Self, Infallible> {
        Ok(Progress {
            done: merge_flags(&base.done, &mine.done, &theirs.done),
            revision: theirs.revision,
        })
    }
    fn apply(&self, change: ProgressAction, _at: Instant) -> Applied<Self> {
        let mut next = self.clone();
        match change {
            ProgressAction::Mark(slug, true) => {
                next.done.insert(slug);
            }
            ProgressAction::Mark(slug, false) => {
                next.done.remove(&slug);
            }
            ProgressAction::Reset => next.done.clear(),
        }
        Applied::changed(next)
    }
    fn legacy_text() -> Option<String> {
        storage::load_text(PROGRESS_KEY)
    }
}

/// The progress handle handed to every lesson.
pub type ProgressContext = crate::state::stored::StoredHandle<Progress>;

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
    /// Blocks 1, 2, …, possibly edited (none: not started yet).
    pub blocks: Vec<Block>,
    /// Writes of the stored lesson so far.
    pub revision: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredChain {
    format: String,
    version: u32,
    genesis: Genesis,
    blocks: Vec<Block>,
    #[serde(default)]
    revision: u64,
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

    /// Only the genesis: the page starts it with its messages
    /// ([`ChainAction::Reset`]) in the student's language.
    pub fn not_started() -> Self {
        ChainLesson {
            genesis: Self::genesis(),
            blocks: Vec::new(),
            revision: 0,
        }
    }

    /// A fresh chain with one mined block per message.
    pub fn fresh(messages: &[&str]) -> Self {
        let mut lesson = ChainLesson::not_started();
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
            revision: self.revision,
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
            revision: stored.revision,
        })
    }
}

/// Changes to the chain lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainAction {
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
    /// Start again with a fresh chain of these messages.
    Reset(Vec<String>),
}

/// Another tab changed the same lesson since this tab last read it, and the
/// two cannot be combined: this tab shows the other's and says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OtherTabChanged;

fn fresh_from(messages: &[String]) -> ChainLesson {
    let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
    ChainLesson::fresh(&refs)
}

impl Record for ChainLesson {
    const KEY: &'static str = CHAIN_KEY;
    const IN_MEMORY_OK: bool = true;
    type TextError = String;
    type Conflict = OtherTabChanged;
    type Change = ChainAction;
    type Notice = OtherTabChanged;

    fn empty() -> Self {
        ChainLesson::not_started()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        ChainLesson::from_json(text)
    }
    fn to_text(&self) -> String {
        self.to_json()
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }
    /// Two tabs' edits of the lesson are the student's experiments: one is
    /// never silently dropped for the other, nor spliced into it.
    fn merge(
        _base: &Self,
        mine: &Self,
        theirs: &Self,
        _at: Instant,
    ) -> Result<Self, OtherTabChanged> {
        if mine.blocks == theirs.blocks {
            Ok(theirs.clone())
        } else {
            Err(OtherTabChanged)
        }
    }
    fn apply(&self, change: ChainAction, _at: Instant) -> Applied<Self> {
        let mut next = self.clone();
        let changed = match change {
            ChainAction::Edit { index, label } => next.edit(index, label),
            ChainAction::Mined { index, header } => next.set_header(index, header),
            ChainAction::Append(block) => {
                next.blocks.push(block);
                true
            }
            ChainAction::Reset(messages) => {
                next = ChainLesson {
                    revision: self.revision,
                    ..fresh_from(&messages)
                };
                true
            }
        };
        if changed {
            Applied::changed(next).quiet()
        } else {
            Applied::same()
        }
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
    #[serde(default)]
    revision: u64,
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

    /// The versioned JSON stored in IndexedDB (the chain in the export
    /// format), at `revision`.
    pub fn to_json(&self, revision: u64) -> String {
        let chain = serde_json::from_str(&chain_to_json(&self.chain)).unwrap_or_default();
        serde_json::to_string(&StoredLedger {
            format: LEDGER_FORMAT.into(),
            version: STORE_VERSION,
            chain,
            mempool: self.mempool.transactions().to_vec(),
            revision,
        })
        .unwrap_or_default()
    }

    /// Reads [`to_json`](Self::to_json)'s output, re-validating every block;
    /// gives the lesson and its revision.
    pub fn from_json(text: &str) -> Result<(Self, u64), String> {
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
        Ok((LedgerLesson { chain, mempool }, stored.revision))
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
    /// Another tab changed the class ledger in a way this tab's change
    /// cannot be combined with: this tab shows the other's ledger.
    OtherTab,
}

impl From<OtherTabChanged> for LedgerNotice {
    fn from(_: OtherTabChanged) -> Self {
        LedgerNotice::OtherTab
    }
}

/// The class ledger as stored: the lesson (`None` only if its fixed genesis
/// were invalid, which the tests rule out) and its revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRecord {
    /// The ledger.
    pub lesson: Option<LedgerLesson>,
    /// Writes so far.
    pub revision: u64,
}

/// Changes to the class ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LedgerAction {
    /// A signed transaction is sent to the mempool.
    Submit(Transaction),
    /// A mined block is appended.
    Mined(Block),
    /// A chain read from a file replaces the ledger.
    Import(Chain),
    /// Start again from the genesis.
    Reset,
}

/// `longer` is `shorter` with zero or more blocks after it.
fn extends(longer: &Chain, shorter: &Chain) -> bool {
    longer.genesis_hash() == shorter.genesis_hash() && longer.blocks().starts_with(shorter.blocks())
}

/// The class ledger after two tabs' changes: the chain of the tab that
/// changed it (or the longer of two that both only added blocks to what
/// they shared), and every waiting transfer of either side that still
/// applies to that chain (one mined meanwhile leaves, as it would in a
/// real network). Two chains that went different ways (both mined a block,
/// or one imported or started again while the other mined) are not merged.
fn merge_ledgers(
    base: &LedgerLesson,
    mine: &LedgerLesson,
    theirs: &LedgerLesson,
) -> Result<LedgerLesson, OtherTabChanged> {
    let mine_moved = mine.chain != base.chain;
    let theirs_moved = theirs.chain != base.chain;
    let chain = match (mine_moved, theirs_moved) {
        (false, _) => theirs.chain.clone(),
        (true, false) => mine.chain.clone(),
        (true, true)
            if extends(&mine.chain, &base.chain) && extends(&theirs.chain, &base.chain) =>
        {
            if extends(&mine.chain, &theirs.chain) {
                mine.chain.clone()
            } else if extends(&theirs.chain, &mine.chain) {
                theirs.chain.clone()
            } else {
                return Err(OtherTabChanged);
            }
        }
        (true, true) => return Err(OtherTabChanged),
    };
    let mut mempool = Mempool::new();
    let waiting = theirs
        .mempool
        .transactions()
        .iter()
        .chain(mine.mempool.transactions())
        .filter(|tx| !mempool_dropped(base, mine, tx));
    for tx in waiting {
        if !mempool.contains(&tx.id()) {
            // One that no longer applies (mined, or spent meanwhile) leaves.
            let _ = mempool.add(tx.clone(), chain.state());
        }
    }
    Ok(LedgerLesson { chain, mempool })
}

/// Whether `mine` took `tx` out of the mempool this tab shared (mined it
/// into a block, or started again).
fn mempool_dropped(base: &LedgerLesson, mine: &LedgerLesson, tx: &Transaction) -> bool {
    let id = tx.id();
    base.mempool.contains(&id) && !mine.mempool.contains(&id)
}

impl Record for LedgerRecord {
    const KEY: &'static str = LEDGER_KEY;
    const IN_MEMORY_OK: bool = true;
    type TextError = String;
    type Conflict = OtherTabChanged;
    type Change = LedgerAction;
    type Notice = LedgerNotice;

    fn empty() -> Self {
        LedgerRecord {
            lesson: LedgerLesson::fresh(),
            revision: 0,
        }
    }
    fn from_text(text: &str) -> Result<Self, String> {
        let (lesson, revision) = LedgerLesson::from_json(text)?;
        Ok(LedgerRecord {
            lesson: Some(lesson),
            revision,
        })
    }
    fn to_text(&self) -> String {
        self.lesson
            .as_ref()
            .map(|l| l.to_json(self.revision))
            .unwrap_or_default()
    }
    fn revision(&self) -> u64 {
        self.revision
    }
    fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }
    fn merge(
        base: &Self,
        mine: &Self,
        theirs: &Self,
        _at: Instant,
    ) -> Result<Self, OtherTabChanged> {
        match (&base.lesson, &mine.lesson, &theirs.lesson) {
            (Some(b), Some(m), Some(t)) => Ok(LedgerRecord {
                lesson: Some(merge_ledgers(b, m, t)?),
                revision: theirs.revision,
            }),
            _ if mine.lesson == theirs.lesson => Ok(theirs.clone()),
            _ => Err(OtherTabChanged),
        }
    }
    fn apply(&self, change: LedgerAction, _at: Instant) -> Applied<Self> {
        let mut next = self.clone();
        let lesson = match change {
            LedgerAction::Reset => {
                next.lesson = LedgerLesson::fresh();
                return Applied::changed(next).quiet();
            }
            LedgerAction::Import(chain) => {
                let height = chain.height();
                next.lesson = Some(LedgerLesson {
                    chain,
                    mempool: Mempool::new(),
                });
                return Applied::changed(next).telling(LedgerNotice::Imported { height });
            }
            change => match next.lesson.as_mut() {
                Some(lesson) => (lesson, change),
                None => return Applied::same(),
            },
        };
        let (lesson, change) = lesson;
        match change {
            LedgerAction::Submit(tx) => match lesson.mempool.add(tx, lesson.chain.state()) {
                Ok(id) => Applied::changed(next).telling(LedgerNotice::Sent { id }),
                Err(error) => Applied::same().telling(LedgerNotice::Rejected(error)),
            },
            LedgerAction::Mined(block) => {
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
                        Applied::changed(next).telling(LedgerNotice::Mined {
                            height,
                            miner,
                            paid,
                            transfers,
                            dropped,
                        })
                    }
                    Err(error) => Applied::same().telling(LedgerNotice::BlockRefused(error)),
                }
            }
            LedgerAction::Reset | LedgerAction::Import(_) => Applied::same(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use yew::Reducible;

    use super::*;
    use crate::state::stored::{StoredAction, StoredState};
    use ledger::BlockStatus;
    use std::rc::Rc;

    const MESSAGES: [&str; 5] = ["one", "two", "three", "four", "five"];

    fn messages() -> Vec<String> {
        MESSAGES.iter().map(|m| m.to_string()).collect()
    }

    fn at() -> Instant {
        Instant::from_unix(1_800_000_000, 0)
    }

    #[test]
    fn progress_marks_and_resets_and_reads_what_earlier_versions_stored() {
        let p = Progress::default();
        let p = p
            .apply(ProgressAction::Mark("hash".into(), true), at())
            .value
            .unwrap();
        assert!(p.is_done("hash"));
        let p = p
            .apply(ProgressAction::Mark("hash".into(), false), at())
            .value
            .unwrap();
        assert!(!p.is_done("hash"));
        // localStorage held `{"done":[…]}`: still read, and written back the same way.
        let old = Progress::from_text(r#"{"done":["block"]}"#).unwrap();
        assert!(old.is_done("block"));
        assert_eq!(old.to_text(), r#"{"done":["block"]}"#);
        assert!(Progress::from_text(r#"{"done":[],"other":1}"#).is_err());
    }

    #[test]
    fn progress_from_two_tabs_is_combined_and_an_unmark_holds() {
        let set = |s: &[&str]| Progress {
            done: s.iter().map(|x| x.to_string()).collect(),
            revision: 0,
        };
        let base = set(&["hash", "block"]);
        // This tab finished "chain" and un-marked "block"; the other finished "keys".
        let mine = set(&["hash", "chain"]);
        let theirs = set(&["hash", "block", "keys"]);
        let merged = Progress::merge(&base, &mine, &theirs, at()).unwrap();
        assert_eq!(merged.done, set(&["hash", "keys", "chain"]).done);
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
        use crate::state::stored::{StoredAction, StoredState};
        let s = Rc::new(StoredState::<ChainLesson>::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some("not json".into())),
            legacy: false,
        });
        assert!(matches!(&*s, StoredState::Damaged { raw, .. } if raw == "not json"));
        let s = s.reduce(StoredAction::Reset);
        // Reset gives a lesson not yet started; the page starts it.
        assert!(s.value().unwrap().blocks.is_empty());
        let s = s.reduce(StoredAction::Change(ChainAction::Reset(messages()), at()));
        assert_eq!(s.value().unwrap().blocks.len(), 5);
        assert_eq!(s.saved_revision(), (false, 0), "to be saved");
    }

    #[test]
    fn two_tabs_editing_the_chain_lesson_are_not_spliced() {
        let base = ChainLesson::fresh(&MESSAGES[..2]);
        let mut mine = base.clone();
        mine.edit(0, Label::new("mine").unwrap());
        let mut theirs = base.clone();
        theirs.edit(1, Label::new("theirs").unwrap());
        assert_eq!(
            ChainLesson::merge(&base, &mine, &theirs, at()),
            Err(OtherTabChanged)
        );
        assert_eq!(
            ChainLesson::merge(&base, &mine, &mine.clone(), at()),
            Ok(mine)
        );
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

    fn ready_ledger() -> Rc<StoredState<LedgerRecord>> {
        Rc::new(StoredState::Loading).reduce(StoredAction::Loaded {
            result: Ok(None),
            legacy: false,
        })
    }

    fn ledger_of(s: &StoredState<LedgerRecord>) -> LedgerLesson {
        s.value().unwrap().lesson.clone().unwrap()
    }

    fn notice_of(s: &StoredState<LedgerRecord>) -> Option<LedgerNotice> {
        match s {
            StoredState::Ready { notice, .. } => notice.clone(),
            _ => None,
        }
    }

    #[test]
    fn ledger_rejects_overspend_and_replay_and_pays_the_miner() {
        let class = class_accounts();
        let (amy, ben, chloe, miner) = (&class[0], &class[1], &class[2], &class[3]);
        let s = ready_ledger();
        let lesson = ledger_of(&s);
        assert_eq!(lesson.chain.state().balance(&chloe.address()).coins(), 20);

        let too_much =
            Transaction::transfer(chloe, ben.address(), Amount::new(500), Amount::new(1), 0);
        let s = s.reduce(StoredAction::Change(LedgerAction::Submit(too_much), at()));
        assert!(matches!(
            notice_of(&s),
            Some(LedgerNotice::Rejected(MempoolError::Invalid {
                error: TxError::Overspend { .. },
                ..
            }))
        ));

        let pay = Transaction::transfer(amy, ben.address(), Amount::new(10), Amount::new(1), 0);
        let s = s.reduce(StoredAction::Change(
            LedgerAction::Submit(pay.clone()),
            at(),
        ));
        assert!(matches!(notice_of(&s), Some(LedgerNotice::Sent { .. })));
        let lesson = ledger_of(&s);
        assert_eq!(lesson.next_nonce(&amy.address()), 1);

        let block = lesson
            .chain
            .build_block(lesson.mempool.select(100), miner.address(), 1_700_000_100)
            .unwrap();
        let header = mine_now(&block.header).unwrap();
        let s = s.reduce(StoredAction::Change(
            LedgerAction::Mined(Block { header, ..block }),
            at(),
        ));
        match &notice_of(&s) {
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
        let lesson = ledger_of(&s);
        assert!(lesson.mempool.is_empty());
        let state = lesson.chain.state();
        assert_eq!(state.balance(&amy.address()).coins(), 89);
        assert_eq!(state.balance(&ben.address()).coins(), 60);
        assert_eq!(state.balance(&miner.address()).coins(), 51);

        let s = s.reduce(StoredAction::Change(LedgerAction::Submit(pay), at()));
        assert!(matches!(
            notice_of(&s),
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
        let (again, revision) = LedgerLesson::from_json(&lesson.to_json(7)).unwrap();
        assert_eq!((again, revision), (lesson, 7));
    }

    #[test]
    fn unreadable_stored_ledger_is_kept() {
        let s = Rc::new(StoredState::<LedgerRecord>::Loading).reduce(StoredAction::Loaded {
            result: Ok(Some(r#"{"format":"x"}"#.into())),
            legacy: false,
        });
        assert!(matches!(&*s, StoredState::Damaged { .. }));
    }

    #[test]
    fn two_tabs_of_the_class_ledger_keep_the_longer_chain_and_every_waiting_transfer() {
        let class = class_accounts();
        let (amy, ben, chloe, miner) = (&class[0], &class[1], &class[2], &class[3]);
        let base = LedgerLesson::fresh().unwrap();
        let pay = |from: &Account, nonce| {
            Transaction::transfer(from, ben.address(), Amount::new(5), Amount::new(1), nonce)
        };
        // Tab A mined a block with Amy's transfer; tab B (stale) queued Chloe's.
        let mut a = base.clone();
        a.mempool.add(pay(amy, 0), a.chain.state()).unwrap();
        let block = a
            .chain
            .build_block(a.mempool.select(10), miner.address(), 1_700_000_100)
            .unwrap();
        let header = mine_now(&block.header).unwrap();
        a.chain.append(Block { header, ..block }).unwrap();
        a.mempool.prune(a.chain.state());
        let mut b = base.clone();
        b.mempool.add(pay(chloe, 0), b.chain.state()).unwrap();
        let merged = merge_ledgers(&base, &b, &a).unwrap();
        assert_eq!(merged.chain.height(), 1, "the mined block is kept");
        assert_eq!(merged.mempool.len(), 1, "Chloe's transfer still waits");
        // The other way round (tab A saves after tab B): the same ledger.
        let other = merge_ledgers(&base, &a, &b).unwrap();
        assert_eq!(other.chain, merged.chain);
        assert_eq!(other.mempool.len(), 1);
        // Starting again in one tab while the other mined: refused, not merged.
        let fresh = LedgerLesson::fresh().unwrap();
        assert_eq!(merge_ledgers(&a, &fresh, &a), Ok(fresh.clone()));
        let mut c = a.clone();
        let block = c
            .chain
            .build_block(Vec::new(), amy.address(), 1_700_000_200)
            .unwrap();
        let header = mine_now(&block.header).unwrap();
        c.chain.append(Block { header, ..block }).unwrap();
        assert_eq!(merge_ledgers(&a, &fresh, &c), Err(OtherTabChanged));
    }
}
