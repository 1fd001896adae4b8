//! `#/learn/network`: the ledger's seeded network simulation. Three to eight
//! peers mine and pass blocks to each other with visible delays; splitting
//! the network makes a fork, and reconnecting it shows every peer switching
//! to the branch with the most work. Two scripted stories (`ledger::scenario`)
//! explain a 51 % attack and a double spend. The same seed always replays
//! the same story, tick for tick.

use super::explain::{self, short_address};
use super::{badge, fill, group, input_value, use_mark_done, LessonId};
use crate::i18n::learn::LearnTr;
use crate::state::settings::use_tr;
use ledger::network::{
    BlockFate, EventKind, MessageKind, Network, NetworkConfig, NetworkError, NetworkEvent, NodeId,
};
use ledger::scenario;
use ledger::{Amount, Genesis, Hash, Label};
use std::cell::Cell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;
use std::time::Duration;
use yew::prelude::*;

/// The seed the lesson starts with (any seed tells a complete story).
pub const DEFAULT_SEED: u64 = 7;
/// The number of peers the lesson starts with.
pub const DEFAULT_PEERS: usize = 4;
/// Fewest and most peers offered.
pub const MIN_PEERS: usize = 3;
/// See [`MIN_PEERS`].
pub const MAX_PEERS: usize = 8;
const TICK_MS: u64 = 450;
const LOG_LEN: usize = 60;
const AGREE_LIMIT: u64 = 2_000;

/// Peer names: letters, the same in every language.
fn peer(id: NodeId) -> String {
    char::from_u32(
        u32::try_from(id)
            .unwrap_or(0)
            .saturating_add(u32::from('A')),
    )
    .map_or_else(|| id.to_string(), String::from)
}

fn peer_list(ids: &[NodeId]) -> String {
    ids.iter().map(|i| peer(*i)).collect::<Vec<_>>().join(", ")
}

fn genesis() -> Genesis {
    Genesis {
        name: Label::new("ChainClass network lesson").unwrap_or_default(),
        timestamp: 1_700_000_000,
        difficulty: scenario::SCENARIO_DIFFICULTY,
        reward: Amount::new(50),
        allocations: Vec::new(),
    }
}

/// A message on its way, for drawing.
#[derive(Clone, Copy, Debug)]
struct Flight {
    sent: u64,
    arrives: u64,
    from: NodeId,
    to: NodeId,
    kind: MessageKind,
}

/// One side of the split, when the network was reconnected.
#[derive(Clone, Debug, PartialEq)]
struct GroupTip {
    members: Vec<NodeId>,
    tip: Hash,
    height: u64,
    work: u128,
}

/// How the fork ended.
#[derive(Clone, Debug, PartialEq)]
struct ForkOutcome {
    winner: GroupTip,
    losers: Vec<GroupTip>,
    switched: Vec<(NodeId, usize)>,
}

/// The simulation plus what the page remembers about it.
struct Sim {
    net: Network,
    groups: Option<Vec<Vec<NodeId>>>,
    healed: Option<(u64, Vec<GroupTip>)>,
    outcome: Option<ForkOutcome>,
    flights: Vec<Flight>,
    log: VecDeque<NetworkEvent>,
    switched: Vec<(NodeId, usize)>,
    attacker: bool,
}

impl Sim {
    fn new(seed: u64, peers: usize) -> Result<Self, NetworkError> {
        Ok(Self::from_network(Network::new(
            genesis(),
            NetworkConfig::new(seed, peers),
        )?))
    }

    fn from_network(mut net: Network) -> Self {
        let history = net.take_events();
        let mut sim = Sim {
            net,
            groups: None,
            healed: None,
            outcome: None,
            flights: Vec::new(),
            log: VecDeque::new(),
            switched: Vec::new(),
            attacker: false,
        };
        sim.absorb(history);
        sim.flights.clear();
        sim
    }

