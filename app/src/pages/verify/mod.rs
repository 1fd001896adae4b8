//! `#/verify`: the public verifier. Input by paste, file (picker or drop) or
//! link (`#/verify?vc=<payload>`); the outcome is a verdict, the ordered
//! checks, and a card of what the credential says.

pub mod answer;
pub mod card;
pub mod report;
pub mod scan;

use crate::jobs;
use crate::platform::files::{self, FileError, MAX_TEXT_FILE};
use crate::platform::http;
use crate::state::answer::Answer;
use crate::state::settings::use_tr;
use crate::state::verify::{
    certificate_text, link_payload, status_list_urls, InputProblem, VerifyAction, VerifyState,
    AUTO_FETCH_LISTS,
};
use credentials::share::decode_payload;
use serde_json::Value;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

pub use card::{Card, Trust};
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
        InputProblem::LinkTooLarge => v.err_link_too_large,
        InputProblem::NotJsonFile => v.err_not_json_file,
        InputProblem::NotACredentialQr => v.scan_not_credential,
        InputProblem::LedgerCheckFailed => v.err_ledger_check,
        InputProblem::SignatureCheckFailed => v.err_signature_check,
        InputProblem::LedgerCheckOutdated => v.err_ledger_outdated,
    }
}

/// Why a status list could not be used.
#[derive(Clone, PartialEq)]
enum FetchProblem {
    Http(http::FetchError),
    NotJson,
    /// The device is offline; when this browser last fetched the list.
    Offline(Option<String>),
}

/// The sentence for a failed status-list fetch.
fn fetch_problem_text(
    v: &'static crate::i18n::verify::VerifyTr,
    lang: crate::i18n::Lang,
    p: &FetchProblem,
) -> String {
    match p {
        FetchProblem::Offline(None) | FetchProblem::Http(http::FetchError::Offline) => {
            v.status_fetch_offline.to_owned()
        }
        FetchProblem::Offline(Some(at)) => format!(
            "{} {}",
            v.status_fetch_offline,
            v.status_fetch_offline_last
                .replace("{date}", &crate::i18n::format_date(at, lang))
        ),
        FetchProblem::Http(http::FetchError::Status(code)) => {
            v.status_fetch_http.replace("{status}", &code.to_string())
        }
        FetchProblem::Http(http::FetchError::TooLarge) => v.status_fetch_too_large.to_owned(),
        FetchProblem::Http(http::FetchError::BadUrl) => v.status_fetch_bad_url.to_owned(),
        FetchProblem::Http(http::FetchError::Network) => v.status_fetch_network.to_owned(),
        FetchProblem::Http(http::FetchError::NotText) | FetchProblem::NotJson => {
            v.status_fetch_not_json.to_owned()
        }
    }
}

/// Status-list fetches of this page: started (`None`) or failed.
#[derive(Default, PartialEq)]
struct FetchLog(Vec<(String, Option<FetchProblem>)>);

enum FetchEvent {
    Started(String),
    Failed(String, FetchProblem),
}

impl Reducible for FetchLog {
    type Action = FetchEvent;

