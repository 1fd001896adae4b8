//! `#/wallet`: the student's wallet — a holder key, credentials added by
//! paste, link or file (only ones that verify), a card and a report for each,
//! sharing as link / QR / file, signed presentations, backup and restore, and
//! a recovery screen for stored data that cannot be read.

mod key;
mod share;

use crate::pages::recovery::{Recovery, RecoveryText};
use crate::pages::verify::{file_problem, problem_text, Report};
use crate::platform::files::{self, MAX_TEXT_FILE};
use crate::state::settings::{use_lang, use_tr};
use crate::state::verify::{certificate_text, needs_rdfc, run, Extras, Verdict};
use crate::state::wallet::{self, WalletAction, WalletHandle, WalletState, WalletTextError};
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use share::{Present, Share};

/// A message shown after an action.
#[derive(Clone, PartialEq)]
enum Notice {
    Ok(String),
    Error(String),
    Rejected(Rc<Value>),
}

fn import(
    state: &WalletHandle,
    notice: &UseStateHandle<Option<Notice>>,
    t: &'static crate::i18n::Tr,
    text: &str,
) {
    let text = match certificate_text(text) {
        Ok(text) => text,
        Err(p) => return notice.set(Some(Notice::Error(problem_text(t, p).to_owned()))),
    };
    let outcome = run(&text, &Extras::default());
    if !needs_rdfc(&outcome.report) {
        return add_if_valid(state, notice, t, outcome);
    }
    // An eddsa-rdfc-2022 or Ed25519Signature2020 proof: checked in the
    // verifier's worker, which holds the JSON-LD processor.
    let (state, notice) = (state.clone(), notice.clone());
    wasm_bindgen_futures::spawn_local(async move {
        match crate::jobs::verify_with_ledger(&text, &Extras::default()).await {
            Ok(outcome) => add_if_valid(&state, &notice, t, outcome),
            Err(_) => notice.set(Some(Notice::Error(
                problem_text(t, crate::state::verify::InputProblem::SignatureCheckFailed)
                    .to_owned(),
            ))),
        }
    });
}

fn add_if_valid(
    state: &WalletHandle,
    notice: &UseStateHandle<Option<Notice>>,
    t: &'static crate::i18n::Tr,
    outcome: crate::state::verify::Outcome,
) {
    let w = t.wallet();
    if outcome.presentation {
        return notice.set(Some(Notice::Error(w.rejected_presentation.to_owned())));
    }
    match (outcome.verdict(), outcome.doc) {
        (Verdict::Invalid, _) | (_, None) => {
            notice.set(Some(Notice::Rejected(Rc::new(outcome.report))))
        }
        (_, Some(doc)) => {
            let there = matches!(&**state, WalletState::Ready { value: wallet, .. } if wallet.contains(&doc));
            state.dispatch(WalletAction::Add(doc));
            notice.set(Some(Notice::Ok(
                if there { w.already_there } else { w.imported }.to_owned(),
            )));
        }
    }
}

