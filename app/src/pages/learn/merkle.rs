//! `#/learn/merkle`: a Merkle tree (RFC 6962 style, from the ledger) over
//! certificates or transactions, drawn as SVG. Clicking (or pressing Enter
//! on) a leaf highlights its inclusion proof; editing a leaf changes the
//! root, and the proof no longer matches the root that was anchored.

use super::explain;
use super::{badge, fill, input_value, use_mark_done, LessonId};
use crate::i18n::learn::LearnTr;
use crate::state::settings::use_tr;
use ledger::merkle::{leaf_hash, MerkleTree};
use ledger::Hash;
use yew::prelude::*;

/// Most leaves the lesson draws.
pub const MAX_LEAVES: usize = 16;
const NODE_W: f64 = 92.0;
const NODE_H: f64 = 30.0;
const GAP: f64 = 10.0;
const LEVEL_H: f64 = 64.0;
const PAD: f64 = 8.0;
const LABEL_H: f64 = 22.0;

fn tree_of(leaves: &[String]) -> MerkleTree {
    MerkleTree::from_leaves(leaves)
}

/// Centre x of every node, level by level (leaves first). A node carried up
/// unchanged sits above its only child.
fn layout(levels: &[Vec<Hash>]) -> Vec<Vec<f64>> {
    let mut xs: Vec<Vec<f64>> = Vec::with_capacity(levels.len());
    for (depth, level) in levels.iter().enumerate() {
        let row: Vec<f64> = match depth.checked_sub(1).and_then(|d| xs.get(d)) {
            None => (0..level.len())
                .map(|i| PAD + i as f64 * (NODE_W + GAP) + NODE_W / 2.0)
                .collect(),
            Some(below) => (0..level.len())
                .map(|j| {
                    let left = below.get(2 * j).copied().unwrap_or(PAD);
                    match below.get(2 * j + 1) {
                        Some(right) => (left + right) / 2.0,
                        None => left,
                    }
                })
                .collect(),
        };
        xs.push(row);
    }
    xs
}

fn preset(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// A leaf's text, shortened for the drawing.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[derive(Properties, PartialEq)]
struct TreeProps {
    leaves: Vec<String>,
    selected: Option<usize>,
    on_select: Callback<usize>,
}

#[component]
fn TreeDrawing(props: &TreeProps) -> Html {
    let t = use_tr();
    let l: &'static LearnTr = t.learn();
    let tree = tree_of(&props.leaves);
    let levels = tree.levels();
    let xs = layout(levels);
    let depth = levels.len();
    let path = props.selected.and_then(|i| tree.proof_path(i));
    let on_path = |d: usize, i: usize| path.as_ref().is_some_and(|p| p.on_path.contains(&(d, i)));
    let is_sibling =
        |d: usize, i: usize| path.as_ref().is_some_and(|p| p.siblings.contains(&(d, i)));
    let y_of = |d: usize| PAD + 14.0 + (depth.saturating_sub(1).saturating_sub(d)) as f64 * LEVEL_H;
    let count = props.leaves.len();
    let width = PAD * 2.0 + count as f64 * (NODE_W + GAP) - GAP;
    let height = y_of(0) + NODE_H + LABEL_H + PAD;

    let mut edges = Vec::new();
    for (d, level) in levels.iter().enumerate().skip(1) {
        for j in 0..level.len() {
            let (Some(x), Some(below)) = (xs.get(d).and_then(|r| r.get(j)), xs.get(d - 1)) else {
                continue;
            };
            let children: Vec<usize> = [2 * j, 2 * j + 1]
                .into_iter()
                .filter(|c| *c < below.len())
                .collect();
            let carried = children.len() == 1;
            for c in children {
                let Some(cx) = below.get(c) else { continue };
                let lit = on_path(d, j) && on_path(d - 1, c);
                edges.push(html! {
                    <line
                        x1={format!("{x:.1}")} y1={format!("{:.1}", y_of(d) + NODE_H)}
                        x2={format!("{cx:.1}")} y2={format!("{:.1}", y_of(d - 1))}
                        class={classes!("mk-edge", lit.then_some("lit"), carried.then_some("carry"))}
                    />
                });
            }
        }
    }

    let mut nodes = Vec::new();
    for (d, level) in levels.iter().enumerate() {
        for (i, hash) in level.iter().enumerate() {
            let Some(x) = xs.get(d).and_then(|r| r.get(i)) else {
                continue;
            };
            let (mark, role) = if on_path(d, i) {
                ("▲ ", "path")
            } else if is_sibling(d, i) {
                ("◆ ", "sibling")
            } else {
                ("", "plain")
            };
            let is_root = d + 1 == depth;
            let left = x - NODE_W / 2.0;
            let y = y_of(d);
            let rect = html! {
                <rect x={format!("{left:.1}")} y={format!("{y:.1}")}
                    width={format!("{NODE_W}")} height={format!("{NODE_H}")} rx="6" />
            };
            let hash_text = html! {
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 19.0)} text-anchor="middle">
                    { format!("{mark}{}", hash.short()) }
                </text>
            };
            if d == 0 {
                let select = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |_| on_select.emit(i))
                };
                let key = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            on_select.emit(i);
                        }
                    })
                };
                let text = props.leaves.get(i).cloned().unwrap_or_default();
                // The button is the box alone, named in words; the hash and
                // the clipped text are drawn over and under it for the eye
                // (clicks pass through them), so the name a screen reader
                // hears is never at odds with text inside the button.
                nodes.push(html! {
                    <g class={classes!("mk-node", "leaf", role)}>
                        <g
                            class="mk-hit"
                            role="button"
                            tabindex="0"
                            data-leaf={i.to_string()}
                            aria-pressed={(props.selected == Some(i)).to_string()}
                            aria-label={fill(l.merkle_leaf_aria, &[("n", (i + 1).to_string()), ("text", text.clone())])}
                            onclick={select}
                            onkeydown={key}
                        >
                            { rect }
                        </g>
                        <g class="mk-overlay" aria-hidden="true">
                            { hash_text }
                            <text class="mk-label" x={format!("{x:.1}")} y={format!("{:.1}", y + NODE_H + 16.0)} text-anchor="middle">
                                { clip(&text, 13) }
                            </text>
                        </g>
                    </g>
                });
            } else {
                nodes.push(html! {
                    <g class={classes!("mk-node", role, is_root.then_some("root"))} data-level={d.to_string()}>
                        { rect }
                        { hash_text }
                        if is_root {
                            <text class="mk-label" x={format!("{x:.1}")} y={format!("{:.1}", y - 5.0)} text-anchor="middle">
                                { l.merkle_root_word }
                            </text>
                        }
                    </g>
                });
            }
        }
    }

    html! {
        <svg
            class="merkle-tree"
            viewBox={format!("0 0 {width:.0} {height:.0}")}
            role="group"
            aria-label={l.merkle_tree_aria}
            data-testid="merkle-tree"
        >
            { for edges }
            { for nodes }
        </svg>
    }
}

