//! A simulated peer-to-peer network on a tick clock: N nodes, each with its
//! own [`BlockTree`] and [`Mempool`], seeded message delays, partitions,
//! mining by hash-power share, and an event log the app animates.
//!
//! # How a tick works
//!
//! [`Network::step`] advances the clock by one tick, then
//!
//! 1. delivers, in a fixed order, every message due at this tick (a message
//!    between nodes in different partition groups is dropped on arrival);
//! 2. draws whether some node finds a block this tick. On average one block
//!    is found every `block_interval` ticks, and node `i` is the finder with
//!    probability `hash_power[i] / total`. The finder builds a block on its
//!    best tip from its mempool, mines it for real (small difficulties
//!    only, see [`MAX_SIMULATION_DIFFICULTY`]) and sends it to every other
//!    node.
//!
//! Each message takes a random delay in `min_delay..=max_delay` ticks; the
//! messages on one link arrive in the order they were sent. A node that
//! receives a block whose parent it lacks asks the sender for the parent.
//! When a partition heals, every node sends the blocks it mined or accepted
//! during the partition to everyone, so the heaviest branch wins everywhere.
//!
//! All randomness comes from one [`SplitMix64`] seeded with
//! [`NetworkConfig::seed`]: the same seed and the same calls give the same
//! story, event for event.

use std::collections::{BTreeMap, HashMap};

use core::fmt;

use sha2::{Digest, Sha256};

use crate::block::{mine, MineOutcome};
use crate::chain::{BlockError, Genesis, GenesisError};
use crate::keys::{Account, Address};
use crate::mempool::{Mempool, MempoolError};
use crate::rng::SplitMix64;
use crate::tree::{BlockTree, InsertOutcome};
use crate::{Block, Hash, Transaction};

/// A node's position in [`Network::nodes`].
pub type NodeId = usize;

/// Most nodes in one simulation.
pub const MAX_NODES: usize = 64;
/// Highest genesis difficulty the simulation mines for real.
pub const MAX_SIMULATION_DIFFICULTY: u32 = 20;
/// Longest message delay, in ticks.
pub const MAX_DELAY: u64 = 1000;

/// Settings for [`Network::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Seed of every random choice (delays, who mines).
    pub seed: u64,
    /// One weight per node: a node's share of blocks is its weight divided
    /// by the sum. The number of entries is the number of nodes.
    pub hash_power: Vec<u32>,
    /// Shortest message delay in ticks.
    pub min_delay: u64,
    /// Longest message delay in ticks.
    pub max_delay: u64,
    /// Average ticks between blocks, network-wide.
    pub block_interval: u64,
    /// Most mempool transactions a miner puts in a block.
    pub max_block_transactions: usize,
}

impl NetworkConfig {
    /// `nodes` nodes of equal hash power, delays of 1 to 3 ticks, a block
    /// every 10 ticks on average.
    pub fn new(seed: u64, nodes: usize) -> Self {
        NetworkConfig {
            seed,
            hash_power: vec![1; nodes],
            min_delay: 1,
            max_delay: 3,
            block_interval: 10,
            max_block_transactions: 100,
        }
    }
}

/// Why a network could not be set up or a call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkError {
    /// No nodes, or more than [`MAX_NODES`].
    NodeCount {
        /// Nodes asked for.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// Every node has zero hash power.
    NoHashPower,
    /// `min_delay > max_delay`, or `max_delay` above [`MAX_DELAY`].
    InvalidDelay {
        /// The shortest delay asked for.
        min: u64,
        /// The longest delay asked for.
        max: u64,
    },
    /// `block_interval` is zero.
    ZeroBlockInterval,
    /// The genesis difficulty is too high to mine in a simulation.
    DifficultyTooHigh {
        /// The limit ([`MAX_SIMULATION_DIFFICULTY`]).
        maximum: u32,
        /// The genesis difficulty.
        found: u32,
    },
    /// The genesis is invalid.
    Genesis(GenesisError),
    /// No node with this id.
    UnknownNode {
        /// The id.
        node: NodeId,
    },
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NodeCount { found, max } => {
                write!(f, "{found} nodes asked for, between 1 and {max} allowed")
            }
            Self::NoHashPower => f.write_str("no node has any hash power"),
            Self::InvalidDelay { min, max } => write!(
                f,
                "message delay {min}..={max} is not a range within 0..={MAX_DELAY}"
            ),
            Self::ZeroBlockInterval => f.write_str("the block interval must be at least 1 tick"),
            Self::DifficultyTooHigh { maximum, found } => write!(
                f,
                "difficulty {found} is too high for a simulation (at most {maximum})"
            ),
            Self::Genesis(error) => write!(f, "invalid genesis: {error}"),
            Self::UnknownNode { node } => write!(f, "there is no node {node}"),
        }
    }
}

