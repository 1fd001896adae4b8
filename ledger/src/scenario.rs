//! Ready-made stories for the network lessons, each a deterministic run of
//! the [`Network`] simulation: a fork that resolves, a 51 % attack, and a
//! double spend. The same seed always tells the same story; the returned
//! network keeps the full event log for the app to replay.

use crate::chain::{Allocation, Genesis};
use crate::keys::{Account, Address};
use crate::network::{EventKind, Network, NetworkConfig, NetworkError, NodeId};
use crate::tx::Label;
use crate::{Amount, Hash, Transaction};

/// Difficulty (leading zero bits) used by every scenario.
pub const SCENARIO_DIFFICULTY: u32 = 8;
/// Upper bound on the ticks any phase of a scenario may take.
pub const SCENARIO_TICK_LIMIT: u64 = 5_000;

fn genesis(name: &str, allocations: Vec<Allocation>) -> Genesis {
    Genesis {
        // Scenario names are short literals and always valid labels.
        name: Label::new(name).unwrap_or_default(),
        timestamp: 1_700_000_000,
        difficulty: SCENARIO_DIFFICULTY,
        reward: Amount::new(50),
        allocations,
    }
}

/// Runs until `done` holds or `limit` more ticks passed; true if `done` held.
fn run_while_not(network: &mut Network, limit: u64, done: impl Fn(&Network) -> bool) -> bool {
    let end = network.tick().saturating_add(limit);
    while network.tick() < end {
        if done(network) {
            return true;
        }
        network.step();
    }
    done(network)
}

/// Runs until every node has the same best tip and nothing is in flight.
fn run_to_consensus(network: &mut Network) -> bool {
    run_while_not(network, SCENARIO_TICK_LIMIT, |n| {
        n.in_consensus() && n.in_flight().is_empty()
    })
}

fn reorganized_after(network: &Network, tick: u64) -> Vec<(NodeId, usize)> {
    network
        .events()
        .iter()
        .filter(|e| e.tick >= tick)
        .filter_map(|e| match e.kind {
            EventKind::Reorganized { node, depth, .. } => Some((node, depth)),
            _ => None,
        })
        .collect()
}

/// Height of `node`'s best tip.
fn height_of(network: &Network, node: NodeId) -> u64 {
    network.node(node).map_or(0, |n| n.tree.best_height())
}

fn work_of(network: &Network, node: NodeId) -> u128 {
    network
        .node(node)
        .and_then(|n| n.tree.best_node())
        .map_or(0, |n| n.cumulative_work)
}

/// The story of [`fork_and_resolve`].
#[derive(Clone, Debug)]
pub struct ForkStory {
    /// The network after the story, with its event log.
    pub network: Network,
    /// Tick at which the network split in two.
    pub split_at: u64,
    /// Tick at which it healed.
    pub healed_at: u64,
    /// Best tip of group A (nodes 0, 1) and group B (nodes 2, 3) at the heal.
    pub tips_at_heal: (Hash, Hash),
    /// The tip every node agrees on at the end.
    pub final_tip: Hash,
    /// Nodes that switched branch after the heal, with how many blocks they
    /// dropped.
    pub reorganized: Vec<(NodeId, usize)>,
    /// Did all nodes agree at the end?
    pub resolved: bool,
}

/// Four equal nodes; the network splits into {0, 1} and {2, 3}, both sides
/// keep mining, then it heals and the branch with more work wins everywhere.
pub fn fork_and_resolve(seed: u64) -> Result<ForkStory, NetworkError> {
    let mut config = NetworkConfig::new(seed, 4);
    config.block_interval = 6;
    let mut network = Network::new(genesis("fork lesson", Vec::new()), config)?;
    network.run_until(30);
    run_to_consensus(&mut network);
    let split_at = network.tick();
    let base = height_of(&network, 0);
    network.partition(&[vec![0, 1], vec![2, 3]]);
    run_while_not(&mut network, SCENARIO_TICK_LIMIT, |n| {
        height_of(n, 0) >= base.saturating_add(2)
            && height_of(n, 2) >= base.saturating_add(2)
            && n.in_flight().is_empty()
    });
    let tips_at_heal = (
        network.node(0).map_or(Hash::ZERO, |n| n.tree.best_tip()),
        network.node(2).map_or(Hash::ZERO, |n| n.tree.best_tip()),
    );
    let healed_at = network.tick();
    network.heal();
    let resolved = run_to_consensus(&mut network);
    Ok(ForkStory {
        final_tip: network.node(0).map_or(Hash::ZERO, |n| n.tree.best_tip()),
        reorganized: reorganized_after(&network, healed_at),
        network,
        split_at,
        healed_at,
        tips_at_heal,
        resolved,
    })
}

/// The story of [`majority_attack`].
#[derive(Clone, Debug)]
pub struct AttackStory {
    /// The network after the story.
    pub network: Network,
    /// The attacker's node (node 0, with 60 % of the hash power).
    pub attacker: NodeId,
    /// Tick at which the attacker went dark (mined in secret).
    pub hidden_at: u64,
    /// Tick at which the attacker published its chain.
    pub released_at: u64,
    /// Honest blocks mined while the attacker was hidden.
    pub honest_blocks: u64,
    /// Secret blocks the attacker mined meanwhile.
    pub attacker_blocks: u64,
    /// Honest nodes that switched to the attacker's chain, with how many
    /// honest blocks each threw away.
    pub reorganized: Vec<(NodeId, usize)>,
    /// Does every node end on the attacker's chain?
    pub attacker_won: bool,
}