#[component]
pub fn MerkleLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let mark_done = use_mark_done(LessonId::Merkle);
    let leaves = use_state(|| preset(l.merkle_certificates));
    let selected = use_state(|| Some(2usize));
    let anchored = use_state(|| tree_of(&preset(l.merkle_certificates)).root());

    let tree = tree_of(&leaves);
    let root = tree.root();
    let same_root = root == *anchored;
    {
        use_effect_with(same_root, move |same| {
            if !*same {
                mark_done.emit(());
            }
        });
    }

    let on_select = {
        let selected = selected.clone();
        Callback::from(move |i: usize| selected.set(Some(i)))
    };
    let use_preset = |list: &'static [&'static str]| {
        let leaves = leaves.clone();
        let anchored = anchored.clone();
        let selected = selected.clone();
        Callback::from(move |_| {
            let new = preset(list);
            anchored.set(tree_of(&new).root());
            selected.set(Some(0));
            leaves.set(new);
        })
    };
    let anchor_now = {
        let anchored = anchored.clone();
        Callback::from(move |_| anchored.set(root))
    };
    let add_leaf = {
        let leaves = leaves.clone();
        Callback::from(move |_| {
            if leaves.len() < MAX_LEAVES {
                let mut next = (*leaves).clone();
                next.push(fill(
                    l.merkle_new_leaf,
                    &[("n", (next.len() + 1).to_string())],
                ));
                leaves.set(next);
            }
        })
    };

    let proof_panel = selected.and_then(|i| {
        let proof = tree.proof(i)?;
        let text = leaves.get(i)?.clone();
        let verdict = proof.verify(&leaf_hash(text.as_bytes()), &anchored);
        Some(html! {
            <div class="panel" data-testid="proof">
                <h2>{ fill(l.merkle_proof_heading, &[("n", (i + 1).to_string())]) }</h2>
                <p>{ fill(l.merkle_proof_size, &[
                    ("steps", proof.siblings.len().to_string()),
                    ("count", leaves.len().to_string()),
                ]) }</p>
                <ol class="proof-steps">
                    <li>{ fill(l.merkle_proof_start, &[("text", text.clone()), ("hash", leaf_hash(text.as_bytes()).short())]) }</li>
                    { for proof.siblings.iter().map(|step| html! {
                        <li>{ fill(l.merkle_proof_step, &[
                            ("side", explain::side(l, step.side).to_owned()),
                            ("hash", step.hash.short()),
                        ]) }</li>
                    }) }
                </ol>
                <p role="status" aria-live="polite" data-testid="proof-verdict">
                    { match &verdict {
                        Ok(()) => badge(true, l.merkle_proof_ok),
                        Err(e) => html! { <>
                            { badge(false, l.merkle_proof_bad) }
                            <span class="reason">{ " " }{ explain::proof_error(l, e) }</span>
                        </> },
                    } }
                </p>
            </div>
        })
    });

    html! {
        <div class="lesson-body merkle-lesson">
            <div class="row">
                <span>{ l.merkle_preset_label }</span>
                <button type="button" class="secondary" onclick={use_preset(l.merkle_certificates)}>{ l.merkle_preset_certificates }</button>
                <button type="button" class="secondary" onclick={use_preset(l.merkle_transactions)}>{ l.merkle_preset_transactions }</button>
            </div>

            <div class="panel roots" data-testid="roots">
                <p>
                    <span class="hash-label">{ l.merkle_anchored_label }</span>
                    <code class="hash" data-testid="anchored-root">{ anchored.to_string() }</code>
                </p>
                <p>
                    <span class="hash-label">{ l.merkle_current_label }</span>
                    <code class="hash" data-testid="current-root">{ root.to_string() }</code>
                </p>
                <p role="status" aria-live="polite" data-testid="root-status">
                    if same_root {
                        { badge(true, l.merkle_root_same) }
                    } else {
                        { badge(false, l.merkle_root_changed) }
                    }
                </p>
                <button type="button" class="secondary" onclick={anchor_now} disabled={same_root}>{ l.merkle_anchor }</button>
                <p class="muted">{ l.merkle_anchor_note }</p>
            </div>

            <div class="panel tree-panel">
                <p class="muted">{ l.merkle_legend }</p>
                <div class="tree-scroll">
                    <TreeDrawing leaves={(*leaves).clone()} selected={*selected} {on_select} />
                </div>
            </div>

            { proof_panel.unwrap_or_default() }

            <div class="panel">
                <h2>{ l.merkle_leaves_heading }</h2>
                <ol class="leaf-list">
                    { for leaves.iter().enumerate().map(|(i, text)| {
                        let id = format!("leaf-{}", i + 1);
                        let on_input = {
                            let leaves = leaves.clone();
                            Callback::from(move |e: InputEvent| {
                                if let Some(v) = input_value(&e) {
                                    let mut next = (*leaves).clone();
                                    if let Some(slot) = next.get_mut(i) {
                                        *slot = v;
                                    }
                                    leaves.set(next);
                                }
                            })
                        };
                        let remove = {
                            let leaves = leaves.clone();
                            let selected = selected.clone();
                            Callback::from(move |_| {
                                if leaves.len() > 1 {
                                    let mut next = (*leaves).clone();
                                    next.remove(i);
                                    selected.set(None);
                                    leaves.set(next);
                                }
                            })
                        };
                        html! {
                            <li class="row">
                                <label for={id.clone()} class="inline">{ fill(l.merkle_leaf_label, &[("n", (i + 1).to_string())]) }</label>
                                <input id={id} type="text" value={text.clone()} oninput={on_input} autocomplete="off" />
                                <button type="button" class="secondary small" onclick={remove} disabled={leaves.len() <= 1}
                                    aria-label={fill(l.merkle_remove_aria, &[("n", (i + 1).to_string())])}>{ l.merkle_remove }</button>
                            </li>
                        }
                    }) }
                </ol>
                <button type="button" class="secondary" onclick={add_leaf} disabled={leaves.len() >= MAX_LEAVES}>{ l.merkle_add }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn parents_sit_between_children_and_carried_nodes_above_their_child() {
        let leaves: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let tree = tree_of(&leaves);
        let xs = layout(tree.levels());
        assert_eq!(xs.len(), 3);
        assert_eq!(xs[1][0], (xs[0][0] + xs[0][1]) / 2.0);
        assert_eq!(xs[1][1], xs[0][2]);
        assert_eq!(xs[2][0], (xs[1][0] + xs[1][1]) / 2.0);
    }

    #[test]
    fn clipping_counts_characters() {
        assert_eq!(clip("陳大文證書", 3), "陳大…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
