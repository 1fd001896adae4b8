//! `#/learn/block`: one block with a number, data and a nonce. Its hash is
//! valid only with enough leading zero bits; a slider sets how many (0–24).
//! Mine searches nonces in slices that never hold the page for more than a
//! few milliseconds, with progress, hash rate and Cancel.

use super::miner::{self, use_miner};
use super::{badge, fill, group, input_value, use_mark_done, LessonId};
use crate::state::settings::use_tr;
use ledger::merkle::leaf_hash;
use ledger::{BlockHeader, Hash, BLOCK_VERSION};
use yew::prelude::*;

/// Highest difficulty the slider offers.
pub const MAX_LESSON_DIFFICULTY: u32 = 24;
const BLOCK_TIME: u64 = 1_700_000_000;
/// The miner tag of the only block on this page.
const TAG: usize = 0;

/// The header of the lesson's block: the data goes in as its Merkle root
/// (a one-leaf tree), the block before it is "nothing yet" (all zeros).
fn header_for(height: u64, data: &str, difficulty: u32, nonce: u64) -> BlockHeader {
    BlockHeader {
        version: BLOCK_VERSION,
        height,
        previous: Hash::ZERO,
        merkle_root: leaf_hash(data.as_bytes()),
        timestamp: BLOCK_TIME,
        difficulty,
        nonce,
    }
}

/// The hash in hex, its leading zero digits marked.
fn hex_view(hash: &Hash) -> Html {
    let hex = hash.to_string();
    let zeros = hex.chars().take_while(|c| *c == '0').count();
    let (head, tail) = hex.split_at(zeros.min(hex.len()));
    html! {
        <code class="hash" data-testid="hash">
            <span class="zero">{ head.to_owned() }</span>{ tail.to_owned() }
        </code>
    }
}

/// The hash in bits, the first `needed` boxed.
fn bits_view(hash: &Hash, needed: u32) -> Html {
    let needed = usize::try_from(needed).unwrap_or(usize::MAX);
    let bits: Vec<char> = hash
        .as_bytes()
        .iter()
        .flat_map(|b| {
            (0..8)
                .rev()
                .map(move |i| if (b >> i) & 1 == 1 { '1' } else { '0' })
        })
        .collect();
    let (need, rest) = bits.split_at(needed.min(bits.len()));
    let need: String = need.iter().collect();
    let rest: String = rest.iter().collect();
    html! {
        <code class="hash bits" data-testid="hash">
            <span class="need">{ need }</span>{ rest }
        </code>
    }
}