/// `#/wallet`
#[component]
pub fn Wallet() -> Html {
    let t = use_tr();
    let w = t.wallet();
    let state = crate::state::stored::use_stored::<wallet::Wallet>();
    let notice = use_state(|| None::<Notice>);
    let input = use_state(String::new);

    let body = match &*state {
        WalletState::Loading => {
            html! { <p class="note" data-testid="wallet-loading">{ w.loading }</p> }
        }
        WalletState::Unavailable(e) => html! {
            <p class="message error" role="alert">{ w.unavailable }{ " " }<code>{ e.clone() }</code></p>
        },
        WalletState::Damaged { raw, reason } => html! {
            <Recovery raw={raw.clone()} file_name="chainclass-wallet-unreadable.json"
                text={RecoveryText {
                    title: w.damaged_title,
                    body: w.damaged_body,
                    newer: matches!(reason, WalletTextError::NewerVersion(_)).then_some(w.damaged_newer),
                    download: w.damaged_download,
                    reset: w.damaged_reset,
                    reset_confirm: w.damaged_reset_confirm,
                }}
                testid="recovery-screen" on_reset={let state = state.clone(); Callback::from(move |()| state.reset())} />
        },
        WalletState::Ready { value: wallet, .. } => {
            let oninput = {
                let input = input.clone();
                Callback::from(move |e: InputEvent| {
                    if let Some(a) = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                    {
                        input.set(a.value());
                    }
                })
            };
            let onimport = {
                let (state, notice, input) = (state.clone(), notice.clone(), input.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    import(&state, &notice, t, &input);
                })
            };
            let onfile = {
                let (state, notice) = (state.clone(), notice.clone());
                Callback::from(move |e: Event| {
                    if let Some(file) = files::files_of_input(&e).into_iter().next() {
                        let (state, notice) = (state.clone(), notice.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            match files::read_text(&file, MAX_TEXT_FILE).await {
                                Ok(text) => import(&state, &notice, t, &text),
                                Err(err) => notice.set(Some(Notice::Error(
                                    problem_text(t, file_problem(&err)).to_owned(),
                                ))),
                            }
                        });
                    }
                    files::reset_input(&e);
                })
            };
            let on_scan = {
                let (state, notice) = (state.clone(), notice.clone());
                Callback::from(move |text: String| import(&state, &notice, t, &text))
            };
            html! {
                <>
                    <key::HolderKey wallet={wallet.clone()} state={state.clone()} />
                    <form class="panel" onsubmit={onimport}>
                        <h2>{ w.import_title }</h2>
                        <label for="wallet-input">{ w.import_label }</label>
                        <textarea id="wallet-input" data-testid="wallet-input" placeholder={w.import_placeholder}
                            value={(*input).clone()} {oninput} spellcheck="false" />
                        <div class="row">
                            <button type="submit" class="primary" data-testid="wallet-import">{ w.import_button }</button>
                            <label class="button secondary file-button">
                                { w.import_file }
                                <input type="file" accept=".json,application/json" data-testid="wallet-file" onchange={onfile} />
                            </label>
                        </div>
                        <crate::pages::verify::scan::QrScanner on_text={on_scan} />
                    </form>
                    { notice_view(t, &notice) }
                    { crate::pages::recovery::save_problem(t, w.save_failed, state.save_error()) }
                    <h2>{ w.list_title }</h2>
                    if wallet.credentials.is_empty() {
                        <p class="note" data-testid="wallet-empty">{ w.empty }</p>
                    }
                    <div class="wallet-list" data-testid="wallet-list">
                        { for wallet.credentials.iter().enumerate().map(|(i, e)| html! {
                            <Item key={i} index={i} credential={Rc::new(e.credential.clone())}
                                added={e.added_at.clone()} holder={wallet.holder().cloned().map(Rc::new)} state={state.clone()} />
                        }) }
                    </div>
                    <Backup wallet={wallet.clone()} state={state.clone()} />
                </>
            }
        }
    };
    // Whether every change is stored (IndexedDB writes are asynchronous): a
    // stable hook for tests that reload, and for anyone inspecting the page.
    let saved = !matches!(&*state, WalletState::Ready { dirty: true, .. });
    let revision = state.saved_revision().1;
    html! {
        <section class="page" data-page="wallet" data-saved={saved.to_string()} data-revision={revision.to_string()}>
            { super::intro("wallet", t.wallet_title, t.wallet_intro) }
            { body }
        </section>
    }
}