    fn reduce(self: Rc<Self>, action: FetchEvent) -> Rc<Self> {
        let mut log = self.0.clone();
        match action {
            FetchEvent::Started(url) => {
                if !log.iter().any(|(u, _)| *u == url) {
                    log.push((url, None));
                }
            }
            FetchEvent::Failed(url, problem) => {
                for (u, r) in &mut log {
                    if *u == url {
                        *r = Some(problem.clone());
                    }
                }
            }
        }
        Rc::new(FetchLog(log))
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
    let lang = crate::state::settings::use_lang();
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
                    Err(e) => {
                        state.dispatch(VerifyAction::Problem(crate::state::verify::link_problem(e)))
                    }
                }
            }
        });
    }

    // With a ledger export, or for an eddsa-rdfc-2022 proof, the
    // verification runs in the worker.
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
    // Status lists: for credentials whose proof verified only; the first
    // few from this site at once, more from this site or any from another
    // site only after the user agrees. A failure leaves the check at
    // "couldn't check".
    let fetch_log = use_reducer(FetchLog::default);
    let fetch_list = {
        let (state, fetch_log) = (state.clone(), fetch_log.clone());
        Callback::from(move |url: String| {
            fetch_log.dispatch(FetchEvent::Started(url.clone()));
            let (state, fetch_log) = (state.clone(), fetch_log.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = http::fetch_text(&url, MAX_TEXT_FILE as usize)
                    .await
                    .map_err(|e| match e {
                        http::FetchError::Offline => {
                            FetchProblem::Offline(crate::state::status_seen::last_fetched(&url))
                        }
                        e => FetchProblem::Http(e),
                    })
                    .and_then(|text| {
                        credentials::json::parse_strict(&text).map_err(|_| FetchProblem::NotJson)
                    });
                match result {
                    Ok(v) => {
                        crate::state::status_seen::remember(
                            &url,
                            &crate::platform::clock::now_rfc3339(),
                        );
                        state.dispatch(VerifyAction::AddStatusList(url, v))
                    }
                    Err(e) => fetch_log.dispatch(FetchEvent::Failed(url, e)),
                }
            });
        })
    };
    let named: Vec<String> = state
        .outcome
        .as_ref()
        .and_then(|o| o.doc.as_ref().map(|d| status_list_urls(d, &o.report)))
        .unwrap_or_default();
    // The first few on this site, counted over every list named (not only
    // those still missing), so fetching them never moves the next ones in.
    let auto: Vec<String> = named
        .iter()
        .filter(|u| http::is_same_origin(u))
        .take(AUTO_FETCH_LISTS)
        .cloned()
        .collect();
    let wanted: Vec<String> = named
        .into_iter()
        .filter(|u| !state.extras.status_lists.iter().any(|(name, _)| name == u))
        .collect();
    let tried = |url: &String| fetch_log.0.iter().any(|(u, _)| u == url);
    {
        let (fetch_list, fetch_log) = (fetch_list.clone(), fetch_log.clone());
        use_effect_with(auto.clone(), move |auto| {
            for url in auto {
                if !fetch_log.0.iter().any(|(u, _)| u == url) {
                    fetch_list.emit(url.clone());
                }
            }
        });
    }
    let more_here: Vec<String> = wanted
        .iter()
        .filter(|u| http::is_same_origin(u) && !auto.contains(u) && !tried(u))
        .cloned()
        .collect();
    let elsewhere: Vec<String> = wanted
        .iter()
        .filter(|u| !http::is_same_origin(u) && !tried(u))
        .cloned()
        .collect();
    // A presentation's cards: the first few, then all on request.
    let all_cards = use_state(|| false);
    let cards: Vec<(Value, Trust)> = state
        .outcome
        .as_ref()
        .map(|o| cards_of(o.doc.as_ref(), &o.report, o.presentation))
        .unwrap_or_default();
    let answer = state.outcome.as_ref().map(|o| Answer::of(&o.report));
    // A status list this page is fetching for the document shown.
    let fetching = fetch_log
        .0
        .iter()
        .any(|(u, attempt)| attempt.is_none() && wanted.contains(u));
    let card_count = cards.len();
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

    let form = html! {
        <form class="panel verify-form" {onsubmit} ondragover={ondragover} ondrop={ondrop}>
            if state.outcome.is_some() {
                <h2 class="verify-again">{ v.again_heading }</h2>
            }
            <label for="verify-input">{ v.input_label }</label>
            <textarea
                id="verify-input"
                data-testid="verify-input"
                class={classes!(state.outcome.is_some().then_some("loaded"))}
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
            <scan::QrScanner on_text={on_scan} input_number={state.inputs} />
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
    };

    // With a result, the page leads with the answer; the form to check
    // another certificate follows it. The form keeps its place among the
    // section's children either way, so the browser keeps what is open in
    // it ("More options") and what is typed.
    html! {
        <section class="page" data-page="verify">
            if state.outcome.is_some() {
                <h1>{ t.verify_title }</h1>
            } else {
                { super::intro("verify", t.verify_title, t.verify_intro) }
            }
            if let Some(problem) = state.problem {
                <p class="message error" role="alert" data-testid="verify-problem">{ problem_text(t, problem) }</p>
            }
            if state.checking.is_some() {
                <p class="message info" role="status" data-testid="verify-checking">{
                    if state.extras.ledger.is_some() { v.ledger_checking } else { v.rdfc_checking }
                }</p>
            }
            if let (Some(outcome), Some(answer)) = (&state.outcome, answer) {
                <answer::Headline
                    answer={answer.clone()}
                    doc={outcome.doc.clone().filter(|_| !outcome.presentation).map(Rc::new)}
                    fetching={fetching}
                    freshness_unchecked={outcome.presentation
                        && extras.challenge.trim().is_empty()
                        && answer.verdict() != crate::state::verify::Verdict::Invalid} />
                if state.from_link {
                    <p class="message info">{ v.from_link }</p>
                }
                { for fetch_log.0.iter().filter(|(u, _)| wanted.contains(u)).map(|(url, attempt)| match attempt {
                    Some(problem) => html! {
                        <p class="message error" data-testid="status-fetch-failed">
                            { v.status_fetch_failed }{ " " }<code>{ url.clone() }</code>{ " " }{ fetch_problem_text(v, lang, problem) }
                        </p>
                    },
                    None => html! { <p class="message info">{ v.status_fetching }</p> },
                }) }
                if !more_here.is_empty() {
                    <div class="message info" data-testid="status-more">
                        <p>{ v.status_more_here.replace("{n}", &more_here.len().to_string()) }</p>
                        <button type="button" class="secondary" data-testid="status-more-fetch" onclick={{
                            let (fetch_list, urls) = (fetch_list.clone(), more_here.clone());
                            Callback::from(move |_| urls.iter().for_each(|u| fetch_list.emit(u.clone())))
                        }}>{ v.status_fetch_button }</button>
                    </div>
                }
                { for elsewhere.iter().take(AUTO_FETCH_LISTS).map(|url| {
                    let (fetch_list, url2) = (fetch_list.clone(), url.clone());
                    html! {
                        <div class="message info" data-testid="status-ask">
                            <p>{ v.status_ask }</p>
                            <p><code>{ url.clone() }</code></p>
                            <button type="button" class="secondary" onclick={Callback::from(move |_| fetch_list.emit(url2.clone()))}>{ v.status_fetch_button }</button>
                        </div>
                    }
                }) }
                if elsewhere.len() > AUTO_FETCH_LISTS {
                    <p class="message info" data-testid="status-ask-more">
                        { v.status_more_elsewhere.replace("{n}", &(elsewhere.len() - AUTO_FETCH_LISTS).to_string()) }
                    </p>
                }
                if !outcome.presentation && outcome.verdict() != crate::state::verify::Verdict::Invalid {
                    if let Some(doc) = outcome.doc.clone() {
                        <AddToWallet doc={Rc::new(doc)} />
                    }
                }
                <div class="grid2 verify-result">
                    <div class="cards-col">
                        { for cards
                            .into_iter()
                            .take(if *all_cards { usize::MAX } else { report::FIRST_SHOWN })
                            .map(|(doc, trust)| html! { <Card doc={Rc::new(doc)} {trust} /> }) }
                        if !*all_cards && card_count > report::FIRST_SHOWN {
                            <button type="button" class="secondary" data-testid="show-all-cards"
                                onclick={{ let all_cards = all_cards.clone(); Callback::from(move |_| all_cards.set(true)) }}>
                                { v.show_all_credentials.replace("{n}", &card_count.to_string()) }
                            </button>
                        }
                    </div>
                    <Report report={Rc::new(outcome.report.clone())} presentation={outcome.presentation} verdict={false} />
                </div>
            }
            { form }
        </section>
    }
}