impl std::error::Error for NetworkError {}

/// What travels between nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A block announcement.
    Block(Block),
    /// A transaction to add to the mempool.
    Transaction(Transaction),
    /// "Please send me this block" (after receiving an orphan).
    GetBlock(Hash),
}

/// A message without its payload, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// A block, by hash.
    Block(Hash),
    /// A transaction, by id.
    Transaction(Hash),
    /// A block request, by hash.
    GetBlock(Hash),
}

impl Message {
    /// The message without its payload.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::Block(block) => MessageKind::Block(block.hash()),
            Message::Transaction(tx) => MessageKind::Transaction(tx.id()),
            Message::GetBlock(hash) => MessageKind::GetBlock(*hash),
        }
    }
}

/// What a node did with a block it received (a summary of
/// [`InsertOutcome`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockFate {
    /// Became the node's new best tip.
    ExtendedMain,
    /// Kept on a side branch.
    SideBranch,
    /// Made the node switch branches, dropping `depth` blocks.
    Reorganized {
        /// Blocks taken off the node's main chain.
        depth: usize,
    },
    /// Kept as an orphan; the parent was requested.
    Orphan,
    /// The node already had it.
    AlreadyKnown,
}

impl From<&InsertOutcome> for BlockFate {
    fn from(outcome: &InsertOutcome) -> Self {
        match outcome {
            InsertOutcome::ExtendedMain { .. } => BlockFate::ExtendedMain,
            InsertOutcome::SideBranch { .. } => BlockFate::SideBranch,
            InsertOutcome::Reorganized(reorg) => BlockFate::Reorganized {
                depth: reorg.depth(),
            },
            InsertOutcome::Orphan { .. } => BlockFate::Orphan,
            InsertOutcome::AlreadyKnown { .. } => BlockFate::AlreadyKnown,
        }
    }
}

/// Something that happened in the simulation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `node` found a block.
    Mined {
        /// The miner.
        node: NodeId,
        /// The new block.
        hash: Hash,
        /// Its height.
        height: u64,
        /// Its parent.
        parent: Hash,
        /// Number of transactions, coinbase included.
        transactions: usize,
    },
    /// A message left `from` and will arrive at `arrives`.
    Sent {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// What was sent.
        message: MessageKind,
        /// Tick of arrival.
        arrives: u64,
    },
    /// A message could not cross the partition.
    Dropped {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// What was lost.
        message: MessageKind,
    },
    /// `node` received a valid block from `from`.
    BlockReceived {
        /// The receiver.
        node: NodeId,
        /// The sender.
        from: NodeId,
        /// The block.
        hash: Hash,
        /// What the node did with it.
        fate: BlockFate,
    },
    /// `node` refused a block.
    BlockRejected {
        /// The receiver.
        node: NodeId,
        /// The sender.
        from: NodeId,
        /// The block.
        hash: Hash,
        /// Why.
        error: BlockError,
    },
    /// `node` switched to another branch.
    Reorganized {
        /// The node.
        node: NodeId,
        /// Its old best tip.
        old_tip: Hash,
        /// Its new best tip.
        new_tip: Hash,
        /// Blocks taken off its main chain.
        depth: usize,
    },
    /// A transaction entered `node`'s mempool.
    TransactionAccepted {
        /// The node.
        node: NodeId,
        /// The transaction id.
        id: Hash,
    },
    /// `node` refused a transaction.
    TransactionRejected {
        /// The node.
        node: NodeId,
        /// The transaction id.
        id: Hash,
        /// Why.
        error: MempoolError,
    },
    /// The network was split into groups.
    Partitioned {
        /// The groups, each a list of node ids.
        groups: Vec<Vec<NodeId>>,
    },
    /// The partition ended.
    Healed,
}

/// An [`EventKind`] with the tick it happened at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkEvent {
    /// The tick.
    pub tick: u64,
    /// What happened.
    pub kind: EventKind,
}