/// Node 0 has 60 % of the hash power. It mines in secret until the honest
/// nodes have `honest_blocks` new blocks and its own chain has more work,
/// then publishes: every honest node throws its blocks away.
pub fn majority_attack(seed: u64, honest_blocks: u64) -> Result<AttackStory, NetworkError> {
    let mut config = NetworkConfig::new(seed, 4);
    config.hash_power = vec![60, 14, 13, 13];
    config.block_interval = 5;
    let mut network = Network::new(genesis("51% attack lesson", Vec::new()), config)?;
    network.run_until(20);
    run_to_consensus(&mut network);
    let hidden_at = network.tick();
    let base = height_of(&network, 1);
    network.partition(&[vec![0], vec![1, 2, 3]]);
    run_while_not(&mut network, SCENARIO_TICK_LIMIT, |n| {
        height_of(n, 1) >= base.saturating_add(honest_blocks) && work_of(n, 0) > work_of(n, 1)
    });
    let released_at = network.tick();
    let honest = height_of(&network, 1).saturating_sub(base);
    let secret = height_of(&network, 0).saturating_sub(base);
    let attacker_tip_before = network.node(0).map(|n| n.tree.best_tip());
    network.heal();
    run_to_consensus(&mut network);
    let attacker_won = attacker_tip_before.is_some_and(|tip| {
        network
            .nodes()
            .iter()
            .all(|n| n.tree.is_on_main_chain(&tip))
    });
    Ok(AttackStory {
        reorganized: reorganized_after(&network, released_at)
            .into_iter()
            .filter(|(node, _)| *node != 0)
            .collect(),
        network,
        attacker: 0,
        hidden_at,
        released_at,
        honest_blocks: honest,
        attacker_blocks: secret,
        attacker_won,
    })
}

/// The story of [`double_spend`].
#[derive(Clone, Debug)]
pub struct DoubleSpendStory {
    /// The network after the story.
    pub network: Network,
    /// Mallory's account (the attacker, who also runs node 0 with 60 % of
    /// the hash power).
    pub mallory: Address,
    /// The shop Mallory pays.
    pub shop: Address,
    /// Mallory's second account, which receives the coins instead.
    pub mallory_savings: Address,
    /// Id of the payment to the shop (seen by the honest nodes).
    pub payment: Hash,
    /// Id of the conflicting transfer (same nonce, mined in secret).
    pub conflicting: Hash,
    /// Confirmations the payment had on honest node 1 when Mallory
    /// published her chain.
    pub confirmations_at_release: u64,
    /// The shop's balance on honest node 1 just before the release.
    pub shop_balance_before: Amount,
    /// The shop's balance on node 1 at the end.
    pub shop_balance_after: Amount,
    /// Is the payment still on node 1's main chain at the end?
    pub payment_survived: bool,
}

/// Mallory pays the shop 60 coins on the public network while her node,
/// hidden, mines a chain where the same coins (same nonce) go to her own
/// second account. Once the shop sees `confirmations` confirmations and her
/// secret chain has more work, she publishes it and the payment vanishes.
pub fn double_spend(seed: u64, confirmations: u64) -> Result<DoubleSpendStory, NetworkError> {
    let mallory = Account::from_seed(&[0x4d; 32]);
    let savings = Account::from_seed(&[0x53; 32]);
    let shop = Account::from_seed(&[0x70; 32]);
    let mut config = NetworkConfig::new(seed, 4);
    config.hash_power = vec![60, 14, 13, 13];
    config.block_interval = 5;
    let allocations = vec![Allocation {
        address: mallory.address(),
        amount: Amount::new(100),
    }];
    let mut network = Network::new(genesis("double spend lesson", allocations), config)?;
    network.run_until(20);
    run_to_consensus(&mut network);
    network.partition(&[vec![0], vec![1, 2, 3]]);
    let payment =
        Transaction::transfer(&mallory, shop.address(), Amount::new(60), Amount::new(1), 0);
    let conflicting = Transaction::transfer(
        &mallory,
        savings.address(),
        Amount::new(60),
        Amount::new(1),
        0,
    );
    let payment_id = network.submit_transaction(1, payment)?;
    let conflicting_id = network.submit_transaction(0, conflicting)?;
    run_while_not(&mut network, SCENARIO_TICK_LIMIT, |n| {
        n.confirmations(1, &payment_id).unwrap_or(0) >= confirmations
            && work_of(n, 0) > work_of(n, 1)
    });
    let confirmations_at_release = network.confirmations(1, &payment_id).unwrap_or(0);
    let shop_balance = |n: &Network| {
        n.node(1)
            .and_then(|node| node.tree.best_state())
            .map_or(Amount::ZERO, |s| s.balance(&shop.address()))
    };
    let shop_balance_before = shop_balance(&network);
    network.heal();
    run_to_consensus(&mut network);
    Ok(DoubleSpendStory {
        shop_balance_after: shop_balance(&network),
        payment_survived: network.confirmations(1, &payment_id).is_some(),
        network,
        mallory: mallory.address(),
        shop: shop.address(),
        mallory_savings: savings.address(),
        payment: payment_id,
        conflicting: conflicting_id,
        confirmations_at_release,
        shop_balance_before,
    })
}
