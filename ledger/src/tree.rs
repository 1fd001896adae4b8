//! Forks: the [`BlockTree`] of every valid block a node has seen, fork
//! choice by most cumulative work, reorganisations, and an orphan pool for
//! blocks whose parent has not arrived yet.

use std::collections::{BTreeMap, HashMap};

use crate::chain::{
    build_block_on, check_work, validate_block, BlockError, CacheUse, Chain, ChainError, Genesis,
    GenesisError, KeyCache, Params, Parent, Verifier,
};
use crate::keys::Address;
use crate::state::State;
use crate::{Block, Hash, Transaction};

/// Most blocks kept in the orphan pool; the oldest is dropped first.
pub const MAX_ORPHANS: usize = 256;

/// One block in the tree (or the genesis) with what is known about it.
#[derive(Clone, Debug)]
pub struct TreeNode {
    /// The block (`None` for the genesis).
    pub block: Option<Block>,
    /// The block hash.
    pub hash: Hash,
    /// The parent's hash (`None` for the genesis).
    pub parent: Option<Hash>,
    /// Height (0 for the genesis).
    pub height: u64,
    /// Timestamp (the genesis timestamp for the genesis).
    pub timestamp: u64,
    /// Work of this block and all its ancestors.
    pub cumulative_work: u128,
    /// Hashes of the known children, in arrival order.
    pub children: Vec<Hash>,
    /// State after this block.
    pub state: State,
}

/// A change of best tip that is not a simple extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reorg {
    /// The best tip before.
    pub old_tip: Hash,
    /// The best tip after.
    pub new_tip: Hash,
    /// The last block both branches share.
    pub fork_point: Hash,
    /// Blocks that left the main chain, tip first: how deep the reorganisation is.
    pub disconnected: Vec<Hash>,
    /// Blocks that joined the main chain, from the fork point up.
    pub connected: Vec<Hash>,
}

impl Reorg {
    /// Number of blocks taken off the main chain.
    pub fn depth(&self) -> usize {
        self.disconnected.len()
    }
}

/// What happened to an inserted block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    /// It extends the best chain and is the new best tip.
    ExtendedMain {
        /// The block hash.
        hash: Hash,
        /// Its height.
        height: u64,
    },
    /// It is valid but on a branch with no more work than the best chain.
    SideBranch {
        /// The block hash.
        hash: Hash,
        /// Its height.
        height: u64,
    },
    /// Its branch now has the most work: the best chain switched to it.
    Reorganized(Reorg),
    /// Its parent is unknown; it waits in the orphan pool.
    Orphan {
        /// The block hash.
        hash: Hash,
        /// The hash it points to.
        missing_parent: Hash,
    },
    /// The block was already in the tree or the orphan pool.
    AlreadyKnown {
        /// The block hash.
        hash: Hash,
    },
}

/// The result of [`BlockTree::insert`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// What happened to the block itself.
    pub outcome: InsertOutcome,
    /// Orphans that were waiting for it and were then connected (or turned
    /// out invalid and were dropped), in the order they were handled.
    pub adopted: Vec<(Hash, Result<InsertOutcome, BlockError>)>,
}

/// Every valid block seen, as a tree rooted at the genesis.
///
/// Fork choice: the tip with the most cumulative work (the sum of
/// `2^difficulty` over its blocks) is the best tip; on a tie the tip seen
/// first stays best.
///
/// Each node keeps the state after its block, so memory grows with blocks
/// times accounts; this suits lessons (hundreds of blocks), not archives.
#[derive(Clone, Debug)]
pub struct BlockTree {
    genesis: Genesis,
    params: Params,
    nodes: HashMap<Hash, TreeNode>,
    genesis_hash: Hash,
    best: Hash,
    orphans: BTreeMap<u64, Block>,
    orphan_index: HashMap<Hash, u64>,
    orphan_counter: u64,
    keys: KeyCache,
}

impl BlockTree {
    /// A tree with only the genesis.
    pub fn new(genesis: Genesis) -> Result<Self, GenesisError> {
        let state = genesis.initial_state()?;
        let hash = genesis.hash();
        let root = TreeNode {
            block: None,
            hash,
            parent: None,
            height: 0,
            timestamp: genesis.timestamp,
            cumulative_work: 0,
            children: Vec::new(),
            state,
        };
        Ok(BlockTree {
            params: Params::of(&genesis),
            genesis,
            nodes: HashMap::from([(hash, root)]),
            genesis_hash: hash,
            best: hash,
            orphans: BTreeMap::new(),
            orphan_index: HashMap::new(),
            orphan_counter: 0,
            keys: KeyCache::new(),
        })
    }

    /// The genesis.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// The genesis hash (the root of the tree).
    pub fn genesis_hash(&self) -> Hash {
        self.genesis_hash
    }