/// One simulated node.
#[derive(Clone, Debug)]
pub struct SimNode {
    /// Its id.
    pub id: NodeId,
    /// Every valid block it has seen.
    pub tree: BlockTree,
    /// Transactions it is waiting to mine.
    pub mempool: Mempool,
    /// The account its coinbases pay.
    pub miner: Account,
    /// Its weight when drawing who finds the next block.
    pub hash_power: u32,
}

#[derive(Clone, Debug)]
struct InFlight {
    from: NodeId,
    to: NodeId,
    message: Message,
}

/// The simulated network. See the [module docs](self).
///
/// ```
/// use ledger::network::{Network, NetworkConfig};
/// use ledger::{Amount, Genesis, Label};
///
/// let genesis = Genesis {
///     name: Label::new("sim").unwrap(), timestamp: 0, difficulty: 4,
///     reward: Amount::new(50), allocations: vec![],
/// };
/// let mut net = Network::new(genesis, NetworkConfig::new(42, 3)).unwrap();
/// net.run_until(200); // about 20 blocks, one every 10 ticks on average
/// net.settle(50); // no more mining; let the last messages arrive
/// assert!(net.in_consensus());
/// assert!(net.nodes()[0].tree.best_height() > 5);
/// for event in net.events().iter().take(3) {
///     println!("tick {}: {:?}", event.tick, event.kind);
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Network {
    config: NetworkConfig,
    rng: SplitMix64,
    tick: u64,
    nodes: Vec<SimNode>,
    queue: BTreeMap<(u64, u64), InFlight>,
    sequence: u64,
    link_clock: HashMap<(NodeId, NodeId), u64>,
    groups: Option<Vec<usize>>,
    partition_started: u64,
    events: Vec<NetworkEvent>,
}

fn node_seed(seed: u64, node: NodeId) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"chainclass/simulation-node/v1")
        .chain_update(seed.to_be_bytes())
        .chain_update(u64::try_from(node).unwrap_or(u64::MAX).to_be_bytes())
        .finalize()
        .into()
}

impl Network {
    /// Sets up the nodes, each with the same genesis and its own miner
    /// account (derived from the seed and the node id).
    pub fn new(genesis: Genesis, config: NetworkConfig) -> Result<Self, NetworkError> {
        let count = config.hash_power.len();
        if count == 0 || count > MAX_NODES {
            return Err(NetworkError::NodeCount {
                found: count,
                max: MAX_NODES,
            });
        }
        if config.hash_power.iter().all(|p| *p == 0) {
            return Err(NetworkError::NoHashPower);
        }
        if config.min_delay > config.max_delay || config.max_delay > MAX_DELAY {
            return Err(NetworkError::InvalidDelay {
                min: config.min_delay,
                max: config.max_delay,
            });
        }
        if config.block_interval == 0 {
            return Err(NetworkError::ZeroBlockInterval);
        }
        if genesis.difficulty > MAX_SIMULATION_DIFFICULTY {
            return Err(NetworkError::DifficultyTooHigh {
                maximum: MAX_SIMULATION_DIFFICULTY,
                found: genesis.difficulty,
            });
        }
        let tree = BlockTree::new(genesis).map_err(NetworkError::Genesis)?;
        let nodes = config
            .hash_power
            .iter()
            .enumerate()
            .map(|(id, power)| SimNode {
                id,
                tree: tree.clone(),
                mempool: Mempool::new(),
                miner: Account::from_seed(&node_seed(config.seed, id)),
                hash_power: *power,
            })
            .collect();
        Ok(Network {
            rng: SplitMix64::new(config.seed),
            config,
            tick: 0,
            nodes,
            queue: BTreeMap::new(),
            sequence: 0,
            link_clock: HashMap::new(),
            groups: None,
            partition_started: 0,
            events: Vec::new(),
        })
    }

    /// The current tick.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// The nodes, by id.
    pub fn nodes(&self) -> &[SimNode] {
        &self.nodes
    }

    /// One node.
    pub fn node(&self, id: NodeId) -> Option<&SimNode> {
        self.nodes.get(id)
    }

    /// The settings.
    pub fn config(&self) -> &NetworkConfig {
        &self.config
    }

    /// Everything that happened so far, oldest first.
    pub fn events(&self) -> &[NetworkEvent] {
        &self.events
    }

