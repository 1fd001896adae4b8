//! `#/learn/chain`: five (or more) linked blocks from the real ledger. Editing
//! a block's message changes its hash; the ledger's own validation then
//! marks it and every block after it, each with its exact reason. Mine a
//! block to repair it (linking it to the block before and finding a new
//! nonce), in order, until the chain is valid again. Stored in IndexedDB.

use super::explain::{self, short_address};
use super::miner::{self, use_miner};
use super::{
    badge, fill, input_value, no_storage_note, recovery, use_mark_done, ConfirmButton, LessonId,
};
use crate::i18n::learn::LearnTr;
use crate::state::learn::{AppendProblem, ChainAction, ChainLesson, CHAIN_DIFFICULTY};
use crate::state::settings::use_tr;
use crate::state::stored::{use_stored, StoredState};
use ledger::{Block, BlockHeader, BlockStatus, Label, SignatureCache, ValidationReport};
use std::collections::BTreeMap;
use yew::prelude::*;

/// The miner tag of "the new block at the end".
const NEW_BLOCK_TAG: usize = usize::MAX;

fn fresh_messages(l: &LearnTr) -> Vec<String> {
    l.chain_messages.iter().map(|m| (*m).to_owned()).collect()
}

#[component]
pub fn ChainLessonPage() -> Html {
    let t = use_tr();
    let l = t.learn();
    let state = use_stored::<ChainLesson>();
    let miner = use_miner();
    let mark_done = use_mark_done(LessonId::Chain);
    let label_errors = use_state(BTreeMap::<usize, String>::new);
    let new_message = use_state(|| l.chain_new_default.to_owned());
    // Was the chain ever broken in this visit? Repairing it finishes the lesson.
    let was_broken = use_mut_ref(|| false);

    // Nothing stored yet: start the chain with this language's messages.
    {
        let state = state.clone();
        let not_started = state.value().is_some_and(|v| v.blocks.is_empty());
        use_effect_with(not_started, move |not_started| {
            if *not_started {
                state.dispatch(ChainAction::Reset(fresh_messages(l)));
            }
        });
    }
    let (in_memory, notice) = (state.in_memory(), state.notice().is_some());

    // Validated once per render; signatures already checked are skipped.
    let signatures = use_mut_ref(SignatureCache::new);
    let report = state
        .value()
        .filter(|lesson| !lesson.blocks.is_empty())
        .map(|lesson| lesson.report_cached(&mut signatures.borrow_mut()));
    // Repairing a chain that was broken in this visit finishes the lesson.
    {
        let valid = report.as_ref().map(ValidationReport::is_valid);
        let was_broken = was_broken.clone();
        use_effect_with(valid, move |valid| match valid {
            Some(false) => *was_broken.borrow_mut() = true,
            Some(true) if *was_broken.borrow() => {
                *was_broken.borrow_mut() = false;
                mark_done.emit(());
            }
            _ => {}
        });
    }

    let reset = {
        let state = state.clone();
        let miner = miner.clone();
        let label_errors = label_errors.clone();
        Callback::from(move |()| {
            miner.cancel();
            label_errors.set(BTreeMap::new());
            state.dispatch(ChainAction::Reset(fresh_messages(l)));
        })
    };

    let lesson = match &*state {
        StoredState::Damaged { .. } => {
            return html! {
                <div class="lesson-body">
                    { recovery(l, &state, "chainclass-chain-lesson.json", "recovery") }
                </div>
            };
        }
        StoredState::Ready { value, .. } if !value.blocks.is_empty() => (**value).clone(),
        _ => {
            return html! { <p class="muted" role="status">{ l.loading }</p> };
        }
    };

    let report = report.unwrap_or_else(|| lesson.report());
    let valid = report.is_valid();
    let busy = miner.view.running.is_some();
    let name = |a: &ledger::Address| short_address(a);
    let on_cancel = {
        let miner = miner.clone();
        Callback::from(move |_| miner.cancel())
    };

    let cards = lesson.blocks.iter().enumerate().map(|(index, block)| {
        let number = index.saturating_add(1);
        let line = report.blocks.get(index);
        let status = line.map(|r| r.status);
        let hash = block.hash();
        let zeros = hash.leading_zero_bits();
        let linked = block.header.previous == lesson.parent_hash(index);
        let (class, status_word, reasons): (&str, &str, Vec<String>) = match status {
            Some(BlockStatus::Valid) => ("valid", l.chain_valid, Vec::new()),
            Some(BlockStatus::Invalid(error)) => (
                "invalid",
                l.chain_invalid,
                vec![explain::block_error(l, &error, &name)],
            ),
            Some(BlockStatus::Untrusted {
                broken_at,
                own_problem,
            }) => {
                let mut reasons = vec![fill(l.chain_untrusted, &[("broken", broken_at.to_string())])];
                if let Some(problem) = own_problem {
                    reasons.push(fill(
                        l.chain_untrusted_also,
                        &[("reason", explain::block_error(l, &problem, &name))],
                    ));
                }
                ("untrusted", l.chain_not_trusted, reasons)
            }
            None => ("invalid", l.chain_invalid, Vec::new()),
        };
        let ok = class == "valid";
        let input_id = format!("block-data-{number}");
        let on_input = {
            let state = state.clone();
            let label_errors = label_errors.clone();
            let miner = miner.clone();
            Callback::from(move |e: InputEvent| {
                let Some(text) = input_value(&e) else { return };
                let mut errors = (*label_errors).clone();
                match Label::new(text) {
                    Ok(label) => {
                        errors.remove(&index);
                        miner.clear();
                        state.dispatch(ChainAction::Edit { index, label });
                    }
                    Err(error) => {
                        errors.insert(index, explain::label_error(l, &error));
                    }
                }
                label_errors.set(errors);
            })
        };
        let on_mine = {
            let state = state.clone();
            let miner = miner.clone();
            let header = lesson.header_to_mine(index);
            Callback::from(move |_| {
                let Some(header) = header else { return };
                let state = state.clone();
                miner.start(
                    index,
                    header,
                    Callback::from(move |header: BlockHeader| {
                        state.dispatch(ChainAction::Mined { index, header })
                    }),
                );
            })
        };
        let mining_this = miner.view.running == Some(index);
        html! {
            <li>
                <article
                    class={classes!("block-card", class)}
                    data-block={number.to_string()}
                    data-status={class}
                    aria-labelledby={format!("block-title-{number}")}
                >
                    <header class="row">
                        <h3 id={format!("block-title-{number}")}>{ fill(l.chain_block_title, &[("n", number.to_string())]) }</h3>
                        { badge(ok, status_word) }
                    </header>
                    <label for={input_id.clone()}>{ fill(l.chain_data_label, &[("n", number.to_string())]) }</label>
                    <input
                        id={input_id}
                        type="text"
                        name="data"
                        value={lesson.message(index).unwrap_or_default().to_owned()}
                        oninput={on_input}
                        disabled={busy}
                        autocomplete="off"
                    />
                    if let Some(error) = label_errors.get(&index) {
                        <p class="field-error" role="alert">{ error.clone() }</p>
                    }
                    <dl class="fields">
                        <dt>{ l.field_previous }</dt>
                        <dd>
                            <code title={block.header.previous.to_string()}>{ format!("{}…", block.header.previous.short()) }</code>
                            { " " }
                            if linked {
                                <span class="link-ok">{ "✓ " }{ l.chain_link_ok }</span>
                            } else {
                                <span class="link-bad">{ "✗ " }{ l.chain_link_bad }</span>
                            }
                        </dd>
                        <dt>{ l.field_nonce }</dt>
                        <dd class="mono">{ block.header.nonce }</dd>
                        <dt>{ l.block_hash_label }</dt>
                        <dd>
                            <code title={hash.to_string()} data-testid="block-hash">{ format!("{}…", hash.to_string().get(..16).unwrap_or_default()) }</code>
                            <br />
                            <span class="muted">{ fill(l.chain_zero_bits, &[("zeros", zeros.to_string()), ("needed", block.header.difficulty.to_string())]) }</span>
                        </dd>
                    </dl>
                    if !reasons.is_empty() {
                        <ul class="reasons" data-testid="reasons">
                            { for reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }
                        </ul>
                    }
                    if mining_this {
                        { miner::progress_view(l, &miner.view, CHAIN_DIFFICULTY, on_cancel.clone()) }
                    } else {
                        <button
                            type="button"
                            class={if ok { "secondary mine" } else { "primary mine" }}
                            onclick={on_mine}
                            disabled={busy}
                            aria-label={fill(l.chain_mine_label, &[("n", number.to_string())])}
                        >{ l.chain_mine }</button>
                    }
                    { miner::result_view(l, &miner.view, index) }
                </article>
            </li>
        }
    });

    // A new block at the end (only on a valid chain).
    let next_problem = Label::new((*new_message).clone())
        .map_err(|e| explain::label_error(l, &e))
        .and_then(|label| match lesson.next_block(label) {
            Ok(block) => Ok(block),
            Err(AppendProblem::Broken(_)) => Err(l.chain_repair_first.to_owned()),
            Err(AppendProblem::Block(e)) => Err(explain::block_error(l, &e, &name)),
        });
    let on_new_message = {
        let new_message = new_message.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                new_message.set(v);
            }
        })
    };
    let on_add = {
        let state = state.clone();
        let miner = miner.clone();
        let candidate = next_problem.clone().ok();
        Callback::from(move |_| {
            let Some(block) = candidate.clone() else {
                return;
            };
            let state = state.clone();
            let Block { transactions, .. } = block.clone();
            miner.start(
                NEW_BLOCK_TAG,
                block.header,
                Callback::from(move |header: BlockHeader| {
                    state.dispatch(ChainAction::Append(Block {
                        header,
                        transactions: transactions.clone(),
                    }))
                }),
            );
        })
    };

    html! {
        <div class="lesson-body chain-lesson">
            if in_memory { { no_storage_note(l) } }
            if state.save_error().is_some() { <p class="message error" role="alert">{ l.save_failed }</p> }
            if notice { <p class="message error" role="alert" data-testid="other-tab">{ l.other_tab_changed }</p> }
            <p class="chain-summary" role="status" aria-live="polite" data-testid="chain-summary">
                if valid {
                    { badge(true, l.chain_all_valid) }
                } else {
                    { badge(false, &fill(l.chain_broken_from, &[("n", report.first_invalid.unwrap_or_default().to_string())])) }
                }
            </p>
            <ol class="chain-row">
                <li>
                    <article class="block-card genesis" data-block="0">
                        <header class="row"><h3>{ l.chain_genesis_title }</h3></header>
                        <p class="muted">{ l.chain_genesis_note }</p>
                        <dl class="fields">
                            <dt>{ l.block_hash_label }</dt>
                            <dd><code title={lesson.genesis.hash().to_string()}>{ format!("{}…", lesson.genesis.hash().short()) }</code></dd>
                            <dt>{ l.field_difficulty }</dt>
                            <dd class="mono">{ lesson.genesis.difficulty }</dd>
                        </dl>
                    </article>
                </li>
                { for cards }
            </ol>
            <div class="panel">
                <h2>{ l.chain_add_heading }</h2>
                <label for="new-block-message">{ l.chain_add_label }</label>
                <input id="new-block-message" type="text" value={(*new_message).clone()}
                    oninput={on_new_message} disabled={busy} autocomplete="off" />
                if let Err(problem) = &next_problem {
                    <p class="field-error">{ problem.clone() }</p>
                }
                if miner.view.running == Some(NEW_BLOCK_TAG) {
                    { miner::progress_view(l, &miner.view, CHAIN_DIFFICULTY, on_cancel.clone()) }
                } else {
                    <button type="button" class="primary" onclick={on_add}
                        disabled={busy || next_problem.is_err()} data-testid="add-block">{ l.chain_add }</button>
                }
                { miner::result_view(l, &miner.view, NEW_BLOCK_TAG) }
            </div>
            <div class="row">
                <ConfirmButton
                    label={l.reset_lesson}
                    question={l.reset_lesson_question}
                    confirm={l.reset_confirm}
                    cancel={l.cancel}
                    on_confirm={reset}
                />
            </div>
        </div>
    }
}
