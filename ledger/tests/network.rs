//! Integration tests of the simulated network and the lesson scenarios:
//! same seed same story, propagation, partitions and healing, transaction
//! gossip, configuration errors, fork resolution, the 51 % attack and the
//! double spend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{account, genesis, pay};
use ledger::network::{EventKind, MessageKind, Network, NetworkConfig, NetworkError};
use ledger::scenario::{double_spend, fork_and_resolve, majority_attack};
use ledger::{Amount, MempoolError, TxError};

fn network(seed: u64, nodes: usize) -> Network {
    Network::new(
        genesis(6, &[(&account(1), 100)]),
        NetworkConfig::new(seed, nodes),
    )
    .unwrap()
}

#[test]
fn same_seed_same_story_other_seed_other_story() {
    let mut a = network(11, 4);
    let mut b = network(11, 4);
    let mut c = network(12, 4);
    a.run_until(300);
    b.run_until(300);
    c.run_until(300);
    assert!(!a.events().is_empty());
    assert_eq!(a.events(), b.events());
    assert_ne!(a.events(), c.events());
}

#[test]
fn blocks_propagate_and_nodes_agree() {
    let mut net = network(3, 5);
    net.run_until(400);
    net.settle(100);
    assert!(net.in_consensus());
    let height = net.nodes()[0].tree.best_height();
    assert!(
        height >= 10,
        "400 ticks at one block per 10 ticks, got {height}"
    );
    let mined = net
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Mined { .. }))
        .count();
    assert!(mined as u64 >= height);
    for node in net.nodes() {
        let chain = node.tree.to_chain().unwrap();
        assert!(chain.validate().is_valid());
        assert_eq!(chain.height(), height);
    }
    // Every coinbase paid one of the node miners.
    let chain = net.nodes()[0].tree.to_chain().unwrap();
    let miners: Vec<_> = (0..5).map(|i| net.miner_address(i).unwrap()).collect();
    for block in chain.blocks() {
        let ledger::Transaction::Coinbase(cb) = &block.transactions[0] else {
            panic!("first transaction is the coinbase")
        };
        assert!(miners.contains(&cb.to));
    }
}

#[test]
fn partitions_drop_messages_and_healing_reunites() {
    let mut net = network(5, 4);
    net.run_until(50);
    net.settle(50);
    net.partition(&[vec![0, 1], vec![2, 3]]);
    let split = net.tick();
    net.run_for(200);
    let dropped = net.events().iter().any(|e| {
        e.tick > split
            && matches!(e.kind, EventKind::Dropped { from, to, .. } if (from < 2) != (to < 2))
    });
    assert!(dropped);
    assert!(!net.events().iter().any(|e| e.tick > split
        && matches!(e.kind, EventKind::Dropped { from, to, .. } if (from < 2) == (to < 2))));
    assert_ne!(
        net.nodes()[0].tree.best_tip(),
        net.nodes()[2].tree.best_tip()
    );
    net.heal();
    net.settle(500);
    assert!(net.in_consensus());
    assert!(net
        .events()
        .iter()
        .any(|e| matches!(e.kind, EventKind::Reorganized { .. })));
}

#[test]
fn transactions_spread_and_get_mined() {
    let mut net = network(8, 3);
    let tx = pay(&account(1), &account(2), 25, 1, 0);
    let id = net.submit_transaction(0, tx).unwrap();
    net.run_for(5);
    for node in 0..3 {
        assert!(net
            .events()
            .iter()
            .any(|e| e.kind == EventKind::TransactionAccepted { node, id }));
    }
    assert!(net.events().iter().any(|e| matches!(
        e.kind,
        EventKind::Sent { from: 0, message: MessageKind::Transaction(t), .. } if t == id
    )));
    net.run_for(200);
    net.settle(50);
    assert!(net.confirmations(1, &id).unwrap() >= 1);
    let state = net.nodes()[2].tree.best_state().unwrap().clone();
    assert_eq!(state.balance(&account(2).address()), Amount::new(25));
    assert!(net.nodes().iter().all(|n| !n.mempool.contains(&id)));

    // Spending more than alice has left is refused with the reason.
    let greedy = pay(&account(1), &account(2), 500, 0, 1);
    let greedy_id = net.submit_transaction(1, greedy).unwrap();
    assert!(net.events().iter().any(|e| e.kind
        == EventKind::TransactionRejected {
            node: 1,
            id: greedy_id,
            error: MempoolError::Invalid {
                id: greedy_id,
                error: TxError::Overspend {
                    account: account(1).address(),
                    balance: Amount::new(74),
                    needed: Amount::new(500),
                },
            },
        }));
}