    /// Takes the events logged since the last call (for incremental
    /// animation).
    pub fn take_events(&mut self) -> Vec<NetworkEvent> {
        std::mem::take(&mut self.events)
    }

    /// Messages still travelling: `(arrival tick, from, to, what)`.
    pub fn in_flight(&self) -> Vec<(u64, NodeId, NodeId, MessageKind)> {
        self.queue
            .iter()
            .map(|((at, _), m)| (*at, m.from, m.to, m.message.kind()))
            .collect()
    }

    /// Do all nodes have the same best tip?
    pub fn in_consensus(&self) -> bool {
        let mut tips = self.nodes.iter().map(|n| n.tree.best_tip());
        match tips.next() {
            Some(first) => tips.all(|t| t == first),
            None => true,
        }
    }

    /// Changes a node's hash power (0 stops it mining).
    pub fn set_hash_power(&mut self, node: NodeId, power: u32) -> Result<(), NetworkError> {
        let slot = self
            .nodes
            .get_mut(node)
            .ok_or(NetworkError::UnknownNode { node })?;
        slot.hash_power = power;
        Ok(())
    }

    fn log(&mut self, kind: EventKind) {
        self.events.push(NetworkEvent {
            tick: self.tick,
            kind,
        });
    }

    fn connected(&self, a: NodeId, b: NodeId) -> bool {
        match &self.groups {
            None => true,
            Some(groups) => groups.get(a) == groups.get(b),
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, message: Message) {
        let delay = self
            .rng
            .between(self.config.min_delay, self.config.max_delay)
            .max(1);
        let earliest = self.tick.saturating_add(delay);
        // Messages on one link arrive in the order they were sent.
        let arrives = match self.link_clock.get(&(from, to)) {
            Some(last) => earliest.max(*last),
            None => earliest,
        };
        self.link_clock.insert((from, to), arrives);
        let kind = message.kind();
        self.queue
            .insert((arrives, self.sequence), InFlight { from, to, message });
        self.sequence = self.sequence.saturating_add(1);
        self.log(EventKind::Sent {
            from,
            to,
            message: kind,
            arrives,
        });
    }

    fn broadcast(&mut self, from: NodeId, message: &Message) {
        for to in 0..self.nodes.len() {
            if to != from {
                self.send(from, to, message.clone());
            }
        }
    }

    /// Adds a transaction to `node`'s mempool and, if accepted, sends it to
    /// every other node.
    pub fn submit_transaction(
        &mut self,
        node: NodeId,
        tx: Transaction,
    ) -> Result<Hash, NetworkError> {
        let slot = self
            .nodes
            .get_mut(node)
            .ok_or(NetworkError::UnknownNode { node })?;
        let id = tx.id();
        let state = slot.tree.best_state().cloned().unwrap_or_default();
        match slot.mempool.add(tx.clone(), &state) {
            Ok(_) => {
                self.log(EventKind::TransactionAccepted { node, id });
                self.broadcast(node, &Message::Transaction(tx));
            }
            Err(error) => self.log(EventKind::TransactionRejected { node, id, error }),
        }
        Ok(id)
    }

    /// Splits the network: nodes in different groups can no longer reach
    /// each other. Nodes not named in any group form one more group.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let rest = groups.len();
        let mut assignment = vec![rest; self.nodes.len()];
        for (group, members) in groups.iter().enumerate() {
            for member in members {
                if let Some(slot) = assignment.get_mut(*member) {
                    *slot = group;
                }
            }
        }
        self.groups = Some(assignment);
        self.partition_started = self.tick;
        self.log(EventKind::Partitioned {
            groups: groups.to_vec(),
        });
    }

    /// Ends the partition. Every node sends the main-chain blocks from the
    /// partition onward to every node it could not reach.
    pub fn heal(&mut self) {
        let Some(groups) = self.groups.take() else {
            return;
        };
        self.log(EventKind::Healed);
        let since = self.partition_started;
        let genesis_time = self.nodes.first().map_or(0, |n| n.tree.genesis().timestamp);
        for from in 0..self.nodes.len() {
            let blocks: Vec<Block> = self
                .nodes
                .get(from)
                .map(|n| {
                    n.tree
                        .main_chain()
                        .into_iter()
                        .filter(|b| b.header.timestamp >= genesis_time.saturating_add(since))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            for to in 0..self.nodes.len() {
                if groups.get(from) != groups.get(to) {
                    for block in &blocks {
                        self.send(from, to, Message::Block(block.clone()));
                    }
                }
            }
        }
    }

    /// Advances one tick: deliver due messages, then maybe mine a block.
    pub fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > self.tick {
                break;
            }
            let message = entry.remove();
            self.deliver(message);
        }
        self.maybe_mine();
    }