    /// The best tip's hash.
    pub fn best_tip(&self) -> Hash {
        self.best
    }

    /// The best tip's node.
    pub fn best_node(&self) -> Option<&TreeNode> {
        self.nodes.get(&self.best)
    }

    /// Height of the best tip.
    pub fn best_height(&self) -> u64 {
        self.best_node().map_or(0, |n| n.height)
    }

    /// State after the best tip.
    pub fn best_state(&self) -> Option<&State> {
        self.best_node().map(|n| &n.state)
    }

    /// A node by hash (blocks in the orphan pool are not nodes).
    pub fn node(&self, hash: &Hash) -> Option<&TreeNode> {
        self.nodes.get(hash)
    }

    /// Every node, in no particular order (for drawing the tree).
    pub fn nodes(&self) -> impl Iterator<Item = &TreeNode> {
        self.nodes.values()
    }

    /// Number of nodes, the genesis included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: the genesis is always there.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Is this block in the tree (orphans excluded)?
    pub fn contains(&self, hash: &Hash) -> bool {
        self.nodes.contains_key(hash)
    }

    /// Blocks waiting for their parent, oldest first.
    pub fn orphans(&self) -> impl Iterator<Item = &Block> {
        self.orphans.values()
    }

    /// Hashes of the tips (nodes without children).
    pub fn tips(&self) -> Vec<Hash> {
        let mut tips: Vec<&TreeNode> = self
            .nodes
            .values()
            .filter(|n| n.children.is_empty())
            .collect();
        tips.sort_by(|a, b| {
            b.cumulative_work
                .cmp(&a.cumulative_work)
                .then(a.hash.cmp(&b.hash))
        });
        tips.into_iter().map(|n| n.hash).collect()
    }

    /// Hashes from the genesis to `tip`, both included.
    pub fn path_to(&self, tip: &Hash) -> Vec<Hash> {
        let mut path = Vec::new();
        let mut cursor = self.nodes.get(tip);
        while let Some(node) = cursor {
            path.push(node.hash);
            cursor = node.parent.and_then(|p| self.nodes.get(&p));
        }
        path.reverse();
        path
    }

    /// Is `hash` on the best chain?
    pub fn is_on_main_chain(&self, hash: &Hash) -> bool {
        let Some(target) = self.nodes.get(hash) else {
            return false;
        };
        let mut cursor = self.nodes.get(&self.best);
        while let Some(node) = cursor {
            if node.height == target.height {
                return node.hash == *hash;
            }
            if node.height < target.height {
                return false;
            }
            cursor = node.parent.and_then(|p| self.nodes.get(&p));
        }
        false
    }

    /// The blocks of the best chain, from height 1 to the tip.
    pub fn main_chain(&self) -> Vec<&Block> {
        self.path_to(&self.best)
            .iter()
            .filter_map(|h| self.nodes.get(h).and_then(|n| n.block.as_ref()))
            .collect()
    }

    /// The best chain as a [`Chain`] (revalidated block by block).
    pub fn to_chain(&self) -> Result<Chain, ChainError> {
        Chain::from_blocks(
            self.genesis.clone(),
            self.main_chain().into_iter().cloned().collect(),
        )
    }

    /// The last block shared by the branches ending at `a` and `b`.
    pub fn fork_point(&self, a: &Hash, b: &Hash) -> Option<Hash> {
        let mut x = self.nodes.get(a)?;
        let mut y = self.nodes.get(b)?;
        while x.hash != y.hash {
            if x.height >= y.height {
                x = self.nodes.get(&x.parent?)?;
            } else {
                y = self.nodes.get(&y.parent?)?;
            }
        }
        Some(x.hash)
    }

    /// An unmined block on the best tip (see [`Chain::build_block`]).
    pub fn build_block(
        &self,
        transactions: Vec<Transaction>,
        miner: Address,
        timestamp: u64,
    ) -> Result<Block, BlockError> {
        self.build_block_on(&self.best, transactions, miner, timestamp)
    }

    /// An unmined block on any known block `parent` (to start a fork on
    /// purpose). An unknown parent builds on the best tip instead.
    pub fn build_block_on(
        &self,
        parent: &Hash,
        transactions: Vec<Transaction>,
        miner: Address,
        timestamp: u64,
    ) -> Result<Block, BlockError> {
        let node = self
            .nodes
            .get(parent)
            .or_else(|| self.nodes.get(&self.best));
        let (parent, state) = match node {
            Some(n) => (
                Parent {
                    hash: n.hash,
                    height: n.height,
                    timestamp: n.timestamp,
                },
                &n.state,
            ),
            None => {
                return Err(BlockError::WrongPreviousHash {
                    expected: self.best,
                    found: *parent,
                })
            }
        };
        build_block_on(&self.params, &parent, state, transactions, miner, timestamp)
    }