/// The credentials to show as cards: the document, or those of a
/// presentation's credentials that the report covers (none when it was
/// refused before they were read: a card per item could be thousands).
/// Each with how far the checks vouch for it: a presentation's credential
/// by its own checks, and not at all when the presentation itself failed.
fn cards_of(doc: Option<&Value>, report: &Value, presentation: bool) -> Vec<(Value, Trust)> {
    let Some(doc) = doc else {
        return Vec::new();
    };
    if !presentation {
        return if doc.is_object() {
            vec![(doc.clone(), trust_of(&Answer::of(report)))]
        } else {
            Vec::new()
        };
    }
    let reports = report
        .get("credentials")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let presentation_failed = report
        .get("checks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            matches!(
                c.get("status").and_then(Value::as_str),
                Some("fail" | "not_run")
            )
        });
    let trust = |r: &Value| {
        if presentation_failed {
            Trust::NotConfirmed
        } else {
            trust_of(&Answer::of(r))
        }
    };
    // The report lists the credentials in order, one each.
    match doc.get("verifiableCredential") {
        Some(Value::Array(a)) => a
            .iter()
            .zip(reports)
            .filter(|(c, _)| c.is_object())
            .map(|(c, r)| (c.clone(), trust(r)))
            .collect(),
        Some(c @ Value::Object(_)) => reports
            .first()
            .map(|r| vec![(c.clone(), trust(r))])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// What a card may present as the issuer's word.
fn trust_of(answer: &Answer) -> Trust {
    if *answer == Answer::Authentic {
        Trust::Confirmed
    } else if answer.vouched() {
        Trust::SignedOnly
    } else {
        Trust::NotConfirmed
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
    let done = use_state(|| {
        None::<Result<(), crate::state::stored::SaveError<crate::state::wallet::WalletTextError>>>
    });
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
                Some(Err(e)) => crate::pages::recovery::save_problem(t, t.wallet().save_failed, Some(e)),
                None => html! {},
            } }
        </div>
    }
}
