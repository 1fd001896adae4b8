//! `#/learn/transactions`: the class ledger. Four class accounts start with
//! coins from the genesis; students sign transfers into a mempool, where
//! the ledger checks balances and nonces (an overspend or a replayed
//! transfer is refused with its reason), then mine a block whose coinbase
//! pays the miner the reward plus the fees. The chain is stored in
//! IndexedDB and can be exported and imported as a chain file.

use super::explain::{self, short_address};
use super::miner::{self, use_miner};
use super::{
    badge, fill, group, input_value, no_storage_note, recovery, use_mark_done, ConfirmButton,
    LessonId,
};
use crate::i18n::learn::LearnTr;
use crate::platform::{clock, files};
use crate::state::learn::{
    class_accounts, LedgerAction, LedgerNotice, LedgerRecord, LEDGER_REWARD,
};
use crate::state::settings::use_tr;
use crate::state::stored::{use_stored, StoredState};
use ledger::{
    chain_from_json, chain_to_json_pretty, Address, Amount, Block, BlockHeader, Transaction,
};
use yew::prelude::*;

/// Largest chain file the lesson opens (the ledger itself allows more).
const MAX_FILE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// Most transfers a lesson block takes from the mempool.
const MAX_BLOCK_TRANSFERS: usize = 100;
const MINER_TAG: usize = 0;

/// The name of a class member, or the short address of anyone else.
fn namer(l: &'static LearnTr) -> impl Fn(&Address) -> String {
    let class: Vec<Address> = class_accounts().iter().map(|a| a.address()).collect();
    move |address: &Address| match class.iter().position(|a| a == address) {
        Some(i) => l
            .class_names
            .get(i)
            .map_or_else(|| short_address(address), |n| (*n).to_owned()),
        None => short_address(address),
    }
}

/// One transaction as a line of text.
fn describe(l: &LearnTr, tx: &Transaction, name: &dyn Fn(&Address) -> String) -> String {
    match tx {
        Transaction::Coinbase(cb) => fill(
            l.tx_coinbase_line,
            &[("to", name(&cb.to)), ("amount", group(cb.amount.coins()))],
        ),
        Transaction::Transfer(signed) => fill(
            l.tx_transfer_line,
            &[
                ("from", name(&signed.body.from.address())),
                ("to", name(&signed.body.to)),
                ("amount", group(signed.body.amount.coins())),
                ("fee", group(signed.body.fee.coins())),
                ("nonce", signed.body.nonce.to_string()),
            ],
        ),
        Transaction::Anchor(signed) => fill(
            l.tx_anchor_line,
            &[
                ("from", name(&signed.body.from.address())),
                ("label", signed.body.label.to_string()),
            ],
        ),
    }
}

fn parse_coins(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok()
}

