//! `#/verify`: the public verifier. Input by paste, file (picker or drop) or
//! link (`#/verify?vc=<payload>`); the outcome is a verdict, the ordered
//! checks, and a card of what the credential says.

pub mod card;
pub mod report;
pub mod scan;

use crate::jobs;
use crate::platform::files::{self, FileError, MAX_TEXT_FILE};
use crate::platform::http;
use crate::state::settings::use_tr;
use crate::state::verify::{
    certificate_text, link_payload, status_list_urls, InputProblem, VerifyAction, VerifyState,
};
use credentials::share::decode_payload;
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

pub use card::Card;
pub use report::Report;

/// Maps a file-reading error to the problem shown to the user.
pub fn file_problem(e: &FileError) -> InputProblem {
    match e {
        FileError::TooLarge { .. } => InputProblem::TooLarge,
        FileError::Pdf => InputProblem::Pdf,
        FileError::Image => InputProblem::Image,
        FileError::NotText => InputProblem::NotText,
        FileError::ReadFailed => InputProblem::ReadFailed,
    }
}

/// The sentence for an input problem.
pub fn problem_text(t: &'static crate::i18n::Tr, p: InputProblem) -> &'static str {
    let v = t.verify();
    match p {
        InputProblem::Empty => v.err_empty,
        InputProblem::TooLarge => v.err_file_too_large,
        InputProblem::Pdf => v.err_file_pdf,
        InputProblem::Image => v.err_file_image,
        InputProblem::NotText => v.err_file_not_text,
        InputProblem::ReadFailed => v.err_file_read,
        InputProblem::BadLink => v.err_link,
        InputProblem::NotJsonFile => v.err_not_json_file,
        InputProblem::NotACredentialQr => v.scan_not_credential,
        InputProblem::LedgerCheckFailed => v.err_ledger_check,
        InputProblem::LedgerCheckOutdated => v.err_ledger_outdated,
    }
}

/// Which extra file an input supplies.
#[derive(Clone, Copy, PartialEq)]
enum Extra {
    StatusList,
    Receipt,
    Ledger,
}

fn read_into(state: UseReducerHandle<VerifyState>, file: web_sys::File, load: bool) {
    wasm_bindgen_futures::spawn_local(async move {
        match files::read_text(&file, MAX_TEXT_FILE).await {
            Ok(text) if load => state.dispatch(VerifyAction::Load {
                text,
                from_link: false,
            }),
            Ok(_) => {}
            Err(e) => state.dispatch(VerifyAction::Problem(file_problem(&e))),
        }
    });
}

fn read_extra(state: UseReducerHandle<VerifyState>, file: web_sys::File, kind: Extra) {
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let text = match files::read_text(&file, MAX_TEXT_FILE).await {
            Ok(text) => text,
            Err(e) => return state.dispatch(VerifyAction::Problem(file_problem(&e))),
        };
        if kind == Extra::Ledger {
            // The check runs in the worker: fetch it while the user goes on.
            jobs::warm_up();
            return state.dispatch(VerifyAction::SetLedger(name, text));
        }
        match credentials::json::parse_strict(&text) {
            Ok(v) if kind == Extra::StatusList => {
                state.dispatch(VerifyAction::AddStatusList(name, v))
            }
            Ok(v) => state.dispatch(VerifyAction::SetReceipt(name, v)),
            Err(_) => state.dispatch(VerifyAction::Problem(InputProblem::NotJsonFile)),
        }
    });
}

