//! ChainClass's class ledger: a toy chain built from real cryptography.
//!
//! A classroom's blockchain that runs inside one browser tab, but with real
//! parts: Ed25519 signatures, SHA-256 proof of work, Merkle proofs, forks
//! decided by most work, and a simulated network. The crate is *pure*: it
//! never reads a clock, never draws random numbers and does no IO. Times,
//! seeds and randomness are always parameters, so every lesson can be
//! replayed exactly.
//!
//! Every rule that can be broken has its own error variant carrying the
//! values involved (`Overspend { account, balance, needed }`, ...), so the
//! app can explain it in English or Traditional Chinese.
//!
//! # 1. Accounts
//!
//! An [`Account`] is an Ed25519 key pair made from a 32-byte seed that the
//! caller supplies. Its [`Address`] is the first 20 bytes of
//! `SHA-256("chainclass/address/v1" || public key)`, shown as 40 hex digits.
//!
//! ```
//! use ledger::Account;
//!
//! let alice = Account::from_seed(&[1; 32]);
//! let bob = Account::from_seed(&[2; 32]);
//! assert_ne!(alice.address(), bob.address());
//! assert_eq!(alice.address().to_string().len(), 40);
//! ```
//!
//! # 2. A chain starts from a genesis
//!
//! The teacher picks a [`Genesis`]: a name, a start time, the proof-of-work
//! difficulty (leading zero bits), the block reward and the starting coins.
//! The [`Chain`] computes its [`State`] (balances and nonces) by replaying
//! every block from there.
//!
//! ```
//! use ledger::{Account, Allocation, Amount, Chain, Genesis, Label};
//!
//! let alice = Account::from_seed(&[1; 32]);
//! let genesis = Genesis {
//!     name: Label::new("4C Web3").unwrap(),
//!     timestamp: 1_700_000_000,
//!     difficulty: 8,
//!     reward: Amount::new(50),
//!     allocations: vec![Allocation { address: alice.address(), amount: Amount::new(100) }],
//! };
//! let chain = Chain::new(genesis).unwrap();
//! assert_eq!(chain.state().balance(&alice.address()), Amount::new(100));
//! ```
//!
//! # 3. Sign a transfer, build a block, mine it, append it
//!
//! A [`Transaction::transfer`] is signed over a documented, versioned
//! binary encoding ([`Transaction::signing_bytes`]). The nonce counts the
//! sender's transactions (0, 1, 2, ...) so a transfer cannot be replayed.
//! [`Chain::build_block`] adds a coinbase paying the miner the reward plus
//! the fees; [`mine`] searches a range of nonces and can be called again
//! with the next range, so the app can mine in small chunks.
//!
//! ```
//! use ledger::{mine, Account, Allocation, Amount, Chain, Genesis, Label, MineOutcome, Transaction};
//!
//! # let alice = Account::from_seed(&[1; 32]);
//! # let mut chain = Chain::new(Genesis {
//! #     name: Label::new("4C Web3").unwrap(), timestamp: 1_700_000_000, difficulty: 8,
//! #     reward: Amount::new(50),
//! #     allocations: vec![Allocation { address: alice.address(), amount: Amount::new(100) }],
//! # }).unwrap();
//! let bob = Account::from_seed(&[2; 32]);
//! let miner = Account::from_seed(&[3; 32]);
//! let pay = Transaction::transfer(&alice, bob.address(), Amount::new(30), Amount::new(1), 0);
//!
//! let candidate = chain.build_block(vec![pay], miner.address(), 1_700_000_060).unwrap();
//! let mut start = 0;
//! let block = loop {
//!     match mine(&candidate.header, start..start + 1000) {
//!         MineOutcome::Found { nonce, .. } => break candidate.with_nonce(nonce),
//!         MineOutcome::NotFound { .. } => start += 1000, // show progress, then go on
//!     }
//! };
//! assert!(block.hash().leading_zero_bits() >= 8);
//! chain.append(block).unwrap();
//!
//! let state = chain.state();
//! assert_eq!(state.balance(&alice.address()), Amount::new(69));
//! assert_eq!(state.balance(&bob.address()), Amount::new(30));
//! assert_eq!(state.balance(&miner.address()), Amount::new(51)); // reward + fee
//! assert_eq!(state.next_nonce(&alice.address()), 1);
//! ```
//!
//! # 4. Every mistake has a precise reason
//!
//! ```
//! # use ledger::{mine, Account, Allocation, Amount, Chain, Genesis, Label, MineOutcome, Transaction};
//! use ledger::{BlockError, TxError};
//! # let alice = Account::from_seed(&[1; 32]);
//! # let bob = Account::from_seed(&[2; 32]);
//! # let chain = Chain::new(Genesis {
//! #     name: Label::new("4C Web3").unwrap(), timestamp: 1_700_000_000, difficulty: 8,
//! #     reward: Amount::new(50),
//! #     allocations: vec![Allocation { address: alice.address(), amount: Amount::new(100) }],
//! # }).unwrap();
//! let too_much = Transaction::transfer(&alice, bob.address(), Amount::new(500), Amount::ZERO, 0);
//! let err = chain.build_block(vec![too_much], bob.address(), 1_700_000_060).unwrap_err();
//! assert_eq!(
//!     err,
//!     BlockError::InvalidTransaction {
//!         index: 1, // the coinbase is transaction 0
//!         id: err_id(&err),
//!         error: TxError::Overspend {
//!             account: alice.address(),
//!             balance: Amount::new(100),
//!             needed: Amount::new(500),
//!         },
//!     }
//! );
//! # fn err_id(e: &BlockError) -> ledger::Hash {
//! #     match e { BlockError::InvalidTransaction { id, .. } => *id, _ => unreachable!() }
//! # }
//! ```
//!
//! # 5. Tamper with history: everything downstream turns red
//!
//! [`validate_blocks`] checks a list of blocks and reports on each one.
//! After the first broken block, every later block is
//! [`BlockStatus::Untrusted`], and its `own_problem` shows the broken link.
//! Natively, a long chain (256 signed transactions or more) has its
//! signatures checked in batches on every core while the blocks are checked
//! in order; the report is the same as checking each with `verify_strict`
//! (10,000 blocks of 10 transfers: under a second on two cores, see
//! `BENCHMARKS.md`).
//!
//! ```
//! use ledger::{mine, validate_blocks, Account, Amount, BlockError, BlockStatus, Chain, Genesis, Label, MineOutcome};
//!
//! # let genesis = Genesis { name: Label::new("demo").unwrap(), timestamp: 0, difficulty: 4,
//! #     reward: Amount::new(50), allocations: vec![] };
//! let miner = Account::from_seed(&[3; 32]);
//! let mut chain = Chain::new(genesis).unwrap();
//! for t in 1..=4 {
//!     let candidate = chain.build_block(vec![], miner.address(), t).unwrap();
//!     let MineOutcome::Found { nonce, .. } = mine(&candidate.header, 0..u64::MAX) else { unreachable!() };
//!     chain.append(candidate.with_nonce(nonce)).unwrap();
//! }
//!
//! let mut blocks = chain.blocks().to_vec();
//! blocks[1].header.timestamp += 1; // change block 2
//! let report = validate_blocks(chain.genesis(), &blocks);
//! assert_eq!(report.first_invalid, Some(2));
//! assert_eq!(report.blocks[0].status, BlockStatus::Valid);
//! assert!(matches!(report.blocks[1].status, BlockStatus::Invalid(BlockError::NotEnoughWork { .. })
//!     | BlockStatus::Invalid(BlockError::TimestampNotAfterParent { .. })));
//! assert!(matches!(
//!     report.blocks[2].status,
//!     BlockStatus::Untrusted { broken_at: 2, own_problem: Some(BlockError::WrongPreviousHash { .. }) }
//! ));
//! ```
//!
//! # 6. Merkle proofs and anchoring
//!
//! [`merkle`] builds RFC 6962-style trees. The `credentials` crate hashes a
//! batch of certificates, records the root with [`Transaction::anchor`], and
//! hands each student a [`MerkleProof`] for their certificate.
//!
//! ```
//! use ledger::merkle::{leaf_hash, MerkleTree};
//! use ledger::{Account, Amount, Hash, Label, Transaction};
//!
//! let certificates = [Hash::digest(b"cert of Chan Tai Man"), Hash::digest(b"cert of Wong Siu Ming")];
//! let tree = MerkleTree::from_leaves(&certificates);
//! let proof = tree.proof(1).unwrap();
//! assert!(proof.verify(&leaf_hash(certificates[1]), &tree.root()).is_ok());
//!
//! let teacher = Account::from_seed(&[9; 32]);
//! let anchor = Transaction::anchor(&teacher, tree.root(), Label::new("4C 2025").unwrap(), Amount::ZERO, 0);
//! assert!(anchor.verify_signature().is_ok());
//! ```
//!
//! # 7. Forks
//!
//! A [`BlockTree`] keeps every valid block it sees and follows the branch
//! with the most work (`2^difficulty` per block). When another branch
//! overtakes, [`BlockTree::insert`] reports a reorganisation and how many
//! blocks left the main chain.
//!
//! ```
//! use ledger::{mine, Account, Amount, BlockTree, Genesis, InsertOutcome, Label, MineOutcome};
//!
//! # let genesis = Genesis { name: Label::new("demo").unwrap(), timestamp: 0, difficulty: 4,
//! #     reward: Amount::new(50), allocations: vec![] };
//! let (ann, ben) = (Account::from_seed(&[1; 32]), Account::from_seed(&[2; 32]));
//! let mut tree = BlockTree::new(genesis).unwrap();
//! let root = tree.genesis_hash();
//! let mined = |b: ledger::Block| {
//!     let MineOutcome::Found { nonce, .. } = mine(&b.header, 0..u64::MAX) else { unreachable!() };
//!     b.with_nonce(nonce)
//! };
//!
//! let a1 = mined(tree.build_block_on(&root, vec![], ann.address(), 10).unwrap());
//! tree.insert(a1.clone()).unwrap();
//! let b1 = mined(tree.build_block_on(&root, vec![], ben.address(), 11).unwrap());
//! assert!(matches!(tree.insert(b1.clone()).unwrap().outcome, InsertOutcome::SideBranch { .. }));
//! let b2 = mined(tree.build_block_on(&b1.hash(), vec![], ben.address(), 20).unwrap());
//! let InsertOutcome::Reorganized(reorg) = tree.insert(b2.clone()).unwrap().outcome else {
//!     unreachable!()
//! };
//! assert_eq!(reorg.disconnected, vec![a1.hash()]);
//! assert_eq!(tree.best_tip(), b2.hash());
//! ```
//!
//! # 8. The simulated network
//!
//! [`network::Network`] runs several nodes on a tick clock with seeded
//! message delays, partitions and hash-power shares, and logs every event
//! for the app to animate; [`scenario`] has the ready-made stories: a fork
//! that resolves, a 51 % attack and a double spend.
//!
//! ```
//! let story = ledger::scenario::double_spend(7, 2).unwrap();
//! assert_eq!(story.shop_balance_before.coins(), 60);
//! assert!(story.confirmations_at_release >= 2);
//! assert!(!story.payment_survived); // the payment vanished in the reorganisation
//! assert_eq!(story.shop_balance_after.coins(), 0);
//! ```
//!
//! # 9. Export and import
//!
//! [`chain_to_json`] writes a versioned JSON document; [`chain_from_json`]
//! bounds the input size and re-validates every block before accepting it.
//!
//! ```
//! use ledger::{chain_from_json, chain_to_json, Amount, Chain, ChainError, Genesis, ImportError, Label};
//!
//! # let genesis = Genesis { name: Label::new("demo").unwrap(), timestamp: 0, difficulty: 0,
//! #     reward: Amount::new(50), allocations: vec![] };
//! let mut chain = Chain::new(genesis).unwrap();
//! let miner = ledger::Account::from_seed(&[3; 32]);
//! chain.append(chain.build_block(vec![], miner.address(), 1).unwrap()).unwrap(); // difficulty 0: no mining
//!
//! let json = chain_to_json(&chain);
//! assert_eq!(chain_from_json(&json).unwrap(), chain);
//!
//! let forged = json.replace("\"amount\":50", "\"amount\":5000");
//! assert!(matches!(
//!     chain_from_json(&forged),
//!     Err(ImportError::Invalid(ChainError::Block { height: 1, .. }))
//! ));
//! ```
//!
//! # Modules at a glance
//!
//! Everything is re-exported at the crate root; the modules hold the
//! documentation of each encoding and rule set.
//!
//! | What | Module | Main items |
//! | --- | --- | --- |
//! | SHA-256 hashes | [`hash`] | [`Hash`](struct@Hash) |
//! | keys and addresses | [`keys`] | [`Account`], [`PublicKey`], [`Address`], [`Signature`] |
//! | coin amounts | [`amount`] | [`Amount`] |
//! | transactions and their encoding | [`tx`] | [`Transaction`], [`Transfer`], [`Anchor`], [`Coinbase`], [`Label`] |
//! | blocks, header encoding, mining | [`block`] | [`BlockHeader`], [`Block`], [`mine`], [`HeaderHasher`] |
//! | chain rules, validation report | [`chain`] | [`Genesis`], [`Chain`], [`BlockError`], [`validate_blocks`] |
//! | balances and nonces | [`state`] | [`State`], [`TxError`] |
//! | waiting transactions | [`mempool`] | [`Mempool`] |
//! | forks | [`tree`] | [`BlockTree`], [`InsertOutcome`] |
//! | Merkle trees | [`merkle`] | [`MerkleTree`], [`MerkleProof`] |
//! | network simulation | [`network`], [`scenario`], [`rng`] | [`network::Network`] |
//! | import/export | [`export`] | [`chain_to_json`], [`chain_from_json`] |