    fn peers(&self) -> usize {
        self.net.nodes().len()
    }

    fn absorb(&mut self, events: Vec<NetworkEvent>) {
        for event in events {
            match &event.kind {
                EventKind::Sent {
                    from,
                    to,
                    message,
                    arrives,
                } => self.flights.push(Flight {
                    sent: event.tick,
                    arrives: *arrives,
                    from: *from,
                    to: *to,
                    kind: *message,
                }),
                EventKind::Reorganized { node, depth, .. } => {
                    if self.healed.is_some() {
                        self.switched.push((*node, *depth));
                    }
                    self.push_log(event);
                }
                EventKind::BlockReceived {
                    fate: BlockFate::AlreadyKnown,
                    ..
                } => {}
                _ => self.push_log(event),
            }
        }
        let tick = self.net.tick();
        self.flights.retain(|f| f.arrives > tick);
        self.check_outcome();
    }

    fn push_log(&mut self, event: NetworkEvent) {
        self.log.push_back(event);
        while self.log.len() > LOG_LEN {
            self.log.pop_front();
        }
    }

    fn step(&mut self) {
        self.net.step();
        let events = self.net.take_events();
        self.absorb(events);
    }

    fn run(&mut self, ticks: u64) {
        for _ in 0..ticks {
            self.step();
        }
    }

    fn settled(&self) -> bool {
        self.net.in_consensus() && self.net.in_flight().is_empty()
    }

    /// Delivers everything without mining, then keeps going until all
    /// peers agree (a tie needs one more block to break it).
    fn run_until_agreement(&mut self) {
        self.net.settle(500);
        let events = self.net.take_events();
        self.absorb(events);
        let end = self.net.tick().saturating_add(AGREE_LIMIT);
        while !self.settled() && self.net.tick() < end {
            self.step();
        }
    }

    fn tip_of(&self, members: &[NodeId]) -> Option<GroupTip> {
        let first = *members.first()?;
        let node = self.net.node(first)?.tree.best_node()?;
        Some(GroupTip {
            members: members.to_vec(),
            tip: node.hash,
            height: node.height,
            work: node.cumulative_work,
        })
    }

    fn split(&mut self) {
        let half = self.peers().div_ceil(2);
        let groups = vec![
            (0..half).collect::<Vec<_>>(),
            (half..self.peers()).collect(),
        ];
        self.net.partition(&groups);
        self.groups = Some(groups);
        self.healed = None;
        self.outcome = None;
        self.switched.clear();
        let events = self.net.take_events();
        self.absorb(events);
    }

    fn heal(&mut self) {
        let Some(groups) = self.groups.take() else {
            return;
        };
        let tips = groups.iter().filter_map(|g| self.tip_of(g)).collect();
        self.healed = Some((self.net.tick(), tips));
        self.switched.clear();
        self.net.heal();
        let events = self.net.take_events();
        self.absorb(events);
    }

    fn check_outcome(&mut self) {
        if self.outcome.is_some() || !self.settled() {
            return;
        }
        let Some((_, tips)) = &self.healed else {
            return;
        };
        let Some(tree) = self.net.node(0).map(|n| &n.tree) else {
            return;
        };
        let Some(winner) = tips.iter().find(|t| tree.is_on_main_chain(&t.tip)).cloned() else {
            return;
        };
        let losers = tips
            .iter()
            .filter(|t| t.tip != winner.tip)
            .cloned()
            .collect();
        self.outcome = Some(ForkOutcome {
            winner,
            losers,
            switched: self.switched.clone(),
        });
    }

    fn set_attacker(&mut self, on: bool) {
        let others = u32::try_from(self.peers().saturating_sub(1)).unwrap_or(1);
        // 60 % of the total: 1.5 times everyone else together.
        let power = if on { (others * 3).div_ceil(2) } else { 1 };
        if self.net.set_hash_power(0, power).is_ok() {
            self.attacker = on;
        }
    }