/// `#/verify`
#[component]
pub fn Verify() -> Html {
    let t = use_tr();
    let v = t.verify();
    let state = use_reducer(VerifyState::default);
    let location = use_location();
    let query = location
        .as_ref()
        .map(|l| l.query_str().to_owned())
        .unwrap_or_default();

    // A link: decode and verify at once; a damaged link is a clear message.
    {
        let state = state.clone();
        use_effect_with(query, move |query| {
            if let Some(payload) = link_payload(query) {
                match decode_payload(&payload) {
                    Ok(text) => state.dispatch(VerifyAction::Load {
                        text,
                        from_link: true,
                    }),
                    Err(_) => state.dispatch(VerifyAction::Problem(InputProblem::BadLink)),
                }
            }
        });
    }

    // With a ledger export the verification runs in the worker.
    {
        let state = state.clone();
        use_effect_with(state.checking, move |checking| {
            if let Some(request) = *checking {
                let (input, extras) = (state.input.clone(), state.extras.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let result = jobs::verify_with_ledger(&input, &extras).await;
                    state.dispatch(VerifyAction::Checked { request, result });
                });
            }
        });
    }

    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                state.dispatch(VerifyAction::SetInput(area.value()));
            }
        })
    };
    let onsubmit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(VerifyAction::Verify);
        })
    };
    let onclear = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(VerifyAction::Clear))
    };
    let onfile = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::files_of_input(&e).into_iter().next() {
                read_into(state.clone(), file, true);
            }
            files::reset_input(&e);
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let state = state.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = files::files_of_drop(&e).into_iter().next() {
                read_into(state.clone(), file, true);
            }
        })
    };
    let extra_input = |kind: Extra| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            for file in files::files_of_input(&e) {
                read_extra(state.clone(), file, kind);
            }
            files::reset_input(&e);
        })
    };
    let text_setter = |f: fn(String) -> VerifyAction| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                state.dispatch(f(input.value()));
            }
        })
    };
    let clear_extras = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(VerifyAction::ClearExtras))
    };
    // Status lists: fetched at once from this site; from another site only
    // after the user agrees. A failure leaves the check at "couldn't check".
    let fetch_log = use_state(Vec::<(String, Option<String>)>::new);
    let fetch_list = {
        let (state, fetch_log) = (state.clone(), fetch_log.clone());
        Callback::from(move |url: String| {
            let mut log = (*fetch_log).clone();
            log.push((url.clone(), None));
            fetch_log.set(log.clone());
            let (state, fetch_log) = (state.clone(), fetch_log.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = http::fetch_text(&url, MAX_TEXT_FILE as usize)
                    .await
                    .map_err(|e| format!("{e:?}"))
                    .and_then(|text| {
                        credentials::json::parse_strict(&text).map_err(|e| format!("{e:?}"))
                    });
                match result {
                    Ok(v) => state.dispatch(VerifyAction::AddStatusList(url, v)),
                    Err(e) => {
                        let log: Vec<_> = log
                            .into_iter()
                            .map(|(u, r)| {
                                if u == url {
                                    (u, Some(e.clone()))
                                } else {
                                    (u, r)
                                }
                            })
                            .collect();
                        fetch_log.set(log);
                    }
                }
            });
        })
    };
    let wanted: Vec<String> = state
        .outcome
        .as_ref()
        .and_then(|o| o.doc.as_ref())
        .map(status_list_urls)
        .unwrap_or_default()
        .into_iter()
        .filter(|u| !state.extras.status_lists.iter().any(|(name, _)| name == u))
        .collect();
    {
        let (fetch_list, fetch_log) = (fetch_list.clone(), fetch_log.clone());
        use_effect_with(wanted.clone(), move |wanted| {
            for url in wanted {
                if http::is_same_origin(url) && !fetch_log.iter().any(|(u, _)| u == url) {
                    fetch_list.emit(url.clone());
                }
            }
        });
    }
    let on_scan = {
        let state = state.clone();
        Callback::from(move |text: String| match certificate_text(&text) {
            Ok(text) => state.dispatch(VerifyAction::Load {
                text,
                from_link: false,
            }),
            Err(_) => state.dispatch(VerifyAction::Problem(InputProblem::NotACredentialQr)),
        })
    };
    let extras = &state.extras;
    let loaded: Vec<String> = extras
        .status_lists
        .iter()
        .map(|(n, _)| n.clone())
        .chain(extras.receipt.iter().map(|(n, _)| n.clone()))
        .chain(extras.ledger.iter().map(|(n, _)| n.clone()))
        .collect();

    html! {
        <section class="page" data-page="verify">
            { super::intro("verify", t.verify_title, t.verify_intro) }
            <form class="panel verify-form" {onsubmit} ondragover={ondragover} ondrop={ondrop}>
                <label for="verify-input">{ v.input_label }</label>
                <textarea
                    id="verify-input"
                    data-testid="verify-input"
                    placeholder={v.input_placeholder}
                    value={state.input.clone()}
                    {oninput}
                    spellcheck="false"
                />
                <p class="hint">{ v.drop_hint }</p>
                <div class="row">
                    <button type="submit" class="primary" data-testid="verify-submit">{ v.submit }</button>
                    <label class="button secondary file-button">
                        { v.file_label }
                        <input type="file" accept=".json,application/json,application/ld+json,text/plain"
                            data-testid="verify-file" onchange={onfile} />
                    </label>
                    <button type="button" class="secondary" onclick={onclear}>{ v.clear }</button>
                </div>
                <scan::QrScanner on_text={on_scan} />
                <details class="verify-options">
                    <summary>{ v.options_title }</summary>
                    <p class="hint">{ v.options_hint }</p>
                    <div class="grid2">
                        <div>
                            <label for="verify-challenge">{ v.challenge_label }</label>
                            <input id="verify-challenge" type="text" data-testid="verify-challenge"
                                value={extras.challenge.clone()} oninput={text_setter(VerifyAction::SetChallenge)} />
                        </div>
                        <div>
                            <label for="verify-domain">{ v.domain_label }</label>
                            <input id="verify-domain" type="text" data-testid="verify-domain"
                                value={extras.domain.clone()} oninput={text_setter(VerifyAction::SetDomain)} />
                        </div>
                    </div>
                    <div class="grid2">
                        <div>
                            <label for="verify-status-file">{ v.status_file_label }</label>
                            <input id="verify-status-file" type="file" multiple=true accept=".json,application/json"
                                data-testid="verify-status-file" onchange={extra_input(Extra::StatusList)} />
                        </div>
                        <div>
                            <label for="verify-receipt-file">{ v.receipt_file_label }</label>
                            <input id="verify-receipt-file" type="file" accept=".json,application/json"
                                data-testid="verify-receipt-file" onchange={extra_input(Extra::Receipt)} />
                        </div>
                        <div>
                            <label for="verify-ledger-file">{ v.ledger_file_label }</label>
                            <input id="verify-ledger-file" type="file" accept=".json,application/json"
                                data-testid="verify-ledger-file" onchange={extra_input(Extra::Ledger)} />
                        </div>
                    </div>
                    if !loaded.is_empty() {
                        <p class="row">
                            <span>{ v.loaded_files }{ " " }{ loaded.join(", ") }</span>
                            <button type="button" class="secondary" onclick={clear_extras}>{ v.remove }</button>
                        </p>
                    }
                </details>
            </form>
            if let Some(problem) = state.problem {
                <p class="message error" role="alert" data-testid="verify-problem">{ problem_text(t, problem) }</p>
            }
            if state.checking.is_some() {
                <p class="message info" role="status" data-testid="verify-checking">{ v.ledger_checking }</p>
            }
            if state.outcome.is_some() {
                { for wanted.iter().map(|url| {
                    let attempt = fetch_log.iter().find(|(u, _)| u == url).map(|(_, r)| r.clone());
                    match attempt {
                        Some(Some(err)) => html! {
                            <p class="message error" data-testid="status-fetch-failed">{ v.status_fetch_failed }{ " " }<code>{ url.clone() }</code>{ " " }{ err }</p>
                        },
                        Some(None) => html! { <p class="message info">{ v.status_fetching }</p> },
                        None => {
                            let (fetch_list, url2) = (fetch_list.clone(), url.clone());
                            html! {
                                <div class="message info" data-testid="status-ask">
                                    <p>{ v.status_ask }</p>
                                    <p><code>{ url.clone() }</code></p>
                                    <button type="button" class="secondary" onclick={Callback::from(move |_| fetch_list.emit(url2.clone()))}>{ v.status_fetch_button }</button>
                                </div>
                            }
                        }
                    }
                }) }
            }
            if let Some(outcome) = &state.outcome {
                if state.from_link {
                    <p class="message info">{ v.from_link }</p>
                }
                if !outcome.presentation && outcome.verdict() != crate::state::verify::Verdict::Invalid {
                    if let Some(doc) = outcome.doc.clone() {
                        <AddToWallet doc={Rc::new(doc)} />
                    }
                }
                <div class="grid2 verify-result">
                    <Report report={Rc::new(outcome.report.clone())} presentation={outcome.presentation} />
                    <div class="cards-col">
                        { for cards_of(outcome.doc.as_ref(), outcome.presentation).into_iter().map(|doc| html! {
                            <Card doc={Rc::new(doc)} />
                        }) }
                    </div>
                </div>
            }
        </section>
    }
}