fn notice_view(t: &'static crate::i18n::Tr, notice: &UseStateHandle<Option<Notice>>) -> Html {
    match &**notice {
        None => html! {},
        Some(Notice::Ok(m)) => {
            html! { <p class="message ok" role="status" data-testid="wallet-notice">{ m.clone() }</p> }
        }
        Some(Notice::Error(m)) => {
            html! { <p class="message error" role="alert" data-testid="wallet-notice">{ m.clone() }</p> }
        }
        Some(Notice::Rejected(report)) => html! {
            <div>
                <p class="message error" role="alert" data-testid="wallet-notice">{ t.wallet().rejected_invalid }</p>
                <Report report={report.clone()} />
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    index: usize,
    credential: Rc<Value>,
    added: String,
    holder: Option<Rc<wallet::StoredHolder>>,
    state: WalletHandle,
}

#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    Details,
    Share,
    Present,
    ConfirmDelete,
}

#[component]
fn Item(props: &ItemProps) -> Html {
    let t = use_tr();
    let lang = use_lang();
    let w = t.wallet();
    let open = use_state(|| Open::None);
    let doc = &*props.credential;
    let title = crate::pages::verify::card::title(doc, lang)
        .unwrap_or_else(|| t.verify().card_untitled.to_owned());
    let facts = crate::pages::verify::answer::Facts::of(doc, lang);
    let issuer = facts.issuer.clone().unwrap_or_default();
    let toggle = |which: Open| {
        let open = open.clone();
        Callback::from(move |_| open.set(if *open == which { Open::None } else { which }))
    };
    let delete = {
        let state = props.state.clone();
        let index = props.index;
        let open = open.clone();
        Callback::from(move |_| {
            state.dispatch(WalletAction::Delete(index));
            open.set(Open::None);
        })
    };
    // The report, once the details are open: checked on the page, or in the
    // verifier's worker for an eddsa-rdfc-2022 or Ed25519Signature2020 proof
    // (the page's "couldn't check" shows until the worker answers).
    let report = use_state(|| None::<Rc<Value>>);
    {
        let report = report.clone();
        use_effect_with(
            (props.credential.clone(), *open == Open::Details),
            move |(c, show)| {
                if !*show {
                    report.set(None);
                    return;
                }
                let text = c.to_string();
                let outcome = run(&text, &Extras::default());
                let in_worker = needs_rdfc(&outcome.report);
                report.set(Some(Rc::new(outcome.report)));
                if in_worker {
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(o) =
                            crate::jobs::verify_with_ledger(&text, &Extras::default()).await
                        {
                            report.set(Some(Rc::new(o.report)));
                        }
                    });
                }
            },
        );
    }
    html! {
        <article class="wallet-item card" data-testid="wallet-item">
            <h3>{ title }</h3>
            <p class="hint">
                // Two certificates of one programme differ by whom they were issued to.
                if let Some(name) = facts.name {
                    <strong class="wallet-name" data-testid="wallet-name">{ name }</strong>{ " · " }
                }
                { issuer }{ " · " }{ w.added_on }{ " " }{ crate::i18n::format_date(&props.added, lang) }
            </p>
            <div class="row">
                <button type="button" class="secondary" onclick={toggle(Open::Details)} data-testid="wallet-details">
                    { if *open == Open::Details { w.hide } else { w.details } }</button>
                <button type="button" class="secondary" onclick={toggle(Open::Share)} data-testid="wallet-share">{ w.share }</button>
                <button type="button" class="secondary" onclick={toggle(Open::Present)} data-testid="wallet-present">{ w.present }</button>
                <button type="button" class="secondary" onclick={toggle(Open::ConfirmDelete)} data-testid="wallet-delete">{ w.delete }</button>
            </div>
            { match *open {
                Open::Details => html! {
                    <div class="grid2">
                        if let Some(r) = (*report).clone() { <Report report={r} /> }
                        <crate::pages::verify::Card doc={props.credential.clone()} />
                    </div>
                },
                Open::Share => html! { <Share doc={props.credential.clone()} /> },
                Open::Present => html! { <Present credential={props.credential.clone()} holder={props.holder.clone()} /> },
                Open::ConfirmDelete => html! {
                    <div class="message error" role="alertdialog" aria-label={w.delete}>
                        <p>{ w.delete_confirm }</p>
                        <div class="row">
                            <button type="button" class="danger" onclick={delete} data-testid="wallet-delete-yes">{ w.yes_delete }</button>
                            <button type="button" class="secondary" onclick={toggle(Open::ConfirmDelete)}>{ w.cancel }</button>
                        </div>
                    </div>
                },
                Open::None => html! {},
            } }
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct BackupProps {
    wallet: Rc<wallet::Wallet>,
    state: WalletHandle,
}

#[component]
fn Backup(props: &BackupProps) -> Html {
    let t = use_tr();
    let w = t.wallet();
    let notice = use_state(|| None::<Notice>);
    let confirm_wipe = use_state(|| false);
    let download = {
        let wallet = props.wallet.clone();
        let notice = notice.clone();
        Callback::from(move |_| {
            if let Err(e) = files::download_text(
                "chainclass-wallet-backup.json",
                "application/json",
                &wallet.to_text(),
            ) {
                notice.set(Some(Notice::Error(e)));
            }
        })
    };
    let restore = {
        let state = props.state.clone();
        let notice = notice.clone();
        let current = props.wallet.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::files_of_input(&e).into_iter().next() {
                let (state, notice, current) = (state.clone(), notice.clone(), current.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let text = match files::read_text(&file, 16.0 * MAX_TEXT_FILE).await {
                        Ok(text) => text,
                        Err(err) => {
                            return notice.set(Some(Notice::Error(
                                problem_text(t, file_problem(&err)).to_owned(),
                            )))
                        }
                    };
                    match wallet::Wallet::from_text(&text) {
                        Ok(backup) => {
                            let mut merged = (*current).clone();
                            let added = merged.merge(backup.clone());
                            state.dispatch(WalletAction::Restore(backup));
                            notice
                                .set(Some(Notice::Ok(format!("{} {added}", t.wallet().restored))));
                        }
                        Err(WalletTextError::NewerVersion(_)) => {
                            notice.set(Some(Notice::Error(t.wallet().restore_newer.to_owned())))
                        }
                        Err(_) => {
                            notice.set(Some(Notice::Error(t.wallet().restore_bad.to_owned())))
                        }
                    }
                });
            }
            files::reset_input(&e);
        })
    };
    let ask_wipe = {
        let c = confirm_wipe.clone();
        Callback::from(move |_| c.set(!*c))
    };
    let wipe = {
        let state = props.state.clone();
        let c = confirm_wipe.clone();
        Callback::from(move |_| {
            state.dispatch(WalletAction::Wipe);
            c.set(false);
        })
    };
    html! {
        <div class="grid2">
            <div class="panel">
                <h2>{ w.backup_title }</h2>
                <p class="message info">{ w.backup_body }</p>
                <div class="row">
                    <button type="button" class="primary" onclick={download} data-testid="wallet-backup">{ w.backup_download }</button>
                    <label class="button secondary file-button">
                        { w.restore_file }
                        <input type="file" accept=".json,application/json" data-testid="wallet-restore" onchange={restore} />
                    </label>
                </div>
                { notice_view(t, &notice) }
            </div>
            <div class="panel">
                <h2>{ w.wipe_title }</h2>
                <p class="hint">{ w.wipe_body }</p>
                <button type="button" class="danger" onclick={ask_wipe} data-testid="wallet-wipe">{ w.wipe_button }</button>
                if *confirm_wipe {
                    <div class="message error" role="alertdialog" aria-label={w.wipe_title}>
                        <p>{ w.wipe_confirm }</p>
                        <button type="button" class="danger" onclick={wipe} data-testid="wallet-wipe-yes">{ w.wipe_yes }</button>
                    </div>
                }
            </div>
        </div>
    }
}