#[component]
pub fn BlockLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let mark_done = use_mark_done(LessonId::Block);
    let height = use_state(|| 1u64);
    let data = use_state(|| l.block_default_data.to_owned());
    let nonce = use_state(|| 0u64);
    let difficulty = use_state(|| 8u32);
    let binary = use_state(|| false);
    let miner = use_miner();
    let busy = miner.view.running.is_some();

    let header = header_for(*height, &data, *difficulty, *nonce);
    let hash = header.hash();
    let zeros = hash.leading_zero_bits();
    let valid = zeros >= *difficulty;

    let on_data = {
        let data = data.clone();
        let miner = miner.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                miner.clear();
                data.set(v);
            }
        })
    };
    let on_height = {
        let height = height.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.trim().parse::<u64>().ok()) {
                height.set(v);
            }
        })
    };
    let on_nonce = {
        let nonce = nonce.clone();
        let miner = miner.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.trim().parse::<u64>().ok()) {
                miner.clear();
                nonce.set(v);
            }
        })
    };
    let on_difficulty = {
        let difficulty = difficulty.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.parse::<u32>().ok()) {
                difficulty.set(v.min(MAX_LESSON_DIFFICULTY));
            }
        })
    };
    let on_mine = {
        let miner = miner.clone();
        let nonce = nonce.clone();
        let difficulty = *difficulty;
        Callback::from(move |_| {
            let nonce = nonce.clone();
            let mark_done = mark_done.clone();
            miner.start(
                TAG,
                header,
                Callback::from(move |found: BlockHeader| {
                    nonce.set(found.nonce);
                    if difficulty >= 16 {
                        mark_done.emit(());
                    }
                }),
            );
        })
    };
    let on_cancel = {
        let miner = miner.clone();
        Callback::from(move |_| miner.cancel())
    };
    let toggle_binary = {
        let binary = binary.clone();
        Callback::from(move |_| binary.set(!*binary))
    };
    let hex_digits = *difficulty / 4;
    let status_text = if valid {
        fill(
            l.block_valid,
            &[
                ("zeros", zeros.to_string()),
                ("needed", difficulty.to_string()),
            ],
        )
    } else {
        fill(
            l.block_invalid,
            &[
                ("zeros", zeros.to_string()),
                ("needed", difficulty.to_string()),
            ],
        )
    };

    html! {
        <div class="lesson-body block-lesson">
            <div class="panel">
                <label for="difficulty">
                    { fill(l.block_difficulty_label, &[("bits", difficulty.to_string())]) }
                </label>
                <input
                    id="difficulty"
                    type="range"
                    min="0"
                    max={MAX_LESSON_DIFFICULTY.to_string()}
                    step="1"
                    value={difficulty.to_string()}
                    oninput={on_difficulty}
                    disabled={busy}
                    data-testid="difficulty"
                    aria-valuetext={fill(l.block_difficulty_value, &[("bits", difficulty.to_string())])}
                />
                <p class="muted">
                    { fill(l.block_difficulty_help, &[
                        ("bits", difficulty.to_string()),
                        ("hex", hex_digits.to_string()),
                        ("tries", group(miner::expected_tries(*difficulty) as u64)),
                    ]) }
                </p>
            </div>

            <article
                class={classes!("block-card", "big", if valid { "valid" } else { "invalid" })}
                data-testid="block"
                data-valid={valid.to_string()}
            >
                <header class="row">
                    <h2>{ l.block_heading }</h2>
                    <span data-testid="block-status">{ badge(valid, &status_text) }</span>
                </header>
                <div class="grid2">
                    <div>
                        <label for="block-height">{ l.block_number_label }</label>
                        <input id="block-height" type="number" min="0" value={height.to_string()}
                            oninput={on_height} disabled={busy} />
                    </div>
                    <div>
                        <label for="block-nonce">{ l.block_nonce_label }</label>
                        <input id="block-nonce" type="number" min="0" value={nonce.to_string()}
                            oninput={on_nonce} disabled={busy} data-testid="nonce" />
                    </div>
                </div>
                <label for="block-data">{ l.block_data_label }</label>
                <textarea id="block-data" class="short" value={(*data).clone()} oninput={on_data}
                    disabled={busy} data-testid="data" />
                <p class="muted">{ l.block_previous_note }</p>
                <div class="row hash-head">
                    <span class="hash-label">{ l.block_hash_label }</span>
                    <button
                        type="button"
                        class="secondary small"
                        aria-pressed={binary.to_string()}
                        onclick={toggle_binary}
                        data-testid="binary-toggle"
                    >{ l.block_show_bits }</button>
                </div>
                if *binary { { bits_view(&hash, *difficulty) } } else { { hex_view(&hash) } }
                <div class="row">
                    <button type="button" class="primary" onclick={on_mine} disabled={busy}
                        data-testid="mine">{ l.block_mine }</button>
                </div>
                { miner::progress_view(l, &miner.view, *difficulty, on_cancel) }
                { miner::result_view(l, &miner.view, TAG) }
            </article>

            <details class="panel">
                <summary>{ l.block_inside_heading }</summary>
                <p>{ l.block_inside_intro }</p>
                <table class="header-table">
                    <tbody>
                        <tr><th scope="row">{ l.field_version }</th><td class="mono">{ header.version }</td></tr>
                        <tr><th scope="row">{ l.field_height }</th><td class="mono">{ header.height }</td></tr>
                        <tr><th scope="row">{ l.field_previous }</th><td class="mono">{ header.previous.to_string() }</td></tr>
                        <tr><th scope="row">{ l.field_merkle_root }</th><td class="mono">{ header.merkle_root.to_string() }</td></tr>
                        <tr><th scope="row">{ l.field_timestamp }</th><td class="mono">{ header.timestamp }</td></tr>
                        <tr><th scope="row">{ l.field_difficulty }</th><td class="mono">{ header.difficulty }</td></tr>
                        <tr><th scope="row">{ l.field_nonce }</th><td class="mono">{ header.nonce }</td></tr>
                    </tbody>
                </table>
            </details>
        </div>
    }
}