#[test]
fn configuration_errors() {
    let g = || genesis(6, &[]);
    let mut config = NetworkConfig::new(1, 0);
    assert_eq!(
        Network::new(g(), config.clone()).map(|_| ()),
        Err(NetworkError::NodeCount { found: 0, max: 64 })
    );
    config.hash_power = vec![0, 0];
    assert_eq!(
        Network::new(g(), config.clone()).map(|_| ()),
        Err(NetworkError::NoHashPower)
    );
    config.hash_power = vec![1, 1];
    config.min_delay = 5;
    config.max_delay = 2;
    assert_eq!(
        Network::new(g(), config.clone()).map(|_| ()),
        Err(NetworkError::InvalidDelay { min: 5, max: 2 })
    );
    config.min_delay = 1;
    config.block_interval = 0;
    assert_eq!(
        Network::new(g(), config.clone()).map(|_| ()),
        Err(NetworkError::ZeroBlockInterval)
    );
    config.block_interval = 10;
    assert_eq!(
        Network::new(genesis(21, &[]), config.clone()).map(|_| ()),
        Err(NetworkError::DifficultyTooHigh {
            maximum: 20,
            found: 21
        })
    );
    let mut net = Network::new(g(), config).unwrap();
    assert_eq!(
        net.set_hash_power(7, 1),
        Err(NetworkError::UnknownNode { node: 7 })
    );
    assert_eq!(
        net.submit_transaction(2, pay(&account(1), &account(2), 1, 0, 0)),
        Err(NetworkError::UnknownNode { node: 2 })
    );
}

#[test]
fn a_fork_resolves_after_the_partition_heals() {
    let story = fork_and_resolve(21).unwrap();
    assert!(story.resolved);
    assert_ne!(story.tips_at_heal.0, story.tips_at_heal.1);
    assert!(story.healed_at > story.split_at);
    assert!(!story.reorganized.is_empty());
    assert!(story
        .network
        .nodes()
        .iter()
        .all(|n| n.tree.best_tip() == story.final_tip));
    // The losing side's tip is still known, as a side branch.
    let loser = if story.network.nodes()[0]
        .tree
        .is_on_main_chain(&story.tips_at_heal.0)
    {
        story.tips_at_heal.1
    } else {
        story.tips_at_heal.0
    };
    assert!(story.network.nodes()[0].tree.contains(&loser));
    assert!(!story.network.nodes()[0].tree.is_on_main_chain(&loser));
    // Same seed, same story.
    assert_eq!(
        fork_and_resolve(21).unwrap().network.events(),
        story.network.events()
    );
}

#[test]
fn a_majority_attacker_rewrites_recent_history() {
    let story = majority_attack(4, 3).unwrap();
    assert!(story.attacker_won);
    assert!(story.honest_blocks >= 3);
    assert!(story.attacker_blocks > story.honest_blocks);
    assert_eq!(story.reorganized.len(), 3, "every honest node reorganises");
    for (node, depth) in &story.reorganized {
        assert_ne!(*node, story.attacker);
        assert!(*depth as u64 >= story.honest_blocks);
    }
}

#[test]
fn a_double_spend_makes_a_confirmed_payment_vanish() {
    let story = double_spend(9, 2).unwrap();
    assert!(story.confirmations_at_release >= 2);
    assert_eq!(story.shop_balance_before, Amount::new(60));
    assert_eq!(story.shop_balance_after, Amount::ZERO);
    assert!(!story.payment_survived);
    let node = &story.network.nodes()[1];
    let state = node.tree.best_state().unwrap();
    assert_eq!(state.balance(&story.mallory_savings), Amount::new(60));
    assert_eq!(state.balance(&story.mallory), Amount::new(39));
    assert!(story.network.confirmations(1, &story.conflicting).is_some());
    assert!(story.network.in_consensus());
}

#[test]
fn scenarios_hold_for_several_seeds() {
    for seed in 100..103 {
        assert!(fork_and_resolve(seed).unwrap().resolved, "seed {seed}");
        assert!(
            majority_attack(seed, 2).unwrap().attacker_won,
            "seed {seed}"
        );
        assert!(
            !double_spend(seed, 1).unwrap().payment_survived,
            "seed {seed}"
        );
    }
}