/// The credentials to show as cards: the document, or a presentation's credentials.
fn cards_of(doc: Option<&Value>, presentation: bool) -> Vec<Value> {
    let Some(doc) = doc else {
        return Vec::new();
    };
    if !presentation {
        return if doc.is_object() {
            vec![doc.clone()]
        } else {
            Vec::new()
        };
    }
    match doc.get("verifiableCredential") {
        Some(Value::Array(a)) => a.iter().filter(|c| c.is_object()).cloned().collect(),
        Some(c @ Value::Object(_)) => vec![c.clone()],
        _ => Vec::new(),
    }
}

/// Properties of [`AddToWallet`].
#[derive(Properties, PartialEq)]
pub struct AddToWalletProps {
    /// The verified credential.
    pub doc: Rc<Value>,
}

/// "Add to my wallet" for a credential that verified.
#[component]
pub fn AddToWallet(props: &AddToWalletProps) -> Html {
    let t = use_tr();
    let done = use_state(|| None::<Result<(), String>>);
    let onclick = {
        let (doc, done) = (props.doc.clone(), done.clone());
        Callback::from(move |_| {
            let (doc, done) = (doc.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                done.set(Some(
                    crate::state::wallet::add_to_stored((*doc).clone()).await,
                ));
            });
        })
    };
    html! {
        <div class="row add-to-wallet">
            <button type="button" class="secondary" {onclick} data-testid="add-to-wallet">{ t.wallet().add_to_wallet }</button>
            { match &*done {
                Some(Ok(())) => html! {
                    <span class="message ok" data-testid="added-to-wallet">{ t.wallet().added_to_wallet }{ " " }
                        <Link<crate::route::Route> to={crate::route::Route::Wallet}>{ t.wallet().open_wallet }</Link<crate::route::Route>>
                    </span>
                },
                Some(Err(e)) => html! { <span class="message error">{ t.wallet().save_failed }{ " " }{ e.clone() }</span> },
                None => html! {},
            } }
        </div>
    }
}