#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
mod ahead;
pub mod amount;
#[cfg(not(target_arch = "wasm32"))]
mod batch;
pub mod block;
pub mod chain;
pub mod export;
pub mod hash;
mod hex;
pub mod keys;
pub mod mempool;
pub mod merkle;
pub mod network;
pub mod rng;
pub mod scenario;
pub mod state;
pub mod tree;
pub mod tx;

pub use amount::Amount;
pub use block::{
    merkle_root, mine, work_for, Block, BlockHeader, HeaderHasher, MineOutcome, BLOCK_VERSION,
    HEADER_LEN, HEADER_MAGIC, MAX_DIFFICULTY,
};
pub use chain::{
    validate_blocks, validate_blocks_cached, Allocation, BlockError, BlockReport, BlockStatus,
    Chain, ChainError, Genesis, GenesisError, SignatureCache, TxLocation, ValidationReport,
    GENESIS_VERSION, MAX_ALLOCATIONS, MAX_BLOCK_TRANSACTIONS, MAX_FUTURE_DRIFT,
    SIGNATURE_CACHE_CAPACITY,
};
pub use export::{
    chain_from_json, chain_to_json, chain_to_json_pretty, ImportError, JsonProblem, FORMAT_NAME,
    FORMAT_VERSION, MAX_IMPORT_BYTES,
};
pub use hash::Hash;
pub use hex::ParseHexError;
pub use keys::{
    Account, Address, PublicKey, Signature, SignatureError, ADDRESS_DOMAIN, ADDRESS_LEN,
};
pub use mempool::{Mempool, MempoolError, DEFAULT_MEMPOOL_CAPACITY};
pub use merkle::{MerkleProof, MerkleTree};
pub use rng::SplitMix64;
pub use state::{AnchorRecord, State, TxError};
pub use tree::{BlockTree, InsertOutcome, Insertion, Reorg, TreeNode, MAX_ORPHANS};
pub use tx::{
    Anchor, Coinbase, Label, LabelError, Signed, Transaction, Transfer, TxKind, MAX_LABEL_BYTES,
    TX_ENCODING_VERSION, TX_MAGIC,
};