    /// Every distinct best tip, most work first.
    fn tips(&self) -> Vec<Hash> {
        let mut tips: Vec<(u128, Hash)> = self
            .net
            .nodes()
            .iter()
            .filter_map(|n| n.tree.best_node().map(|b| (b.cumulative_work, b.hash)))
            .collect();
        tips.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        tips.dedup_by(|a, b| a.1 == b.1);
        tips.into_iter().map(|(_, h)| h).collect()
    }

    fn group_of(&self, id: NodeId) -> Option<usize> {
        self.groups
            .as_ref()?
            .iter()
            .position(|members| members.contains(&id))
    }
}

/// A network event as a sentence (`None` for events not worth showing).
fn describe(l: &LearnTr, event: &NetworkEvent) -> Option<String> {
    let text = match &event.kind {
        EventKind::Mined {
            node, hash, height, ..
        } => fill(
            l.net_ev_mined,
            &[
                ("peer", peer(*node)),
                ("height", height.to_string()),
                ("hash", hash.short()),
            ],
        ),
        EventKind::BlockReceived {
            node,
            from,
            hash,
            fate,
        } => {
            let template = match fate {
                BlockFate::ExtendedMain => l.net_ev_extended,
                BlockFate::SideBranch => l.net_ev_side,
                BlockFate::Reorganized { .. } => l.net_ev_switch_block,
                BlockFate::Orphan => l.net_ev_orphan,
                BlockFate::AlreadyKnown => return None,
            };
            fill(
                template,
                &[
                    ("peer", peer(*node)),
                    ("from", peer(*from)),
                    ("hash", hash.short()),
                ],
            )
        }
        EventKind::BlockRejected {
            node, hash, error, ..
        } => fill(
            l.net_ev_rejected,
            &[
                ("peer", peer(*node)),
                ("hash", hash.short()),
                ("reason", explain::block_error(l, error, &short_address)),
            ],
        ),
        EventKind::Reorganized { node, depth, .. } => fill(
            l.net_ev_reorg,
            &[("peer", peer(*node)), ("depth", depth.to_string())],
        ),
        EventKind::Dropped { from, to, .. } => fill(
            l.net_ev_dropped,
            &[("from", peer(*from)), ("to", peer(*to))],
        ),
        EventKind::TransactionAccepted { node, id } => {
            fill(l.net_ev_tx_ok, &[("peer", peer(*node)), ("id", id.short())])
        }
        EventKind::TransactionRejected { node, id, error } => fill(
            l.net_ev_tx_bad,
            &[
                ("peer", peer(*node)),
                ("id", id.short()),
                ("reason", explain::mempool_error(l, error, &short_address)),
            ],
        ),
        EventKind::Partitioned { groups } => fill(
            l.net_ev_split,
            &[(
                "groups",
                groups
                    .iter()
                    .map(|g| format!("{{{}}}", peer_list(g)))
                    .collect::<Vec<_>>()
                    .join(" | "),
            )],
        ),
        EventKind::Healed => l.net_ev_healed.to_owned(),
        EventKind::Sent { .. } => return None,
    };
    Some(fill(
        l.net_ev_tick,
        &[("tick", event.tick.to_string()), ("text", text)],
    ))
}

/// Facts of the 51 % attack story.
#[derive(Clone, Debug, PartialEq)]
struct AttackFacts {
    seed: u64,
    hidden_at: u64,
    released_at: u64,
    honest: u64,
    secret: u64,
    switched: Vec<(NodeId, usize)>,
    won: bool,
}

/// Facts of the double-spend story.
#[derive(Clone, Debug, PartialEq)]
struct DoubleSpendFacts {
    seed: u64,
    confirmations: u64,
    before: Amount,
    after: Amount,
    survived: bool,
}

const ATTACK_HONEST_BLOCKS: u64 = 3;
const DOUBLE_SPEND_CONFIRMATIONS: u64 = 2;