#[component]
pub fn TransactionsLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let state = use_stored::<LedgerRecord>();
    let miner = use_miner();
    let mark_done = use_mark_done(LessonId::Transactions);
    let from = use_state(|| 0usize);
    let to = use_state(|| 1usize);
    let amount = use_state(|| "10".to_owned());
    let fee = use_state(|| "1".to_owned());
    let miner_index = use_state(|| 3usize);
    let mine_problem = use_state(|| None::<String>);
    let import_message = use_state(|| None::<(bool, String)>);
    let rejections = use_mut_ref(|| 0u32);

    let (in_memory, state_notice) = (state.in_memory(), state.notice().cloned());
    {
        // The lesson is done once a block was mined and a transfer refused.
        let notice = state_notice.clone();
        let rejections = rejections.clone();
        let mined = state
            .value()
            .and_then(|v| v.lesson.as_ref())
            .is_some_and(|lesson| lesson.chain.height() > 0);
        use_effect_with((notice, mined), move |(notice, mined)| {
            if matches!(notice, Some(LedgerNotice::Rejected(_))) {
                *rejections.borrow_mut() += 1;
            }
            if *mined && *rejections.borrow() > 0 {
                mark_done.emit(());
            }
        });
    }

    let reset = {
        let state = state.clone();
        let miner = miner.clone();
        let import_message = import_message.clone();
        Callback::from(move |()| {
            miner.cancel();
            import_message.set(None);
            state.dispatch(LedgerAction::Reset);
        })
    };

    let lesson = match &*state {
        StoredState::Damaged { .. } => {
            return html! {
                <div class="lesson-body">
                    { recovery(l, &state, "chainclass-class-ledger.json", "recovery") }
                </div>
            };
        }
        StoredState::Ready { value, .. } => match &value.lesson {
            Some(lesson) => lesson.clone(),
            None => {
                return html! { <p class="message error" role="alert">{ l.ledger_unavailable }</p> };
            }
        },
        StoredState::Loading => {
            return html! { <p class="muted" role="status">{ l.loading }</p> };
        }
        StoredState::Unavailable(_) => {
            return html! { <p class="message error" role="alert">{ l.ledger_unavailable }</p> };
        }
    };

    let accounts = class_accounts();
    let name = namer(l);
    let chain_state = lesson.chain.state();
    let busy = miner.view.running.is_some();

    let select_setter = |handle: &UseStateHandle<usize>| {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = input_value(&e).and_then(|v| v.parse::<usize>().ok()) {
                handle.set(i);
            }
        })
    };
    let text_setter = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                handle.set(v);
            }
        })
    };
    let coins_ok = parse_coins(&amount).is_some() && parse_coins(&fee).is_some();

    let send = {
        let state = state.clone();
        let lesson = lesson.clone();
        let accounts = accounts.clone();
        let (from, to, amount, fee) = (*from, *to, (*amount).clone(), (*fee).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(sender), Some(recipient), Some(amount), Some(fee)) = (
                accounts.get(from),
                accounts.get(to),
                parse_coins(&amount),
                parse_coins(&fee),
            ) else {
                return;
            };
            let nonce = lesson.next_nonce(&sender.address());
            state.dispatch(LedgerAction::Submit(Transaction::transfer(
                sender,
                recipient.address(),
                Amount::new(amount),
                Amount::new(fee),
                nonce,
            )));
        })
    };

    let mine = {
        let state = state.clone();
        let lesson = lesson.clone();
        let miner = miner.clone();
        let mine_problem = mine_problem.clone();
        let miner_address = accounts.get(*miner_index).map(|a| a.address());
        Callback::from(move |_| {
            let Some(miner_address) = miner_address else {
                return;
            };
            let timestamp = lesson.next_timestamp(clock::now_secs());
            match lesson.chain.build_block(
                lesson.mempool.select(MAX_BLOCK_TRANSFERS),
                miner_address,
                timestamp,
            ) {
                Ok(block) => {
                    mine_problem.set(None);
                    let state = state.clone();
                    let transactions = block.transactions.clone();
                    miner.start(
                        MINER_TAG,
                        block.header,
                        Callback::from(move |header: BlockHeader| {
                            state.dispatch(LedgerAction::Mined(Block {
                                header,
                                transactions: transactions.clone(),
                            }))
                        }),
                    );
                }
                Err(e) => mine_problem.set(Some(explain::block_error(l, &e, &namer(l)))),
            }
        })
    };
    let on_cancel = {
        let miner = miner.clone();
        Callback::from(move |_| miner.cancel())
    };

    let export = {
        let chain = lesson.chain.clone();
        let import_message = import_message.clone();
        Callback::from(move |_| {
            if files::download_text(
                "chainclass-ledger.json",
                "application/json",
                &chain_to_json_pretty(&chain),
            )
            .is_err()
            {
                import_message.set(Some((false, l.download_failed.to_owned())));
            }
        })
    };
    let import = {
        let state = state.clone();
        let import_message = import_message.clone();
        Callback::from(move |e: Event| {
            let Some(file) = files::files_of_input(&e).into_iter().next() else {
                return;
            };
            // Picking the same file again must fire `change` again.
            files::reset_input(&e);
            let state = state.clone();
            let import_message = import_message.clone();
            yew::platform::spawn_local(async move {
                let refused =
                    |reason: String| Some((false, fill(l.import_refused, &[("reason", reason)])));
                match files::read_text(&file, MAX_FILE_BYTES).await {
                    Err(e) => {
                        import_message.set(refused(explain::file_error(l, &e, MAX_FILE_BYTES)))
                    }
                    Ok(text) => match chain_from_json(&text) {
                        Err(e) => {
                            import_message.set(refused(explain::import_error(l, &e, &namer(l))))
                        }
                        Ok(chain) => {
                            import_message.set(None);
                            state.dispatch(LedgerAction::Import(chain));
                        }
                    },
                }
            });
        })
    };

    let notice = state_notice.as_ref().map(|notice| match notice {
        LedgerNotice::Sent { id } => (true, fill(l.tx_sent, &[("id", format!("{}…", id.short()))])),
        LedgerNotice::Rejected(e) => (
            false,
            fill(
                l.tx_rejected,
                &[("reason", explain::mempool_error(l, e, &name))],
            ),
        ),
        LedgerNotice::Mined {
            height,
            miner,
            paid,
            transfers,
            dropped,
        } => {
            let fees = paid.coins().saturating_sub(LEDGER_REWARD);
            let mut text = fill(
                l.tx_mined,
                &[
                    ("height", height.to_string()),
                    ("miner", name(miner)),
                    ("paid", group(paid.coins())),
                    ("reward", group(LEDGER_REWARD.min(paid.coins()))),
                    ("fees", group(fees)),
                    ("count", transfers.to_string()),
                ],
            );
            for (_, error) in dropped {
                text.push(' ');
                text.push_str(&fill(
                    l.tx_dropped,
                    &[("reason", explain::tx_error(l, error, &name))],
                ));
            }
            (true, text)
        }
        LedgerNotice::BlockRefused(e) => (
            false,
            fill(
                l.tx_block_refused,
                &[("reason", explain::block_error(l, e, &name))],
            ),
        ),
        LedgerNotice::Imported { height } => {
            (true, fill(l.import_done, &[("height", height.to_string())]))
        }
        LedgerNotice::OtherTab => (false, l.other_tab_changed.to_owned()),
    });

    let account_options = |selected: usize| {
        accounts
            .iter()
            .enumerate()
            .map(|(i, account)| {
                html! {
                    <option value={i.to_string()} selected={i == selected}>
                        { fill(l.tx_account_option, &[
                            ("name", name(&account.address())),
                            ("balance", group(chain_state.balance(&account.address()).coins())),
                        ]) }
                    </option>
                }
            })
            .collect::<Html>()
    };

    // Everyone with coins or in the class, class first.
    let mut holders: Vec<Address> = accounts.iter().map(|a| a.address()).collect();
    for address in chain_state.balances().keys() {
        if !holders.contains(address) {
            holders.push(*address);
        }
    }

    html! {
        <div class="lesson-body tx-lesson">
            if in_memory { { no_storage_note(l) } }
            if state.save_error().is_some() { <p class="message error" role="alert">{ l.save_failed }</p> }

            <div class="grid2">
                <div class="panel">
                    <h2>{ l.tx_balances_heading }</h2>
                    <table data-testid="balances">
                        <thead><tr>
                            <th scope="col">{ l.tx_col_account }</th>
                            <th scope="col">{ l.tx_col_address }</th>
                            <th scope="col">{ l.tx_col_balance }</th>
                            <th scope="col">{ l.tx_col_nonce }</th>
                        </tr></thead>
                        <tbody>
                            { for holders.iter().map(|address| html! {
                                <tr data-account={name(address)}>
                                    <th scope="row">{ name(address) }</th>
                                    <td class="mono">{ short_address(address) }</td>
                                    <td class="num" data-testid="balance">{ group(chain_state.balance(address).coins()) }</td>
                                    <td class="num">{ chain_state.next_nonce(address) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <p class="muted">{ fill(l.tx_supply, &[("supply", chain_state.total_supply().to_string()), ("height", lesson.chain.height().to_string())]) }</p>
                </div>

                <form class="panel" onsubmit={send}>
                    <h2>{ l.tx_send_heading }</h2>
                    <label for="tx-from">{ l.tx_from }</label>
                    <select id="tx-from" data-testid="from" onchange={select_setter(&from)}>{ account_options(*from) }</select>
                    <label for="tx-to">{ l.tx_to }</label>
                    <select id="tx-to" data-testid="to" onchange={select_setter(&to)}>{ account_options(*to) }</select>
                    <div class="grid2 tight">
                        <div>
                            <label for="tx-amount">{ l.tx_amount }</label>
                            <input id="tx-amount" type="number" min="0" data-testid="amount"
                                value={(*amount).clone()} oninput={text_setter(&amount)} />
                        </div>
                        <div>
                            <label for="tx-fee">{ l.tx_fee }</label>
                            <input id="tx-fee" type="number" min="0" data-testid="fee"
                                value={(*fee).clone()} oninput={text_setter(&fee)} />
                        </div>
                    </div>
                    if !coins_ok {
                        <p class="field-error">{ l.tx_whole_coins }</p>
                    }
                    <p class="muted">
                        { fill(l.tx_nonce_note, &[
                            ("name", accounts.get(*from).map(|a| name(&a.address())).unwrap_or_default()),
                            ("nonce", accounts.get(*from).map(|a| lesson.next_nonce(&a.address())).unwrap_or_default().to_string()),
                        ]) }
                    </p>
                    <button type="submit" class="primary" disabled={!coins_ok} data-testid="send">
                        { l.tx_send }
                    </button>
                </form>
            </div>

            if let Some((ok, text)) = notice {
                <p class={classes!("message", if ok { "ok" } else { "error" })} role="status" aria-live="polite" data-testid="notice">
                    <span aria-hidden="true">{ if ok { "✓ " } else { "✗ " } }</span>{ text }
                </p>
            }

            <div class="panel">
                <h2>{ fill(l.tx_mempool_heading, &[("n", lesson.mempool.len().to_string())]) }</h2>
                if lesson.mempool.is_empty() {
                    <p class="muted">{ l.tx_mempool_empty }</p>
                } else {
                    <ol class="tx-list" data-testid="mempool">
                        { for lesson.mempool.transactions().iter().map(|tx| html! {
                            <li><span class="mono muted">{ format!("{}… ", tx.id().short()) }</span>{ describe(l, tx, &name) }</li>
                        }) }
                    </ol>
                }
                <div class="row">
                    <label for="tx-miner" class="inline">{ l.tx_miner_label }</label>
                    <select id="tx-miner" onchange={select_setter(&miner_index)} disabled={busy}>
                        { for accounts.iter().enumerate().map(|(i, a)| html! {
                            <option value={i.to_string()} selected={i == *miner_index}>{ name(&a.address()) }</option>
                        }) }
                    </select>
                    <button type="button" class="primary" onclick={mine} disabled={busy} data-testid="mine">
                        { l.tx_mine }
                    </button>
                </div>
                <p class="muted">{ fill(l.tx_mine_note, &[("reward", LEDGER_REWARD.to_string()), ("bits", lesson.chain.genesis().difficulty.to_string())]) }</p>
                if let Some(problem) = (*mine_problem).clone() {
                    <p class="message error" role="alert">{ problem }</p>
                }
                { miner::progress_view(l, &miner.view, lesson.chain.genesis().difficulty, on_cancel) }
                { miner::result_view(l, &miner.view, MINER_TAG) }
            </div>

            <div class="panel">
                <h2>{ l.tx_history_heading }</h2>
                <ol class="history" reversed=true data-testid="history">
                    { for lesson.chain.blocks().iter().rev().map(|block| html! {
                        <li class="history-block" data-height={block.header.height.to_string()}>
                            <p>
                                <strong>{ fill(l.chain_block_title, &[("n", block.header.height.to_string())]) }</strong>
                                { " " }<code>{ format!("{}…", block.hash().short()) }</code>
                                { " " }{ badge(true, l.tx_confirmed) }
                            </p>
                            <ul>
                                { for block.transactions.iter().map(|tx| {
                                    let replay = matches!(tx, Transaction::Transfer(_)).then(|| {
                                        let state = state.clone();
                                        let tx = tx.clone();
                                        Callback::from(move |_| state.dispatch(LedgerAction::Submit(tx.clone())))
                                    });
                                    html! {
                                        <li>
                                            { describe(l, tx, &name) }
                                            if let Some(onclick) = replay {
                                                { " " }
                                                <button type="button" class="secondary small replay" {onclick}
                                                    title={l.tx_replay_help}>{ l.tx_replay }</button>
                                            }
                                        </li>
                                    }
                                }) }
                            </ul>
                        </li>
                    }) }
                    <li class="history-block" data-height="0">
                        <p><strong>{ l.chain_genesis_title }</strong>{ " " }<code>{ format!("{}…", lesson.chain.genesis_hash().short()) }</code></p>
                        <ul>
                            { for lesson.chain.genesis().allocations.iter().map(|a| html! {
                                <li>{ fill(l.tx_allocation_line, &[("to", name(&a.address)), ("amount", group(a.amount.coins()))]) }</li>
                            }) }
                        </ul>
                    </li>
                </ol>
            </div>

            <div class="panel">
                <h2>{ l.file_heading }</h2>
                <p>{ l.file_intro }</p>
                <div class="row">
                    <button type="button" class="secondary" onclick={export} data-testid="export">{ l.file_export }</button>
                    <label for="import-file" class="inline">{ l.file_import }</label>
                    <input id="import-file" type="file" accept=".json,application/json" onchange={import} data-testid="import" />
                </div>
                if let Some((ok, text)) = (*import_message).clone() {
                    <p class={classes!("message", if ok { "ok" } else { "error" })} role="alert" data-testid="import-message">
                        <span aria-hidden="true">{ if ok { "✓ " } else { "✗ " } }</span>{ text }
                    </p>
                }
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