    /// Steps until the clock reads `tick`.
    pub fn run_until(&mut self, tick: u64) {
        while self.tick < tick {
            self.step();
        }
    }

    /// Steps `ticks` times.
    pub fn run_for(&mut self, ticks: u64) {
        self.run_until(self.tick.saturating_add(ticks));
    }

    /// Steps with mining switched off until no message is travelling (at
    /// most `max_ticks`), so the nodes can catch up.
    pub fn settle(&mut self, max_ticks: u64) {
        let end = self.tick.saturating_add(max_ticks);
        while !self.queue.is_empty() && self.tick < end {
            self.tick = self.tick.saturating_add(1);
            while let Some(entry) = self.queue.first_entry() {
                if entry.key().0 > self.tick {
                    break;
                }
                let message = entry.remove();
                self.deliver(message);
            }
        }
    }

    fn deliver(&mut self, envelope: InFlight) {
        let InFlight { from, to, message } = envelope;
        if !self.connected(from, to) {
            self.log(EventKind::Dropped {
                from,
                to,
                message: message.kind(),
            });
            return;
        }
        match message {
            Message::Block(block) => self.receive_block(to, from, block),
            Message::Transaction(tx) => {
                let Some(node) = self.nodes.get_mut(to) else {
                    return;
                };
                let id = tx.id();
                if node.mempool.contains(&id) {
                    return;
                }
                let state = node.tree.best_state().cloned().unwrap_or_default();
                match node.mempool.add(tx, &state) {
                    Ok(_) => self.log(EventKind::TransactionAccepted { node: to, id }),
                    Err(error) => self.log(EventKind::TransactionRejected {
                        node: to,
                        id,
                        error,
                    }),
                }
            }
            Message::GetBlock(hash) => {
                let block = self
                    .nodes
                    .get(to)
                    .and_then(|n| n.tree.node(&hash))
                    .and_then(|n| n.block.clone());
                if let Some(block) = block {
                    self.send(to, from, Message::Block(block));
                }
            }
        }
    }

    /// Inserts a block into `node`'s tree and handles the consequences.
    /// Returns true if the block was accepted as new.
    fn receive_block(&mut self, node: NodeId, from: NodeId, block: Block) {
        let hash = block.hash();
        let Some(slot) = self.nodes.get_mut(node) else {
            return;
        };
        let old_tip = slot.tree.best_tip();
        match slot.tree.insert(block) {
            Err(error) => self.log(EventKind::BlockRejected {
                node,
                from,
                hash,
                error,
            }),
            Ok(insertion) => {
                let fate = BlockFate::from(&insertion.outcome);
                self.log(EventKind::BlockReceived {
                    node,
                    from,
                    hash,
                    fate,
                });
                for (adopted, result) in &insertion.adopted {
                    match result {
                        Ok(outcome) => self.log(EventKind::BlockReceived {
                            node,
                            from,
                            hash: *adopted,
                            fate: BlockFate::from(outcome),
                        }),
                        Err(error) => self.log(EventKind::BlockRejected {
                            node,
                            from,
                            hash: *adopted,
                            error: *error,
                        }),
                    }
                }
                if let InsertOutcome::Orphan { missing_parent, .. } = insertion.outcome {
                    self.send(node, from, Message::GetBlock(missing_parent));
                }
                self.after_tip_change(node, old_tip);
            }
        }
    }