    /// Adds a block: validates it against its parent's state, stores it as
    /// an orphan if the parent is unknown, updates the best tip, then
    /// connects any orphans that were waiting for it.
    ///
    /// An orphan's proof of work is checked before it is stored (so junk
    /// cannot fill the pool); the rest once its parent arrives.
    pub fn insert(&mut self, block: Block) -> Result<Insertion, BlockError> {
        let outcome = self.insert_one(block)?;
        let mut adopted = Vec::new();
        let mut waiting = match &outcome {
            InsertOutcome::ExtendedMain { hash, .. } | InsertOutcome::SideBranch { hash, .. } => {
                vec![*hash]
            }
            InsertOutcome::Reorganized(reorg) => vec![reorg.new_tip],
            _ => Vec::new(),
        };
        while let Some(parent) = waiting.pop() {
            let ready: Vec<u64> = self
                .orphans
                .iter()
                .filter(|(_, b)| b.header.previous == parent)
                .map(|(k, _)| *k)
                .collect();
            for key in ready {
                let Some(orphan) = self.orphans.remove(&key) else {
                    continue;
                };
                let hash = orphan.hash();
                self.orphan_index.remove(&hash);
                let result = self.insert_one(orphan);
                if result.is_ok() {
                    waiting.push(hash);
                }
                adopted.push((hash, result));
            }
        }
        Ok(Insertion { outcome, adopted })
    }

    fn insert_one(&mut self, block: Block) -> Result<InsertOutcome, BlockError> {
        let hash = block.hash();
        if self.nodes.contains_key(&hash) || self.orphan_index.contains_key(&hash) {
            return Ok(InsertOutcome::AlreadyKnown { hash });
        }
        let previous = block.header.previous;
        let Some(parent) = self.nodes.get(&previous) else {
            check_work(&self.params, &block.header)?;
            self.store_orphan(hash, block);
            return Ok(InsertOutcome::Orphan {
                hash,
                missing_parent: previous,
            });
        };
        let parent_info = Parent {
            hash: parent.hash,
            height: parent.height,
            timestamp: parent.timestamp,
        };
        let state = validate_block(
            &self.params,
            &parent_info,
            &parent.state,
            &block,
            None,
            &mut Verifier {
                keys: &mut self.keys,
                cache: CacheUse::Off,
                ahead: None,
            },
        )?;
        let cumulative_work = parent.cumulative_work.saturating_add(block.header.work());
        let height = block.header.height;
        let node = TreeNode {
            hash,
            parent: Some(previous),
            height,
            timestamp: block.header.timestamp,
            cumulative_work,
            children: Vec::new(),
            state,
            block: Some(block),
        };
        if let Some(parent) = self.nodes.get_mut(&previous) {
            parent.children.push(hash);
        }
        self.nodes.insert(hash, node);

        let best_work = self.nodes.get(&self.best).map_or(0, |n| n.cumulative_work);
        if previous == self.best {
            self.best = hash;
            return Ok(InsertOutcome::ExtendedMain { hash, height });
        }
        if cumulative_work <= best_work {
            return Ok(InsertOutcome::SideBranch { hash, height });
        }
        let old_tip = self.best;
        let fork_point = self
            .fork_point(&old_tip, &hash)
            .unwrap_or(self.genesis_hash);
        let disconnected = self.branch_above(&old_tip, &fork_point);
        let mut connected = self.branch_above(&hash, &fork_point);
        connected.reverse();
        self.best = hash;
        Ok(InsertOutcome::Reorganized(Reorg {
            old_tip,
            new_tip: hash,
            fork_point,
            disconnected,
            connected,
        }))
    }

    /// Hashes from `tip` down to (not including) `ancestor`.
    fn branch_above(&self, tip: &Hash, ancestor: &Hash) -> Vec<Hash> {
        let mut out = Vec::new();
        let mut cursor = self.nodes.get(tip);
        while let Some(node) = cursor {
            if node.hash == *ancestor {
                break;
            }
            out.push(node.hash);
            cursor = node.parent.and_then(|p| self.nodes.get(&p));
        }
        out
    }

    fn store_orphan(&mut self, hash: Hash, block: Block) {
        while self.orphans.len() >= MAX_ORPHANS {
            let Some((_, oldest)) = self.orphans.pop_first() else {
                break;
            };
            self.orphan_index.remove(&oldest.hash());
        }
        let key = self.orphan_counter;
        self.orphan_counter = self.orphan_counter.saturating_add(1);
        self.orphans.insert(key, block);
        self.orphan_index.insert(hash, key);
    }
}