#[component]
pub fn NetworkLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let mark_done = use_mark_done(LessonId::Network);
    let seed = use_state(|| DEFAULT_SEED);
    let seed_text = use_state(|| DEFAULT_SEED.to_string());
    let peers = use_state(|| DEFAULT_PEERS);
    let sim = use_mut_ref(|| Sim::new(DEFAULT_SEED, DEFAULT_PEERS).ok());
    let update = use_force_update();
    let playing = use_state(|| false);
    let attack = use_state(|| None::<AttackFacts>);
    let double = use_state(|| None::<DoubleSpendFacts>);
    let story_error = use_state(|| None::<String>);

    // Play: one tick every TICK_MS until paused or the page is left.
    {
        let sim = sim.clone();
        let update = update.clone();
        use_effect_with(*playing, move |playing| {
            let stop = Rc::new(Cell::new(false));
            if *playing {
                let stop = stop.clone();
                yew::platform::spawn_local(async move {
                    loop {
                        yew::platform::time::sleep(Duration::from_millis(TICK_MS)).await;
                        if stop.get() {
                            break;
                        }
                        if let Some(sim) = sim.borrow_mut().as_mut() {
                            sim.step();
                        }
                        update.force_update();
                    }
                });
            }
            move || stop.set(true)
        });
    }
    // Finishing a fork finishes the lesson.
    {
        let resolved = sim.borrow().as_ref().is_some_and(|s| s.outcome.is_some());
        use_effect_with(resolved, move |resolved| {
            if *resolved {
                mark_done.emit(());
            }
        });
    }

    let act = |f: fn(&mut Sim)| {
        let sim = sim.clone();
        let update = update.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = sim.borrow_mut().as_mut() {
                f(s);
            }
            update.force_update();
        })
    };
    let restart = {
        let sim = sim.clone();
        let update = update.clone();
        let seed_text = seed_text.clone();
        let seed = seed.clone();
        let peers = *peers;
        let playing = playing.clone();
        Callback::from(move |_: MouseEvent| {
            let value = seed_text.trim().parse::<u64>().unwrap_or(*seed);
            seed.set(value);
            seed_text.set(value.to_string());
            playing.set(false);
            *sim.borrow_mut() = Sim::new(value, peers).ok();
            update.force_update();
        })
    };
    let on_peers = {
        let peers = peers.clone();
        Callback::from(move |e: Event| {
            if let Some(n) = input_value(&e).and_then(|v| v.parse::<usize>().ok()) {
                peers.set(n.clamp(MIN_PEERS, MAX_PEERS));
            }
        })
    };
    let on_seed = {
        let seed_text = seed_text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                seed_text.set(v);
            }
        })
    };
    let toggle_play = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(!*playing))
    };
    let play_attack = {
        let attack = attack.clone();
        let story_error = story_error.clone();
        let seed = *seed;
        Callback::from(
            move |_| match scenario::majority_attack(seed, ATTACK_HONEST_BLOCKS) {
                Ok(story) => {
                    story_error.set(None);
                    attack.set(Some(AttackFacts {
                        seed,
                        hidden_at: story.hidden_at,
                        released_at: story.released_at,
                        honest: story.honest_blocks,
                        secret: story.attacker_blocks,
                        switched: story.reorganized,
                        won: story.attacker_won,
                    }))
                }
                Err(e) => story_error.set(Some(e.to_string())),
            },
        )
    };
    let play_double = {
        let double = double.clone();
        let story_error = story_error.clone();
        let seed = *seed;
        Callback::from(
            move |_| match scenario::double_spend(seed, DOUBLE_SPEND_CONFIRMATIONS) {
                Ok(story) => {
                    story_error.set(None);
                    double.set(Some(DoubleSpendFacts {
                        seed,
                        confirmations: story.confirmations_at_release,
                        before: story.shop_balance_before,
                        after: story.shop_balance_after,
                        survived: story.payment_survived,
                    }))
                }
                Err(e) => story_error.set(Some(e.to_string())),
            },
        )
    };
    let show_story = |which: u8| {
        let sim = sim.clone();
        let update = update.clone();
        let playing = playing.clone();
        let seed = *seed;
        Callback::from(move |_: MouseEvent| {
            let network = match which {
                0 => scenario::majority_attack(seed, ATTACK_HONEST_BLOCKS).map(|s| s.network),
                _ => scenario::double_spend(seed, DOUBLE_SPEND_CONFIRMATIONS).map(|s| s.network),
            };
            if let Ok(network) = network {
                playing.set(false);
                *sim.borrow_mut() = Some(Sim::from_network(network));
                update.force_update();
            }
        })
    };

    let guard = sim.borrow();
    let Some(s) = guard.as_ref() else {
        return html! { <p class="message error" role="alert">{ l.net_unavailable }</p> };
    };
    let n = s.peers();
    let tick = s.net.tick();
    let tips = s.tips();
    let settled = s.settled();
    let split = s.groups.is_some();

    // Blocks every peer has on its main chain.
    let mut shared: Option<BTreeSet<Hash>> = None;
    for node in s.net.nodes() {
        let chain: BTreeSet<Hash> = node.tree.main_chain().iter().map(|b| b.hash()).collect();
        shared = Some(match shared {
            None => chain,
            Some(acc) => acc.intersection(&chain).copied().collect(),
        });
    }
    let shared = shared.unwrap_or_default();

    // Drawing: peers on a circle.
    let (cx, cy, radius) = (210.0_f64, 185.0_f64, 140.0_f64);
    let position = |i: NodeId| {
        let angle =
            std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    let mut links = Vec::new();
    for a in 0..n {
        for b in (a + 1)..n {
            let (x1, y1) = position(a);
            let (x2, y2) = position(b);
            let cut = split && s.group_of(a) != s.group_of(b);
            links.push(html! {
                <line x1={format!("{x1:.1}")} y1={format!("{y1:.1}")} x2={format!("{x2:.1}")} y2={format!("{y2:.1}")}
                    class={classes!("net-link", cut.then_some("cut"))} />
            });
        }
    }
    let flights = s.flights.iter().map(|f| {
        let (x1, y1) = position(f.from);
        let (x2, y2) = position(f.to);
        let span = f.arrives.saturating_sub(f.sent).max(1) as f64;
        let done = (tick.saturating_sub(f.sent) as f64 / span).clamp(0.0, 1.0);
        let (x, y) = (x1 + (x2 - x1) * done, y1 + (y2 - y1) * done);
        match f.kind {
            MessageKind::Block(_) => html! {
                <rect class="msg block" x={format!("{:.1}", x - 6.0)} y={format!("{:.1}", y - 6.0)} width="12" height="12" rx="2" />
            },
            _ => html! {
                <circle class="msg other" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="4" />
            },
        }
    });
    let peer_nodes = s.net.nodes().iter().map(|node| {
        let (x, y) = position(node.id);
        let best = node.tree.best_node();
        let tip = best.map(|b| b.hash).unwrap_or_default();
        let branch = tips.iter().position(|t| *t == tip).unwrap_or_default();
        let height = best.map_or(0, |b| b.height);
        let group_label = s.group_of(node.id).map(|g| fill(l.net_group_short, &[("n", (g + 1).to_string())]));
        html! {
            <g class={classes!("peer", format!("branch-{}", branch % 4))} data-peer={peer(node.id)}
                data-tip={tip.to_string()} data-height={height.to_string()}>
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="31" />
                <text class="peer-name" x={format!("{x:.1}")} y={format!("{:.1}", y - 8.0)} text-anchor="middle">{ peer(node.id) }</text>
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 6.0)} text-anchor="middle">{ format!("#{height}") }</text>
                <text class="peer-tip" x={format!("{x:.1}")} y={format!("{:.1}", y + 19.0)} text-anchor="middle">{ tip.short().get(..4).unwrap_or_default().to_owned() }</text>
                if let Some(label) = group_label {
                    <text class="peer-group" x={format!("{x:.1}")} y={format!("{:.1}", y - 37.0)} text-anchor="middle">{ label }</text>
                }
            </g>
        }
    });

    let status = if settled {
        let height = s.net.node(0).map_or(0, |n| n.tree.best_height());
        badge(
            true,
            &fill(
                l.net_agree,
                &[
                    ("height", height.to_string()),
                    ("hash", tips.first().map(|h| h.short()).unwrap_or_default()),
                ],
            ),
        )
    } else if tips.len() > 1 {
        badge(
            false,
            &fill(l.net_disagree, &[("n", tips.len().to_string())]),
        )
    } else {
        html! { <span class="status warning"><span aria-hidden="true">{ "…" }</span>{ l.net_travelling }</span> }
    };

    let outcome = s.outcome.as_ref().map(|o| {
        let loser = o.losers.first();
        let tie = loser.is_some_and(|lo| lo.work == o.winner.work);
        let mut text = fill(
            if tie {
                l.net_resolved_tie
            } else {
                l.net_resolved
            },
            &[
                ("winners", peer_list(&o.winner.members)),
                ("height", o.winner.height.to_string()),
                (
                    "work",
                    group(u64::try_from(o.winner.work).unwrap_or(u64::MAX)),
                ),
                ("other_height", loser.map_or(0, |x| x.height).to_string()),
                (
                    "other_work",
                    group(loser.map_or(0, |x| u64::try_from(x.work).unwrap_or(u64::MAX))),
                ),
            ],
        );
        if !o.switched.is_empty() {
            text.push(' ');
            text.push_str(&fill(
                l.net_switched,
                &[(
                    "list",
                    o.switched
                        .iter()
                        .map(|(node, depth)| {
                            fill(
                                l.net_switched_one,
                                &[("peer", peer(*node)), ("depth", depth.to_string())],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            ));
        }
        html! {
            <p class="message ok" role="status" data-testid="fork-outcome">
                <span aria-hidden="true">{ "✓ " }</span>{ text }
            </p>
        }
    });

    let split_note = s.groups.as_ref().map(|groups| {
        html! {
            <p class="message info" role="status" data-testid="split-note">
                { fill(l.net_split_note, &[(
                    "groups",
                    groups.iter().enumerate()
                        .map(|(g, m)| fill(l.net_group_members, &[("n", (g + 1).to_string()), ("peers", peer_list(m))]))
                        .collect::<Vec<_>>()
                        .join(" · "),
                )]) }
            </p>
        }
    });

    html! {
        <div class="lesson-body net-lesson">
            <div class="panel controls">
                <div class="row">
                    <label for="net-peers" class="inline">{ l.net_peers_label }</label>
                    <select id="net-peers" onchange={on_peers} data-testid="peers">
                        { for (MIN_PEERS..=MAX_PEERS).map(|k| html! {
                            <option value={k.to_string()} selected={k == *peers}>{ k }</option>
                        }) }
                    </select>
                    <label for="net-seed" class="inline">{ l.net_seed_label }</label>
                    <input id="net-seed" type="number" min="0" class="seed" value={(*seed_text).clone()} oninput={on_seed} data-testid="seed" />
                    <button type="button" class="secondary" onclick={restart} data-testid="restart">{ l.net_restart }</button>
                </div>
                <p class="muted">{ fill(l.net_seed_note, &[("seed", seed.to_string())]) }</p>
                <div class="row">
                    <button type="button" class="primary" onclick={toggle_play} aria-pressed={playing.to_string()} data-testid="play">
                        { if *playing { l.net_pause } else { l.net_play } }
                    </button>
                    <button type="button" class="secondary" onclick={act(Sim::step)} data-testid="step">{ l.net_step }</button>
                    <button type="button" class="secondary" onclick={act(|s| s.run(10))} data-testid="run10">{ l.net_run10 }</button>
                    if split {
                        <button type="button" class="primary" onclick={act(Sim::heal)} data-testid="heal">{ l.net_heal }</button>
                    } else {
                        <button type="button" class="secondary" onclick={act(Sim::split)} data-testid="split">{ l.net_split }</button>
                    }
                    <button type="button" class="secondary" onclick={act(Sim::run_until_agreement)} data-testid="agree">{ l.net_agree_button }</button>
                    <button type="button" class="secondary" aria-pressed={s.attacker.to_string()} onclick={act(|s| { let on = !s.attacker; s.set_attacker(on) })} data-testid="attacker">
                        { l.net_attacker }
                    </button>
                </div>
            </div>

            <p class="net-status" role="status" aria-live="polite" data-testid="net-status">
                <span class="tick">{ fill(l.net_tick, &[("tick", tick.to_string())]) }</span>
                { " " }{ status }
            </p>
            { split_note.unwrap_or_default() }
            { outcome.unwrap_or_default() }

            <div class="grid2 net-view">
                <div class="panel">
                    <svg class="net-drawing" viewBox="0 0 420 375" role="img" aria-label={l.net_drawing_aria}>
                        { for links }
                        { for flights }
                        { for peer_nodes }
                    </svg>
                    <p class="muted">{ l.net_legend }</p>
                </div>
                <div class="panel">
                    <h2>{ l.net_log_heading }</h2>
                    if s.log.is_empty() {
                        <p class="muted">{ l.net_log_empty }</p>
                    }
                    <ol class="net-log" data-testid="net-log">
                        { for s.log.iter().rev().filter_map(|e| describe(l, e)).take(14).map(|line| html! { <li>{ line }</li> }) }
                    </ol>
                </div>
            </div>

            <div class="panel">
                <h2>{ l.net_chains_heading }</h2>
                <table class="net-chains" data-testid="net-chains">
                    <thead><tr>
                        <th scope="col">{ l.net_col_peer }</th>
                        <th scope="col">{ l.net_col_power }</th>
                        <th scope="col">{ l.net_col_work }</th>
                        <th scope="col">{ l.net_col_chain }</th>
                    </tr></thead>
                    <tbody>
                        { for s.net.nodes().iter().map(|node| {
                            let chain = node.tree.main_chain();
                            let skip = chain.len().saturating_sub(7);
                            let work = node.tree.best_node().map_or(0, |b| b.cumulative_work);
                            let total: u64 = s.net.nodes().iter().map(|x| u64::from(x.hash_power)).sum();
                            let share = u64::from(node.hash_power) * 100 / total.max(1);
                            html! {
                                <tr data-peer={peer(node.id)}>
                                    <th scope="row">{ peer(node.id) }</th>
                                    <td class="num">{ format!("{share} %") }</td>
                                    <td class="num">{ group(u64::try_from(work).unwrap_or(u64::MAX)) }</td>
                                    <td>
                                        <ol class="mini-chain">
                                            if skip > 0 { <li class="more">{ "…" }</li> }
                                            { for chain.iter().skip(skip).map(|b| {
                                                let on_all = shared.contains(&b.hash());
                                                html! {
                                                    <li class={classes!(if on_all { "shared" } else { "forked" })}>
                                                        { format!("#{} {}", b.header.height, b.hash().short().get(..4).unwrap_or_default()) }
                                                        if !on_all { <span class="fork-mark" title={l.net_fork_mark}>{ " *" }</span> }
                                                    </li>
                                                }
                                            }) }
                                        </ol>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <p class="muted">{ l.net_chains_legend }</p>
            </div>

            <div class="grid2">
                <div class="panel story" data-testid="story-attack">
                    <h2>{ l.net_attack_heading }</h2>
                    <p>{ l.net_attack_intro }</p>
                    <div class="row">
                        <button type="button" class="primary" onclick={play_attack} data-testid="play-attack">{ l.net_story_play }</button>
                        <button type="button" class="secondary" onclick={show_story(0)}>{ l.net_story_show }</button>
                    </div>
                    if let Some(f) = (*attack).clone() {
                        <ol class="story-facts">
                            <li>{ fill(l.net_attack_1, &[("seed", f.seed.to_string())]) }</li>
                            <li>{ fill(l.net_attack_2, &[("tick", f.hidden_at.to_string())]) }</li>
                            <li>{ fill(l.net_attack_3, &[("honest", f.honest.to_string()), ("secret", f.secret.to_string())]) }</li>
                            <li>{ fill(l.net_attack_4, &[
                                ("tick", f.released_at.to_string()),
                                ("list", f.switched.iter().map(|(p, d)| fill(l.net_switched_one, &[("peer", peer(*p)), ("depth", d.to_string())])).collect::<Vec<_>>().join(", ")),
                            ]) }</li>
                        </ol>
                        <p>{ if f.won { badge(false, l.net_attack_won) } else { badge(true, l.net_attack_failed) } }</p>
                        <p class="muted">{ l.net_attack_lesson }</p>
                    }
                </div>
                <div class="panel story" data-testid="story-double">
                    <h2>{ l.net_double_heading }</h2>
                    <p>{ l.net_double_intro }</p>
                    <div class="row">
                        <button type="button" class="primary" onclick={play_double} data-testid="play-double">{ l.net_story_play }</button>
                        <button type="button" class="secondary" onclick={show_story(1)}>{ l.net_story_show }</button>
                    </div>
                    if let Some(f) = (*double).clone() {
                        <ol class="story-facts">
                            <li>{ l.net_double_1 }</li>
                            <li>{ l.net_double_2 }</li>
                            <li>{ fill(l.net_double_3, &[("confirmations", f.confirmations.to_string()), ("before", group(f.before.coins()))]) }</li>
                            <li>{ fill(l.net_double_4, &[("after", group(f.after.coins()))]) }</li>
                        </ol>
                        <p>{ if f.survived { badge(true, l.net_double_survived) } else { badge(false, l.net_double_vanished) } }</p>
                        <p class="muted">{ fill(l.net_double_lesson, &[("seed", f.seed.to_string())]) }</p>
                    }
                </div>
            </div>
            if let Some(e) = (*story_error).clone() {
                <p class="message error" role="alert">{ l.net_unavailable }<br /><small>{ e }</small></p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_default_story_forks_and_the_most_work_wins() {
        let mut sim = Sim::new(DEFAULT_SEED, DEFAULT_PEERS).unwrap();
        sim.run(30);
        sim.split();
        sim.run(40);
        assert!(sim.tips().len() >= 2, "both sides mined: a fork");
        sim.heal();
        sim.run_until_agreement();
        let outcome = sim.outcome.clone().expect("resolved");
        assert!(outcome.losers.iter().all(|l| l.work <= outcome.winner.work));
        assert!(sim.net.in_consensus());
        assert!(!outcome.switched.is_empty());
    }

    #[test]
    fn peers_are_letters() {
        assert_eq!(peer(0), "A");
        assert_eq!(peer(7), "H");
        assert_eq!(peer_list(&[0, 2]), "A, C");
    }

    #[test]
    fn attacker_gets_sixty_percent() {
        let mut sim = Sim::new(1, 4).unwrap();
        sim.set_attacker(true);
        let powers: Vec<u32> = sim.net.nodes().iter().map(|n| n.hash_power).collect();
        assert_eq!(powers, [5, 1, 1, 1]);
        sim.set_attacker(false);
        assert_eq!(sim.net.nodes()[0].hash_power, 1);
    }
}