    /// Logs a reorganisation if the tip moved to another branch, and brings
    /// the mempool up to date: transactions of dropped blocks go back in,
    /// transactions now mined or invalid go out.
    fn after_tip_change(&mut self, node: NodeId, old_tip: Hash) {
        let Some(slot) = self.nodes.get_mut(node) else {
            return;
        };
        let new_tip = slot.tree.best_tip();
        if new_tip == old_tip {
            return;
        }
        let fork = slot.tree.fork_point(&old_tip, &new_tip);
        let mut returned = Vec::new();
        let mut depth = 0;
        if let Some(fork) = fork.filter(|f| *f != old_tip) {
            let mut cursor = slot.tree.node(&old_tip);
            while let Some(n) = cursor {
                if n.hash == fork {
                    break;
                }
                depth += 1;
                if let Some(block) = &n.block {
                    returned.extend(
                        block
                            .transactions
                            .iter()
                            .filter(|tx| !matches!(tx, Transaction::Coinbase(_)))
                            .cloned(),
                    );
                }
                cursor = n.parent.and_then(|p| slot.tree.node(&p));
            }
        }
        let state = slot.tree.best_state().cloned().unwrap_or_default();
        // Oldest blocks' transactions first, so nonces stay in order.
        returned.reverse();
        let mut pending: Vec<Transaction> = returned;
        pending.extend(slot.mempool.transactions().iter().cloned());
        slot.mempool.clear();
        for tx in pending {
            // Transactions already mined on the new branch, or now in
            // conflict with it, are refused here and simply dropped.
            let _ = slot.mempool.add(tx, &state);
        }
        if depth > 0 {
            self.log(EventKind::Reorganized {
                node,
                old_tip,
                new_tip,
                depth,
            });
        }
    }

    fn maybe_mine(&mut self) {
        let total: u64 = self.nodes.iter().map(|n| u64::from(n.hash_power)).sum();
        if total == 0 {
            return;
        }
        let draw = self
            .rng
            .below(total.saturating_mul(self.config.block_interval));
        let mut cumulative = 0u64;
        let mut winner = None;
        for node in &self.nodes {
            cumulative = cumulative.saturating_add(u64::from(node.hash_power));
            if draw < cumulative {
                winner = Some(node.id);
                break;
            }
        }
        if let Some(node) = winner {
            self.mine_block(node);
        }
    }

    /// `node` mines a block on its best tip right now and sends it out.
    pub fn mine_block(&mut self, node: NodeId) -> Option<Hash> {
        let tick = self.tick;
        let max = self.config.max_block_transactions;
        let slot = self.nodes.get_mut(node)?;
        let parent = slot.tree.best_node()?;
        let parent_hash = parent.hash;
        let timestamp = slot
            .tree
            .genesis()
            .timestamp
            .saturating_add(tick)
            .max(parent.timestamp.saturating_add(1));
        let miner = slot.miner.address();
        let candidate = slot
            .tree
            .build_block(slot.mempool.select(max), miner, timestamp)
            .or_else(|_| slot.tree.build_block(Vec::new(), miner, timestamp))
            .ok()?;
        let block = mine_fully(candidate)?;
        let hash = block.hash();
        let height = block.header.height;
        let transactions = block.transactions.len();
        let old_tip = slot.tree.best_tip();
        slot.tree.insert(block.clone()).ok()?;
        self.log(EventKind::Mined {
            node,
            hash,
            height,
            parent: parent_hash,
            transactions,
        });
        self.after_tip_change(node, old_tip);
        self.broadcast(node, &Message::Block(block));
        Some(hash)
    }

    /// Confirmations of transaction `id` on `node`'s best chain: 1 when it
    /// is in the tip block, 2 with one block on top, ...; `None` if it is
    /// not on that node's main chain.
    pub fn confirmations(&self, node: NodeId, id: &Hash) -> Option<u64> {
        let tree = &self.nodes.get(node)?.tree;
        let best = tree.best_height();
        tree.main_chain()
            .into_iter()
            .find(|b| b.transactions.iter().any(|tx| tx.id() == *id))
            .map(|b| best.saturating_sub(b.header.height).saturating_add(1))
    }

    /// The address that node `node`'s coinbases pay.
    pub fn miner_address(&self, node: NodeId) -> Option<Address> {
        self.nodes.get(node).map(|n| n.miner.address())
    }
}

/// Mines `block` from nonce 0 until a nonce works (always terminates for the
/// small difficulties the simulation allows).
fn mine_fully(block: Block) -> Option<Block> {
    let mut start = 0u64;
    loop {
        let end = start.checked_add(1 << 16)?;
        match mine(&block.header, start..end) {
            MineOutcome::Found { nonce, .. } => return Some(block.with_nonce(nonce)),
            MineOutcome::NotFound { .. } => start = end,
        }
    }
}
